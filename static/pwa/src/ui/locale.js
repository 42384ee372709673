// The worker's interface language: their explicit choice first, then the browser's languages.
import { languages } from "../i18n/index.js";

export function pickLocale() {
  const codes = languages().map((l) => l.code);
  const saved = localStorage.getItem("outreach.locale");
  if (codes.includes(saved)) return saved;
  const browser = navigator.languages.map((l) => l.toLowerCase())
    .flatMap((l) => [l, l.split("-")[0]]).find((l) => codes.includes(l));
  return browser || "en";
}
