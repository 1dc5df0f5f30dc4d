// The workbench page: sign-in, search, the card of the party opened, and the graph with its date slider.
import { entityCard, personCard } from "./cards.js";
import { ControlView } from "./control.js";
import { openCaseFile } from "./casefile.js";
import { h } from "./dom.js";
import { exporters, pngDataUrl } from "./export.js";
import { Graph, relationLabel } from "./graph.js";
import { ImpactOverlay, personListingsSection } from "./impact.js";
import { loadLabels, t } from "./labels.js";
import { entityCard as readEntity, search, viewer } from "./operations.js";
import { PathFinder } from "./pathfind.js";
import { initSanction } from "./sanction.js";
import { credential, signIn, signOut } from "./session.js";

const $ = (id) => document.getElementById(id);
const DAY = 86_400_000;
const EPOCH = Date.UTC(2000, 0, 1);
const isoDay = (n) => new Date(EPOCH + n * DAY).toISOString().slice(0, 10);
const dayNumber = (iso) => Math.round((Date.parse(`${iso}T00:00:00Z`) - EPOCH) / DAY);
// Today as the service counts it (null asOf is today in Asia/Shanghai): a UTC day would lag it from 16:00 UTC.
// China keeps UTC+8 all year, without daylight saving.
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

let current = null; // the party whose card is shown: {kind, key, name, ...}
let graph;
let impact, controlView, pathfinder; // the explanations on the picture

function status(text) {
  $("status").textContent = text;
}

function showError(error) {
  status(`出错了：${error.message}`);
}

// ---- sign-in ----
let reader = "PUBLIC"; // the role the server acts on (Query.viewer), shown in the header and the case file

async function renderWho() {
  const signedIn = credential() !== null;
  $("sign-in").hidden = signedIn;
  $("sign-out").hidden = !signedIn;
  let me;
  try {
    ({ data: { viewer: me } } = await viewer());
  } catch (error) {
    reader = "PUBLIC";
    $("who").textContent = `凭据无效：${error.message}`;
    canvasMoved();
    return;
  }
  reader = me.role;
  const unit = me.departmentCode ?? me.uscc;
  $("who").textContent = signedIn
    ? `已登录：${me.userId ?? ""} · 角色 ${t("ActorRole", me.role)}${unit ? ` · ${unit}` : ""}${me.purpose ? ` · 事由：${me.purpose}` : ""}`
    : `未登录：${t("ActorRole", "PUBLIC")}视图（自然人姓名已遮蔽）`;
  canvasMoved();
}

// The header sits above the canvas, so a change of its height moves it. cytoscape maps a click through a cached
// position of its container, refreshed only 100 ms after it sees a resize and never when the container only
// moves; resize() refreshes it at once (Graph.merge does the same for the drawing's own surroundings).
function canvasMoved() {
  graph?.cy.resize();
}

function wireSignIn() {
  $("sign-in").addEventListener("submit", (event) => {
    event.preventDefault();
    if (!$("secret").value.trim()) return;
    signIn($("secret").value, $("purpose").value);
    $("secret").value = "";
    renderWho().then(refresh);
  });
  $("sign-out").addEventListener("click", () => {
    signOut();
    renderWho().then(refresh);
  });
}

// ---- search ----
let searchSeq = 0;
function wireSearch() {
  let timer;
  $("search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(runSearch, 250);
  });
  // Arrow keys move from the box through the results (Enter opens one, Escape goes back to the box).
  const hits = () => [...$("results").querySelectorAll("button.hit")];
  $("search").addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && hits().length) {
      event.preventDefault();
      hits()[0].focus();
    }
  });
  $("results").addEventListener("keydown", (event) => {
    const all = hits();
    const at = all.indexOf(document.activeElement);
    if (at < 0) return;
    const next = { ArrowDown: at + 1, ArrowUp: at - 1 }[event.key];
    if (event.key === "Escape" || next === -1) $("search").focus();
    else if (next !== undefined) all[Math.min(next, all.length - 1)].focus();
    else return;
    event.preventDefault();
  });
}

