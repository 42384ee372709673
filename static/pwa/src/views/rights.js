// A household's rights over what the team holds (GDPR): the access export (art. 15), printed or
// saved in the household's language from the records decrypted here, and erasure on request
// (art. 17), where this phone names the household's records (the server cannot link them).
import { call } from "../api.js";
import { loadForms } from "../forms/definitions.js";
import { _, currentLocale } from "../i18n/index.js";
import { householdTranslator, isolated } from "../print/localize.js";
import { go } from "../router.js";
import { queueReport } from "../sync/reports.js";
import { openStore } from "../store/db.js";
import { withFreshToken } from "../tokens.js";
import { formatDate, h, mount } from "../ui/dom.js";
import { backLink } from "../ui/nav.js";

const isSupervisor = (ctx) => ctx.session.role === "supervisor";

// Every record of the household held on this phone, with every readable field.
function recordsOf(ctx, caseId) {
  const ids = ctx.book.cases.get(caseId) ?? new Set();
  return [...ids].map((id) => ctx.book.current(id)).filter((r) => r?.data && !r.data.deleted);
}

export function rightsSection(ctx, caseId) {
  return h("section", { className: "card", id: "rights" }, h("h2", {}, _("The household's rights")),
    h("a", { href: `#/h/${caseId}/access`, className: "button secondary", id: "access-export" },
      _("What we hold about this household")),
    isSupervisor(ctx) ? h("a", { href: `#/h/${caseId}/erase`, className: "button danger", id: "erase-household" },
      _("Erase this household on request")) : null);
}

export function valueText(t, field, value) {
  if (value === null || value === undefined || value === "") return null;
  const choice = (v) => field?.choices?.find((c) => c.value === v);
  if (Array.isArray(value)) return value.map((v) => (choice(v) ? t._(choice(v).label) : typeof v === "object" ? JSON.stringify(v) : String(v))).join(", ");
  if (choice(value)) return t._(choice(value).label);
  if (typeof value === "boolean") return value ? t._("Yes") : t._("No");
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

export async function renderAccessExport(ctx, caseId) {
  const forms = await loadForms();
  const records = recordsOf(ctx, caseId);
  const household = records.find((r) => r.type === "household");
  if (!household) {
    mount(ctx.root, backLink(`#/h/${caseId}`), h("p", { className: "card" }, _("This household is not on this phone.")));
    return;
  }
  const t = await householdTranslator(household, currentLocale());
  const block = (record) => {
    const form = forms[record.type];
    const rows = Object.entries(record.data).map(([key, value]) => {
      const field = form?.fields?.find((f) => f.id === key);
      const text = valueText(t, field, value);
      return text === null ? null : h("tr", {}, h("th", { scope: "row" }, field ? t._(field.label) : key), h("td", {}, isolated(text)));
    }).filter(Boolean);
    return h("section", { className: "access-record", dataset: { record: record.id, type: record.type } },
      h("h2", {}, t._(form?.title ?? record.type), " · ", formatDate(record.envelope.created_at.slice(0, 10), t.cldr)),
      h("table", {}, h("tbody", {}, rows)));
  };
  const sheet = h("article", { className: "print-sheet", id: "access-sheet", lang: t.locale, dir: t.dir },
    h("h1", {}, t._("What the team holds about your household")),
    h("p", {}, t._("These are all the records the team keeps about you, as they are today. You may ask for any of them to be corrected or erased.")),
    records.map(block));
  const print = async () => {
    // The export is audited (no content: the team and how many records), then printed or saved.
    // Offline, the report waits in a queue and goes with the next sync (sync/reports.js).
    await queueReport({ action: "access_export", team: household.teamId, records: records.length });
    window.print();
  };
  mount(ctx.root, backLink(`#/h/${caseId}`),
    h("p", { className: "no-print" }, h("button", { type: "button", id: "print-access", onclick: print }, _("Print or save as PDF"))),
    sheet);
}

const REASONS = () => ({ subject_request: _("The household asked for it"), duplicate: _("A duplicate"),
                         entered_in_error: _("Entered in error"), other: _("Other") });

export async function renderErase(ctx, caseId) {
  const records = [...(ctx.book.cases.get(caseId) ?? new Set())].map((id) => ctx.book.records.get(id)).filter(Boolean);
  const household = ctx.book.ofCase(caseId, "household")[0];
  if (!isSupervisor(ctx) || !household) {
    go(`/h/${caseId}`);
    return;
  }
  const reason = h("select", { id: "erase-reason" }, Object.entries(REASONS()).map(([value, label]) => h("option", { value }, label)));
  const sure = h("input", { type: "checkbox", id: "erase-confirm" });
  const message = h("p", { role: "alert", id: "erase-message" });
  const erase = async () => {
    if (!sure.checked) {
      sure.focus();
      return;
    }
    const ids = records.map((r) => r.id);
    try {
      await withFreshToken(ctx, (token) => call(`/teams/${encodeURIComponent(household.teamId)}/erasures`,
        { token, body: { record_ids: ids, reason: reason.value } }));
    } catch (exc) {
      message.textContent = exc.problem?.title ?? _("No connection. This needs a signal.");
      return;
    }
    // This phone drops its copies at once; the others with their next sync (the erased ids).
    const db = await openStore();
    const erased = new Set(ids);
    const tx = db.transaction(["records", "outbox"], "readwrite");
    for (const store of ["records", "outbox"]) {
      for (const envelope of await tx.objectStore(store).getAll()) {
        if (erased.has(envelope.record_id)) tx.objectStore(store).delete(envelope.id);
      }
    }
    await tx.done;
    await ctx.reload();
    go("/");
  };
  mount(ctx.root, backLink(`#/h/${caseId}`), h("section", { className: "card" },
    h("h1", {}, _("Erase {name}", { name: household.data.display_name ?? "" })),
    h("p", {}, _("Every record of this household ({count}) is erased from the server and from every phone of the team. This cannot be undone.", { count: records.length })),
    h("label", { htmlFor: "erase-reason" }, _("Reason")), reason,
    h("label", { className: "check" }, sure, h("span", {}, _("I have checked that this is the right household"))),
    h("button", { type: "button", className: "danger", id: "erase-now", onclick: erase }, _("Erase household")),
    message));
}
