// Team figures for supervisors: what the server still counts from the few clear fields of
// envelope format 2 (PROTOCOL §4, docs/protocol.md): households and people registered, visits,
// referrals by stage and consents, by area or contact type. It cannot tell which records are
// one household, so nothing here is about a household or a person. Small numbers come back
// withheld and stay so; nothing is decrypted for this, and nothing is kept on the phone.
import { call } from "../api.js";
import { loadForms } from "../forms/definitions.js";
import { _, currentLocale, formatLocale } from "../i18n/index.js";
import { withFreshToken } from "../tokens.js";
import { teamInfo } from "../teams.js";
import { formatDate, h, mount, today } from "../ui/dom.js";
import { backLink } from "../ui/nav.js";

// The first day of the `months` months that end on `to` (12 → a year, day for day), as the
// server computes its default period.
export function monthsBack(to, months) {
  const [year, month, day] = to.split("-").map(Number);
  const index = year * 12 + (month - 1) - months;
  const [y, m] = [Math.floor(index / 12), index % 12];
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const start = new Date(Date.UTC(y, m, Math.min(day, last) + 1));
  return start.toISOString().slice(0, 10);
}

function number(value, options = {}) {
  const locale = formatLocale();
  return new Intl.NumberFormat(locale, options).format(value);
}

// A figure, or the mark of a withheld one (the server does not say why it was withheld).
function figure(row, field, options) {
  if (row[field] === null && row.suppressed.includes(field)) {
    return h("td", { className: "withheld", dataset: { withheld: field } }, _("hidden"));
  }
  return h("td", {}, row[field] === null ? "–" : number(row[field], options));
}

function table(caption, id, headers, rows) {
  return h("div", { className: "scroll", tabIndex: 0, role: "region", "aria-label": caption },
    h("table", { className: "figures", id },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, headers.map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, rows)));
}

// Labels for groups and categories, in the worker's language, from the form definitions.
async function labels(teamId) {
  const forms = await loadForms();
  const choices = (form, fieldId) => Object.fromEntries((forms[form]?.fields ?? [])
    .find((f) => f.id === fieldId)?.choices?.map((c) => [c.value, _(c.label)]) ?? []);
  const areas = Object.fromEntries((await teamInfo(teamId)).areas.map((a) => [a.code, a.name]));
  return { values: { contact_type: choices("visit", "contact_type"), area: areas } };
}

function groupLabel(names, dim, row) {
  const value = row.group[dim];
  if (value === null || value === undefined) return _("Not recorded");
  return names.values[dim]?.[value] ?? value;
}

const SECTIONS = ["reach", "referrals", "consent"];

// What a supervisor can group by (the API takes urbanisation too).
const GROUPS = () => ({ area: _("Area"), contact_type: _("Kind of contact") });

// One row per group, then the team's total (the same figures as if nothing were grouped).
function groupedTable(body, names, section, columns, dim, caption, id) {
  const line = (label, row) => h("tr", {}, h("th", { scope: "row" }, label),
    columns.map(([field]) => figure(row, field)));
  const rows = body[section].map((row) => line(groupLabel(names, dim, row), row));
  const [total] = body.totals[section];
  if (total) rows.push(line(_("Total"), total));
  return table(caption, id, [GROUPS()[dim], ...columns.map(([, label]) => label)], rows);
}

function section(id, title, help, content) {
  return h("section", { className: "card", id }, h("h2", {}, title),
    help ? h("p", { className: "help" }, help) : null, content);
}

function results(body, names, dim) {
  const anyHidden = [body, body.totals].some((part) => SECTIONS
    .some((name) => part[name].some((row) => row.suppressed.length)));
  return [
    h("p", { id: "report-period" }, _("{from} to {to}", {
      from: formatDate(body.from, currentLocale()), to: formatDate(body.to, currentLocale()) })),
    anyHidden ? h("p", { className: "notice", id: "hidden-explained" },
      _("“hidden”: fewer than {k}, or held back so that a number under {k} cannot be worked out from the other figures. Nobody can be recognised in these tables.", { k: body.k })) : null,
    dim === "area" ? null : h("p", { className: "help", id: "members-only" },
      _("Only visits have a kind of contact: households, people, referrals and consent are counted under “Not recorded”.")),
    section("reach", _("Records"), _("Households and people registered in the period, and visits."),
      groupedTable(body, names, "reach", [["households", _("Households")], ["people", _("People")],
        ["visits", _("Visits")]], dim, _("Households, people and visits"), "reach-table")),
    section("referrals", _("Referrals"), _("Referrals made in the period, and what came of them."),
      body.totals.referrals.length
        ? groupedTable(body, names, "referrals", [["made", _("Made")], ["waiting", _("Waiting")],
          ["taken_up", _("Taken up")], ["not_taken_up", _("Not taken up")]], dim,
          _("Referrals made"), "referrals-table")
        : h("p", { className: "help" }, _("No referral made in this period."))),
    section("consent", _("Consent"), _("Consents recorded in the period."),
      groupedTable(body, names, "consent", [["given", _("Given")], ["refused", _("Refused")],
        ["withdrawn", _("Withdrawn")], ["recorded", _("Recorded")]], dim,
        _("Consents recorded"), "consent-table")),
  ];
}

// The server, with the access token refreshed once if it expired.
async function fetchFigures(ctx, query) {
  const path = `/reports/indicators?${new URLSearchParams(query)}`;
  return withFreshToken(ctx, (token) => call(path, { method: "GET", token }));
}

export async function renderReport(ctx) {
  const teams = ctx.session.teams ?? [];
  const team = h("select", { id: "report-team" }, teams.map((slug) => new Option(slug, slug)));
  const period = h("select", { id: "report-period-choice" },
    new Option(_("Last 3 months"), "3"), new Option(_("Last 12 months"), "12"));
  period.value = "12";
  const groups = GROUPS();
  const group = h("select", { id: "report-group" },
    Object.entries(groups).map(([value, label]) => new Option(label, value)));
  const status = h("p", { id: "report-status", role: "status" });
  const output = h("div", { id: "report-results", className: "figures-results" });
  const field = (label, control) => h("div", { className: "field" },
    h("label", { htmlFor: control.id }, label), control);
  let asked = 0;  // a later choice wins over an answer still on its way
  const show = async () => {
    const mine = ++asked;
    output.replaceChildren();
    if (!navigator.onLine) {
      status.textContent = _("Team figures need a signal. Your work is safe on this phone: try again when you are online.");
      return;
    }
    status.textContent = _("Loading…");
    const to = today();
    try {
      const [body, names] = await Promise.all([
        fetchFigures(ctx, { team: team.value, from: monthsBack(to, Number(period.value)), to, by: group.value }),
        labels(team.value),
      ]);
      if (mine !== asked) return;
      status.textContent = "";
      output.replaceChildren(...results(body, names, group.value).filter(Boolean));
    } catch (exc) {
      if (mine !== asked) return;
      status.textContent = exc?.problem?.title
        ?? _("Team figures need a signal. Your work is safe on this phone: try again when you are online.");
    }
  };
  for (const control of [team, period, group]) control.addEventListener("change", show);
  mount(ctx.root, backLink("#/"),
    h("section", { className: "card" },
      h("h1", {}, _("Team figures")),
      h("p", { className: "help" }, _("Counted by the server from the few coarse fields each record shows in the clear. The server cannot tell which records belong to one household: figures about households and people (reach, needs, sex, age) are not part of it.")),
      teams.length > 1 ? field(_("Team"), team) : null,
      field(_("Period"), period),
      field(_("Group by"), group),
      status),
    output);
  await show();
}
