// Supervisor review: the team's newly synced visits, decrypted on the supervisor's phone with
// the team key. A decision (approve, comment, ask for changes) is an encrypted record too.
import { loadForms, metaFor } from "../forms/definitions.js";
import { _, currentLocale } from "../i18n/index.js";
import { go } from "../router.js";
import { formatDate, h, mount } from "../ui/dom.js";
import { backLink } from "./household.js";
import { progressTable } from "./progress.js";

// visit record id → its latest review
export function reviewsOf(book) {
  const latest = new Map();
  for (const review of book.ofType("review")) {
    const seen = latest.get(review.data.visit_id);
    if (!seen || seen.envelope.created_at < review.envelope.created_at) latest.set(review.data.visit_id, review);
  }
  return latest;
}

// created_at has whole seconds; within one second the UUIDv7 ids (milliseconds) tell.
function later(a, b) {
  return a.envelope.created_at > b.envelope.created_at
    || (a.envelope.created_at === b.envelope.created_at && a.envelope.id > b.envelope.id);
}

// Visits never reviewed, or changed since the supervisor asked for changes.
export function reviewQueue(book) {
  const reviews = reviewsOf(book);
  return book.ofType("visit").filter((visit) => {
    const review = reviews.get(visit.id);
    return !review || (review.data.decision === "changes_requested" && later(visit, review));
  }).sort((a, b) => (b.data.date ?? "").localeCompare(a.data.date ?? ""));
}

function nameOf(book, caseId) {
  return book.ofCase(caseId, "household")[0]?.data.display_name ?? _("Unknown household");
}

export function renderReviewQueue(ctx) {
  const queue = reviewQueue(ctx.book);
  const locale = currentLocale();
  mount(ctx.root, backLink("#/"),
    h("section", { className: "card" },
      h("h1", {}, _("Visits to review")),
      queue.length ? h("ul", { id: "review-queue", className: "list" }, queue.map((visit) => h("li", {},
        h("a", { href: `#/review/${visit.id}`, className: "row" },
          h("span", { className: "name" }, nameOf(ctx.book, visit.caseId)),
          h("span", { className: "sub" }, formatDate(visit.data.date, locale), " · ", visit.data.area ?? "")))))
        : h("p", { id: "review-empty" }, _("Nothing to review.")),
      h("a", { href: "#/paper/missing", id: "paper-missing-link" }, _("Paper forms not entered"))));
}

function detail(label, value) {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)
    ? null : [h("dt", {}, label), h("dd", {}, Array.isArray(value) ? value.join(", ") : String(value))];
}

export async function renderReview(ctx, recordId) {
  const { book } = ctx;
  const visit = book.current(recordId);
  if (!visit) return go("/review");
  const forms = await loadForms();
  const locale = currentLocale();
  const choice = (form, id, value) => {
    const labels = forms[form].fields.find((f) => f.id === id)?.choices ?? [];
    const label = (v) => { const c = labels.find((x) => x.value === v); return c ? _(c.label) : v; };
    return Array.isArray(value) ? value.map(label) : label(value);
  };
  const members = new Map(book.ofCase(visit.caseId, "person").map((m) => [m.id, m.data.name]));
  const notes = book.ofCase(visit.caseId, "note")
    .filter((n) => n.data.visit_id === visit.id || n.envelope.meta?.date === visit.data.date);
  const assessments = book.ofCase(visit.caseId, "assessment");
  const previous = reviewsOf(book).get(visit.id);
  const comment = h("textarea", { id: "review-comment", rows: 3 });
  const decide = (decision) => async () => {
    const data = { visit_id: visit.id, decision };
    if (comment.value.trim()) data.comment = comment.value.trim();
    await ctx.save({ type: "review", caseId: visit.caseId, teamId: visit.teamId, plaintext: data,
                     meta: metaFor(forms.review, data) });
    go("/review");
  };
  mount(ctx.root, backLink("#/review", _("Visits to review")),
    h("article", { className: "card", id: "review-visit" },
      h("h1", {}, nameOf(book, visit.caseId)),
      h("dl", {},
        detail(_("Date of the visit"), formatDate(visit.data.date, locale)),
        detail(_("Area"), visit.data.area),
        detail(_("Type of contact"), choice("visit", "contact_type", visit.data.contact_type)),
        detail(_("Who was present"), (visit.data.present ?? []).map((id) => members.get(id) ?? "?")),
        detail(_("Signals"), choice("visit", "signals", visit.data.signals ?? [])),
        detail(_("Next contact"), formatDate(visit.data.next_contact, locale))),
      previous ? h("p", { className: "notice" }, _("Earlier review: {decision}",
        { decision: choice("review", "decision", previous.data.decision) })) : null),
    h("section", { className: "card" }, h("h2", {}, _("Case notes")),
      notes.length ? notes.map((n) => h("p", { className: "note-text" }, n.data.text)) : h("p", {}, "–")),
    h("section", { className: "card" }, h("h2", {}, _("Needs over time")),
      progressTable(forms.assessment, assessments, locale)),
    h("section", { className: "card" },
      h("label", { htmlFor: "review-comment" }, _("Comment")), comment,
      h("div", { className: "actions" },
        h("button", { type: "button", id: "approve", onclick: decide("approved") }, _("Approve")),
        h("button", { type: "button", id: "comment", className: "secondary", onclick: decide("comment") },
          _("Comment")),
        h("button", { type: "button", id: "request-changes", className: "secondary",
                      onclick: decide("changes_requested") }, _("Ask for changes")))));
}
