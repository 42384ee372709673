// Paper forms back into the app (PROTOCOL §4). Where there is no phone at the kitchen table, the
// worker fills in a numbered blank form; later, on the phone, they scan its QR code (camera or a
// photo) or type its number, pick the household, and fill in the same form version. The record
// carries the serial (meta.paper_serial, source "paper"); a serial is entered once: this phone
// refuses one it already holds, the server one entered elsewhere (shown in the sync receipts).
// Also here: a paper kit to print, kept on the phone for offline printing, and the supervisor's
// list of issued forms never entered.
import { call, ProblemError } from "../api.js";
import { formVersion, loadForms } from "../forms/definitions.js";
import { languageCodes, languageName } from "../forms/render.js";
import { _, currentLocale, ngettext } from "../i18n/index.js";
import { cameraAvailable, prefetchDecoder, scanImage, startCamera } from "../paper/scanner.js";
import { PAPER_FORMS, formOfSerial, hasSerialShape, isValidSerial, readPaperCode } from "../paper/serials.js";
import { go } from "../router.js";
import { getSetting, putSetting } from "../store/db.js";
import { withFreshToken } from "../tokens.js";
import { formatDate, h, mount } from "../ui/dom.js";
import { renderAssessment } from "./assessment.js";
import { backLink, renderNewHousehold } from "./household.js";
import { renderPlanForm } from "./plan.js";
import { renderRecordForm } from "./record-form.js";

const KIT_KEY = "paper-kit";
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

// Everything the phone can check by itself, before a form is opened: { error, link } or the
// form to open: { serial, form, definition, language }.
async function checkCode(ctx, code) {
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
      link: h("a", { href: `#/h/${entered.caseId}`, id: "paper-entered-link" }, _("Open that household")),
    };
  }
  return { serial, form, definition, language: code.language };
}

async function checkSerial(ctx, serial) {
  const code = readPaperCode(serial);
  if (code && scanned?.serial === code.serial) Object.assign(code, scanned);
  return checkCode(ctx, code);
}

function refusal(ctx, result, back) {
  mount(ctx.root, backLink(back),
    h("section", { className: "card" },
      h("h1", {}, _("Enter a paper form")),
      h("p", { className: "error", id: "paper-message", role: "alert" }, result.error),
      result.link ?? null));
}

