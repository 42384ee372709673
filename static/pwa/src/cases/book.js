// What the case rules need from the case book (casebook.js), gathered per household: the
// rules themselves (followup.js, phases.js) work on plain records and know nothing of storage.
import { nextContact } from "./followup.js";

const byCreated = (a, b) => a.envelope.created_at.localeCompare(b.envelope.created_at);

// The case's phase record (one per household; each change a revision), or null.
export function phaseRecord(book, caseId) {
  return book.ofCase(caseId, "phase").sort(byCreated).at(-1) ?? null;
}

export function caseFacts(book, caseId, team = {}) {
  const [household] = book.ofCase(caseId, "household");
  return { caseId, name: household?.data.display_name ?? "", household,
           visits: book.ofCase(caseId, "visit"), plans: book.ofCase(caseId, "plan"),
           rights: book.ofCase(caseId, "right"), phase: phaseRecord(book, caseId), team };
}

export function nextContactOf(book, caseId, team = {}) {
  return nextContact(caseFacts(book, caseId, team));
}
