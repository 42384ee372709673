import * as oc from "../crypto/index.js";
import { _ } from "../i18n/index.js";
import { enqueue } from "../sync/push.js";

// UUIDv7: time-ordered ids minted on the device (PROTOCOL §0).
function uuid7() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let ms = Date.now();
  for (let i = 5; i >= 0; i -= 1) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function renderNewHousehold(root, session, keys, onSaved) {
  root.innerHTML = "";
  const form = document.createElement("form");
  form.className = "card";
  form.innerHTML = `
    <h1 id="household-title"></h1>
    <label for="display_name"></label>
    <input id="display_name" name="display_name" required maxlength="200">
    <button type="submit"></button>`;
  form.querySelector("#household-title").textContent = _("Household");
  form.querySelector("label[for=display_name]").textContent = _("Name, nickname or short description");
  form.querySelector("button").textContent = _("Save");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const team = session.teams[0];
    const teamKey = keys.teams.filter((t) => t.team_id === team).at(-1);
    const recipients = [
      [teamKey.kid, await oc.importEncryptionPublicKey(oc.b64uDecode(teamKey.public_key))],
      [keys.recovery.kid, await oc.importEncryptionPublicKey(oc.b64uDecode(keys.recovery.public_key))],
    ];
    const id = uuid7();
    const envelope = await oc.sealEnvelope(
      { display_name: form.display_name.value.trim() },
      { id, record_id: id, case_id: id, type: "household", team_id: team,
        schema: "household@1", meta: { source: "app" }, device_id: session.deviceId },
      recipients, session.signingKey.privateKey);
    await enqueue(envelope);  // saved on the phone first; the network comes later
    await onSaved();
  });
  root.append(form);
}
