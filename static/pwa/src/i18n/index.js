// Interface strings from the same gettext catalogs as the server (compiled to JSON by
// `flask i18n compile`), with CLDR plural rules through Intl. English is the source language.
const RTL = new Set(["ar"]);
let messages = {};
let locale = "en";

export async function setLocale(next) {
  locale = next;
  messages = {};
  if (next !== "en") {
    const response = await fetch(`/static/pwa/build/i18n/${next}.json`);
    if (response.ok) messages = (await response.json()).messages;
  }
  document.documentElement.lang = next;
  document.documentElement.dir = RTL.has(next) ? "rtl" : "ltr";
}

export function currentLocale() {
  return locale;
}

// gettext("…") and interpolation of {name} placeholders.
export function _(text, values = {}) {
  const translated = messages[text] || text;
  return translated.replace(/\{(\w+)\}/g, (_m, name) => String(values[name] ?? ""));
}
