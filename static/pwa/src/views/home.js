// Home: the team's households, decrypted on the device, and the sync state at a glance.
import { _, currentLocale, formatLocale, ngettext } from "../i18n/index.js";
import { go } from "../router.js";
import { status, syncState } from "../sync/engine.js";
import { caseFacts } from "../cases/book.js";
import { fold } from "../cases/fold.js";
import { currentPhase } from "../cases/phases.js";
import { loadForms } from "../forms/definitions.js";
import { dueContacts, nextContact } from "../cases/followup.js";
import { dueRights } from "../cases/lifecycle.js";
import { rightName } from "../forms/render.js";
import { askForReminders, mayAskForReminders, remind } from "../reminders.js";
import { getSetting } from "../store/db.js";
import { formatDate, h, mount, today } from "../ui/dom.js";
import { longList } from "../ui/long-list.js";
import { keyWarnings } from "../ui/key-trust.js";
import { contactLine, openContacts } from "./contact.js";
import { changesRequested, reviewQueue } from "./review.js";

// The summary keeps itself current while it is on screen.
export function syncSummary() {
  const element = summary();
  const update = () => {
    if (!element.isConnected) {
      status.removeEventListener("change", update);
      return;
    }
    element.replaceWith(syncSummary());
    status.removeEventListener("change", update);
  };
  status.addEventListener("change", update);
  return element;
}

function summary() {
  const { waiting, refused, lastSync, error } = syncState();
  return h("p", { id: "outbox", className: refused ? "warning" : "" },
    h("span", { id: "waiting-count", dataset: { count: waiting } },
      _("Waiting to sync: {count}", { count: waiting })),
    lastSync ? h("span", {}, " · ", _("last sync {time}", {
      time: new Intl.DateTimeFormat(formatLocale(),
                                    { timeStyle: "short" }).format(new Date(lastSync)) })) : null,
    refused ? h("span", {}, " · ", ngettext("{count} record refused, see why", "{count} records refused, see why", refused)) : null,
    error && error !== "offline" ? h("span", {}, " · ", error) : null);
}

export function householdName(book, caseId) {
  const [household] = book.ofCase(caseId, "household");
  return household?.data.display_name ?? _("Unknown household");
}

// Follow-up contacts overdue or due within a week, overdue first, then the rights whose next
// step is due: the presence phase keeps in touch for years, and nothing closes a case by
// itself (DOMAIN.md, cases/followup.js). The supervisor's team list is this same list.
export function dueList(facts, id = "due", title = _("Contacts due this week"), { contacts = true } = {}) {
  const now = today();
  const due = contacts ? dueContacts(facts, now) : [];
  const rights = facts.filter((c) => !c.phase || c.phase.data.phase !== "closed")
    .flatMap((c) => dueRights(c.rights ?? [], now).map((r) => ({ ...r, c })));
  if (!due.length && !rights.length) return null;
  const rightLabel = (c, right) => rightName(c.team?.rights?.find((x) => x.id === right.data.right)) || right.data.right;
  return h("section", { className: "card", id },
    h("h2", {}, title),
    h("ul", { className: "list contacts-due" }, due.map((c) => h("li", { dataset: { case: c.caseId, urgency: c.urgency } },
      h("a", { href: `#/h/${c.caseId}`, className: "row" },
        h("span", { className: "name" }, c.name),
        h("span", { className: "sub" }, formatDate(c.next.date, currentLocale()),
          c.next.source === "presence_end" ? [" · ", _("presence phase ends: decide what comes next")] : null),
        c.urgency === "overdue" ? h("span", { className: "badge alert" }, _("overdue")) : null)))),
    rights.length ? [h("h3", {}, _("Rights: next step due")),
      h("ul", { className: "list rights-due" }, rights.map(({ record, date, urgency, c }) => h("li", {
        dataset: { case: c.caseId, record: record.id, urgency } },
        h("a", { href: `#/h/${c.caseId}/edit/${record.id}`, className: "row" },
          h("span", { className: "name" }, c.name, " · ", rightLabel(c, record)),
          h("span", { className: "sub" }, formatDate(date, currentLocale())),
          urgency === "overdue" ? h("span", { className: "badge alert" }, _("overdue")) : null))))] : null);
}

