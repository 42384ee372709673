// The app shell: picks the language, registers the service worker, shows login or home.
import { setLocale, _ } from "./i18n/index.js";
import { loadSession } from "./store/db.js";
import { loadKeyring } from "./keyring.js";
import { pullAll } from "./sync/pull.js";
import { renderHome } from "./views/home.js";
import { renderLogin } from "./views/login.js";

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
  if (session) {
    await renderHome(root, session, null);  // locked: no keys in memory until unlocked
  } else {
    renderLogin(root, async ({ session: fresh, wrapKey }) => {
      const keyring = await loadKeyring(fresh.accessToken, wrapKey);
      await pullAll(fresh);
      await renderHome(root, fresh, keyring);
    });
  }
}

start();
