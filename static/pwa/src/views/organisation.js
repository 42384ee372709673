// The admin's organisation-wide figures: what supervisors published from their phones, the
// teams of one period added up (a sum with a hidden part stays hidden), beside what the server
// counts from the clear fields. An admin reads no records, so this is all an admin sees.
import { call } from "../api.js";
import { _, formatLocale } from "../i18n/index.js";
import { withFreshToken } from "../tokens.js";
import { h, mount, today } from "../ui/dom.js";
import { figureOf } from "./figures.js";
import { backLink } from "../ui/nav.js";

const number = (value) => (value === null ? _("hidden") : new Intl.NumberFormat(formatLocale()).format(value));

function period(p) {
  const t = p.tables;
  const rows = [
    [_("Households"), figureOf(t.consent, {}, "households")],
    [_("People"), figureOf(t.people)],
    [_("Referrals made"), figureOf(t.referral, {}, "made")],
    [_("Not taken up"), figureOf(t.referral, {}, "not_taken_up")],
    [_("Given"), figureOf(t.consent, {}, "given")],
  ];
  return h("section", { className: "card published-period", dataset: { from: p.from, to: p.to } },
    h("h2", {}, _("{from} to {to}", { from: p.from, to: p.to })),
    h("p", { className: "help" }, _("Published by: {teams}", { teams: p.teams.join(", ") })),
    h("table", { className: "figures" }, h("tbody", {}, rows.map(([label, value]) =>
      h("tr", {}, h("th", { scope: "row" }, label),
        h("td", { className: value === null ? "withheld" : "" }, number(value)))))));
}

export async function renderOrganisation(ctx) {
  const now = today().slice(0, 7);
  const from = h("input", { id: "org-from", type: "month", value: `${Number(now.slice(0, 4)) - 1}${now.slice(4)}` });
  const to = h("input", { id: "org-to", type: "month", value: now });
  const status = h("p", { id: "org-status", role: "status" });
  const output = h("div", { id: "org-results" });
  const show = async () => {
    status.textContent = _("Loading…");
    try {
      const query = new URLSearchParams({ from: from.value, to: to.value });
      const body = await withFreshToken(ctx, (token) => call(`/reports/organisation?${query}`, { method: "GET", token }));
      const [reach] = body.counted.reach ?? [];
      output.replaceChildren(
        ...body.periods.map(period),
        body.periods.length ? null : h("p", { className: "help" }, _("No team has published figures for this period.")),
        reach ? h("section", { className: "card", id: "org-counted" }, h("h2", {}, _("Counted by the server")),
          h("table", { className: "figures" }, h("tbody", {}, ["households", "people", "visits"]
            .filter((name) => name in reach).map((name) => h("tr", {},
              h("th", { scope: "row" }, { households: _("Households"), people: _("People"), visits: _("Visits") }[name]),
              h("td", {}, number(reach[name]))))))) : null);
      status.textContent = "";
    } catch (exc) {
      status.textContent = exc?.problem?.title ?? _("Team figures need a signal. Your work is safe on this phone: try again when you are online.");
    }
  };
  for (const control of [from, to]) control.addEventListener("change", show);
  const field = (label, control) => h("div", { className: "field" }, h("label", { htmlFor: control.id }, label), control);
  mount(ctx.root, backLink("#/"),
    h("section", { className: "card" }, h("h1", {}, _("Organisation figures")),
      h("p", { className: "help" }, _("Figures the teams' supervisors published from their phones, the teams of one period added up; a sum with a hidden part stays hidden.")),
      field(_("First month"), from), field(_("Last month"), to), status),
    output);
  await show();
}
