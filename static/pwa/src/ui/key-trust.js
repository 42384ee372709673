// What the phone trusts of each team key (keyring.js trustTeamKeys), in words.
import { _ } from "../i18n/index.js";
import { h } from "./dom.js";

// The key line every member sees: the version this phone seals to and who rotated it, and a
// warning when the server offers a version that does not verify (keyring.js trustTeamKeys).
export function keyTrustLines(ctx, teamId) {
  const trusted = ctx.keyTrust?.trusted?.[teamId];
  const refused = (ctx.keyTrust?.refused ?? []).filter((r) => r.team === teamId);
  return [
    h("p", { className: "key-version", dataset: { team: teamId, version: String(trusted?.version ?? "") } },
      trusted?.rotated_by
        ? _("Team key version {version} of {team}, rotated by {name}",
            { version: trusted.version, team: teamId, name: trusted.rotated_by })
        : _("Team key version {version} of {team}", { version: trusted?.version ?? "–", team: teamId })),
    ...refused.map((r) => h("p", { className: "warning key-warning", dataset: { team: teamId, version: String(r.version) } },
      _("The server offers version {version} of the {team} team key, but no supervisor of the team signed it. This phone keeps sealing records to version {trusted}. Tell your supervisor.",
        { version: r.version, team: teamId, trusted: trusted?.version ?? "–" }))),
  ];
}

// Only the warnings, for the home screen: a refused version must not go unnoticed.
export function keyWarnings(ctx, teams) {
  return teams.flatMap((teamId) => keyTrustLines(ctx, teamId).slice(1));
}
