// P-256 keys in the wire encodings: raw uncompressed public keys (65 bytes), PKCS#8 private keys.
const ECDSA = { name: "ECDSA", namedCurve: "P-256" };
const ECDH = { name: "ECDH", namedCurve: "P-256" };

// Device signing keys are non-extractable (PROTOCOL §1): only the public half leaves the device.
export async function generateSigningKey() {
  return crypto.subtle.generateKey(ECDSA, false, ["sign", "verify"]);
}

export async function exportPublicKey(publicKey) {
  return new Uint8Array(await crypto.subtle.exportKey("raw", publicKey));
}

export async function importVerifyKey(raw) {
  return crypto.subtle.importKey("raw", raw, ECDSA, true, ["verify"]);
}

export async function importEncryptionPublicKey(raw) {
  return crypto.subtle.importKey("raw", raw, ECDH, true, []);
}

// HPKE decapsulation needs the recipient's public key too, which @hpke/core derives from the
// private key: such keys are imported extractable, and live only in memory while unlocked.
export async function importEncryptionPrivateKey(pkcs8) {
  return crypto.subtle.importKey("pkcs8", pkcs8, ECDH, true, ["deriveBits"]);
}

export async function generateEncryptionKeyPair() {
  return crypto.subtle.generateKey(ECDH, true, ["deriveBits"]);
}

export async function exportPrivateKey(privateKey) {
  return new Uint8Array(await crypto.subtle.exportKey("pkcs8", privateKey));
}
