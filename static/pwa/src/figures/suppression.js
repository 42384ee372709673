// Small-cell suppression on the phone: the server's rule (outreach/reports/suppression.py), line
// for line, so that a figure is withheld on the supervisor's phone exactly when the server would
// withhold it from the same counts. tests/reports/test_device_figures.py runs both on the same
// inputs and compares every decision; read the Python module for the why of each step.
//
// Keys are arrays (one value per axis); ALL marks an axis a figure is aggregated over. Maps are
// keyed by the key's JSON text and hold [key, value], keeping insertion order like Python's dict.
export const ALL = "\u0000ALL";
export const SMALL = "small";
export const COMPLEMENTARY = "complementary";

const id = (key) => JSON.stringify(key);

export class KeyMap {
  constructor(entries = []) {
    this.map = new Map();
    for (const [key, value] of entries) this.set(key, value);
  }

  get size() { return this.map.size; }
  has(key) { return this.map.has(id(key)); }
  get(key) { return this.map.get(id(key))?.[1]; }
  set(key, value) { this.map.set(id(key), [key, value]); return this; }
  delete(key) { return this.map.delete(id(key)); }
  add(key, amount = 1) { this.set(key, (this.get(key) ?? 0) + amount); }
  keys() { return [...this.map.values()].map(([key]) => key); }
  entries() { return [...this.map.values()]; }
}

// Python's str() of a value, for the ordering the server uses (`_order`).
function text(value) {
  if (value === ALL) return "ALL";
  if (value === null) return "None";
  return String(value);
}

function rank(value) {
  if (value === ALL) return 2;
  return value === null ? 1 : 0;
}

export function compareKeys(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const [ra, rb] = [rank(a[i]), rank(b[i])];
    if (ra !== rb) return ra - rb;
    const [ta, tb] = [text(a[i]), text(b[i])];
    if (ta !== tb) return ta < tb ? -1 : 1;
  }
  return 0;
}

const sorted = (keys) => [...keys].sort(compareKeys);

// Every aggregate of the finest `cells` (a KeyMap of counts) over any set of the first `outer` axes.
export function lattice(cells, outer) {
  const totals = new KeyMap();
  for (const [key, count] of cells.entries()) {
    for (let mask = 0; mask < 2 ** outer; mask += 1) {
      totals.add(key.map((value, axis) => (axis < outer && (mask >> (outer - 1 - axis)) & 1 ? ALL : value)), count);
    }
  }
  return totals;
}

class Line {
  constructor(members, total, candidates) {
    this.members = members;
    this.total = total;
    this.candidates = candidates;
  }
}

function lines(figures, withheld, domains, outer, sums) {
  const keys = sorted(new KeyMap([...figures.entries(), ...withheld.entries()]).keys());
  const found = [];
  for (let axis = 0; axis < outer; axis += 1) {
    const grouped = new KeyMap();
    for (const key of keys) {
      if (key[axis] === ALL) continue;
      const total = key.with(axis, ALL);
      if (!grouped.has(total)) grouped.set(total, []);
      grouped.get(total).push(key);
    }
    for (const [total, members] of grouped.entries()) {
      found.push(new Line(members, total, domains[axis].map((value) => total.with(axis, value))));
    }
  }
  for (const [value, parts] of Object.entries(sums)) {
    const rests = sorted(new KeyMap(keys.map((key) => [key.slice(0, outer), true])).keys());
    for (const rest of rests) {
      const members = parts.map((part) => [...rest, part]);
      found.push(new Line(members, [...rest, value], members));
    }
  }
  return found;
}

function exposes(figures, withheld, line) {
  const hidden = line.members.filter((m) => withheld.has(m));
  const known = !withheld.has(line.total);
  const unknowns = hidden.length + (known ? 0 : 1);
  if (unknowns === 0) return false;
  if (unknowns === 1) return true;
  const remainder = hidden.reduce((sum, m) => sum + (figures.get(m) ?? 0), 0);
  return known && (remainder === 0 || remainder === hidden.length);
}

function complement(figures, withheld, line, usable) {
  const shown = [...line.members, line.total]
    .filter((m) => !withheld.has(m) && (figures.get(m) ?? 0) > 0);
  if (shown.length) {
    return shown.reduce((best, m) => {
      const [a, b] = [figures.get(m), figures.get(best)];
      return a < b || (a === b && compareKeys(m, best) < 0) ? m : best;
    });
  }
  for (const key of line.candidates) {
    if (!withheld.has(key) && (figures.get(key) ?? 0) === 0 && usable(key)) return key;
  }
  return null;
}

