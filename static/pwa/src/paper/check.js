// What the phone checks of a paper form's number or QR code by itself, offline, before a form is
// opened (PROTOCOL §4): its shape and check digit, that it names one of the team's paper forms
// in a version this phone has, and that no record in the case book carries it yet.
import { formVersion, loadForms } from "../forms/definitions.js";
import { _ } from "../i18n/index.js";
import { PAPER_FORMS, formOfSerial, hasSerialShape, isValidSerial, readPaperCode } from "./serials.js";

const FORMS = new Set(Object.values(PAPER_FORMS));
// What the last QR code said beyond the serial (form version, language), for the next screens.
let scanned = null;

// The record (any revision, synced or waiting, of anyone in the team) that holds this serial.
export function recordWithSerial(book, serial) {
  for (const record of book.records.values()) {
    for (const { envelope } of record.revisions.values()) {
      if (envelope.meta?.paper_serial === serial) return record;
    }
  }
  return null;
}

function householdName(book, caseId) {
  return book.ofCase(caseId, "household")[0]?.data.display_name ?? _("Unknown household");
}

// Everything the phone can check by itself, before a form is opened: { error, enteredIn } (the
// case of the household that already holds the serial, if that is the reason) or the form to
// open: { serial, form, definition, language }.
export async function checkCode(ctx, code) {
  if (!code) return { error: _("This QR code is not from an outreach paper form.") };
  const { serial } = code;
  if (!hasSerialShape(serial)) {
    return { error: _("A form number looks like VIS-000123-7: letters, a dash, digits, a dash and one last digit.") };
  }
  if (!isValidSerial(serial)) {
    return { error: _("The form number {serial} is not right: a character was probably misread or mistyped. Check it against the paper.", { serial }) };
  }
  const form = code.form ?? formOfSerial(serial);
  if (!FORMS.has(form) || (code.form && formOfSerial(serial) !== form)) {
    return { error: _("{serial} is not the number of one of the team's paper forms.", { serial }) };
  }
  let definition;
  try {
    definition = code.schema ? await formVersion(code.schema) : (await loadForms())[form];
  } catch {
    return { error: _("The forms are not on this phone yet: open the app once with a signal.") };
  }
  if (!definition) {
    return { error: _("This paper form was printed from a version of the form that this phone does not have yet. Sync with a signal and try again.") };
  }
  const entered = recordWithSerial(ctx.book, serial);
  if (entered) {
    return {
      error: _("Paper form {serial} was already entered ({form} of {household}). Each paper form is entered only once.", {
        serial, form: _(definition.title), household: householdName(ctx.book, entered.caseId) }),
      enteredIn: entered.caseId,
    };
  }
  return { serial, form, definition, language: code.language };
}

// The entry screen remembers what a QR code said beyond the serial; the routes that follow
// (#/paper/<serial>…) carry only the serial.
export function rememberScan(result) {
  scanned = { serial: result.serial, form: result.form, schema: result.definition.schema,
              language: result.language };
}

export async function checkSerial(ctx, serial) {
  const code = readPaperCode(serial);
  if (code && scanned?.serial === code.serial) Object.assign(code, scanned);
  return checkCode(ctx, code);
}
