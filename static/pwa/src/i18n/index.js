// Interface strings from the same gettext catalogs as the server, compiled to JSON by
// `flask i18n compile` (outreach/i18n/catalogs.py). English is the source language. The JSON:
//   { "locale": "cs",
//     "plural": { "count": 3, "expr": "((n==1) ? 0 : …)", "rule": ["?", ["==", "n", 1], 0, …] },
//     "messages": { "Save": "Uložit", "{count} visit": ["{count} návštěva", "…", "…"] } }
// A plural message is keyed by its singular and holds every form, in the catalog's order.
import { ENGLISH, pluralIndex } from "./plural.js";

const RTL = new Set(["ar"]);
let messages = {};
let rule = ENGLISH;
let locale = "en";

// Use a compiled catalog (null for English, the source language).
export function useCatalog(catalog) {
  messages = catalog?.messages ?? {};
  rule = catalog?.plural?.rule ?? ENGLISH;
}

export async function setLocale(next) {
  locale = next;
  let catalog = null;
  if (next !== "en") {
    const response = await fetch(`/static/pwa/build/i18n/${next}.json`);
    if (response.ok) catalog = await response.json();
  }
  useCatalog(catalog);
  document.documentElement.lang = next;
  document.documentElement.dir = RTL.has(next) ? "rtl" : "ltr";
}

export function currentLocale() {
  return locale;
}

function interpolate(text, values) {
  return text.replace(/\{(\w+)\}/g, (_m, name) => String(values[name] ?? ""));
}

// gettext: _("Hello, {name}", { name }) — {name} placeholders are filled from values.
export function _(text, values = {}) {
  const translated = messages[text];
  return interpolate(typeof translated === "string" && translated ? translated : text, values);
}

// ngettext: the form for n, by the catalog's plural rule; {count} is n unless values say else.
//   ngettext("{count} visit waiting", "{count} visits waiting", queued.length)
export function ngettext(singular, plural, n, values = {}) {
  const forms = messages[singular];
  const count = Math.trunc(Math.abs(Number(n))) || 0;
  const all = { count: n, ...values };
  if (Array.isArray(forms)) {
    const translated = forms[pluralIndex(rule, count)];
    if (translated) return interpolate(translated, all);
  }
  return interpolate(pluralIndex(ENGLISH, count) ? plural : singular, all);
}

export { ngettext as _n };