function zeroUsable(figures, outer, sums, possible) {
  const sumNames = Object.keys(sums);
  return (key) => {
    if (key.some((value) => value === ALL) || (sumNames.length && sumNames.includes(key[outer]))) {
      return false;
    }
    if (!possible(key)) return false;
    for (let axis = 0; axis < outer; axis += 1) {
      if ((figures.get(key.with(axis, ALL)) ?? 0) === 0) return false;
    }
    if (sumNames.length) {
      const containing = sumNames.filter((total) => sums[total].includes(key[outer]));
      if (containing.some((total) => (figures.get([...key.slice(0, outer), total]) ?? 0) === 0)) {
        return false;
      }
    }
    return true;
  };
}

function byLine(figures, withheld, found, usable, relist) {
  let current = found;
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of current) {
      if (!exposes(figures, withheld, line)) continue;
      const extra = complement(figures, withheld, line, usable);
      if (extra === null) continue;
      withheld.set(extra, COMPLEMENTARY);
      changed = true;
      if (!figures.has(extra)) {  // a new zero cell: it sits on lines nobody listed yet
        current = relist();
        break;
      }
    }
  }
  return current;
}

// The server's prime: arithmetic modulo it stands in for the rationals.
const PRIME = 2n ** 61n - 1n;
const mod = (value) => ((value % PRIME) + PRIME) % PRIME;

function power(base, exponent) {
  let result = 1n;
  let b = mod(base);
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % PRIME;
    b = (b * b) % PRIME;
    e >>= 1n;
  }
  return result;
}

function subtract(row, pivot, factor) {
  for (const [column, value] of pivot) {
    const updated = mod((row.get(column) ?? 0n) - factor * value);
    if (updated) row.set(column, updated);
    else row.delete(column);
  }
}

const minColumn = (row) => Math.min(...row.keys());

function solvable(withheld, found) {
  const keys = sorted(withheld.keys());
  const unknown = new KeyMap(keys.map((key, index) => [key, index]));
  const pivots = new Map();
  for (const line of found) {
    const row = new Map();
    for (const [key, sign] of [...line.members.map((m) => [m, 1n]), [line.total, -1n]]) {
      const column = unknown.get(key);
      if (column === undefined) continue;
      const value = mod((row.get(column) ?? 0n) + sign);
      if (value) row.set(column, value);
      else row.delete(column);
    }
    while (row.size) {
      const column = minColumn(row);
      if (!pivots.has(column)) {
        const inverse = power(row.get(column), PRIME - 2n);
        pivots.set(column, new Map([...row].map(([c, v]) => [c, (v * inverse) % PRIME])));
        break;
      }
      subtract(row, pivots.get(column), row.get(column));
    }
  }
  for (const column of [...pivots.keys()].sort((a, b) => b - a)) {
    const row = pivots.get(column);
    const others = [...row.keys()].filter((c) => c !== column && pivots.has(c)).sort((a, b) => a - b);
    for (const other of others) {
      if (row.has(other)) subtract(row, pivots.get(other), row.get(other));
    }
  }
  return [...pivots].filter(([, row]) => row.size === 1).map(([column]) => keys[column]);
}

function nearestShown(figures, withheld, start, through) {
  const seen = new KeyMap([[start, true]]);
  let frontier = [start];
  while (frontier.length) {
    const following = [];
    for (const key of frontier) {
      for (const line of through.get(key) ?? []) {
        const extra = complement(figures, withheld, line, () => false);
        if (extra !== null) {
          withheld.set(extra, COMPLEMENTARY);
          return true;
        }
        for (const other of [...line.members, line.total]) {
          if (withheld.has(other) && !seen.has(other)) {
            seen.set(other, true);
            following.push(other);
          }
        }
      }
    }
    frontier = following;
  }
  return false;
}

// The family's figures and which to withhold: { figures: KeyMap of counts, withheld: KeyMap of
// SMALL | COMPLEMENTARY }. Arguments as `suppress` in suppression.py; `sums` is an object
// whose key order is the Python dict's.
export function suppress(cells, domains, k, sums = {}, possible = () => true) {
  const outer = domains.length - (Object.keys(sums).length ? 1 : 0);
  const figures = lattice(cells, outer);
  const withheld = new KeyMap();
  for (const [key, count] of figures.entries()) if (count > 0 && count < k) withheld.set(key, SMALL);
  const usable = zeroUsable(figures, outer, sums, possible);
  let found = lines(figures, withheld, domains, outer, sums);
  while (withheld.size) {
    found = byLine(figures, withheld, found, usable,
      () => lines(figures, withheld, domains, outer, sums));
    const determined = solvable(withheld, found);
    if (!determined.length) break;
    const through = new KeyMap();
    for (const line of found) {
      for (const key of [...line.members, line.total]) {
        if (!through.has(key)) through.set(key, []);
        through.get(key).push(line);
      }
    }
    const added = sorted(determined).map((key) => nearestShown(figures, withheld, key, through));
    if (!added.some(Boolean)) break;
  }
  return { figures, withheld };
}
