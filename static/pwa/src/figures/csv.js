// CSV export of a figures document: one line per figure, with a data dictionary beside it.
// UTF-8 with a byte order mark, so spreadsheets keep ș, ő and Arabic script; comma separated,
// every text quoted (RFC 4180).
import { DIMENSIONS } from "./count.js";

const BOM = "\uFEFF";
const quote = (value) => `"${String(value ?? "").replaceAll('"', '""')}"`;
const line = (values) => values.map((v) => (typeof v === "number" ? String(v) : quote(v))).join(",");

export const COLUMNS = ["table", ...DIMENSIONS, "month", "category", "count", "withheld", "mean_change"];

export function figuresCsv(doc) {
  const lines = [line(COLUMNS)];
  for (const [name, table] of Object.entries(doc.tables)) {
    for (const cell of table.cells) {
      const group = { ...table.constant, ...cell.group };
      const value = (dim) => (dim in cell.group || dim in table.constant
        ? group[dim] ?? "not_recorded" : "all");
      lines.push(line([name, ...DIMENSIONS.map(value), value("month"), cell.inner ?? "",
        cell.count ?? "", cell.count === null ? "yes" : "no",
        cell.mean_change ?? ""]));
    }
  }
  return BOM + lines.join("\r\n") + "\r\n";
}

// The data dictionary: what each column and each table means, in the interface language
// (`explain` gives the translated texts).
export function dictionaryCsv(doc, explain) {
  const lines = [line([explain.heading.name, explain.heading.meaning])];
  for (const column of COLUMNS) lines.push(line([column, explain.columns[column] ?? ""]));
  for (const name of Object.keys(doc.tables)) {
    lines.push(line([`table=${name}`, explain.table(name)]));
  }
  lines.push(line(["k", explain.k(doc.k)]));
  lines.push(line(["period", `${doc.from} – ${doc.to}`]));
  return BOM + lines.join("\r\n") + "\r\n";
}

export function download(text, filename) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
