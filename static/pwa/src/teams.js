// What a device needs to know about its teams to work offline: areas (for the visit's area
// code) and the regional referral catalogue. Fetched when there is a signal, kept on the device.
import { call } from "./api.js";
import { getSetting, putSetting } from "./store/db.js";

export async function refreshTeams(session) {
  try {
    const { teams } = await call("/teams", { method: "GET", token: session.accessToken });
    await putSetting("teams", teams);
    return teams;
  } catch {
    return (await getSetting("teams")) ?? [];
  }
}

export async function teamInfo(teamId) {
  const teams = (await getSetting("teams")) ?? [];
  return teams.find((t) => t.id === teamId) ?? { id: teamId, name: teamId, areas: [], services: [] };
}