// #/paper and #/h/<case>/paper: scan or type the number of the form.
export async function renderPaperEntry(ctx, caseId = null) {
  const household = caseId ? ctx.book.ofCase(caseId, "household")[0] : null;
  const message = h("div", { id: "paper-message", role: "alert", className: "error" });
  const busy = h("p", { id: "paper-busy", role: "status", className: "help" });
  const say = (...parts) => {
    busy.textContent = "";
    message.replaceChildren(...parts.filter(Boolean).map((part) => (part instanceof Node ? part : h("p", {}, part))));
  };
  const proceed = async (text) => {
    say();
    const result = await checkCode(ctx, readPaperCode(text));
    if (result.error) {
      say(result.error, result.link);
      return;
    }
    scanned = { serial: result.serial, form: result.form, schema: result.definition.schema,
                language: result.language };
    go(household && result.form !== "household" ? `/paper/${result.serial}/h/${caseId}`
      : `/paper/${result.serial}`);
  };

  const input = h("input", { id: "paper-serial", name: "serial", dir: "ltr", autocomplete: "off", spellcheck: false,
                             autocapitalize: "characters", maxLength: 60, required: true,
                             "aria-describedby": "paper-serial-help" });
  const typed = h("form", { id: "paper-entry", className: "card" },
    h("h1", {}, _("Enter a paper form")),
    household ? h("p", { id: "paper-household" }, _("For the household {name}", { name: household.data.display_name })) : null,
    h("label", { htmlFor: "paper-serial" }, _("Form number")),
    h("p", { className: "help", id: "paper-serial-help" },
      _("Printed at the top of the form, beside the QR code, for example VIS-000123-7.")),
    input,
    h("button", { type: "submit", className: "primary", id: "paper-continue" }, _("Continue")),
    message, busy);
  typed.addEventListener("submit", (event) => {
    event.preventDefault();
    proceed(input.value);
  });

  const video = h("video", { id: "scan-video", "aria-label": _("Camera") });
  let stopCamera = null;
  const camera = h("div", { id: "scan-camera", hidden: true }, video,
    h("button", { type: "button", id: "scan-stop", className: "secondary", onclick: () => {
      stopCamera?.();
      stopCamera = null;
      camera.hidden = true;
    } }, _("Stop the camera")));
  const scan = async () => {
    say();
    camera.hidden = false;
    try {
      stopCamera = await startCamera(video, (text) => {
        if (!readPaperCode(text)) {
          say(_("This QR code is not from an outreach paper form."));
          return false;
        }
        camera.hidden = true;
        proceed(text);
        return true;
      });
    } catch {
      camera.hidden = true;
      say(_("The camera could not be opened. Allow the camera for this app, take a photo of the form, or type its number."));
    }
  };
  const photo = h("input", { type: "file", id: "paper-photo", accept: "image/*" });
  photo.addEventListener("change", async () => {
    const [file] = photo.files;
    if (!file) return;
    say();
    busy.textContent = _("Reading the photo…");
    try {
      const text = await scanImage(file);
      if (text) await proceed(text);
      else say(_("No QR code was found in this photo. Take it again closer, flat and in good light, or type the form number."));
    } catch {
      say(_("The QR code reader could not start: it is loaded once with a signal. Type the form number instead."));
    } finally {
      busy.textContent = "";
      photo.value = "";
    }
  });
  const scanning = h("section", { className: "card", id: "paper-scan" },
    h("h2", {}, _("Scan the QR code")),
    cameraAvailable() ? h("button", { type: "button", id: "scan-qr", onclick: scan }, _("Scan with the camera")) : null,
    camera,
    h("label", { htmlFor: "paper-photo" }, _("Or choose a photo of the form")),
    photo);

  const supervisor = ctx.session.role === "supervisor";
  mount(ctx.root,
    backLink(household ? `#/h/${caseId}` : "#/", household ? household.data.display_name : _("Back")),
    typed, scanning, await kitSection(ctx, household),
    supervisor ? h("nav", { className: "card" },
      h("a", { href: "#/paper/missing", id: "paper-missing-link" }, _("Paper forms not entered"))) : null);
  if (navigator.onLine) prefetchDecoder();
}

// #/paper/<serial>: which household the form is for (a household sheet starts a new one).
export async function renderPaperHousehold(ctx, serial) {
  const result = await checkSerial(ctx, serial);
  if (result.error) return refusal(ctx, result, "#/paper");
  const paper = { serial: result.serial, schema: result.definition.schema };
  if (result.form === "household") {
    return renderNewHousehold(ctx, {
      paper, draftName: `paper-${result.serial}`, back: "#/paper",
      defaults: result.language ? { household_language: result.language } : {},
    });
  }
  const households = ctx.book.ofType("household")
    .sort((a, b) => a.data.display_name.localeCompare(b.data.display_name, currentLocale()));
  const search = h("input", { id: "paper-search", type: "search", "aria-label": _("Find a household"),
                              placeholder: _("Find a household") });
  const list = h("ul", { id: "paper-households", className: "list" });
  const fill = () => {
    const needle = search.value.trim().toLocaleLowerCase();
    list.replaceChildren(...households
      .filter((r) => !needle || r.data.display_name.toLocaleLowerCase().includes(needle))
      .map((r) => h("li", {}, h("a", { href: `#/paper/${result.serial}/h/${r.caseId}`, className: "row" },
        h("span", { className: "name" }, r.data.display_name)))));
  };
  search.addEventListener("input", fill);
  fill();
  mount(ctx.root, backLink("#/paper"),
    h("section", { className: "card" },
      h("h1", {}, _("Which household is this form for?")),
      h("p", { id: "paper-form", dataset: { form: result.form } },
        _("Paper form {serial}: {form}", { serial: result.serial, form: _(result.definition.title) })),
      search, list,
      h("a", { href: `#/paper/${result.serial}/new`, className: "button secondary", id: "paper-new-household" },
        _("A new household"))));
}

