// The envelope (PROTOCOL §2): a signed, encrypted revision of one record, sealed on the device.
import { gunzipSync } from "fflate";
import { b64uDecode, b64uEncode, canonicalJson, fromUtf8, utf8 } from "./encoding.js";
import { hpkeOpen, hpkeSeal } from "./hpke.js";

// Format 2 (docs/protocol.md, "Envelope format 2"): the household case id and the exact time
// are sealed inside the ciphertext, so a seized server cannot tell which records are one
// household. Format 2 says so in `v`; format 1 has no `v` and a clear `case_id`.
export const FORMAT = 2;
const AAD_FIELDS = ["v", "id", "record_id", "type", "team_id", "schema"];
const AAD_FIELDS_V1 = ["id", "record_id", "type", "case_id", "team_id", "schema"];
const SERVER_FIELDS = ["seq", "received_at", "author_id"];
const ECDSA_SHA256 = { name: "ECDSA", hash: "SHA-256" };

export function envelopeFormat(envelope) {
  return envelope.v === FORMAT ? FORMAT : 1;
}

export function recordAad(envelope) {
  const names = envelopeFormat(envelope) === FORMAT ? AAD_FIELDS : AAD_FIELDS_V1;
  return canonicalJson(Object.fromEntries(names.map((name) => [name, envelope[name]])));
}

// The first instant of the month: all a format 2 envelope shows of when it was written.
export function coarseTime(createdAt) {
  return `${createdAt.slice(0, 7)}-01T00:00:00Z`;
}

export function signingBytes(envelope) {
  const unsigned = { ...envelope };
  for (const name of ["sig", ...SERVER_FIELDS]) delete unsigned[name];
  return canonicalJson(unsigned);
}

async function pipe(bytes, stream) {
  const piped = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(piped).arrayBuffer());
}

const gzip = (bytes) => pipe(bytes, new CompressionStream("gzip"));
// Opening is the hot path (a first pull opens every envelope of the team): a record's payload
// is a few hundred bytes, and a DecompressionStream per record (a Blob, a stream, a Response)
// cost ~15 % of a first pull's main thread (bench/client.py); fflate inflates it in place.
// A damaged stream throws, as the stream did: the record is shown as unreadable.
const gunzip = (bytes) => gunzipSync(bytes);

// recipients: [[kid, CryptoKey public ECDH key], ...]; signingKey: the device's ECDSA key.
// Always format 2: the only format the server still accepts.
export async function sealEnvelope(plaintext, fields, recipients, signingKey) {
  const exact = fields.created_at ?? new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const envelope = {
    v: FORMAT,
    id: fields.id,
    record_id: fields.record_id,
    parents: fields.parents ?? [],
    type: fields.type,
    team_id: fields.team_id,
    schema: fields.schema,
    created_at: coarseTime(exact),
    meta: fields.meta ?? {},
  };
  let data = utf8(JSON.stringify({ case_id: fields.case_id, created_at: exact, record: plaintext }));
  const payload = {};
  // Ciphertext does not compress: this is the only place where compression helps.
  const packed = await gzip(data);
  if (packed.length < data.length) {
    data = packed;
    payload.z = "gzip";
  }
  const dataKey = crypto.getRandomValues(new Uint8Array(32));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const aesKey = await crypto.subtle.importKey("raw", dataKey, "AES-GCM", false, ["encrypt"]);
  const ct = new Uint8Array(await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: recordAad(envelope) }, aesKey, data));
  envelope.payload = { iv: b64uEncode(iv), ct: b64uEncode(ct), ...payload };
  envelope.keys = [];
  for (const [kid, publicKey] of recipients) {
    const enc = await hpkeSeal(publicKey, dataKey, `outreach/v1 dek ${fields.id}`);
    envelope.keys.push({ kid, enc: b64uEncode(enc) });
  }
  envelope.device_id = fields.device_id;
  const sig = await crypto.subtle.sign(ECDSA_SHA256, signingKey, signingBytes(envelope));
  envelope.sig = b64uEncode(new Uint8Array(sig));  // raw r‖s, 64 bytes
  return envelope;
}

// The record's plaintext, in either format.
export async function openEnvelope(envelope, kid, privateKey) {
  return (await openRecord(envelope, kid, privateKey)).plaintext;
}

// { plaintext, caseId, createdAt }: from inside (format 2) or the clear fields (format 1).
export async function openRecord(envelope, kid, privateKey) {
  return unpack(envelope, await decrypt(envelope, kid, privateKey));
}

function unpack(envelope, sealed) {
  if (envelopeFormat(envelope) !== FORMAT) {
    return { plaintext: sealed, caseId: envelope.case_id, createdAt: envelope.created_at };
  }
  if (!sealed || typeof sealed !== "object" || !("record" in sealed) || !("case_id" in sealed)) {
    throw new Error("sealed content is not a format 2 record");
  }
  return { plaintext: sealed.record, caseId: sealed.case_id, createdAt: sealed.created_at };
}

// The revision's data key, opened with one of the team keys it was sealed to.
export async function openDataKey(envelope, kid, privateKey) {
  const entry = envelope.keys.find((k) => k.kid === kid);
  if (!entry) throw new Error(`no key ${kid}`);
  return hpkeOpen(privateKey, b64uDecode(entry.enc), `outreach/v1 dek ${envelope.id}`);
}

async function decrypt(envelope, kid, privateKey) {
  return decryptWith(envelope, await openDataKey(envelope, kid, privateKey));
}

// Break-the-glass (docs/threat-model.md): a supervisor's phone seals one revision's data key
// to the requester's public key; the requester opens the revision with it, and nothing else.
export async function sealAccessKey(envelope, kid, teamKey, requesterPublicKey) {
  const dataKey = await openDataKey(envelope, kid, teamKey);
  return b64uEncode(await hpkeSeal(requesterPublicKey, dataKey, `outreach/v1 access ${envelope.id}`));
}

export async function openAccessRecord(envelope, sealedKey, userKey) {
  const dataKey = await hpkeOpen(userKey, b64uDecode(sealedKey), `outreach/v1 access ${envelope.id}`);
  return unpack(envelope, await decryptWith(envelope, dataKey));
}

async function decryptWith(envelope, dataKey) {
  const aesKey = await crypto.subtle.importKey("raw", dataKey, "AES-GCM", false, ["decrypt"]);
  let data = new Uint8Array(await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: b64uDecode(envelope.payload.iv), additionalData: recordAad(envelope) },
    aesKey, b64uDecode(envelope.payload.ct)));
  if (envelope.payload.z === "gzip") data = await gunzip(data);
  return JSON.parse(fromUtf8(data));
}

export async function verifyEnvelope(envelope, verifyKey) {
  return crypto.subtle.verify(ECDSA_SHA256, verifyKey, b64uDecode(envelope.sig),
    signingBytes(envelope));
}
