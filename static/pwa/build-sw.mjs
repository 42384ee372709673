// After esbuild: the service worker's precache manifest from the bundle's own files (a content
// hash per file, so a new build is a new version and nobody bumps a cache name by hand), and a
// gzip copy of each static file for the server to send as is (outreach/web/compression.py).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { gzipSync } from "node:zlib";

const ROOT = new URL(".", import.meta.url).pathname;
const URL_OF = (file) => `/static/pwa/${file}`;

// The app's own files as esbuild wrote them (build/meta.json): app.js, the code it imports at
// once and the code it loads with import() (unlocked.js and its chunks), by content hash.
const META = JSON.parse(readFileSync(`${ROOT}build/meta.json`, "utf8"));
rmSync(`${ROOT}build/meta.json`);  // build/ is served: the build's own notes are not
function graph(output, seen = new Set()) {
  if (seen.has(output)) return seen;
  seen.add(output);
  for (const { path } of META.outputs[output]?.imports ?? []) {
    if (path in META.outputs) graph(path, seen);
  }
  return seen;
}
const APP = [...graph("build/app.js")].filter((file) => file.endsWith(".js")).sort();
// Needed to open the app at all: fetched when the worker installs, before it takes over.
// The list of languages is read at every start, before any screen: core, not a catalog.
const CORE = ["index.html", "app.css", ...APP, "build/i18n/languages.json", "manifest.webmanifest",
              "icons/icon.svg", "icons/icon-192.png"];
// Catalogs: the worker's own language first (the app asks for it), the others after.
const CATALOGS = readdirSync(`${ROOT}build/i18n`)
  .filter((f) => f.endsWith(".json") && f !== "languages.json").sort()
  .map((f) => `build/i18n/${f}`);
// Not needed to start: the QR reader for phones without BarcodeDetector, kept for offline use.
const LATER = ["build/qr-decoder.js"];

const revision = (file) => createHash("sha256").update(readFileSync(ROOT + file)).digest("hex").slice(0, 16);
const entry = (file) => ({ url: file === "index.html" ? "/" : URL_OF(file), revision: revision(file) });
const manifest = { core: CORE.map(entry), catalogs: CATALOGS.map(entry), later: LATER.map(entry) };
const version = createHash("sha256").update(JSON.stringify(manifest)).digest("hex").slice(0, 12);

const source = readFileSync(`${ROOT}build/sw.js`, "utf8");
if (!source.includes("self.__PRECACHE")) throw new Error("build/sw.js has no self.__PRECACHE");
writeFileSync(`${ROOT}build/sw.js`,
  source.replace("self.__PRECACHE", JSON.stringify({ version, ...manifest })));

// Precompressed once here instead of on every request, all under build/gz/ with the same
// relative path; only where gzip gains something (PNG icons are already compressed).
const COMPRESS = /\.(js|css|json|html|webmanifest|svg)$/;
for (const file of [...CORE, ...CATALOGS, ...LATER, ...graph("build/crypto.js"), "build/sw.js"]) {
  if (!COMPRESS.test(file)) continue;
  const target = `${ROOT}build/gz/${file}.gz`;
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, gzipSync(readFileSync(ROOT + file), { level: 9 }));
}
console.log(`service worker ${version}: ${CORE.length} core, ${CATALOGS.length} catalogs, ${LATER.length} later`);
