// New records and edits for the forms that need no special screen: household, member, visit,
// case note, referral, consent. An edit is a new revision whose parents are the current heads.
// `paper` ({ serial, schema }) enters a numbered paper form: that form version, the serial kept
// in the record (and so in meta, with source "paper"); an edit of it stays a paper record.
import { formVersion, loadForms, metaFor } from "../forms/definitions.js";
import { renderForm } from "../forms/render.js";
import { _, chainFor, currentLocale, translatorFor } from "../i18n/index.js";
import { householdTranslator } from "../print/localize.js";
import { go } from "../router.js";
import { autosave, dropDraft, loadDraft } from "../store/drafts.js";
import { teamInfo } from "../teams.js";
import { h, mount, today } from "../ui/dom.js";
import { historyOf } from "./history.js";
import { reviewRequest } from "./review.js";
import { backLink, paperNotice } from "./household.js";

const TYPES = new Set(["household", "person", "visit", "note", "referral", "consent"]);

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
  const defaults = { date: today(), status: kind === "consent" ? "given" : undefined,
                     method: kind === "consent" ? (paper ? "paper" : "on_screen") : undefined };
  const serial = paper?.serial ?? existing?.data?.paper_serial;
  const values = (await loadDraft(draftName)) ?? existing?.data ?? defaults;
  const members = book.ofCase(caseId, "person").map((m) => ({ id: m.id, name: m.data.name }));
  const form = renderForm(definition, {
    values,
    context: { areas: team.areas, services: team.services, members },
    skip: paper ? ["paper_serial"] : [],
    onSubmit: async (answers) => {
      const data = serial && !answers.paper_serial ? { ...answers, paper_serial: serial } : answers;
      await ctx.save({
        type: kind, caseId, teamId: household.teamId, plaintext: data, meta: metaFor(definition, data),
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

// On-screen consent: the words the household agrees to, shown on the phone they look at. They
// are in the translated catalogue, so they can be shown in the household's language.
const SCOPE_TEXT = (t) => ({
  data_processing: t._("Data processing: the team writes down what you tell us, your situation and the plan we make together, for as long as we work with you. It is kept encrypted; only our team can read it."),
  sharing_with_referrals: t._("Sharing with services we refer to: when you agree to a referral, we tell that service only what it needs to know to help you."),
  photos: t._("Photos: we take a photo only when you agree to that photo."),
});

// household, worker: translators along the household's and the worker's chains.
function consentStatement(form, household, worker) {
  const method = form.querySelector("#f-method");
  const boxes = [...form.querySelectorAll("input[name=scope]")];
  const lists = [];
  const column = (t, id) => {
    const texts = SCOPE_TEXT(t);
    const items = h("ul", {}, boxes.map((box) => h("li", { dataset: { scope: box.value } }, texts[box.value] ?? "")));
    lists.push(items);
    return h("div", { className: "consent-words", id, lang: t.locale, dir: t.dir },
      h("h2", {}, t._("What you agree to")),
      h("p", {}, t._("We are an outreach team. We visit you to help you find your way to the support you are entitled to.")),
      items,
      h("p", {}, t._("You can say no to any of these, and you can withdraw your consent at any time. Then we record nothing more, and you can ask us to erase what we have.")));
  };
  const two = household.locale !== worker.locale;
  const card = h("section", { className: `card consent-panel${two ? " two-languages" : ""}`, id: "consent-text" },
    column(household, "consent-household"), two ? column(worker, "consent-worker") : null);
  const follow = () => {
    card.hidden = method && method.value !== "on_screen";
    const ticked = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    for (const items of lists) {
      for (const item of items.children) item.classList.toggle("chosen", ticked.has(item.dataset.scope));
    }
  };
  form.addEventListener("change", follow);
  follow();
  return card;
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
