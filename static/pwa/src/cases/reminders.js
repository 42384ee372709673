// What a reminder on the phone may say (issue 15: "reminders appear on the phone offline, a
// notification where the browser allows it, the home list always"). Worked out on the device
// from the decrypted case book, like the home list, and never sent anywhere. A notification
// shows on a locked screen and in the notification shade, where anyone holding the phone reads
// it: so it says how many follow-ups are due, never which household. Pure: no browser APIs.
import { dueContacts } from "./followup.js";
import { dueRights } from "./lifecycle.js";

// `facts`: the cases as caseFacts() gives them (the home list's input); `today`: YYYY-MM-DD.
// Counts what is overdue or due today (the home list shows the week ahead; a notification is
// for what needs doing now). `key` changes when the counts or the day change: a phone notifies
// once per key, not at every screen it draws.
export function reminderSummary(facts, today) {
  const contacts = dueContacts(facts, today, 0).map((c) => c.urgency);
  const rights = facts.filter((c) => c.phase?.data?.phase !== "closed")
    .flatMap((c) => dueRights(c.rights ?? [], today, 0).map((r) => r.urgency));
  const all = [...contacts, ...rights];
  const overdue = all.filter((u) => u === "overdue").length;
  const due = all.length - overdue;
  return { overdue, due, total: all.length, key: `${today}:${overdue}:${due}` };
}
