// The relationship graph: a cytoscape canvas holding the union of the neighbourhoods opened so far. The date
// (asOf) belongs to the whole drawing: changing it re-asks every opened neighbourhood and redraws.
import cytoscape from "cytoscape";
import { t } from "./labels.js";
import { neighborhood, subjectOf } from "./operations.js";

// min-zoomed-font-size: a label smaller than 5 px on screen is not drawn (a node's from zoom 0.45 down, an edge's
// from 0.55): a drawing of 500 nodes fits at zoom 0.1, where labels are unreadable and drawing them was a third
// of each frame. Zooming in shows them again.
const STYLE = [
  { selector: "node", style: { label: "data(label)", "font-size": 11, "min-zoomed-font-size": 5, "text-valign": "bottom", "text-margin-y": 4, width: 26, height: 26, "border-width": 2, "border-color": "#fff" } },
  { selector: 'node[kind="ENTITY"]', style: { shape: "round-rectangle", "background-color": "#3b6fb6" } },
  { selector: 'node[kind="PERSON"]', style: { shape: "ellipse", "background-color": "#3a9a6a" } },
  { selector: "node.opened", style: { "border-color": "#222", "border-width": 3 } },
  { selector: "node[?listed]", style: { "background-color": "#c62828", "border-color": "#7f0000", "border-width": 4 } },
  { selector: "node[?bound]", style: { "border-color": "#ef6c00", "border-width": 4, "border-style": "dashed" } },
  { selector: "node.truncated", style: { "border-style": "double", "border-width": 6 } },
  { selector: "edge", style: { width: 1.5, "line-color": "#999", "target-arrow-color": "#999", "target-arrow-shape": "triangle", "curve-style": "bezier", label: "data(label)", "font-size": 9, "min-zoomed-font-size": 5, "text-rotation": "autorotate", "text-wrap": "wrap", "text-background-color": "#fff", "text-background-opacity": 0.8 } },
  { selector: 'edge[relation="HOLDS"]', style: { "line-color": "#5c6bc0", "target-arrow-color": "#5c6bc0" } },
  { selector: ".hidden", style: { display: "none" } },
  { selector: ":selected", style: { "overlay-color": "#fbc02d", "overlay-opacity": 0.3 } },
  // Explanations on the picture (impact.js, pathfind.js): listings and records on a path, the impact's marks, a highlighted path.
  { selector: 'node[kind="LISTING"]', style: { shape: "diamond", "background-color": "#8d1c1c" } },
  { selector: 'node[kind="RECORD"]', style: { shape: "tag", "background-color": "#9e9e9e" } },
  { selector: "node.impact-subject, node.impact-bound, node.impact-related", style: { label: "data(impactLabel)", "text-wrap": "wrap" } },
  { selector: "node.impact-bound", style: { "background-color": "#ef6c00", "border-color": "#7f3300", "border-width": 4, "border-style": "solid" } },
  { selector: "node.impact-related", style: { "border-color": "#6a1b9a", "border-width": 5, "border-style": "double" } },
  { selector: ".dimmed", style: { opacity: 0.15 } },
  { selector: "edge.path", style: { width: 4, "line-color": "#f9a825", "target-arrow-color": "#f9a825", "z-index": 10 } },
  { selector: "node.path", style: { "overlay-color": "#f9a825", "overlay-opacity": 0.3, "overlay-padding": 6, "z-index": 10 } },
];

export function relationLabel(relation) {
  return t("Relation", relation);
}

function edgeLabel(e) {
  const what = e.ratio !== null && e.ratio !== undefined ? `${relationLabel(e.relation)} ${(e.ratio * 100).toFixed(1).replace(/\.0$/, "")}%` : relationLabel(e.relation);
  return `${what}\n${e.since ?? "…"}–${e.until ?? ""}`;
}

