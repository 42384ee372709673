// Envelopes the server relayed to this device, kept as they came: sealed.
import { openStore } from "../store/db.js";

export async function allRecords() {
  return (await openStore()).getAll("records");
}
