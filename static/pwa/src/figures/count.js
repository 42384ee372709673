// The team's figures from the decrypted records (issue 13, "figures computed where the keys
// are"): reach in households and people (each counted once), by area, urbanisation, sex, age
// band and target group; needs per domain and their change over visits; referrals and why they
// were not taken up; consent. Pure: no DOM, no storage, so the same module runs in the app, in
// node for tests/reports/test_device_figures.py (figures equal to Python's from the same
// plaintexts) and in bench/reports.py.
//
// Input (`cases` from figures/index.js, or a test's JSON):
//   { from, to: "YYYY-MM", k, areas: { code → urbanisation }, values: { sex, age_band,
//     service_type: [...] }, scores: [domain…], reasons: [...], targets: [...],
//     cases: [{ area, household, people, assessments, referrals, consents }] }
// where each record is { data (plaintext), date ("YYYY-MM-DD" or "YYYY-MM"), at (exact time) }.
import { Grouping, Table } from "./tables.js";
import { ALL, KeyMap } from "./suppression.js";

export const DIMENSIONS = ["area", "urbanisation", "sex", "age_band", "service_type"];
export const URBANISATION = ["cities", "towns_suburbs", "rural"];
export const LEVELS = [1, 2, 3, 4, 5];
// Where a referral stands once it was made (referral@1 status → reported stage).
const STAGES = { made: "waiting", attended: "taken_up", outcome_recorded: "taken_up",
                 not_taken_up: "not_taken_up" };
export const CONSENT = ["given", "refused", "withdrawn", "not_recorded"];
export const WHY = "not_taken_up:";  // + the reason, "" when none was recorded

const month = (record) => String(record.date ?? "").slice(0, 7);
const order = (a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1
  : String(a.at ?? "") < String(b.at ?? "") ? -1 : String(a.at ?? "") > String(b.at ?? "") ? 1 : 0);
const latest = (records) => [...records].sort(order).at(-1);

// Every month from `start` to `end` (YYYY-MM), both included.
export function months(start, end) {
  const found = [];
  let [year, m] = start.split("-").map(Number);
  for (let i = 0; i < 1200; i += 1) {
    const text = `${String(year).padStart(4, "0")}-${String(m).padStart(2, "0")}`;
    if (text > end) break;
    found.push(text);
    [year, m] = m === 12 ? [year + 1, 1] : [year, m + 1];
  }
  return found;
}

// The mean of `total` over `n`, to two decimals, as Python's reference rounds it.
export const mean = (total, n) => Math.floor((total * 100) / n + 0.5) / 100;

class Counts {
  constructor(grouping, input) {
    this.grouping = grouping;
    this.start = input.from;
    this.end = input.to;
    this.tables = new Map();
    this.change = new Map();  // domain → KeyMap(group → sum of changes)
    this.monthly = new Grouping(["month"], {}, { month: [...months(input.from, input.to), null] });
  }

  table(name, inner = [], sums = {}, grouping = this.grouping) {
    if (!this.tables.has(name)) this.tables.set(name, new Table(grouping, inner, sums));
    return this.tables.get(name);
  }

  inPeriod(record) {
    const m = month(record);
    return m.length === 7 && this.start <= m && m <= this.end;
  }

