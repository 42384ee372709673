// Whether anything gets through to the server, as the app last saw it: `navigator.onLine` only
// says a network interface is up, which on lie-fi, behind a captive portal or with the server
// down is true while nothing arrives. Every call records what happened (api.js).
export const reach = new EventTarget();
let state = { reachable: null, since: null, lastReached: null };

export function reachState() {
  return state;
}

function set(changes) {
  state = { ...state, ...changes };
  reach.dispatchEvent(new CustomEvent("change", { detail: state }));
}

export function markReached() {
  const now = new Date().toISOString();
  if (state.reachable === true) state = { ...state, lastReached: now };
  else set({ reachable: true, since: null, lastReached: now });
}

export function markUnreachable() {
  if (state.reachable !== false) set({ reachable: false, since: new Date().toISOString() });
}

// Before anyone is logged in (the PIN screen), a cheap unauthenticated look at the server.
export async function probe(timeoutMs = 8000) {
  try {
    const response = await fetch("/healthz", { cache: "no-store", signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) markReached();
    else markUnreachable();
  } catch {
    markUnreachable();
  }
  return state;
}

// What was learnt with no network says nothing about the server once a network is back: until
// the next call answers, "cannot be reached" would be a guess (issue 12, the truth at a glance).
addEventListener("online", () => {
  if (state.reachable === false) set({ reachable: null, since: null });
});
