// Paper serials on the device: `<PREFIX>-<NUMBER>-<CHECK>`, e.g. `VIS-000123-7`, the same rule as
// outreach/forms/serials.py (Luhn over prefix and number, letters counted A=10 … Z=35), so a
// mistyped character or two swapped neighbours are caught before anything is saved. No imports:
// the browser tests load this file as it is and compare it with the server's Python.

const SERIAL = /^[A-Z0-9]{2,8}-[0-9]{4,10}-[0-9]$/;

// The forms that exist on paper, by serial prefix (outreach/paper/service.py PREFIXES).
export const PAPER_FORMS = { HH: "household", PER: "person", VIS: "visit", ASM: "assessment",
                             NOTE: "note", PLN: "plan", REF: "referral", CON: "consent",
                             PHS: "phase", STC: "contact", RGT: "right" };

function digits(body) {
  return [...body].filter((c) => c !== "-").map((c) => String(parseInt(c, 36))).join("");
}

export function checkDigit(body) {
  let total = 0;
  [...digits(body)].reverse().forEach((char, position) => {
    let value = Number(char);
    if (position % 2 === 0) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    total += value;
  });
  return String((10 - (total % 10)) % 10);
}

export function makeSerial(prefix, number) {
  const body = `${prefix}-${String(number).padStart(6, "0")}`;
  return `${body}-${checkDigit(body)}`;
}

// What a person types: lower case, spaces or other dashes between the parts.
export function normalise(text) {
  return String(text ?? "").trim().toUpperCase().replace(/[\s\u2010-\u2015\u2212_.]+/g, "-");
}

export function hasSerialShape(serial) {
  return SERIAL.test(serial);
}

export function isValidSerial(serial) {
  if (typeof serial !== "string" || !SERIAL.test(serial)) return false;
  const cut = serial.lastIndexOf("-");
  return checkDigit(serial.slice(0, cut)) === serial.slice(cut + 1);
}

export function formOfSerial(serial) {
  return PAPER_FORMS[serial.split("-", 1)[0]] ?? null;
}

// What the QR code on a paper form says (outreach/paper/pdf.py qr_payload):
// `outreach:1:<form>@<version>:<language>:<serial>`. A bare serial (a QR code or a typed
// number) is read too. Returns { serial, form, schema, language } or null for anything else.
export function readPaperCode(text) {
  const value = String(text ?? "").trim();
  const qr = value.match(/^outreach:1:([a-z_]+)@(\d+):([a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?):(.+)$/);
  if (qr) {
    return { serial: normalise(qr[4]), form: qr[1], schema: `${qr[1]}@${qr[2]}`, language: qr[3] };
  }
  if (value.startsWith("outreach:")) return null;  // a newer format this app cannot read
  const serial = normalise(value);
  return serial ? { serial, form: formOfSerial(serial), schema: null, language: null } : null;
}
