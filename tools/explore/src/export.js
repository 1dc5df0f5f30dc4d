// The drawing as files the reader downloads: PNG (cytoscape's own renderer), SVG and JSON. The SVG is written
// here from the nodes' positions and their computed style rather than by the cytoscape-svg extension: that
// package is GPL-3.0 (this bundle is MIT) and has had no release since 0.4.0, so it would bind the bundle's
// licence to an unmaintained dependency. Only what is on the canvas is exported: what the API answered the
// reader, without the relation kinds the reader hid.

const XML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
export const xml = (text) => String(text ?? "").replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

/** A file name for one export: the opened party's name (or 关系图) and the day the drawing is as of. */
export function fileName(graph, extension) {
  const first = [...graph.opened.values()][0];
  const name = (first?.name ?? "关系图").replace(/[\\/:*?"<>|\s]+/g, "_");
  return `${name}_${graph.asOf ?? ""}.${extension}`;
}

/** The picture as PNG, the whole drawing (not only the visible part), twice the screen's resolution. */
export function pngBlob(cy) {
  return cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff" });
}

/** The same picture as a data: URL, for the case file (an HTML page of its own). */
export function pngDataUrl(cy) {
  return cy.png({ output: "base64uri", full: true, scale: 1.5, bg: "#ffffff" });
}

const PAD = 40;

function nodeShape(n) {
  const { x, y } = n.position();
  const w = n.width();
  const h = n.height();
  const style = `fill="${xml(n.style("background-color"))}" stroke="${xml(n.style("border-color"))}" stroke-width="${parseFloat(n.style("border-width")) || 0}"` +
    (n.style("border-style") === "dashed" ? ' stroke-dasharray="4 3"' : "");
  return n.style("shape") === "ellipse"
    ? `<ellipse cx="${x}" cy="${y}" rx="${w / 2}" ry="${h / 2}" ${style}/>`
    : `<rect x="${x - w / 2}" y="${y - h / 2}" width="${w}" height="${h}" rx="4" ${style}/>`;
}

function labelLines(x, y, text, size, extra = "") {
  const lines = String(text ?? "").split("\n");
  return `<text x="${x}" y="${y}" font-size="${size}" text-anchor="middle"${extra}>` +
    lines.map((line, i) => `<tspan x="${x}" dy="${i === 0 ? 0 : size * 1.2}">${xml(line)}</tspan>`).join("") + "</text>";
}

/** The drawing as an SVG document: straight edges with arrows and labels, nodes in their colours and shapes. */
export function svgText(cy) {
  const shown = cy.elements(":visible");
  const box = shown.nonempty() ? shown.boundingBox({ includeLabels: true }) : { x1: 0, y1: 0, w: 100, h: 100 };
  const edges = shown.edges().map((e) => {
    const s = e.source().position();
    const t = e.target().position();
    const color = xml(e.style("line-color"));
    return `<g class="edge" data-relation="${xml(e.data("relation"))}" data-source="${xml(e.source().id())}" data-target="${xml(e.target().id())}">` +
      `<line x1="${s.x}" y1="${s.y}" x2="${t.x}" y2="${t.y}" stroke="${color}" stroke-width="1.5" marker-end="url(#arrow)"/>` +
      labelLines((s.x + t.x) / 2, (s.y + t.y) / 2, e.data("label"), 9, ' fill="#333"') + "</g>";
  });
  const nodes = shown.nodes().map((n) => {
    const { x, y } = n.position();
    return `<g class="node" data-key="${xml(n.id())}" data-kind="${xml(n.data("kind"))}">${nodeShape(n)}` +
      labelLines(x, y + n.height() / 2 + 14, n.data("label"), 11, ' fill="#222"') + "</g>";
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${box.x1 - PAD} ${box.y1 - PAD} ${box.w + 2 * PAD} ${box.h + 2 * PAD}" ` +
    `width="${Math.round(box.w + 2 * PAD)}" height="${Math.round(box.h + 2 * PAD)}" font-family="sans-serif">` +
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="22" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">` +
    `<path d="M 0 0 L 10 5 L 0 10 z" fill="#999"/></marker></defs>` +
    `<rect x="${box.x1 - PAD}" y="${box.y1 - PAD}" width="${box.w + 2 * PAD}" height="${box.h + 2 * PAD}" fill="#fff"/>` +
    edges.join("") + nodes.join("") + "</svg>\n";
}

/** The drawing as data: every node and edge on the canvas, the day, and what was left out and why. */
export function graphJson(graph) {
  const cy = graph.cy;
  return {
    asOf: graph.asOf,
    exportedAt: new Date().toISOString(),
    opened: [...graph.opened.keys()],
    filtered: {
      hiddenRelations: [...graph.hiddenRelations].sort(),
      truncated: [...graph.truncated],
      neighbourhoodLimit: graph.limit,
    },
    nodes: cy.nodes().map((n) => {
      const d = n.data();
      return { key: d.key, id: d.gid ?? null, kind: d.kind, name: d.name, listed: !!d.listed, bound: !!d.bound, position: n.position() };
    }),
    edges: cy.edges().map((e) => {
      const d = e.data();
      return { relation: d.relation, fromKey: d.source, toKey: d.target, since: d.since ?? null, until: d.until ?? null, ratio: d.ratio ?? null, hidden: e.hasClass("hidden") };
    }),
  };
}

/** Hands a file to the browser's downloads. */
export function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The three exports, each behind its toolbar button. */
export const exporters = {
  png: async (graph) => download(await pngBlob(graph.cy), fileName(graph, "png")),
  svg: (graph) => download(new Blob([svgText(graph.cy)], { type: "image/svg+xml" }), fileName(graph, "svg")),
  json: (graph) => download(new Blob([JSON.stringify(graphJson(graph), null, 2)], { type: "application/json" }), fileName(graph, "json")),
};
