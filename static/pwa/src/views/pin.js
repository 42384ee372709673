import { _ } from "../i18n/index.js";

// One form for choosing a PIN after login and for unlocking later.
export function renderPin(root, { title, action, onSubmit }) {
  root.innerHTML = "";
  const form = document.createElement("form");
  form.className = "card";
  form.innerHTML = `
    <h1 id="pin-title"></h1>
    <label for="pin"></label>
    <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off"
           pattern="[0-9]{4,12}" required>
    <p class="error" role="alert" hidden></p>
    <button type="submit"></button>`;
  form.querySelector("#pin-title").textContent = title;
  form.querySelector("label[for=pin]").textContent = _("PIN (4 to 12 digits)");
  form.querySelector("button").textContent = action;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    button.disabled = true;  // one attempt at a time: failures are counted
    try {
      const message = await onSubmit(form.pin.value);
      const error = form.querySelector(".error");
      error.hidden = !message;
      error.textContent = message || "";
    } finally {
      form.pin.value = "";
      button.disabled = false;
    }
  });
  root.append(form);
}
