// The control view (股权穿透) of an entity: the ownership tree above it with each holding's ratio, drawn in
// layers on a canvas of its own (cytoscape's breadthfirst layout: owners on top, the entity in the middle, the
// firms it holds and those they hold below it), the inferred controller marked, and beside it the declared
// controllers, the beneficial owners with their effective shares and the firms held. The relationship graph is
// left as it is.
import cytoscape from "cytoscape";
import { h } from "./dom.js";
import { edgeId, relationLabel } from "./graph.js";
import { t } from "./labels.js";
import { control } from "./operations.js";
import { highlight, pathText, percent } from "./overlay.js";

const STYLE = [
  // Names to the right of the nodes, so that the ratios on the vertical edges between layers stay readable.
  { selector: "node", style: { label: "data(label)", "font-size": 11, "text-valign": "center", "text-halign": "right", "text-margin-x": 6, "text-wrap": "wrap", width: 24, height: 24, "border-width": 2, "border-color": "#fff" } },
  { selector: 'node[kind="ENTITY"]', style: { shape: "round-rectangle", "background-color": "#3b6fb6" } },
  { selector: 'node[kind="PERSON"]', style: { shape: "ellipse", "background-color": "#3a9a6a" } },
  { selector: "node.target", style: { "border-color": "#222", "border-width": 4 } },
  { selector: "node.held", style: { "background-color": "#7fa3d6" } },
  { selector: "node.owner", style: { "border-color": "#6a1b9a", "border-width": 4 } },
  { selector: "node.controller", style: { "background-color": "#c62828", "border-color": "#7f0000", "border-width": 5, shape: "star", width: 34, height: 34 } },
  { selector: "edge", style: { width: 1.5, "line-color": "#5c6bc0", "target-arrow-color": "#5c6bc0", "target-arrow-shape": "triangle", "curve-style": "bezier", label: "data(label)", "font-size": 10, "text-margin-x": -16, "text-background-color": "#fff", "text-background-opacity": 0.9 } },
  { selector: ".dimmed", style: { opacity: 0.2 } },
  { selector: "edge.path", style: { width: 4, "line-color": "#f9a825", "target-arrow-color": "#f9a825" } },
  { selector: "node.path", style: { "overlay-color": "#f9a825", "overlay-opacity": 0.25, "overlay-padding": 6 } },
];

export class ControlView {
  /** @param section the view's element (hidden until an entity's control view is opened) */
  constructor(section) {
    this.section = section;
    this.canvas = section.querySelector(".control-canvas");
    this.side = section.querySelector(".control-side");
    this.cy = cytoscape({ container: this.canvas, style: STYLE, minZoom: 0.1, maxZoom: 3 });
    this.entity = null;
    section.querySelector(".control-close").addEventListener("click", () => this.close());
  }

  async show(entity, asOf) {
    this.entity = entity;
    const { data } = await control(entity.uscc, asOf);
    if (this.entity !== entity) return;
    this.section.hidden = false;
    this.cy.resize(); // the canvas had no size while the view was hidden
    this.draw(data.controllers, data.tree, data.held?.holdings ?? { totalCount: 0, nodes: [] });
    this.section.scrollIntoView({ block: "nearest" });
  }

  /** After the page's day changed: the tree as of the new day, if the view is open. */
  async redraw(asOf) {
    if (this.entity && !this.section.hidden) await this.show(this.entity, asOf);
  }

  close() {
    this.entity = null;
    this.section.hidden = true;
    this.cy.elements().remove();
  }

