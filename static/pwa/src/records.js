// Sealing a record revision on the device and queueing it: the one way anything is written.
import * as oc from "./crypto/index.js";
import { enqueue } from "./sync/outbox.js";
import { reportedAreaFor } from "./forms/areas.js";
import { today } from "./ui/dom.js";

// UUIDv7: time-ordered ids minted on the device (PROTOCOL §0).
export function uuid7() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let ms = Date.now();
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The team key version this phone trusts (keyring.js trustTeamKeys: never merely the newest the
// server lists), and the recovery key that version's signed statement names: every envelope
// carries both (PROTOCOL §2).
async function recipientsFor(keys, teamId) {
  const teamKey = keys.trusted?.[teamId];
  if (!teamKey) throw new Error(`no trusted key for team ${teamId}`);
  const recovery = teamKey.recovery?.kid ? teamKey.recovery : keys.recovery;
  return [
    [teamKey.kid, await oc.importEncryptionPublicKey(oc.b64uDecode(teamKey.public_key))],
    [recovery.kid, await oc.importEncryptionPublicKey(oc.b64uDecode(recovery.public_key))],
  ];
}

// `recordId` + `parents` make a new revision of an existing record (an edit, or a merge whose
// parents are all the heads); without them a new record starts. `schema` names the form version
// (a paper form is entered in the version it was printed from).
export async function saveRecord(session, keys, { type, caseId, teamId, recordId, parents = [],
                                                   plaintext, meta = {}, schema = `${type}@1` }) {
  const team = teamId ?? session.teams[0];
  const id = uuid7();
  const envelope = await oc.sealEnvelope(plaintext, {
    id, record_id: recordId ?? id, parents, case_id: caseId ?? id, type, team_id: team,
    schema, meta: await clearMeta(session, team, meta), device_id: session.deviceId,
  }, await recipientsFor(keys, team), session.signingKey.privateKey);
  await enqueue(envelope);  // saved on the phone first; the network comes later
  return envelope;
}

// The last step before anything goes in the clear: the month, not the day (the day stays in
// the ciphertext), and a small area rolled up to its parent.
export async function clearMeta(session, teamId, meta) {
  const clean = { source: "app", ...meta };
  clean.date = String(meta.date || today()).slice(0, 7);
  if (clean.area) clean.area = await reportedAreaFor(session, teamId, clean.area);
  for (const [name, value] of Object.entries(clean)) {
    if (value === undefined || value === "" || value === null) delete clean[name];
  }
  return clean;
}

// The same revision sealed again in envelope format 2 (docs/protocol.md, "Upgrade from format
// 1"): same id, record, parents, schema and plaintext; the case id and exact time go inside,
// the clear meta is rebuilt by today's rules. Sealed to the team's newest key.
export async function resealRecord(session, keys, envelope, opened, meta) {
  return oc.sealEnvelope(opened.plaintext, {
    id: envelope.id, record_id: envelope.record_id, parents: envelope.parents,
    case_id: opened.caseId, type: envelope.type, team_id: envelope.team_id,
    schema: envelope.schema, created_at: opened.createdAt,
    meta: await clearMeta(session, envelope.team_id, meta), device_id: session.deviceId,
  }, await recipientsFor(keys, envelope.team_id), session.signingKey.privateKey);
}