async function runSearch() {
  const query = $("search").value.trim();
  const seq = ++searchSeq;
  const box = $("results");
  if (!query) {
    box.replaceChildren();
    return;
  }
  try {
    const { data } = await search(query);
    if (seq !== searchSeq) return; // a newer keystroke's answer wins
    const hits = data.search.edges.map((e) => e.node);
    const groups = ["ENTITY", "PERSON"].map((kind) => [kind, hits.filter((hit) => hit.kind === kind)]).filter(([, g]) => g.length);
    box.replaceChildren(
      ...(groups.length === 0 ? [h("p", { class: "muted" }, "没有匹配的结果")] : []),
      ...groups.map(([kind, g]) =>
        h("section", { "aria-label": t("NodeKind", kind) },
          h("h3", {}, t("NodeKind", kind)),
          h("ul", {}, g.map((hit) =>
            h("li", {}, h("button", { type: "button", class: "hit", "data-key": hit.key, onclick: () => openParty(hit) },
              hit.name, h("span", { class: "muted" }, ` ${hit.kind === "ENTITY" ? hit.key : hit.idNumberMasked ?? ""}`))))))),
    );
  } catch (error) {
    showError(error);
  }
}

// ---- cards and graph ----
async function openParty(hit) {
  const node = { ...hit, gid: hit.id };
  current = node;
  impact.clear();
  pathfinder.reset();
  $("case-file").disabled = node.kind !== "ENTITY";
  await Promise.all([showCard(), timed("打开", () => graph.open(node, asOf()))]);
}

async function showCard() {
  const node = current;
  const panel = $("card");
  if (!node) {
    panel.replaceChildren(h("p", { class: "muted" }, "搜索并打开一个市场主体或自然人。"));
    return;
  }
  if (node.kind !== "ENTITY") {
    panel.replaceChildren(personCard(node, graph.relationsOf(node.key)));
    if (!node.gid) return;
    const listings = await personListingsSection(node, asOf(), (listing) => timed("影响范围", () => impact.show(listing.id, asOf())));
    if (current === node) panel.querySelector(".card")?.append(listings);
    return;
  }
  try {
    const { data, errors } = await readEntity(node.key, asOf());
    if (current !== node) return;
    panel.replaceChildren(entityCard(data.entity, errors, () => expand(node), {
      onImpact: (listing) => timed("影响范围", () => impact.show(listing.id, asOf())),
      onControl: () => timed("股权穿透", () => controlView.show(data.entity, asOf())),
    }));
  } catch (error) {
    showError(error);
  }
}

async function expand(node) {
  try {
    const expanded = await timed("展开", () => graph.expand(node));
    if (!expanded) status(`${node.name}：无法展开`);
  } catch (error) {
    showError(error);
  }
}

async function onNodeTap(data) {
  // A listing or a record drawn by a path (impact.js) has no card and no neighbourhood of its own.
  if (data.kind !== "ENTITY" && data.kind !== "PERSON") return status(`${data.name}：详见列入主体的卡片`);
  current = data;
  $("case-file").disabled = data.kind !== "ENTITY";
  await Promise.all([showCard(), expand(data)]);
}

/** Runs a graph operation and records how long it took (window.workbench.timings, read by the browser test). */
async function timed(what, action) {
  const start = performance.now();
  const result = await action();
  window.workbench.timings.push({ what, ms: performance.now() - start });
  return result;
}

function refresh() {
  showCard();
  // The canvas is redrawn without the overlays; they are asked again as of the new day.
  if (graph.opened.size) graph.setAsOf(asOf()).then(() => Promise.all([impact.redraw(asOf()), pathfinder.redraw()])).catch(showError);
  controlView.redraw(asOf()).catch(showError);
}

