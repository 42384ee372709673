// Drafts are autosaved as the worker types and encrypted like everything else at rest: under a
// key derived (HKDF) from the user's private key, which is in memory only while unlocked.
import { fromUtf8, utf8 } from "../crypto/encoding.js";
import { openStore } from "./db.js";

let draftKey = null;

export async function unlockDrafts(userPkcs8) {
  const base = await crypto.subtle.importKey("raw", userPkcs8, "HKDF", false, ["deriveKey"]);
  draftKey = await crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8("outreach/v1 drafts") },
    base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
}

export function lockDrafts() {
  draftKey = null;
}

// A draft's timer and its generation: dropping a draft (the form was saved) cancels the timer
// and outdates any write already under way, so a draft can never come back after its record
// was saved and turn up, filled in, as the next form of the same kind.
const timers = new Map();
const generations = new Map();

export async function saveDraft(name, value) {
  if (!draftKey) return;
  const generation = generations.get(name) ?? 0;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8(name) },
    draftKey, utf8(JSON.stringify(value))));
  const db = await openStore();
  // Checked right before the write: IndexedDB runs a later delete after this put.
  if ((generations.get(name) ?? 0) !== generation) return;
  await db.put("drafts", { iv, ct, at: new Date().toISOString() }, name);
}

export async function loadDraft(name) {
  const row = await (await openStore()).get("drafts", name);
  if (!row || !draftKey) return null;
  try {
    return JSON.parse(fromUtf8(new Uint8Array(await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: row.iv, additionalData: utf8(name) }, draftKey, row.ct))));
  } catch {
    return null;
  }
}

export async function dropDraft(name) {
  clearTimeout(timers.get(name));
  timers.delete(name);
  generations.set(name, (generations.get(name) ?? 0) + 1);
  await (await openStore()).delete("drafts", name);
}

// Autosave a form: on every change, a moment after the worker stops typing. Stops for good
// once the form is submitted (the submit handler drops the draft when the record is saved).
export function autosave(form, name) {
  const schedule = () => {
    clearTimeout(timers.get(name));
    timers.set(name, setTimeout(() => {
      timers.delete(name);
      if (form.isConnected) saveDraft(name, form.read());
    }, 800));
  };
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", () => {
    clearTimeout(timers.get(name));
    timers.delete(name);
  });
}
