// The interface language, chosen anywhere (login screen, settings): each language by its own
// name first, so a worker who cannot read the current one still finds theirs. The choice
// applies at once, to the screen (`rerender`) and everything around it.
import { languageCodes, languageName } from "../forms/render.js";
import { _, currentLocale, setLocale } from "../i18n/index.js";
import { h } from "./dom.js";

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
    await rerender();
    document.getElementById(id)?.focus();
  });
  return [h("label", { htmlFor: id }, _("Language of this app")), select];
}
