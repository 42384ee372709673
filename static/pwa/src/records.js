// Sealing a new record on the device and queueing it: the one way anything is written.
import * as oc from "./crypto/index.js";
import { enqueue } from "./sync/push.js";

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

export async function saveRecord(session, keys, { type, caseId, plaintext, meta }) {
  const team = session.teams[0];
  const teamKey = keys.teams.filter((t) => t.team_id === team).at(-1);
  const recipients = [
    [teamKey.kid, await oc.importEncryptionPublicKey(oc.b64uDecode(teamKey.public_key))],
    [keys.recovery.kid, await oc.importEncryptionPublicKey(oc.b64uDecode(keys.recovery.public_key))],
  ];
  const id = uuid7();
  const envelope = await oc.sealEnvelope(plaintext, {
    id, record_id: id, case_id: caseId ?? id, type, team_id: team, schema: `${type}@1`,
    meta: { source: "app", date: new Date().toISOString().slice(0, 10), ...meta },
    device_id: session.deviceId,
  }, recipients, session.signingKey.privateKey);
  await enqueue(envelope);  // saved on the phone first; the network comes later
  return envelope;
}
