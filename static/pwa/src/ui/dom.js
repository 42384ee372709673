import { cldrOf } from "../i18n/index.js";

// A tiny element builder: views stay declarative without a framework, and text is always set
// as textContent (never innerHTML), so decrypted case content can never inject markup.
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "dataset") {
      for (const [key, data] of Object.entries(value)) if (data !== undefined) element.dataset[key] = data;
    }
    else if (name in element && !name.includes("-") && name !== "list") element[name] = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

// A background sync re-renders the open screen "quietly" (issue 12): what the worker typed,
// where the focus and the caret are, how far the page is scrolled and which sections are open
// all stay as they were, and focus does not jump to the heading (which would make a screen
// reader announce the page again). Only for the screen that was open when the refresh began.
let quietFor = null;

export async function refreshQuietly(render) {
  quietFor = location.hash;
  try {
    return await render();
  } finally {
    quietFor = null;
  }
}

function fieldsOf(root) {
  return new Map([...root.querySelectorAll("input[id], textarea[id], select[id]")].map((el) => [el.id, el]));
}

const isToggle = (el) => el.type === "checkbox" || el.type === "radio";

function keepState(root) {
  const active = document.activeElement;
  return {
    scroll: [window.scrollX, window.scrollY],
    values: new Map([...fieldsOf(root)].map(([id, el]) => [id, isToggle(el) ? el.checked : el.value])),
    focus: active && root.contains(active) && active.id ? active.id : null,
    caret: active && "selectionStart" in active ? [active.selectionStart, active.selectionEnd] : null,
    open: new Set([...root.querySelectorAll("details[open][id], dialog[open][id]")].map((el) => el.id)),
  };
}

function restoreState(root, kept) {
  for (const [id, el] of fieldsOf(root)) {
    if (!kept.values.has(id)) continue;
    const value = kept.values.get(id);
    if ((isToggle(el) ? el.checked : el.value) === value) continue;
    if (isToggle(el)) el.checked = value;
    else el.value = value;
    el.dispatchEvent(new Event("input", { bubbles: true }));  // filters follow the typed text
  }
  for (const id of kept.open) root.querySelector(`#${CSS.escape(id)}`)?.setAttribute("open", "");
  const focus = kept.focus && root.querySelector(`#${CSS.escape(kept.focus)}`);
  if (focus) {
    focus.focus({ preventScroll: true });
    if (kept.caret && kept.caret[0] !== null) {
      try {
        focus.setSelectionRange(...kept.caret);
      } catch {
        // Not every input type has a caret (date, number).
      }
    }
  }
  window.scrollTo(...kept.scroll);
}

export function mount(root, ...children) {
  if (quietFor !== null && quietFor === location.hash) {
    const kept = keepState(root);
    root.replaceChildren(...children.flat(Infinity).filter(Boolean));
    restoreState(root, kept);
    return;
  }
  root.replaceChildren(...children.flat(Infinity).filter(Boolean));
  const heading = root.querySelector("h1");
  // Move focus to the new screen's title so screen readers announce the change of screen.
  if (heading) {
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
  }
  window.scrollTo(0, 0);
}

export function formatDate(value, locale, style = "medium") {
  if (!value) return "";
  const date = new Date(value.length === 10 ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(cldrOf(locale), { dateStyle: style }).format(date);
}

export function today() {
  const now = new Date();
  const local = new Date(now.getTime() - now.getTimezoneOffset() * 60000);
  return local.toISOString().slice(0, 10);
}

// One save per tap. A screen's actions share one guard: while a save runs, and after it
// succeeded (the next screen is about to mount), every further tap does nothing, so a double
// tap or an impatient thumb on a slow phone never stores a second revision (which would show
// up as a conflict between two people). A handler that returns false (the form asks for a
// correction) or throws lets the worker tap again.
export function guard() {
  let busy = false;
  return (handler) => async (event) => {
    event?.preventDefault?.();
    if (busy) return;
    busy = true;
    const buttons = event?.currentTarget instanceof HTMLFormElement
      ? [...event.currentTarget.querySelectorAll("button[type=submit]")]
      : [event?.currentTarget].filter((b) => b instanceof HTMLButtonElement);
    for (const button of buttons) button.disabled = true;
    const release = () => {
      busy = false;
      for (const button of buttons) button.disabled = false;
    };
    try {
      if (await handler(event) === false) release();
    } catch (exc) {
      release();
      throw exc;
    }
  };
}

// A form's submit, once (see guard()).
export function onSubmitOnce(form, handler) {
  form.addEventListener("submit", guard()(handler));
}
