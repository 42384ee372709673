// Checks across fields that a single input cannot make: a record that contradicts itself is
// refused on the phone with a message at the field, before it is sealed (a wrong age band or a
// consent that covers nothing would otherwise be reported as a fact). Keyed by form id; each
// returns { fieldId: message } for what the worker must correct.
import { _ } from "../i18n/index.js";

// "25-49" → [25, 49], "65+" → [65, Infinity]
function bandRange(band) {
  const match = /^(\d+)(?:-(\d+)|\+)$/.exec(band ?? "");
  return match ? [Number(match[1]), match[2] ? Number(match[2]) : Infinity] : null;
}

function person(data, year) {
  const errors = {};
  const born = data.birth_year;
  if (born !== undefined && born > year) {
    errors.birth_year = _("The year of birth cannot be later than {year}.", { year });
  } else if (born !== undefined && born < 1900) {
    errors.birth_year = _("The year of birth cannot be before {year}.", { year: 1900 });
  }
  const band = bandRange(data.age_band);
  if (born !== undefined && !errors.birth_year && band) {
    // Without the birthday, someone born in 2000 is 25 or 26 in 2026.
    const oldest = year - born;
    const youngest = Math.max(0, oldest - 1);
    if (oldest < band[0] || youngest > band[1]) {
      errors.age_band = _("Born in {born}, this person is {age} now, not {band}. Correct the year of birth or the age group.",
                          { born, age: youngest === oldest ? oldest : `${youngest}–${oldest}`, band: data.age_band });
    }
  }
  return errors;
}

function consent(data) {
  return data.status === "given" && !(data.scope ?? []).length
    ? { scope: _("Tick what the household agrees to.") } : {};
}

// Only a person closes a case, and never without saying why (DOMAIN.md, presence phase).
function phase(data) {
  return data.phase === "closed" && !data.closure_reason
    ? { closure_reason: _("Say why the case is closed.") } : {};
}

const CHECKS = { person, consent, phase };

export function checkRecord(formId, data, year = new Date().getFullYear()) {
  return CHECKS[formId]?.(data, year) ?? {};
}
