// The device's store (IndexedDB through `idb`). CryptoKeys are stored as structured clones: a
// non-extractable key stays non-extractable, even for someone who copies the database.
// Nothing readable is kept here: envelopes stay sealed, drafts are encrypted (store/drafts.js).
import { openDB } from "idb";

const DB_NAME = "outreach";
const VERSION = 2;

let connection = null;

let closed = false;

// After the quick exit nothing may open (and so re-create) the database again in this page.
export function closeForGood() {
  closed = true;
}

export function isClosed() {
  return closed;
}

// One connection per page: a wipe must be able to close it before deleting the database.
export function openStore() {
  if (closed) return Promise.reject(new Error("closed"));
  connection ??= openDB(DB_NAME, VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore("session");  // the logged-in device, its tokens, cursor, team info
        db.createObjectStore("outbox", { keyPath: "id" });  // sealed envelopes waiting to sync
        db.createObjectStore("records", { keyPath: "id" });  // synced envelopes, still sealed
      }
      if (oldVersion < 2) {
        db.createObjectStore("receipts", { keyPath: "id" });  // per-record sync outcome
        db.createObjectStore("drafts");  // encrypted form drafts, by screen
      }
    },
    blocking() {
      // Another tab upgrades or wipes the store: let it, this page reloads into the new one.
      connection?.then((db) => db.close());
      connection = null;
    },
  });
  return connection;
}

export async function loadSession() {
  return (await openStore()).get("session", "current");
}

// What is kept of the session in the clear: who, which device and teams, when last in touch.
// Never the tokens or the signing key: those are in the vault (lock.js), sealed under the PIN,
// so a locked phone cannot act as the worker.
function clearPart({ accessToken, refreshToken, signingKey, ...clear }) {
  return clear;
}

export async function saveSession(session) {
  return (await openStore()).put("session", clearPart(session), "current");
}

// Change some fields of the stored session in one transaction, so a tab that only notes its last
// contact never writes back tokens another tab has just replaced.
export async function updateSession(changes) {
  const tx = (await openStore()).transaction("session", "readwrite");
  const stored = await tx.store.get("current");
  if (!stored) return null;
  const next = clearPart({ ...stored, ...changes });
  await tx.store.put(next, "current");
  await tx.done;
  return next;
}

export async function getSetting(key) {
  return (await openStore()).get("session", key);
}

export async function putSetting(key, value) {
  return (await openStore()).put("session", value, key);
}

// "Wipe this device", too many wrong PINs, and what a revoked device does on its next contact:
// the database and localStorage. The service worker's caches hold only the app itself (never
// an API answer other than the form definitions, never a paper kit: sw.js), so the app still
// opens to its login; the quick exit (`everything`) drops them too, and the service worker.
export async function wipe({ everything = false } = {}) {
  if (connection) (await connection).close();
  connection = null;
  localStorage.clear();
  sessionStorage.clear();
  if (everything && navigator.serviceWorker) {
    navigator.serviceWorker.controller?.postMessage({ type: "erase" });
    const registrations = await navigator.serviceWorker.getRegistrations().catch(() => []);
    await Promise.all(registrations.map((r) => r.unregister())).catch(() => {});
  }
  if (everything && globalThis.caches) {
    await Promise.all((await caches.keys()).map((name) => caches.delete(name))).catch(() => {});
  }
  await new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = resolve;
    request.onblocked = resolve;  // deletion completes once the other tabs close
    request.onerror = () => reject(request.error);
  });
}
