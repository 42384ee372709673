// Dates entered and shown in the interface's locale, not the browser's: a native
// <input type=date> draws and reads its date in the browser's language (a Bulgarian worker on an
// English phone would get mm/dd/yyyy and English month names). This is a text field that shows
// the date as the interface's CLDR locale writes it (order, separators, digits, from
// Intl.DateTimeFormat.formatToParts), accepts it typed that way (any separator, the locale's
// digits or ASCII, 8 digits without separators for a numeric keypad, or ISO), and gives the
// app's own message when it is not a date. Records keep ISO dates (YYYY-MM-DD) as before.
import { _, formatLocale } from "../i18n/index.js";
import { h } from "./dom.js";

const FIELDS = ["day", "month", "year"];

function formatter(locale) {
  return new Intl.DateTimeFormat(locale, { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" });
}

function utc(year, month, day) {
  return new Date(Date.UTC(year, month - 1, day, 12));
}

// The locale's date, from its first field to its last: "24.12.2026" (not "24.12.2026 г.").
function written(date, locale) {
  const parts = formatter(locale).formatToParts(date);
  const fields = parts.map((p, i) => (FIELDS.includes(p.type) ? i : -1)).filter((i) => i >= 0);
  return parts.slice(fields[0], fields.at(-1) + 1).map((p) => p.value).join("");
}

// The locale's order of the fields and its digits ("٠١٢…" in Arabic), for reading typed dates.
function layout(locale) {
  const parts = formatter(locale).formatToParts(utc(2026, 12, 24));
  const order = parts.filter((p) => FIELDS.includes(p.type)).map((p) => p.type);
  const { numberingSystem } = formatter(locale).resolvedOptions();
  const numbers = new Intl.NumberFormat(locale, { numberingSystem, useGrouping: false });
  const digits = new Map([...Array(10).keys()].map((d) => [numbers.format(d), String(d)]));
  // The pattern in the interface's words: "ДД.ММ.ГГГГ", "JJJJ. HH. NN." …
  const words = { day: _("DD"), month: _("MM"), year: _("YYYY") };
  const pattern = parts.map((p) => words[p.type] ?? p.value);
  const fields = pattern.map((_p, i) => (FIELDS.includes(parts[i].type) ? i : -1)).filter((i) => i >= 0);
  return { order, digits, pattern: pattern.slice(fields[0], fields.at(-1) + 1).join("") };
}

function asciiDigits(text, digits) {
  return [...text].map((c) => {
    const code = c.codePointAt(0);
    if (code >= 0x660 && code <= 0x669) return String(code - 0x660);  // Arabic-Indic
    if (code >= 0x6f0 && code <= 0x6f9) return String(code - 0x6f0);  // Extended (Persian, Urdu)
    return digits.get(c) ?? c;
  }).join("");
}

// ISO "YYYY-MM-DD" for what was typed, "" when nothing was, null when it is not a date.
export function parseDate(text, locale = formatLocale()) {
  const { order, digits } = layout(locale);
  const clean = asciiDigits(String(text ?? ""), digits).trim();
  if (!clean) return "";
  let numbers = clean.match(/\d+/g) ?? [];
  let fields;
  if (numbers.length === 1 && numbers[0].length === 8) {  // "24122026" from a numeric keypad
    const widths = { day: 2, month: 2, year: 4 };
    let at = 0;
    numbers = order.map((field) => numbers[0].slice(at, (at += widths[field])));
    fields = order;
  } else if (numbers.length === 3 && numbers[0].length === 4) {
    fields = ["year", "month", "day"];  // ISO, whatever the locale: never ambiguous
  } else {
    fields = order;
  }
  if (numbers.length !== 3 || /[^\d\s./\-,\u060c\u060d\u200e\u200f\u061c]/u.test(clean)) return null;
  const value = Object.fromEntries(fields.map((field, i) => [field, numbers[i]]));
  if (value.year.length !== 4 || value.day.length > 2 || value.month.length > 2) return null;
  const [year, month, day] = [Number(value.year), Number(value.month), Number(value.day)];
  const date = utc(year, month, day);
  if (year < 1900 || year > 2100 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${value.year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

// An ISO date as the interface's locale writes it in a date field.
export function showDate(iso, locale = formatLocale()) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? "");
  return match ? written(utc(Number(match[1]), Number(match[2]), Number(match[3])), locale) : (iso ?? "");
}

function example(locale) {
  return written(utc(new Date().getFullYear(), 12, 24), locale);
}

// The message for a field that does not hold a date, in the interface's language.
export function dateMessage(locale = formatLocale()) {
  return _("Enter a date as {pattern}, for example {example}.",
           { pattern: layout(locale).pattern, example: example(locale) });
}

function check(input) {
  input.setCustomValidity(parseDate(input.value) === null ? dateMessage() : "");
}

// The field (its <label for=id> is the caller's) and a line showing how to write a date.
// `value`: an ISO date, or what a draft kept of a date not finished.
export function dateInput({ id, name = undefined, value = "", required = false }) {
  const locale = formatLocale();
  const hint = h("p", { className: "help date-format", id: `${id}-format` },
    _("For example {date}", { date: example(locale) }));
  const input = h("input", {
    id, name, required, type: "text", inputMode: "numeric", autocomplete: "off",
    className: "date", placeholder: layout(locale).pattern, value: showDate(value, locale),
    "aria-describedby": hint.id, dataset: { date: "" },
    oninput: () => check(input),
    // Once typed, written back as the locale writes it ("24-12-2026" → "24.12.2026").
    onchange: () => {
      const iso = parseDate(input.value);
      if (iso) input.value = showDate(iso);
      check(input);
    },
  });
  check(input);
  return [input, hint];
}

// The ISO date in a date field; "" when empty; what was typed when it is not (yet) a date, so a
// draft keeps it (the form refuses to save it: checkDates).
export function dateValue(input) {
  const iso = parseDate(input.value);
  return iso === null ? input.value.trim() : iso;
}

// The app's own messages, in the interface's language, at the fields of a form that does not
// render through forms/ (the form is noValidate: the browser's bubbles speak the browser's
// language): a date that is not one, a required field left empty. True when there are none;
// the first field to correct is focused.
export function checkFields(form) {
  let ok = true;
  for (const old of form.querySelectorAll(".field-error")) old.remove();
  for (const input of form.querySelectorAll("input[id], textarea[id], select[id]")) {
    const format = input.dataset.date !== undefined ? `${input.id}-format` : null;
    input.removeAttribute("aria-invalid");
    if (format) {
      check(input);
      input.setAttribute("aria-describedby", format);
    }
    const { validity } = input;
    if (validity.valid) continue;
    const message = validity.valueMissing ? _("Please fill in this field.")
      : validity.customError ? input.validationMessage : _("This value cannot be used here.");
    const error = h("p", { id: `${input.id}-error`, className: "error field-error", role: "alert" }, message);
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", [error.id, format].filter(Boolean).join(" "));
    (format ? input.nextElementSibling : input).after(error);
    if (ok) input.focus();
    ok = false;
  }
  return ok;
}
