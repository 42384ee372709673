// The relay: when there is no signal for days, the outbox travels as a file (still sealed and
// signed) and is imported on another phone through the same idempotent sync path.
import { call, ProblemError } from "../api.js";
import { withFreshToken } from "../tokens.js";
import { waiting } from "./outbox.js";
import { queueReport } from "./reports.js";

// The file a phone saves: every envelope waiting in its outbox, as it is ({"push": [...]}).
// Saving it is reported to the audit log (how many records of which team; queued, since this
// is done when there is no signal: reports.js).
export async function outboxBlob() {
  const envelopes = await waiting();
  const teams = new Map();
  for (const envelope of envelopes) teams.set(envelope.team_id, (teams.get(envelope.team_id) ?? 0) + 1);
  for (const [team, records] of teams) await queueReport({ action: "outbox_export", team, records });
  return new Blob([JSON.stringify({ push: envelopes })], { type: "application/json" });
}

// The other side: a file saved on a colleague's phone is pushed as it is, in batches, through
// the sync path (PROTOCOL §3). The server judges each envelope as if its own phone had sent it
// (its signature, its author's team and role), so it is never put in this phone's outbox: these
// records are not this phone's, and they come back to it with the next pull.
const RELAY_BATCH = 100;

// The envelopes of a saved file, or null when the text is not one.
export function envelopesIn(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  const push = data?.push;
  if (!Array.isArray(push)) return null;
  const envelope = (e) => e && typeof e === "object" && !Array.isArray(e)
    && ["id", "record_id", "team_id", "device_id", "sig"].every((name) => typeof e[name] === "string");
  return push.every(envelope) ? push : null;
}

async function pushBatch(ctx, push) {
  // An expired access token is refreshed by the one refresher (tokens.js), so a refresh
  // token is never spent twice; a revoked phone is wiped by the next sync.
  return withFreshToken(ctx, (token) => call("/sync", { body: { push, since: null, limit: 1 }, token,
                                                        gzip: true }));
}

// Returns { accepted, duplicate, refused: [{ id, problem }], stopped: null | "offline" | problem }.
export async function relay(ctx, envelopes, progress) {
  const outcome = { accepted: 0, duplicate: 0, refused: [], stopped: null };
  let size = RELAY_BATCH;
  for (let start = 0; start < envelopes.length;) {
    const batch = envelopes.slice(start, start + size);
    progress(start, envelopes.length);
    let answer;
    try {
      answer = await pushBatch(ctx, batch);
    } catch (exc) {
      if (!(exc instanceof ProblemError)) {
        outcome.stopped = "offline";
        return outcome;
      }
      if (exc.status === 413 && size > 1) {  // halve, down to single envelopes (PROTOCOL §3)
        size = Math.max(1, Math.floor(size / 2));
        continue;
      }
      if ((exc.status === 413 || exc.status === 422) && batch.length === 1) {
        outcome.refused.push({ id: batch[0].id, problem: exc.problem });
        start += 1;
        continue;
      }
      outcome.stopped = exc.problem;
      return outcome;
    }
    for (const result of answer.results) {
      if (result.status === "duplicate") outcome.duplicate += 1;
      else if (result.status === "rejected") outcome.refused.push(result);
      else outcome.accepted += 1;  // accepted, or stored beside another head (conflict)
    }
    start += batch.length;
  }
  return outcome;
}
