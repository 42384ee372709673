import { ProblemError } from "../api.js";
import { _ } from "../i18n/index.js";
import { h } from "../ui/dom.js";
import { languageChoice } from "../ui/language-choice.js";

// Logging in; the language can be chosen here already, before anything else is read.
// `notice` is a string, or a function giving it in the current language.
// A language chosen here re-labels this form, it does not draw it again: its catalog may come
// from the network while the worker is already typing, and what they typed must stay.
export function renderLogin(root, onDone, notice = null) {
  root.innerHTML = "";
  const form = document.createElement("form");
  form.className = "card";
  form.setAttribute("aria-labelledby", "login-title");
  form.innerHTML = `
    <h1 id="login-title"></h1>
    <label for="username"></label>
    <input id="username" name="username" autocomplete="username" autocapitalize="none" required>
    <label for="passphrase"></label>
    <input id="passphrase" name="passphrase" type="password" autocomplete="current-password" required>
    <p class="error" role="alert" hidden></p>
    <button type="submit"></button>`;
  let message = null;
  if (notice) {
    message = document.createElement("p");
    message.className = "notice";
    message.setAttribute("role", "alert");
    form.querySelector("h1").after(message);
  }
  const code = h("a", { href: "#/enrol/", id: "have-code", onclick: (event) => {
    event.preventDefault();
    location.hash = "#/enrol/";
    location.reload();
  } });
  const language = h("div", { className: "card", id: "login-language" });
  const label = () => {
    form.querySelector("#login-title").textContent = _("Log in");
    form.querySelector("label[for=username]").textContent = _("Username");
    form.querySelector("label[for=passphrase]").textContent = _("Passphrase");
    form.querySelector("button").textContent = _("Log in");
    if (message) message.textContent = typeof notice === "function" ? notice() : notice;
    code.textContent = _("I have an enrolment code");
    language.replaceChildren(...languageChoice(label, "login-language-choice"));
  };
  label();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = form.querySelector(".error");
    error.hidden = true;
    form.querySelector("button").disabled = true;
    try {
      // Loaded on the tap, not with the form: the crypto it needs is no part of the first paint.
      const { login } = await import("../session.js");
      await onDone(await login(form.username.value.trim(), form.passphrase.value));
    } catch (exc) {
      error.textContent = exc instanceof ProblemError ? exc.message
        : _("No connection. Logging in needs a signal once.");
      error.hidden = false;
    } finally {
      form.querySelector("button").disabled = false;
    }
  });
  root.append(form, h("p", { className: "card" }, code), language);
}
