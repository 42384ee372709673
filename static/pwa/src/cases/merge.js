// Two records of one household, merged: one survives, the other gets a revision that points to
// it (`merged_into`) and keeps everything it said, so both histories stay readable and every
// record of either case shows on the surviving household. Figures count a household once by
// counting survivors only. Pure: plain data in and out.

// `households`: [{ caseId, data }] — every household record of the team, merged ones too.
// Returns Map(caseId → surviving caseId). Two phones that merged the same pair in opposite
// directions while offline make a loop; every phone breaks it the same way (the smallest
// case id of the loop survives), so nobody's records disappear and all agree.
export function survivors(households) {
  const into = new Map(households.filter((h) => h.data?.merged_into).map((h) => [h.caseId, h.data.merged_into]));
  const result = new Map();
  for (const { caseId } of households) {
    const path = [caseId];
    let id = caseId;
    while (into.has(id)) {
      id = into.get(id);
      const loop = path.indexOf(id);
      if (loop >= 0) {
        id = path.slice(loop).sort()[0];
        break;
      }
      path.push(id);
    }
    result.set(caseId, id);
  }
  return result;
}

// The surviving household of a record (or of a case id): the one to count and to show. For
// figures computed on the phone (merged households and linked street contacts count once).
// `book`: the Casebook; `recordOrCase`: a record from it ({ caseId }) or a case id.
export function survivingCase(book, recordOrCase) {
  const caseId = typeof recordOrCase === "string" ? recordOrCase : recordOrCase?.caseId;
  return book.survivorOf(caseId);
}
