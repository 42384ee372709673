// A signed record that is not an envelope (published team figures): ECDSA P-256 over JCS of
// the record without `sig`, raw r‖s, as envelopes are signed (PROTOCOL §1).
import { b64uEncode, canonicalJson } from "./encoding.js";

export async function signRecord(record, signingKey) {
  const { sig: _unused, ...unsigned } = record;
  const sig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, signingKey,
    canonicalJson(unsigned));
  return { ...unsigned, sig: b64uEncode(new Uint8Array(sig)) };
}