// Notifications for what is due, offered once (the browser asks the worker); then each home
// screen drawn notifies what is due today, by count only (reminders.js).
function reminderOffer(facts) {
  if (!mayAskForReminders()) {
    // Its outcome on the page (shown, or quiet: nothing new since the last one), for tests.
    delete document.documentElement.dataset.reminder;
    remind(facts, today()).catch(() => null)
      .then((shown) => { document.documentElement.dataset.reminder = shown ? "shown" : "quiet"; });
    return null;
  }
  const offer = h("p", { id: "reminders", className: "card help" },
    _("This phone can remind you of follow-ups due, without naming anyone."), " ",
    h("button", { type: "button", id: "enable-reminders", className: "secondary", onclick: async () => {
      await askForReminders(facts, today()).catch(() => null);
      offer.remove();
    } }, _("Remind me on this phone")));
  return offer;
}

// Contacts before a case, not linked to a household yet: a tap opens one, to link it later.
function streetContacts(book) {
  const contacts = openContacts(book);
  if (!contacts.length) return null;
  return h("section", { className: "card", id: "contacts" },
    h("h2", {}, _("Street contacts")),
    h("ul", { className: "list" }, contacts.map((c) => h("li", { dataset: { record: c.id } },
      h("a", { href: `#/contact/${c.id}`, className: "row" },
        h("span", { className: "name" }, c.data.description.length > 80 ? `${c.data.description.slice(0, 80)}…` : c.data.description),
        h("span", { className: "sub" }, contactLine(c, currentLocale())))))));
}

// Requests for changes, where the worker cannot miss them: first on the home screen.
function requests(book, session) {
  const open = changesRequested(book, session);
  if (!open.length) return null;
  return h("section", { className: "card notice alert", id: "changes-requested" },
    h("h2", {}, ngettext("{count} visit to change", "{count} visits to change", open.length)),
    h("ul", { className: "list" }, open.map(({ visit, review }) => h("li", {},
      h("a", { href: `#/h/${visit.caseId}/edit/${visit.id}`, className: "row" },
        h("span", { className: "name" }, householdName(book, visit.caseId)),
        h("span", { className: "sub" }, formatDate(visit.data.date, currentLocale()))),
      review.data.comment ? h("p", { className: "review-comment note-text" }, review.data.comment) : null))));
}

// What tells two households of the same name apart in the list: who is in it, and where and
// when the team last met them.
function rowDetails(book, record) {
  const members = book.ofCase(record.caseId, "person").map((m) => m.data.name);
  const [last] = book.ofCase(record.caseId, "visit")
    .sort((a, b) => (b.data.date ?? "").localeCompare(a.data.date ?? ""));
  const who = members.length > 3 ? `${members.slice(0, 3).join(", ")} +${members.length - 3}` : members.join(", ");
  const parts = [who || null, last ? _("last visit {date}", { date: formatDate(last.data.date, currentLocale()) }) : null,
                 last?.data.area ?? null].filter(Boolean);
  return parts.length ? h("span", { className: "sub" }, parts.join(" · ")) : null;
}

// What the search looks in: the household's name and its members' names, all on the device.
// Folded for case and diacritics ("Stefan" finds "Ștefan") and Cyrillic (cases/fold.js).
function searchText(book, record) {
  return [record.data.display_name, ...book.ofCase(record.caseId, "person").map((m) => m.data.name)]
    .join(" ");
}

