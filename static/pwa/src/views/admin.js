// Running the organisation from the phone: the audit log, devices (revoking a lost phone in
// two taps), people (one-time enrolment codes), teams and areas. Everything here needs a
// signal; nothing here decrypts case content (household erasure and the access export are on
// the household's screen, where the records are open).
import { call } from "../api.js";
import { _ } from "../i18n/index.js";
import { languageCodes, languageName } from "../ui/language-choice.js";
import { withFreshToken } from "../tokens.js";
import { formatDate, h, mount } from "../ui/dom.js";
import { checkFields, dateInput, parseDate } from "../ui/date-input.js";
import { backLink } from "../ui/nav.js";

const api = (ctx, path, options = {}) =>
  withFreshToken(ctx, (token) => call(path, { method: "GET", ...options, token }));

function failure(ctx, exc) {
  mount(ctx.root, backLink("#/admin"), h("p", { className: "card error", role: "alert" },
    exc.problem?.title ?? _("No connection. This needs a signal.")));
}

const when = (value) => (value ? `${formatDate(value.slice(0, 10))} ${value.slice(11, 16)}` : _("never"));

export function renderAdmin(ctx) {
  const admin = ctx.session.role === "admin";
  mount(ctx.root, backLink("#/settings"), h("section", { className: "card" },
    h("h1", {}, _("Administration")),
    h("a", { href: "#/admin/audit", className: "button secondary" }, _("Audit log")),
    h("a", { href: "#/admin/devices", className: "button secondary" }, _("Devices")),
    admin ? h("a", { href: "#/admin/people", className: "button secondary" }, _("People")) : null,
    admin ? h("a", { href: "#/admin/teams", className: "button secondary" }, _("Teams and areas")) : null,
    h("a", { href: "#/admin/access", id: "open-access", className: "button secondary" }, _("Emergency access"))));
  // A request waiting for this supervisor's decision is shown here, where they look first.
  if (ctx.session.role === "supervisor") api(ctx, "/access-requests").then(({ requests }) => {
    const waiting = requests.filter((r) => r.status === "requested" && r.requester !== ctx.session.username).length;
    if (waiting) document.getElementById("open-access")?.append(" ", h("span", { className: "badge alert", id: "access-waiting" }, String(waiting)));
  }).catch(() => {});
}

// --- Audit log -------------------------------------------------------------------------------

function auditQuery(form) {
  const query = new URLSearchParams();
  if (form.actor.value.trim()) query.set("actor", form.actor.value.trim());
  if (form.action.value.trim()) query.append("action", form.action.value.trim());
  const since = parseDate(form.since.value);  // typed in the interface's locale
  if (since) query.set("since", `${since}T00:00:00Z`);
  return query;
}

export async function renderAudit(ctx) {
  const form = h("form", { id: "audit-filter", noValidate: true },
    h("label", { htmlFor: "audit-actor" }, _("Who (username)")),
    h("input", { id: "audit-actor", name: "actor", autocapitalize: "none" }),
    h("label", { htmlFor: "audit-action" }, _("Action")),
    h("input", { id: "audit-action", name: "action", autocapitalize: "none" }),
    h("label", { htmlFor: "audit-since" }, _("Since")),
    dateInput({ id: "audit-since", name: "since" }),
    h("button", { type: "submit" }, _("Show")),
    h("button", { type: "button", id: "audit-csv", className: "secondary", onclick: () => saveCsv(ctx, form) },
      _("Save as CSV")));
  const table = h("div", { id: "audit-events" });
  const show = async () => {
    let page;
    try {
      page = await api(ctx, `/audit?${auditQuery(form)}`);
    } catch (exc) {
      table.replaceChildren(h("p", { className: "error", role: "alert" }, exc.problem?.title ?? _("No connection. This needs a signal.")));
      return;
    }
    table.replaceChildren(h("div", { className: "scroll", tabIndex: 0 }, h("table", { className: "figures" },
      h("thead", {}, h("tr", {}, [_("When"), _("Who"), _("Action"), _("Outcome"), _("Device"), _("Team"), _("Details")]
        .map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, page.events.map((event) => h("tr", { dataset: { action: event.action } },
        h("td", {}, when(event.at)), h("td", {}, event.actor ?? "–"), h("td", {}, event.action),
        h("td", {}, event.outcome), h("td", {}, event.device_id?.slice(0, 8) ?? "–"),
        h("td", {}, event.team ?? "–"),
        h("td", {}, Object.entries(event.details).map(([k, v]) => `${k}=${v}`).join(" "))))))));
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (checkFields(form)) show();
  });
  mount(ctx.root, backLink("#/admin"), h("section", { className: "card" },
    h("h1", {}, _("Audit log")),
    h("p", { className: "help" }, _("Who did what, when and from which device. Never what a record says.")),
    form, table));
  await show();
}

