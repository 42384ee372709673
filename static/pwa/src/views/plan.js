// The action plan, made with the household: their goals in their words, actions with who and
// by when, the next visit. Printed in the household's language, which is not the worker's.
import { formVersion, loadForms, metaFor } from "../forms/definitions.js";
import { languageName } from "../forms/render.js";
import { _, currentLocale } from "../i18n/index.js";
import { householdTranslator } from "../print/localize.js";
import { easyReadSheet } from "../print/easy-read.js";
import { planSheet } from "../print/plan.js";
import { go } from "../router.js";
import { autosave, dropDraft, loadDraft } from "../store/drafts.js";
import { teamInfo } from "../teams.js";
import { checkFields, dateInput, dateValue } from "../ui/date-input.js";
import { h, mount, onSubmitOnce } from "../ui/dom.js";
import { historyOf } from "./history.js";
import { backLink, paperNotice } from "../ui/nav.js";

export function newestPlan(book, caseId) {
  return book.ofCase(caseId, "plan")
    .sort((a, b) => a.envelope.created_at.localeCompare(b.envelope.created_at)).at(-1);
}

function options(field) {
  return field.choices.map((c) => [c.value, _(c.label)]);
}

function actionRow(itemFields, index, action = {}) {
  const owner = h("select", { id: `owner-${index}`, "aria-label": _("Who does it") },
    options(itemFields.owner).map(([value, label]) => new Option(label, value)));
  owner.value = action.owner ?? "client";
  const status = h("select", { id: `status-${index}`, "aria-label": _("Status") },
    options(itemFields.status).map(([value, label]) => new Option(label, value)));
  status.value = action.status ?? "open";
  return h("fieldset", { className: "action", dataset: { index } },
    h("legend", {}, _("Action {number}", { number: index + 1 })),
    h("label", { htmlFor: `action-${index}` }, _("What will be done")),
    h("input", { id: `action-${index}`, value: action.description ?? "", maxLength: 500 }),
    h("label", { htmlFor: `owner-${index}` }, _("Who does it")), owner,
    h("label", { htmlFor: `due-${index}` }, _("By when")),
    dateInput({ id: `due-${index}`, value: action.due ?? "" }),
    h("label", { htmlFor: `status-${index}` }, _("Status")), status,
    h("label", { htmlFor: `outcome-${index}` }, _("Outcome")),
    h("input", { id: `outcome-${index}`, value: action.outcome ?? "", maxLength: 500 }));
}

export function readActions(form) {
  return [...form.querySelectorAll("fieldset.action")].map((row) => {
    const i = row.dataset.index;
    const value = (name) => form.querySelector(`#${name}-${i}`).value.trim();
    const action = { description: value("action"), owner: value("owner"), status: value("status") };
    const due = dateValue(form.querySelector(`#due-${i}`));
    if (due) action.due = due;
    if (value("outcome")) action.outcome = value("outcome");
    return action;
  }).filter((action) => action.description);
}

