// Break-the-glass on the phone (docs/threat-model.md, "Break-the-glass"): a supervisor of
// another team, or an admin, asks for one household with a stated reason; a supervisor of the
// team sees the request with its reason and, on this phone that holds the team key, seals the
// household's data keys to the requester's public key, or refuses; the requester reads those
// revisions until the access expires. The server relays sealed keys and never opens any.
// Nothing read through an emergency access is stored on the requester's phone.
import { call } from "../api.js";
import * as oc from "../crypto/index.js";
import { loadForms } from "../forms/definitions.js";
import { _ } from "../i18n/index.js";
import { withFreshToken } from "../tokens.js";
import { formatDate, h, mount } from "../ui/dom.js";
import { problemText } from "./admin.js";
import { valueText } from "./rights.js";
import { backLink } from "../ui/nav.js";

const MIN_REASON = 20;  // as the server (outreach/admin/access.py): a reason, not "x"
const MAX_HOURS = 72;

const api = (ctx, path, options = {}) =>
  withFreshToken(ctx, (token) => call(path, { method: "GET", ...options, token }));

const when = (value) => (value ? `${formatDate(value.slice(0, 10))} ${value.slice(11, 16)}` : "–");

// A short fingerprint of a public key, shown on both phones: read out over a call, it tells
// the approver that the key they seal to is the requester's own, not one a server put there.
async function fingerprint(publicKeyB64u) {
  if (!publicKeyB64u) return "–";
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", oc.b64uDecode(publicKeyB64u)));
  const hex = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
  return hex.match(/.{4}/g).join(" ");
}

// This phone's own public key, from the private key it holds (not the server's copy): the
// fingerprint the requester reads out must not be one the server could have chosen.
async function ownPublicKey(ctx) {
  const { x, y } = await crypto.subtle.exportKey("jwk", await oc.importEncryptionPrivateKey(ctx.userPkcs8));
  const raw = new Uint8Array(65);
  raw[0] = 4;
  raw.set(oc.b64uDecode(x), 1);
  raw.set(oc.b64uDecode(y), 33);
  return oc.b64uEncode(raw);
}

const STATUS = () => ({ requested: _("waiting for the team"), approved: _("approved"),
                        refused: _("refused"), expired: _("expired") });

// Teams whose key this phone holds, so a supervisor of that team can decide here.
function heldTeams(ctx) {
  return new Set([...ctx.keyring.teams.keys()].map((kid) => kid.split(":")[1]));
}

// Every synced revision of the household (its cases, merged ones included) this phone can
// open: envelope id → the data key sealed to the requester.
async function sealHousehold(ctx, caseId, requesterPublicKey) {
  const requester = await oc.importEncryptionPublicKey(oc.b64uDecode(requesterPublicKey));
  const grants = {};
  for (const id of ctx.book.casesOf(caseId)) {
    for (const recordId of ctx.book.cases.get(id) ?? []) {
      for (const revision of ctx.book.records.get(recordId)?.revisions.values() ?? []) {
        if (revision.waiting) continue;  // not on the server yet: nothing to read there
        const entry = revision.envelope.keys.find((k) => ctx.keyring.teams.has(k.kid));
        if (!entry) continue;
        grants[revision.envelope.id] = await oc.sealAccessKey(
          revision.envelope, entry.kid, ctx.keyring.teams.get(entry.kid), requester);
      }
    }
  }
  return grants;
}

function askForm(ctx, message, onAsked) {
  const form = h("form", { id: "access-ask" },
    h("label", { htmlFor: "access-team" }, _("Team (short name)")),
    h("input", { id: "access-team", name: "team", required: true, autocapitalize: "none" }),
    h("label", { htmlFor: "access-reference" }, _("Which household (paper number or reference the team knows)")),
    h("input", { id: "access-reference", name: "reference", required: true, maxLength: 100 }),
    h("label", { htmlFor: "access-reason" }, _("Why now (the team's supervisors read this)")),
    h("textarea", { id: "access-reason", name: "reason", required: true, maxLength: 500 }),
    h("label", { htmlFor: "access-hours" }, _("For how many hours")),
    h("input", { id: "access-hours", name: "hours", type: "number", min: 1, max: MAX_HOURS, value: 4, required: true }),
    h("button", { type: "submit", className: "danger" }, _("Ask for emergency access")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.reason.value.trim().length < MIN_REASON) {
      message.replaceChildren(h("p", { className: "error", role: "alert" },
        _("Say why, in {count} characters or more.", { count: MIN_REASON })));
      form.reason.focus();
      return;
    }
    try {
      await api(ctx, "/access-requests", { method: "POST", body: {
        team: form.team.value.trim(), reference: form.reference.value.trim(),
        reason: form.reason.value.trim(), hours: Number(form.hours.value) } });
      onAsked();
    } catch (exc) {
      message.replaceChildren(h("p", { className: "error", role: "alert" }, problemText(exc)));
    }
  });
  return form;
}

