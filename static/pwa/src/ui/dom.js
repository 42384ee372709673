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
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function mount(root, ...children) {
  root.replaceChildren(...children.flat().filter(Boolean));
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
