// Referrals and rights followed over time (DOMAIN.md; seed 003 on non-take-up): every change of
// status keeps its date, so "pending for 45 days" shows and a long wait is flagged; a right not
// claimed keeps why, from a fixed list, and only a coarse group of that reason travels in the
// clear (the exact reason — "no documents" is a person's situation — stays in the ciphertext).
// Pure: no imports.
import { addDays, daysBetween } from "./followup.js";

// Statuses in which the household still waits for something to happen.
export const PENDING = { referral: ["suggested", "agreed", "made"], right: ["eligible", "informed", "applied"] };
// After this many days in a waiting status a referral or a right is flagged.
export const LONG_PENDING_DAYS = 30;

// The reportable group of a non-take-up reason (right@1: non_take_up_group).
export const REASON_GROUPS = {
  did_not_know: "information", too_complex: "administrative", no_documents: "administrative",
  digital_barrier: "digital", distrust: "trust", shame: "trust", costs: "cost", other: "other",
};

// The record's plaintext with `status_dates` carried on: the date each status was first
// reached, kept from earlier revisions; a status reached again keeps its first date.
export function withStatusDates(previous, data, today) {
  const dates = { ...(previous?.status_dates ?? {}) };
  if (data.status && !dates[data.status]) dates[data.status] = today;
  return { ...data, status_dates: dates };
}

// How long the record has waited in its current status, or null when it waits for nothing.
// A record saved before status dates existed counts from when it was written.
export function daysPending(kind, data, since, today) {
  if (!PENDING[kind]?.includes(data.status)) return null;
  const from = data.status_dates?.[data.status] ?? since;
  return from ? Math.max(0, daysBetween(from, today)) : null;
}

// The right's plaintext as saved: status dates, and the reason's group when not claimed.
export function rightToSave(previous, data, today) {
  const saved = withStatusDates(previous, data, today);
  delete saved.non_take_up_group;
  if (saved.status === "not_claimed" && saved.non_take_up_reason) {
    saved.non_take_up_group = REASON_GROUPS[saved.non_take_up_reason] ?? "other";
  }
  return saved;
}

// Rights whose next step is due (overdue or within `horizon` days) while still pending.
export function dueRights(rights, today, horizon = 7) {
  return rights.filter((r) => r.data.due && PENDING.right.includes(r.data.status)
    && r.data.due <= addDays(today, horizon))
    .map((r) => ({ record: r, date: r.data.due, urgency: r.data.due < today ? "overdue" : "due" }))
    .sort((a, b) => a.date.localeCompare(b.date));
}
