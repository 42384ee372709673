// Charts beside the tables, as inline SVG built with DOM calls (no library, nothing that the
// Content-Security-Policy would have to allow, and no markup from strings). Each chart has a
// title and a text alternative; the table next to it holds the same numbers.
const SVG = "http://www.w3.org/2000/svg";

function el(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child);
  return node;
}

function chart(width, height, label) {
  return el("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": label,
                     class: "chart", width: "100%", preserveAspectRatio: "xMinYMin meet" });
}

// One bar per row, its parts stacked: rows [{ label, parts: [number|null…] }]; a withheld part
// (null) is drawn as a hatched gap of unknown size at the end, never as a guess.
export function stackedBars(rows, partLabels, label) {
  const barHeight = 22;
  const width = 320;
  const left = 110;
  const svg = chart(width, rows.length * (barHeight + 8) + 24, label);
  svg.append(el("title", {}, label));
  rows.forEach((row, i) => {
    const y = i * (barHeight + 8);
    const known = row.parts.reduce((sum, v) => sum + (v ?? 0), 0);
    const total = Math.max(known, 1);
    const withheld = row.parts.some((v) => v === null);
    const scale = (width - left - (withheld ? 24 : 0)) / total;
    svg.append(el("text", { x: 0, y: y + barHeight - 6, class: "chart-label" }, row.label));
    let x = left;
    row.parts.forEach((value, part) => {
      if (!value) return;
      const w = value * scale;
      svg.append(el("rect", { x, y, width: w, height: barHeight, class: `level level-${part + 1}` },
        el("title", {}, `${row.label} · ${partLabels[part]}: ${value}`)));
      x += w;
    });
    if (withheld) svg.append(el("rect", { x, y, width: 20, height: barHeight, class: "withheld-part" }));
  });
  const legendY = rows.length * (barHeight + 8) + 12;
  partLabels.forEach((text, part) => {
    svg.append(el("rect", { x: left + part * 40, y: legendY - 9, width: 10, height: 10,
                            class: `level level-${part + 1}` }),
      el("text", { x: left + part * 40 + 13, y: legendY, class: "chart-legend" }, text));
  });
  return svg;
}

// Columns over time: points [{ label, value|null }]; a withheld value is an empty column
// marked with its own class.
export function columns(points, label) {
  const height = 120;
  const step = Math.max(14, Math.floor(300 / Math.max(points.length, 1)));
  const svg = chart(points.length * step + 10, height + 30, label);
  svg.append(el("title", {}, label));
  const top = Math.max(1, ...points.map((p) => p.value ?? 0));
  points.forEach((point, i) => {
    const x = i * step + 4;
    if (point.value === null) {
      svg.append(el("rect", { x, y: height - 8, width: step - 4, height: 8, class: "withheld-part" }));
    } else {
      const h = (point.value / top) * height;
      svg.append(el("rect", { x, y: height - h, width: step - 4, height: h, class: "column" },
        el("title", {}, `${point.label}: ${point.value}`)));
    }
    if (points.length <= 13 || i % 3 === 0) {
      svg.append(el("text", { x, y: height + 14, class: "chart-legend" }, point.label.slice(2)));
    }
  });
  return svg;
}
