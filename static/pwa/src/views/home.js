import { _ } from "../i18n/index.js";

export function renderHome(root, session) {
  root.innerHTML = "";
  const section = document.createElement("section");
  section.className = "card";
  const title = document.createElement("h1");
  title.textContent = _("Hello, {name}", { name: session.username });
  const teams = document.createElement("p");
  teams.id = "teams";
  teams.textContent = _("Teams: {teams}", { teams: session.teams.join(", ") || "-" });
  section.append(title, teams);
  root.append(section);
}
