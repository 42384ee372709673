// The vault: everything that lets this phone act as the worker, sealed under the PIN. The
// user's private key (which opens the team keys and derives the drafts key), the device
// signing key and the tokens (refresh and access) are kept only as ciphertext, sealed twice: with a key
// derived from the PIN (PBKDF2, 600 000 iterations) and with a random non-extractable AES key
// that never leaves this browser profile. While locked the page holds neither the secrets nor
// the PIN key; unlocking puts them in memory, locking (a reload) drops them. The construction
// and what it does not stop are in docs/threat-model.md ("The phone at rest").
import { b64uDecode, b64uEncode, fromUtf8, utf8 } from "./crypto/encoding.js";
import { openStore, wipe } from "./store/db.js";

const PIN_ITERATIONS = 600000;
const FORMAT = 2;
// The organisation sets the number of tries (login answer, `device_policy`); this is the
// default when it has not (the reasons are in docs/threat-model.md).
export const DEFAULT_PIN_ATTEMPTS = 10;
export const WARN_LAST = 3;

let pinKey = null;  // in memory only while unlocked: re-seals rotated tokens

async function derivePinKey(pin, salt, iterations) {
  const base = await crypto.subtle.importKey("raw", utf8(pin), "PBKDF2", false, ["deriveKey"]);
  return crypto.subtle.deriveKey({ name: "PBKDF2", hash: "SHA-256", salt, iterations },
    base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

// AAD names the slot, so a sealed refresh token cannot be swapped in for the keys.
async function seal(box, key, slot, value) {
  const iv1 = crypto.getRandomValues(new Uint8Array(12));
  const iv2 = crypto.getRandomValues(new Uint8Array(12));
  const additionalData = utf8(`outreach/v1 vault ${slot}`);
  const inner = await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv1, additionalData }, box.deviceKey,
    utf8(JSON.stringify(value)));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv2, additionalData }, key, inner));
  return { iv1, iv2, ct };
}

async function open(box, key, slot) {
  const { iv1, iv2, ct } = box[slot];
  const additionalData = utf8(`outreach/v1 vault ${slot}`);
  const inner = await crypto.subtle.decrypt({ name: "AES-GCM", iv: iv2, additionalData }, key, ct);
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: iv1, additionalData }, box.deviceKey, inner);
  return JSON.parse(fromUtf8(new Uint8Array(plain)));
}

async function readBox() {
  const box = await (await openStore()).get("session", "lockbox");
  return box?.v === FORMAT ? box : null;
}

async function writeBox(box) {
  await (await openStore()).put("session", box, "lockbox");
}

// After login: seal the user key, the signing key (PKCS#8) and the tokens under a new PIN.
export async function setPin(pin, { userPkcs8, signingPkcs8, tokens }, maxAttempts = DEFAULT_PIN_ATTEMPTS) {
  const deviceKey = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false,
    ["encrypt", "decrypt"]);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const box = { v: FORMAT, deviceKey, salt, iterations: PIN_ITERATIONS, failures: 0, maxAttempts };
  pinKey = await derivePinKey(pin, salt, PIN_ITERATIONS);
  box.keys = await seal(box, pinKey, "keys", { user: b64uEncode(userPkcs8), signing: b64uEncode(signingPkcs8) });
  box.tokens = await seal(box, pinKey, "tokens", pickTokens(tokens));
  await writeBox(box);
}

export async function hasPin() {
  return Boolean(await readBox());
}

// How many tries are left before the wipe, as the PIN screen shows it (survives a reload: the
// count is in the store, written before each try is judged).
export async function attemptsLeft() {
  const box = await readBox();
  return box ? Math.max(0, box.maxAttempts - box.failures) : 0;
}

export async function setMaxAttempts(maxAttempts) {
  const box = await readBox();
  if (box && Number.isInteger(maxAttempts) && maxAttempts > 0) await writeBox({ ...box, maxAttempts });
}

// {ok: true, secrets} | {ok: false, left} | {wiped: true}. The failure is counted before the
// PIN is tried, so closing the app while PBKDF2 runs does not buy a free guess.
export async function unlock(pin) {
  const box = await readBox();
  if (!box) return { wiped: true };
  const counted = { ...box, failures: box.failures + 1 };
  await writeBox(counted);
  try {
    const key = await derivePinKey(pin, box.salt, box.iterations);
    const { user, signing } = await open(box, key, "keys");
    const tokens = await open(box, key, "tokens");
    await writeBox({ ...counted, failures: 0 });
    pinKey = key;
    return { ok: true, secrets: { userPkcs8: b64uDecode(user), signingPkcs8: b64uDecode(signing), tokens } };
  } catch {
    const left = box.maxAttempts - counted.failures;
    if (left <= 0) {
      await wipe();
      return { wiped: true };
    }
    return { ok: false, left };
  }
}

// A refresh token rotates with every use (PROTOCOL §1): the new pair is sealed at once, and is
// what another unlocked tab of this phone finds (tokens.js). Locked, there is nothing to seal
// with, and nothing to refresh with either.
export async function sealTokens(tokens) {
  const box = await readBox();
  if (!pinKey || !box) throw new Error("locked");
  await writeBox({ ...box, tokens: await seal(box, pinKey, "tokens", pickTokens(tokens)) });
}

// The newest sealed pair, whichever tab rotated it last; null while locked.
export async function openTokens() {
  const box = await readBox();
  if (!pinKey || !box) return null;
  return open(box, pinKey, "tokens");
}

function pickTokens({ refreshToken, accessToken = null, accessExpiresAt = 0 }) {
  return { refreshToken, accessToken, accessExpiresAt };
}

export function isUnlocked() {
  return pinKey !== null;
}

export function lockVault() {
  pinKey = null;
}
