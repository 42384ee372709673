// Pull every envelope the server relays to this device, page by page (PROTOCOL §3). Pulled
// envelopes are kept as they came: sealed.
import { call } from "../api.js";
import { openStore } from "../store/db.js";

export async function pullAll(session) {
  const db = await openStore();
  let cursor = (await db.get("session", "cursor")) ?? null;
  for (;;) {
    const answer = await call("/sync", { body: { push: [], since: cursor }, token: session.accessToken });
    const tx = db.transaction("records", "readwrite");
    for (const envelope of answer.pull) tx.store.put(envelope);
    for (const recordId of answer.erased) {
      for (const envelope of await tx.store.getAll()) {
        if (envelope.record_id === recordId) tx.store.delete(envelope.id);
      }
    }
    await tx.done;
    cursor = answer.cursor;
    await db.put("session", cursor, "cursor");
    if (!answer.more) return;
  }
}

export async function allRecords() {
  return (await openStore()).getAll("records");
}