  draw(c, tree, held) {
    const cy = this.cy;
    cy.elements().remove();
    cy.add({ group: "nodes", data: { id: c.entity.uscc, label: c.entity.name, kind: "ENTITY", name: c.entity.name }, classes: "target" });
    for (const path of tree.beneficialOwners.flatMap((o) => o.paths)) {
      for (const n of path.nodes) {
        if (cy.getElementById(n.key).empty()) cy.add({ group: "nodes", data: { id: n.key, label: n.name, kind: n.kind, name: n.name } });
      }
      for (const s of path.steps) {
        const id = edgeId(s);
        if (cy.getElementById(id).empty()) cy.add({ group: "edges", data: { id, source: s.fromKey, target: s.toKey, ratio: s.ratio, label: s.ratio === null ? relationLabel(s.relation) : percent(s.ratio) } });
      }
    }
    // Each owner's effective share under its name; the inferred controller and the beneficial owners marked.
    for (const o of tree.beneficialOwners) cy.getElementById(o.party.key).data("label", `${o.party.name}\n${percent(o.share)}`);
    for (const o of c.beneficialOwners) cy.getElementById(o.party.key).addClass("owner");
    if (c.inferred) {
      const node = cy.getElementById(c.inferred.party.key);
      node.addClass("controller").data("label", `${c.inferred.party.name}\n疑似实际控制人 · ${percent(c.inferred.share)}`);
    }
    // Downward, two levels: each held firm under its holder, the edge labelled with the share held.
    const holds = (from, holding) => {
      const to = holding.entity;
      if (cy.getElementById(to.uscc).empty()) cy.add({ group: "nodes", data: { id: to.uscc, label: to.name, kind: "ENTITY", name: to.name }, classes: "held" });
      const id = edgeId({ relation: "HOLDS", fromKey: from, toKey: to.uscc, since: holding.since });
      if (cy.getElementById(id).empty()) cy.add({ group: "edges", data: { id, source: from, target: to.uscc, ratio: holding.ratio, label: percent(holding.ratio) } });
    };
    for (const h1 of held.nodes) {
      holds(c.entity.uscc, h1);
      for (const h2 of h1.entity.holdings.nodes) holds(h1.entity.uscc, h2);
    }
    const roots = cy.nodes().filter((n) => n.indegree(false) === 0);
    cy.layout({ name: "breadthfirst", directed: true, roots: roots.nonempty() ? roots : cy.nodes(), spacingFactor: 1.4, padding: 24, animate: false, fit: true }).run();
    this.render(c, tree, held);
  }

  explain(owner, what) {
    highlight({ cy: this.cy }, owner.paths, { fit: false });
    this.side.querySelector(".control-reason").replaceChildren(
      h("strong", {}, `${owner.party.name}：${what} ${percent(owner.share)}`),
      ...owner.paths.map((p) => h("div", { class: "path-text" }, pathText(p, relationLabel))));
  }

  render(c, tree, held) {
    const ownerItem = (o, what) =>
      h("li", {}, h("button", { type: "button", class: "explain", "data-key": o.party.key, "aria-label": `高亮 ${o.party.name} 的持股路径（${what} ${percent(o.share)}）`, onclick: () => this.explain(o, what) },
        `${o.party.name}（${t("NodeKind", o.party.kind)}）${what} ${percent(o.share)}`));
    const everyone = [...tree.beneficialOwners].sort((a, b) => b.share - a.share);
    // replaceChildren would write a null as the text "null": the absent parts are left out first.
    this.side.replaceChildren(...[
      h("h3", {}, `股权穿透：${c.entity.name}`),
      h("p", { class: "muted" }, `截至 ${c.asOf} · 受益所有人按有效持股不低于 ${percent(c.threshold)} 认定`),
      c.truncated || tree.truncated ? h("p", { class: "flag" }, "股权结构过大，未能完整穿透：以下按已穿透部分计算。") : null,
      h("h4", {}, "申报的实际控制人"),
      c.declared.length ? h("ul", {}, c.declared.map((p) => h("li", {}, `${p.name} ${p.idNumberMasked}`))) : h("p", { class: "muted" }, "无"),
      h("h4", {}, "疑似实际控制人（按控制链推断）"),
      c.inferred ? h("ul", { class: "control-inferred" }, ownerItem(c.inferred, "有效持股")) : h("p", { class: "muted" }, "未能推断（无人直接或经控制的主体间接持股过半）"),
      h("h4", {}, `受益所有人（${c.beneficialOwners.length}）`),
      c.beneficialOwners.length ? h("ul", { class: "control-owners" }, c.beneficialOwners.map((o) => ownerItem(o, "有效持股"))) : h("p", { class: "muted" }, "无"),
      h("details", {}, h("summary", {}, `全部股东的有效持股（${everyone.length}）`),
        everyone.length ? h("ul", {}, everyone.map((o) => ownerItem(o, "有效持股"))) : h("p", { class: "muted" }, "未登记股东")),
      h("h4", {}, `对外投资（${held.totalCount}）`),
      held.nodes.length ? heldList(held) : h("p", { class: "muted" }, "无"),
      h("div", { class: "control-reason", role: "status", "aria-live": "polite" }),
    ].filter(Boolean));
  }
}

/** The firms held, each with the share and the firms it holds in turn; a cut list says how many are not shown. */
function heldList(held) {
  const more = held.totalCount - held.nodes.length;
  return h("ul", { class: "control-held" },
    held.nodes.map((x) => h("li", {}, `${x.entity.name} ${percent(x.ratio)}`,
      x.entity.holdings?.nodes.length ? heldList(x.entity.holdings) : null)),
    more > 0 ? h("li", { class: "muted" }, `另有 ${more} 家未列出（按持股比例列出前 ${held.nodes.length} 家）`) : null);
}
