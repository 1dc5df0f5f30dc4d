// The sanctions officer's panel (issue 14, deliver 6): the 应查必查 eligibility of the open subject for a
// scenario, with the deciding measures, their bindings and paths and the related-risk warnings; and a batch
// check of a pasted or uploaded list (CSV or XLSX) through `screen`, shown as a table and exported to XLSX.
// XLSX is read and written in the page (read-excel-file, write-excel-file: their "universal" builds, which
// run in the main thread — the page's CSP allows no worker — and load nothing from the network).
import { readSheet } from "read-excel-file/universal";
import writeExcelFile from "write-excel-file/universal";
import { h } from "./dom.js";
import { codes, errorText, errorsText, t } from "./labels.js";
import { relationLabel } from "./graph.js";
import { eligibility, screen, subjectOf } from "./operations.js";
import { pathText } from "./overlay.js";

const $ = (id) => document.getElementById(id);
const SCREEN_LIMIT = 500; // the API's limit per `screen` call
// A column of an uploaded list is read by its header, in this order; without one, the first column.
const HEADERS = { 统一社会信用代码: "uscc", 身份证号: "idNumber", code: null };
// 18 characters both: a resident identity number has a birth date in it and digits only (X at the end).
const RIC = /^\d{6}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dX]$/;

/** The `screen` subject of one code of a list: the column's header decides, else its shape. */
export function subjectOfCode(code, kind = null) {
  const value = String(code).trim().toUpperCase();
  if (kind) return { [kind]: value };
  return RIC.test(value) ? { idNumber: value } : { uscc: value };
}

/** The codes of a list's rows (arrays of cells): the column named in HEADERS, or the first; blank rows skipped. */
export function codesOfRows(rows) {
  const cells = rows.map((row) => row.map((c) => (c === null || c === undefined ? "" : String(c).trim())));
  const header = cells[0] ?? [];
  let column = 0;
  let kind = null;
  let body = cells;
  const named = header.findIndex((c) => c in HEADERS || c.toLowerCase() === "code");
  if (named >= 0) {
    column = named;
    kind = HEADERS[header[named]] ?? null;
    body = cells.slice(1);
  }
  return body.map((row) => row[column] ?? "").filter(Boolean).map((code) => subjectOfCode(code, kind));
}