async function saveCsv(ctx, form) {
  // A file, not JSON: fetched with the token in the header (never in a URL), saved as a blob.
  const text = await withFreshToken(ctx, async (token) => {
    const response = await fetch(`/api/v1/audit.csv?${auditQuery(form)}`, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(String(response.status));
    return response.text();
  });
  const link = h("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: "audit.csv" });
  link.click();
  URL.revokeObjectURL(link.href);
}

// --- Devices ---------------------------------------------------------------------------------

const REASONS = () => ({ lost: _("Lost"), stolen: _("Stolen"), left: _("Left the organisation"), other: _("Other") });

export async function renderDevices(ctx) {
  let listed;
  try {
    listed = await api(ctx, "/devices");
  } catch (exc) {
    failure(ctx, exc);
    return;
  }
  const message = h("div", { id: "devices-message", role: "status" });
  const row = (device) => {
    const reason = h("select", { id: `reason-${device.id}`, "aria-label": _("Reason") },
      Object.entries(REASONS()).map(([value, label]) => h("option", { value }, label)));
    const confirm = h("div", { className: "confirm", hidden: true },
      h("label", { htmlFor: `reason-${device.id}` }, _("Why?")), reason,
      h("button", { type: "button", className: "danger confirm-revoke", onclick: async () => {
        try {
          const answer = await api(ctx, `/devices/${encodeURIComponent(device.id)}/revoke`,
                                   { method: "POST", body: { reason: reason.value } });
          await renderDevices(ctx);
          offerRotation(ctx, answer.rotate_teams);
        } catch (exc) {
          message.replaceChildren(h("p", { className: "error", role: "alert" }, exc.problem?.title ?? _("No connection. This needs a signal.")));
        }
      } }, _("Revoke now")));
    return h("li", { dataset: { device: device.id, revoked: device.revoked_at ? "true" : undefined } },
      h("span", { className: "name" }, device.display_name), ` (${device.username}) · ${device.name.slice(0, 40)} · `,
      _("last contact {when}", { when: when(device.last_seen_at) }),
      device.revoked_at
        ? h("span", { className: "badge alert" }, _("revoked"))
        : [h("button", { type: "button", className: "secondary revoke", onclick: () => { confirm.hidden = false; reason.focus(); } },
            _("Revoke")), confirm]);
  };
  mount(ctx.root, backLink("#/admin"), h("section", { className: "card" },
    h("h1", {}, _("Devices")),
    h("p", { className: "help" }, _("A revoked phone wipes its records at its next contact and can no longer sign records.")),
    message,
    h("ul", { id: "devices", className: "list" }, listed.devices.map(row))));
}

// After a revocation the lost phone still holds the team key it had: records from now on
// should be sealed to a new one, made on this phone by the rotation the team screen does.
function offerRotation(ctx, teams) {
  const target = document.getElementById("devices-message");
  if (!target || !teams?.length) return;
  target.replaceChildren(h("p", { className: "notice", role: "alert" },
    _("Revoked. Make a new team key now, so the lost phone cannot read new records.")),
  ...teams.map((team) => h("a", { href: `#/team/${team}`, className: "button rotate-offer", dataset: { team } },
    _("New key for {team}", { team }))));
}

// --- People (admins) -------------------------------------------------------------------------

export async function renderPeople(ctx) {
  let users;
  let teams;
  try {
    [{ users }, { teams }] = await Promise.all([api(ctx, "/users"), api(ctx, "/organisation/teams")]);
  } catch (exc) {
    failure(ctx, exc);
    return;
  }
  const output = h("div", { id: "invite-result", role: "status" });
  const invite = h("form", { id: "invite" },
    h("label", { htmlFor: "invite-username" }, _("Username")),
    h("input", { id: "invite-username", name: "username", required: true, autocapitalize: "none" }),
    h("label", { htmlFor: "invite-name" }, _("Name")),
    h("input", { id: "invite-name", name: "display_name" }),
    h("label", { htmlFor: "invite-role" }, _("Role")),
    h("select", { id: "invite-role", name: "role" }, roleOptions("worker")),
    h("label", { htmlFor: "invite-team" }, _("Team")),
    h("select", { id: "invite-team", name: "team" }, h("option", { value: "" }, "–"),
      teams.map((team) => h("option", { value: team.id }, team.name))),
    h("button", { type: "submit" }, _("Make an enrolment code")));
  invite.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const made = await api(ctx, "/enrolments", { method: "POST", body: {
        username: invite.username.value.trim(), display_name: invite.display_name.value.trim(),
        role: invite.role.value, teams: invite.team.value ? [invite.team.value] : [] } });
      const link = `${location.origin}/#/enrol/${made.code}`;
      output.replaceChildren(h("p", {}, _("Give this code to {name} in person. It works once, until {when}.",
        { name: made.display_name || made.username, when: when(made.expires_at) })),
      h("p", { className: "code", id: "enrolment-code" }, made.code), h("p", { className: "help" }, link));
    } catch (exc) {
      output.replaceChildren(h("p", { className: "error", role: "alert" }, problemText(exc)));
    }
  });
  const person = (user) => {
    const role = h("select", { "aria-label": _("Role"), className: "role", onchange: async () => {
      await api(ctx, `/users/${user.id}`, { method: "PATCH", body: { role: role.value } });
      renderPeople(ctx);
    } }, roleOptions(user.role));
    return h("li", { dataset: { user: user.username, state: user.state } },
      h("span", { className: "name" }, user.display_name), ` (${user.username}) · ${user.teams.join(", ") || "–"} `,
      user.state === "active" ? [role, h("button", { type: "button", className: "secondary deactivate", onclick: async () => {
        await api(ctx, `/users/${user.id}/deactivate`, { method: "POST" });
        renderPeople(ctx);
      } }, _("Deactivate"))] : h("span", { className: "badge alert" }, _("deactivated")));
  };
  mount(ctx.root, backLink("#/admin"),
    h("section", { className: "card" }, h("h1", {}, _("People")),
      h("ul", { id: "people", className: "list" }, users.map(person))),
    h("section", { className: "card" }, h("h2", {}, _("Invite someone")),
      h("p", { className: "help" }, _("The new person chooses their passphrase on their own phone; you never see it.")),
      invite, output));
}