// `paper` ({ serial, schema }): entering a numbered paper plan (views/paper-form.js); it becomes the
// next version of the household's one plan, carrying the serial.
export async function renderPlanForm(ctx, caseId, paper = null) {
  const forms = await loadForms();
  const definition = (paper?.schema && await formVersion(paper.schema)) || forms.plan;
  const [household] = ctx.book.ofCase(caseId, "household");
  if (!household) return go("/");
  const existing = newestPlan(ctx.book, caseId);
  const draftName = paper ? `${caseId}/paper-${paper.serial}` : `${caseId}/plan`;
  const values = (await loadDraft(draftName)) ?? existing?.data ?? { status: "agreed", actions: [] };
  const field = (id) => definition.fields.find((f) => f.id === id);
  const itemFields = Object.fromEntries(field("actions").item_fields.map((f) => [f.id, f]));
  const actions = h("div", { id: "actions" });
  const addRow = (action) => actions.append(actionRow(itemFields, actions.children.length, action));
  for (const action of values.actions ?? []) addRow(action);
  while (actions.children.length < Math.max(3, (values.actions ?? []).length + 1)) addRow();
  const status = h("select", { id: "f-status" },
    options(field("status")).map(([value, label]) => new Option(label, value)));
  status.value = values.status ?? "agreed";
  // The household's own view of the plan (DOMAIN.md, evaluation): kept with every revision,
  // whether entered on screen or from the paper follow-up.
  const satisfactionField = field("satisfaction");
  const satisfaction = satisfactionField ? h("select", { id: "f-satisfaction" }, new Option("—", ""),
    [1, 2, 3, 4, 5].map((n) => new Option(String(n), String(n)))) : null;
  if (satisfaction) satisfaction.value = values.satisfaction ? String(values.satisfaction) : "";
  // Self-reported empowerment in the plan review too (DOMAIN.md, evaluation): the assessment's
  // own questions (confidence, coping), so the answers line up with those over time.
  const questions = forms.assessment?.empowerment ?? [];
  const empowerment = questions.map((q) => {
    const select = h("select", { id: `f-empowerment-${q.id}`, dataset: { question: q.id } }, new Option("—", ""),
      [1, 2, 3, 4, 5].map((n) => new Option(String(n), String(n))));
    select.value = values.empowerment?.[q.id] ? String(values.empowerment[q.id]) : "";
    return select;
  });
  // One household language: the household's own, changed on the household, used everywhere.
  const householdLanguage = household.data.household_language ?? currentLocale();
  const form = h("form", { className: "card", id: "form-plan", noValidate: true },
    h("h1", {}, _(definition.title)),
    h("p", { className: "help" }, _(definition.description)),
    h("label", { htmlFor: "f-goals" }, _("Our goals, in our own words")),
    h("p", { className: "help" }, _("One per line.")),
    h("textarea", { id: "f-goals", rows: 3, required: true, value: (values.goals ?? []).join("\n") }),
    h("h2", {}, _("Actions")), actions,
    h("button", { type: "button", id: "add-action", className: "secondary", onclick: () => addRow() },
      _("Add an action")),
    h("label", { htmlFor: "f-next_visit" }, _("Next visit")),
    dateInput({ id: "f-next_visit", value: values.next_visit ?? "" }),
    h("label", { htmlFor: "f-status" }, _("Plan status")), status,
    satisfaction ? [h("label", { htmlFor: "f-satisfaction" }, _(satisfactionField.label)), satisfaction] : null,
    empowerment.map((select, i) => [h("label", { htmlFor: select.id }, `${_(questions[i].label)} (1-5)`), select]),
    h("p", { id: "plan-language" }, _("Language for printed plans and forms"), ": ",
      languageName(householdLanguage),
      household.data.second_language ? ` → ${languageName(household.data.second_language)}` : "",
      " · ", h("a", { href: `#/h/${caseId}/edit/${household.id}` }, _("Edit household"))),
    h("button", { type: "submit", className: "primary" }, paper ? _("Save") : _("Save and print")));
  form.read = () => {
    const data = {
      goals: form.querySelector("#f-goals").value.split("\n").map((g) => g.trim()).filter(Boolean),
      actions: readActions(form), status: status.value,
      worker: existing?.data.worker ?? ctx.session.username,
      // What the household reads: a name, never a login id.
      worker_name: existing?.data.worker_name ?? ctx.session.displayName ?? undefined,
    };
    const next = dateValue(form.querySelector("#f-next_visit"));
    if (next) data.next_visit = next;
    if (satisfaction?.value) data.satisfaction = Number(satisfaction.value);
    const answers = Object.fromEntries(empowerment.filter((s) => s.value)
      .map((s) => [s.dataset.question, Number(s.value)]));
    if (Object.keys(answers).length) data.empowerment = answers;
    if (paper) data.paper_serial = paper.serial;
    return data;
  };
  onSubmitOnce(form, async () => {
    if (!checkFields(form)) return false;  // the app's own messages, not the browser's
    const data = form.read();
    await ctx.save({ type: "plan", caseId, teamId: household.teamId, plaintext: data,
                     meta: metaFor(definition, data),
                     recordId: existing?.id, parents: existing ? existing.heads.map((r) => r.envelope.id) : [],
                     schema: paper ? definition.schema : undefined });
    await dropDraft(draftName);
    go(paper ? `/h/${caseId}` : `/h/${caseId}/plan/print`);
  });
  autosave(form, draftName);
  mount(ctx.root, backLink(`#/h/${caseId}`, household.data.display_name), paperNotice(paper), form,
        historyOf(existing, (plan) => h("ul", {}, (plan.actions ?? []).map((a) => h("li", {}, a.description)))));
}

// The print view: the household's language, plain words, large type, one page where possible;
// printing or "Save as PDF" works offline, from the plan decrypted on this phone.
// `layout`: "standard", or "easy" for the easy-read plan (short sentences, large type).
export async function renderPlanPrint(ctx, caseId, layout = "standard") {
  const [household] = ctx.book.ofCase(caseId, "household");
  const plan = newestPlan(ctx.book, caseId);
  if (!household || !plan) return go(`/h/${caseId}`);
  const team = await teamInfo(household.teamId);
  const services = ctx.book.ofCase(caseId, "referral")
    .filter((r) => !["not_taken_up"].includes(r.data.status))
    .map((r) => team.services?.find((s) => s.id === r.data.service)).filter(Boolean);
  // Rights being followed up (not those the household chose not to claim), once each.
  const rightIds = new Set(ctx.book.ofCase(caseId, "right").filter((r) => r.data.status !== "not_claimed")
    .map((r) => r.data.right));
  const rights = (team.rights ?? []).filter((r) => rightIds.has(r.id));
  const forms = await loadForms();
  const ownerField = forms.plan.fields.find((f) => f.id === "actions").item_fields.find((f) => f.id === "owner");
  const ownerLabel = (value) => ownerField.choices.find((c) => c.value === value)?.label ?? "Other";
  // An older plan may name its own print language; the household's one language wins.
  const t = await householdTranslator(household, plan.data.household_language ?? currentLocale());
  const member = team.members?.find((m) => m.username === plan.data.worker);
  // Where the household is: the area of their latest visit.
  const visit = ctx.book.ofCase(caseId, "visit").filter((v) => v.data.area)
    .sort((a, b) => (a.data.date ?? "").localeCompare(b.data.date ?? "")).at(-1);
  const area = team.areas?.find((a) => a.code === visit?.data.area);
  const parts = { household, plan, services, rights, area, ownerLabel, team, domains: forms.assessment?.domains,
                  workerName: plan.data.worker_name ?? member?.display_name };
  const sheet = layout === "easy" ? easyReadSheet(t, parts) : planSheet(t, parts);
  mount(ctx.root,
    h("nav", { className: "no-print actions" },
      h("button", { type: "button", id: "print", onclick: () => window.print() }, _("Print")),
      layout === "easy"
        ? h("a", { href: `#/h/${caseId}/plan/print`, className: "button secondary", id: "standard-layout" }, _("Standard layout"))
        : h("a", { href: `#/h/${caseId}/plan/easy`, className: "button secondary", id: "easy-read" }, _("Easy-read plan")),
      h("a", { href: `#/h/${caseId}`, className: "button secondary", id: "close-print" }, _("Close"))),
    sheet);
}
