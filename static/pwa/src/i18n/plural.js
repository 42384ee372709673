// Which plural form to use for n: the catalog's own gettext `plural=` expression, shipped as a
// small tree by `flask i18n compile` (outreach/i18n/plurals.py), so the PWA picks the same form
// as the server. A catalog is data: the tree is walked, never eval'd.
//   "n" | integer | ["!", a] | ["?", condition, then, else] | [op, a, b]  (C semantics)
const BINARY = {
  "==": (a, b) => Number(a === b), "!=": (a, b) => Number(a !== b),
  "<": (a, b) => Number(a < b), "<=": (a, b) => Number(a <= b),
  ">": (a, b) => Number(a > b), ">=": (a, b) => Number(a >= b),
  "+": (a, b) => a + b, "-": (a, b) => a - b, "*": (a, b) => a * b,
  "/": (a, b) => Math.trunc(a / b), "%": (a, b) => a % b,
};

// English, and any catalog without a rule: one form for 1, another for everything else.
export const ENGLISH = ["!=", "n", 1];

export function pluralIndex(rule, n) {
  if (typeof rule === "number") return rule;
  if (rule === "n") return n;
  const [op, a, b, c] = rule;
  if (op === "?") return pluralIndex(pluralIndex(a, n) ? b : c, n);
  if (op === "!") return Number(!pluralIndex(a, n));
  if (op === "&&") return Number(Boolean(pluralIndex(a, n)) && Boolean(pluralIndex(b, n)));
  if (op === "||") return Number(Boolean(pluralIndex(a, n)) || Boolean(pluralIndex(b, n)));
  const apply = BINARY[op];
  if (!apply) throw new Error(`unknown operator in plural rule: ${op}`);
  return apply(pluralIndex(a, n), pluralIndex(b, n));
}
