// What a device needs to know about its teams to work offline: areas (for the visit's area
// code) and the regional referral catalogue. Fetched when there is a signal, kept on the device.
import { call } from "./api.js";
import { getSetting, putSetting } from "./store/db.js";
import { withFreshToken } from "./tokens.js";

// `ctx` is the open app (its session may be refreshed on the way, by the one refresher).
// `fresh` says whether the server answered; if not, the app asks again after the next sync.
export async function refreshTeams(ctx) {
  try {
    const { teams } = await withFreshToken(ctx, (token) => call("/teams", { method: "GET", token }));
    await putSetting("teams", teams);
    return { teams, fresh: true };
  } catch {
    return { teams: (await getSetting("teams")) ?? [], fresh: false };
  }
}

export async function teamInfo(teamId) {
  const teams = (await getSetting("teams")) ?? [];
  return teams.find((t) => t.id === teamId) ?? { id: teamId, name: teamId, areas: [], services: [] };
}

// Who wrote a revision, by username: the server names the author of what it stored
// (author_id); what is still waiting in this phone's outbox is this user's own.
export function authorName(team, envelope, session) {
  if (!envelope.author_id) return session.username;
  return team.members?.find((m) => m.id === envelope.author_id)?.username ?? "?";
}
