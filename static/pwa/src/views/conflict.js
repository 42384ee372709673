// Two people changed the same record while offline: the server kept both (PROTOCOL §3), and a
// person decides. Plans merge by default (every goal and action of both sides, nothing lost);
// any record can also keep one side. Either way the new revision supersedes all the heads.
import { loadForms, metaFor } from "../forms/definitions.js";
import { _, currentLocale } from "../i18n/index.js";
import { go } from "../router.js";
import { formatDate, h, mount } from "../ui/dom.js";
import { backLink } from "./household.js";

export function mergePlans(versions) {
  const goals = [];
  const actions = new Map();
  for (const plan of versions) {  // oldest first: the newest side wins on the same action
    for (const goal of plan.goals ?? []) if (!goals.includes(goal)) goals.push(goal);
    for (const action of plan.actions ?? []) actions.set(action.description.trim().toLowerCase(), action);
  }
  const newest = versions.at(-1);
  const merged = { ...newest, goals, actions: [...actions.values()] };
  const visits = versions.map((p) => p.next_visit).filter(Boolean).sort();
  if (visits.length) merged.next_visit = visits[0];  // the earliest promised visit stands
  return merged;
}

function describe(data) {
  return h("dl", {}, Object.entries(data).map(([key, value]) => [
    h("dt", {}, key),
    h("dd", {}, Array.isArray(value)
      ? h("ul", {}, value.map((item) => h("li", {}, typeof item === "object" ? item.description ?? JSON.stringify(item) : item)))
      : String(value)),
  ]));
}

export async function renderConflict(ctx, caseId, recordId) {
  const record = ctx.book.current(recordId);
  if (!record?.conflict) return go(`/h/${caseId}`);
  const forms = await loadForms();
  const form = forms[record.type];
  const parents = record.heads.map((r) => r.envelope.id);
  const resolve = async (data) => {
    await ctx.save({ type: record.type, caseId, teamId: record.teamId, recordId, parents, plaintext: data,
                     meta: record.type === "plan" ? { ...metaFor(form, data), actions_count: data.actions.length }
                       : metaFor(form, data) });
    go(`/h/${caseId}`);
  };
  const versions = record.heads.map((r) => r.plaintext).filter(Boolean);
  const locale = currentLocale();
  mount(ctx.root, backLink(`#/h/${caseId}`),
    h("section", { className: "card" },
      h("h1", {}, _("Conflicting edits")),
      h("p", {}, _("Both versions are kept on the server. Whatever you choose, the other stays in the history."))),
    record.type === "plan" ? h("section", { className: "card", id: "merged" },
      h("h2", {}, _("Both versions together")), describe(mergePlans(versions)),
      h("button", { type: "button", id: "keep-merged", onclick: () => resolve(mergePlans(versions)) },
        _("Keep both versions together"))) : null,
    record.heads.map((head, index) => h("section", { className: "card version" },
      h("h2", {}, _("Version {number}", { number: index + 1 }), " · ",
        formatDate(head.envelope.created_at, locale)),
      head.plaintext ? describe(head.plaintext) : h("p", {}, _("This version cannot be read on this phone.")),
      head.plaintext ? h("button", { type: "button", className: "secondary keep-version",
                                     onclick: () => resolve(head.plaintext) }, _("Keep this version")) : null)));
}