// #/paper/<serial>/new: the household first, then the form.
export async function renderPaperNewHousehold(ctx, serial) {
  const result = await checkSerial(ctx, serial);
  if (result.error) return refusal(ctx, result, "#/paper");
  return renderNewHousehold(ctx, {
    draftName: `paper-${result.serial}-household`, back: `#/paper/${result.serial}`,
    defaults: result.language ? { household_language: result.language } : {},
    then: (caseId) => go(`/paper/${result.serial}/h/${caseId}`),
  });
}

// #/paper/<serial>/h/<case>: the form itself, in the version the paper was printed from.
export async function renderPaperForm(ctx, serial, caseId) {
  const result = await checkSerial(ctx, serial);
  if (result.error) return refusal(ctx, result, `#/h/${caseId}`);
  const paper = { serial: result.serial, schema: result.definition.schema };
  if (result.form === "household") return go(`/paper/${result.serial}`);
  if (result.form === "assessment") return renderAssessment(ctx, caseId, paper);
  if (result.form === "plan") return renderPlanForm(ctx, caseId, paper);
  return renderRecordForm(ctx, caseId, result.form, null, paper);
}

// The server, with the access token refreshed once if it expired (the one refresher).
const withToken = withFreshToken;

// The server draws one kit at a time and answers 503 + Retry-After while busy (so kits never
// hold up syncs): wait as told and ask again, a few times.
const KIT_ATTEMPTS = 5;

