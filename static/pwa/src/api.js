// The wire contract (PROTOCOL.md), nothing else: JSON in, problem+json errors out.
export class ProblemError extends Error {
  constructor(problem, status, retryAfter = null) {
    super(problem.title || `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

// Sync bodies are gzip-compressed on the device (PROTOCOL §0): on 2G every byte is seconds.
async function gzipped(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Response(stream).blob();
}

export async function call(path, { method = "POST", body, token, gzip = false, signal } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  let data = body === undefined ? undefined : JSON.stringify(body);
  if (data !== undefined && gzip && typeof CompressionStream === "function" && data.length > 1024) {
    data = await gzipped(data);
    headers["Content-Encoding"] = "gzip";
  }
  const response = await fetch(`/api/v1${path}`, { method, headers, body: data, signal });
  const type = response.headers.get("Content-Type") || "";
  const answer = type.includes("json") ? await response.json() : null;
  if (!response.ok) {
    const retryAfter = Number(response.headers.get("Retry-After")) || null;
    throw new ProblemError(answer || {}, response.status, retryAfter);
  }
  return answer;
}
