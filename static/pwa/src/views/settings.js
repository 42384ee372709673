// Settings: the worker's interface language, lock, wipe, storage, the outbox as a file (saved
// here, imported on another phone), and (for supervisors) their teams' members and keys.
import { call, ProblemError } from "../api.js";
import { _, ngettext } from "../i18n/index.js";
import { wipe } from "../store/db.js";
import { withFreshToken } from "../tokens.js";
import { waiting } from "../sync/outbox.js";
import { h, mount, today } from "../ui/dom.js";
import { keyTrustLines } from "../ui/key-trust.js";
import { languageChoice } from "../ui/language-choice.js";
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

// The other side: a file saved on a colleague's phone is pushed as it is, in batches, through
// the sync path (PROTOCOL §3). The server judges each envelope as if its own phone had sent it
// (its signature, its author's team and role), so it is never put in this phone's outbox: these
// records are not this phone's, and they come back to it with the next pull.
const RELAY_BATCH = 100;

function envelopesIn(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const push = data?.push;
  if (!Array.isArray(push)) return null;
  const envelope = (e) => e && typeof e === "object" && !Array.isArray(e)
    && ["id", "record_id", "team_id", "device_id", "sig"].every((name) => typeof e[name] === "string");
  return push.every(envelope) ? push : null;
}

async function pushBatch(ctx, push) {
  // An expired access token is refreshed by the one refresher (tokens.js), so a refresh
  // token is never spent twice; a revoked phone is wiped by the next sync.
  return withFreshToken(ctx, (token) => call("/sync", { body: { push, since: null, limit: 1 }, token,
                                                        gzip: true }));
}

// Returns { accepted, duplicate, refused: [{ id, problem }], stopped: null | "offline" | problem }.
async function relay(ctx, envelopes, progress) {
  const outcome = { accepted: 0, duplicate: 0, refused: [], stopped: null };
  let size = RELAY_BATCH;
  for (let start = 0; start < envelopes.length;) {
    const batch = envelopes.slice(start, start + size);
    progress(start, envelopes.length);
    let answer;
    try {
      answer = await pushBatch(ctx, batch);
    } catch (exc) {
      if (!(exc instanceof ProblemError)) {
        outcome.stopped = "offline";
        return outcome;
      }
      if (exc.status === 413 && size > 1) {  // halve, down to single envelopes (PROTOCOL §3)
        size = Math.max(1, Math.floor(size / 2));
        continue;
      }
      if ((exc.status === 413 || exc.status === 422) && batch.length === 1) {
        outcome.refused.push({ id: batch[0].id, problem: exc.problem });
        start += 1;
        continue;
      }
      outcome.stopped = exc.problem;
      return outcome;
    }
    for (const result of answer.results) {
      if (result.status === "duplicate") outcome.duplicate += 1;
      else if (result.status === "rejected") outcome.refused.push(result);
      else outcome.accepted += 1;  // accepted, or stored beside another head (conflict)
    }
    start += batch.length;
  }
  return outcome;
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
