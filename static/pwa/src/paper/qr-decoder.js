// Built on its own (build/qr-decoder.js, see package.json) and imported only when a QR code is
// first read on a phone without a working BarcodeDetector: qr-scanner (nimiq) and its decoding
// worker are the scanner's whole weight, and starting the app needs none of it. The service
// worker precaches this file so paper forms can be scanned offline.
export { default as QrScanner } from "qr-scanner";
