// The team's figures computed on this phone (issue 13, "figures computed where the keys are"):
// the supervisor's phone holds the team's records open, so it counts households and people,
// needs, referrals and consent itself; the server, which cannot read the records, cannot.
// Small numbers are withheld by the server's own rule (figures/suppression.js). Tables with
// charts beside them, CSV export with a data dictionary, and publishing a period: the only way
// these numbers leave the phone.
import { call } from "../api.js";
import * as oc from "../crypto/index.js";
import { columns, stackedBars } from "../figures/charts.js";
import { LEVELS, months, publishable } from "../figures/count.js";
import { dictionaryCsv, download, figuresCsv } from "../figures/csv.js";
import { figuresInput, teamFigures } from "../figures/index.js";
import { loadForms } from "../forms/definitions.js";
import { _, formatLocale } from "../i18n/index.js";
import { uuid7 } from "../records.js";
import { getSetting, putSetting } from "../store/db.js";
import { teamInfo } from "../teams.js";
import { withFreshToken } from "../tokens.js";
import { h, mount, today } from "../ui/dom.js";
import { backLink } from "../ui/nav.js";

const DEFAULT_K = 5;  // until the server has said what the organisation's k is

// The cell of `table` for `group` ({dim → value}) and `inner`: its count, null if withheld,
// 0 where the table has no such figure.
export function figureOf(table, group = {}, inner) {
  if (!table) return 0;
  const wanted = {};
  for (const [dim, value] of Object.entries(group)) {
    if (dim in table.constant) {
      if (table.constant[dim] !== value) return 0;
    } else wanted[dim] = value;
  }
  const names = Object.keys(wanted);
  const cell = table.cells.find((c) => (inner === undefined || c.inner === inner)
    && Object.keys(c.group).length === names.length
    && names.every((dim) => dim in c.group && c.group[dim] === wanted[dim]));
  return cell ? cell.count : 0;
}

const number = (value) => new Intl.NumberFormat(formatLocale()).format(value);

function td(value) {
  return value === null ? h("td", { className: "withheld", dataset: { withheld: "" } }, _("hidden"))
    : h("td", {}, number(value));
}

function table(caption, id, headers, rows) {
  return h("div", { className: "scroll", tabIndex: 0, role: "region", "aria-label": caption },
    h("table", { className: "figures", id },
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, headers.map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, rows.map(([label, values]) => h("tr", {},
        h("th", { scope: "row" }, label), values.map(td))))));
}

function section(id, title, ...content) {
  return h("section", { className: "card", id }, h("h2", {}, title), ...content);
}

async function labels(teamId) {
  const forms = await loadForms();
  const choices = (form, field) => Object.fromEntries((forms[form]?.fields ?? [])
    .find((f) => f.id === field)?.choices?.map((c) => [c.value, _(c.label)]) ?? []);
  const team = await teamInfo(teamId);
  return {
    area: Object.fromEntries((team.areas ?? []).map((a) => [a.code, a.name])),
    sex: choices("person", "sex"), age_band: choices("person", "age_band"),
    target: choices("household", "target_groups"), reason: choices("referral", "not_taken_up_reason"),
    domain: Object.fromEntries((forms.assessment?.domains ?? []).map((d) => [d.code, _(d.label)])),
  };
}

const named = (names, value) => (value === null ? _("Not recorded") : names?.[value] ?? value);

