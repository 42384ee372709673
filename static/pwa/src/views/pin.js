import { _, ngettext } from "../i18n/index.js";

// Four digits all alike or in a row are the first an intruder tries (and a child types).
function tooEasy(pin) {
  const steps = new Set([...pin].slice(1).map((d, i) => (Number(d) - Number(pin[i]) + 10) % 10));
  return steps.size === 1 && [0, 1, 9].includes([...steps][0]);
}

// The warning for the last tries: how many are left and what the wipe would take with it.
export function triesWarning(left, unsent, warnFrom) {
  if (left > warnFrom) return "";
  const tries = ngettext("{count} try left before this phone is wiped.",
                         "{count} tries left before this phone is wiped.", left);
  const lost = unsent
    ? ngettext("{count} record not yet sent would be lost.", "{count} records not yet sent would be lost.", unsent)
    : _("Everything on this phone has been sent.");
  return `${tries} ${lost}`;
}

// One form for choosing a PIN after login and for unlocking later. `owner` (unlocking) says
// whose phone it is; `warning` is shown before the first try when few are left (after a reload).
export function renderPin(root, { title, action, onSubmit, owner = null, warning = "", left = null,
                                   choosing = false }) {
  root.innerHTML = "";
  const form = document.createElement("form");
  form.className = "card";
  form.innerHTML = `
    <h1 id="pin-title"></h1>
    <p id="pin-owner" hidden></p>
    <label for="pin"></label>
    <input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off"
           pattern="[0-9]{4,12}" required>
    <p class="error" role="alert" hidden></p>
    <p id="pin-warning" class="warning" role="alert" hidden></p>
    <button type="submit"></button>`;
  form.querySelector("#pin-title").textContent = title;
  if (owner) {
    const line = form.querySelector("#pin-owner");
    line.hidden = false;
    line.textContent = _("This phone belongs to {name}.", { name: owner });
  }
  form.querySelector("label[for=pin]").textContent = _("PIN (4 to 12 digits)");
  form.querySelector("button").textContent = action;
  const showWarning = (text, tries) => {
    const element = form.querySelector("#pin-warning");
    element.hidden = !text;
    element.textContent = text || "";
    if (tries !== null && tries !== undefined) element.dataset.left = tries;  // for tests
  };
  showWarning(warning, left);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button");
    const error = form.querySelector(".error");
    if (choosing && tooEasy(form.pin.value)) {
      error.hidden = false;
      error.textContent = _("Choose a PIN that is not all one digit or a simple row of digits.");
      form.pin.value = "";
      return;
    }
    button.disabled = true;  // one attempt at a time: failures are counted
    try {
      const answer = await onSubmit(form.pin.value);
      const { message = "", warning: next = "", left: tries = null } = answer ?? {};
      error.hidden = !message;
      error.textContent = message;
      showWarning(next, tries);
    } finally {
      form.pin.value = "";
      button.disabled = false;
    }
  });
  root.append(form);
}
