// Reading the QR code of a paper form, from the camera or from a photo of the form. The browser's
// own BarcodeDetector where it has one (Chrome on Android); otherwise qr-scanner's decoder in a
// web worker, loaded on first use from its own file so the start-up bundle stays small
// (src/paper/qr-decoder.js).
// Where index.html loads the bundle from: this module is bundled into a chunk under
// build/chunks/, so a path relative to import.meta.url would miss the file.
const DECODER_URL = new URL("/static/pwa/build/qr-decoder.js", import.meta.url).href;
const FRAME_MS = 250;

let detector;
let decoder = null;

async function nativeDetector() {
  if (detector !== undefined) return detector;
  detector = null;
  if ("BarcodeDetector" in globalThis) {
    try {
      const formats = await globalThis.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) detector = new globalThis.BarcodeDetector({ formats: ["qr_code"] });
    } catch {
      detector = null;  // present but not working on this platform: the library does it
    }
  }
  return detector;
}

// qr-scanner with one decoding engine for the session: (canvas) → text or null. A failed
// import (offline before it was ever cached) can be tried again.
export function loadDecoder() {
  decoder ??= import(DECODER_URL).then(async ({ QrScanner }) => {
    const engine = await QrScanner.createQrEngine();
    return (canvas) => QrScanner.scanImage(canvas, { qrEngine: engine, returnDetailedScanResult: true })
      .then((result) => result.data || null, () => null);  // it rejects when it finds no code
  }).catch((exc) => {
    decoder = null;
    throw exc;
  });
  return decoder;
}

// Warm the decoder while there is a signal, so scanning works offline later (the service
// worker keeps what was fetched); nothing to do where the browser reads QR codes itself.
export function prefetchDecoder() {
  nativeDetector().then((native) => (native ? null : loadDecoder())).catch(() => {});
}

function canvasOf(source, width, height, longest) {
  const scale = Math.min(1, longest / Math.max(width, height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  canvas.getContext("2d", { willReadFrequently: true }).drawImage(source, 0, 0, canvas.width, canvas.height);
  return canvas;
}

async function decodeCanvas(canvas, thorough) {
  const native = await nativeDetector();
  if (native) {
    const found = await native.detect(canvas).catch(() => []);
    if (found.length) return found[0].rawValue;
    if (!thorough) return null;
  }
  return (await loadDecoder())(canvas);
}

// A photo of the form (or a picture of its QR code): the text of the code, or null.
export async function scanImage(blob) {
  const bitmap = await createImageBitmap(blob);
  try {
    for (const longest of [1200, 2400]) {
      const text = await decodeCanvas(canvasOf(bitmap, bitmap.width, bitmap.height, longest), true);
      if (text) return text;
      if (Math.max(bitmap.width, bitmap.height) <= longest) break;
    }
    return null;
  } finally {
    bitmap.close();
  }
}

export function cameraAvailable() {
  return Boolean(navigator.mediaDevices?.getUserMedia);
}

// Scan camera frames into `video` until `onCode(text)` returns true; returns stop(). The camera
// is also released when the screen changes.
export async function startCamera(video, onCode) {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: "environment" }, audio: false });
  let stopped = false;
  let timer = null;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
    removeEventListener("hashchange", stop);
  };
  addEventListener("hashchange", stop);
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  await video.play().catch(() => {});
  const tick = async () => {
    if (stopped) return;
    if (video.readyState >= 2 && video.videoWidth) {
      try {
        const text = await decodeCanvas(canvasOf(video, video.videoWidth, video.videoHeight, 960), false);
        if (text && !stopped && onCode(text)) {
          stop();
          return;
        }
      } catch {
        // a frame that cannot be read: try the next one
      }
    }
    if (!stopped) timer = setTimeout(tick, FRAME_MS);
  };
  tick();
  return stop;
}
