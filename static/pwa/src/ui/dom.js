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

export function mount(root, ...children) {
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
  return new Intl.DateTimeFormat(locale === "rom" ? "ro" : locale, { dateStyle: style }).format(date);
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
