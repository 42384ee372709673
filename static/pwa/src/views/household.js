// A household: everything the team recorded for it, decrypted on the device, and the next step
// one tap away. Members, visits (with their review), scores over time, plan, notes, referrals.
import { phaseRecord } from "../cases/book.js";
import { currentPhase, phaseHistory } from "../cases/phases.js";
import { daysPending, LONG_PENDING_DAYS } from "../cases/lifecycle.js";
import { formVersion, loadForms, metaFor } from "../forms/definitions.js";
import { languageName, renderForm, rightName } from "../forms/render.js";
import { _, currentLocale, ngettext } from "../i18n/index.js";
import { go } from "../router.js";
import { autosave, dropDraft, loadDraft } from "../store/drafts.js";
import { teamInfo } from "../teams.js";
import { formatDate, guard, h, mount, today } from "../ui/dom.js";
import { backLink, paperNotice } from "../ui/nav.js";
import { mergePlans } from "./conflict.js";
import { likelyFor, matchNotice } from "./merge.js";
import { progressTable } from "./progress.js";
import { reviewsOf } from "./review.js";
import { rightsSection } from "./rights.js";

// A new household; from a paper form (views/paper-form.js): `paper` ({ serial, schema }) when the
// form is a household sheet, `then(caseId)` when the household comes first and the form after.
export async function renderNewHousehold(ctx, { paper = null, defaults = {}, then = null,
                                                draftName = "new-household", back = "#/" } = {}) {
  const forms = await loadForms();
  const definition = (paper?.schema && await formVersion(paper.schema)) || forms.household;
  const values = (await loadDraft(draftName)) ?? defaults;
  let confirmed = false;
  const form = renderForm(definition, {
    values,
    onSubmit: async (answers) => {
      const data = paper ? { ...answers, paper_serial: paper.serial } : answers;
      // One household once: the team's likely matches first; the worker decides.
      const matches = confirmed ? [] : likelyFor(ctx.book, { name: data.display_name });
      if (matches.length) {
        document.getElementById("likely-matches")?.remove();
        form.before(matchNotice(matches, () => {
          confirmed = matches.map((m) => m.caseId);
          form.requestSubmit();
        }));
        return false;
      }
      // Told apart by the worker: not offered again as duplicates of each other.
      if (Array.isArray(confirmed)) data.distinct_from = confirmed;
      const envelope = await ctx.save({ type: "household", plaintext: data, meta: metaFor(definition, data),
                                        schema: definition.schema });
      await dropDraft(draftName);
      // A new household is its own case: its case id (sealed in format 2) is its record id.
      if (then) then(envelope.record_id);
      else go(`/h/${envelope.record_id}`);
    },
  });
  autosave(form, draftName);
  mount(ctx.root, backLink(back), paperNotice(paper), form);
}

function section(title, id, ...children) {
  return h("section", { className: "card", id }, h("h2", {}, title), ...children);
}

// A list, or a plain line saying there is nothing yet (an empty box reads as "still loading").
function listOf(items, render) {
  return items.length ? h("ul", { className: "list" }, items.map(render)) : h("p", { className: "help" }, _("Nothing yet."));
}

function choiceLabel(form, fieldId, value) {
  const field = form.fields.find((f) => f.id === fieldId);
  const choice = field?.choices?.find((c) => c.value === value);
  return choice ? _(choice.label) : value ?? "";
}

// One plan for one household (DOMAIN.md): plans started on two phones become one, keeping
// every goal and action; the older records end with a tombstone revision that says where to.
async function mergeIntoOne(ctx, caseId, plans) {
  const target = plans.at(-1);
  const merged = mergePlans(plans.map((p) => p.data));
  await ctx.save({ type: "plan", caseId, teamId: target.teamId, recordId: target.id,
                   parents: target.heads.map((r) => r.envelope.id), plaintext: merged,
                   meta: {} });
  for (const older of plans.slice(0, -1)) {
    await ctx.save({ type: "plan", caseId, teamId: older.teamId, recordId: older.id,
                     parents: older.heads.map((r) => r.envelope.id),
                     plaintext: { deleted: true, merged_into: target.id }, meta: {} });
  }
  await renderHousehold(ctx, caseId);
}

