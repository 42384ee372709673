// What this phone did with decrypted records (an access export, printed in a house with no
// signal) must reach the audit log all the same: the report waits here, in the session store,
// and goes with the next sync. Each report has the phone's own id, so a retry whose answer was
// lost on a bad signal is recorded once (the server keeps one per device and id).
import { call, ProblemError } from "../api.js";
import { openStore } from "../store/db.js";
import { refreshSession } from "../tokens.js";

const KEY = "reports";

export async function queueReport({ action, team, records }) {
  const report = { id: crypto.randomUUID(), action, team, records, at: new Date().toISOString() };
  const tx = (await openStore()).transaction("session", "readwrite");
  const queued = (await tx.store.get(KEY)) ?? [];
  await tx.store.put([...queued, report], KEY);
  await tx.done;
  // The sync loop runs (now if there is a signal) and sends it after the records.
  dispatchEvent(new CustomEvent("outreach:queued"));
  return report;
}

export async function pendingReports() {
  return (await (await openStore()).get("session", KEY)) ?? [];
}

async function drop(id) {
  const tx = (await openStore()).transaction("session", "readwrite");
  const queued = (await tx.store.get(KEY)) ?? [];
  await tx.store.put(queued.filter((r) => r.id !== id), KEY);
  await tx.done;
}

// Sends every queued report; returns the session (its tokens may have been refreshed). A
// network failure leaves the rest queued for the next sync; a report the server refuses as
// malformed (4xx other than 401) is dropped rather than blocking the queue forever.
export async function sendReports(session) {
  let current = session;
  let refreshed = false;
  for (const report of await pendingReports()) {
    for (;;) {
      try {
        await call("/audit/events", { token: current.accessToken, body: report });
      } catch (exc) {
        if (!(exc instanceof ProblemError)) throw exc;
        if (exc.status === 401 && !refreshed && exc.problem?.type !== "/problems/device-revoked") {
          refreshed = true;
          current = await refreshSession(current);
          continue;
        }
        if (exc.status === 401 || exc.status === 429 || exc.status >= 500) throw exc;
      }
      break;
    }
    await drop(report.id);
  }
  return current;
}
