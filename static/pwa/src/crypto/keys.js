// P-256 keys in the wire encodings: raw uncompressed public keys (65 bytes), PKCS#8 private keys.
const ECDSA = { name: "ECDSA", namedCurve: "P-256" };
const ECDH = { name: "ECDH", namedCurve: "P-256" };

// Device signing keys are non-extractable (PROTOCOL §1): only the public half leaves the device.
export async function generateSigningKey() {
  return crypto.subtle.generateKey(ECDSA, false, ["sign", "verify"]);
}

// A device key to be sealed under the PIN (lock.js): generated extractable exactly once so its
// PKCS#8 can be sealed, then used only as the non-extractable key importSigningKey returns.
export async function generateSealableSigningKey() {
  const pair = await crypto.subtle.generateKey(ECDSA, true, ["sign", "verify"]);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey));
  return { publicKey: pair.publicKey, pkcs8 };
}

export async function importSigningKey(pkcs8) {
  return crypto.subtle.importKey("pkcs8", pkcs8, ECDSA, false, ["sign"]);
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