// The latest assessment beyond its scores: barriers, the household's own view and words, the
// members who differ; and every assessment can be opened again to correct it (a new revision).
function assessmentDetails(book, form, assessments, base, locale) {
  if (!assessments.length) return null;
  const sorted = [...assessments].sort((a, b) =>
    (b.data.date ?? b.envelope.created_at).localeCompare(a.data.date ?? a.envelope.created_at));
  const latest = sorted[0].data;
  const label = (list, value) => _(list.find((x) => x.value === value)?.label ?? value);
  const domain = (code) => _(form.domains.find((d) => d.code === code)?.label ?? code);
  const members = new Map(book.ofCase(sorted[0].caseId, "person").map((m) => [m.id, m.data.name]));
  const barriers = Object.entries(latest.barriers ?? {});
  const empowerment = form.empowerment.filter((q) => latest.empowerment?.[q.id]);
  const memberScores = Object.entries(latest.member_scores ?? {});
  return h("div", { id: "assessment-latest" },
    h("h3", {}, _("Latest assessment: {date}", { date: formatDate(latest.date, locale) })),
    barriers.length ? [h("h4", {}, _("Barriers")), h("ul", { id: "latest-barriers" }, barriers.map(([code, types]) =>
      h("li", {}, `${domain(code)}: `, types.map((t) => label(form.barriers.types, t)).join(", "))))] : null,
    empowerment.length ? [h("h4", {}, _("Self-reported empowerment")), h("ul", { id: "latest-empowerment" },
      empowerment.map((q) => h("li", {}, `${_(q.label)} `, h("strong", {}, `${latest.empowerment[q.id]} / 5`))))] : null,
    memberScores.length ? [h("h4", {}, _("Scores for a household member, where they differ")),
      h("ul", {}, memberScores.map(([id, scores]) => h("li", {}, `${members.get(id) ?? "?"}: `,
        Object.entries(scores).map(([code, n]) => `${domain(code)} ${n}`).join(", "))))] : null,
    latest.comment ? [h("h4", {}, _("What the household said")), h("p", { className: "note-text" }, latest.comment)] : null,
    h("ul", { className: "list", id: "assessments" }, sorted.map((a) => h("li", {},
      h("a", { href: `${base}/assessment/${a.id}`, className: "open-assessment" },
        _("Open the assessment of {date}", { date: formatDate(a.data.date, locale) }))))));
}

// A long note folds to its beginning, so one note does not push the rest of the household
// screens away; a tap opens it whole.
const FOLD_AT = 280;

function noteText(text) {
  if (text.length <= FOLD_AT) return h("p", { className: "note-text" }, text);
  return h("details", { className: "long-note" },
    h("summary", {}, h("span", { className: "note-text" }, `${text.slice(0, 200).trimEnd()}…`), " ",
      h("span", { className: "more" }, _("Read all"))),
    h("p", { className: "note-text" }, text));
}

// The household's own view in the plan reviews — satisfaction and self-reported empowerment
// (confidence, coping) — as it changed over the plan's revisions.
function satisfactionOverTime(plan, forms, locale) {
  const revisions = [...(plan?.history ?? [])]
    .sort((a, b) => a.envelope.created_at.localeCompare(b.envelope.created_at));
  const line = (id, label, read) => {
    const points = [];
    for (const revision of revisions) {
      const level = revision.plaintext ? read(revision.plaintext) : null;
      if (level && points.at(-1)?.level !== level) points.push({ level, at: revision.envelope.created_at });
    }
    return points.length ? h("p", { id, className: "review-over-time" }, label, ": ",
      points.map((p) => `${p.level} / 5 (${formatDate(p.at.slice(0, 10), locale, "short")})`).join(" → ")) : null;
  };
  return [line("satisfaction-over-time", _("Satisfaction with the plan"), (d) => d.satisfaction),
    ...(forms.assessment?.empowerment ?? []).map((q) => line(`plan-empowerment-${q.id}`,
      [_("In the plan review"), " · ", _(q.label)], (d) => d.empowerment?.[q.id]))];
}

