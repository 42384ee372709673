// The envelope (PROTOCOL §2): a signed, encrypted revision of one record, sealed on the device.
import { b64uDecode, b64uEncode, canonicalJson, fromUtf8, utf8 } from "./encoding.js";
import { hpkeOpen, hpkeSeal } from "./hpke.js";

const AAD_FIELDS = ["id", "record_id", "type", "case_id", "team_id", "schema"];
const SERVER_FIELDS = ["seq", "received_at", "author_id"];
const ECDSA_SHA256 = { name: "ECDSA", hash: "SHA-256" };

export function recordAad(envelope) {
  return canonicalJson(Object.fromEntries(AAD_FIELDS.map((name) => [name, envelope[name]])));
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
const gunzip = (bytes) => pipe(bytes, new DecompressionStream("gzip"));

// recipients: [[kid, CryptoKey public ECDH key], ...]; signingKey: the device's ECDSA key.
export async function sealEnvelope(plaintext, fields, recipients, signingKey) {
  const envelope = {
    id: fields.id,
    record_id: fields.record_id,
    parents: fields.parents ?? [],
    type: fields.type,
    case_id: fields.case_id,
    team_id: fields.team_id,
    schema: fields.schema,
    created_at: fields.created_at ?? new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    meta: fields.meta ?? {},
  };
  let data = utf8(JSON.stringify(plaintext));
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

export async function openEnvelope(envelope, kid, privateKey) {
  const entry = envelope.keys.find((k) => k.kid === kid);
  if (!entry) throw new Error(`no key ${kid}`);
  const dataKey = await hpkeOpen(privateKey, b64uDecode(entry.enc), `outreach/v1 dek ${envelope.id}`);
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
