// #/paper/missing, for supervisors: the team's issued paper forms that no synced record carries
// yet, from the server (it needs a signal), so lost or forgotten forms can be followed up.
import { call, ProblemError } from "../api.js";
import { loadForms } from "../forms/definitions.js";
import { languageName } from "../forms/render.js";
import { _, currentLocale, ngettext } from "../i18n/index.js";
import { recordWithSerial } from "../paper/check.js";
import { withFreshToken } from "../tokens.js";
import { formatDate, h, mount } from "../ui/dom.js";
import { backLink } from "../ui/nav.js";

// #/paper/missing, for supervisors: forms issued to the team and never entered, from the server.
export async function renderMissingForms(ctx) {
  const forms = await loadForms().catch(() => ({}));
  const locale = currentLocale();
  const teams = ctx.session.teams ?? [];
  const body = h("div", { id: "missing" }, h("p", { className: "help" }, _("Loading…")));
  mount(ctx.root, backLink("#/paper", _("Enter a paper form")),
    h("section", { className: "card" },
      h("h1", {}, _("Paper forms not entered")),
      h("p", { className: "help" },
        _("Numbered forms printed for the team whose number no synced record carries yet: follow up lost or forgotten forms.")),
      body));
  if (!navigator.onLine) {
    body.replaceChildren(h("p", { className: "error", id: "missing-offline" },
      _("No connection. This list comes from the server: open it again with a signal.")));
    return;
  }
  let answers;
  try {
    answers = await Promise.all(teams.map((team) => withFreshToken(ctx, (token) =>
      call(`/teams/${encodeURIComponent(team)}/paper-serials`, { method: "GET", token }))));
  } catch (exc) {
    body.replaceChildren(h("p", { className: "error", id: "missing-offline" }, exc instanceof ProblemError
      ? exc.problem.title ?? _("The server refused the list.")
      : _("No connection. This list comes from the server: open it again with a signal.")));
    return;
  }
  const serials = answers.flatMap((answer) => answer.serials.map((s) => ({ ...s, team: answer.team_id })));
  if (!serials.length) {
    body.replaceChildren(h("p", { id: "missing-none" }, _("Every paper form printed for the team was entered.")));
    return;
  }
  body.replaceChildren(
    h("p", {}, ngettext("{count} form not entered", "{count} forms not entered", serials.length)),
    h("ul", { id: "missing-serials", className: "list" }, serials.map((item) => {
      const id = item.form_schema.split("@", 1)[0];
      const here = recordWithSerial(ctx.book, item.serial);
      return h("li", { dataset: { serial: item.serial } },
        h("strong", {}, item.serial), h("br"),
        h("span", { className: "sub" }, [_(forms[id]?.title ?? id), languageName(item.language),
                                         formatDate(item.issued_at, locale),
                                         teams.length > 1 ? item.team : null].filter(Boolean).join(" · ")),
        here ? h("span", { className: "badge" }, _("entered on this phone, waiting to sync")) : null);
    })));
}
