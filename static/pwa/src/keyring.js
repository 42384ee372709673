// The keys a device needs to read its teams' records: the user's private key (unwrapped with
// the passphrase-derived wrap key) and every team key version granted to the user. They live
// in memory only; a locked app holds none of them.
import { call } from "./api.js";
import * as oc from "./crypto/index.js";
import { getSetting, putSetting } from "./store/db.js";

// Which version of each team key this phone seals to: adopted only along a verified chain
// (crypto/chain.js), remembered on the phone so a server that later shows a forged version
// (or withholds the real one) cannot move it. Returns { trusted: {team → version}, refused:
// [{team, version, reason}] } and sets `keys.trusted` for records.js.
export async function trustTeamKeys(keys) {
  const before = (await getSetting("team-trust")) ?? {};
  const byTeam = new Map();
  for (const entry of keys.teams) {
    if (!byTeam.has(entry.team_id)) byTeam.set(entry.team_id, []);
    byTeam.get(entry.team_id).push(entry);
  }
  const trusted = { ...before };
  const refused = [];
  for (const [teamId, entries] of byTeam) {
    const walked = await oc.walkChain(teamId, entries, before[teamId] ?? null);
    if (walked.trusted) trusted[teamId] = walked.trusted;
    for (const item of walked.refused) refused.push({ team: teamId, ...item });
  }
  await putSetting("team-trust", trusted);
  keys.trusted = trusted;
  return { trusted, refused };
}

export async function fetchKeys(accessToken, wrapKey) {
  const keys = await call("/keys", { method: "GET", token: accessToken });
  const userPkcs8 = await oc.unwrapPrivateKey(
    wrapKey, oc.b64uDecode(keys.user.iv), oc.b64uDecode(keys.user.wrapped_private_key));
  return { keys, userPkcs8 };
}

// After a key rotation: the new team key version and its grants, opened with the user key.
export async function fetchKeysWithUserKey(accessToken) {
  return call("/keys", { method: "GET", token: accessToken });
}

// `keys` is the (still sealed) answer of GET /keys, cached on the device for offline unlock.
export async function loadKeyring(keys, userPkcs8) {
  const userKey = await oc.importEncryptionPrivateKey(userPkcs8);
  const teams = new Map();  // kid → private CryptoKey
  for (const team of keys.teams) {
    if (team.grant) teams.set(team.kid, await oc.openGrant(oc.b64uDecode(team.grant), userKey));
  }
  return { teams, recovery: keys.recovery, teamPublic: keys.teams };
}

// Open an envelope with whichever of its team keys this device holds: { plaintext, caseId,
// createdAt } (envelope format 2 seals the case and the exact time), or null.
export async function openWithKeyring(keyring, envelope) {
  for (const { kid } of envelope.keys) {
    const key = keyring.teams.get(kid);
    if (key) return oc.openRecord(envelope, kid, key);
  }
  return null;
}