function roleOptions(selected) {
  const labels = { worker: _("Worker"), supervisor: _("Supervisor"), admin: _("Administrator") };
  return Object.entries(labels).map(([value, label]) => h("option", { value, selected: value === selected }, label));
}

export function problemText(exc) {
  const errors = exc.problem?.errors ? Object.values(exc.problem.errors).flat().join(" ") : "";
  return [exc.problem?.title ?? _("No connection. This needs a signal."), errors].filter(Boolean).join(": ");
}

// --- Teams and areas (admins) ------------------------------------------------------------------

// An area's name in the organisation's other languages: what households read on their printouts,
// looked up along their language chain (docs/i18n.md).
function areaNameFields(teamId) {
  return h("details", { className: "area-names" },
    h("summary", {}, _("The name in other languages (printouts for households)")),
    languageCodes().filter((code) => code !== "en").map((code) => {
      const id = `area-${teamId}-name-${code}`;
      return [h("label", { htmlFor: id }, languageName(code)),
              h("input", { id, lang: code, dataset: { locale: code }, maxLength: 200 })];
    }));
}

function areaNames(form) {
  const names = Object.fromEntries([...form.querySelectorAll(".area-names input[data-locale]")]
    .filter((input) => input.value.trim()).map((input) => [input.dataset.locale, input.value.trim()]));
  return Object.keys(names).length ? names : null;
}