/** A CSV's rows: comma-separated, a quoted cell may hold commas; enough for a list of codes. */
function csvRows(text) {
  return text.split(/\r?\n/).filter((line) => line.trim()).map((line) =>
    [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((m) => (m[1] ?? m[2] ?? "").replace(/""/g, '"')));
}

async function subjectsOfInput() {
  const file = $("batch-file").files[0];
  if (file) {
    if (/\.xlsx$/i.test(file.name)) return codesOfRows(await readSheet(file));
    return codesOfRows(csvRows(await file.text()));
  }
  return codesOfRows(csvRows($("batch-list").value));
}

// ---- one subject ----
const bindingText = (b) =>
  `${t("BindingKind", b.kind)}：${t("ListCode", b.listing.list)} ${b.listing.id}（${b.listing.department.name}，${b.listing.since} 起）` +
  (b.via ? `，经 ${b.via.name}${b.role ? ` 的${t("RoleType", b.role)}` : ""}` : "");

function measureItem(d, graph) {
  return h("li", { class: "deciding" },
    h("strong", {}, `${d.measure.nameZh}`), h("span", { class: "muted" }, ` ${d.measure.code}`),
    h("div", {}, bindingText(d.binding)),
    h("div", { class: "path" }, `路径：${pathText(d.binding.path, relationLabel)}`),
    graph ? h("button", { type: "button", class: "show-path", onclick: () => showPath(graph, d.binding.path) }, "在图上显示") : null);
}

/** Selects on the canvas the nodes of a path that are drawn (cytoscape's selection style marks them). */
function showPath(graph, path) {
  graph.cy.elements().unselect();
  for (const node of path.nodes) graph.cy.getElementById(node.key).select();
}

export function eligibilityView(answer, graph) {
  const refused = !answer.allowed;
  return h("div", { class: "eligibility", "data-allowed": String(answer.allowed) },
    h("p", { class: refused ? "verdict flag" : "verdict ok" },
      `${answer.subject.name}：${t("Scenario", answer.scenario)} — ${refused ? "不符合（受限制）" : "符合（未发现限制）"}，截至 ${answer.asOf}`),
    refused ? h("h4", {}, "决定性措施") : null,
    refused ? h("ul", {}, answer.decidingMeasures.map((d) => measureItem(d, graph))) : null,
    answer.incentives.length ? h("h4", {}, "激励措施") : null,
    answer.incentives.length ? h("ul", {}, answer.incentives.map((d) => measureItem(d, graph))) : null,
    h("h4", {}, "关联风险提示"),
    answer.warnings.length
      ? h("ul", {}, answer.warnings.map((w) => h("li", { class: "warning" }, `${t("RiskCode", w.code)}：${w.message}`,
          h("div", { class: "path" }, `路径：${pathText(w.path, relationLabel)}`))))
      : h("p", { class: "muted" }, "无"));
}

// ---- the batch ----
function itemRow(item) {
  const e = item.eligibility;
  const code = item.subject.uscc ?? item.subject.idNumberMasked ?? item.subject.id ?? "";
  if (!e) return [item.index + 1, code, "", "错误", "", "", errorText(item.error)];
  const measures = e.decidingMeasures.map((d) => `${d.measure.nameZh}（${bindingText(d.binding)}）`).join("；");
  const warnings = e.warnings.map((w) => w.message).join("；");
  return [item.index + 1, code, e.subject.name, e.allowed ? "符合" : "不符合", measures, warnings, ""];
}

const COLUMNS = ["序号", "代码", "名称", "结论", "决定性措施", "关联风险提示", "错误"];
let lastRows = [];

function renderTable(rows, scenario, asOf) {
  lastRows = rows;
  $("batch-export").disabled = rows.length === 0;
  $("batch-result").replaceChildren(
    h("p", { class: "muted" }, `${t("Scenario", scenario)}，截至 ${asOf}：${rows.length} 个对象，` +
      `${rows.filter((r) => r[3] === "不符合").length} 个不符合，${rows.filter((r) => r[3] === "错误").length} 个无法核查`),
    h("table", { id: "batch-table" },
      h("thead", {}, h("tr", {}, COLUMNS.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows.map((r) => h("tr", { class: r[3] === "不符合" ? "refused" : r[3] === "错误" ? "error" : "" },
        r.map((c) => h("td", {}, c)))))));
}

async function runBatch(status) {
  const scenario = $("scenario").value;
  const asOf = $("sanction-as-of").value || null;
  const subjects = await subjectsOfInput();
  if (subjects.length === 0) {
    status("名单为空：每行一个统一社会信用代码或身份证号，或上传 CSV / XLSX");
    return;
  }
  const items = [];
  for (let start = 0; start < subjects.length; start += SCREEN_LIMIT) {
    const { data } = await screen(subjects.slice(start, start + SCREEN_LIMIT), scenario, asOf);
    items.push(...data.screen.map((item) => ({ ...item, index: item.index + start })));
  }
  renderTable(items.map(itemRow), scenario, asOf ?? items.find((i) => i.eligibility)?.eligibility.asOf ?? "今日");
  status(`批量核查完成：${items.length} 个对象`);
}

async function exportTable() {
  const blob = await writeExcelFile([COLUMNS, ...lastRows]).toBlob();
  const link = h("a", { href: URL.createObjectURL(blob), download: `批量核查-${$("scenario").value}.xlsx` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/**
 * Wires the panel. `current()` is the party whose card is open (main.js), `graph` the drawing, `status` the
 * page's status line, `asOf()` the page's date (the panel's own date starts from it).
 */
export function initSanction({ current, graph, status, asOf }) {
  $("scenario").replaceChildren(...codes("Scenario").map((code) => h("option", { value: code }, t("Scenario", code))));
  const fail = (error) => status(`出错了：${error.message}`);
  $("check").addEventListener("click", async () => {
    const subject = current() && subjectOf(current());
    if (!subject) {
      $("eligibility").replaceChildren(h("p", { class: "muted" }, "先搜索并打开一个市场主体或自然人。"));
      return;
    }
    try {
      const { data, errors } = await eligibility(subject, $("scenario").value, $("sanction-as-of").value || asOf());
      $("eligibility").replaceChildren(data.eligibility
        ? eligibilityView(data.eligibility, graph)
        : h("p", { class: "flag" }, errorsText(errors)));
    } catch (error) {
      fail(error);
    }
  });
  $("batch-run").addEventListener("click", () => runBatch(status).catch(fail));
  $("batch-export").addEventListener("click", () => exportTable().catch(fail));
}
