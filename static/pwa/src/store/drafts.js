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

export async function saveDraft(name, value) {
  if (!draftKey) return;
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8(name) },
    draftKey, utf8(JSON.stringify(value))));
  await (await openStore()).put("drafts", { iv, ct, at: new Date().toISOString() }, name);
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
  await (await openStore()).delete("drafts", name);
}

// Autosave a form: on every change, a second after the worker stops typing.
export function autosave(form, name) {
  let timer = null;
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => saveDraft(name, form.read()), 800);
  });
}