export class Graph {
  constructor(container, { onOpen, onChange, onPick }) {
    // textureOnViewport: panning and zooming move a picture of the drawing instead of redrawing every element,
    // which keeps a drawing of hundreds of nodes smooth (bench/explore_bench.py, BENCHMARKS §18).
    this.cy = cytoscape({ container, style: STYLE, wheelSensitivity: 0.3, minZoom: 0.1, maxZoom: 4, textureOnViewport: true });
    this.opened = new Map(); // key -> the node as first seen, whose neighbourhood is drawn
    this.truncated = new Set();
    this.hiddenRelations = new Set();
    this.asOf = null;
    // Bumped by every redraw (a new day, a new reader): an answer asked for before it is dropped, so that a
    // neighbourhood fetched with the credential just signed out of never lands on the public's drawing.
    this.generation = 0;
    // How many relationships one neighbourhood may bring (the API's limit; ?limit= in the page's address).
    this.limit = Number(new URLSearchParams(location.search).get("limit")) || 200;
    this.onChange = onChange;
    // A shift-click picks a party for the shortest paths (pathfind.js) instead of opening it.
    this.cy.on("tap", "node", (event) => (event.originalEvent?.shiftKey && onPick ? onPick(event.target.data()) : onOpen(event.target.data())));
  }

  /** Start afresh from one party. */
  async open(node, asOf) {
    this.generation += 1;
    this.cy.elements().remove();
    this.opened.clear();
    this.truncated.clear();
    this.asOf = asOf;
    return this.expand(node);
  }

  /** Add a node's neighbourhood to the drawing; false when it has no subject the API takes (no id). */
  async expand(node) {
    const subject = subjectOf(node);
    if (!subject) return false;
    this.opened.set(node.key, node);
    const generation = this.generation;
    const { data } = await neighborhood(subject, this.asOf, 1, this.limit);
    // Redrawn meanwhile: the redraw asked for this node again (it was already opened), as the reader is now.
    if (generation === this.generation) this.merge([data.neighborhood], node.key);
    return true;
  }

  /** Redraw as of another day: every opened neighbourhood again, elements no longer valid removed. */
  async setAsOf(asOf) {
    this.asOf = asOf;
    const generation = ++this.generation;
    const opened = [...this.opened.values()];
    const answers = await Promise.allSettled(opened.map((n) => neighborhood(subjectOf(n), asOf, 1, this.limit)));
    if (generation !== this.generation) return; // a later redraw superseded this one
    // A neighbourhood the reader may no longer open (a person, once signed out) is closed, not an error.
    answers.forEach((a, i) => a.status === "rejected" && this.opened.delete(opened[i].key));
    const hoods = answers.filter((a) => a.status === "fulfilled").map((a) => a.value.data.neighborhood);
    const keep = new Set();
    for (const n of hoods) {
      keep.add(n.center);
      for (const node of n.nodes) keep.add(node.key);
      for (const e of n.edges) keep.add(edgeId(e));
    }
    this.cy.elements().filter((el) => !keep.has(el.id())).remove();
    this.truncated.clear();
    this.merge(hoods, null);
  }

