// Sync: push the outbox and pull what is new, in one request per batch (PROTOCOL §3). Runs by
// itself when a signal appears (online events, a timer, the tab coming back, Background Sync),
// backs off when the server asks, and never loses a record: an envelope leaves the outbox only
// once the server acknowledged it, and ids make every retry harmless. Built for a bad signal
// (issue 12): every request times out (api.js), failures back off exponentially with jitter,
// Retry-After is honoured, a 413 halves the batch, and the pull cursor is kept after every page
// so an interrupted first pull resumes where it stopped.
import { call, ProblemError } from "../api.js";
import { openStore, putSetting, updateSession, wipe } from "../store/db.js";
import { reach, reachState } from "../reach.js";
import { refreshSession } from "../tokens.js";
import { asPushed, driftedTeams } from "./drift.js";
import { sendReports } from "./reports.js";

const MAX_BATCH = 100;
// Envelopes per pull page: on GPRS a page is ~20 s, so progress moves and no answer is huge.
const PULL_PAGE = 100;
const TIMER_MS = 60_000;
const BACKOFF_BASE_MS = 2000;
const BACKOFF_CAP_MS = 300_000;
const KEEP_IN_OUTBOX = new Set(["rejected"]);

export const status = new EventTarget();
let state = { running: false, lastSync: null, error: null, waiting: 0, refused: 0, progress: null,
              retryAt: null };

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

// The one refresher (tokens.js); kept under this name for the screens that import it here.
export { refreshSession };

// Exponential back-off with "equal jitter": between half and all of base·2^(n-1), so phones that
// lost the same cell do not all come back in the same second, and never sooner than 1 s.
export function backoffMs(failures, random = Math.random) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1));
  return Math.max(1000, ceiling / 2 + random() * (ceiling / 2));
}

