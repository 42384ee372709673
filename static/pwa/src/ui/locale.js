// The worker's interface language: their explicit choice first, then the browser's languages.
export const LOCALES = ["en", "nl", "ro", "bg", "hu", "sk", "cs", "uk", "ar", "rom"];

export function pickLocale() {
  const saved = localStorage.getItem("outreach.locale");
  if (LOCALES.includes(saved)) return saved;
  const browser = navigator.languages.map((l) => l.split("-")[0]).find((l) => LOCALES.includes(l));
  return browser || "en";
}
