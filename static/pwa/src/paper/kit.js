// A paper kit from the server (GET /paper/forms/kit.pdf, or one form's): blank numbered forms
// for the team.
import { ProblemError } from "../api.js";

// The server draws one kit at a time and answers 503 + Retry-After while busy (so kits never
// hold up syncs): wait as told and ask again, a few times.
const KIT_ATTEMPTS = 5;

// `form`: "kit" (visit, assessment, consent, plan) or one paper form's id.
export async function fetchKit(token, { team, language, copies, form = "kit" }) {
  const query = new URLSearchParams({ team, lang: language, copies: String(copies) });
  let response;
  for (let attempt = 1; attempt <= KIT_ATTEMPTS; attempt += 1) {
    response = await fetch(`/paper/forms/${encodeURIComponent(form)}.pdf?${query}`, { headers: { Authorization: `Bearer ${token}` } });
    if (response.status !== 503 || attempt === KIT_ATTEMPTS) break;
    const seconds = Math.min(10, Math.max(1, Number(response.headers.get("Retry-After")) || 2));
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
  if (!response.ok) {
    const problem = (response.headers.get("Content-Type") ?? "").includes("json") ? await response.json() : {};
    throw new ProblemError(problem, response.status);
  }
  const filename = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "kit.pdf";
  return { blob: await response.blob(), filename };
}
