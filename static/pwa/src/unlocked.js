// Everything after the login form: the PIN, the case book, every screen and the sync loop.
// Loaded by the shell (app.js) with import(), so the first paint on a cold 2G load carries only
// the login form; it is fetched while the worker types, and served by the service worker after.
import { loadCasebook, forgetPlaintexts } from "./casebook.js";
import { _ } from "./i18n/index.js";
import { fetchKeys, fetchKeysWithUserKey, loadKeyring, trustTeamKeys } from "./keyring.js";
import * as oc from "./crypto/index.js";
import { setExitPush } from "./exit.js";
import { attemptsLeft, DEFAULT_PIN_ATTEMPTS, lockVault, setMaxAttempts, setPin, unlock,
         WARN_LAST } from "./lock.js";
import { saveRecord } from "./records.js";
import { currentPath, dispatch, go, otherwise, route, startRouter } from "./router.js";
import { getSetting, isClosed, openStore, loadSession } from "./store/db.js";
import { lockDrafts, unlockDrafts } from "./store/drafts.js";
import { refreshQuietly } from "./ui/dom.js";
import { startSyncLoop, syncNow } from "./sync/engine.js";
import { resealFormat1 } from "./sync/upgrade.js";
import { refreshTeams } from "./teams.js";
import { withFreshToken } from "./tokens.js";
import { renderAssessment } from "./views/assessment.js";
import { renderAccess, renderAccessRecords } from "./views/access.js";
import { renderAdmin, renderAudit, renderDevices, renderPeople, renderTeams } from "./views/admin.js";
import { renderConflict } from "./views/conflict.js";
import { renderContact, renderContactForm } from "./views/contact.js";
import { renderTeamDue } from "./views/due.js";
import { renderHome } from "./views/home.js";
import { renderHousehold, renderNewHousehold } from "./views/household.js";
import { renderMerge } from "./views/merge.js";
import { renderPaperEntry } from "./views/paper-entry.js";
import { renderPaperForm, renderPaperHousehold, renderPaperNewHousehold } from "./views/paper-form.js";
import { renderMissingForms } from "./views/paper-missing.js";
import { renderPin, triesWarning } from "./views/pin.js";
import { renderPlanForm, renderPlanPrint } from "./views/plan.js";
import { renderRecordForm } from "./views/record-form.js";
import { renderFigures } from "./views/figures.js";
import { renderOrganisation } from "./views/organisation.js";
import { renderReport } from "./views/report.js";
import { renderReview, renderReviewQueue } from "./views/review.js";
import { renderSettings } from "./views/settings.js";
import { renderSyncReceipts } from "./views/sync.js";
import { renderTeam } from "./views/team.js";
import { renderAccessExport, renderErase } from "./views/rights.js";

// The organisation's idle time (login answer, `device_policy`) or this default.
const AUTO_LOCK_SECONDS = 5 * 60;
// Screens that only list things are refreshed after a sync; forms never are.
const LIST_SCREENS = [/^\/$/, /^\/h\/[^/]+$/, /^\/review$/, /^\/sync$/, /^\/due$/];
// Screens that show which team key version the phone trusts (ui/key-trust.js).
const KEY_SCREENS = [/^\/$/, /^\/settings$/, /^\/team\/[^/]+$/];

