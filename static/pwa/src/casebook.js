// The team's case book, decrypted on the device while it is unlocked: every envelope (synced or
// waiting in the outbox) opened once and indexed by record and by household. Revisions form a
// DAG per record (PROTOCOL §3); the heads are the revisions no other revision supersedes, and a
// record with more than one head is a conflict that a person resolves — nothing is overwritten.
import { survivors } from "./cases/merge.js";
import { rememberHouseholds } from "./forms/areas.js";
import { openWithKeyring } from "./keyring.js";
import { openStore } from "./store/db.js";

const opened = new Map();  // envelope id → opened record (memory only; gone when the app locks)
// Envelopes opened at once: each open is a dozen WebCrypto calls that hop to another thread and
// back; with a few dozen in flight the hops overlap instead of queueing one after another.
const OPEN_AT_ONCE = 32;

export function forgetPlaintexts() {
  opened.clear();
}

// The promise is what is remembered, so one envelope held twice (synced and in the outbox) is
// opened once even when both are asked for at the same time.
function open(keyring, envelope) {
  if (!opened.has(envelope.id)) {
    // Damaged or for a key we lack: null, shown as unreadable.
    opened.set(envelope.id, openWithKeyring(keyring, envelope).catch(() => null));
  }
  return opened.get(envelope.id);
}

// Every envelope opened (OPEN_AT_ONCE at a time); the answers in the envelopes' order.
async function openAll(keyring, envelopes) {
  const results = new Array(envelopes.length);
  let next = 0;
  const worker = async () => {
    while (next < envelopes.length) {
      const index = next++;
      results[index] = await open(keyring, envelopes[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(OPEN_AT_ONCE, envelopes.length) }, worker));
  return results;
}

export class Casebook {
  constructor() {
    this.records = new Map();  // record_id → { type, caseId, teamId, revisions: Map(id → rev) }
    this.cases = new Map();  // case_id → Set(record_id)
    this.merges = null;  // case_id → surviving case_id, computed when first asked
    // record_id → current(record_id): the screens ask for the same records many times per
    // render (a list row asks for its household's records through several rules). Dropped
    // by every add(); nothing a screen does changes a record it was given (they are read only).
    this.currents = new Map();
  }

  // `opened` is { plaintext, caseId, createdAt } or null (unreadable). In envelope format 2
  // the case and the exact time are sealed; the screens see them on a copy of the envelope
  // (`case_id`, `created_at`), never written back: the stored envelope stays as signed.
  add(envelope, opened, waiting) {
    const caseId = opened?.caseId ?? envelope.case_id ?? null;
    const shown = { ...envelope, case_id: caseId, created_at: opened?.createdAt ?? envelope.created_at };
    let record = this.records.get(envelope.record_id);
    if (!record) {
      record = { id: envelope.record_id, type: envelope.type, caseId,
                 teamId: envelope.team_id, revisions: new Map() };
      this.records.set(envelope.record_id, record);
    }
    record.caseId ??= caseId;
    record.revisions.set(envelope.id, { envelope: shown, plaintext: opened?.plaintext ?? null, waiting });
    this.merges = null;
    this.currents.clear();
    if (!this.cases.has(caseId)) this.cases.set(caseId, new Set());
    this.cases.get(caseId).add(envelope.record_id);
  }

  heads(recordId) {
    const record = this.records.get(recordId);
    if (!record) return [];
    const superseded = new Set();
    for (const { envelope } of record.revisions.values()) {
      for (const parent of envelope.parents) superseded.add(parent);
    }
    return [...record.revisions.values()]
      .filter((rev) => !superseded.has(rev.envelope.id))
      .sort((a, b) => a.envelope.created_at.localeCompare(b.envelope.created_at)
        || a.envelope.id.localeCompare(b.envelope.id));
  }

  // The version to show: the newest head. `conflict` tells whether there are others.
  current(recordId) {
    if (!this.currents.has(recordId)) this.currents.set(recordId, this.computeCurrent(recordId));
    return this.currents.get(recordId);
  }

  computeCurrent(recordId) {
    const heads = this.heads(recordId);
    if (!heads.length) return null;
    const head = heads.at(-1);
    const record = this.records.get(recordId);
    return { id: recordId, type: record.type, caseId: record.caseId, teamId: record.teamId,
             data: head.plaintext, envelope: head.envelope, heads,
             conflict: heads.length > 1, waiting: [...record.revisions.values()].some((r) => r.waiting),
             history: [...record.revisions.values()] };
  }

  // One household once (cases/merge.js): a household merged into another, and a street
  // contact linked to a household, belong to the surviving household's case.
  survivorOf(caseId) {
    if (!this.merges) {
      const pointers = [...this.records.values()]
        .filter((r) => r.type === "household" || r.type === "contact")
        .map((r) => this.current(r.id)).filter((r) => r?.data)
        .map((r) => ({ caseId: r.caseId, data: { merged_into: r.data.merged_into ?? r.data.linked_case } }));
      this.merges = survivors(pointers);
      this.members = new Map();  // surviving case_id → every case_id that is part of it
      for (const id of this.cases.keys()) {
        const survivor = this.merges.get(id) ?? id;
        if (!this.members.has(survivor)) this.members.set(survivor, []);
        this.members.get(survivor).push(id);
      }
    }
    return this.merges.get(caseId) ?? caseId;
  }

  // The cases whose records are this household's: its own and every one merged into it.
  casesOf(caseId) {
    const survivor = this.survivorOf(caseId);
    return this.members.get(survivor) ?? [caseId];
  }

  // A household's records (of one type), from its own case and the cases merged into it; the
  // merged household records themselves are left out: the survivor is the household.
  ofCase(caseId, type) {
    const ids = this.casesOf(caseId).flatMap((id) => [...(this.cases.get(id) ?? [])]);
    return ids.map((id) => this.current(id))
      .filter((r) => r && (!type || r.type === type) && r.data && !r.data.deleted && !r.data.merged_into);
  }

  // The records of one case only, merged household included (its own history, read as it was).
  ofOwnCase(caseId, type) {
    return [...(this.cases.get(caseId) ?? [])].map((id) => this.current(id))
      .filter((r) => r && (!type || r.type === type) && r.data && !r.data.deleted);
  }

  ofType(type) {
    return [...this.records.values()].filter((r) => r.type === type)
      .map((r) => this.current(r.id)).filter((r) => r?.data && !r.data.deleted && !r.data.merged_into);
  }

  conflicts() {
    return [...this.records.keys()].map((id) => this.current(id)).filter((r) => r?.conflict);
  }
}

export async function loadCasebook(keyring) {
  const db = await openStore();
  const book = new Casebook();
  const queued = await db.getAll("outbox");
  const queuedIds = new Set(queued.map((e) => e.id));
  const envelopes = [...await db.getAll("records"), ...queued];
  const results = await openAll(keyring, envelopes);
  envelopes.forEach((envelope, index) => book.add(envelope, results[index], queuedIds.has(envelope.id)));
  rememberHouseholds(book);
  return book;
}
