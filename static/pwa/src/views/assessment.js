// The needs assessment: every life domain, five anchored levels, skippable, with the barriers
// met in each domain (DOMAIN.md), self-reported empowerment and the household's own words.
import { formVersion, loadForms, metaFor } from "../forms/definitions.js";
import { _ } from "../i18n/index.js";
import { go } from "../router.js";
import { autosave, dropDraft, loadDraft } from "../store/drafts.js";
import { h, mount, onSubmitOnce, today } from "../ui/dom.js";
import { checkFields, dateInput, dateValue } from "../ui/date-input.js";
import { iconFor } from "../ui/icons.js";
import { historyOf } from "./history.js";
import { backLink, paperNotice } from "../ui/nav.js";

function domainFieldset(form, domain, values) {
  const score = values.scores?.[domain.code] ?? null;
  const barriers = values.barriers?.[domain.code] ?? [];
  return h("fieldset", { id: `domain-${domain.code}`, className: "domain" },
    h("legend", {}, h("span", { "aria-hidden": "true", className: "icon" }, iconFor(domain.icon)), " ",
      _(domain.label)),
    domain.anchors.map((anchor) => h("label", { className: "level" },
      h("input", { type: "radio", name: domain.code, value: String(anchor.level),
                   checked: score === anchor.level }),
      h("span", {}, h("strong", {}, `${anchor.level} · ${_(anchor.label)}`), h("br"), _(anchor.description)))),
    h("label", { className: "level skip" },
      h("input", { type: "radio", name: domain.code, value: "", checked: score === null }),
      h("span", {}, _("Not discussed"))),
    h("details", { className: "barriers", open: barriers.length > 0 },
      h("summary", { className: "button secondary" }, _("Barriers met in this domain"),
        h("span", { className: "badge barrier-count" }, barriers.length ? String(barriers.length) : "")),
      form.barriers.types.map((type) => h("label", { className: "check" },
        h("input", { type: "checkbox", name: `barrier-${domain.code}`, value: type.value,
                     checked: barriers.includes(type.value) }),
        h("span", {}, _(type.label))))));
}

// Per-member scores where a member's situation differs from the household's (children!): one
// compact choice per domain, blank meaning "as the household". They stay in the ciphertext.
function memberScores(form, members, values) {
  if (!members.length) return null;
  return h("details", { className: "card members-scores", id: "member-scores" },
    h("summary", {}, _("Scores for a household member, where they differ")),
    members.map((member) => h("fieldset", { dataset: { member: member.id } },
      h("legend", {}, member.data.name),
      form.domains.map((domain) => {
        const id = `member-${member.id}-${domain.code}`;
        const select = h("select", { id, className: "member-score",
                                     dataset: { member: member.id, domain: domain.code } },
          new Option(_("As the household"), ""),
          domain.anchors.map((a) => new Option(`${a.level} · ${_(a.label)}`, String(a.level))));
        select.value = String(values[member.id]?.[domain.code] ?? "");
        return h("div", { className: "field" }, h("label", { htmlFor: id }, _(domain.label)), select);
      }))));
}

// `paper` ({ serial, schema }): entering a numbered paper assessment (views/paper-form.js).
// Words at the two ends of the 1–5 scale, so the household knows which way it runs.
function scaleWords(n) {
  if (n === 1) return [" · ", _("not at all")];
  if (n === 5) return [" · ", _("very much")];
  return [];
}