function decision(ctx, request, message, key) {
  const households = ctx.book.ofType("household").filter((r) => r.teamId === request.team);
  const choice = h("select", { id: `access-household-${request.id}`, className: "household" },
    households.map((r) => h("option", { value: r.caseId }, r.data.display_name ?? r.caseId)));
  const decide = (verb, body) => async () => {
    try {
      await api(ctx, `/access-requests/${encodeURIComponent(request.id)}/${verb}`,
                { method: "POST", body: await body() });
      await renderAccess(ctx);
    } catch (exc) {
      message.replaceChildren(h("p", { className: "error", role: "alert" }, problemText(exc)));
    }
  };
  return h("div", { className: "decide" },
    h("p", { className: "help fingerprint", dataset: { fingerprint: key } },
      _("Their key: {fingerprint}. Call them and compare it before you approve.", { fingerprint: key })),
    h("label", { htmlFor: choice.id }, _("The household asked for")), choice,
    h("button", { type: "button", className: "danger approve", disabled: !households.length,
                  onclick: decide("approve", async () => ({ grants: await sealHousehold(ctx, choice.value, request.requester_public_key) })) },
      _("Give access to this household")),
    h("button", { type: "button", className: "secondary refuse", onclick: decide("refuse", async () => undefined) }, _("Refuse")));
}

export async function renderAccess(ctx) {
  let requests;
  try {
    ({ requests } = await api(ctx, "/access-requests"));
  } catch (exc) {
    mount(ctx.root, backLink("#/admin"), h("p", { className: "card error", role: "alert" }, problemText(exc)));
    return;
  }
  const message = h("div", { id: "access-message", role: "status" });
  const mine = ctx.session.username;
  const held = heldTeams(ctx);
  const supervisor = ctx.session.role === "supervisor";
  const myFingerprint = await fingerprint(await ownPublicKey(ctx));
  const item = async (request) => {
    const own = request.requester === mine;
    const key = own ? myFingerprint : await fingerprint(request.requester_public_key);
    return h("li", { dataset: { request: request.id, status: request.status, team: request.team } },
      h("p", {}, h("strong", {}, request.team), ` · ${request.reference} · `,
        h("span", { className: "badge status" }, STATUS()[request.status] ?? request.status)),
      h("p", {}, _("{requester} asked on {when}, for {hours} h:", { requester: request.requester, when: when(request.created_at), hours: request.hours })),
      h("blockquote", { className: "reason" }, request.reason),
      request.status === "approved" ? h("p", {}, _("Revisions shared: {count}, until {when}", { count: request.records, when: when(request.expires_at) })) : null,
      own ? h("p", { className: "help fingerprint", dataset: { fingerprint: key } }, _("Your key: {fingerprint}", { fingerprint: key })) : null,
      own && request.status === "approved" ? h("a", { href: `#/admin/access/${request.id}`, className: "button read" }, _("Read the household")) : null,
      !own && supervisor && request.status === "requested" && held.has(request.team) ? decision(ctx, request, message, key) : null);
  };
  const items = await Promise.all(requests.map(item));
  mount(ctx.root, backLink("#/admin"),
    h("section", { className: "card" }, h("h1", {}, _("Emergency access")),
      h("p", { className: "help" }, _("One household of another team, in an emergency, for a few hours. The team's supervisors see why and decide on their phone; everything is in the audit log.")),
      message,
      h("ul", { id: "access-requests", className: "list" }, items)),
    h("section", { className: "card" }, h("h2", {}, _("Ask for emergency access")),
      askForm(ctx, message, () => renderAccess(ctx))));
}

// What an approved access lets the requester read: opened here, shown, never stored.
export async function renderAccessRecords(ctx, requestId) {
  let answer;
  try {
    answer = await api(ctx, `/access-requests/${encodeURIComponent(requestId)}/records`);
  } catch (exc) {
    mount(ctx.root, backLink("#/admin/access"), h("p", { className: "card error", role: "alert", id: "access-ended" }, problemText(exc)));
    return;
  }
  const forms = await loadForms();
  const userKey = await oc.importEncryptionPrivateKey(ctx.userPkcs8);
  const newest = new Map();  // record id → its newest revision read
  for (const envelope of answer.envelopes) {
    const sealed = answer.grants[envelope.id];
    if (!sealed) continue;
    const opened = await oc.openAccessRecord(envelope, sealed, userKey);
    const before = newest.get(envelope.record_id);
    if (!before || before.createdAt < opened.createdAt) newest.set(envelope.record_id, { ...opened, type: envelope.type });
  }
  const t = { _ };
  const block = ([recordId, record]) => {
    const form = forms[record.type];
    const rows = Object.entries(record.plaintext ?? {}).map(([key, value]) => {
      const field = form?.fields?.find((f) => f.id === key);
      const text = valueText(t, field, value);
      return text === null ? null : h("tr", {}, h("th", { scope: "row" }, field ? _(field.label) : key), h("td", {}, text));
    }).filter(Boolean);
    return h("section", { className: "card access-record", dataset: { record: recordId, type: record.type } },
      h("h2", {}, _(form?.title ?? record.type), " · ", formatDate(record.createdAt?.slice(0, 10))),
      h("table", {}, h("tbody", {}, rows)));
  };
  mount(ctx.root, backLink("#/admin/access"),
    h("p", { className: "notice", role: "status", id: "access-until" },
      _("Emergency access, read-only, until {when}. Every reading is in the audit log.", { when: when(answer.expires_at) })),
    [...newest.entries()].map(block));
}