function results(doc, names) {
  const t = doc.tables;
  const households = (group) => figureOf(t.consent, group, "households");
  const areas = [...new Set((t.consent?.cells ?? []).map((c) => c.group.area).filter((a) => a !== undefined))];
  const reach = table(_("Households and people"), "reach-table",
    [_("Area"), _("Households"), _("People")],
    [...areas.map((area) => [named(names.area, area),
      [households({ area }), figureOf(t.people, { area })]]),
     [_("Total"), [households(), figureOf(t.people)]]]);
  const degrees = { cities: _("Cities"), towns_suburbs: _("Towns and suburbs"), rural: _("Rural areas") };
  const urbanisation = table(_("By degree of urbanisation"), "urbanisation-table",
    [_("Degree of urbanisation"), _("Households"), _("People")],
    [...Object.keys(degrees), null].map((degree) => [named(degrees, degree),
      [households({ urbanisation: degree }), figureOf(t.people, { urbanisation: degree })]]));
  const sexes = [...Object.keys(names.sex), null];
  const bands = [...Object.keys(names.age_band), null];
  const people = table(_("People by age group and sex"), "people-table",
    [_("Age group"), ...sexes.map((s) => named(names.sex, s)), _("Total")],
    [...bands.map((band) => [named(names.age_band, band),
      [...sexes.map((sex) => figureOf(t.people, { sex, age_band: band })),
       figureOf(t.people, { age_band: band })]]),
     [_("Total"), [...sexes.map((sex) => figureOf(t.people, { sex })), figureOf(t.people)]]]);
  const tags = Object.keys(names.target).filter((tag) => t[`households:${tag}`]);
  const targets = table(_("By situation"), "targets-table", [_("Situation"), _("Households"), _("People")],
    tags.map((tag) => [named(names.target, tag),
      [figureOf(t[`households:${tag}`]), figureOf(t[`people:${tag}`])]]));
  const monthly = months(doc.from, doc.to).map((m) => ({ label: m, value: figureOf(t.months, { month: m }) }));
  const domains = Object.keys(names.domain).filter((d) => t[`level:${d}`]);
  const levels = domains.map((d) => ({ label: named(names.domain, d),
    parts: LEVELS.map((level) => figureOf(t[`level:${d}`], {}, level)) }));
  const change = (d) => {
    const cell = t[`reassessed:${d}`]?.cells.find((c) => !Object.keys(c.group).length);
    return cell?.mean_change ?? null;
  };
  const reasons = (t.referral?.inner ?? []).filter((v) => typeof v === "string" && v.startsWith("not_taken_up:"));
  return [
    h("p", { className: "notice", id: "hidden-explained" },
      _("“hidden”: fewer than {k}, or held back so that a number under {k} cannot be worked out from the other figures. Nobody can be recognised in these tables.", { k: doc.k })),
    section("device-reach", _("Reach"), reach,
      h("h3", {}, _("Households reached per month")),
      h("figure", { id: "months-chart" }, columns(monthly, _("Households reached per month"))),
      table(_("Households reached per month"), "months-table", [_("Month"), _("Households")],
        monthly.map((p) => [p.label, [p.value]])),
      urbanisation, people, tags.length ? targets : null),
    section("device-needs", _("Needs"),
      h("p", { className: "help" }, _("Households by their latest score, from 1 (acute problem) to 5 (fully self-reliant). Change: how far their score moved since their first score in the period.")),
      domains.length ? [
        h("figure", { id: "needs-chart" }, stackedBars(levels, LEVELS.map(String), _("Needs"))),
        table(_("Latest score per domain"), "device-needs-table",
          [_("Domain"), ...LEVELS.map(String), _("Households"), _("Change")],
          domains.map((d, i) => [levels[i].label,
            [...levels[i].parts, figureOf(t[`level:${d}`], {}, "assessed"), change(d)]]))]
        : h("p", { className: "help" }, _("No assessment in this period."))),
    section("device-referrals", _("Referrals"),
      t.referral ? [
        table(_("Referrals made"), "device-referrals-table",
          [_("Referrals"), _("Made"), _("Waiting"), _("Taken up"), _("Not taken up")],
          [[_("Total"), ["made", "waiting", "taken_up", "not_taken_up"].map((s) => figureOf(t.referral, {}, s))]]),
        table(_("Why not taken up"), "device-reasons-table", [_("Reason"), _("Referrals")],
          reasons.map((inner) => {
            const reason = inner.slice("not_taken_up:".length) || null;
            return [named(names.reason, reason), [figureOf(t.referral, {}, inner)]];
          }))]
        : h("p", { className: "help" }, _("No referral made in this period."))),
    section("device-consent", _("Consent"),
      table(_("Latest consent"), "device-consent-table",
        [_("Households"), _("Given"), _("Refused"), _("Withdrawn"), _("Not recorded")],
        [[_("Total"), ["given", "refused", "withdrawn", "not_recorded"].map((s) => figureOf(t.consent, {}, s))]])),
  ];
}

function explain() {
  return {
    heading: { name: _("Name"), meaning: _("Meaning") },
    columns: {
      table: _("Which count: see the table= lines below"),
      area: _("Area code; “all”: every area added up; “not_recorded”: no area recorded"),
      urbanisation: _("Degree of urbanisation of the area (cities, towns_suburbs, rural)"),
      sex: _("Sex of the person (people tables only)"),
      age_band: _("Age group of the person (people tables only)"),
      service_type: _("Kind of service referred to (referral table only)"),
      month: _("Month YYYY-MM (months table only)"),
      category: _("Score level, consent status or referral stage; not_taken_up:<reason>"),
      count: _("The number; empty when withheld"),
      withheld: _("yes: withheld, fewer than k or held back so that such a number cannot be worked out"),
      mean_change: _("Mean change of the score since the first score in the period"),
    },
    table: (name) => {
      const [kind, detail] = name.split(":");
      const texts = {
        consent: _("Households reached (anything recorded in the period), by their latest consent; “households” is their sum"),
        people: _("Members of the households reached"),
        households: _("Households reached with this situation: {detail}", { detail }),
        months: _("Households reached in each month (a household counts in every month it was seen)"),
        level: _("Households by their latest score in domain {detail}", { detail }),
        reassessed: _("Households scored at least twice in domain {detail}", { detail }),
        referral: _("Referrals made in the period, by stage and reason not taken up"),
      };
      if (kind === "people" && detail) return _("Members of the households reached with this situation: {detail}", { detail });
      return texts[kind] ?? name;
    },
    k: (k) => _("Counts from 1 to {k} are withheld", { k: k - 1 }),
  };
}

