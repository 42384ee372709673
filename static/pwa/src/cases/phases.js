// The phases of a case (DOMAIN.md, seed 004): first contact → engaged → active plan → presence
// phase → closed. A case has one phase record; each change is a revision of it made by a
// person, so the case history shows who moved it when and why. Nothing here changes a phase:
// there is no automatic closure and no automatic reopening. Pure: no imports.

export const PHASES = ["first_contact", "engaged", "active_plan", "presence", "closed"];
export const CLOSURE_REASONS = ["moved", "goals_reached", "client_wish", "deceased", "other"];

// A case without a phase record is at its first contact.
export function currentPhase(record) {
  return record?.data?.phase ?? "first_contact";
}

// Every phase the case went through, oldest first: one entry per revision that changed the
// phase, the closure reason, or the presence settings (a revision that changes nothing else is
// still shown: it is a decision someone made).
export function phaseHistory(record) {
  return [...(record?.history ?? [])].filter((r) => r.plaintext && !r.plaintext.deleted)
    .sort((a, b) => a.envelope.created_at.localeCompare(b.envelope.created_at))
    .map((r) => ({ phase: r.plaintext.phase, date: r.plaintext.date, reason: r.plaintext.closure_reason ?? null,
                   note: r.plaintext.note ?? null, envelope: r.envelope, waiting: r.waiting }));
}
