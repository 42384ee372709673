// Street contacts before a case (DOMAIN.md, low threshold): no name, a description, a place
// and a time. Later, with the person's consent, a contact is linked to a new or an existing
// household: a consent record is written in the household's case and the contact gets a
// revision that points to it, so it shows in the case history and counts once (cases/merge.js).
import { foldedIncludes } from "../cases/fold.js";
import { formVersion, loadForms, metaFor } from "../forms/definitions.js";
import { renderForm } from "../forms/render.js";
import { _, currentLocale } from "../i18n/index.js";
import { go } from "../router.js";
import { autosave, dropDraft, loadDraft } from "../store/drafts.js";
import { teamInfo } from "../teams.js";
import { formatDate, guard, h, mount, today } from "../ui/dom.js";
import { historyOf } from "./history.js";
import { renderNewHousehold } from "./household.js";
import { backLink, paperNotice } from "../ui/nav.js";

// The contacts not linked to any household yet, newest first.
export function openContacts(book) {
  return book.ofType("contact").filter((c) => !c.data.linked_case)
    .sort((a, b) => (b.data.date ?? "").localeCompare(a.data.date ?? ""));
}

export function contactLine(contact, locale) {
  return [formatDate(contact.data.date, locale), contact.data.time, contact.data.place].filter(Boolean).join(" · ");
}

// `paper` ({ serial, schema }): a numbered street-contact sheet typed in later (views/paper-form.js):
// that form version, dated as written on the sheet, the serial kept (meta.paper_serial).
export async function renderContactForm(ctx, recordId = null, paper = null) {
  const forms = await loadForms();
  const definition = (paper?.schema && await formVersion(paper.schema)) || forms.contact;
  const existing = recordId ? ctx.book.current(recordId) : null;
  const team = await teamInfo(existing?.teamId ?? ctx.session.teams[0]);
  const draftName = paper ? `contact/paper-${paper.serial}` : `contact/${recordId ?? "new"}`;
  const serial = paper?.serial ?? existing?.data.paper_serial;
  const values = (await loadDraft(draftName)) ?? existing?.data
    ?? (paper ? { date: today() } : { date: today(), time: new Date().toTimeString().slice(0, 5) });
  const form = renderForm(definition, {
    values, context: { areas: team.areas },
    onSubmit: async (answers) => {
      // An edit keeps the link, if there is one (the form does not show it), and the sheet's number.
      const data = { ...answers, ...(existing?.data.linked_case ? {
        linked_case: existing.data.linked_case, linked_on: existing.data.linked_on,
        consent_id: existing.data.consent_id } : {}), ...(serial ? { paper_serial: serial } : {}) };
      const saved = await ctx.save({ type: "contact", caseId: existing?.caseId, teamId: existing?.teamId, plaintext: data,
                                     meta: metaFor(definition, data), recordId: existing?.id, schema: definition.schema,
                                     parents: existing ? existing.heads.map((r) => r.envelope.id) : [] });
      await dropDraft(draftName);
      go(existing ? `/contact/${existing.id}` : paper ? `/contact/${saved.record_id}` : "/");
    },
  });
  autosave(form, draftName);
  mount(ctx.root, backLink(existing ? `#/contact/${existing.id}` : paper ? "#/paper" : "#/"), paperNotice(paper), form,
        historyOf(existing));
}

// Linking needs the person's consent, recorded at that moment: how it was given.
async function link(ctx, contact, caseId, method) {
  const household = ctx.book.ofCase(caseId, "household")[0];
  const form = (await loadForms()).consent;
  const given = { method, status: "given", scope: ["data_processing"], date: today(), linked_contact: contact.id };
  const consent = await ctx.save({ type: "consent", caseId, teamId: household.teamId, plaintext: given,
                                   meta: metaFor(form, given), schema: form.schema });
  await ctx.save({ type: "contact", caseId: contact.caseId, teamId: contact.teamId, recordId: contact.id,
                   parents: contact.heads.map((r) => r.envelope.id),
                   plaintext: { ...contact.data, linked_case: caseId, linked_on: today(), consent_id: consent.record_id },
                   meta: {} });
  go(`/h/${caseId}`);
}

export async function renderContact(ctx, recordId) {
  const { book } = ctx;
  const contact = book.current(recordId);
  if (!contact || contact.type !== "contact") return go("/");
  const locale = currentLocale();
  if (contact.data.linked_case) return go(`/h/${book.survivorOf(contact.caseId)}`);
  const forms = await loadForms();
  const methods = forms.consent.fields.find((f) => f.id === "method").choices
    .filter((c) => c.value !== "paper");
  const agreed = h("input", { type: "checkbox", id: "contact-consent" });
  const method = h("select", { id: "contact-consent-method" }, methods.map((c) => new Option(_(c.label), c.value)));
  const message = h("p", { className: "error", id: "contact-consent-error", role: "alert", hidden: true },
    _("Ask the person first, and tick that they agree."));
  const withConsent = (action) => guard()(async () => {
    if (!agreed.checked) {
      message.hidden = false;
      agreed.focus();
      return false;
    }
    return action();
  });
  const search = h("input", { id: "link-search", type: "search", "aria-label": _("Find a household") });
  const households = book.ofType("household")
    .sort((a, b) => a.data.display_name.localeCompare(b.data.display_name, locale));
  const list = h("ul", { className: "list", id: "link-candidates" });
  const fill = () => list.replaceChildren(...households
    .filter((r) => !search.value.trim() || foldedIncludes(r.data.display_name, search.value))
    .map((r) => h("li", { dataset: { case: r.caseId } }, h("button", { type: "button", className: "secondary link-to",
      onclick: withConsent(() => link(ctx, contact, r.caseId, method.value)) }, r.data.display_name))));
  search.addEventListener("input", fill);
  fill();
  const newHousehold = withConsent(() => renderNewHousehold(ctx, {
    defaults: { location: contact.data.place, anonymous: false }, draftName: `contact/${contact.id}/household`,
    back: `#/contact/${contact.id}`,
    then: (caseId) => link(ctx, contact, caseId, method.value) }));
  mount(ctx.root, backLink("#/"),
    h("section", { className: "card", id: "contact" },
      h("h1", {}, _("Street contact")),
      h("p", { className: "note-text", id: "contact-description" }, contact.data.description),
      h("p", { className: "sub" }, contactLine(contact, locale)),
      contact.data.note ? h("p", { className: "note-text" }, contact.data.note) : null,
      h("a", { href: `#/contact/${contact.id}/edit` }, _("Edit"))),
    h("section", { className: "card", id: "link" },
      h("h2", {}, _("Link to a household")),
      h("p", { className: "help" }, _("When the person is ready to become a case: with their consent, this contact becomes part of their household's history.")),
      h("label", { className: "check" }, agreed, h("span", {}, _("The person agrees to be recorded as part of the household"))),
      h("label", { htmlFor: "contact-consent-method" }, _("How consent was given")), method,
      message,
      h("button", { type: "button", id: "link-new-household", onclick: newHousehold }, _("A new household")),
      h("h3", {}, _("Or a household the team knows")), search, list),
    historyOf(contact));
}
