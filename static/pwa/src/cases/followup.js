// The next contact with a household, derived from the case's latest decisions (DOMAIN.md:
// the system schedules and reminds follow-up contacts and never closes a case by itself).
//
// A decision is a visit (its day) or a revision of the plan (the day it was saved) that may set
// a next date, or the case entering its presence phase. The latest decision that sets a date
// wins — a later visit replaces an earlier date, and a near date set after a far one shows —
// and a date is met once a later visit took place on or after it. In the presence phase the
// schedule takes over whenever no later explicit date stands: a contact every `interval_weeks`
// after the last one, for `months` from the start; when the period is over, the case is due for
// a person to decide what comes next (closing needs a person and a reason: cases/phases.js).
// Pure: plain records in ({ data, envelope }), dates as YYYY-MM-DD strings; no imports.

export const PRESENCE_DEFAULT = Object.freeze({ interval_weeks: 10, months: 24 });

const DAY_MS = 86_400_000;

function parse(day) {
  return new Date(`${day}T12:00:00Z`);
}

export function addDays(day, days) {
  return new Date(parse(day).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

export function addMonths(day, months) {
  const date = parse(day);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1, 12));
  // The same day of the month, or the month's last day (31 January + 1 month → 28/29 February).
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0, 12)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), last));
  return target.toISOString().slice(0, 10);
}

export function daysBetween(from, to) {
  return Math.round((parse(to) - parse(from)) / DAY_MS);
}

// The presence phase's settings: the case's own (set on the phase record), else the team's,
// else the default.
export function presenceSettings(phaseData = {}, team = {}) {
  const own = { interval_weeks: phaseData.presence_interval_weeks, months: phaseData.presence_months };
  const teams = team.presence ?? {};
  const pick = (name) => Number(own[name] ?? teams[name] ?? PRESENCE_DEFAULT[name]);
  return { interval_weeks: pick("interval_weeks"), months: pick("months") };
}

// The contacts the presence phase plans from `start`: every interval, until the period ends.
export function presenceSchedule(start, settings = PRESENCE_DEFAULT) {
  const end = addMonths(start, settings.months);
  const dates = [];
  for (let day = addDays(start, 7 * settings.interval_weeks); day <= end;
    day = addDays(day, 7 * settings.interval_weeks)) dates.push(day);
  return { dates, end };
}

const dayOf = (record) => record.data?.date ?? record.envelope.created_at.slice(0, 10);
const order = (a, b) => a.day.localeCompare(b.day) || a.at.localeCompare(b.at);

// When the plan's next visit was decided: the plan is edited for many reasons and carries its
// date along, so the decision is the oldest revision since which the date has not changed.
function planDecision(plan) {
  const next = plan.data.next_visit;
  const revisions = [...(plan.history ?? [])].filter((r) => r.plaintext)
    .sort((a, b) => a.envelope.created_at.localeCompare(b.envelope.created_at));
  let at = plan.envelope.created_at;
  for (let i = revisions.length - 1; i >= 0 && revisions[i].plaintext.next_visit === next; i -= 1) {
    if (revisions[i].envelope.created_at < at) at = revisions[i].envelope.created_at;
  }
  return { day: at.slice(0, 10), at, next, source: "plan" };
}

// `visits`, `plans`: the case's current records (Casebook.current()); `phase`: the current phase
// record or null; `team`: the team's settings (presence defaults). Returns null, or
// { date, source: "visit" | "plan" | "presence" | "presence_end" }.
export function nextContact({ visits = [], plans = [], phase = null, team = {} }) {
  if (phase?.data?.phase === "closed") return null;
  const decisions = [
    ...visits.map((v) => ({ day: dayOf(v), at: v.envelope.created_at, next: v.data.next_contact, source: "visit" })),
    ...plans.map(planDecision),
  ].sort(order);
  const contacts = decisions.filter((d) => d.source === "visit");
  const latest = decisions.filter((d) => d.next).at(-1) ?? null;
  const met = latest && contacts.some((v) => order(v, latest) > 0 && v.day >= latest.next);
  const explicit = latest && !met ? latest : null;
  if (phase?.data?.phase === "presence") {
    const start = { day: dayOf(phase), at: phase.envelope.created_at };
    if (explicit && order(explicit, start) > 0) return { date: explicit.next, source: explicit.source };
    const settings = presenceSettings(phase.data, team);
    const { end } = presenceSchedule(start.day, settings);
    const last = contacts.filter((v) => v.day >= start.day).at(-1)?.day ?? start.day;
    const next = addDays(last, 7 * settings.interval_weeks);
    return next <= end ? { date: next, source: "presence" } : { date: end, source: "presence_end" };
  }
  return explicit ? { date: explicit.next, source: explicit.source } : null;
}

// overdue (before today), due (within `horizon` days), or later.
export function urgency(date, today, horizon = 7) {
  if (date < today) return "overdue";
  return date <= addDays(today, horizon) ? "due" : "later";
}

// Every household's next contact that is overdue or due within `horizon` days, overdue first:
// the worker's home and the supervisor's team list are the same function over the same records,
// so they cannot disagree. `cases`: [{ caseId, name, visits, plans, phase, team }].
export function dueContacts(cases, today, horizon = 7) {
  return cases.map((c) => ({ ...c, next: nextContact(c) }))
    .filter((c) => c.next && urgency(c.next.date, today, horizon) !== "later")
    .map((c) => ({ ...c, urgency: urgency(c.next.date, today, horizon) }))
    .sort((a, b) => a.next.date.localeCompare(b.next.date) || String(a.name).localeCompare(String(b.name)));
}