// `recordId`: an assessment opened again to correct it; saving makes a new revision of it.
export async function renderAssessment(ctx, caseId, paper = null, recordId = null) {
  const forms = await loadForms();
  const existing = recordId ? ctx.book.current(recordId) : null;
  const form = (paper?.schema && await formVersion(paper.schema))
    || (existing && await formVersion(existing.envelope.schema)) || forms.assessment;
  const [household] = ctx.book.ofCase(caseId, "household");
  if (!household) return go("/");
  const draftName = paper ? `${caseId}/paper-${paper.serial}` : `${caseId}/${recordId ?? "new-assessment"}`;
  const values = (await loadDraft(draftName)) ?? existing?.data ?? { date: today() };
  // Where the worker is: how many domains were talked about, and a jump to any of them.
  const progress = h("span", { id: "assessment-progress", "aria-live": "polite" });
  const jump = h("nav", { className: "jump", id: "domain-jump", "aria-label": _("Life domains") },
    h("ol", {}, form.domains.map((domain) => h("li", { dataset: { domain: domain.code } },
      h("a", { href: `#domain-${domain.code}`, onclick: (event) => {
        event.preventDefault();  // hash routes: scroll to the domain instead of navigating
        document.getElementById(`domain-${domain.code}`)?.scrollIntoView({ block: "start" });
        document.querySelector(`#domain-${domain.code} input`)?.focus({ preventScroll: true });
      } }, _(domain.label))))));
  const element = h("form", { className: "card", id: "form-assessment", noValidate: true },
    h("h1", {}, _(form.title)),
    h("p", { className: "help" }, _(form.description)),
    h("div", { className: "field" }, h("label", { htmlFor: "f-date" }, _("Date of the assessment")),
      dateInput({ id: "f-date", required: true, value: values.date ?? today() })),
    form.domains.map((domain) => domainFieldset(form, domain, values)),
    memberScores(form, ctx.book.ofCase(caseId, "person"), values.member_scores ?? {}),
    form.empowerment.map((question) => h("fieldset", { id: `empowerment-${question.id}` },
      h("legend", {}, _(question.label)),
      h("div", { className: "scale" }, [1, 2, 3, 4, 5].map((n) => h("label", { className: "level" },
        h("input", { type: "radio", name: `empowerment-${question.id}`, value: String(n),
                     checked: values.empowerment?.[question.id] === n }),
        h("span", {}, String(n), ...scaleWords(n))))))),
    h("div", { className: "field" }, h("label", { htmlFor: "f-comment" }, _("What the household said")),
      h("textarea", { id: "f-comment", rows: 3, value: values.comment ?? "" })),
    h("div", { className: "save-bar" }, progress,
      h("button", { type: "submit", className: "primary" }, _("Save"))));
  element.read = () => {
    const scores = {};
    const barriers = {};
    for (const domain of form.domains) {
      const checked = element.querySelector(`input[name=${domain.code}]:checked`);
      scores[domain.code] = checked?.value ? Number(checked.value) : null;  // skipped → null
      const ticked = [...element.querySelectorAll(`input[name=barrier-${domain.code}]:checked`)]
        .map((i) => i.value);
      if (ticked.length) barriers[domain.code] = ticked;
    }
    const empowerment = {};
    for (const question of form.empowerment) {
      const checked = element.querySelector(`input[name=empowerment-${question.id}]:checked`);
      if (checked) empowerment[question.id] = Number(checked.value);
    }
    const comment = element.querySelector("#f-comment").value.trim();
    const members = {};
    for (const select of element.querySelectorAll("select.member-score")) {
      if (!select.value) continue;
      members[select.dataset.member] ??= {};
      members[select.dataset.member][select.dataset.domain] = Number(select.value);
    }
    return { date: dateValue(element.querySelector("#f-date")), scores, barriers, empowerment,
             ...(Object.keys(members).length ? { member_scores: members } : {}),
             ...(comment ? { comment } : {}), ...(paper ? { paper_serial: paper.serial } : {}) };
  };
  const count = () => {
    const done = form.domains.filter((d) => element.querySelector(`input[name=${d.code}]:checked`)?.value);
    progress.textContent = _("{done} of {total} domains discussed", { done: done.length, total: form.domains.length });
    for (const item of jump.querySelectorAll("li")) {
      item.classList.toggle("done", done.some((d) => d.code === item.dataset.domain));
    }
    for (const box of element.querySelectorAll("details.barriers")) {
      const ticked = box.querySelectorAll("input:checked").length;
      box.querySelector(".barrier-count").textContent = ticked ? String(ticked) : "";
    }
  };
  element.addEventListener("change", count);
  count();
  onSubmitOnce(element, async () => {
    if (!checkFields(element)) return false;  // the app's own messages, not the browser's
    const data = element.read();
    await ctx.save({ type: "assessment", caseId, teamId: household.teamId, plaintext: data,
                     meta: metaFor(form, data), schema: paper ? form.schema : existing?.envelope.schema,
                     recordId: existing?.id, parents: existing ? existing.heads.map((r) => r.envelope.id) : [] });
    await dropDraft(draftName);
    go(`/h/${caseId}`);
  });
  autosave(element, draftName);
  element.querySelector("h1").nextElementSibling.after(jump);
  mount(ctx.root, backLink(`#/h/${caseId}`, household.data.display_name), paperNotice(paper), element,
        historyOf(existing));
}
