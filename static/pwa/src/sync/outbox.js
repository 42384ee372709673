// The outbox: sealed envelopes wait in IndexedDB until a sync acknowledges them, each with a
// receipt the worker can read ("synced 14:02", "waiting", "refused: why"), never a percentage.
import { openStore } from "../store/db.js";

export async function enqueue(envelope) {
  const db = await openStore();
  const tx = db.transaction(["outbox", "receipts"], "readwrite");
  tx.objectStore("outbox").put(envelope);
  tx.objectStore("receipts").put({ id: envelope.id, status: "waiting", type: envelope.type,
                                   record_id: envelope.record_id,
                                   at: new Date().toISOString() });
  await tx.done;
  dispatchEvent(new CustomEvent("outreach:queued"));
}

export async function waiting() {
  return (await openStore()).getAll("outbox");
}

export async function receipts() {
  return (await openStore()).getAll("receipts");
}

// A refused envelope leaves the push queue but keeps its receipt: the worker sees why, and can
// send it again (after an update of the app, say) from the sync screen.
export async function retryRefused() {
  const db = await openStore();
  const tx = db.transaction("receipts", "readwrite");
  for (const receipt of await tx.store.getAll()) {
    if (receipt.status === "refused") tx.store.put({ ...receipt, status: "waiting" });
  }
  await tx.done;
}
