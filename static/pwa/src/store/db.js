// The device's store (IndexedDB through `idb`). CryptoKeys are stored as structured clones: a
// non-extractable key stays non-extractable, even for someone who copies the database.
// Nothing readable is kept here: envelopes stay sealed, drafts are encrypted (store/drafts.js).
import { openDB } from "idb";

const DB_NAME = "outreach";
const VERSION = 2;

let connection = null;

// One connection per page: a wipe must be able to close it before deleting the database.
export function openStore() {
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

export async function saveSession(session) {
  return (await openStore()).put("session", session, "current");
}

// Change some fields of the stored session in one transaction, so a tab that only notes its last
// contact never writes back tokens another tab has just replaced.
export async function updateSession(changes) {
  const tx = (await openStore()).transaction("session", "readwrite");
  const stored = await tx.store.get("current");
  if (!stored) return null;
  const next = { ...stored, ...changes };
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

// "Wipe this device", and what a revoked device does on its next contact.
export async function wipe() {
  if (connection) (await connection).close();
  connection = null;
  localStorage.clear();
  await new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = resolve;
    request.onblocked = resolve;  // deletion completes once the other tabs close
    request.onerror = () => reject(request.error);
  });
}