  addCase(c, input) {
    const { area } = c;
    const key = (data) => this.grouping.key(data, area);
    const heads = [c.household, ...c.people, ...c.assessments, ...c.referrals, ...c.consents,
      ...(c.visits ?? [])].filter(Boolean);
    // Reached: anything recorded for the household in the period. Households are the sum of
    // the consent statuses: one table, so both are suppressed together.
    if (heads.some((r) => this.inPeriod(r))) {
      const group = key({});
      const consents = c.consents.filter((r) => month(r) && month(r) <= this.end);
      const status = consents.length ? latest(consents).data?.status : null;
      this.table("consent", [...CONSENT, "households"], { households: CONSENT })
        .add([...group, CONSENT.includes(status) ? status : "not_recorded"]);
      for (const person of c.people) this.table("people").add(key(person.data));
      // Reach over months: a household counts once in every month it was seen in (its own
      // family: the months add up to household-months, not to households).
      const seen = new Set(heads.filter((r) => this.inPeriod(r)).map(month));
      for (const m of [...seen].sort()) this.table("months", [], {}, this.monthly).add([m]);
      const tags = c.household?.data?.target_groups;
      for (const tag of Array.isArray(tags) ? [...new Set(tags)] : []) {
        if (!input.targets.includes(tag)) continue;
        this.table(`households:${tag}`).add(group);
        for (const person of c.people) this.table(`people:${tag}`).add(key(person.data));
      }
    }
    this.addNeeds(c, key, input.scores);
    const why = [...input.reasons.map((reason) => WHY + reason), WHY];
    for (const referral of c.referrals.filter((r) => this.inPeriod(r))) {
      let stage = STAGES[referral.data?.status] ?? null;
      if (stage === null) continue;  // suggested or agreed: not made yet
      if (stage === "not_taken_up") {
        const reason = referral.data.not_taken_up_reason;
        stage = WHY + (input.reasons.includes(reason) ? reason : "");
      }
      this.table("referral", ["waiting", "taken_up", ...why, "not_taken_up", "made"],
        { not_taken_up: why, made: ["waiting", "taken_up", "not_taken_up"] })
        .add([...key(referral.data), stage]);
    }
  }

  // Per domain: the household's latest score in the period, and how far it moved since its
  // first score in the period.
  addNeeds(c, key, domains) {
    const scored = new Map();
    for (const assessment of c.assessments.filter((r) => this.inPeriod(r)).sort(order)) {
      for (const [domain, score] of Object.entries(assessment.data?.scores ?? {})) {
        if (!Number.isInteger(score) || !domains.includes(domain)) continue;
        if (!scored.has(domain)) scored.set(domain, []);
        scored.get(domain).push([assessment, score]);
      }
    }
    for (const [domain, scores] of scored) {
      const [[, first], [last, score]] = [scores[0], scores.at(-1)];
      const group = key(last.data);
      this.table(`level:${domain}`, [...LEVELS, "assessed"], { assessed: LEVELS }).add([...group, score]);
      if (scores.length > 1) {
        this.table(`reassessed:${domain}`).add(group);
        if (!this.change.has(domain)) this.change.set(domain, new KeyMap());
        this.change.get(domain).add(group, score - first);
      }
    }
  }
}

function grouping(input) {
  const domains = {
    area: [...Object.keys(input.areas).sort(), null],
    urbanisation: [...URBANISATION, null],
  };
  for (const dim of ["sex", "age_band", "service_type"]) domains[dim] = [...input.values[dim], null];
  return new Grouping(DIMENSIONS, input.areas, domains);
}

// Tables the server also counts from the clear meta (outreach/reports/published.py,
// SERVER_COUNTED): shown on this phone, never published, because the server's own counts are
// public and could give away a figure withheld here to protect another.
export const SERVER_COUNTED = ["referral"];

export function publishable(tables) {
  return Object.fromEntries(Object.entries(tables)
    .filter(([name]) => !SERVER_COUNTED.includes(name.split(":")[0])));
}

// The figures document: what the screen shows, the CSV holds and a supervisor publishes.
// Tables by name, each with its dimensions and every figure shown (count) or withheld (null).
export function teamFigures(input) {
  const counts = new Counts(grouping(input), input);
  for (const c of input.cases) counts.addCase(c, input);
  const tables = {};
  for (const name of [...counts.tables.keys()].sort()) {
    const table = counts.tables.get(name);
    table.settle(input.k);
    const cells = table.published();
    const [kind, domain] = name.split(":");
    if (kind === "reassessed") {
      const totals = table.aggregate(counts.change.get(domain) ?? new KeyMap());
      for (const cell of cells) {
        cell.mean_change = cell.count === null ? null
          : mean(totals.get(keyOf(table, cell)) ?? 0, cell.count);
      }
    }
    tables[name] = { dims: table.varying, constant: table.constant, inner: table.inner,
                     sums: table.sums, cells };
  }
  return { from: input.from, to: input.to, k: input.k, tables };
}

function keyOf(table, cell) {
  return table.varying.map((dim) => (dim in cell.group ? cell.group[dim] : ALL));
}
