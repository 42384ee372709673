// Service worker: the app opens from the phone whatever the network does (issue 12).
//
// Everything the app needs to start (shell, bundle, catalogs) is precached under a version
// computed from the bundle's own file hashes (build-sw.mjs fills in self.__PRECACHE), and
// served cache-first: a stalled cell (lie-fi) cannot keep the PIN screen away. A new build is a
// new service worker; it installs in the background, copying unchanged files from the old cache
// instead of downloading them again over 2G, then waits until the worker chooses "reload".
// Form definitions are server data: served from the cache and refreshed behind it.
const PRECACHE = self.__PRECACHE;
const SHELL = `outreach-shell-${PRECACHE.version}`;
const DATA = "outreach-data";  // not versioned: form definitions survive an app update
const FORMS = "/api/v1/forms";
const ALL = [...PRECACHE.core, ...PRECACHE.catalogs, ...PRECACHE.later];
const BY_URL = new Map(ALL.map((entry) => [entry.url, entry]));

// The revision is part of the cache key, so an unchanged file is found in an older cache.
const keyOf = (entry) => `${entry.url}${entry.url.includes("?") ? "&" : "?"}__rev=${entry.revision}`;

// Set by the quick exit (src/exit.js): from then on this worker writes no cache, so a precache
// still under way cannot put the app back on a phone that was just erased.
let erased = false;

// One download per file however many pages ask at once (every reload posts "warm"): on a
// 2G link three loops fetching the same catalog triple the bytes.
const inFlight = new Map();

async function precacheOne(cache, entry) {
  const key = keyOf(entry);
  if (await cache.match(key)) return;
  const old = await caches.match(key);
  if (old) {
    await cache.put(key, old);
    return;
  }
  // Revalidated, not reloaded: a file the page has just loaded costs a 304, not a second
  // download over 2G. A chunk's name carries its content hash, so the copy the page just
  // loaded is taken as it is: not even a round trip.
  const hashed = entry.url.includes("/build/chunks/");
  const response = await fetch(entry.url, { cache: hashed ? "force-cache" : "no-cache" });
  if (!response.ok) throw new Error(`${entry.url}: ${response.status}`);
  if (erased) return;
  await cache.put(key, response);
}

async function precache(entries) {
  if (erased) return;
  const cache = await caches.open(SHELL);
  // One at a time: on a 2G link parallel downloads only delay the file that is needed first.
  for (const entry of entries) {
    const key = keyOf(entry);
    if (!inFlight.has(key)) {
      inFlight.set(key, precacheOne(cache, entry).finally(() => inFlight.delete(key)));
    }
    await inFlight.get(key);
  }
}

// Once at a time: installing and the app's first "warm" both ask for it.
let formsAsked = null;
function cacheForms() {
  formsAsked ??= fetch(FORMS).then(async (response) => {
    if (response.ok) await (await caches.open(DATA)).put(FORMS, response);
  }).finally(() => { formsAsked = null; });
  return formsAsked;
}

