// Service worker: the app shell, form definitions and translations are cached so the app opens
// in airplane mode. API calls other than the form definitions always go to the network.
const SHELL = "outreach-shell-v3";
const LOCALES = ["nl", "ro", "bg", "hu", "sk", "cs", "uk", "ar", "rom"];
const ASSETS = [
  "/", "/static/pwa/app.css", "/static/pwa/build/app.js",
  "/static/pwa/manifest.webmanifest", "/static/pwa/icons/icon.svg", "/static/pwa/icons/icon-192.png",
  "/api/v1/forms",
  ...LOCALES.map((l) => `/static/pwa/build/i18n/${l}.json`),
];

// Not needed to start, kept if it can be: the QR reader for phones without BarcodeDetector, so
// paper forms can be scanned offline (the app imports it only when first used).
const OPTIONAL = ["/static/pwa/build/qr-decoder.js"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL)
    .then((cache) => cache.addAll(ASSETS).then(() => cache.addAll(OPTIONAL).catch(() => {})))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== SHELL).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname.startsWith("/api/") && url.pathname !== "/api/v1/forms") return;
  // Paper kits carry newly issued serials and need the token: never a cached copy (the app keeps
  // the last kit itself, for printing offline).
  if (url.pathname.startsWith("/paper/")) return;
  // Network first, so an update reaches the worker when there is signal; cache when not.
  event.respondWith(fetch(event.request)
    .then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(SHELL).then((cache) => cache.put(event.request, copy));
      }
      return response;
    })
    .catch(() => caches.match(event.request, { ignoreSearch: true })
      .then((hit) => hit || caches.match("/"))));
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
    if (!session || !push.length) return;
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
        case_id: envelope.case_id, at: now, status: result.status === "conflict" ? "conflict" : "synced" });
    }
    await new Promise((resolve, reject) => {
      write.oncomplete = resolve;
      write.onerror = () => reject(write.error);
    });
  } finally {
    db.close();
  }
}

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