// The households merged into this one, each with its own record as it was, readable.
function mergedSection(book, caseId, locale) {
  const merged = book.casesOf(caseId).filter((id) => id !== caseId)
    .map((id) => book.ofOwnCase(id, "household")[0]).filter(Boolean);
  if (!merged.length) return null;
  return section(_("Merged into this household"), "merged", h("ul", {}, merged.map((m) => h("li", {
    dataset: { case: m.caseId } },
    h("strong", {}, m.data.display_name), " · ",
    _("merged on {date} by {name}", { date: formatDate(m.data.merged_on, locale), name: m.data.merged_by ?? "?" }),
    m.data.location ? h("p", { className: "note-text" }, m.data.location) : null))));
}

// How long a referral or a right has waited in its status; flagged when it is long.
function pendingBadge(kind, record) {
  const days = daysPending(kind, record.data, record.history.map((r) => r.envelope.created_at).sort()[0]?.slice(0, 10), today());
  if (days === null) return null;
  return h("span", { className: `badge pending${days > LONG_PENDING_DAYS ? " alert" : ""}`,
                     dataset: { days: String(days), long: days > LONG_PENDING_DAYS ? "true" : undefined } },
    ngettext("pending {count} day", "pending {count} days", days));
}

// Every status a right went through, with its date.
function statusDates(form, data, locale) {
  const steps = Object.entries(data.status_dates ?? {}).sort((a, b) => a[1].localeCompare(b[1]));
  if (steps.length < 2) return null;
  return h("p", { className: "sub status-dates" },
    steps.map(([status, date]) => `${choiceLabel(form, "status", status)} ${formatDate(date, locale, "short")}`).join(" → "));
}

// Street contacts from before the case, linked with the household's consent.
function contactsSection(book, caseId, locale) {
  const contacts = book.ofCase(caseId, "contact").sort((a, b) => (a.data.date ?? "").localeCompare(b.data.date ?? ""));
  if (!contacts.length) return null;
  return section(_("Street contacts before the case"), "linked-contacts", h("ul", {}, contacts.map((c) => h("li", {
    dataset: { record: c.id } },
    [formatDate(c.data.date, locale), c.data.time, c.data.place].filter(Boolean).join(" · "), " · ", c.data.description,
    c.data.linked_on ? h("span", { className: "sub" }, " · ", _("linked on {date}", { date: formatDate(c.data.linked_on, locale) })) : null))));
}

// Likely duplicates of this household in the team, offered for a merge (never done by itself).
function duplicatesNotice(book, household, caseId) {
  const people = book.ofCase(caseId, "person");
  const seen = new Map();
  for (const candidate of [{ name: household.data.display_name },
    ...people.map((p) => ({ name: p.data.name, birthYear: p.data.birth_year }))]) {
    for (const match of likelyFor(book, candidate, caseId)) if (!seen.has(match.caseId)) seen.set(match.caseId, match);
  }
  const apart = (id) => (household.data.distinct_from ?? []).includes(id)
    || (book.ofCase(id, "household")[0]?.data.distinct_from ?? []).includes(caseId);
  const offered = [...seen.values()].filter((m) => !apart(m.caseId));
  return offered.length ? matchNotice(offered, null, { mergeFrom: caseId }) : null;
}