async function publish(ctx, teamId, doc) {
  const record = await oc.signRecord({
    id: uuid7(), team_id: teamId, from: doc.from, to: doc.to, k: doc.k,
    created_at: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    device_id: ctx.session.deviceId, tables: publishable(doc.tables),
  }, ctx.session.signingKey.privateKey);
  return withFreshToken(ctx, (token) => call("/reports/published", { body: record, token }));
}

// The organisation's k, as the server last told this phone (GET /reports/indicators says it).
async function organisationK(ctx, teamId) {
  try {
    const day = today();
    const body = await withFreshToken(ctx, (token) => call(
      `/reports/indicators?${new URLSearchParams({ team: teamId, from: day, to: day })}`,
      { method: "GET", token }));
    await putSetting("report_k", body.k);
    return body.k;
  } catch {
    return (await getSetting("report_k")) ?? DEFAULT_K;
  }
}

export async function renderFigures(ctx) {
  const teams = ctx.session.teams ?? [];
  const team = h("select", { id: "figures-team" }, teams.map((slug) => new Option(slug, slug)));
  const now = today().slice(0, 7);
  const [year, month] = now.split("-").map(Number);
  const yearAgo = `${year - 1}-${String(month === 12 ? 1 : month + 1).padStart(2, "0")}`;
  const from = h("input", { id: "figures-from", type: "month", value: month === 12 ? `${year}-01` : yearAgo, required: true });
  const to = h("input", { id: "figures-to", type: "month", value: now, required: true });
  const status = h("p", { id: "figures-status", role: "status" });
  const output = h("div", { id: "figures-results", className: "figures-results" });
  const actions = h("div", { className: "actions", hidden: true });
  const field = (label, control) => h("div", { className: "field" }, h("label", { htmlFor: control.id }, label), control);
  let doc = null;
  const show = async () => {
    output.replaceChildren();
    if (!from.value || !to.value || from.value > to.value) {
      status.textContent = _("Choose a first month on or before the last.");
      actions.hidden = true;
      return;
    }
    status.textContent = _("Counting…");
    const k = await organisationK(ctx, team.value);
    const input = await figuresInput(ctx.book, team.value, from.value, to.value, k);
    doc = teamFigures(input);
    const names = await labels(team.value);
    output.replaceChildren(...results(doc, names).filter(Boolean));
    status.textContent = "";
    actions.hidden = false;
  };
  const base = () => `team-figures-${team.value}-${doc.from}-${doc.to}`;
  const published = h("p", { id: "figures-published", role: "status" });
  actions.append(
    h("button", { type: "button", id: "figures-csv", className: "secondary",
                  onclick: () => download(figuresCsv(doc), `${base()}.csv`) }, _("Export CSV")),
    h("button", { type: "button", id: "figures-dictionary", className: "secondary",
                  onclick: () => download(dictionaryCsv(doc, explain()), `${base()}-dictionary.csv`) },
      _("Data dictionary (CSV)")),
    h("button", { type: "button", id: "figures-publish", onclick: async (event) => {
      event.target.disabled = true;
      published.textContent = _("Publishing…");
      try {
        await publish(ctx, team.value, doc);
        published.textContent = _("Published: {from} to {to}. The organisation sees these figures, with the hidden ones still hidden.", { from: doc.from, to: doc.to });
      } catch (exc) {
        published.textContent = exc?.problem?.detail ?? exc?.problem?.title
          ?? _("Publishing needs a signal. Try again when you are online.");
      } finally {
        event.target.disabled = false;
      }
    } }, _("Publish these figures")),
    published);
  for (const control of [team, from, to]) control.addEventListener("change", show);
  mount(ctx.root, backLink("#/"),
    h("section", { className: "card" },
      h("h1", {}, _("Figures from the records")),
      h("p", { className: "help" }, _("Counted on this phone from the team's records, which only the team can read. Nothing leaves the phone unless you publish.")),
      teams.length > 1 ? field(_("Team"), team) : null,
      field(_("First month"), from), field(_("Last month"), to), status, actions),
    output);
  await show();
}
