// The easy-read plan: the same plan for people who read little. One goal and its actions per
// block, short sentences, large type, the assessment's domain pictograms beside each service,
// dates written out in full, the worker's name and how to reach the team, room for notes.
import { formatDate, h } from "../ui/dom.js";
import { iconFor } from "../ui/icons.js";
import { contacts, rightsBlock, serviceBlock } from "./plan.js";
import { isolated, languageNotes } from "./localize.js";

// Which assessment domain a service belongs to, for its pictogram (domain codes as in
// assessment@1; referral@1's service types).
const SERVICE_DOMAIN = {
  social_work: "social", counselling: "mental", coaching: "social", psychological: "mental",
  employment: "work", minimum_income: "income", childcare_ecec: "childcare", health: "health",
  long_term_care: "health", education: "education", housing: "housing", legal: "documents",
  debt: "debt", energy: "energy",
};
const OWNER_ICON = { client: "family", worker: "people" };

function pictogram(name) {
  return h("span", { className: "pictogram", "aria-hidden": "true" }, iconFor(name));
}

function actionLine(t, action, ownerLabel) {
  return h("li", { className: "easy-action" },
    pictogram(OWNER_ICON[action.owner] ?? "people"),
    h("span", {},
      h("strong", { dir: "auto" }, action.description), h("br"),
      t._("Who"), ": ", t._(ownerLabel(action.owner)),
      action.due ? [h("br"), t._("When"), ": ", formatDate(action.due, t.cldr, "full")] : null));
}

// `domains`: the assessment's domain list (code → icon), from its form definition.
export function easyReadSheet(t, { household, plan, services, rights = [], ownerLabel, workerName, team, domains }) {
  const icons = Object.fromEntries((domains ?? []).map((d) => [d.code, d.icon]));
  const goals = plan.data.goals?.length ? plan.data.goals : [""];
  const actions = plan.data.actions ?? [];
  // Actions are not tied to goals in the plan: with one goal they are its steps; with more,
  // each goal has its block and the steps follow in one block of their own.
  const blocks = goals.length === 1
    ? [h("section", { className: "easy-block" },
        h("h2", {}, t._("What we want")), goals[0] ? h("p", { className: "goal", dir: "auto" }, goals[0]) : null,
        h("h3", {}, t._("What we will do")), h("ul", {}, actions.map((a) => actionLine(t, a, ownerLabel))))]
    : [...goals.map((goal) => h("section", { className: "easy-block" },
        h("h2", {}, t._("What we want")), h("p", { className: "goal", dir: "auto" }, goal))),
       h("section", { className: "easy-block" },
         h("h2", {}, t._("What we will do")), h("ul", {}, actions.map((a) => actionLine(t, a, ownerLabel))))];
  const sheet = h("article", { className: "print-plan easy-read", lang: t.locale, dir: t.dir },
    h("h1", {}, t._("Our plan")),
    h("p", { className: "household" }, isolated(household.data.display_name)),
    blocks,
    services.length ? h("section", { className: "easy-block" }, h("h2", {}, t._("Where to go")),
      h("ul", { className: "services" }, services.map((s) => {
        const block = serviceBlock(t, s);
        block.prepend(pictogram(icons[SERVICE_DOMAIN[s.service_type]] ?? "people"));
        return block;
      }))) : null,
    rights.length ? h("section", { className: "easy-block" }, rightsBlock(t, rights)) : null,
    plan.data.next_visit ? h("section", { className: "easy-block next" },
      h("h2", {}, t._("Next visit")), h("p", {}, formatDate(plan.data.next_visit, t.cldr, "full"))) : null,
    contacts(t, { workerName, team }),
    h("section", { className: "easy-block notes" }, h("h2", {}, t._("My notes")),
      [1, 2, 3, 4, 5].map(() => h("div", { className: "note-line" }))));
  sheet.append(...languageNotes(t));
  return sheet;
}
