// Settings: the worker's interface language, lock, wipe, storage, the outbox as a file, and
// (for supervisors) their teams' members and keys.
import { _, setLocale } from "../i18n/index.js";
import { languageName } from "../forms/render.js";
import { wipe } from "../store/db.js";
import { waiting } from "../sync/outbox.js";
import { h, mount, today } from "../ui/dom.js";
import { LOCALES } from "../ui/locale.js";
import { backLink } from "./household.js";

async function storageLine() {
  if (!navigator.storage?.estimate) return null;
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  const persisted = await navigator.storage.persisted?.();
  const mb = (bytes) => (bytes / 1e6).toFixed(1);
  const low = quota && quota - usage < 50e6;
  return h("p", { id: "storage", className: low ? "warning" : "" },
    _("Space used on this phone: {used} MB of {quota} MB", { used: mb(usage), quota: mb(quota) }), " · ",
    persisted ? _("kept by the browser") : _("may be cleared by the browser: install the app"));
}

// When there is no signal for days, the outbox travels as a file (still sealed and signed) and
// is imported through the same idempotent sync path.
async function exportOutbox() {
  const blob = new Blob([JSON.stringify({ push: await waiting() })], { type: "application/json" });
  const link = h("a", { href: URL.createObjectURL(blob), download: `outbox-${today()}.json` });
  document.body.append(link);
  link.click();
  link.remove();
}

export async function renderSettings(ctx) {
  const language = h("select", { id: "interface-language" },
    LOCALES.map((code) => new Option(languageName(code), code)));
  language.value = document.documentElement.lang;
  language.addEventListener("change", async () => {
    localStorage.setItem("outreach.locale", language.value);
    await setLocale(language.value);
    renderSettings(ctx);
  });
  const confirmWipe = h("input", { id: "wipe-confirm", type: "checkbox" });
  mount(ctx.root, backLink("#/"),
    h("section", { className: "card" },
      h("h1", {}, _("Settings")),
      h("label", { htmlFor: "interface-language" }, _("Language of this app")), language,
      h("p", { className: "help" }, _("The household's language for printed plans is chosen for each household."))),
    ctx.session.role === "supervisor" ? h("section", { className: "card" }, h("h2", {}, _("Teams")),
      ctx.session.teams.map((team) => h("a", { href: `#/team/${team}`, className: "button secondary" },
        _("Members and keys of {team}", { team })))) : null,
    h("section", { className: "card" },
      h("h2", {}, _("This phone")),
      await storageLine(),
      h("button", { type: "button", id: "export-outbox", className: "secondary", onclick: exportOutbox },
        _("Save records waiting to sync as a file")),
      h("button", { type: "button", id: "lock", className: "secondary", onclick: () => location.reload() },
        _("Lock now")),
      h("label", { className: "check" }, confirmWipe,
        h("span", {}, _("I understand that records not yet synced will be lost"))),
      h("button", { type: "button", id: "wipe", className: "danger", onclick: async () => {
        if (!confirmWipe.checked) {
          confirmWipe.focus();
          return;
        }
        await wipe();
        location.hash = "";
        location.reload();
      } }, _("Wipe this phone"))));
}