  merge(hoods, around) {
    const origin = around ? this.cy.getElementById(around) : null;
    const base = origin && origin.nonempty() ? origin.position() : { x: 0, y: 0 };
    const fresh = []; // added in one call: one cy.add per element costs seconds at 500 nodes
    this.cy.batch(() => {
      for (const n of hoods) if (n.truncated) this.truncated.add(n.center);
      for (const n of hoods) {
        for (const node of n.nodes) {
          const data = { id: node.key, gid: node.id, label: this.nodeLabel(node.key, node.name), kind: node.kind, key: node.key, name: node.name, listed: node.listed, bound: node.bound };
          const existing = this.cy.getElementById(node.key);
          if (existing.nonempty()) update(existing, data);
          else fresh.push({ group: "nodes", data, classes: this.nodeClasses(node.key), position: { x: base.x + Math.random() * 80 - 40, y: base.y + Math.random() * 80 - 40 } });
        }
        for (const e of n.edges) {
          const id = edgeId(e);
          const data = { id, source: e.fromKey, target: e.toKey, relation: e.relation, since: e.since, until: e.until, ratio: e.ratio, label: edgeLabel(e) };
          const existing = this.cy.getElementById(id);
          if (existing.nonempty()) update(existing, data);
          else fresh.push({ group: "edges", data, classes: this.hiddenRelations.has(e.relation) ? ["hidden"] : [] });
        }
      }
      // a node and an edge can come in two neighbourhoods at once: keep the first
      const seen = new Set();
      this.cy.add(fresh.filter((el) => !seen.has(el.data.id) && seen.add(el.data.id)));
      // Only the nodes whose marks changed are touched: every data() or class change restyles its element,
      // which on a drawing of 500 nodes is most of the cost of an expansion (BENCHMARKS §18).
      this.cy.nodes().forEach((node) => {
        const key = node.id();
        if (node.hasClass("opened") !== this.opened.has(key)) node.toggleClass("opened", this.opened.has(key));
        if (node.hasClass("truncated") !== this.truncated.has(key)) node.toggleClass("truncated", this.truncated.has(key));
        const label = this.nodeLabel(key, node.data("name"));
        if (node.data("label") !== label) node.data("label", label);
      });
    });
    // The page around the canvas first (the relations' checkboxes above it, the status, the path selectors and the
    // node list below it): their new height changes the canvas's, and the fit must be to the canvas as it will be.
    // Laid out before, a node fitted at the bottom edge ended up beyond it once the canvas shrank, and a click on it
    // missed. resize() also refreshes cytoscape's cached position of the canvas, which it otherwise refreshes
    // only 100 ms after a resize.
    this.onChange(this);
    this.cy.resize();
    if (fresh.length) this.cy.layout(layoutFor(this.cy.nodes().length)).run();
  }

  nodeLabel(key, name) {
    return this.truncated.has(key) ? `${name} ⋯（已截断）` : name;
  }

  nodeClasses(key) {
    return [this.opened.has(key) ? "opened" : "", this.truncated.has(key) ? "truncated" : ""].filter(Boolean);
  }

  setRelationVisible(relation, visible) {
    if (visible) this.hiddenRelations.delete(relation);
    else this.hiddenRelations.add(relation);
    this.applyHidden();
    this.onChange(this);
  }

  applyHidden() {
    this.cy.batch(() => this.cy.edges().forEach((e) => {
      const hidden = this.hiddenRelations.has(e.data("relation"));
      if (e.hasClass("hidden") !== hidden) e.toggleClass("hidden", hidden);
    }));
  }

  relations() {
    return [...new Set(this.cy.edges().map((e) => e.data("relation")))].sort();
  }

  /** The relations of one node, for a person's card. */
  relationsOf(key) {
    return this.cy.getElementById(key).connectedEdges().map((e) => {
      const other = e.source().id() === key ? e.target() : e.source();
      return { label: relationLabel(e.data("relation")), other: other.data("name"), since: e.data("since"), until: e.data("until") };
    });
  }
}

// cose (force-directed) reads best but costs O(n²) per iteration: 18 s for 500 nodes on a loaded machine. Past
// LARGE nodes the drawing is laid out in rings by degree instead (0.1 s), the hubs in the middle.
const LARGE = 150;
function layoutFor(nodes) {
  return nodes > LARGE
    ? { name: "concentric", animate: false, fit: true, padding: 30, minNodeSpacing: 12 }
    : { name: "cose", animate: false, randomize: false, fit: true, padding: 30, nodeRepulsion: () => 8000 };
}

/** Sets only the fields that differ: an unchanged node or edge, asked again, is not restyled. */
function update(element, data) {
  const changed = Object.fromEntries(Object.entries(data).filter(([k, v]) => element.data(k) !== v));
  if (Object.keys(changed).length) element.data(changed);
}

export const edgeId = (e) => `${e.relation}|${e.fromKey}|${e.toKey}|${e.since ?? ""}`;