// Where the case stands and how it got there: each change of phase is a revision made by a
// person (cases/phases.js), listed with its date and reason. Nothing changes it by itself.
function phaseSection(forms, record, base, locale) {
  const form = forms.phase;
  if (!form) return null;
  const phase = currentPhase(record);
  const steps = phaseHistory(record);
  return section(_("Case phase"), "phase",
    h("p", { id: "current-phase", dataset: { phase } }, h("strong", {}, choiceLabel(form, "phase", phase)),
      record?.data.date ? [" · ", _("since {date}", { date: formatDate(record.data.date, locale) })] : null,
      record?.data.closure_reason ? [" · ", choiceLabel(form, "closure_reason", record.data.closure_reason)] : null),
    steps.length ? h("ol", { id: "phase-history", className: "history" }, steps.map((step) => h("li", {
      dataset: { phase: step.phase } },
      formatDate(step.date, locale), " · ", choiceLabel(form, "phase", step.phase),
      step.reason ? [" · ", choiceLabel(form, "closure_reason", step.reason)] : null,
      step.note ? [" · ", step.note] : null,
      step.waiting ? [" · ", _("waiting")] : null))) : null,
    h("a", { href: record ? `${base}/edit/${record.id}` : `${base}/add/phase`, className: "button secondary",
             id: "change-phase" }, _("Change the phase")));
}

const byDate = (a, b) => (b.data.date ?? b.envelope.created_at).localeCompare(a.data.date ?? a.envelope.created_at);

