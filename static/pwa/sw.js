// Service worker: the app shell, form definitions and translations are cached so the app opens
// in airplane mode. API calls other than the form definitions always go to the network.
const SHELL = "outreach-shell-v2";
const LOCALES = ["nl", "ro", "bg", "hu", "sk", "cs", "uk", "ar", "rom"];
const ASSETS = [
  "/", "/static/pwa/app.css", "/static/pwa/build/app.js", "/static/pwa/build/crypto.js",
  "/static/pwa/manifest.webmanifest", "/static/pwa/icons/icon.svg", "/api/v1/forms",
  ...LOCALES.map((l) => `/static/pwa/build/i18n/${l}.json`),
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
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
