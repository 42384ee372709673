// HPKE (RFC 9180) base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, via @hpke/core
// on WebCrypto. Single-shot output is enc ‖ ct, as `cryptography`'s Suite.encrypt returns it.
import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from "@hpke/core";
import { concat, utf8 } from "./encoding.js";
import { importEncryptionPrivateKey } from "./keys.js";

const suite = new CipherSuite({
  kem: new DhkemP256HkdfSha256(),
  kdf: new HkdfSha256(),
  aead: new Aes128Gcm(),
});
const ENC_LENGTH = 65;

export async function hpkeSeal(recipientPublicKey, plaintext, info) {
  const { ct, enc } = await suite.seal({ recipientPublicKey, info: utf8(info) }, plaintext);
  return concat(new Uint8Array(enc), new Uint8Array(ct));
}

export async function hpkeOpen(recipientKey, sealed, info) {
  const enc = sealed.slice(0, ENC_LENGTH);
  const ct = sealed.slice(ENC_LENGTH);
  return new Uint8Array(await suite.open({ recipientKey, enc, info: utf8(info) }, ct));
}

// A team key grant: the team's PKCS#8 private key sealed to a member (PROTOCOL §1).
export async function openGrant(grant, memberPrivateKey) {
  return importEncryptionPrivateKey(await hpkeOpen(memberPrivateKey, grant, "outreach/v1 grant"));
}
