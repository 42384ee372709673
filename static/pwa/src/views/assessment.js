// The needs assessment: every life domain, five anchored levels, skippable (DOMAIN.md).
import { loadForms } from "../forms.js";
import { _ } from "../i18n/index.js";
import { saveRecord } from "../records.js";

export async function renderAssessment(root, session, keys, caseId, onSaved) {
  const form = (await loadForms())["assessment@1"];
  root.innerHTML = "";
  const element = document.createElement("form");
  element.className = "card";
  const title = document.createElement("h1");
  title.textContent = _(form.title);
  const help = document.createElement("p");
  help.textContent = _(form.description);
  element.append(title, help);
  for (const domain of form.domains) {
    const fieldset = document.createElement("fieldset");
    fieldset.id = `domain-${domain.code}`;
    const legend = document.createElement("legend");
    legend.textContent = _(domain.label);
    fieldset.append(legend);
    for (const anchor of domain.anchors) {
      const label = document.createElement("label");
      label.className = "level";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = domain.code;
      input.value = String(anchor.level);
      const text = document.createElement("span");
      text.textContent = `${anchor.level} · ${_(anchor.label)}: ${_(anchor.description)}`;
      label.append(input, text);
      fieldset.append(label);
    }
    element.append(fieldset);
  }
  const save = document.createElement("button");
  save.type = "submit";
  save.textContent = _("Save");
  element.append(save);
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    const scores = {};
    for (const domain of form.domains) {
      const checked = element.querySelector(`input[name=${domain.code}]:checked`);
      scores[domain.code] = checked ? Number(checked.value) : null;  // skipped domains stay null
    }
    await saveRecord(session, keys, { type: "assessment", caseId, plaintext: { scores },
                                      meta: { scores } });
    await onSaved();
  });
  root.append(element);
}