export async function renderHousehold(ctx, caseId) {
  const { book } = ctx;
  // A household merged into another is shown as the one it is part of.
  if (book.survivorOf(caseId) !== caseId) return go(`/h/${book.survivorOf(caseId)}`);
  const forms = await loadForms();
  const [household] = book.ofCase(caseId, "household");
  if (!household) {
    mount(ctx.root, backLink("#/"), h("p", { className: "card" }, _("This household is not on this phone.")));
    return;
  }
  const locale = currentLocale();
  const members = book.ofCase(caseId, "person");
  const visits = book.ofCase(caseId, "visit").sort(byDate);
  const notes = book.ofCase(caseId, "note").sort(byDate);
  const referrals = book.ofCase(caseId, "referral");
  const consents = book.ofCase(caseId, "consent").sort(byDate);
  const plans = book.ofCase(caseId, "plan")
    .sort((a, b) => a.envelope.created_at.localeCompare(b.envelope.created_at));
  const plan = plans.at(-1);
  const conflicts = book.ofCase(caseId).filter((r) => r.conflict);
  const team = await teamInfo(household.teamId);
  const base = `#/h/${caseId}`;
  const reviews = reviewsOf(book);

  const actions = h("nav", { className: "actions", "aria-label": _("Record") },
    h("a", { href: `${base}/add/visit`, className: "button", id: "add-visit" }, _("Record a visit")),
    h("a", { href: `${base}/assessment`, className: "button", id: "add-assessment" }, _("Needs assessment")),
    h("a", { href: `${base}/add/note`, className: "button", id: "add-note" }, _("Case note")),
    h("a", { href: `${base}/plan`, className: "button", id: "edit-plan" }, _("Action plan")),
    h("a", { href: `${base}/add/person`, className: "button secondary", id: "add-person" }, _("Add a member")),
    h("a", { href: `${base}/add/referral`, className: "button secondary", id: "add-referral" }, _("Referral")),
    h("a", { href: `${base}/add/consent`, className: "button secondary", id: "add-consent" }, _("Consent")),
    h("a", { href: `${base}/add/right`, className: "button secondary", id: "add-right" }, _("Right or benefit")),
    h("a", { href: `${base}/paper`, className: "button secondary", id: "add-paper" }, _("Enter a paper form")),
    h("a", { href: `${base}/merge`, className: "button secondary", id: "merge-link" }, _("Merge with another record")));

  mount(ctx.root,
    backLink("#/", _("Households")),
    h("section", { className: "card" },
      h("h1", { id: "household-name" }, household.data.display_name),
      household.data.household_language ? h("p", { id: "household-language" },
        _("Language for printed plans and forms"), ": ", languageName(household.data.household_language),
        household.data.second_language ? ` → ${languageName(household.data.second_language)}` : "") : null,
      h("a", { href: `${base}/edit/${household.id}` }, _("Edit household"))),
    mergedSection(book, caseId, locale),
    duplicatesNotice(book, household, caseId),
    conflicts.length ? section(_("Conflicting edits"), "conflicts",
      h("p", {}, _("Two people changed the same record while offline. Both versions are kept; choose or merge them.")),
      h("ul", {}, conflicts.map((r) => h("li", {},
        h("a", { href: `${base}/resolve/${r.id}`, className: "resolve" },
          _("Resolve: {form}", { form: _(forms[r.type]?.title ?? r.type) })))))) : null,
    actions,
    phaseSection(forms, phaseRecord(book, caseId), base, locale),
    section(_("Members"), "members", listOf(members, (m) => h("li", {},
      h("a", { href: `${base}/edit/${m.id}` }, m.data.name),
      m.data.age_band ? ` · ${m.data.age_band}` : ""))),
    section(_("Action plan"), "plan",
      plans.length > 1 ? h("div", { className: "notice", id: "two-plans" },
        h("p", {}, _("Two plans were started for this household on different phones.")),
        plans.slice(0, -1).map((older) => h("ul", {}, (older.data.actions ?? []).map((a) => h("li", {}, a.description)))),
        h("button", { type: "button", id: "merge-plans", onclick: guard()(() => mergeIntoOne(ctx, caseId, plans)) },
          _("Make one plan of them"))) : null,
      plan ? [
        h("ul", {}, (plan.data.goals ?? []).map((goal) => h("li", {}, goal))),
        h("ol", { className: "plan-actions" }, (plan.data.actions ?? []).map((action) => h("li", {},
          action.description, action.due ? ` · ${formatDate(action.due, locale)}` : ""))),
        h("a", { href: `${base}/plan/print`, className: "button", id: "print-plan" }, _("Print the plan")),
      ] : h("p", {}, _("No plan yet."))),
    section(_("Visits"), "visits", listOf(visits, (visit) => {
      const review = reviews.get(visit.id);
      return h("li", { dataset: { record: visit.id } },
        h("a", { href: `${base}/edit/${visit.id}` }, formatDate(visit.data.date, locale), " · ",
          choiceLabel(forms.visit, "contact_type", visit.data.contact_type)),
        review ? h("span", { className: `badge review-${review.data.decision}` },
          choiceLabel(forms.review, "decision", review.data.decision)) : null,
        review?.data.comment ? h("p", { className: "review-comment" }, review.data.comment) : null);
    })),
    section(_("Needs over time"), "progress", progressTable(forms.assessment, book.ofCase(caseId, "assessment"), locale),
      satisfactionOverTime(plan, forms, locale),
      assessmentDetails(book, forms.assessment, book.ofCase(caseId, "assessment"), base, locale)),
    contactsSection(book, caseId, locale),
    section(_("Case notes"), "notes", listOf(notes, (note) => h("li", {},
      noteText(note.data.text ?? ""),
      h("span", { className: "sub" }, formatDate(note.data.date ?? note.envelope.created_at, locale))))),
    section(_("Referrals"), "referrals", listOf(referrals, (r) => h("li", { dataset: { record: r.id } },
      h("a", { href: `${base}/edit/${r.id}` },
        team.services?.find((s) => s.id === r.data.service)?.name ?? r.data.service, " · ",
        choiceLabel(forms.referral, "status", r.data.status)),
      pendingBadge("referral", r)))),
    forms.right ? section(_("Rights and benefits"), "rights", listOf(book.ofCase(caseId, "right"), (r) => h("li", {
      dataset: { record: r.id, status: r.data.status } },
      h("a", { href: `${base}/edit/${r.id}` }, rightName(team.rights?.find((x) => x.id === r.data.right)) || r.data.right,
        " · ", choiceLabel(forms.right, "status", r.data.status)),
      r.data.non_take_up_reason && r.data.status === "not_claimed"
        ? [" · ", choiceLabel(forms.right, "non_take_up_reason", r.data.non_take_up_reason)] : null,
      pendingBadge("right", r),
      statusDates(forms.right, r.data, locale)))) : null,
    section(_("Consent"), "consents", listOf(consents, (c) => h("li", {},
      formatDate(c.data.date, locale), " · ", choiceLabel(forms.consent, "status", c.data.status), " · ",
      choiceLabel(forms.consent, "method", c.data.method),
      c.data.paper_serial ? ` · ${c.data.paper_serial}` : ""))),
    rightsSection(ctx, caseId));
}
