// One household once: before a household or a person is saved, the phone looks through the
// team's decrypted records for the same people written another way — folded for case and
// diacritics, Cyrillic in Latin, a letter or two apart — and offers them. It only offers: the
// worker decides, and two records of one household can still be merged later (cases/merge.js).
// Pure: plain data in and out.
import { nameKey } from "./fold.js";

// Words that name no one: "Familia Rostaș" and "Familia Lakatos" are not alike for sharing one.
const GENERIC = new Set(["familia", "family", "familie", "gezin", "csalad", "rodina", "semeistvo",
                         "semeistvoto", "simia", "aila", "the", "de", "van", "la"]);

// Edit distance with adjacent swaps (optimal string alignment): "Stefna" is one from "Stefan".
export function distance(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) d[0][j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

function similarWord(a, b) {
  if (a === b) return true;
  const longest = Math.max(a.length, b.length);
  const allowed = longest <= 4 ? 0 : longest <= 7 ? 1 : 2;
  return Math.abs(a.length - b.length) <= allowed && distance(a, b) <= allowed;
}

function words(name) {
  return nameKey(name).split(" ").filter((w) => w.length > 1 && !GENERIC.has(w));
}

// Whether two names could be one person's or one household's: every word of the shorter name
// is like a word of the other ("Stefan" and "Ștefan Bălan"; "Balan Stefan" and "Stefan Balan").
export function similarNames(a, b) {
  const [x, y] = [words(a), words(b)];
  if (!x.length || !y.length) return false;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  return short.every((w) => long.some((v) => similarWord(w, v)));
}

// `candidate`: { name, birthYear?, area? } — a household's name, or a person's.
// `households`: [{ caseId, name, people: [{ name, birthYear? }], areas: [code] }].
// Returns the likely matches, the strongest first, each with why: "name", "birth_year", "area".
// A person whose name is alike but whose known year of birth is more than a year apart is not
// offered, even where the household's name is alike: "Maria Lakatos" born 1950 is not the
// Maria Lakatos born 2010.
export function likelyMatches(candidate, households) {
  const matches = [];
  for (const household of households) {
    const byName = similarNames(candidate.name, household.name);
    const people = household.people.filter((p) => similarNames(candidate.name, p.name));
    const born = candidate.birthYear
      ? people.filter((p) => p.birthYear && Math.abs(p.birthYear - candidate.birthYear) <= 1) : [];
    const contradicted = candidate.birthYear && people.length
      && people.every((p) => p.birthYear && Math.abs(p.birthYear - candidate.birthYear) > 1);
    if ((!byName && !people.length) || contradicted) continue;
    const reasons = ["name"];
    if (born.length) reasons.push("birth_year");
    if (candidate.area && household.areas.includes(candidate.area)) reasons.push("area");
    matches.push({ caseId: household.caseId, name: household.name, reasons });
  }
  return matches.sort((a, b) => b.reasons.length - a.reasons.length || a.name.localeCompare(b.name));
}
