// Form definitions come from the server (GET /api/v1/forms, cached by the service worker for
// offline use); their strings are translated on the device with the same catalogs.
import { call } from "../api.js";

let cache = null;
let versions = {};  // "visit@1" → definition: every version the server still has

export async function loadForms() {
  cache ??= call("/forms", { method: "GET" }).then((body) => {
    versions = Object.fromEntries(body.forms.map((form) => [form.schema, form]));
    return Object.fromEntries(body.forms.map((form) => [form.id, form]));
  })
    .catch((exc) => {
      cache = null;  // not cached yet and no signal: try again next time
      throw exc;
    });
  return cache;
}

// One version of a form (a paper form names the version it was printed from), or null.
export async function formVersion(schema) {
  await loadForms();
  return versions[schema] ?? null;
}

// Which plaintext fields travel in the clear as `meta`: only those the definition marks as
// reportable, plus the common ones (PROTOCOL §2). Everything else stays inside the ciphertext.
// `saveRecord` then cuts the date to its month and rolls a small area up to its parent
// (docs/threat-model.md, "Clear meta, field by field").
const COMMON = ["area", "date", "paper_serial"];

export function metaFor(form, plaintext) {
  const meta = {};
  for (const name of [...COMMON, ...Object.keys(form.reportable ?? {})]) {
    const value = plaintext[name];
    if (value === undefined || value === null || value === "") continue;
    const kind = form.reportable?.[name]?.type;
    if (Array.isArray(value) && kind !== "list") continue;
    if (typeof value === "object" && !Array.isArray(value) && kind !== "map") continue;
    meta[name] = value;
  }
  if (plaintext.paper_serial) meta.source = "paper";
  return meta;
}
