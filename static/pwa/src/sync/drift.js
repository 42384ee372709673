// The drift check (PROTOCOL §3 guidance, docs/protocol.md "digests"): after a complete pull the
// device compares, per team, the count and XOR of SHA-256 of the envelope ids it holds with the
// server's. A difference means one side lost something nobody saw: this phone's storage was
// cleared in part, or the server was restored from a backup taken before some syncs.
import { b64uEncode } from "../crypto/encoding.js";

async function fold(ids) {
  const acc = new Uint8Array(32);
  const encoder = new TextEncoder();
  // All digests asked for at once: one at a time, each waited a thread hop (a first pull of
  // 2,000 envelopes, bench/client.py). XOR does not care in which order they come back.
  const hashes = await Promise.all(ids.map((id) => crypto.subtle.digest("SHA-256", encoder.encode(id))));
  for (const digest of hashes) {
    const hash = new Uint8Array(digest);
    for (let i = 0; i < 32; i += 1) acc[i] ^= hash[i];
  }
  return { count: ids.length, xor: b64uEncode(acc) };
}

// Teams whose digest differs from the server's; [] when the server sent none.
export async function driftedTeams(records, digests) {
  const drifted = [];
  for (const [team, theirs] of Object.entries(digests ?? {})) {
    const ours = await fold(records.filter((e) => e.team_id === team).map((e) => e.id));
    if (ours.count !== theirs.count || ours.xor !== theirs.xor) drifted.push(team);
  }
  return drifted;
}

// A pulled envelope as its author pushed it: the unsigned server fields removed (PROTOCOL §2).
export function asPushed(envelope) {
  const { seq: _seq, received_at: _received, author_id: _author, ...pushed } = envelope;
  return pushed;
}
