// The printed action plan: what the household keeps. Every word in the household's language
// (looked up along their chain), their contacts isolated from the page's direction, the
// worker by name with the team's phone and the organisation's contact.
import { formatDate, h } from "../ui/dom.js";
import { dataText, isolated, languageNotes, openingHours, phone } from "./localize.js";

// Who the household can call: the worker by display name, the team, the organisation.
export function contacts(t, { workerName, team }) {
  const org = team.organisation ?? {};
  return h("section", { className: "contacts" },
    h("h2", {}, t._("Who to call")),
    workerName ? h("p", { className: "worker" }, t._("Your worker"), ": ", isolated(workerName)) : null,
    h("p", { className: "team-phone" }, t._("Team"), ": ", isolated(team.name),
      team.phone ? [" · ", phone(team.phone)] : null),
    org.name ? h("p", { className: "organisation" }, t._("Organisation"), ": ", isolated(org.name),
      org.contact_phone ? [" · ", phone(org.contact_phone)] : null,
      org.contact_email ? [" · ", isolated(org.contact_email, "ltr")] : null) : null);
}

export function serviceBlock(t, service) {
  const name = dataText(t, service.name, service.translations, "name");
  const note = dataText(t, service.hours, service.translations, "hours");
  const hours = [openingHours(service.opening_hours, t.cldr), note].filter(Boolean).join(" · ");
  return h("li", { className: "service", dataset: { service: service.id } },
    h("strong", {}, isolated(name)), h("br"),
    service.phone ? [phone(service.phone), " · "] : null,
    isolated(service.address, "auto", "address"),
    hours ? [h("br"), h("span", { className: "hours" }, isolated(hours))] : null);
}

export function areaName(t, area) {
  const names = Object.fromEntries(Object.entries(area?.names ?? {}).map(([code, name]) => [code, { name }]));
  return area ? dataText(t, area.name, names, "name") : "";
}

// The rights and benefits the household is following up with the team (the region's rights
// catalogue), each named along the household's chain.
export function rightsBlock(t, rights) {
  return rights.length ? [h("h2", {}, t._("Rights and benefits")),
    h("ul", { className: "rights" }, rights.map((right) => h("li", { dataset: { right: right.id } },
      isolated(dataText(t, right.name, right.translations, "name")))))] : null;
}

// ownerLabel(value) → the label of the "who does it" choice (from the plan's form definition).
export function planSheet(t, { household, plan, services, rights = [], area, ownerLabel, workerName, team }) {
  const data = plan.data;
  const place = areaName(t, area);
  const sheet = h("article", { className: "print-plan", lang: t.locale, dir: t.dir },
    h("h1", {}, t._("Action plan")),
    h("p", { className: "household" }, isolated(household.data.display_name),
      place ? [" · ", h("span", { className: "area" }, isolated(place))] : null),
    h("h2", {}, t._("Our goals, in our own words")),
    h("ul", {}, (data.goals ?? []).map((goal) => h("li", { dir: "auto" }, goal))),
    h("h2", {}, t._("Actions")),
    h("ol", { className: "plan-actions" }, (data.actions ?? []).map((action) => h("li", {},
      h("strong", { dir: "auto" }, action.description), h("br"),
      t._("Who does it"), ": ", t._(ownerLabel(action.owner)),
      action.due ? [" — ", t._("By when"), ": ", formatDate(action.due, t.cldr, "long")] : null))),
    services.length ? [h("h2", {}, t._("Services")),
      h("ul", { className: "services" }, services.map((s) => serviceBlock(t, s)))] : null,
    rightsBlock(t, rights),
    data.next_visit ? h("p", { className: "next" }, t._("Next visit"), ": ", formatDate(data.next_visit, t.cldr, "full")) : null,
    contacts(t, { workerName, team }));
  sheet.append(...languageNotes(t));
  return sheet;
}
