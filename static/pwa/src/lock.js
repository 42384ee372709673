// Offline unlock with a short PIN. The user's private key is kept on the device sealed twice:
// with a key derived from the PIN (PBKDF2) and with a random non-extractable AES key that never
// leaves this browser profile. Five wrong PINs wipe the device. A PIN alone is weak against a
// forensic copy of the phone; the threat model (docs/threat-model.md) says what this does and
// does not stop.
import { utf8 } from "./crypto/encoding.js";
import { openStore, wipe } from "./store/db.js";

const PIN_ITERATIONS = 600000;
const MAX_ATTEMPTS = 5;

async function pinKey(pin, salt) {
  const base = await crypto.subtle.importKey("raw", utf8(pin), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations: PIN_ITERATIONS },
    base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

async function aes(mode, key, iv, data) {
  return new Uint8Array(await crypto.subtle[mode]({ name: "AES-GCM", iv }, key, data));
}

export async function setPin(pin, secret) {
  const deviceKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false,
    ["encrypt", "decrypt"]);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv1 = crypto.getRandomValues(new Uint8Array(12));
  const iv2 = crypto.getRandomValues(new Uint8Array(12));
  const inner = await aes("encrypt", deviceKey, iv1, secret);
  const outer = await aes("encrypt", await pinKey(pin, salt), iv2, inner);
  await (await openStore()).put("session", { deviceKey, salt, iv1, iv2, outer, failures: 0 }, "lockbox");
}

export async function hasPin() {
  return Boolean(await (await openStore()).get("session", "lockbox"));
}

// Returns the secret, or null for a wrong PIN; wipes the device after too many.
export async function unlock(pin) {
  const db = await openStore();
  const box = await db.get("session", "lockbox");
  try {
    const inner = await aes("decrypt", await pinKey(pin, box.salt), box.iv2, box.outer);
    const secret = await aes("decrypt", box.deviceKey, box.iv1, inner);
    await db.put("session", { ...box, failures: 0 }, "lockbox");
    return secret;
  } catch {
    const failures = box.failures + 1;
    if (failures >= MAX_ATTEMPTS) {
      await wipe();
      return "wiped";
    }
    await db.put("session", { ...box, failures }, "lockbox");
    return null;
  }
}
