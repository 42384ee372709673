// Per-record receipts: what synced when, what waits, and what the server refused and why.
import { _, currentLocale, formatLocale } from "../i18n/index.js";
import { receipts, retryRefused } from "../sync/outbox.js";
import { h, mount } from "../ui/dom.js";
import { householdName, syncSummary } from "./home.js";
import { loadForms } from "../forms/definitions.js";
import { backLink } from "../ui/nav.js";

const LABELS = () => ({ waiting: _("waiting"), synced: _("synced"), conflict: _("synced, with a conflict"),
                        refused: _("refused"), erased: _("erased on request") });

export async function renderSyncReceipts(ctx) {
  const all = (await receipts()).sort((a, b) => b.at.localeCompare(a.at)).slice(0, 200);
  const time = new Intl.DateTimeFormat(formatLocale(),
                                       { dateStyle: "short", timeStyle: "short" });
  const labels = LABELS();
  const refused = all.some((r) => r.status === "refused");
  const forms = await loadForms().catch(() => ({}));
  // Which record this is, in the worker's words: the form and the household it belongs to.
  // A receipt names the record only: its case is sealed (envelope format 2), the casebook knows it.
  const what = (receipt) => {
    const title = forms[receipt.type]?.title;
    const caseId = ctx.book.records.get(receipt.record_id)?.caseId;
    const known = caseId != null && ctx.book.cases.has(caseId);
    return [title ? _(title) : receipt.type, known ? householdName(ctx.book, caseId) : null]
      .filter(Boolean).join(" · ");
  };
  mount(ctx.root, backLink("#/"),
    h("section", { className: "card" },
      h("h1", {}, _("Sync")),
      syncSummary(),
      h("button", { type: "button", id: "sync-now", onclick: () => ctx.sync() }, _("Sync now")),
      refused ? h("button", { type: "button", className: "secondary",
                              onclick: async () => { await retryRefused(); ctx.sync(); } },
                  _("Send refused records again")) : null),
    h("section", { className: "card" },
      h("h2", {}, _("Records on this phone")),
      h("ul", { id: "receipts", className: "list" }, all.map((receipt) => h("li", { dataset: { status: receipt.status } },
        h("strong", { className: "what" }, what(receipt)), h("br"),
        h("span", { className: "sub" }, `${labels[receipt.status] ?? receipt.status} · ${time.format(new Date(receipt.at))}`),
        receipt.problem ? h("p", { className: "error", dataset: { problem: receipt.problem.type } },
          ...reason(ctx, receipt)) : null)))));
}

// Why the server refused a record: its own words, and where the app knows the problem, what it
// means for the worker.
function reason(ctx, receipt) {
  const { type, title, detail } = receipt.problem;
  const server = detail && detail !== title ? `${title}: ${detail}` : title;
  if (type === "/problems/paper-serial-used") {
    const serial = ctx.book.records.get(receipt.record_id)?.revisions.get(receipt.id)?.envelope.meta?.paper_serial;
    return [_("Paper form {serial} was already entered on another phone, so the server did not take this entry: it stays on this phone only. Check with your team which entry is right.",
              { serial: serial ?? "" }), h("br"), h("span", { className: "sub" }, server)];
  }
  return [server];
}
