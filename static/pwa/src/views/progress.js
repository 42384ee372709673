// Domain scores across visits: one row per life domain, one column per assessment, so the
// household and the worker see what moved. Numbers and words, never colour alone.
import { _ } from "../i18n/index.js";
import { formatDate, h } from "../ui/dom.js";

// One row of scores, oldest first, with the direction it moved since the first.
function row(code, label, scores, kind) {
  if (scores.every((s) => s === null)) return null;
  const known = scores.filter((s) => s !== null);
  const trend = known.length > 1 ? Math.sign(known.at(-1) - known[0]) : 0;
  return h("tr", { dataset: { [kind]: code } },
    h("th", { scope: "row" }, label),
    scores.map((score, i) => h("td", {}, score ?? "–",
      i === scores.length - 1 && trend ? h("span", { className: "trend",
        "aria-label": trend > 0 ? _("better") : _("worse") }, trend > 0 ? " ↑" : " ↓") : null)));
}

export function progressTable(form, assessments, locale) {
  if (!assessments.length) return h("p", {}, _("No assessment yet."));
  const columns = [...assessments].sort((a, b) =>
    (a.data.date ?? a.envelope.created_at).localeCompare(b.data.date ?? b.envelope.created_at)).slice(-4);
  const empowerment = (form.empowerment ?? []).filter((q) => columns.some((a) => a.data.empowerment?.[q.id]));
  return h("div", { className: "scroll" }, h("table", { className: "progress" },
    h("caption", {}, _("Scores from 1 (acute problem) to 5 (fully self-reliant)")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, _("Domain")),
      columns.map((a) => h("th", { scope: "col" }, formatDate(a.data.date ?? a.envelope.created_at, locale, "short"))))),
    h("tbody", {}, form.domains.map((domain) => row(domain.code, _(domain.label),
      columns.map((a) => a.data.scores?.[domain.code] ?? null), "domain"))),
    // Self-reported empowerment beside the domain scores, over the same visits (DOMAIN.md).
    empowerment.length ? h("tbody", { id: "empowerment-over-time" },
      h("tr", {}, h("th", { scope: "rowgroup", colSpan: columns.length + 1 }, _("Self-reported empowerment"))),
      empowerment.map((q) => row(q.id, _(q.label), columns.map((a) => a.data.empowerment?.[q.id] ?? null), "empowerment")))
      : null));
}
