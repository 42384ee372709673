// A supervisor's team: who holds the team key, giving it to new members (a grant written on
// this phone: the server never sees the key), and rotating it after someone leaves.
import { call } from "../api.js";
import * as oc from "../crypto/index.js";
import { _ } from "../i18n/index.js";
import { h, mount } from "../ui/dom.js";
import { keyTrustLines } from "../ui/key-trust.js";
import { backLink } from "../ui/nav.js";

// A grant as the server stores it: sealed to the member, signed with this supervisor's user key
// over the member it is for (crypto/chain.js), so nobody else can pass one off as ours.
async function signedGrant(ctx, teamId, version, member, teamPkcs8) {
  const grant = await oc.sealGrant(teamPkcs8, member.public_key);
  const statement = oc.grantStatement({ teamId, version, userId: member.user_id,
                                        userPublicKey: member.public_key, grant });
  return { user_id: member.user_id, grant, signature: await oc.signStatement(statement, ctx.userPkcs8) };
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
  const trusted = ctx.keyTrust?.trusted?.[teamId] ?? null;
  // Grants give the version this phone trusts, never one it could not verify.
  const version = trusted?.version ?? null;
  const teamKey = version ? ctx.keyring.teams.get(`team:${teamId}:${version}`) : null;
  const message = h("p", { role: "status", id: "team-message" });
  const attempt = (action) => async () => {
    try {
      await action();
      renderTeam(ctx, teamId);
    } catch (exc) {
      message.textContent = exc.problem?.detail ?? exc.problem?.title ?? _("No connection. Managing a team needs a signal.");
    }
  };
  const grant = (member) => attempt(async () => {
    const pkcs8 = await oc.exportPrivateKey(teamKey);
    await call(`/teams/${encodeURIComponent(teamId)}/grants`, { token: token(), body: {
      version, grants: [await signedGrant(ctx, teamId, version, member, pkcs8)] } });
  });
  const rotate = attempt(async () => {
    const pair = await oc.generateEncryptionKeyPair();
    const pkcs8 = await oc.exportPrivateKey(pair.privateKey);
    const next = (document_.current_version ?? 0) + 1;
    const grants = [];
    for (const member of document_.members) {
      if (member.public_key && !member.revoked) grants.push(await signedGrant(ctx, teamId, next, member, pkcs8));
    }
    const recovery = ctx.keys.recovery;
    const publicKey = oc.b64uEncode(await oc.exportPublicKey(pair.publicKey));
    const supervisors = document_.members
      .filter((m) => m.role === "supervisor" && m.public_key && !m.revoked).map((m) => m.public_key);
    const statement = oc.teamKeyStatement({
      teamId, version: next, publicKey, previous: trusted?.hash ?? null, recovery, supervisors,
      signer: ctx.keys.user.public_key });
    await call(`/teams/${encodeURIComponent(teamId)}/keys`, { token: token(), body: {
      version: next, public_key: publicKey, grants,
      recovery_grant: { kid: recovery.kid, grant: await oc.sealGrant(pkcs8, recovery.public_key) },
      previous: statement.previous, supervisors: statement.supervisors,
      signature: await oc.signStatement(statement, ctx.userPkcs8),
    } });
    await ctx.refreshKeys(true);
  });
  mount(ctx.root, backLink("#/settings"),
    h("section", { className: "card" },
      h("h1", {}, _("Members and keys of {team}", { team: teamId })),
      h("p", { id: "team-version", dataset: { version: String(version ?? "") } },
        _("Team key version {version}", { version: version ?? "–" })),
      ...keyTrustLines(ctx, teamId),
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
