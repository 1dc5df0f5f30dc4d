// The listing impact overlay (影响范围): whom one listing reaches as of the drawing's day, drawn on the canvas —
// the listed party, the bound persons and the related entities marked, each with its reason — and listed in a
// panel where choosing a binding or a flag highlights its path.
import { h, window_ } from "./dom.js";
import { relationLabel } from "./graph.js";
import { t } from "./labels.js";
import { listingImpact, personListings, subjectOf } from "./operations.js";
import { clearHighlight, drawPaths, highlight, pathText } from "./overlay.js";

const MARKS = ["impact-subject", "impact-bound", "impact-related"];

export class ImpactOverlay {
  /** @param graph the relationship graph; @param panel the element the impact's list goes in */
  constructor(graph, panel) {
    this.graph = graph;
    this.panel = panel;
    this.listing = null; // the recorded id of the listing shown, or null
    this.answer = null;
    this.asked = 0; // the number of the latest question: an older answer arriving after it is dropped
  }

  /** Draws the impact of a listing (its recorded id) as of a day. */
  async show(listing, asOf) {
    this.listing = listing;
    const asked = ++this.asked;
    const { data } = await listingImpact(listing, asOf);
    // Another listing, or the same one as of another day, was asked for meanwhile: that answer is drawn.
    if (asked !== this.asked) return;
    this.answer = data.listingImpact;
    this.draw();
  }

  /** After the drawing's day changed (which redraws the canvas without the overlay): ask again for that day. */
  async redraw(asOf) {
    if (this.listing) await this.show(this.listing, asOf);
  }

  clear() {
    this.asked++;
    this.listing = null;
    this.answer = null;
    this.graph.cy.nodes().removeClass(MARKS.join(" "));
    clearHighlight(this.graph);
    this.panel.hidden = true;
    this.panel.replaceChildren();
  }

  draw() {
    const a = this.answer;
    const cy = this.graph.cy;
    cy.nodes().removeClass(MARKS.join(" "));
    clearHighlight(this.graph);
    drawPaths(this.graph, [{ nodes: [a.subject], steps: [] }, ...a.boundPersons.map((p) => p.path), ...a.relatedEntities.flatMap((r) => r.flags.map((f) => f.path))]);
    cy.batch(() => {
      cy.getElementById(a.subject.key).addClass("impact-subject").data("impactLabel", `${a.subject.name}\n〔${t("ListCode", a.listing.list)}〕`);
      for (const p of a.boundPersons) {
        cy.getElementById(p.personKey).addClass("impact-bound").data("impactLabel", `${p.person.name}\n〔受约束：${t("RoleType", p.role)}〕`);
      }
      for (const r of a.relatedEntities) {
        cy.getElementById(r.entity.uscc).addClass("impact-related").data("impactLabel", `${r.entity.name}\n〔${r.flags.map((f) => t("RelatedReason", f.reason)).join("、")}〕`);
      }
    });
    this.render();
  }

  /** Highlights one path and says why: `reason` is the sentence shown above the path's text. */
  explain(path, reason) {
    highlight(this.graph, [path]);
    const box = this.panel.querySelector(".impact-reason");
    box.replaceChildren(h("strong", {}, reason), h("div", { class: "path-text" }, pathText(path, relationLabel)));
  }

  render() {
    const a = this.answer;
    const l = a.listing;
    const item = (label, aria, path, reason) =>
      h("li", {}, h("button", { type: "button", class: "explain", "aria-label": aria, onclick: () => this.explain(path, reason) }, label));
    this.panel.hidden = false;
    // replaceChildren would write a null as the text "null": the absent parts are left out first.
    this.panel.replaceChildren(...[
      h("h3", {}, `影响范围：${t("ListCode", l.list)}（${l.id}）`),
      h("p", { class: "muted" }, `${a.subject.name} · ${window_(l.since, l.until)} · ${l.department.name} · 截至 ${a.asOf}`),
      a.inForce ? null : h("p", { class: "flag" }, "该名单认定在此日期不在有效期内，不约束任何人，也不标记关联主体。"),
      h("p", { class: "muted" }, a.windowStart ? `责任期自 ${a.windowStart}（最早的认定依据作出之日）起算` : "认定依据未向您公开，责任期起点不显示"),
      h("h4", {}, `受约束的相关责任人（${a.boundPersons.length}）`),
      a.boundPersons.length === 0
        ? h("p", { class: "muted" }, "无")
        : h("ul", { class: "impact-bound-list" }, a.boundPersons.map((p) => {
            const reason = `${p.person.name}：在责任期内任${t("RoleType", p.role)}（${window_(p.since, p.until)}），受该名单的惩戒措施约束`;
            return item(`${p.person.name} · ${t("RoleType", p.role)} ${window_(p.since, p.until)}`, `高亮 ${p.person.name} 的约束路径`, p.path, reason);
          })),
      h("h4", {}, "现任代表人"),
      a.currentRepresentatives.length === 0
        ? h("p", { class: "muted" }, "无")
        : h("ul", {}, a.currentRepresentatives.map((p) =>
            h("li", {}, `${p.person.name} · ${t("RoleType", p.role)} ${window_(p.since, p.until)}`,
              h("span", { class: p.bound ? "flag" : "muted" }, p.bound ? " · 受约束" : " · 不受约束（责任期后任职）")))),
      h("h4", {}, `关联主体（${a.relatedEntities.length}）`),
      a.relatedEntities.length === 0
        ? h("p", { class: "muted" }, "无")
        : h("ul", { class: "impact-related-list" }, a.relatedEntities.map((r) =>
            h("li", {}, r.entity.name, " ",
              h("ul", {}, r.flags.map((f) => {
                const why = t("RelatedReason", f.reason);
                return item(why, `高亮 ${r.entity.name} 的关联路径：${why}`, f.path, `${r.entity.name}：${why}`);
              }))))),
      h("div", { class: "impact-reason", role: "status", "aria-live": "polite" }, h("span", { class: "muted" }, "选择一名责任人或一项关联标记，图中高亮其路径。")),
      h("p", {}, h("button", { type: "button", "aria-label": "关闭影响范围并取消高亮", onclick: () => this.clear() }, "关闭影响范围")),
    ].filter(Boolean));
    this.panel.scrollIntoView({ block: "nearest" }); // it sits below the card, often out of view
  }
}

/**
 * The listings that bind a person as of a day (directly or as a responsible person of a listed entity), for the
 * person's card, each with its "影响范围" button. A reader who may not read the person gets the reason instead.
 */
export async function personListingsSection(person, asOf, onImpact) {
  const section = h("section", { class: "card-section" }, h("h3", {}, "约束本人的名单"));
  try {
    const { data } = await personListings(subjectOf(person), asOf);
    const bindings = data.exposure.bindings;
    section.append(bindings.length === 0
      ? h("p", { class: "muted" }, `截至 ${asOf} 无`)
      : h("ul", {}, bindings.map((b) =>
          h("li", {}, `${t("ListCode", b.listing.list)}（${b.listing.id}）· ${t("BindingKind", b.kind)}`,
            b.via ? `：${b.via.name} 的${t("RoleType", b.role)}` : "", " ",
            h("button", { type: "button", class: "impact", "data-listing": b.listing.id, "aria-label": `在图中查看${t("ListCode", b.listing.list)}（${b.listing.id}）的影响范围`, onclick: () => onImpact(b.listing) }, "影响范围")))));
  } catch (error) {
    section.append(h("p", { class: "muted" }, `未能读取：${error.message}`));
  }
  return section;
}
