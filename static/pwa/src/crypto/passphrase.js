// Login without revealing the passphrase (PROTOCOL §1): PBKDF2-SHA256, then HKDF separation.
import { utf8 } from "./encoding.js";

async function hkdf(master, info) {
  const key = await crypto.subtle.importKey("raw", master, "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8(info) }, key, 256);
  return new Uint8Array(bits);
}

export async function deriveLoginKeys(passphrase, salt, iterations) {
  const base = await crypto.subtle.importKey(
    "raw", utf8(passphrase.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
  const master = new Uint8Array(await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations }, base, 256));
  return {
    authKey: await hkdf(master, "outreach/v1 auth"),
    wrapKey: await hkdf(master, "outreach/v1 wrap"),
  };
}

// AES-256-GCM under the wrap key, no AAD: the user's private key as the server stores it.
export async function unwrapPrivateKey(wrapKey, iv, wrapped) {
  const key = await crypto.subtle.importKey("raw", wrapKey, "AES-GCM", false, ["decrypt"]);
  return new Uint8Array(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, key, wrapped));
}

export async function wrapPrivateKey(wrapKey, pkcs8) {
  const key = await crypto.subtle.importKey("raw", wrapKey, "AES-GCM", false, ["encrypt"]);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, pkcs8));
  return { iv, wrapped: ct };
}