export async function renderTeams(ctx) {
  let teams;
  try {
    ({ teams } = await api(ctx, "/organisation/teams"));
  } catch (exc) {
    failure(ctx, exc);
    return;
  }
  const message = h("div", { id: "teams-message", role: "status" });
  const post = (path, body) => async (event) => {
    event.preventDefault();
    try {
      await api(ctx, path, { method: "POST", body: body(event.target) });
      renderTeams(ctx);
    } catch (exc) {
      message.replaceChildren(h("p", { className: "error", role: "alert" }, problemText(exc)));
    }
  };
  const field = (id, label, attributes = {}) => [h("label", { htmlFor: id }, label), h("input", { id, name: id.split("-").pop(), ...attributes })];
  // The presence phase's schedule, as a team's supervisor sets it on "Team follow-up" (views/due.js).
  const presence = (t) => h("form", { className: "presence-schedule", onsubmit: async (event) => {
    event.preventDefault();
    const f = event.target;
    try {
      await api(ctx, `/teams/${encodeURIComponent(t.id)}/presence`, { method: "PUT",
        body: { interval_weeks: Number(f.weeks.value), months: Number(f.months.value) } });
      renderTeams(ctx);
    } catch (exc) {
      message.replaceChildren(h("p", { className: "error", role: "alert" }, problemText(exc)));
    }
  } },
    h("h3", {}, _("Presence phase schedule")),
    field(`presence-${t.id}-weeks`, _("Weeks between contacts"),
          { type: "number", inputMode: "numeric", min: 1, max: 52, required: true, value: t.presence?.interval_weeks ?? 10 }),
    field(`presence-${t.id}-months`, _("For how many months"),
          { type: "number", inputMode: "numeric", min: 1, max: 60, required: true, value: t.presence?.months ?? 24 }),
    h("button", { type: "submit" }, _("Save the schedule")));
  const team = (t) => h("section", { className: "card", dataset: { team: t.id } },
    h("h2", {}, `${t.name} (${t.id})`),
    h("ul", { className: "list members" }, t.members.map((m) => h("li", { dataset: { user: m.username } },
      `${m.display_name} (${m.username}) · ${m.role} `,
      m.pending ? h("span", { className: "badge" }, _("waiting for a supervisor to give access")) : null))),
    h("form", { className: "add-member", onsubmit: post(`/organisation/teams/${t.id}/members`, (f) => ({ username: f.username.value.trim() })) },
      field(`member-${t.id}-username`, _("Add a member (username)"), { required: true, autocapitalize: "none" }),
      h("button", { type: "submit" }, _("Add"))),
    h("ul", { className: "list areas" }, t.areas.map((a) => h("li", { dataset: { area: a.code } },
      `${a.code} · ${a.name} · ${a.level}${a.parent ? ` ⊂ ${a.parent}` : ""}`,
      a.urbanisation ? ` · ${a.urbanisation}` : "", a.deprived ? ` · ${_("deprived")}` : "", a.segregated ? ` · ${_("segregated")}` : ""))),
    h("form", { className: "add-area", onsubmit: post(`/organisation/teams/${t.id}/areas`, (f) => ({
      code: f.code.value.trim().toUpperCase(), name: f.name.value.trim(), level: f.level.value,
      parent: f.parent.value.trim().toUpperCase() || null, urbanisation: f.urbanisation.value || null,
      deprived: f.deprived.checked, segregated: f.segregated.checked, names: areaNames(f) })) },
      field(`area-${t.id}-code`, _("Area code"), { required: true }),
      field(`area-${t.id}-name`, _("Name"), { required: true }),
      areaNameFields(t.id),
      h("label", { htmlFor: `area-${t.id}-level` }, _("Level")),
      h("select", { id: `area-${t.id}-level`, name: "level" }, [["settlement", _("Settlement")], ["municipality", _("Municipality")], ["region", _("Region")]]
        .map(([value, label]) => h("option", { value }, label))),
      field(`area-${t.id}-parent`, _("Lies in (area code)")),
      h("label", { htmlFor: `area-${t.id}-urbanisation` }, _("Degree of urbanisation")),
      h("select", { id: `area-${t.id}-urbanisation`, name: "urbanisation" }, [["", "–"], ["cities", _("City")], ["towns_suburbs", _("Town or suburb")], ["rural", _("Rural area")]]
        .map(([value, label]) => h("option", { value }, label))),
      h("label", { className: "check" }, h("input", { type: "checkbox", name: "deprived" }), h("span", {}, _("Deprived area"))),
      h("label", { className: "check" }, h("input", { type: "checkbox", name: "segregated" }), h("span", {}, _("Segregated settlement"))),
      h("button", { type: "submit" }, _("Add area"))),
    presence(t));
  const create = h("form", { id: "new-team", onsubmit: post("/organisation/teams", (f) => ({ slug: f.slug.value.trim(), name: f.name.value.trim() })) },
    field("team-slug", _("Short name (a-z, 0-9, -)"), { required: true, autocapitalize: "none" }),
    field("team-name", _("Name"), { required: true }),
    h("button", { type: "submit" }, _("Create team")));
  mount(ctx.root, backLink("#/admin"), h("section", { className: "card" }, h("h1", {}, _("Teams and areas")), message, create),
    teams.map(team));
}
