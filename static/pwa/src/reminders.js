// Reminders as notifications, where the browser allows them (cases/reminders.js says what they
// may say: counts, never a household). Shown by the service worker (Android's Chrome has no
// `new Notification()` in a page), at most once per day and count, when the unlocked app draws
// the home list: after unlocking, and after a sync that changed something. The home list shows
// the same follow-ups always, also where notifications are refused or missing.
import { reminderSummary } from "./cases/reminders.js";
import { _, ngettext } from "./i18n/index.js";
import { getSetting, putSetting } from "./store/db.js";

const TAG = "outreach-due";

export function notificationsAvailable() {
  return typeof Notification === "function" && "serviceWorker" in navigator;
}

// Whether to offer the worker to turn reminders on (they have not been asked yet).
export function mayAskForReminders() {
  return notificationsAvailable() && Notification.permission === "default";
}

export function reminderBody(summary) {
  const due = summary.due ? ngettext("{count} follow-up due today", "{count} follow-ups due today", summary.due) : null;
  const overdue = summary.overdue ? ngettext("{count} overdue", "{count} overdue", summary.overdue) : null;
  return [due, overdue].filter(Boolean).join(" · ");
}

// Notify about what is due now, unless this phone already did for the same day and counts.
export async function remind(facts, today) {
  if (!notificationsAvailable() || Notification.permission !== "granted") return null;
  const summary = reminderSummary(facts, today);
  if (!summary.total) return null;
  if ((await getSetting("reminded").catch(() => null)) === summary.key) return null;
  const registration = await navigator.serviceWorker.ready;
  await registration.showNotification(_("Follow-up due"), {
    body: reminderBody(summary), tag: TAG, renotify: false, data: { url: "./#/" },
  });
  await putSetting("reminded", summary.key);
  return summary;
}

// The worker's tap on "Remind me on this phone": the browser asks them, then the first one.
export async function askForReminders(facts, today) {
  const answer = await Notification.requestPermission();
  return answer === "granted" ? remind(facts, today) : null;
}