export async function renderHome(ctx) {
  const { session, book } = ctx;
  // Warn long before the browser runs out of room for the outbox (ARCHITECTURE.md, decision 8).
  const { usage = 0, quota = Infinity } = (await navigator.storage?.estimate?.()) ?? {};
  const lowStorage = quota - usage < 100e6 || usage / quota > 0.8;
  // One collator for the whole sort: localeCompare with a locale builds one per comparison.
  const collator = new Intl.Collator(currentLocale());
  const households = book.ofType("household")
    .sort((a, b) => collator.compare(a.data.display_name, b.data.display_name));
  // Folded once per screen, not per keystroke (a keystroke then folds only what was typed).
  const haystacks = new Map(households.map((r) => [r.caseId, fold(searchText(book, r))]));
  const teams = new Map(((await getSetting("teams")) ?? []).map((t) => [t.id, t]));
  const facts = new Map(households.map((r) => [r.caseId, caseFacts(book, r.caseId, teams.get(r.teamId))]));
  const phaseForm = (await loadForms().catch(() => ({}))).phase;
  const phaseLabel = (phase) => _(phaseForm?.fields.find((f) => f.id === "phase")
    ?.choices.find((c) => c.value === phase)?.label ?? phase);
  const search = h("input", { id: "search", type: "search", placeholder: _("Find a household"),
                              "aria-label": _("Find a household") });
  const list = h("ul", { id: "households", className: "list" });
  const row = (record) => {
    const next = nextContact(facts.get(record.caseId))?.date;
    const phase = currentPhase(facts.get(record.caseId).phase);
    const conflicts = book.ofCase(record.caseId).some((r) => r.conflict);
    return h("li", { dataset: { waiting: record.waiting ? "true" : undefined, phase } },
      h("a", { href: `#/h/${record.caseId}`, className: "row" },
        h("span", { className: "name" }, record.data.display_name),
        rowDetails(book, record),
        next ? h("span", { className: "sub" }, _("Next contact: {date}",
                                                  { date: formatDate(next, currentLocale()) })) : null,
        phase !== "first_contact" ? h("span", { className: `badge phase-${phase}` }, phaseLabel(phase)) : null,
        record.waiting ? h("span", { className: "badge" }, _("waiting")) : null,
        conflicts ? h("span", { className: "badge alert" }, _("conflict")) : null));
  };
  // Each household's row is drawn once per screen; a keystroke only chooses which rows show.
  const rows = new Map();
  const rowOf = (record) => {
    if (!rows.has(record.caseId)) rows.set(record.caseId, row(record));
    return rows.get(record.caseId);
  };
  // A long list draws only the rows near the viewport (ui/long-list.js); a short one, all.
  const rowsOf = longList(list, { key: (record) => record.caseId, draw: rowOf });
  const fill = () => {
    const needle = search.value.trim();
    const folded = fold(needle).trim();
    rowsOf.show(households.filter((r) => !needle || haystacks.get(r.caseId).includes(folded)));
  };
  search.addEventListener("input", fill);
  fill();
  const isSupervisor = session.role === "supervisor";
  const toReview = isSupervisor ? reviewQueue(book).length : 0;
  mount(ctx.root,
    h("section", { className: "card" },
      h("h1", {}, _("Hello, {name}", { name: session.username })),
      h("p", { id: "teams" }, _("Teams: {teams}", { teams: session.teams.join(", ") || "-" })),
      h("a", { href: "#/sync", className: "plain" }, syncSummary()),
      h("div", { className: "actions" },
        h("button", { id: "new-household", type: "button", onclick: () => go("/new") }, _("New household")),
        h("a", { href: "#/contact/new", id: "new-contact", className: "button secondary" }, _("Street contact")),
        h("a", { href: "#/paper", id: "paper-link", className: "button secondary" }, _("Enter a paper form")),
        h("a", { href: "#/settings", id: "settings-link", className: "button secondary" }, _("Settings"))),
      isSupervisor ? h("a", { href: "#/review", id: "review-link", className: "button" },
                       ngettext("{count} visit to review", "{count} visits to review", toReview)) : null,
      isSupervisor ? h("a", { href: "#/report", id: "report-link", className: "button secondary" }, _("Team figures")) : null,
      isSupervisor ? h("a", { href: "#/figures", id: "figures-link", className: "button secondary" }, _("Figures from the records")) : null,
      session.role === "admin" ? h("a", { href: "#/organisation", id: "organisation-link", className: "button secondary" }, _("Organisation figures")) : null,
      isSupervisor ? h("a", { href: "#/due", id: "team-due-link", className: "button secondary" }, _("Team follow-up")) : null,
      lowStorage ? h("p", { className: "warning", id: "low-storage" },
        _("This phone is running out of space. Sync, then free some space.")) : null,
      ...keyWarnings(ctx, session.teams)),
    requests(book, session),
    dueList([...facts.values()]),
    reminderOffer([...facts.values()]),
    streetContacts(book),
    h("section", { className: "card" },
      h("h2", {}, _("Households")),
      search, list));
  rowsOf.start();
}
