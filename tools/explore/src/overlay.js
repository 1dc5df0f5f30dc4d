// Paths drawn over the relationship graph, shared by the impact overlay, the shortest paths and their lists:
// a path the API answered (Path: nodes and steps) is added to the canvas where it is missing, and can be
// highlighted (its nodes and edges marked, every other element dimmed).
import { edgeId } from "./graph.js";
import { t } from "./labels.js";

/** A path node's name as drawn: a listing by its list and id, a record by its category and id. */
export function nodeName(n) {
  if (n.kind === "LISTING") return `${t("ListCode", n.name)}（${n.key}）`;
  if (n.kind === "RECORD") return `${t("RecordCategory", n.name)}（${n.key}）`;
  return n.name;
}

/**
 * Adds what a path needs and the canvas lacks: nodes (listings and records too, which no neighbourhood
 * brings) and steps. Elements already drawn are left as they are, so their flags stay the neighbourhood's.
 * @returns the path's elements on the canvas (a cytoscape collection)
 */
export function drawPaths(graph, paths) {
  const cy = graph.cy;
  const nodes = new Map();
  const edges = new Map();
  for (const path of paths) {
    for (const n of path.nodes) {
      if (cy.getElementById(n.key).empty()) nodes.set(n.key, { ...n, name: nodeName(n), listed: false, bound: false });
    }
    for (const s of path.steps) {
      if (cy.getElementById(edgeId(s)).empty()) edges.set(edgeId(s), s);
    }
  }
  if (nodes.size || edges.size) {
    const anchor = paths[0]?.nodes.find((n) => cy.getElementById(n.key).nonempty())?.key ?? null;
    graph.merge([{ center: null, truncated: false, nodes: [...nodes.values()], edges: [...edges.values()] }], anchor);
  }
  return pathElements(graph, paths);
}

/** The canvas elements of some paths (what `highlight` marks and the browser test reads). */
export function pathElements(graph, paths) {
  const cy = graph.cy;
  let elements = cy.collection();
  for (const path of paths) {
    for (const n of path.nodes) elements = elements.union(cy.getElementById(n.key));
    for (const s of path.steps) elements = elements.union(cy.getElementById(edgeId(s)));
  }
  return elements;
}

/** Marks the elements of some paths and dims the rest of the drawing; `fit` brings the path into view. */
export function highlight(graph, paths, { fit = true } = {}) {
  const cy = graph.cy;
  const on = pathElements(graph, paths);
  cy.batch(() => {
    cy.elements().removeClass("path").addClass("dimmed");
    on.removeClass("dimmed").addClass("path");
  });
  if (fit && on.nonempty()) {
    cy.fit(on, 80);
    // A short path fitted alone would fill the canvas with a few giant labels.
    if (cy.zoom() > 1.5) cy.zoom({ level: 1.5, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }
  return on;
}

export function clearHighlight(graph) {
  graph.cy.elements().removeClass("path dimmed");
}

/**
 * A path as a reader follows it, in Chinese: "控刘 —实际控制人→ 青岛海岳商贸有限公司 —持股 60%→ …". A step
 * that branches off an earlier node starts a new clause after "；" (as the API's own `text` does).
 */
export function pathText(path, relationLabel) {
  const names = new Map(path.nodes.map((n) => [n.key, nodeName(n)]));
  const out = [];
  let at = null;
  for (const s of path.steps) {
    if (s.fromKey !== at) out.push(`${out.length ? "；" : ""}${names.get(s.fromKey) ?? s.fromKey}`);
    const share = s.ratio !== null && s.ratio !== undefined ? ` ${percent(s.ratio)}` : "";
    const when = s.since || s.until ? ` ${s.since ?? "…"}–${s.until ?? ""}` : "";
    out.push(` —${relationLabel(s.relation)}${share}${when}→ ${names.get(s.toKey) ?? s.toKey}`);
    at = s.toKey;
  }
  return out.length ? out.join("") : (path.nodes[0]?.name ?? "");
}

export const percent = (share) => `${(share * 100).toFixed(1).replace(/\.0$/, "")}%`;
