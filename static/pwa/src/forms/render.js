// One renderer for every form definition: the same data files print the paper forms, so the
// screen and the paper ask the same questions in the same order. Field types are the ones the
// definitions use; ids are prefixed (`f-…`) so a field called "status" never meets the page's own.
import { _, currentLocale, languageInfo } from "../i18n/index.js";
import { guard, h } from "../ui/dom.js";
import { dateInput, dateValue } from "../ui/date-input.js";
import { checkRecord } from "./checks.js";

// Language names live with the language choice (the login screen needs them, not the forms).
import { languageCodes, languageName } from "../ui/language-choice.js";

export { languageCodes, languageName };

// A right of the region's catalogue (teams catalogue data) by its name along the worker's chain
// (a Romani interface falls back to Romanian, not to English); households read theirs along
// their own chain (print/plan.js).
export function rightName(right, chain = languageInfo(currentLocale())?.chain ?? [currentLocale()]) {
  for (const code of chain) {
    if (code === "en") break;
    const name = right?.translations?.[code]?.name;
    if (name) return name;
  }
  return right?.name ?? "";
}

function choiceInput(field, id, options, value) {
  const select = h("select", { id, name: field.id, required: field.required });
  if (!field.required) select.append(new Option("—", ""));
  for (const [optionValue, label] of options) select.append(new Option(label, optionValue));
  if (value !== undefined && value !== null) select.value = String(value);
  return select;
}

function checkboxes(field, id, options, values = []) {
  return h("fieldset", { id, className: "choices" },
    h("legend", {}, _(field.label)),
    options.map(([value, label]) => h("label", { className: "check" },
      h("input", { type: "checkbox", name: field.id, value, checked: values.includes(value) }),
      h("span", {}, label))));
}

// context: { areas: [{code, name}], services: [{id, name}], members: [{id, name}] }
function buildField(field, value, context) {
  const id = `f-${field.id}`;
  const label = h("label", { htmlFor: id }, _(field.label), field.required ? " *" : "");
  const help = field.help ? h("p", { className: "help" }, _(field.help)) : null;
  const choices = (field.choices ?? []).map((c) => [c.value, _(c.label)]);
  let input;
  switch (field.type) {
    case "textarea":
      input = h("textarea", { id, name: field.id, rows: 4, required: field.required,
                              maxLength: field.max_length ?? 20000, value: value ?? "" });
      break;
    case "date":
      // In the interface's locale, not the browser's (ui/date-input.js); read back as ISO.
      return h("div", { className: "field" }, label, help,
               dateInput({ id, name: field.id, required: field.required, value: value ?? "" }));
    case "number":
      input = h("input", { id, name: field.id, type: "number", inputMode: "numeric", min: field.min,
                           max: field.max, required: field.required, value: value ?? "" });
      break;
    case "boolean":
      return h("label", { className: "check" },
        h("input", { id, type: "checkbox", name: field.id, checked: Boolean(value) }),
        h("span", {}, _(field.label)));
    case "choice":
      input = choiceInput(field, id, choices, value);
      break;
    case "multichoice":
      return h("div", {}, checkboxes(field, id, choices, value ?? []), help);
    case "languages": {
      // Every configured locale: a dialect added by configuration is offered without a new
      // form version (older definitions list the shipped ones).
      const codes = [...new Set([...(field.values ?? []), ...languageCodes()])];
      const options = codes.map((code) => [code, languageName(code)]);
      if (field.multiple) return checkboxes(field, id, options, value ?? []);
      input = choiceInput(field, id, options, value);
      break;
    }
    case "area":
      input = choiceInput(field, id, (context.areas ?? []).map((a) => [a.code, `${a.name} (${a.code})`]),
                          value ?? context.areas?.[0]?.code);
      break;
    case "catalogue":
      input = choiceInput(field, id, (context.services ?? []).map((s) => [s.id, s.name]), value);
      break;
    case "rights":  // the region's rights and benefits (teams catalogue), named in the worker's language
      input = choiceInput(field, id, (context.rights ?? []).map((r) => [r.id, rightName(r)]), value);
      break;
    case "person_list":
      return checkboxes(field, id, (context.members ?? []).map((m) => [m.id, m.name]), value ?? []);
    case "record_ref":
      return h("input", { id, type: "hidden", name: field.id, value: value ?? "" });
    case "text_list":
      input = h("textarea", { id, name: field.id, rows: 3, required: field.required,
                              value: (value ?? []).join("\n") });
      return h("div", { className: "field" }, label,
        h("p", { className: "help" }, _("One per line.")), input);
    default:  // "text" and anything newer that this version of the app does not know
      input = h("input", { id, name: field.id, required: field.required,
                           maxLength: field.max_length ?? 500, value: value ?? "" });
  }
  return h("div", { className: "field" }, label, help, input);
}

