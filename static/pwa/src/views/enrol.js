// Joining with an enrolment code (from an administrator, in person): the phone says whom the
// code enrols, the new user chooses a passphrase here, and this phone is logged in. The code
// arrives typed or in the link's fragment (#/enrol/CODE), which never travels to the server.
import { ProblemError } from "../api.js";
import { _ } from "../i18n/index.js";
import { h, mount } from "../ui/dom.js";
import { enrol, previewEnrolment } from "../session.js";

const MIN_PASSPHRASE = 12;

export function renderEnrol(root, onDone, code = "") {
  const error = h("p", { className: "error", role: "alert", hidden: true });
  const fail = (text) => { error.textContent = text; error.hidden = false; };
  const codeInput = h("input", { id: "enrol-code", name: "code", value: code, required: true, autocapitalize: "characters" });
  const form = h("form", { className: "card", id: "enrol" },
    h("h1", {}, _("Join with an enrolment code")),
    h("label", { htmlFor: "enrol-code" }, _("Enrolment code")), codeInput,
    h("div", { id: "enrol-who" }),
    h("label", { htmlFor: "enrol-passphrase" }, _("Choose a passphrase")),
    h("input", { id: "enrol-passphrase", name: "passphrase", type: "password", autocomplete: "new-password", required: true, minLength: MIN_PASSPHRASE }),
    h("p", { className: "help" }, _("At least {count} characters. Only you know it: nobody can reset it for you.", { count: MIN_PASSPHRASE })),
    h("label", { htmlFor: "enrol-again" }, _("The passphrase again")),
    h("input", { id: "enrol-again", name: "again", type: "password", autocomplete: "new-password", required: true }),
    error,
    h("button", { type: "submit" }, _("Join")),
    h("a", { href: "#/", className: "button secondary", onclick: () => location.reload() }, _("Log in")));
  let preview = null;
  const check = async () => {
    error.hidden = true;
    try {
      preview = await previewEnrolment(codeInput.value.trim());
      form.querySelector("#enrol-who").replaceChildren(h("p", { className: "notice" },
        _("You join {organisation} as {name} ({username}).", { organisation: preview.organisation, name: preview.display_name || preview.username, username: preview.username })));
    } catch (exc) {
      preview = null;
      fail(exc instanceof ProblemError ? exc.message : _("No connection. Logging in needs a signal once."));
    }
  };
  codeInput.addEventListener("change", check);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.passphrase.value !== form.again.value) return fail(_("The two passphrases differ."));
    if (!preview) await check();
    if (!preview) return null;
    form.querySelector("button[type=submit]").disabled = true;
    try {
      await onDone(await enrol(codeInput.value.trim(), form.passphrase.value, preview.iterations));
    } catch (exc) {
      fail(exc instanceof ProblemError ? exc.message : _("No connection. Logging in needs a signal once."));
    } finally {
      form.querySelector("button[type=submit]").disabled = false;
    }
    return null;
  });
  mount(root, form);
  if (code) check();
}