function onGraphChange(g) {
  pathfinder?.sync();
  const nodes = g.cy.nodes();
  const truncated = [...g.truncated].map((k) => g.cy.getElementById(k).data("name"));
  status(`图中 ${nodes.length} 个节点、${g.cy.edges().length} 条关系，截至 ${g.asOf}` + (truncated.length ? `；${truncated.join("、")} 的关系过多，已截断` : ""));
  $("truncated").hidden = truncated.length === 0;
  $("relations").replaceChildren(...g.relations().map((relation) =>
    h("label", {},
      h("input", { type: "checkbox", checked: !g.hiddenRelations.has(relation), "data-relation": relation, "aria-label": `显示关系：${relationLabel(relation)}`, onchange: (e) => g.setRelationVisible(relation, e.target.checked) }),
      ` ${relationLabel(relation)}`)));
  // The drawing's nodes as buttons too: the canvas takes no keyboard focus, this list does.
  $("nodes").replaceChildren(...nodes.map((n) => {
    const d = n.data();
    const flags = [d.listed ? "在列" : "", d.bound ? "受约束" : "", g.truncated.has(d.key) ? "已截断" : ""].filter(Boolean).join("、");
    return h("li", {}, h("button", { type: "button", "data-key": d.key, "aria-label": `${t("NodeKind", d.kind)} ${d.name}${flags ? `（${flags}）` : ""}：打开${d.kind === "ENTITY" ? "并展开" : ""}`, onclick: () => onNodeTap(d) },
      d.name, flags ? h("span", { class: "flag" }, ` ${flags}`) : null));
  }));
}

// ---- exports ----
function wireExports() {
  for (const kind of ["png", "svg", "json"]) {
    $(`export-${kind}`).addEventListener("click", () => Promise.resolve(exporters[kind](graph)).catch(showError));
  }
  $("case-file").addEventListener("click", () => {
    if (current?.kind !== "ENTITY") return;
    const target = window.open("", "_blank"); // opened at the click: a tab opened after the answers may be blocked
    status(`正在生成 ${current.name} 的案卷…`);
    openCaseFile({ uscc: current.key, asOf: asOf(), picture: graph.cy.nodes().nonempty() ? pngDataUrl(graph.cy) : null, reader: t("ActorRole", reader), target })
      .then(() => status(`${current.name} 的案卷已在新标签页打开，可打印或另存为 PDF`))
      .catch((error) => {
        target?.close();
        showError(error);
      });
  });
}

// ---- the date slider ----
function asOf() {
  return $("as-of-date").value || today();
}

function wireDate() {
  const slider = $("as-of");
  slider.max = String(dayNumber(today()) + 366);
  slider.value = String(dayNumber(today()));
  $("as-of-date").value = today();
  let timer;
  const apply = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 150);
  };
  slider.addEventListener("input", () => {
    $("as-of-date").value = isoDay(Number(slider.value));
    slider.setAttribute("aria-valuetext", $("as-of-date").value);
  });
  slider.addEventListener("change", apply);
  $("as-of-date").addEventListener("change", () => {
    if (!$("as-of-date").value) return;
    slider.value = String(dayNumber($("as-of-date").value));
    apply();
  });
}

async function main() {
  // A failed request behind a click shows in the status line rather than vanishing.
  window.addEventListener("unhandledrejection", (event) => showError(event.reason));
  window.workbench = { timings: [], graph: null };
  await loadLabels();
  graph = new Graph($("graph"), { onOpen: onNodeTap, onChange: onGraphChange, onPick: (d) => pathfinder.pick(d) });
  window.workbench.graph = graph;
  impact = new ImpactOverlay(graph, $("impact"));
  controlView = new ControlView($("control-view"));
  pathfinder = new PathFinder(graph, $("pathfind"));
  window.workbench.control = controlView;
  wireSignIn();
  wireSearch();
  wireDate();
  wireExports();
  await renderWho();
  showCard();
  initSanction({ current: () => current, graph, status, asOf });
  document.body.dataset.ready = "true";
}

main().catch(showError);
