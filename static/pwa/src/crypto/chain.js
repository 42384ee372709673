// Team key versions this phone may seal to (issue 9; docs/threat-model.md "Team key chain").
// A version is adopted only when its statement is signed by a supervisor that the version
// before names, and chains by hash back to a version this phone already trusts. A version the
// server made or changed on its own (a compromised server, an admin with database access) does
// not verify: the phone keeps sealing to the version it trusts and says so.
import { b64uDecode, b64uEncode, canonicalJson } from "./encoding.js";
import { importVerifyKey } from "./keys.js";

const ECDSA_SHA256 = { name: "ECDSA", hash: "SHA-256" };
const ECDSA = { name: "ECDSA", namedCurve: "P-256" };
export const TEAM_KEY_STATEMENT = "outreach/v1 team-key";
export const GRANT_STATEMENT = "outreach/v1 grant";

export async function statementHash(statement) {
  return b64uEncode(new Uint8Array(await crypto.subtle.digest("SHA-256", canonicalJson(statement))));
}

// The user key pair is P-256; its PKCS#8 imports as an ECDSA key as well as an ECDH one, so a
// supervisor signs with the key the team already knows them by (their grant's recipient).
export async function signStatement(statement, userPkcs8) {
  const key = await crypto.subtle.importKey("pkcs8", userPkcs8, ECDSA, false, ["sign"]);
  return b64uEncode(new Uint8Array(await crypto.subtle.sign(ECDSA_SHA256, key, canonicalJson(statement))));
}

async function signedBy(statement, signature, signer) {
  try {
    const key = await importVerifyKey(b64uDecode(signer));
    return await crypto.subtle.verify(ECDSA_SHA256, key, b64uDecode(signature), canonicalJson(statement));
  } catch {
    return false;
  }
}

export function teamKeyStatement({ teamId, version, publicKey, previous, recovery, supervisors, signer }) {
  return {
    type: TEAM_KEY_STATEMENT, team_id: teamId, version, public_key: publicKey, previous,
    recovery: { kid: recovery.kid, public_key: recovery.public_key },
    supervisors: [...new Set(supervisors)].sort(), signer,
  };
}

export function grantStatement({ teamId, version, userId, userPublicKey, grant }) {
  return { type: GRANT_STATEMENT, team_id: teamId, version, user_id: userId,
           user_public_key: userPublicKey, grant };
}

function wellFormed(entry, teamId) {
  const s = entry?.statement;
  return Boolean(s && s.type === TEAM_KEY_STATEMENT && s.team_id === teamId
    && s.version === entry.version && s.public_key === entry.public_key
    && Array.isArray(s.supervisors) && s.recovery && typeof s.recovery.public_key === "string");
}

async function trustOf(teamId, entry) {
  return {
    team_id: teamId, version: entry.version, kid: `team:${teamId}:${entry.version}`,
    public_key: entry.public_key, recovery: entry.statement.recovery,
    supervisors: entry.statement.supervisors, hash: await statementHash(entry.statement),
    signed: Boolean(entry.signature), rotated_by: entry.signature ? entry.rotated_by ?? null : null,
  };
}

// entries: the GET /keys `teams` items of one team; trusted: what this phone adopted before, or
// null on first sight. Returns the version to seal to and the versions refused (with why).
export async function walkChain(teamId, entries, trusted) {
  const byVersion = new Map(entries.map((e) => [e.version, e]));
  const newest = Math.max(0, ...byVersion.keys());
  const refused = [];
  let current = trusted;
  if (current) {
    const same = byVersion.get(current.version);
    if (same && (!wellFormed(same, teamId) || await statementHash(same.statement) !== current.hash)) {
      // The server now shows another history for a version this phone trusts: adopt nothing.
      return { trusted: current, refused: [{ version: current.version, reason: "history" }] };
    }
  } else {
    // First sight (trust on first use, docs/threat-model.md): the newest version the server
    // made itself (no signature) or a first version, and whatever verifies after it.
    const roots = [...byVersion.values()].filter((e) => wellFormed(e, teamId)
      && (!e.signature || e.statement.previous === null)).sort((a, b) => a.version - b.version);
    if (!roots.length) return { trusted: null, refused: [{ version: newest, reason: "no-root" }] };
    current = await trustOf(teamId, roots.at(-1));
  }
  for (let version = current.version + 1; version <= newest; version += 1) {
    const entry = byVersion.get(version);
    let reason = null;
    if (!entry) reason = "missing";
    else if (!wellFormed(entry, teamId)) reason = "malformed";
    else if (!entry.signature) reason = "unsigned";
    else if (entry.statement.previous !== current.hash) reason = "previous";
    else if (!current.supervisors.includes(entry.statement.signer)) reason = "signer";
    else if (!(await signedBy(entry.statement, entry.signature, entry.statement.signer))) reason = "signature";
    if (reason) {
      refused.push({ version, reason });
      break;
    }
    current = await trustOf(teamId, entry);
  }
  return { trusted: current, refused };
}