async function openApp(root, session, keys, userPkcs8, shell, keysFresh = false) {
  await unlockDrafts(userPkcs8);
  const keyring = await loadKeyring(keys, userPkcs8);
  const keyTrust = await trustTeamKeys(keys);
  const ctx = {
    root, session, keys, keyring, keyTrust, userPkcs8, book: await loadCasebook(keyring), teams: [],
    async reload() {
      ctx.book = await loadCasebook(ctx.keyring);
    },
    async save(record) {
      const envelope = await saveRecord(ctx.session, ctx.keys, record);
      await ctx.reload();
      return envelope;
    },
    sync: null,
    teamsFresh: false,
    teamsAsked: null,
    // One request at a time: the first sync after login ends while the start's own request
    // is still on its way over 2G; it waits for that one instead of asking again.
    // A team's settings changed on the server (its presence schedule, areas, catalogue): a
    // list screen drawn from the kept copy is drawn again, quietly, so the due list follows.
    refreshTeams() {
      ctx.teamsAsked ??= getSetting("teams").then((before) => refreshTeams(ctx).then(async ({ teams, fresh }) => {
        ctx.teams = teams;
        ctx.teamsFresh = fresh;
        if (fresh) ctx.teamsCheckedAt = Date.now();
        if (fresh && before && JSON.stringify(before) !== JSON.stringify(teams)
            && LIST_SCREENS.some((pattern) => pattern.test(currentPath()))) {
          await refreshQuietly(dispatch);
        }
      })).finally(() => { ctx.teamsAsked = null; });
      return ctx.teamsAsked;
    },
    teamsCheckedAt: 0,
    keysCheckedAt: keysFresh ? Date.now() : 0,  // just fetched by the login: not again at once
    // Envelope format 1 revisions (a clear case id) are sealed again in format 2 and sent:
    // the server then replaces them (docs/protocol.md, "Upgrade from format 1").
    async upgradeFormat1() {
      try {
        if (await resealFormat1(ctx.session, ctx.keys, ctx.keyring)) await ctx.reload();
      } catch {
        // Forms or keys not on this phone yet: the next sync tries again.
      }
    },
    // A new team key version (after a rotation) or a new grant reaches this phone with the
    // next GET /keys: checked at start, after a sync that brought records it cannot open, and
    // every ten minutes of work with a signal.
    async refreshKeys(force = false) {
      const unreadable = [...ctx.book.records.values()].some((r) =>
        [...r.revisions.values()].some((rev) => rev.plaintext === null));
      if (!force && !unreadable && Date.now() - ctx.keysCheckedAt < 600_000) return;
      try {
        const keys = await withFreshToken(ctx, (token) => fetchKeysWithUserKey(token));
        ctx.keysCheckedAt = Date.now();
        await (await openStore()).put("session", keys, "keys");
        const warnedBefore = JSON.stringify(ctx.keyTrust.refused);
        ctx.keyTrust = await trustTeamKeys(keys);
        ctx.keys = keys;
        ctx.keyring = await loadKeyring(keys, userPkcs8);
        forgetPlaintexts();
        await ctx.reload();
        // A version refused (or accepted) since the last look: the screens that say so show it.
        if (JSON.stringify(ctx.keyTrust.refused) !== warnedBefore
            && KEY_SCREENS.some((pattern) => pattern.test(currentPath()))) {
          await refreshQuietly(dispatch);
        }
      } catch {
        // No signal or an expired token: the sync loop refreshes tokens; try again later.
      }
    },
  };
  ctx.sync = startSyncLoop({
    getSession: () => ctx.session,
    setSession: (next) => { ctx.session = next; },
    onSynced: async (changes) => {
      // A sync only succeeds with a valid token: the moment to fetch what an expired one missed.
      // …and every ten minutes of work, so a phone kept unlocked all day learns of a changed team
      // setting (the presence schedule) without waiting for the next unlock.
      if (!ctx.teamsFresh || Date.now() - ctx.teamsCheckedAt > 600_000) await ctx.refreshTeams();
      const changed = changes.pulled + changes.erased + changes.pushed > 0;
      if (changed) await ctx.reload();
      await ctx.refreshKeys();
      await ctx.upgradeFormat1();
      // Only a list screen, only if the sync changed something, and quietly: typed text, focus,
      // scroll and open sections stay (ui/dom.js). A form being filled is never re-rendered.
      if (changed && LIST_SCREENS.some((pattern) => pattern.test(currentPath()))) {
        await refreshQuietly(dispatch);
      }
    },
    onRevoked: () => location.reload(),
    onComplete: () => {
      shell.offlineReady("records");
      // The link is free now: the service worker may fetch the other languages (sw.js).
      navigator.serviceWorker?.controller?.postMessage({ type: "rest" });
    },
  });
  setExitPush(async () => { if (navigator.onLine) await syncNow(ctx.session); });
  shell.lastContact = session.lastContact ?? null;
  shell.renderStatus();
  if (await getSetting("pulled")) shell.offlineReady("records");

  route("/", () => renderHome(ctx));
  route("/new", () => renderNewHousehold(ctx));
  route("/h/:caseId", ({ caseId }) => renderHousehold(ctx, caseId));
  route("/h/:caseId/add/:type", ({ caseId, type }) => renderRecordForm(ctx, caseId, type));
  route("/h/:caseId/edit/:recordId", ({ caseId, recordId }) => renderRecordForm(ctx, caseId, null, recordId));
  route("/h/:caseId/assessment", ({ caseId }) => renderAssessment(ctx, caseId));
  route("/h/:caseId/assessment/:recordId", ({ caseId, recordId }) => renderAssessment(ctx, caseId, null, recordId));
  route("/h/:caseId/plan", ({ caseId }) => renderPlanForm(ctx, caseId));
  route("/h/:caseId/plan/print", ({ caseId }) => renderPlanPrint(ctx, caseId));
  route("/h/:caseId/plan/easy", ({ caseId }) => renderPlanPrint(ctx, caseId, "easy"));
  route("/h/:caseId/resolve/:recordId", ({ caseId, recordId }) => renderConflict(ctx, caseId, recordId));
  route("/h/:caseId/merge", ({ caseId }) => renderMerge(ctx, caseId));
  route("/h/:caseId/merge/:otherId", ({ caseId, otherId }) => renderMerge(ctx, caseId, otherId));
  route("/h/:caseId/paper", ({ caseId }) => renderPaperEntry(ctx, caseId));
  route("/paper", () => renderPaperEntry(ctx));
  route("/paper/missing", () => renderMissingForms(ctx));
  route("/paper/:serial", ({ serial }) => renderPaperHousehold(ctx, serial));
  route("/paper/:serial/new", ({ serial }) => renderPaperNewHousehold(ctx, serial));
  route("/paper/:serial/h/:caseId", ({ serial, caseId }) => renderPaperForm(ctx, serial, caseId));
  route("/contact/new", () => renderContactForm(ctx));
  route("/contact/:recordId", ({ recordId }) => renderContact(ctx, recordId));
  route("/contact/:recordId/edit", ({ recordId }) => renderContactForm(ctx, recordId));
  route("/review", () => renderReviewQueue(ctx));
  route("/review/:recordId", ({ recordId }) => renderReview(ctx, recordId));
  route("/report", () => renderReport(ctx));
  route("/figures", () => renderFigures(ctx));
  route("/organisation", () => renderOrganisation(ctx));
  route("/due", () => renderTeamDue(ctx));
  route("/sync", () => renderSyncReceipts(ctx));
  route("/settings", () => renderSettings(ctx));
  route("/team/:teamId", ({ teamId }) => renderTeam(ctx, teamId));
  route("/h/:caseId/access", ({ caseId }) => renderAccessExport(ctx, caseId));
  route("/h/:caseId/erase", ({ caseId }) => renderErase(ctx, caseId));
  route("/admin", () => renderAdmin(ctx));
  route("/admin/audit", () => renderAudit(ctx));
  route("/admin/devices", () => renderDevices(ctx));
  route("/admin/people", () => renderPeople(ctx));
  route("/admin/teams", () => renderTeams(ctx));
  route("/admin/access", () => renderAccess(ctx));
  route("/admin/access/:requestId", ({ requestId }) => renderAccessRecords(ctx, requestId));
  otherwise(() => go("/"));

  watchInactivity((ctx.session.policy?.idle_lock_seconds ?? AUTO_LOCK_SECONDS) * 1000);
  await startRouter();
  // Never awaited before the first screen: on lie-fi these wait for their timeouts.
  if (navigator.onLine) {
    ctx.sync();
    ctx.refreshTeams();
  }
  if (navigator.storage?.persist) navigator.storage.persist().catch(() => {});
}

