// New records and edits for the forms that need no special screen: household, member, visit,
// case note, referral, consent. An edit is a new revision whose parents are the current heads.
// `paper` ({ serial, schema }) enters a numbered paper form: that form version, the serial kept
// in the record (and so in meta, with source "paper"); an edit of it stays a paper record.
import { rightToSave, withStatusDates } from "../cases/lifecycle.js";
import { formVersion, loadForms, metaFor } from "../forms/definitions.js";
import { renderForm } from "../forms/render.js";
import { _, chainFor, currentLocale, translatorFor } from "../i18n/index.js";
import { consentStatement } from "../print/consent.js";
import { householdTranslator } from "../print/localize.js";
import { go } from "../router.js";
import { autosave, dropDraft, loadDraft } from "../store/drafts.js";
import { teamInfo } from "../teams.js";
import { h, mount, today } from "../ui/dom.js";
import { historyOf } from "./history.js";
import { likelyFor, matchNotice } from "./merge.js";
import { reviewRequest } from "./review.js";
import { backLink, paperNotice } from "../ui/nav.js";

const TYPES = new Set(["household", "person", "visit", "note", "referral", "consent", "phase", "right"]);

export async function renderRecordForm(ctx, caseId, type, recordId = null, paper = null) {
  const { book } = ctx;
  const existing = recordId ? book.current(recordId) : null;
  const kind = existing?.type ?? type;
  const [household] = book.ofCase(caseId, "household");
  if (!TYPES.has(kind) || !household) {
    go(`/h/${caseId}`);
    return;
  }
  const forms = await loadForms();
  const definition = (paper?.schema && await formVersion(paper.schema)) || forms[kind];
  const team = await teamInfo(household.teamId);
  const draftName = paper ? `${caseId}/paper-${paper.serial}` : `${caseId}/${recordId ?? `new-${kind}`}`;
  const defaults = { date: today(), status: kind === "consent" ? "given" : kind === "right" ? "eligible" : undefined,
                     method: kind === "consent" ? (paper ? "paper" : "on_screen") : undefined };
  // A change of phase is a decision of its own: one entered from paper carries that sheet's
  // number, a later one made in the app none (not the number of the sheet before it).
  const serial = paper?.serial ?? (kind === "phase" ? null : existing?.data?.paper_serial);
  // A change of phase starts from where the case stands, dated today, with a new reason.
  const current = kind === "phase" && existing
    ? { ...existing.data, date: today(), note: undefined, paper_serial: undefined } : existing?.data;
  const values = (await loadDraft(draftName)) ?? current ?? defaults;
  const members = book.ofCase(caseId, "person").map((m) => ({ id: m.id, name: m.data.name }));
  let confirmed = false;
  const form = renderForm(definition, {
    values,
    context: { areas: team.areas, services: team.services, rights: team.rights, members },
    skip: paper ? ["paper_serial"] : [],
    onSubmit: async (answers) => {
      const data = serial && !answers.paper_serial ? { ...answers, paper_serial: serial } : answers;
      // A new member who may already be in another household of the team: offered first.
      const matches = kind === "person" && !existing && !confirmed
        ? likelyFor(book, { name: data.name, birthYear: data.birth_year }, caseId) : [];
      if (matches.length) {
        document.getElementById("likely-matches")?.remove();
        form.before(matchNotice(matches, () => {
          confirmed = true;
          form.requestSubmit();
        }));
        return false;
      }
      // Referrals and rights keep the date of every status (cases/lifecycle.js).
      const saved = kind === "right" ? rightToSave(existing?.data, data, today())
        : kind === "referral" ? withStatusDates(existing?.data, data, today()) : data;
      await ctx.save({
        type: kind, caseId, teamId: household.teamId, plaintext: saved, meta: metaFor(definition, saved),
        recordId: existing?.id, parents: existing ? existing.heads.map((r) => r.envelope.id) : [],
        schema: definition.schema,
      });
      await dropDraft(draftName);
      go(`/h/${caseId}`);
    },
  });
  autosave(form, draftName);
  const service = kind === "referral" ? serviceDetails(team, form) : null;
  const request = kind === "visit" && existing ? reviewRequest(book, existing) : null;
  if (request) form.querySelector("h1").after(request);
  // Consent given on screen: the household reads what they agree to in their language, the
  // worker's language beside it when the two differ.
  const consentText = kind === "consent" ? consentStatement(form,
    await householdTranslator(household, currentLocale()), await translatorFor(chainFor(currentLocale()))) : null;
  mount(ctx.root, backLink(`#/h/${caseId}`, household.data.display_name), paperNotice(paper), consentText, form,
        service, historyOf(existing));
}


// The referral's service, with how to reach it: what the worker tells the household. The kind
// of service (reported in the clear) follows the service chosen; on an existing referral it
// stays as recorded until another service is chosen.
function serviceDetails(team, form) {
  const box = h("p", { className: "card help", id: "service-details", "aria-live": "polite" });
  const select = form.querySelector("#f-service");
  const kind = form.querySelector("#f-service_type");
  const chosen = () => team.services?.find((s) => s.id === select?.value);
  const show = () => {
    const service = chosen();
    box.textContent = service ? [service.name, service.phone, service.address, service.hours]
      .filter(Boolean).join(" · ") : "";
  };
  select?.addEventListener("change", () => {
    show();
    if (kind) kind.value = chosen()?.service_type ?? "";
  });
  if (kind && !kind.value) kind.value = chosen()?.service_type ?? "";
  show();
  return box;
}
