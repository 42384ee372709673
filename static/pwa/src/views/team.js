// A supervisor's team: who holds the team key, giving it to new members (a grant written on
// this phone: the server never sees the key), and rotating it after someone leaves.
import { call } from "../api.js";
import * as oc from "../crypto/index.js";
import { _ } from "../i18n/index.js";
import { h, mount } from "../ui/dom.js";
import { backLink } from "./household.js";

async function sealGrant(teamPkcs8, publicKeyB64u) {
  const recipient = await oc.importEncryptionPublicKey(oc.b64uDecode(publicKeyB64u));
  return oc.b64uEncode(await oc.hpkeSeal(recipient, teamPkcs8, "outreach/v1 grant"));
}


export async function renderTeam(ctx, teamId) {
  const token = () => ctx.session.accessToken;
  let document_;
  try {
    document_ = await call(`/teams/${encodeURIComponent(teamId)}/members`, { method: "GET", token: token() });
  } catch (exc) {
    mount(ctx.root, backLink("#/settings"), h("p", { className: "card error" },
      exc.problem?.title ?? _("No connection. Managing a team needs a signal.")));
    return;
  }
  const version = document_.current_version;
  const teamKey = ctx.keyring.teams.get(`team:${teamId}:${version}`);
  const message = h("p", { role: "status", id: "team-message" });
  const grant = (member) => async () => {
    const pkcs8 = await oc.exportPrivateKey(teamKey);
    await call(`/teams/${encodeURIComponent(teamId)}/grants`, { token: token(), body: {
      version, grants: [{ user_id: member.user_id, grant: await sealGrant(pkcs8, member.public_key) }] } });
    renderTeam(ctx, teamId);
  };
  const rotate = async () => {
    const pair = await oc.generateEncryptionKeyPair();
    const pkcs8 = await oc.exportPrivateKey(pair.privateKey);
    const grants = [];
    for (const member of document_.members) {
      if (member.public_key && !member.revoked) {
        grants.push({ user_id: member.user_id, grant: await sealGrant(pkcs8, member.public_key) });
      }
    }
    await call(`/teams/${encodeURIComponent(teamId)}/keys`, { token: token(), body: {
      version: (version ?? 0) + 1,
      public_key: oc.b64uEncode(await oc.exportPublicKey(pair.publicKey)),
      grants,
      recovery_grant: { kid: ctx.keys.recovery.kid, grant: await sealGrant(pkcs8, ctx.keys.recovery.public_key) },
    } });
    await ctx.refreshKeys(true);
    renderTeam(ctx, teamId);
  };
  mount(ctx.root, backLink("#/settings"),
    h("section", { className: "card" },
      h("h1", {}, _("Members and keys of {team}", { team: teamId })),
      h("p", { id: "team-version", dataset: { version: String(version ?? "") } },
        _("Team key version {version}", { version: version ?? "–" })),
      h("ul", { id: "members", className: "list" }, document_.members.map((member) => h("li", {
        dataset: { user: member.username, pending: member.pending ? "true" : undefined } },
        h("span", { className: "name" }, member.username), " · ", member.role,
        member.revoked ? h("span", { className: "badge alert" }, _("revoked")) : null,
        member.pending && !member.revoked ? (member.public_key && teamKey
          ? h("button", { type: "button", className: "grant", onclick: grant(member) }, _("Give access"))
          : h("span", { className: "badge" }, _("waiting for first login"))) : null))),
      h("button", { type: "button", id: "rotate-key", className: "secondary", onclick: rotate },
        _("New team key (after someone left)")),
      message));
}