function watchInactivity(idleMs) {
  let last = Date.now();
  for (const name of ["pointerdown", "keydown", "input"]) addEventListener(name, () => { last = Date.now(); });
  setInterval(() => {
    if (Date.now() - last > idleMs) lockNow();
  }, Math.min(15_000, Math.max(1000, idleMs / 4)));
}

// Locking drops every key, token and plaintext from memory: the page reloads into the PIN screen.
export function lockNow() {
  if (isClosed()) return;  // after the quick exit: stay on the neutral page
  forgetPlaintexts();
  lockDrafts();
  lockVault();
  location.reload();
}

export async function afterLogin(root, { session, wrapKey, signingPkcs8 }, shell) {
  const { keys, userPkcs8 } = await fetchKeys(session.accessToken, wrapKey);
  await (await openStore()).put("session", keys, "keys");
  renderPin(root, {
    title: _("Choose a PIN to unlock this phone offline"),
    action: _("Save PIN"),
    choosing: true,
    onSubmit: async (pin) => {
      await setPin(pin, { userPkcs8, signingPkcs8, tokens: session },
                   session.policy?.pin_attempts ?? DEFAULT_PIN_ATTEMPTS);
      await openApp(root, session, keys, userPkcs8, shell, true);
      return null;
    },
  });
}

async function unsentCount() {
  return (await (await openStore()).getAllKeys("outbox")).length;
}

export async function askUnlock(root, session, shell) {
  const warning = async (left) => triesWarning(left, await unsentCount(), WARN_LAST);
  const left = await attemptsLeft();
  renderPin(root, {
    title: _("Unlock"),
    action: _("Unlock"),
    owner: session.username,
    warning: await warning(left),
    left,
    onSubmit: async (pin) => {
      const answer = await unlock(pin);
      if (answer.wiped) {
        location.reload();
        return null;
      }
      if (!answer.ok) return { message: _("Wrong PIN"), warning: await warning(answer.left), left: answer.left };
      const { userPkcs8, signingPkcs8, tokens } = answer.secrets;
      const unlocked = { ...(await loadSession() ?? session), ...tokens,
                         signingKey: { privateKey: await oc.importSigningKey(signingPkcs8) } };
      if (unlocked.policy?.pin_attempts) await setMaxAttempts(unlocked.policy.pin_attempts);
      const keys = await (await openStore()).get("session", "keys");
      await openApp(root, unlocked, keys, userPkcs8, shell);
      return null;
    },
  });
}


