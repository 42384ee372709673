// A record's revisions, oldest first: nothing is overwritten, so the worker can always see what
// it said before (and a resolved conflict shows both sides it came from).
import { _, currentLocale, formatLocale } from "../i18n/index.js";
import { h } from "../ui/dom.js";

export function historyOf(record, describe = () => null) {
  if (!record || record.history.length < 2) return null;
  const time = new Intl.DateTimeFormat(formatLocale(),
                                       { dateStyle: "medium", timeStyle: "short" });
  const revisions = [...record.history]
    .sort((a, b) => a.envelope.created_at.localeCompare(b.envelope.created_at));
  return h("details", { className: "card history", id: "history" },
    h("summary", {}, _("Earlier versions: {count}", { count: revisions.length - 1 })),
    h("ol", {}, revisions.map((revision) => h("li", {},
      time.format(new Date(revision.envelope.created_at)),
      revision.waiting ? ` · ${_("waiting")}` : "",
      revision.plaintext ? describe(revision.plaintext) : ` · ${_("This version cannot be read on this phone.")}`))));
}
