// One family of counts by every dimension, then an inner category whose `sums` are cells too:
// the server's `Table` and `Grouping` (outreach/reports/tables.py), here over what the phone
// decrypted. Suppression is decided over the whole family, so a figure is withheld the same way
// whichever view of the family shows it.
import { ALL, KeyMap, compareKeys, lattice, suppress } from "./suppression.js";

export class Grouping {
  // dims: names; urbanisation: { area code → degree }; domains: { dim → values (null last) }
  constructor(dims, urbanisation, domains) {
    this.dims = dims;
    this.urbanisation = urbanisation;
    this.domains = domains;
  }

  // A record without the field (a household has no sex) falls in the null group.
  key(data, area) {
    const known = { area, urbanisation: area ? this.urbanisation[area] ?? null : null };
    return this.dims.map((dim) => (dim in known ? known[dim]
      : typeof data?.[dim] === "string" ? data[dim] : null));
  }

  // An area has one degree of urbanisation: other pairs are zeros anybody can tell.
  possible(values) {
    if (!("area" in values) || !("urbanisation" in values)) return true;
    const area = values.area;
    return values.urbanisation === (area ? this.urbanisation[area] ?? null : null);
  }
}

export class Table {
  constructor(grouping, inner = [], sums = {}) {
    this.grouping = grouping;
    this.inner = inner;
    this.sums = sums;
    this.cells = new KeyMap();
    this.constant = {};
    this.varying = [];
    this.figures = new KeyMap();
    this.withheld = new KeyMap();
  }

  add(key) {
    this.cells.add(key);
    const counted = new Set(this.inner.length ? [key.at(-1)] : []);
    for (const [total, parts] of Object.entries(this.sums)) {
      if (parts.some((part) => counted.has(part))) {
        this.cells.add([...key.slice(0, -1), total]);
        counted.add(total);
      }
    }
  }

  // Suppress over the dimensions the records vary in (a constant one repeats the figures).
  settle(k) {
    const { dims } = this.grouping;
    const keys = this.cells.keys();
    const first = keys[0] ?? null;
    this.constant = {};
    dims.forEach((dim, i) => {
      if (first === null || keys.every((key) => key[i] === first[i])) {
        this.constant[dim] = first === null ? null : first[i];
      }
    });
    this.varying = dims.filter((dim) => !(dim in this.constant));
    const keep = [...this.varying.map((dim) => dims.indexOf(dim)),
      ...(this.inner.length ? [dims.length] : [])];
    const cells = new KeyMap(this.cells.entries().map(([key, count]) => [keep.map((i) => key[i]), count]));
    const domains = [...this.varying.map((dim) => this.grouping.domains[dim]),
      ...(this.inner.length ? [this.inner] : [])];
    const possible = (key) => {
      const values = Object.fromEntries(this.varying.map((dim, i) => [dim, key[i]]));
      return this.grouping.possible({ ...this.constant, ...values });
    };
    ({ figures: this.figures, withheld: this.withheld } = suppress(cells, domains, k, this.sums, possible));
  }

  // Every figure shown or withheld, as { group: { dim → value } (absent: all), inner?, count }.
  published() {
    const keys = new KeyMap([...this.figures.entries(), ...this.withheld.entries()]).keys().sort(compareKeys);
    return keys.map((key) => {
      const group = {};
      this.varying.forEach((dim, i) => { if (key[i] !== ALL) group[dim] = key[i]; });
      const cell = { group };
      if (this.inner.length) cell.inner = key.at(-1);
      cell.count = this.withheld.has(key) ? null : this.figures.get(key);
      return cell;
    });
  }

  // A sum over the same lattice as the counts (the change of scores behind a mean).
  aggregate(values) {
    const { dims } = this.grouping;
    const keep = this.varying.map((dim) => dims.indexOf(dim));
    const cells = new KeyMap();
    for (const [key, value] of values.entries()) cells.add(keep.map((i) => key[i]), value);
    return lattice(cells, this.varying.length);
  }
}