function readField(form, field) {
  const id = `f-${field.id}`;
  const element = form.querySelector(`#${CSS.escape(id)}`);
  switch (field.type) {
    case "boolean":
      return element.checked;
    case "multichoice":
    case "person_list":
      return [...form.querySelectorAll(`input[name="${field.id}"]:checked`)].map((i) => i.value);
    case "languages":
      if (field.multiple) {
        return [...form.querySelectorAll(`input[name="${field.id}"]:checked`)].map((i) => i.value);
      }
      return element.value || undefined;
    case "number":
      return element.value === "" ? undefined : Number(element.value);
    case "date":
      return dateValue(element) || undefined;
    case "text_list":
      return element.value.split("\n").map((line) => line.trim()).filter(Boolean);
    default:
      return element.value.trim() === "" ? undefined : element.value.trim();
  }
}

const SKIP = new Set(["action_list", "domain_scores", "domain_barriers", "member_domain_scores",
                      "empowerment"]);

// Messages at the fields to correct; true when there are none. The first is focused, and each
// is tied to its input (aria-describedby), so a screen reader reads why with the field.
function showErrors(form, errors) {
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  // A date field's format line stays described with it (ui/date-input.js).
  const described = (input, ...ids) => {
    const all = [...ids, input.dataset.date !== undefined ? `${input.id}-format` : null].filter(Boolean);
    if (all.length) input.setAttribute("aria-describedby", all.join(" "));
    else input.removeAttribute("aria-describedby");
  };
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    described(input);
  }
  const entries = Object.entries(errors);
  for (const [fieldId, message] of entries) {
    const input = form.querySelector(`#${CSS.escape(`f-${fieldId}`)}`);
    if (!input) continue;
    const id = `f-${fieldId}-error`;
    const error = h("p", { id, className: "error field-error", role: "alert" }, message);
    input.setAttribute("aria-invalid", "true");
    described(input, id);
    (input.closest(".field") ?? input).after(error);
  }
  if (entries.length) form.querySelector("[aria-invalid]")?.focus();
  return entries.length === 0;
}

// The browser's own checks (required, min/max, length), said by the app in the interface's
// language: the browser's bubbles follow the browser's language, not the app's.
function constraintErrors(form, fields) {
  const errors = {};
  for (const field of fields) {
    const input = form.querySelector(`#${CSS.escape(`f-${field.id}`)}`);
    const validity = input?.validity;
    if (!validity || validity.valid) continue;
    if (validity.valueMissing) errors[field.id] = _("Please fill in this field.");
    else if (validity.rangeUnderflow || validity.rangeOverflow) {
      errors[field.id] = _("Enter a number from {min} to {max}.", { min: input.min, max: input.max });
    } else if (validity.tooLong) errors[field.id] = _("At most {max} characters.", { max: input.maxLength });
    // The app's own message (a date field sets it in the interface's language).
    else if (validity.customError) errors[field.id] = input.validationMessage;
    else errors[field.id] = _("This value cannot be used here.");
  }
  return errors;
}

// Returns the <form> element; `read()` on it gives the plaintext object.
export function renderForm(definition, { values = {}, context = {}, skip = [], onSubmit, submitLabel }) {
  const fields = definition.fields.filter((f) => !SKIP.has(f.type) && !skip.includes(f.id));
  const form = h("form", { className: "card", id: `form-${definition.id}`, noValidate: true },
    h("h1", {}, _(definition.title)),
    definition.description ? h("p", { className: "help" }, _(definition.description)) : null,
    fields.map((field) => buildField(field, values[field.id], context)));
  form.read = () => {
    const data = {};
    for (const field of fields) {
      const value = readField(form, field);
      if (value !== undefined && !(Array.isArray(value) && !value.length)) data[field.id] = value;
    }
    return data;
  };
  if (onSubmit) {
    form.append(h("button", { type: "submit", className: "primary" }, submitLabel ?? _("Save")));
    form.addEventListener("submit", guard()(async () => {
      const data = form.read();
      const errors = { ...checkRecord(definition.id, data), ...constraintErrors(form, fields) };
      if (!showErrors(form, errors)) return false;
      // false: the screen asks the worker something first (a likely match): tap again.
      return await onSubmit(data) !== false;
    }));
  }
  return form;
}
