// The team's follow-up, for the supervisor: every household's contact that is overdue or due
// this week, with who saw them last. The same rule over the same decrypted records as every
// worker's home screen (cases/followup.js), so the two lists cannot disagree.
import { call, ProblemError } from "../api.js";
import { caseFacts } from "../cases/book.js";
import { dueContacts, presenceSettings } from "../cases/followup.js";
import { _, currentLocale } from "../i18n/index.js";
import { getSetting } from "../store/db.js";
import { authorName } from "../teams.js";
import { withFreshToken } from "../tokens.js";
import { formatDate, h, mount, today } from "../ui/dom.js";
import { dueList } from "./home.js";
import { backLink } from "../ui/nav.js";

export async function teamFacts(book) {
  const teams = new Map(((await getSetting("teams")) ?? []).map((t) => [t.id, t]));
  return book.ofType("household").filter((r) => !r.data.merged_into)
    .map((r) => caseFacts(book, r.caseId, teams.get(r.teamId)));
}

// The team's presence schedule (a contact every so many weeks, for so many months), kept on the
// server as numbers only and applied by every phone of the team to the cases in the presence
// phase that set none of their own. Changing it needs a signal; the list below follows at once.
function presenceSection(ctx, team) {
  const current = presenceSettings({}, team);
  const field = (name, label, max) => {
    const id = `presence-${team.id}-${name}`;
    return [h("label", { htmlFor: id }, label),
            h("input", { id, name, type: "number", inputMode: "numeric", min: 1, max, required: true,
                         value: current[name] })];
  };
  const status = h("p", { id: `presence-${team.id}-status`, role: "status" });
  const form = h("form", { id: `presence-${team.id}`, className: "card presence-schedule", dataset: { team: team.id } },
    h("h2", {}, _("Presence phase schedule")),
    h("p", { className: "help" },
      _("For cases in the presence phase without a schedule of their own: how often the team keeps in touch, and for how long.")),
    field("interval_weeks", _("Weeks between contacts"), 52),
    field("months", _("For how many months"), 60),
    h("button", { type: "submit", className: "secondary" }, _("Save the schedule")),
    status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { interval_weeks: Number(form.elements.interval_weeks.value),
                   months: Number(form.elements.months.value) };
    status.textContent = _("Saving…");
    try {
      await withFreshToken(ctx, (token) => call(`/teams/${encodeURIComponent(team.id)}/presence`,
        { method: "PUT", body, token }));
    } catch (exc) {
      status.textContent = exc instanceof ProblemError
        ? Object.values(exc.problem.errors ?? {}).flat()[0] ?? exc.problem.title ?? _("The server refused the schedule.")
        : _("No connection. Changing the schedule needs a signal.");
      return;
    }
    await ctx.teamsAsked?.catch(() => {});  // one asked before the change would answer the old value
    await ctx.refreshTeams();
    await renderTeamDue(ctx);
    document.getElementById(`presence-${team.id}-status`).textContent = _("Saved: the team's phones apply it.");
  });
  return form;
}

export async function renderTeamDue(ctx) {
  const facts = await teamFacts(ctx.book);
  const due = dueContacts(facts, today());
  const rights = dueList(facts, "team-rights-due", _("Rights: next step due"), { contacts: false });
  const lastSeenBy = (c) => {
    const last = [...c.visits].sort((a, b) => (a.data.date ?? "").localeCompare(b.data.date ?? "")).at(-1);
    return last ? authorName(c.team ?? {}, last.envelope, ctx.session) : null;
  };
  mount(ctx.root, backLink("#/"),
    h("section", { className: "card", id: "team-due" },
      h("h1", {}, _("Team follow-up")),
      h("p", { className: "help" }, _("Contacts overdue or due this week, for every household of the team.")),
      due.length ? h("ul", { className: "list" }, due.map((c) => h("li", { dataset: { case: c.caseId, urgency: c.urgency } },
        h("a", { href: `#/h/${c.caseId}`, className: "row" },
          h("span", { className: "name" }, c.name),
          h("span", { className: "sub" }, formatDate(c.next.date, currentLocale()),
            lastSeenBy(c) ? [" · ", _("last seen by {name}", { name: lastSeenBy(c) })] : null),
          c.urgency === "overdue" ? h("span", { className: "badge alert" }, _("overdue")) : null))))
        : h("p", { id: "team-due-empty" }, _("Nothing due this week."))),
    rights,
    ctx.session.role === "supervisor" || ctx.session.role === "admin"
      ? ((await getSetting("teams")) ?? []).map((team) => presenceSection(ctx, team)) : null);
}