async function store(db, batch, answer) {
  const now = new Date().toISOString();
  const byId = new Map(batch.map((e) => [e.id, e]));
  const tx = db.transaction(["outbox", "records", "receipts", "session"], "readwrite");
  for (const result of answer.results) {
    const envelope = byId.get(result.id);
    if (!envelope) continue;
    const receipt = { id: result.id, type: envelope.type, record_id: envelope.record_id, at: now };
    if (KEEP_IN_OUTBOX.has(result.status) && result.problem?.type !== "/problems/erased") {
      const { type, title, detail } = result.problem ?? {};
      tx.objectStore("receipts").put({ ...receipt, status: "refused", problem: { type, title, detail } });
      continue;
    }
    // A re-pushed copy (drift repair) never replaces the pulled one, which has the server fields.
    if (result.status !== "rejected" && !(await tx.objectStore("records").getKey(result.id))) {
      tx.objectStore("records").put(envelope);
    }
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
// tokens may have been refreshed). Throws ProblemError or NetworkError (no answer in time).
export async function syncNow(session, onProgress = null, changes = { pulled: 0, erased: 0, pushed: 0 }) {
  const db = await openStore();
  let current = session;
  let done = 0;
  // Drift repair (drift.js): ids this sync saw on the server, once it pulls from the start.
  let fromScratch = ((await db.get("session", "cursor")) ?? null) === null;
  let seen = new Set();
  let repaired = false;
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
      answer = await call("/sync", { body: { push: batch, since: cursor, limit: PULL_PAGE },
                                      token: current.accessToken, gzip: true });
    } catch (exc) {
      if (!(exc instanceof ProblemError)) throw exc;
      if (exc.problem.type === "/problems/device-revoked") {
        await wipe();  // a revoked device keeps nothing (PROTOCOL §3)
        throw exc;
      }
      if (exc.status === 401 && !refreshedOnce) {
        refreshedOnce = true;
        current = await refreshSession(current);
        continue;
      }
      if (exc.status === 412) {  // the cursor is too old: pull again from the start
        await db.delete("session", "cursor");
        fromScratch = true;
        seen = new Set();
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
    for (const result of answer.results) if (result.status !== "rejected") seen.add(result.id);
    for (const envelope of answer.pull) seen.add(envelope.id);
    await store(db, batch, answer);
    // Only this field: tokens in storage may be newer than ours (another tab refreshed).
    const lastContact = new Date().toISOString();
    await updateSession({ lastContact });
    current = { ...current, lastContact };
    done += batch.length + answer.pull.length;
    changes.pulled += answer.pull.length;
    changes.erased += answer.erased?.length ?? 0;
    changes.pushed += batch.length;
    const left = (await db.getAll("outbox")).filter((e) => !tried.has(e.id));
    // "n of m": what was sent and received so far, of that plus what still waits on both sides
    // (`remaining` is the server's count of envelopes after the cursor, docs/protocol.md; it
    // stops at a bound, and `remaining_exact: false` says that more than it wait: "of more than").
    onProgress?.({ done, total: done + left.length + (answer.remaining ?? (answer.more ? 1 : 0)),
                   atLeast: answer.remaining_exact === false });
    if (!answer.more && (left.length === 0 || batch.length === 0)) {
      const records = await db.getAll("records");
      const drifted = repaired ? [] : await driftedTeams(records, answer.digests);
      if (drifted.length && !fromScratch) {
        // Something is missing on one side: first pull everything again (restores what this
        // phone lost), noting what the server holds.
        await db.delete("session", "cursor");
        fromScratch = true;
        seen = new Set();
        continue;
      }
      if (drifted.length) {
        // What this phone holds and the server lacks (a server restored from a backup): pushed
        // again, as signed; ids make it harmless if the server had it after all.
        repaired = true;
        const lacking = records.filter((e) => drifted.includes(e.team_id) && !seen.has(e.id));
        if (lacking.length) {
          const tx = db.transaction("outbox", "readwrite");
          for (const envelope of lacking) tx.store.put(asPushed(envelope));
          await tx.done;
          continue;
        }
      }
      await putSetting("pulled", true);  // a complete pull: the team's records are on the phone
      return sendReports(current);  // what this phone did offline, for the audit log (reports.js)
    }
  }
}

// The scheduler: one sync at a time, triggered by events, with back-off after failures.
export function startSyncLoop({ getSession, setSession, onSynced, onRevoked, onComplete }) {
  let running = null;
  let again = false;
  let failures = 0;
  let timer = null;

  async function refreshCounts() {
    const { waiting: count, refused } = await countQueue(await openStore());
    setState({ waiting: count, refused });
  }

  // `more`: run again after the sync under way: something was queued after it took its batch,
  // or the network changed under it. The timer, the tab coming back and Background Sync's
  // wake-up (which fires with the same returning signal as "online") are served by the sync
  // already running: on 2G a second, empty request costs a round trip for nothing.
  async function run(more = false) {
    if (running) {
      if (more === true) again = true;
      return running;
    }
    if (!navigator.onLine) {
      await refreshCounts();
      return null;
    }
    running = (async () => {
      setState({ running: true });
      try {
        const changes = { pulled: 0, erased: 0, pushed: 0 };
        setSession(await syncNow(getSession(), (progress) => setState({ progress }), changes));
        failures = 0;
        await onSynced?.(changes);  // the screens hold the new records before the sync is called done
        setState({ lastSync: new Date().toISOString(), error: null, retryAt: null });
        onComplete?.();
      } catch (exc) {
        if (exc?.problem?.type === "/problems/device-revoked") {
          // Also when the refresh (not the sync) was told: a revoked device keeps nothing.
          await wipe();
          onRevoked?.();
          return;
        }
        failures += 1;
        const offline = !(exc instanceof ProblemError);
        // Retry-After (429, 503) is the server's own word; otherwise back off with jitter.
        const wait = exc?.retryAfter != null ? exc.retryAfter * 1000 + Math.random() * 1000
          : backoffMs(failures);
        setState({ error: offline ? "offline" : exc.message, retryAt: Date.now() + wait });
        clearTimeout(timer);
        timer = setTimeout(() => run(), wait);
      } finally {
        await refreshCounts();
        setState({ running: false, progress: null });
        running = null;
        if (again) {
          again = false;
          queueMicrotask(() => run());
        }
      }
    })();
    return running;
  }

  addEventListener("online", () => run(true));
  // Some other call got through after a dead spell: the outbox need not wait for its timer.
  reach.addEventListener("change", () => {
    if (reachState().reachable && state.error) run();
  });
  addEventListener("outreach:queued", () => {
    refreshCounts();
    run(true);
    // Where the browser has Background Sync, it retries even after the app is closed.
    navigator.serviceWorker?.ready.then((reg) => reg.sync?.register("outbox")).catch(() => {});
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") run();
  });
  navigator.serviceWorker?.addEventListener("message", (event) => {
    if (event.data === "sync") run();
  });
  setInterval(() => run(), TIMER_MS);
  refreshCounts();
  // Asked for by a screen ("Sync now", after an import): run again if one is under way.
  return () => run(true);
}
