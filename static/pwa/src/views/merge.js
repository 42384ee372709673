// One household once, on screen: the likely matches offered before a household or a person is
// saved, and the merge of two records of one household (cases/match.js, cases/merge.js).
import { foldedIncludes } from "../cases/fold.js";
import { likelyMatches } from "../cases/match.js";
import { _ } from "../i18n/index.js";
import { go } from "../router.js";
import { guard, h, mount, today } from "../ui/dom.js";
import { backLink } from "../ui/nav.js";

// Every surviving household of the team as the match check sees it: its name, its people
// (name, year of birth) and the areas it was visited in.
export function matchCandidates(book, exceptCaseId = null) {
  return book.ofType("household").filter((r) => r.caseId !== exceptCaseId).map((r) => ({
    caseId: r.caseId, name: r.data.display_name,
    people: book.ofCase(r.caseId, "person").map((p) => ({ name: p.data.name, birthYear: p.data.birth_year })),
    areas: [...new Set(book.ofCase(r.caseId, "visit").map((v) => v.data.area).filter(Boolean))],
  }));
}

function reasonText(reason) {
  return { name: _("similar name"), birth_year: _("same year of birth"), area: _("same area") }[reason] ?? reason;
}

// A notice listing the matches, each openable; `onDifferent` saves anyway. Returns the element.
export function matchNotice(matches, onDifferent, { mergeFrom = null } = {}) {
  return h("section", { className: "card notice", id: "likely-matches", role: "alert" },
    h("h2", {}, _("This may be a household the team already knows")),
    h("ul", { className: "list" }, matches.map((m) => h("li", { dataset: { case: m.caseId } },
      h("a", { href: `#/h/${m.caseId}`, className: "row" }, h("span", { className: "name" }, m.name),
        h("span", { className: "sub" }, m.reasons.map(reasonText).join(" · "))),
      mergeFrom ? h("a", { href: `#/h/${mergeFrom}/merge/${m.caseId}`, className: "button secondary merge-offer" },
        _("Merge")) : null))),
    onDifferent ? h("button", { type: "button", id: "save-anyway", className: "secondary", onclick: onDifferent },
      _("It is another household: save it")) : null);
}

export function likelyFor(book, candidate, exceptCaseId = null) {
  return likelyMatches(candidate, matchCandidates(book, exceptCaseId));
}

// Merging `otherId` into `caseId`: this household stays; the other gets a revision that points
// here and keeps all it said. Offered with both names and what comes along, confirmed once.
export async function renderMerge(ctx, caseId, otherId = null) {
  const { book } = ctx;
  if (!otherId) return chooseOther(ctx, caseId);
  const [household] = book.ofOwnCase(caseId, "household");
  const [other] = book.ofOwnCase(otherId, "household");
  if (!household || !other || book.survivorOf(otherId) === book.survivorOf(caseId)) return go(`/h/${caseId}`);
  const count = (id) => book.ofOwnCase(id).filter((r) => r.type !== "household").length;
  const merge = guard()(async () => {
    await ctx.save({ type: "household", caseId: otherId, teamId: other.teamId, recordId: other.id,
                     parents: other.heads.map((r) => r.envelope.id),
                     plaintext: { ...other.data, merged_into: caseId, merged_on: today(),
                                  merged_by: ctx.session.username },
                     meta: {}, schema: other.envelope.schema });
    go(`/h/${caseId}`);
  });
  mount(ctx.root, backLink(`#/h/${caseId}`, household.data.display_name),
    h("section", { className: "card", id: "merge" },
      h("h1", {}, _("Merge two records of one household")),
      h("p", {}, _("{kept} stays. {merged} becomes part of it: its {count} records show here, and its own history stays readable.",
                   { kept: household.data.display_name, merged: other.data.display_name, count: count(otherId) })),
      h("button", { type: "button", id: "confirm-merge", className: "primary", onclick: merge },
        _("Merge into {name}", { name: household.data.display_name }))));
}

// Which household to merge into this one: the likely matches first, then every other, found by
// a search that folds names like the home screen's.
function chooseOther(ctx, caseId) {
  const { book } = ctx;
  const [household] = book.ofCase(caseId, "household");
  if (!household) return go("/");
  const likely = new Map(likelyFor(book, { name: household.data.display_name }, caseId).map((m) => [m.caseId, m]));
  const others = book.ofType("household").filter((r) => r.caseId !== caseId)
    .sort((a, b) => Number(likely.has(b.caseId)) - Number(likely.has(a.caseId))
      || a.data.display_name.localeCompare(b.data.display_name));
  const search = h("input", { id: "merge-search", type: "search", "aria-label": _("Find a household") });
  const list = h("ul", { className: "list", id: "merge-candidates" });
  const fill = () => list.replaceChildren(...others
    .filter((r) => !search.value.trim() || foldedIncludes(r.data.display_name, search.value))
    .map((r) => h("li", { dataset: { case: r.caseId, likely: likely.has(r.caseId) ? "true" : undefined } },
      h("a", { href: `#/h/${caseId}/merge/${r.caseId}`, className: "row" },
        h("span", { className: "name" }, r.data.display_name),
        likely.has(r.caseId) ? h("span", { className: "badge" }, _("likely the same")) : null))));
  search.addEventListener("input", fill);
  fill();
  mount(ctx.root, backLink(`#/h/${caseId}`, household.data.display_name),
    h("section", { className: "card" },
      h("h1", {}, _("Merge two records of one household")),
      h("p", { className: "help" }, _("Choose the other record of this household. This one stays; the other becomes part of it.")),
      search, list));
}
