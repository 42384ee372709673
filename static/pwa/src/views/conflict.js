// Two people changed the same record while offline: the server kept both (PROTOCOL §3), and a
// person decides. Plans merge by default (every goal and action of both sides, nothing lost);
// any record can also keep one side. Either way the new revision supersedes all the heads.
import { loadForms, metaFor } from "../forms/definitions.js";
import { _, currentLocale } from "../i18n/index.js";
import { go } from "../router.js";
import { languageName } from "../forms/render.js";
import { authorName, teamInfo } from "../teams.js";
import { formatDate, guard, h, mount } from "../ui/dom.js";
import { backLink } from "../ui/nav.js";

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

// Labels for what a record holds beyond its form's fields (the plan keeps these too).
const EXTRA = () => ({ household_language: _("Language for printed plans and forms"), worker: _("Worker"),
                       paper_serial: _("Paper form number") });

// One value as the worker knows it: the choice's words, the member's name, the service's name.
function shown(field, value, context) {
  const locale = currentLocale();
  const choice = (v) => _(field?.choices?.find((c) => c.value === v)?.label ?? String(v));
  switch (field?.type) {
    case "choice": return choice(value);
    case "multichoice": return value.map(choice).join(", ");
    case "person_list": return value.map((id) => context.members.get(id) ?? "?").join(", ");
    case "catalogue": return context.services.find((s) => s.id === value)?.name ?? value;
    case "languages": return (Array.isArray(value) ? value : [value]).map(languageName).join(", ");
    case "date": return formatDate(value, locale);
    case "boolean": return value ? _("Yes") : _("No");
    case "action_list": return h("ul", {}, value.map((a) => h("li", {}, a.description,
      a.due ? ` · ${formatDate(a.due, locale)}` : "")));
    case "text_list": return h("ul", {}, value.map((item) => h("li", {}, item)));
    case "domain_scores": return scoreList(context.form, value, (score) => score ?? _("Not discussed"));
    case "domain_barriers": return scoreList(context.form, value, (types) =>
      types.map((t) => _(context.form.barriers.types.find((b) => b.value === t)?.label ?? t)).join(", "));
    case "empowerment": return h("ul", {}, Object.entries(value).map(([id, n]) =>
      h("li", {}, `${_(context.form.empowerment.find((q) => q.id === id)?.label ?? id)}: ${n}`)));
    case "member_domain_scores": return h("ul", {}, Object.entries(value).map(([member, scores]) =>
      h("li", {}, context.members.get(member) ?? "?", ": ", scoreList(context.form, scores, (n) => n))));
    default:
      return typeof value === "object" ? JSON.stringify(value) : String(value);
  }
}

function scoreList(form, values, show) {
  return h("ul", {}, (form.domains ?? []).filter((d) => d.code in values)
    .map((d) => h("li", {}, `${_(d.label)}: `, show(values[d.code]))));
}

// A version field by field, in the form's order, by the form's labels; what differs from the
// other version(s) is marked, so "Keep this version" is never a blind choice.
function describe(data, form, context, differs = new Set()) {
  const known = new Map((form?.fields ?? []).map((f) => [f.id, f]));
  const extra = EXTRA();
  const keys = [...known.keys(), ...Object.keys(data).filter((k) => !known.has(k))]
    .filter((k) => data[k] !== undefined && data[k] !== null && data[k] !== ""
                   && !(Array.isArray(data[k]) && !data[k].length) && known.get(k)?.type !== "record_ref");
  return h("dl", {}, keys.map((key) => {
    const field = known.get(key);
    const label = field ? _(field.label) : extra[key] ?? key;
    const mark = differs.has(key) ? "differs" : undefined;
    return [h("dt", { className: mark }, label, mark ? h("span", { className: "badge alert" }, _("differs")) : null),
            h("dd", { className: mark }, shown(field ?? (key === "household_language" ? { type: "languages" } : undefined),
                                               data[key], context))];
  }));
}

function differingKeys(versions) {
  const keys = new Set(versions.flatMap((v) => Object.keys(v)));
  return new Set([...keys].filter((k) => new Set(versions.map((v) => JSON.stringify(v[k] ?? null))).size > 1));
}

export async function renderConflict(ctx, caseId, recordId) {
  const record = ctx.book.current(recordId);
  if (!record?.conflict) return go(`/h/${caseId}`);
  const forms = await loadForms();
  const form = forms[record.type];
  const parents = record.heads.map((r) => r.envelope.id);
  const resolve = async (data) => {
    await ctx.save({ type: record.type, caseId, teamId: record.teamId, recordId, parents, plaintext: data,
                     meta: metaFor(form, data) });  // actions_count is sealed since issue 13
    go(`/h/${caseId}`);
  };
  const versions = record.heads.map((r) => r.plaintext).filter(Boolean);
  const team = await teamInfo(record.teamId);
  const context = { form, services: team.services ?? [],
                    members: new Map(ctx.book.ofCase(caseId, "person").map((m) => [m.id, m.data.name])) };
  const differs = differingKeys(versions);
  const time = new Intl.DateTimeFormat(currentLocale() === "rom" ? "ro" : currentLocale(),
                                       { dateStyle: "medium", timeStyle: "short" });
  const once = guard();
  mount(ctx.root, backLink(`#/h/${caseId}`),
    h("section", { className: "card" },
      h("h1", {}, _("Conflicting edits")),
      h("p", {}, _("Both versions are kept on the server. Whatever you choose, the other stays in the history."))),
    record.type === "plan" ? h("section", { className: "card", id: "merged" },
      h("h2", {}, _("Both versions together")), describe(mergePlans(versions), form, context),
      h("button", { type: "button", id: "keep-merged", onclick: once(() => resolve(mergePlans(versions))) },
        _("Keep both versions together"))) : null,
    record.heads.map((head, index) => h("section", { className: "card version" },
      h("h2", {}, _("Version {number}", { number: index + 1 }), " · ",
        time.format(new Date(head.envelope.created_at)), " · ", authorName(team, head.envelope, ctx.session)),
      head.plaintext ? describe(head.plaintext, form, context, differs)
        : h("p", {}, _("This version cannot be read on this phone.")),
      head.plaintext ? h("button", { type: "button", className: "secondary keep-version",
                                     onclick: once(() => resolve(head.plaintext)) }, _("Keep this version")) : null)));
}
