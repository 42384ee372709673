// Consent on screen: what the household agrees to, on the phone they look at, in their language
// (along their chain), with the worker's language beside it when the two differ.
import { h } from "../ui/dom.js";

// On-screen consent: the words the household agrees to, shown on the phone they look at. They
// are in the translated catalogue, so they can be shown in the household's language.
const SCOPE_TEXT = (t) => ({
  data_processing: t._("Data processing: the team writes down what you tell us, your situation and the plan we make together, for as long as we work with you. It is kept encrypted; only our team can read it."),
  sharing_with_referrals: t._("Sharing with services we refer to: when you agree to a referral, we tell that service only what it needs to know to help you."),
  photos: t._("Photos: we take a photo only when you agree to that photo."),
});

// household, worker: translators along the household's and the worker's chains.
export function consentStatement(form, household, worker) {
  const method = form.querySelector("#f-method");
  const boxes = [...form.querySelectorAll("input[name=scope]")];
  const lists = [];
  const column = (t, id) => {
    const texts = SCOPE_TEXT(t);
    const items = h("ul", {}, boxes.map((box) => h("li", { dataset: { scope: box.value } }, texts[box.value] ?? "")));
    lists.push(items);
    return h("div", { className: "consent-words", id, lang: t.locale, dir: t.dir },
      h("h2", {}, t._("What you agree to")),
      h("p", {}, t._("We are an outreach team. We visit you to help you find your way to the support you are entitled to.")),
      items,
      h("p", {}, t._("You can say no to any of these, and you can withdraw your consent at any time. Then we record nothing more, and you can ask us to erase what we have.")));
  };
  const two = household.locale !== worker.locale;
  const card = h("section", { className: `card consent-panel${two ? " two-languages" : ""}`, id: "consent-text" },
    column(household, "consent-household"), two ? column(worker, "consent-worker") : null);
  const follow = () => {
    card.hidden = method && method.value !== "on_screen";
    const ticked = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
    for (const items of lists) {
      for (const item of items.children) item.classList.toggle("chosen", ticked.has(item.dataset.scope));
    }
  };
  form.addEventListener("change", follow);
  follow();
  return card;
}
