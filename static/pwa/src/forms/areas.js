// Small areas roll up (docs/threat-model.md, "Clear meta, field by field"): in a settlement of
// a few houses the area code is the place itself, so a record names an area in the clear only
// when the team knows at least `area_min_households` households there (sub-areas included),
// else its nearest parent that does, else none. The same rule as `reported_area` in
// outreach/forms/meta.py.
import { teamInfo } from "../teams.js";

const DEFAULT_MINIMUM = 10;  // when the team's setting has not reached this phone yet
let known = new Map();  // team id → Map(area code → households last seen there)

export function reportedArea(area, households, parents, minimum) {
  const sizes = new Map();
  for (const [place, count] of households) {
    const seen = new Set();
    for (let node = place; node && !seen.has(node); node = parents.get(node)) {
      seen.add(node);
      sizes.set(node, (sizes.get(node) ?? 0) + count);
    }
  }
  const seen = new Set();
  let node = area;
  while (node && (sizes.get(node) ?? 0) < minimum && !seen.has(node)) {
    seen.add(node);
    node = parents.get(node) ?? null;
  }
  return node || null;
}

// Where each household of the case book was last seen: the area of its latest visit.
export function rememberHouseholds(book) {
  const next = new Map();
  for (const household of book.ofType("household")) {
    const visits = book.ofCase(household.caseId, "visit").filter((v) => v.data.area)
      .sort((a, b) => String(a.data.date ?? "").localeCompare(String(b.data.date ?? "")));
    const area = visits.at(-1)?.data.area ?? household.data.area;
    if (!area) continue;
    if (!next.has(household.teamId)) next.set(household.teamId, new Map());
    const counts = next.get(household.teamId);
    counts.set(area, (counts.get(area) ?? 0) + 1);
  }
  known = next;
}

export async function reportedAreaFor(session, teamId, area) {
  const team = await teamInfo(teamId);
  const parents = new Map((team.areas ?? []).map((a) => [a.code, a.parent ?? null]));
  return reportedArea(area, known.get(teamId) ?? new Map(), parents,
    team.area_min_households ?? DEFAULT_MINIMUM);
}
