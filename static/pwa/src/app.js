// The app shell: picks the language, registers the service worker, then login → PIN → home,
// or, on a device that is already set up, unlock with the PIN (works offline).
import { setLocale, _ } from "./i18n/index.js";
import { fetchKeys, loadKeyring } from "./keyring.js";
import { hasPin, setPin, unlock } from "./lock.js";
import { openStore, loadSession } from "./store/db.js";
import { syncNow } from "./sync/push.js";
import { renderHome } from "./views/home.js";
import { renderAssessment } from "./views/assessment.js";
import { renderNewHousehold } from "./views/household.js";
import { renderLogin } from "./views/login.js";
import { renderPin } from "./views/pin.js";

const LOCALES = ["en", "nl", "ro", "bg", "hu", "sk", "cs", "uk", "ar", "rom"];

function pickLocale() {
  const saved = localStorage.getItem("outreach.locale");
  if (LOCALES.includes(saved)) return saved;
  const browser = navigator.languages.map((l) => l.split("-")[0]).find((l) => LOCALES.includes(l));
  return browser || "en";
}

function renderStatus() {
  const status = document.getElementById("status");
  status.textContent = navigator.onLine ? _("Online") : _("Offline: your work is kept on this phone");
}

async function showHome(root, session, keys, userPkcs8) {
  const keyring = await loadKeyring(keys, userPkcs8);
  let current = session;
  const saved = async () => { await sync(); await render(); };
  const render = () => renderHome(root, current, keyring,
    () => renderNewHousehold(root, current, keys, saved),
    (caseId) => renderAssessment(root, current, keys, caseId, saved));
  const sync = async () => {
    if (!navigator.onLine) return;
    try {
      current = await syncNow(current);
    } catch (exc) {
      // A revoked device has just wiped itself: start again from an empty app.
      if (exc?.problem?.type === "/problems/device-revoked") location.reload();
      // Otherwise no signal after all: the outbox keeps everything for the next try.
    }
  };
  addEventListener("online", async () => { await sync(); await render(); });
  await sync();
  await render();
}

async function afterLogin(root, { session, wrapKey }) {
  const { keys, userPkcs8 } = await fetchKeys(session.accessToken, wrapKey);
  await (await openStore()).put("session", keys, "keys");
  renderPin(root, {
    title: _("Choose a PIN to unlock this phone offline"),
    action: _("Save PIN"),
    onSubmit: async (pin) => {
      await setPin(pin, userPkcs8);
      await showHome(root, session, keys, userPkcs8);
      return null;
    },
  });
}

function askUnlock(root, session) {
  renderPin(root, {
    title: _("Unlock"),
    action: _("Unlock"),
    onSubmit: async (pin) => {
      const secret = await unlock(pin);
      if (secret === "wiped") {
        location.reload();
        return null;
      }
      if (!secret) return _("Wrong PIN");
      const keys = await (await openStore()).get("session", "keys");
      await showHome(root, session, keys, secret);
      return null;
    },
  });
}

async function start() {
  await setLocale(pickLocale());
  document.title = _("Outreach");
  renderStatus();
  addEventListener("online", renderStatus);
  addEventListener("offline", renderStatus);
  if ("serviceWorker" in navigator) {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
  }
  const root = document.getElementById("app");
  const session = await loadSession();
  if (session && await hasPin()) askUnlock(root, session);
  else renderLogin(root, (result) => afterLogin(root, result));
}

start();
