// Fallback chains, the same rule as the server's (outreach/i18n/chains.py; a test runs both):
// the first language, the standard it is a dialect of (`parent`), the second language with its
// own chain, the organisation's `next` languages for the first, then English (the msgid).
export function chainOf(locales, first, second = null) {
  const byCode = new Map(locales.map((l) => [l.code, l]));
  const seen = [];
  const family = (code) => {
    const out = [];
    while (code && !out.includes(code) && byCode.has(code)) {
      out.push(code);
      code = byCode.get(code).parent;
    }
    return out;
  };
  const own = (code) => { for (const c of family(code)) if (!seen.includes(c)) seen.push(c); };
  const walk = (code, visiting = new Set()) => {
    const members = family(code);
    own(code);
    for (const member of members) {
      for (const next of byCode.get(member).next ?? []) {
        if (!visiting.has(next)) walk(next, new Set([...visiting, code]));
      }
    }
  };
  if (byCode.has(first)) own(first);
  if (second && byCode.has(second)) walk(second);
  if (byCode.has(first)) walk(first);
  if (!seen.includes("en")) seen.push("en");
  return seen.slice(0, seen.indexOf("en") + 1);
}
