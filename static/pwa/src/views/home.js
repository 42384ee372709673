import { _ } from "../i18n/index.js";
import { openWithKeyring } from "../keyring.js";
import { allRecords } from "../sync/pull.js";

export async function renderHome(root, session, keyring) {
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
  if (!keyring) return;
  const heading = document.createElement("h2");
  heading.textContent = _("Households");
  const list = document.createElement("ul");
  list.id = "households";
  for (const envelope of await allRecords()) {
    if (envelope.type !== "household") continue;
    const household = await openWithKeyring(keyring, envelope);
    if (!household) continue;  // a team key this device does not hold (yet)
    const item = document.createElement("li");
    item.textContent = household.display_name;
    list.append(item);
  }
  section.append(heading, list);
}
