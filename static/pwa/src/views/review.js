// Supervisor review: the team's newly synced visits, decrypted on the supervisor's phone with
// the team key. A decision (approve, comment, ask for changes) is an encrypted record too.
import { loadForms, metaFor } from "../forms/definitions.js";
import { _, currentLocale } from "../i18n/index.js";
import { go } from "../router.js";
import { authorName, teamInfo } from "../teams.js";
import { formatDate, guard, h, mount } from "../ui/dom.js";
import { progressTable } from "./progress.js";
import { backLink } from "../ui/nav.js";

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

// Visits a supervisor sent back and nobody has changed since, with the request: the worker
// who recorded them sees them on the home screen (a supervisor sees every one of the team).
export function changesRequested(book, session) {
  const reviews = reviewsOf(book);
  return book.ofType("visit").map((visit) => ({ visit, review: reviews.get(visit.id) }))
    .filter(({ visit, review }) => review?.data.decision === "changes_requested" && !later(visit, review)
      && (session.role === "supervisor" || !visit.envelope.author_id || visit.envelope.author_id === session.userId))
    .sort((a, b) => b.review.envelope.created_at.localeCompare(a.review.envelope.created_at));
}

// The supervisor's words on a visit's latest review, where there are any (the edit form).
export function reviewRequest(book, visit) {
  const review = reviewsOf(book).get(visit.id);
  if (!review) return null;
  const open = review.data.decision === "changes_requested" && !later(visit, review);
  if (!open && !review.data.comment) return null;
  return h("div", { className: open ? "notice alert" : "notice", id: "review-request", role: open ? "alert" : null },
    h("strong", {}, open ? _("Your supervisor asked for changes") : _("Your supervisor's comment")),
    review.data.comment ? h("p", { className: "note-text" }, review.data.comment) : null);
}

function nameOf(book, caseId) {
  return book.ofCase(caseId, "household")[0]?.data.display_name ?? _("Unknown household");
}

// A visit's row, told apart from the family's other visits and from other families of the same
// name: the date, the kind of contact, who recorded it, and who in the household was met.
export function visitSummary(book, visit, forms, team, session) {
  const contact = forms.visit.fields.find((f) => f.id === "contact_type")?.choices
    ?.find((c) => c.value === visit.data.contact_type);
  const members = new Map(book.ofCase(visit.caseId, "person").map((m) => [m.id, m.data.name]));
  const present = (visit.data.present ?? []).map((id) => members.get(id)).filter(Boolean);
  return [formatDate(visit.data.date, currentLocale()), contact ? _(contact.label) : null, visit.data.area,
          _("recorded by {name}", { name: authorName(team, visit.envelope, session) }),
          present.length ? present.join(", ") : null].filter(Boolean).join(" · ");
}

export async function renderReviewQueue(ctx) {
  const queue = reviewQueue(ctx.book);
  const forms = await loadForms();
  const teams = new Map();
  for (const visit of queue) if (!teams.has(visit.teamId)) teams.set(visit.teamId, await teamInfo(visit.teamId));
  mount(ctx.root, backLink("#/"),
    h("section", { className: "card" },
      h("h1", {}, _("Visits to review")),
      queue.length ? h("ul", { id: "review-queue", className: "list" }, queue.map((visit) => h("li", {},
        h("a", { href: `#/review/${visit.id}`, className: "row" },
          h("span", { className: "name" }, nameOf(ctx.book, visit.caseId)),
          h("span", { className: "sub" }, visitSummary(ctx.book, visit, forms, teams.get(visit.teamId), ctx.session))))))
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
  const team = await teamInfo(visit.teamId);
  const comment = h("textarea", { id: "review-comment", rows: 3 });
  const refusal = h("p", { id: "review-error", className: "error", role: "alert" });
  const once = guard();
  const decide = (decision) => once(async () => {
    const data = { visit_id: visit.id, decision };
    if (comment.value.trim()) data.comment = comment.value.trim();
    // The worker has to know what to change: a request without a word is not sent.
    if (decision === "changes_requested" && !data.comment) {
      refusal.textContent = _("Say what should be changed: the worker sees your comment with the visit.");
      comment.setAttribute("aria-invalid", "true");
      comment.setAttribute("aria-describedby", "review-error");
      comment.focus();
      return false;
    }
    await ctx.save({ type: "review", caseId: visit.caseId, teamId: visit.teamId, plaintext: data,
                     meta: metaFor(forms.review, data) });
    go("/review");
    return true;
  });
  mount(ctx.root, backLink("#/review", _("Visits to review")),
    h("article", { className: "card", id: "review-visit" },
      h("h1", {}, nameOf(book, visit.caseId)),
      h("dl", {},
        detail(_("Recorded by"), authorName(team, visit.envelope, ctx.session)),
        detail(_("Date of the visit"), formatDate(visit.data.date, locale)),
        detail(_("Area"), visit.data.area),
        detail(_("Type of contact"), choice("visit", "contact_type", visit.data.contact_type)),
        detail(_("Who was present"), (visit.data.present ?? []).map((id) => members.get(id) ?? "?")),
        detail(_("Signals"), choice("visit", "signals", visit.data.signals ?? [])),
        detail(_("Next contact"), formatDate(visit.data.next_contact, locale))),
      previous ? h("p", { className: "notice" }, _("Earlier review: {decision}",
        { decision: choice("review", "decision", previous.data.decision) }),
        previous.data.comment ? [h("br"), previous.data.comment] : null) : null),
    h("section", { className: "card" }, h("h2", {}, _("Case notes")),
      notes.length ? notes.map((n) => h("p", { className: "note-text" }, n.data.text)) : h("p", {}, "–")),
    h("section", { className: "card" }, h("h2", {}, _("Needs over time")),
      progressTable(forms.assessment, assessments, locale)),
    h("section", { className: "card" },
      h("label", { htmlFor: "review-comment" }, _("Comment")), comment, refusal,
      h("div", { className: "actions" },
        h("button", { type: "button", id: "approve", onclick: decide("approved") }, _("Approve")),
        h("button", { type: "button", id: "comment", className: "secondary", onclick: decide("comment") },
          _("Comment")),
        h("button", { type: "button", id: "request-changes", className: "secondary",
                      onclick: decide("changes_requested") }, _("Ask for changes")))));
}
