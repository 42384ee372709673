// The wire contract (PROTOCOL.md), nothing else: JSON in, problem+json errors out.
export class ProblemError extends Error {
  constructor(problem, status) {
    super(problem.title || `HTTP ${status}`);
    this.problem = problem;
    this.status = status;
  }
}

export async function call(path, { method = "POST", body, token } = {}) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`/api/v1${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get("Content-Type") || "";
  const data = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ProblemError(data || {}, response.status);
  return data;
}
