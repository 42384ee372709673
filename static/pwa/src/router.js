// Hash routes: every screen has an address, so the back button and a reload land where the
// worker was (after the PIN), and nothing about a household ever travels to the server in a URL.
const routes = [];
let fallback = null;

export function route(pattern, handler) {
  const names = [];
  const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_m, name) => {
    names.push(name);
    return "([^/]+)";
  })}$`);
  routes.push({ regex, names, handler });
}

export function otherwise(handler) {
  fallback = handler;
}

export function go(path) {
  if (location.hash === `#${path}`) dispatch();
  else location.hash = path;
}

export function currentPath() {
  return location.hash.replace(/^#/, "") || "/";
}

export async function dispatch() {
  const path = currentPath();
  for (const { regex, names, handler } of routes) {
    const match = path.match(regex);
    if (match) {
      const params = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
      return handler(params);
    }
  }
  return fallback?.();
}

export function startRouter() {
  addEventListener("hashchange", dispatch);
  return dispatch();
}
