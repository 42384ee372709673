import { _ } from "../i18n/index.js";
import { saveRecord } from "../records.js";

export function renderNewHousehold(root, session, keys, onSaved) {
  root.innerHTML = "";
  const form = document.createElement("form");
  form.className = "card";
  form.innerHTML = `
    <h1 id="household-title"></h1>
    <label for="display_name"></label>
    <input id="display_name" name="display_name" required maxlength="200">
    <button type="submit"></button>`;
  form.querySelector("#household-title").textContent = _("Household");
  form.querySelector("label[for=display_name]").textContent = _("Name, nickname or short description");
  form.querySelector("button").textContent = _("Save");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await saveRecord(session, keys, {
      type: "household", plaintext: { display_name: form.display_name.value.trim() }, meta: {},
    });
    await onSaved();
  });
  root.append(form);
}
