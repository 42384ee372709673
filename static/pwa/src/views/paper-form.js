// A paper form entered (PROTOCOL §4), after its number was read (views/paper-entry.js): which
// household it is for (or a new one), then the same form version the paper was printed from.
// The record carries the serial (meta.paper_serial, source "paper").
import { phaseRecord } from "../cases/book.js";
import { _, currentLocale } from "../i18n/index.js";
import { checkSerial } from "../paper/check.js";
import { go } from "../router.js";
import { h, mount } from "../ui/dom.js";
import { renderAssessment } from "./assessment.js";
import { renderContactForm } from "./contact.js";
import { renderNewHousehold } from "./household.js";
import { renderPlanForm } from "./plan.js";
import { renderRecordForm } from "./record-form.js";
import { backLink } from "../ui/nav.js";

// A serial already entered: the household that holds it, one tap away.
export function enteredLink(result) {
  return result.enteredIn
    ? h("a", { href: `#/h/${result.enteredIn}`, id: "paper-entered-link" }, _("Open that household"))
    : null;
}

function refusal(ctx, result, back) {
  mount(ctx.root, backLink(back),
    h("section", { className: "card" },
      h("h1", {}, _("Enter a paper form")),
      h("p", { className: "error", id: "paper-message", role: "alert" }, result.error),
      enteredLink(result)));
}

// #/paper/<serial>: which household the form is for (a household sheet starts a new one).
export async function renderPaperHousehold(ctx, serial) {
  const result = await checkSerial(ctx, serial);
  if (result.error) return refusal(ctx, result, "#/paper");
  const paper = { serial: result.serial, schema: result.definition.schema };
  if (result.form === "household") {
    return renderNewHousehold(ctx, {
      paper, draftName: `paper-${result.serial}`, back: "#/paper",
      defaults: result.language ? { household_language: result.language } : {},
    });
  }
  // A street contact is written before there is a household: no household to pick.
  if (result.form === "contact") return renderContactForm(ctx, null, paper);
  const households = ctx.book.ofType("household")
    .sort((a, b) => a.data.display_name.localeCompare(b.data.display_name, currentLocale()));
  const search = h("input", { id: "paper-search", type: "search", "aria-label": _("Find a household"),
                              placeholder: _("Find a household") });
  const list = h("ul", { id: "paper-households", className: "list" });
  const fill = () => {
    const needle = search.value.trim().toLocaleLowerCase();
    list.replaceChildren(...households
      .filter((r) => !needle || r.data.display_name.toLocaleLowerCase().includes(needle))
      .map((r) => h("li", {}, h("a", { href: `#/paper/${result.serial}/h/${r.caseId}`, className: "row" },
        h("span", { className: "name" }, r.data.display_name)))));
  };
  search.addEventListener("input", fill);
  fill();
  mount(ctx.root, backLink("#/paper"),
    h("section", { className: "card" },
      h("h1", {}, _("Which household is this form for?")),
      h("p", { id: "paper-form", dataset: { form: result.form } },
        _("Paper form {serial}: {form}", { serial: result.serial, form: _(result.definition.title) })),
      search, list,
      h("a", { href: `#/paper/${result.serial}/new`, className: "button secondary", id: "paper-new-household" },
        _("A new household"))));
}

// #/paper/<serial>/new: the household first, then the form.
export async function renderPaperNewHousehold(ctx, serial) {
  const result = await checkSerial(ctx, serial);
  if (result.error) return refusal(ctx, result, "#/paper");
  return renderNewHousehold(ctx, {
    draftName: `paper-${result.serial}-household`, back: `#/paper/${result.serial}`,
    defaults: result.language ? { household_language: result.language } : {},
    then: (caseId) => go(`/paper/${result.serial}/h/${caseId}`),
  });
}

// #/paper/<serial>/h/<case>: the form itself, in the version the paper was printed from.
export async function renderPaperForm(ctx, serial, caseId) {
  const result = await checkSerial(ctx, serial);
  if (result.error) return refusal(ctx, result, `#/h/${caseId}`);
  const paper = { serial: result.serial, schema: result.definition.schema };
  if (result.form === "household" || result.form === "contact") return go(`/paper/${result.serial}`);
  if (result.form === "assessment") return renderAssessment(ctx, caseId, paper);
  if (result.form === "plan") return renderPlanForm(ctx, caseId, paper);
  // A change of phase is a new revision of the case's one phase record (cases/phases.js).
  if (result.form === "phase") return renderRecordForm(ctx, caseId, "phase", phaseRecord(ctx.book, caseId)?.id ?? null, paper);
  return renderRecordForm(ctx, caseId, result.form, null, paper);
}
