// The status line: the truth at a glance (issue 12). Exactly one of
//   no network · server cannot be reached (since when) · syncing (n of m) ·
//   something needs you (refused records) · records waiting · synced at HH:MM
// `navigator.onLine` alone is never taken as "online": only an answer from the server is.
import { _, currentLocale, ngettext } from "../i18n/index.js";
import { reach, reachState } from "../reach.js";
import { status as syncStatus, syncState } from "../sync/engine.js";
import { h } from "./dom.js";

function clock(iso) {
  const date = new Date(iso);
  const locale = currentLocale() === "rom" ? "ro" : currentLocale();
  const sameDay = date.toDateString() === new Date().toDateString();
  return new Intl.DateTimeFormat(locale, sameDay ? { timeStyle: "short" }
    : { dateStyle: "short", timeStyle: "short" }).format(date);
}

export function statusLine({ lastContact = null } = {}) {
  const { reachable, since } = reachState();
  const { running, progress, waiting, refused, lastSync } = syncState();
  const kept = waiting ? ngettext("{count} record waiting to sync", "{count} records waiting to sync", waiting) : null;
  if (!navigator.onLine) {
    return { state: "offline", text: [_("No network: your work is kept on this phone"), kept] };
  }
  if (reachable === false) {
    return { state: "unreachable",
             text: [_("Server cannot be reached since {time}: your work is kept on this phone",
                      { time: clock(since) }), kept] };
  }
  if (running) {
    const counts = progress && { done: Math.min(progress.done, progress.total), total: progress.total };
    return { state: "syncing", text: [!progress || progress.total <= 1 ? _("Syncing…")
      // The server counts what is left up to a bound: past it, the truth is "more than".
      : progress.atLeast ? _("Syncing ({done} of more than {total})", counts)
      : _("Syncing ({done} of {total})", counts)] };
  }
  if (refused) {
    return { state: "needs-you", link: "#/sync",
             text: [ngettext("Something needs you: {count} record was refused",
                             "Something needs you: {count} records were refused", refused), kept] };
  }
  if (waiting) return { state: "waiting", text: [kept] };
  const synced = lastSync ?? lastContact;
  if (synced) return { state: "synced", text: [_("Synced at {time}", { time: clock(synced) })] };
  return { state: "unknown", text: [] };
}

// Rendered in place: the line is a live region, so it is only touched when its words change.
export function watchStatus(element, options = () => ({})) {
  const render = () => {
    const { state, text, link } = statusLine(options());
    const words = text.filter(Boolean).join(" · ");
    element.dataset.state = state;
    element.dataset.lastSync = syncState().lastSync ?? "";  // for tests: when it last worked
    if (element.dataset.words === words) return;
    element.dataset.words = words;
    element.replaceChildren(link ? h("a", { href: link }, words) : words);
  };
  render();
  syncStatus.addEventListener("change", render);
  reach.addEventListener("change", render);
  addEventListener("online", render);
  addEventListener("offline", render);
  return render;
}

// "Ready to work offline ✓": the shell, forms and this language's catalog are cached by the
// service worker, and a complete pull put the team's records on the phone.
export function watchOfflineReady(element) {
  const parts = { shell: false, records: false };
  return (part) => {
    parts[part] = true;
    if (!(parts.shell && parts.records) || !element.hidden) return;
    element.textContent = _("Ready to work offline ✓");
    element.hidden = false;
  };
}

// A new version waits until the worker chooses to reload: never under their typing.
export function offerUpdate(element, worker) {
  element.replaceChildren(_("A new version is ready."), " ",
    h("button", { type: "button", id: "reload-update", className: "secondary", onclick: () => {
      navigator.serviceWorker.addEventListener("controllerchange", () => location.reload(), { once: true });
      worker.postMessage({ type: "skip-waiting" });
    } }, _("Reload")));
  element.hidden = false;
}