async function fetchKit(token, { team, language, copies }) {
  const query = new URLSearchParams({ team, lang: language, copies: String(copies) });
  let response;
  for (let attempt = 1; attempt <= KIT_ATTEMPTS; attempt += 1) {
    response = await fetch(`/paper/forms/kit.pdf?${query}`, { headers: { Authorization: `Bearer ${token}` } });
    if (response.status !== 503 || attempt === KIT_ATTEMPTS) break;
    const seconds = Math.min(10, Math.max(1, Number(response.headers.get("Retry-After")) || 2));
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
  if (!response.ok) {
    const problem = (response.headers.get("Content-Type") ?? "").includes("json") ? await response.json() : {};
    throw new ProblemError(problem, response.status);
  }
  const filename = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "kit.pdf";
  return { blob: await response.blob(), filename };
}

// Blank forms for printing: one kit (visit, assessment, consent, plan) in the household's
// language, numbered and registered as issued to the team. The last one stays on the phone
// (IndexedDB, wiped with everything else) so it can be opened and printed offline.
async function kitSection(ctx, household) {
  const teams = ctx.session.teams ?? [];
  const team = h("select", { id: "kit-team", hidden: teams.length < 2, "aria-label": _("Team") },
    teams.map((slug) => new Option(slug, slug)));
  if (household) team.value = household.teamId;
  const language = h("select", { id: "kit-language" }, languageCodes().map((code) => new Option(languageName(code), code)));
  language.value = household?.data.household_language ?? currentLocale();
  const copies = h("input", { id: "kit-copies", type: "number", inputMode: "numeric", min: 1, max: 50, value: 5 });
  const status = h("p", { id: "kit-status", role: "status" });
  const saved = h("div", { id: "kit-saved" });
  let url = null;
  const show = (kit) => {
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(kit.blob);
    saved.replaceChildren(
      h("a", { href: url, download: kit.filename, id: "kit-file", className: "button" }, _("Open the paper kit (PDF)")),
      h("p", { className: "help", id: "kit-about" },
        ngettext("Team {team}, in {language}, {count} copy of each form, downloaded {date}.",
                 "Team {team}, in {language}, {count} copies of each form, downloaded {date}.", kit.copies,
                 { team: kit.team, language: languageName(kit.language), date: formatDate(kit.at, currentLocale()) })),
      h("p", { className: "help" },
        _("Print it once: each form number can be entered only once. For more forms, download a new kit.")));
  };
  const stored = await getSetting(KIT_KEY).catch(() => null);
  if (stored?.blob) show(stored);
  const download = async () => {
    if (!navigator.onLine) {
      status.textContent = _("Downloading a kit needs a signal. The last kit kept on this phone can still be opened.");
      return;
    }
    const wanted = { team: team.value || teams[0], language: language.value,
                     copies: Math.min(50, Math.max(1, Number(copies.value) || 1)) };
    status.textContent = _("Downloading…");
    button.disabled = true;
    try {
      const { blob, filename } = await withToken(ctx, (token) => fetchKit(token, wanted));
      const kit = { ...wanted, blob, filename, at: new Date().toISOString() };
      await putSetting(KIT_KEY, kit);
      show(kit);
      status.textContent = _("The kit is on this phone: open it to print, also without a signal.");
    } catch (exc) {
      status.textContent = exc instanceof ProblemError
        ? exc.problem.title ?? _("The server could not make the kit.")
        : _("No connection. Downloading a kit needs a signal.");
    } finally {
      button.disabled = false;
    }
  };
  const button = h("button", { type: "button", id: "kit-download", onclick: download }, _("Download a paper kit"));
  return h("section", { className: "card", id: "paper-kit" },
    h("h2", {}, _("Blank forms to print")),
    h("p", { className: "help" }, _("A visit, an assessment, a consent and a plan form, numbered for your team.")),
    teams.length > 1 ? h("label", { htmlFor: "kit-team" }, _("Team")) : null, team,
    h("label", { htmlFor: "kit-language" }, _("Language of the household")), language,
    h("label", { htmlFor: "kit-copies" }, _("Copies of each form")), copies,
    button, status, saved);
}

// #/paper/missing, for supervisors: forms issued to the team and never entered, from the server.
export async function renderMissingForms(ctx) {
  const forms = await loadForms().catch(() => ({}));
  const locale = currentLocale();
  const teams = ctx.session.teams ?? [];
  const body = h("div", { id: "missing" }, h("p", { className: "help" }, _("Loading…")));
  mount(ctx.root, backLink("#/paper", _("Enter a paper form")),
    h("section", { className: "card" },
      h("h1", {}, _("Paper forms not entered")),
      h("p", { className: "help" },
        _("Numbered forms printed for the team whose number no synced record carries yet: follow up lost or forgotten forms.")),
      body));
  if (!navigator.onLine) {
    body.replaceChildren(h("p", { className: "error", id: "missing-offline" },
      _("No connection. This list comes from the server: open it again with a signal.")));
    return;
  }
  let answers;
  try {
    answers = await Promise.all(teams.map((team) => withToken(ctx, (token) =>
      call(`/teams/${encodeURIComponent(team)}/paper-serials`, { method: "GET", token }))));
  } catch (exc) {
    body.replaceChildren(h("p", { className: "error", id: "missing-offline" }, exc instanceof ProblemError
      ? exc.problem.title ?? _("The server refused the list.")
      : _("No connection. This list comes from the server: open it again with a signal.")));
    return;
  }
  const serials = answers.flatMap((answer) => answer.serials.map((s) => ({ ...s, team: answer.team_id })));
  if (!serials.length) {
    body.replaceChildren(h("p", { id: "missing-none" }, _("Every paper form printed for the team was entered.")));
    return;
  }
  body.replaceChildren(
    h("p", {}, ngettext("{count} form not entered", "{count} forms not entered", serials.length)),
    h("ul", { id: "missing-serials", className: "list" }, serials.map((item) => {
      const id = item.form_schema.split("@", 1)[0];
      const here = recordWithSerial(ctx.book, item.serial);
      return h("li", { dataset: { serial: item.serial } },
        h("strong", {}, item.serial), h("br"),
        h("span", { className: "sub" }, [_(forms[id]?.title ?? id), languageName(item.language),
                                         formatDate(item.issued_at, locale),
                                         teams.length > 1 ? item.team : null].filter(Boolean).join(" · ")),
        here ? h("span", { className: "badge" }, _("entered on this phone, waiting to sync")) : null);
    })));
}
