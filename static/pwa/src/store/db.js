// The device's store (IndexedDB through `idb`). CryptoKeys are stored as structured clones: a
// non-extractable key stays non-extractable, even for someone who copies the database.
import { openDB } from "idb";

const DB_NAME = "outreach";
const VERSION = 1;

let connection = null;

// One connection per page: a wipe must be able to close it before deleting the database.
export function openStore() {
  connection ??= openDB(DB_NAME, VERSION, {
    upgrade(db) {
      db.createObjectStore("session");  // one row: the logged-in device and its tokens
      db.createObjectStore("outbox", { keyPath: "id" });  // sealed envelopes waiting to sync
      db.createObjectStore("records", { keyPath: "id" });  // pulled envelopes, still sealed
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

// "Wipe this device", and what a revoked device does on its next contact.
export async function wipe() {
  if (connection) (await connection).close();
  connection = null;
  localStorage.clear();
  await new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(DB_NAME);
    request.onsuccess = resolve;
    request.onerror = () => reject(request.error);
  });
}
