// Shortest paths between two parties picked on the canvas (shift-click: first the start, then the end) or in
// the two lists beside it (the keyboard's way): the API's `paths` answer as of the drawing's day, drawn where
// the canvas lacks a node, highlighted one at a time, with a list to step through.
import { h } from "./dom.js";
import { relationLabel } from "./graph.js";
import { t } from "./labels.js";
import { paths, subjectOf } from "./operations.js";
import { clearHighlight, drawPaths, highlight, pathText } from "./overlay.js";

export class PathFinder {
  /** @param graph the relationship graph; @param box the element holding the path-finding controls */
  constructor(graph, box) {
    this.graph = graph;
    this.from = box.querySelector("#path-from");
    this.to = box.querySelector("#path-to");
    this.hops = box.querySelector("#path-hops");
    this.list = box.querySelector("#path-list");
    this.text = box.querySelector("#path-text");
    this.answer = []; // the paths found
    this.index = -1; // the one highlighted
    this.ends = null; // {from, to} of the answer shown
    this.asked = 0; // the number of the latest question: an older answer arriving after it is dropped
    box.querySelector("#path-find").addEventListener("click", () => this.find());
    box.querySelector("#path-prev").addEventListener("click", () => this.step(-1));
    box.querySelector("#path-next").addEventListener("click", () => this.step(1));
    box.querySelector("#path-clear").addEventListener("click", () => this.reset());
  }

  /** A shift-click on a node: the start when none is set or both are, else the end (then the search runs). */
  pick(node) {
    if (!this.from.value || this.to.value) {
      this.from.value = node.key;
      this.to.value = "";
      this.say(`起点：${node.name}。按住 Shift 再点击另一节点作为终点。`);
    } else if (node.key !== this.from.value) {
      this.to.value = node.key;
      this.find();
    }
  }

  /** Keeps both lists to the parties on the canvas (called on every change of the drawing). */
  sync() {
    // Listings and records on a drawn path are not parties: paths run between entities and persons only.
    const parties = this.graph.cy.nodes('[kind="ENTITY"], [kind="PERSON"]').filter((n) => subjectOf(n.data())).map((n) => n.data());
    for (const select of [this.from, this.to]) {
      const chosen = select.value;
      select.replaceChildren(h("option", { value: "" }, "（选择）"),
        ...parties.map((d) => h("option", { value: d.key, selected: d.key === chosen }, `${d.name}（${t("NodeKind", d.kind)}）`)));
      select.value = parties.some((d) => d.key === chosen) ? chosen : "";
    }
  }

  async find() {
    const [a, b] = [this.from.value, this.to.value].map((key) => this.graph.cy.getElementById(key));
    if (!a.nonempty() || !b.nonempty() || a.same(b)) {
      this.say("请选择两个不同的节点作为起点和终点。");
      return;
    }
    this.ends = { from: a.data(), to: b.data() };
    const asked = ++this.asked;
    const { data } = await paths(subjectOf(a.data()), subjectOf(b.data()), this.graph.asOf, Number(this.hops.value));
    if (asked === this.asked) this.show(data.paths);
  }

  /** After the drawing's day changed: the same two parties as of the new day. */
  async redraw() {
    if (!this.ends) return;
    const { from, to } = this.ends;
    const asked = ++this.asked;
    const { data } = await paths(subjectOf(from), subjectOf(to), this.graph.asOf, Number(this.hops.value));
    if (asked === this.asked) this.show(data.paths);
  }

  show(found) {
    const { from, to } = this.ends;
    this.answer = found;
    this.index = -1;
    clearHighlight(this.graph);
    if (found.length === 0) {
      this.list.replaceChildren();
      this.say(`截至 ${this.graph.asOf}，${from.name} 与 ${to.name} 之间在 ${this.hops.value} 步内没有关联。`);
      return;
    }
    drawPaths(this.graph, found);
    this.list.replaceChildren(...found.map((p, i) =>
      h("li", {}, h("button", { type: "button", class: "explain", "aria-label": `高亮第 ${i + 1} 条路径（${p.steps.length} 步）`, onclick: () => this.select(i) },
        `${p.steps.length} 步：${pathText(p, relationLabel)}`))));
    this.select(0);
  }

  step(by) {
    if (this.answer.length) this.select((this.index + by + this.answer.length) % this.answer.length);
  }

  select(i) {
    this.index = i;
    const path = this.answer[i];
    highlight(this.graph, [path]);
    [...this.list.querySelectorAll("button")].forEach((b, j) => b.setAttribute("aria-pressed", String(j === i)));
    const { from, to } = this.ends;
    this.say(`${from.name} → ${to.name}：第 ${i + 1} / ${this.answer.length} 条最短路径（${path.steps.length} 步）`, pathText(path, relationLabel));
  }

  reset() {
    this.asked++;
    this.answer = [];
    this.index = -1;
    this.ends = null;
    this.list.replaceChildren();
    clearHighlight(this.graph);
    this.say("");
  }

  say(line, detail = null) {
    this.text.replaceChildren(line, detail ? h("div", { class: "path-text" }, detail) : "");
  }
}
