// The app shell: picks the language, registers the service worker, then login → PIN → the
// case book, or, on a device that is already set up, unlock with the PIN (works offline).
// Only what the login form needs is here; the rest (unlocked.js) comes with import(), so a cold
// first load on 2G paints the form from a third of the bytes (docs/performance.md).
// Screens and their routes are registered in unlocked.js, not here.
import { _, loadLanguages, onLocaleChange, setLocale } from "./i18n/index.js";
import { installQuickExit } from "./exit.js";
import { hasPin } from "./lock.js";
import { probe } from "./reach.js";
import { loadSession, wipe } from "./store/db.js";
import { pickLocale } from "./ui/locale.js";
import { offerUpdate, watchOfflineReady, watchStatus } from "./ui/status.js";
import { renderLogin } from "./views/login.js";

// Dead-man wipe: a phone that has not reached the server for this long wipes itself at the
// next unlock, even if it is never online again (a lost phone in a drawer).
const DEAD_MAN_DAYS = 30;

// What the unlocked app reports back to the header, which the shell owns.
const shell = { renderStatus: () => {}, offlineReady: () => {}, lastContact: null };

const unlocked = () => import("./unlocked.js");

function deadManExpired(session) {
  const last = Date.parse(session.lastContact ?? "");
  return Number.isFinite(last) && Date.now() - last > DEAD_MAN_DAYS * 86_400_000;
}

// The service worker, never awaited: registering queues behind the browser's own update check,
// which on lie-fi hangs. The worker reports when this language's files are cached; a new
// version is offered, never forced.
function startServiceWorker(locale) {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "offline-ready") shell.offlineReady("shell");
  });
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).then((registration) => {
    const update = document.getElementById("update");
    if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(update, registration.waiting);
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed" && navigator.serviceWorker.controller) offerUpdate(update, worker);
      });
    });
  }).catch(() => {});
  navigator.serviceWorker.ready.then((registration) => {
    registration.active?.postMessage({ type: "warm", locale });
  });
}

async function start() {
  await loadLanguages();
  const locale = pickLocale();
  await setLocale(locale);
  document.title = _("Outreach");
  shell.renderStatus = watchStatus(document.getElementById("status"),
                                   () => ({ lastContact: shell.lastContact }));
  shell.offlineReady = watchOfflineReady(document.getElementById("offline-ready"));
  // A new language shows at once outside the screen too: the title and the status line.
  onLocaleChange(() => {
    document.title = _("Outreach");
    shell.renderStatus();
    const ready = document.getElementById("offline-ready");
    if (ready && !ready.hidden) ready.textContent = _("Ready to work offline ✓");
  });
  installQuickExit();
  probe();
  const root = document.getElementById("app");
  const session = await loadSession();
  const expired = session && deadManExpired(session);
  if (session && !expired && await hasPin()) {
    startServiceWorker(locale);
    await (await unlocked()).askUnlock(root, session, shell);
    return;
  }
  const afterLogin = async (result) => (await unlocked()).afterLogin(root, result, shell);
  if (expired) {
    await wipe();
    renderLogin(root, afterLogin,
                () => _("This phone had no contact with the server for too long and was wiped."));
  } else if (location.hash.startsWith("#/enrol")) {
    // Joining with an enrolment code: loaded only when asked for (it needs the crypto).
    const { renderEnrol } = await import("./views/enrol.js");
    renderEnrol(root, afterLogin, decodeURIComponent(location.hash.slice(8)));
  } else {
    renderLogin(root, afterLogin);
  }
  // The rest of the app comes while the worker types; the service worker installs after it,
  // so it finds that file in the HTTP cache instead of downloading it a second time over 2G.
  unlocked().catch(() => {}).finally(() => startServiceWorker(locale));
}

start();
