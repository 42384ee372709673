// Settings: the worker's interface language, lock, wipe, storage, the outbox as a file (saved
// here, imported on another phone), and (for supervisors) their teams' members and keys.
import { _, ngettext } from "../i18n/index.js";
import { wipe } from "../store/db.js";
import { envelopesIn, outboxBlob, relay } from "../sync/relay.js";
import { h, mount, today } from "../ui/dom.js";
import { keyTrustLines } from "../ui/key-trust.js";
import { languageChoice } from "../ui/language-choice.js";
import { backLink } from "../ui/nav.js";

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

// The outbox as a file (sync/relay.js), saved through a download link.
async function exportOutbox() {
  const link = h("a", { href: URL.createObjectURL(await outboxBlob()), download: `outbox-${today()}.json` });
  document.body.append(link);
  link.click();
  link.remove();
}

function reasonsOf(refused) {
  const reasons = new Map();
  for (const { problem } of refused) {
    const reason = problem?.detail && problem.detail !== problem.title
      ? `${problem.title}: ${problem.detail}` : problem?.title ?? "";
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return h("ul", { id: "import-refused", className: "list" }, [...reasons].map(([reason, count]) =>
    h("li", { className: "error" },
      ngettext("{count} record: {reason}", "{count} records: {reason}", count, { reason }))));
}

function summaryOf(outcome) {
  const { accepted, duplicate, refused, stopped } = outcome;
  return h("div", { id: "import-summary", role: "status",
                    dataset: { accepted, duplicate, refused: refused.length, done: stopped ? "stopped" : "done" } },
    h("p", {}, [
      ngettext("{count} accepted", "{count} accepted", accepted),
      ngettext("{count} already there", "{count} already there", duplicate),
      ngettext("{count} refused", "{count} refused", refused.length),
    ].join(", ")),
    refused.length ? reasonsOf(refused) : null,
    stopped === "offline"
      ? h("p", { className: "error" }, _("The connection was lost. Import the same file again when there is a signal: records already sent are recognised."))
      : stopped ? h("p", { className: "error" }, stopped.title || _("The server refused the import.")) : null);
}

function importSection(ctx) {
  const input = h("input", { id: "import-records", type: "file", accept: "application/json,.json" });
  const output = h("div", { id: "import-output", "aria-live": "polite" });
  input.addEventListener("change", async () => {
    const [file] = input.files;
    if (!file) return;
    const show = (...children) => output.replaceChildren(...children.filter(Boolean));
    const envelopes = envelopesIn(await file.text());
    input.value = "";  // the same file can be chosen again, say after the signal came back
    if (!envelopes) {
      show(h("p", { className: "error" }, _("This is not a file of records saved by this app.")));
      return;
    }
    if (!navigator.onLine) {
      show(h("p", { className: "error" }, _("No connection: import the file when this phone has a signal.")));
      return;
    }
    input.disabled = true;
    try {
      const outcome = await relay(ctx, envelopes, (done, total) =>
        show(h("p", {}, _("Sending records: {done} of {total}…", { done, total }))));
      show(summaryOf(outcome));
    } finally {
      input.disabled = false;
    }
    ctx.sync();  // the imported records reach this phone with its next pull
  });
  return [
    h("label", { htmlFor: "import-records" }, _("Import records from a file")), input,
    h("p", { className: "help" }, _("A file saved on another phone of your team when it had no signal. Its records stay sealed and signed by that phone.")),
    output,
  ];
}

export async function renderSettings(ctx) {
  const confirmWipe = h("input", { id: "wipe-confirm", type: "checkbox" });
  mount(ctx.root, backLink("#/"),
    h("section", { className: "card" },
      h("h1", {}, _("Settings")),
      languageChoice(() => renderSettings(ctx)),
      h("p", { className: "help" }, _("The household's language for printed plans is chosen for each household."))),
    h("section", { className: "card", id: "team-keys" }, h("h2", {}, _("Team keys")),
      ctx.session.teams.flatMap((team) => keyTrustLines(ctx, team))),
    ctx.session.role === "supervisor" ? h("section", { className: "card" }, h("h2", {}, _("Teams")),
      ctx.session.teams.map((team) => h("a", { href: `#/team/${team}`, className: "button secondary" },
        _("Members and keys of {team}", { team })))) : null,
    ["supervisor", "admin"].includes(ctx.session.role) ? h("section", { className: "card" },
      h("a", { href: "#/admin", id: "open-admin", className: "button secondary" }, _("Administration"))) : null,
    h("section", { className: "card" },
      h("h2", {}, _("This phone")),
      await storageLine(),
      h("button", { type: "button", id: "export-outbox", className: "secondary", onclick: exportOutbox },
        _("Save records waiting to sync as a file")),
      importSection(ctx),
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