self.addEventListener("install", (event) => {
  event.waitUntil(Promise.all([precache(PRECACHE.core), cacheForms()]));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== SHELL && k !== DATA
      && k.startsWith("outreach-")).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

// The app tells the worker its language once it runs: the shell, that catalog and the forms
// first; the app shows "Ready to work offline" once the answer says its own part is on the phone.
// The other languages and the QR reader wait for "rest", which the app sends once a sync has
// completed: on 2G they would otherwise share the link with the team's first pull.
self.addEventListener("message", (event) => {
  const data = event.data ?? {};
  if (data.type === "erase") {
    erased = true;
    event.waitUntil(caches.keys().then((keys) => Promise.all(keys.map((k) => caches.delete(k)))));
  } else if (data.type === "skip-waiting") {
    self.skipWaiting();
  } else if (data.type === "warm") {
    const own = PRECACHE.catalogs.filter((e) => e.url.endsWith(`/${data.locale}.json`));
    event.waitUntil((async () => {
      try {
        await precache(PRECACHE.core);
        await precache(own);
        if (!(await caches.open(DATA).then((c) => c.match(FORMS)))) await cacheForms();
        event.source?.postMessage({ type: "offline-ready", version: PRECACHE.version });
      } catch {
        event.source?.postMessage({ type: "offline-not-ready" });
      }
    })());
  } else if (data.type === "rest") {
    event.waitUntil(precache([...PRECACHE.catalogs, ...PRECACHE.later]).catch(() => {}));
  }
});

async function fromPrecache(request, entry) {
  const cache = await caches.open(SHELL);
  const hit = await cache.match(keyOf(entry));
  if (hit) return hit;
  const response = await fetch(request);
  if (response.ok && !erased) await cache.put(keyOf(entry), response.clone());
  return response;
}

// Cache first, refreshed in the background: the answer never waits for the network when a copy
// is kept; the refreshed copy is used the next time.
async function staleWhileRevalidate(event) {
  const cache = await caches.open(DATA);
  const hit = await cache.match(FORMS);
  const refresh = fetch(event.request).then(async (response) => {
    if (response.ok && !erased) await cache.put(FORMS, response.clone());
    return response;
  });
  if (hit) {
    event.waitUntil(refresh.catch(() => {}));
    // Marked, so the app does not take a cached answer for a sign that the server is reachable.
    const headers = new Headers(hit.headers);
    headers.set("X-Outreach-Cache", "hit");
    return new Response(hit.body, { status: hit.status, statusText: hit.statusText, headers });
  }
  return refresh;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (event.request.mode === "navigate" && (url.pathname === "/" || url.pathname === "/index.html")) {
    event.respondWith(fromPrecache(event.request, BY_URL.get("/")));
    return;
  }
  const entry = BY_URL.get(url.pathname);
  if (entry) {
    event.respondWith(fromPrecache(event.request, entry));
    return;
  }
  if (url.pathname === FORMS) event.respondWith(staleWhileRevalidate(event));
  // Everything else (the API, paper kits that carry newly issued serials) goes to the network.
});

// Background Sync: the browser wakes this worker when a signal returns, even with the app
// closed. An open app syncs itself; otherwise the worker pushes the sealed outbox on its own
// (it needs no keys: envelopes are already sealed and signed) and leaves the pull to the app.
function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function pushOutbox() {
  const db = await request(indexedDB.open("outreach"));
  try {
    const read = db.transaction(["session", "outbox", "receipts"]);
    const session = await request(read.objectStore("session").get("current"));
    const refused = new Set((await request(read.objectStore("receipts").getAll()))
      .filter((r) => r.status === "refused").map((r) => r.id));
    const push = (await request(read.objectStore("outbox").getAll()))
      .filter((e) => !refused.has(e.id)).slice(0, 100);
    // Tokens live in the page's memory only while it is unlocked (lock.js): with no open app
    // there is nothing to push with, and the outbox goes with the next unlock.
    if (!session?.accessToken || !push.length) return;
    const response = await fetch("/api/v1/sync", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${session.accessToken}` },
      body: JSON.stringify({ push, since: null, limit: 1 }),
    });
    if (!response.ok) return;  // an expired token or a refusal: the app deals with it when opened
    const { results } = await response.json();
    const byId = new Map(push.map((e) => [e.id, e]));
    const write = db.transaction(["outbox", "records", "receipts"], "readwrite");
    const now = new Date().toISOString();
    for (const result of results) {
      if (!["accepted", "duplicate", "conflict"].includes(result.status)) continue;
      const envelope = byId.get(result.id);
      write.objectStore("records").put(envelope);
      write.objectStore("outbox").delete(result.id);
      write.objectStore("receipts").put({ id: result.id, type: envelope.type, record_id: envelope.record_id,
        at: now, status: result.status === "conflict" ? "conflict" : "synced" });
    }
    await new Promise((resolve, reject) => {
      write.oncomplete = resolve;
      write.onerror = () => reject(write.error);
    });
  } finally {
    db.close();
  }
}

// A tap on a reminder (reminders.js) brings the app forward, or opens it: to its PIN screen,
// since the reminder itself names no household.
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
    const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
    return open ? open.focus() : self.clients.openWindow(event.notification.data?.url ?? "./");
  }));
});

self.addEventListener("sync", (event) => {
  if (event.tag !== "outbox") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((clients) => {
    if (clients.length) {
      for (const client of clients) client.postMessage("sync");
      return null;
    }
    return pushOutbox();
  }));
});
