// The team's figures from the case book this phone holds open (casebook.js): each household's
// records, read as the phone reads them (the clear meta overlaid with the plaintext), handed to
// the pure counting module. Nothing leaves the phone unless the supervisor publishes.
import { loadForms } from "../forms/definitions.js";
import { teamInfo } from "../teams.js";
import { teamFigures } from "./count.js";

export { teamFigures };

// A street contact linked to the household (cases/merge.js) is a contact like a visit.
const PLURAL = { person: "people", visit: "visits", contact: "visits", assessment: "assessments",
                 referral: "referrals", consent: "consents" };

function entry(record) {
  const data = { ...(record.envelope.meta ?? {}), ...(record.data ?? {}) };
  const date = typeof data.date === "string" ? data.date : String(record.envelope.created_at ?? "").slice(0, 10);
  return { data, date, at: record.envelope.created_at ?? "" };
}

// Where the household lives: the area of its latest visit, else its own record's.
function areaOf(c) {
  const visits = c.visits.filter((v) => v.data.area).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return visits.at(-1)?.data.area ?? c.household?.data.area ?? null;
}

export function casesOf(book, teamId) {
  const cases = [];
  for (const household of book.ofType("household").filter((r) => r.teamId === teamId)) {
    const c = { household: entry(household), people: [], visits: [], assessments: [],
                referrals: [], consents: [] };
    for (const record of book.ofCase(household.caseId)) {
      if (PLURAL[record.type]) c[PLURAL[record.type]].push(entry(record));
    }
    c.area = areaOf(c);
    cases.push(c);
  }
  return cases;
}

const choices = (forms, form, field) => (forms[form]?.fields ?? [])
  .find((f) => f.id === field)?.choices?.map((c) => c.value) ?? [];

// The module's input for one team and period (months, YYYY-MM), with what the forms define.
export async function figuresInput(book, teamId, from, to, k) {
  const forms = await loadForms();
  const team = await teamInfo(teamId);
  return {
    from, to, k,
    areas: Object.fromEntries((team.areas ?? []).map((a) => [a.code, a.urbanisation ?? null])),
    values: { sex: choices(forms, "person", "sex"), age_band: choices(forms, "person", "age_band"),
              service_type: choices(forms, "referral", "service_type") },
    scores: (forms.assessment?.domains ?? []).map((d) => d.code),
    reasons: choices(forms, "referral", "not_taken_up_reason"),
    targets: choices(forms, "household", "target_groups"),
    cases: casesOf(book, teamId),
  };
}
