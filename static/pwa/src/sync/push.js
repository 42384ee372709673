// The outbox: sealed envelopes wait in IndexedDB until a sync acknowledges them. Ids make a
// retry after a lost answer harmless (PROTOCOL §3: identical content → "duplicate").
import { call, ProblemError } from "../api.js";
import { openStore, saveSession, wipe } from "../store/db.js";

export async function enqueue(envelope) {
  await (await openStore()).put("outbox", envelope);
}

export async function waiting() {
  return (await openStore()).getAll("outbox");
}

async function refreshed(session) {
  const tokens = await call("/auth/refresh", { body: { refresh_token: session.refreshToken } });
  const next = { ...session, accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
  await saveSession(next);
  return next;
}

// One request pushes the whole outbox (in batches of 100) and pulls what is new.
export async function syncNow(session) {
  const db = await openStore();
  let current = session;
  for (;;) {
    const batch = (await db.getAll("outbox")).slice(0, 100);
    const cursor = (await db.get("session", "cursor")) ?? null;
    let answer;
    try {
      answer = await call("/sync", { body: { push: batch, since: cursor }, token: current.accessToken });
    } catch (exc) {
      if (exc instanceof ProblemError && exc.problem.type === "/problems/device-revoked") {
        await wipe();  // a revoked device keeps nothing (PROTOCOL §3)
        throw exc;
      }
      if (exc instanceof ProblemError && exc.status === 401) {
        current = await refreshed(current);
        continue;
      }
      throw exc;
    }
    const tx = db.transaction(["outbox", "records", "session"], "readwrite");
    const byId = new Map(batch.map((e) => [e.id, e]));
    for (const result of answer.results) {
      if (["accepted", "duplicate", "conflict"].includes(result.status)) {
        tx.objectStore("records").put(byId.get(result.id));
        tx.objectStore("outbox").delete(result.id);
      }
    }
    for (const envelope of answer.pull) tx.objectStore("records").put(envelope);
    if (answer.erased.length) {
      const erased = new Set(answer.erased);  // erased on request: drop every local copy
      for (const envelope of await tx.objectStore("records").getAll()) {
        if (erased.has(envelope.record_id)) tx.objectStore("records").delete(envelope.id);
      }
    }
    tx.objectStore("session").put(answer.cursor, "cursor");
    await tx.done;
    if (answer.more) continue;
    const progressed = answer.results.some((r) => r.status !== "rejected");
    // Refused records stay in the outbox, with their problem, for the worker to see.
    if ((await db.count("outbox")) === 0 || !progressed) return current;
  }
}
