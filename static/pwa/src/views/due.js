// The team's follow-up, for the supervisor: every household's contact that is overdue or due
// this week, with who saw them last. The same rule over the same decrypted records as every
// worker's home screen (cases/followup.js), so the two lists cannot disagree.
import { caseFacts } from "../cases/book.js";
import { dueContacts } from "../cases/followup.js";
import { _, currentLocale } from "../i18n/index.js";
import { getSetting } from "../store/db.js";
import { authorName } from "../teams.js";
import { formatDate, h, mount, today } from "../ui/dom.js";
import { dueList } from "./home.js";
import { backLink } from "./household.js";

export async function teamFacts(book) {
  const teams = new Map(((await getSetting("teams")) ?? []).map((t) => [t.id, t]));
  return book.ofType("household").filter((r) => !r.data.merged_into)
    .map((r) => caseFacts(book, r.caseId, teams.get(r.teamId)));
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
    rights);
}
