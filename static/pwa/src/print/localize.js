// What a household reads, in their language: the translator along their chain, data from the
// referral catalogue and area list looked up along the same chain, opening hours and dates
// formatted by CLDR (the browser's Intl), and a note when something fell back.
import { chainFor, householdUnreviewedUsed, languageInfo, translatorFor } from "../i18n/index.js";
import { h } from "../ui/dom.js";

// The household's chain: their first and second language (one household language, used by
// every printout and screen the household reads).
export function householdChain(household, fallback = "en") {
  const first = household?.data.household_language || fallback;
  return chainFor(first, household?.data.second_language || null);
}

export async function householdTranslator(household, fallback) {
  return translatorFor(householdChain(household, fallback), { reviewedOnly: !householdUnreviewedUsed() });
}

// A data field (service name, opening-hours note, area name) along the chain; `source` is the
// language of the untranslated value (the catalogue's, English by default).
export function dataText(t, base, translations, field, source = "en") {
  for (const code of t.chain) {
    if (code === source) break;
    const value = translations?.[code]?.[field];
    if (value) {
      t.served.add(code);
      return value;
    }
  }
  if (base) t.served.add(source);
  return base ?? "";
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

function weekday(index, cldr) {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(cldr, { weekday: "short", timeZone: "UTC" })
    .format(new Date(Date.UTC(2024, 0, 1 + index, 12)));
}

function clock(text) {
  const [hours, minutes] = text.split(":").map(Number);
  return new Date(Date.UTC(2024, 0, 1, hours, minutes));
}

// [{days: ["mon", …], opens: "09:00", closes: "16:00"}] → "lun.–vin. 09:00–12:00; mar. 14:00–17:00"
export function openingHours(entries, cldr) {
  const time = new Intl.DateTimeFormat(cldr, { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  const list = new Intl.ListFormat(cldr, { style: "short", type: "unit" });
  return (entries ?? []).map((entry) => {
    const days = [...new Set(entry.days)].map((d) => DAYS.indexOf(d)).filter((i) => i >= 0).sort();
    const runs = [];
    for (const day of days) {
      const last = runs.at(-1);
      if (last && day === last[1] + 1) last[1] = day;
      else runs.push([day, day]);
    }
    const named = runs.map(([a, b]) => (a === b ? weekday(a, cldr)
      : `${weekday(a, cldr)}${b - a > 1 ? "–" : ", "}${weekday(b, cldr)}`));
    return `${list.format(named)} ${time.formatRange(clock(entry.opens), clock(entry.closes))}`;
  }).join("; ");
}

// Text whose direction is its own (a phone number, an address, a name typed in another
// script) inside a right-to-left page: isolated, so "+32 0 000 00 02" never prints reversed.
export function isolated(text, dir = "auto", className = undefined) {
  return text ? h("bdi", { dir, className }, text) : null;
}

export function phone(text) {
  return isolated(text, "ltr", "phone");
}

// Under the sheet: which language it fell back to and why, and whether a native speaker has
// checked the translation. In the household's language (the words come from `t` too).
export function languageNotes(t) {
  const first = t.chain[0];
  const firstInfo = languageInfo(first);
  const others = [...t.served].filter((code) => code !== first);
  const notes = [];
  if (others.length && first !== "en") {
    notes.push(h("p", { className: "fallback-note", dataset: { fallback: others.join(" ") } },
      t._("Some words are in {languages}: they are not yet translated into {language}.", {
        languages: others.map((code) => languageInfo(code)?.name ?? code).join(", "),
        language: firstInfo?.name ?? first,
      })));
  }
  if (t.unreviewed) {
    notes.push(h("p", { className: "unreviewed-note" },
      t._("This translation has not yet been checked by a native speaker.")));
  }
  return notes;
}
