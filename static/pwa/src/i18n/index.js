// Interface strings from the same gettext catalogs as the server, compiled to JSON by
// `flask i18n compile` (outreach/i18n/catalogs.py). English is the source language. The JSON:
//   { "locale": "cs",
//     "plural": { "count": 3, "expr": "((n==1) ? 0 : …)", "rule": ["?", ["==", "n", 1], 0, …] },
//     "messages": { "Save": "Uložit", "{count} visit": ["{count} návštěva", "…", "…"] } }
// A plural message is keyed by its singular and holds every form, in the catalog's order.
// languages.json lists the organisation's locales (own names, direction, chains); a string is
// looked up along a chain, catalog by catalog, so a partial catalog shows what it has.
import { chainOf } from "./chain.js";
import { ENGLISH, pluralIndex } from "./plural.js";

const BUILD = "/static/pwa/build/i18n";
// Before languages.json arrives (or if it never does): English alone still works.
let config = { household_unreviewed: true,
               locales: [{ code: "en", name: "English", dir: "ltr", chain: ["en"], cldr: "en", catalog: true, reviewed: true }] };
const loaded = new Map();
let active = null;
const listeners = new Set();

export async function loadLanguages() {
  try {
    const response = await fetch(`${BUILD}/languages.json`);
    if (response.ok) config = await response.json();
  } catch {
    // offline and not cached yet: English only
  }
  return config;
}

export function languages() {
  return config.locales;
}

export function languageInfo(code) {
  return config.locales.find((l) => l.code === code);
}

export function householdUnreviewedUsed() {
  return config.household_unreviewed !== false;
}

export function chainFor(first, second = null) {
  return chainOf(config.locales, first, second);
}

// The locale whose CLDR data (dates, numbers) a reader of `code` gets: the first of its chain
// that CLDR knows (Romani has none; the browser's Intl is CLDR too).
export function cldrOf(code) {
  return languageInfo(code)?.cldr ?? code ?? "en";
}

async function catalog(code) {
  if (code === "en") return null;
  if (!loaded.has(code)) {
    loaded.set(code, fetch(`${BUILD}/${code}.json`)
      .then((r) => (r.ok ? r.json() : null)).catch(() => null));
  }
  return loaded.get(code);
}

function interpolate(text, values) {
  return text.replace(/\{(\w+)\}/g, (_m, name) => String(values[name] ?? ""));
}

// A translator along `chain`: `_` and `ngettext` as below, `served` the locales that supplied
// at least one string (a printout says which language it fell back to), `unreviewed` whether
// any of them was not yet confirmed by a native speaker, `cldr` for dates and numbers.
// `reviewedOnly`: skip unreviewed translations (an organisation's choice for household output).
export async function translatorFor(chain, { reviewedOnly = false } = {}) {
  const catalogs = (await Promise.all(chain.map(async (code) => [code, await catalog(code)])))
    .filter(([code, c]) => code === "en" || c)
    .map(([code, c]) => [code, c, new Set(c?.reviewed ?? [])]);
  const served = new Set();
  const t = {
    chain, locale: chain[0], served, unreviewed: false,
    cldr: chain.find((code) => languageInfo(code)?.cldr_known) ?? cldrOf(chain[0]),
    dir: languageInfo(chain[0])?.dir ?? "ltr",
    // The first catalog of the chain with a usable translation of `text`, or null (English).
    pick(text, usable) {
      for (const [code, c, reviewed] of catalogs) {
        if (code === "en") break;
        const value = c.messages[text];
        if (!usable(value, c)) continue;
        if (!reviewed.has(text)) {
          if (reviewedOnly) continue;
          t.unreviewed = true;
        }
        served.add(code);
        return [value, c];
      }
      served.add("en");
      return [null, null];
    },
    _(text, values = {}) {
      const [value] = t.pick(text, (v) => typeof v === "string" && v);
      return interpolate(value ?? text, values);
    },
    ngettext(singular, plural, n, values = {}) {
      const count = Math.trunc(Math.abs(Number(n))) || 0;
      const all = { count: n, ...values };
      // Each catalog's plural forms under its own rule (Hungarian one form, Czech three).
      const formOf = (forms, c) => (Array.isArray(forms) ? forms[pluralIndex(c.plural?.rule ?? ENGLISH, count)] : null);
      const [forms, c] = t.pick(singular, (v, cat) => Boolean(formOf(v, cat)));
      if (forms) return interpolate(formOf(forms, c), all);
      return interpolate(pluralIndex(ENGLISH, count) ? plural : singular, all);
    },
  };
  return t;
}

// One compiled catalog as the whole interface (null for English); for tests of the plural
// rules, without fetching languages.json.
export function useCatalog(compiled) {
  const code = compiled?.locale ?? "en";
  if (compiled) loaded.set(code, Promise.resolve(compiled));
  const messages = compiled?.messages ?? {};
  const rule = compiled?.plural?.rule ?? ENGLISH;
  active = {
    locale: code, cldr: code, served: new Set(), chain: [code, "en"],
    _: (text, values = {}) => interpolate(typeof messages[text] === "string" && messages[text] ? messages[text] : text, values),
    ngettext(singular, plural, n, values = {}) {
      const count = Math.trunc(Math.abs(Number(n))) || 0;
      const form = Array.isArray(messages[singular]) ? messages[singular][pluralIndex(rule, count)] : null;
      return interpolate(form || (pluralIndex(ENGLISH, count) ? plural : singular), { count: n, ...values });
    },
  };
}

// The worker's interface language: its configured chain. Listeners (the header, the status
// line) re-render at once when it changes.
export async function setLocale(next) {
  const info = languageInfo(next) ?? languageInfo("en");
  active = await translatorFor(info.chain ?? chainFor(info.code));
  document.documentElement.lang = info.code;
  document.documentElement.dir = info.dir ?? "ltr";
  for (const listener of listeners) listener(info.code);
}

export function onLocaleChange(listener) {
  listeners.add(listener);
}

export function currentLocale() {
  return active?.locale ?? "en";
}

// The interface's locale for Intl (dates, numbers, sorting).
export function formatLocale() {
  return active?.cldr ?? "en";
}

// gettext: _("Hello, {name}", { name }) — {name} placeholders are filled from values.
export function _(text, values = {}) {
  return active ? active._(text, values) : interpolate(text, values);
}

// ngettext: the form for n, by the catalog's plural rule; {count} is n unless values say else.
//   ngettext("{count} visit waiting", "{count} visits waiting", queued.length)
export function ngettext(singular, plural, n, values = {}) {
  if (active) return active.ngettext(singular, plural, n, values);
  return interpolate(pluralIndex(ENGLISH, Math.trunc(Math.abs(Number(n))) || 0) ? plural : singular,
                     { count: n, ...values });
}

export { ngettext as _n };
