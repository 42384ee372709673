// Home: the team's households, decrypted on the device, and the sync state at a glance.
import { _, currentLocale, ngettext } from "../i18n/index.js";
import { go } from "../router.js";
import { status, syncState } from "../sync/engine.js";
import { formatDate, h, mount } from "../ui/dom.js";
import { reviewQueue } from "./review.js";

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
      time: new Intl.DateTimeFormat(currentLocale() === "rom" ? "ro" : currentLocale(),
                                    { timeStyle: "short" }).format(new Date(lastSync)) })) : null,
    refused ? h("span", {}, " · ", ngettext("{count} record refused, see why", "{count} records refused, see why", refused)) : null,
    error && error !== "offline" ? h("span", {}, " · ", error) : null);
}

export function householdName(book, caseId) {
  const [household] = book.ofCase(caseId, "household");
  return household?.data.display_name ?? _("Unknown household");
}

function nextContact(book, caseId) {
  const dates = [...book.ofCase(caseId, "visit").map((v) => v.data.next_contact),
                 ...book.ofCase(caseId, "plan").map((p) => p.data.next_visit)].filter(Boolean).sort();
  return dates.at(-1) ?? null;
}

export function renderHome(ctx) {
  const { session, book } = ctx;
  const households = book.ofType("household")
    .sort((a, b) => a.data.display_name.localeCompare(b.data.display_name, currentLocale()));
  const search = h("input", { id: "search", type: "search", placeholder: _("Find a household"),
                              "aria-label": _("Find a household") });
  const list = h("ul", { id: "households", className: "list" });
  const fill = () => {
    const needle = search.value.trim().toLocaleLowerCase();
    list.replaceChildren(...households
      .filter((r) => !needle || r.data.display_name.toLocaleLowerCase().includes(needle))
      .map((record) => {
        const next = nextContact(book, record.caseId);
        const conflicts = book.ofCase(record.caseId).some((r) => r.conflict);
        return h("li", { dataset: { waiting: record.waiting ? "true" : undefined } },
          h("a", { href: `#/h/${record.caseId}`, className: "row" },
            h("span", { className: "name" }, record.data.display_name),
            next ? h("span", { className: "sub" }, _("Next contact: {date}",
                                                      { date: formatDate(next, currentLocale()) })) : null,
            record.waiting ? h("span", { className: "badge" }, _("waiting")) : null,
            conflicts ? h("span", { className: "badge alert" }, _("conflict")) : null));
      }));
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
      isSupervisor ? h("a", { href: "#/review", id: "review-link", className: "button" },
                       ngettext("{count} visit to review", "{count} visits to review", toReview)) : null),
    h("section", { className: "card" },
      h("h2", {}, _("Households")),
      search, list,
      h("button", { id: "new-household", type: "button", onclick: () => go("/new") }, _("New household")),
      h("a", { href: "#/paper", id: "paper-link", className: "button secondary" }, _("Enter a paper form"))),
    h("nav", { className: "card" },
      h("a", { href: "#/settings", id: "settings-link" }, _("Settings"))));
}
