// The wire contract (PROTOCOL.md), nothing else: JSON in, problem+json errors out. Every call has
// a timeout, so a stalled link (lie-fi) fails in seconds instead of hanging for minutes: the
// answer must start within WAIT_MS (plus the time the body needs on a 2G uplink) and then never
// pause longer than STALL_MS, so a slow but moving download on GPRS is not cut off.
import { markReached, markUnreachable } from "./reach.js";

const WAIT_MS = 15_000;
const STALL_MS = 15_000;
const UPLINK_BYTES_PER_S = 2000;  // ~16 kbit/s: the worst uplink the app is meant to work on
// Gateways answering for a server that is down: as good as no answer.
const UNREACHABLE = new Set([502, 503, 504]);

export class ProblemError extends Error {
  constructor(problem, status, retryAfter = null) {
    super(problem.title || `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

// No answer in time, or no connection at all: the server may never have seen the request.
export class NetworkError extends Error {
  constructor(message, { timedOut = false } = {}) {
    super(message);
    this.timedOut = timedOut;
  }
}

// Retry-After: seconds or an HTTP date (RFC 9110 §10.2.3).
export function retryAfterSeconds(value) {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, (at - Date.now()) / 1000) : null;
}

// Sync bodies are gzip-compressed on the device (PROTOCOL §0): on 2G every byte is seconds.
async function gzipped(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Response(stream).blob();
}

async function readBody(response, rearm) {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    rearm(STALL_MS);
    chunks.push(value);
  }
  return new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
}

export async function call(path, { method = "POST", body, token, gzip = false, signal, waitMs = WAIT_MS } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let data = body === undefined ? undefined : JSON.stringify(body);
  if (data !== undefined && gzip && typeof CompressionStream === "function" && data.length > 1024) {
    data = await gzipped(data);
    headers["Content-Encoding"] = "gzip";
  }
  const controller = new AbortController();
  let timer = null;
  const rearm = (ms) => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), ms);
  };
  signal?.addEventListener("abort", () => controller.abort(), { once: true });
  const size = data === undefined ? 0 : (data.size ?? data.length);
  rearm(waitMs + (size / UPLINK_BYTES_PER_S) * 1000);
  let response;
  let text;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers, body: data, signal: controller.signal });
    rearm(STALL_MS);
    text = await readBody(response, rearm);
  } catch (exc) {
    markUnreachable();
    if (signal?.aborted) throw exc;
    throw new NetworkError(controller.signal.aborted ? "timed out" : String(exc?.message ?? exc),
                           { timedOut: controller.signal.aborted });
  } finally {
    clearTimeout(timer);
  }
  if (UNREACHABLE.has(response.status)) markUnreachable();
  else if (!response.headers.has("X-Outreach-Cache")) markReached();  // not the service worker's copy
  const type = response.headers.get("Content-Type") || "";
  let answer = null;
  if (type.includes("json") && text) {
    try {
      answer = JSON.parse(text);
    } catch {
      answer = null;  // a proxy's page cut short: treated like any answer without a problem body
    }
  }
  if (!response.ok) {
    throw new ProblemError(answer || {}, response.status, retryAfterSeconds(response.headers.get("Retry-After")));
  }
  return answer;
}
