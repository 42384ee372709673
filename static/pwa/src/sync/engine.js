// Sync: push the outbox and pull what is new, in one request per batch (PROTOCOL §3). Runs by
// itself when a signal appears (online events, a timer, the tab coming back, Background Sync),
// backs off when the server asks, and never loses a record: an envelope leaves the outbox only
// once the server acknowledged it, and ids make every retry harmless.
import { call, ProblemError } from "../api.js";
import { openStore, saveSession, wipe } from "../store/db.js";

const MAX_BATCH = 100;
const TIMER_MS = 60_000;
const KEEP_IN_OUTBOX = new Set(["rejected"]);

export const status = new EventTarget();
let state = { running: false, lastSync: null, error: null, waiting: 0, refused: 0 };

export function syncState() {
  return state;
}

function setState(changes) {
  state = { ...state, ...changes };
  status.dispatchEvent(new CustomEvent("change", { detail: state }));
}

async function countQueue(db) {
  const receipts = await db.getAll("receipts");
  const refused = new Set(receipts.filter((r) => r.status === "refused").map((r) => r.id));
  const outbox = await db.getAllKeys("outbox");
  return { waiting: outbox.filter((id) => !refused.has(id)).length, refused: refused.size, refusedIds: refused };
}

// New tokens for an expired access token; also used by screens that call the server directly.
export async function refreshSession(session) {
  return refreshed(session);
}

async function refreshed(session) {
  const tokens = await call("/auth/refresh", { body: { refresh_token: session.refreshToken } });
  const next = { ...session, accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
  await saveSession(next);
  return next;
}

async function store(db, batch, answer) {
  const now = new Date().toISOString();
  const byId = new Map(batch.map((e) => [e.id, e]));
  const tx = db.transaction(["outbox", "records", "receipts", "session"], "readwrite");
  for (const result of answer.results) {
    const envelope = byId.get(result.id);
    if (!envelope) continue;
    const receipt = { id: result.id, type: envelope.type, record_id: envelope.record_id,
                      case_id: envelope.case_id, at: now };
    if (KEEP_IN_OUTBOX.has(result.status) && result.problem?.type !== "/problems/erased") {
      const { type, title, detail } = result.problem ?? {};
      tx.objectStore("receipts").put({ ...receipt, status: "refused", problem: { type, title, detail } });
      continue;
    }
    if (result.status !== "rejected") tx.objectStore("records").put(envelope);
    tx.objectStore("outbox").delete(result.id);
    tx.objectStore("receipts").put({ ...receipt, status: result.status === "rejected" ? "erased"
      : result.status === "conflict" ? "conflict" : "synced" });
  }
  for (const envelope of answer.pull) tx.objectStore("records").put(envelope);
  if (answer.erased?.length) {
    const erased = new Set(answer.erased);  // erased on request: drop every local copy
    for (const envelope of await tx.objectStore("records").getAll()) {
      if (erased.has(envelope.record_id)) tx.objectStore("records").delete(envelope.id);
    }
  }
  tx.objectStore("session").put(answer.cursor, "cursor");
  await tx.done;
}

// One full sync: as many requests as the outbox and the pull need. Returns the session (its
// tokens may have been refreshed). Throws ProblemError or TypeError (no network).
export async function syncNow(session) {
  const db = await openStore();
  let current = session;
  let batchSize = MAX_BATCH;
  let refreshedOnce = false;
  const tried = new Set();
  for (;;) {
    const { refusedIds } = await countQueue(db);
    const batch = (await db.getAll("outbox"))
      .filter((e) => !refusedIds.has(e.id) && !tried.has(e.id)).slice(0, batchSize);
    const cursor = (await db.get("session", "cursor")) ?? null;
    let answer;
    try {
      answer = await call("/sync", { body: { push: batch, since: cursor }, token: current.accessToken,
                                      gzip: true });
    } catch (exc) {
      if (!(exc instanceof ProblemError)) throw exc;
      if (exc.problem.type === "/problems/device-revoked") {
        await wipe();  // a revoked device keeps nothing (PROTOCOL §3)
        throw exc;
      }
      if (exc.status === 401 && !refreshedOnce) {
        refreshedOnce = true;
        current = await refreshed(current);
        continue;
      }
      if (exc.status === 412) {  // the cursor is too old: pull again from the start
        await db.delete("session", "cursor");
        continue;
      }
      if (exc.status === 413 && batchSize > 1) {  // halve, down to single envelopes
        batchSize = Math.max(1, Math.floor(batchSize / 2));
        continue;
      }
      if (exc.status === 413 || exc.status === 422) {
        // This envelope alone is refused: keep it, with why, and let the rest through.
        const [only] = batch;
        if (!only) throw exc;
        await store(db, batch, { results: [{ id: only.id, status: "rejected", problem: exc.problem }],
                                 pull: [], cursor });
        continue;
      }
      throw exc;
    }
    for (const envelope of batch) tried.add(envelope.id);
    await store(db, batch, answer);
    current = { ...current, lastContact: new Date().toISOString() };
    await saveSession(current);
    const left = (await db.getAll("outbox")).filter((e) => !tried.has(e.id));
    if (!answer.more && (left.length === 0 || batch.length === 0)) return current;
  }
}

// The scheduler: one sync at a time, triggered by events, with back-off after failures.
export function startSyncLoop({ getSession, setSession, onSynced, onRevoked }) {
  let running = null;
  let again = false;
  let failures = 0;
  let timer = null;

  async function refreshCounts() {
    const { waiting: count, refused } = await countQueue(await openStore());
    setState({ waiting: count, refused });
  }

  async function run() {
    if (running) {
      again = true;
      return running;
    }
    if (!navigator.onLine) {
      await refreshCounts();
      return null;
    }
    running = (async () => {
      setState({ running: true });
      try {
        setSession(await syncNow(getSession()));
        failures = 0;
        await onSynced?.();  // the screens hold the new records before the sync is called done
        setState({ lastSync: new Date().toISOString(), error: null });
      } catch (exc) {
        if (exc?.problem?.type === "/problems/device-revoked") {
          onRevoked?.();
          return;
        }
        failures += 1;
        const offline = !(exc instanceof ProblemError);
        setState({ error: offline ? "offline" : exc.message });
        const wait = exc.retryAfter ? exc.retryAfter * 1000 : Math.min(300_000, 5000 * 2 ** failures);
        clearTimeout(timer);
        timer = setTimeout(run, wait);
      } finally {
        await refreshCounts();
        setState({ running: false });
        running = null;
        if (again) {
          again = false;
          queueMicrotask(run);
        }
      }
    })();
    return running;
  }

  addEventListener("online", run);
  addEventListener("outreach:queued", () => {
    refreshCounts();
    run();
    // Where the browser has Background Sync, it retries even after the app is closed.
    navigator.serviceWorker?.ready.then((reg) => reg.sync?.register("outbox")).catch(() => {});
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") run();
  });
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data === "sync") run();
  });
  setInterval(run, TIMER_MS);
  refreshCounts();
  return run;
}
