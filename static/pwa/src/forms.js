// Form definitions come from the server (GET /api/v1/forms, cached by the service worker for
// offline use); their strings are translated on the device with the same catalogs.
import { call } from "./api.js";

let cache = null;

export async function loadForms() {
  cache ??= call("/forms", { method: "GET" }).then((body) =>
    Object.fromEntries(body.forms.map((form) => [form.schema, form])));
  return cache;
}
