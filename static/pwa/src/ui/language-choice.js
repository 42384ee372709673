// The interface language, chosen anywhere (login screen, settings): each language by its own
// name first, so a worker who cannot read the current one still finds theirs. The choice
// applies at once, to the screen (`rerender`) and everything around it.
import { _, currentLocale, formatLocale, languageInfo, languages, setLocale } from "../i18n/index.js";
import { h } from "./dom.js";

// The organisation's locales (translations/languages.json): a new one appears everywhere.
export function languageCodes() {
  return languages().map((l) => l.code);
}

// A language by its own name, so anyone finds theirs ("Română", "العربية"), with the name in
// the interface's language beside it when that differs ("Română (Romanian)").
export function languageName(code) {
  const own = languageInfo(code)?.name ?? code;
  if (code === currentLocale()) return own;
  let local = null;
  try {
    local = new Intl.DisplayNames([formatLocale()], { type: "language", fallback: "none" }).of(code);
  } catch {
    local = null;
  }
  return local && local !== own ? `${own} (${local})` : own;
}

export function languageChoice(rerender, id = "interface-language") {
  const select = h("select", { id, lang: "" },
    languageCodes().map((code) => {
      const option = new Option(languageName(code), code);
      option.lang = code;
      return option;
    }));
  select.value = currentLocale();
  select.addEventListener("change", async () => {
    localStorage.setItem("outreach.locale", select.value);
    await setLocale(select.value);
    // The catalog may have come from the network meanwhile: focus goes back to the choice only
    // if it is still there, never taken from a field the worker went on typing into.
    const refocus = document.activeElement === select || document.activeElement === document.body;
    await rerender();
    if (refocus) document.getElementById(id)?.focus();
  });
  return [h("label", { htmlFor: id }, _("Language of this app")), select];
}
