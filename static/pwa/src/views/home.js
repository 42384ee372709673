import { _ } from "../i18n/index.js";
import { openWithKeyring } from "../keyring.js";
import { allRecords } from "../sync/pull.js";
import { waiting } from "../sync/push.js";

export async function renderHome(root, session, keyring, onNewHousehold, onOpenHousehold) {
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
  const queued = await waiting();
  const queuedIds = new Set(queued.map((e) => e.id));
  for (const envelope of [...await allRecords(), ...queued]) {
    if (envelope.type !== "household") continue;
    const household = await openWithKeyring(keyring, envelope);
    if (!household) continue;  // a team key this device does not hold (yet)
    const item = document.createElement("li");
    const open = document.createElement("button");
    open.type = "button";
    open.className = "link";
    open.textContent = household.display_name;
    open.addEventListener("click", () => onOpenHousehold?.(envelope.case_id));
    item.append(open);
    if (queuedIds.has(envelope.id)) item.dataset.waiting = "true";
    list.append(item);
  }
  const outbox = document.createElement("p");
  outbox.id = "outbox";
  outbox.textContent = _("Waiting to sync: {count}", { count: queued.length });
  const add = document.createElement("button");
  add.id = "new-household";
  add.type = "button";
  add.textContent = _("New household");
  add.addEventListener("click", onNewHousehold);
  section.append(heading, list, outbox, add);
}
