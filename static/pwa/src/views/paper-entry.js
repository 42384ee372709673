// Paper forms back into the app (PROTOCOL §4). Where there is no phone at the kitchen table, the
// worker fills in a numbered blank form; later, on the phone, they scan its QR code (camera or a
// photo) or type its number here, and go on to the household and the form (views/paper-form.js).
// A serial is entered once: this phone refuses one it already holds (paper/check.js), the server
// one entered elsewhere (shown in the sync receipts). Also here: a paper kit to print, kept on
// the phone for offline printing.
import { ProblemError } from "../api.js";
import { loadForms } from "../forms/definitions.js";
import { languageCodes, languageName } from "../forms/render.js";
import { _, currentLocale, ngettext } from "../i18n/index.js";
import { checkCode, rememberScan } from "../paper/check.js";
import { fetchKit } from "../paper/kit.js";
import { cameraAvailable, prefetchDecoder, scanImage, startCamera } from "../paper/scanner.js";
import { PAPER_FORMS, readPaperCode } from "../paper/serials.js";
import { go } from "../router.js";
import { getSetting, putSetting } from "../store/db.js";
import { withFreshToken } from "../tokens.js";
import { formatDate, h, mount } from "../ui/dom.js";
import { enteredLink } from "./paper-form.js";
import { backLink } from "../ui/nav.js";

const KIT_KEY = "paper-kit";

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
      say(result.error, enteredLink(result));
      return;
    }
    rememberScan(result);
    go(household && !["household", "contact"].includes(result.form) ? `/paper/${result.serial}/h/${caseId}`
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
  // The kit, or one kind of sheet alone (a change of phase, a street contact, a right …).
  const forms = await loadForms().catch(() => ({}));
  const which = h("select", { id: "kit-form" },
    new Option(_("The kit: visit, assessment, consent, plan"), "kit"),
    Object.values(PAPER_FORMS).filter((id) => forms[id])
      .map((id) => new Option(_(forms[id].title), id)));
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
    const wanted = { team: team.value || teams[0], language: language.value, form: which.value,
                     copies: Math.min(50, Math.max(1, Number(copies.value) || 1)) };
    status.textContent = _("Downloading…");
    button.disabled = true;
    try {
      const { blob, filename } = await withFreshToken(ctx, (token) => fetchKit(token, wanted));
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
    h("label", { htmlFor: "kit-form" }, _("Which forms")), which,
    h("label", { htmlFor: "kit-language" }, _("Language of the household")), language,
    h("label", { htmlFor: "kit-copies" }, _("Copies of each form")), copies,
    button, status, saved);
}
