// The upgrade from envelope format 1 (docs/protocol.md, "Upgrade from format 1"). Format 1
// carried the household's case id in the clear; the server now refuses it, and replaces a
// stored format 1 revision when a phone of the team pushes the same revision in format 2.
// This phone re-seals: the format 1 revisions it wrote, any waiting in its outbox, and, on a
// supervisor's phone, every format 1 revision of its teams it can open. The re-sealed
// envelopes go out through the outbox like any record; nothing is lost if it stops halfway.
import * as oc from "../crypto/index.js";
import { formVersion, metaFor } from "../forms/definitions.js";
import { openWithKeyring } from "../keyring.js";
import { resealRecord } from "../records.js";
import { openStore } from "../store/db.js";

const KEPT = ["area", "date", "source", "paper_serial"];  // what format 1 meta had that still may be clear

export async function resealFormat1(session, keys, keyring) {
  const db = await openStore();
  const waiting = await db.getAll("outbox");
  const waitingIds = new Set(waiting.filter((e) => oc.envelopeFormat(e) === 2).map((e) => e.id));
  const candidates = [...waiting, ...await db.getAll("records")].filter((e) =>
    oc.envelopeFormat(e) === 1 && !waitingIds.has(e.id)
    && (session.role === "supervisor" || e.device_id === session.deviceId
        || waiting.some((w) => w.id === e.id)));
  let count = 0;
  for (const envelope of candidates) {
    let opened;
    try {
      opened = await openWithKeyring(keyring, envelope);
    } catch {
      opened = null;
    }
    if (!opened) continue;  // a key this phone lacks: another member's phone will do it
    const form = await formVersion(envelope.schema);
    const meta = { ...Object.fromEntries(KEPT.filter((k) => k in envelope.meta).map((k) => [k, envelope.meta[k]])),
                   ...(form ? metaFor(form, opened.plaintext) : {}) };
    const sealed = await resealRecord(session, keys, envelope, opened, meta);
    const tx = db.transaction(["outbox", "receipts"], "readwrite");
    tx.objectStore("outbox").put(sealed);  // replaces a format 1 copy waiting there
    tx.objectStore("receipts").put({ id: sealed.id, status: "waiting", type: sealed.type,
                                     record_id: sealed.record_id, at: new Date().toISOString() });
    await tx.done;
    waitingIds.add(sealed.id);
    count += 1;
  }
  if (count) dispatchEvent(new CustomEvent("outreach:queued"));
  return count;
}
