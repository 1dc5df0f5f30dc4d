// The case file (案卷) of an entity: one print-ready HTML page — the card, the picture of the graph, the
// listings and, for each, whom it reaches and by which path — opened in a tab of its own; the browser prints
// it (or saves it as PDF). It holds only what the API answered this reader: the same queries as the page,
// with the reader's credential, so masked names stay masked and hidden records stay out.
import { xml as esc } from "./export.js";
import { errorsText, t } from "./labels.js";
import { relationLabel } from "./graph.js";
import { caseImpact, entityCard } from "./operations.js";
import { pathText } from "./overlay.js";

const list = (items, render, empty = "无") =>
  items.length ? `<ul>${items.map((x) => `<li>${render(x)}</li>`).join("")}</ul>` : `<p class="muted">${esc(empty)}</p>`;
const window_ = (since, until) => (until ? `${since ?? "…"} 至 ${until}` : since ? `${since} 起` : "");
const reason = (r) => (t("GradeReasonCode", r.code) !== r.code ? t("GradeReasonCode", r.code) : r.message);

const PRINT_CSS = `
body { font: 13px/1.55 "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; color: #111; max-width: 960px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; border-bottom: 2px solid #1f3b63; margin: 20px 0 6px; }
h3 { font-size: 14px; margin: 10px 0 4px; } .muted { color: #555; } .flag { color: #b71c1c; }
table.meta td { padding: 1px 12px 1px 0; vertical-align: top; } figure { margin: 8px 0; } figure img { max-width: 100%; border: 1px solid #ccc; }
ul { padding-left: 20px; margin: 2px 0; } .path { font-family: monospace; font-size: 12px; color: #333; }
.toolbar { margin-bottom: 12px; } .listing { break-inside: avoid; border-left: 3px solid #b71c1c; padding-left: 8px; margin: 8px 0; }
@media print {
  .toolbar { display: none; }
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; } figure, .listing { break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 15mm 12mm; @bottom-right { content: counter(page) " / " counter(pages); } }
}`;

function impactHtml(impact) {
  if (!impact) return '<p class="muted">影响范围未能读取。</p>';
  const persons = list(impact.boundPersons, (b) =>
    `${esc(t("RoleType", b.role))}：${esc(b.person.name)} <span class="muted">${esc(b.person.idNumberMasked)} · 任职 ${esc(window_(b.since, b.until))}` +
    `${b.bound ? " · 受约束" : ""}${b.current ? " · 现任" : ""}</span><div class="path">路径：${esc(pathText(b.path, relationLabel))}</div>`, "无受约束的相关责任人");
  const related = list(impact.relatedEntities, (r) =>
    `${esc(r.entity.name)} <span class="muted">${esc(r.entity.uscc)}</span>` +
    list(r.flags, (f) => `${esc(t("RelatedReason", f.reason))}<div class="path">路径：${esc(pathText(f.path, relationLabel))}</div>`), "无需关注的关联主体");
  return `<p class="muted">截至 ${esc(impact.asOf)}：${impact.inForce ? "名单在效" : "名单不在效"}${impact.windowStart ? ` · 责任期间自 ${esc(impact.windowStart)}` : ""}</p>` +
    `<h3>相关责任人</h3>${persons}<h3>关联主体</h3>${related}`;
}

function listingHtml(l, impact) {
  const measures = list(l.measures, (m) => `${esc(m.nameZh)} <span class="muted">（约束${esc(t("MeasureBinds", m.binds))}）</span>`);
  return `<section class="listing"><h3 class="flag">${esc(t("ListCode", l.list))} · ${esc(t("ListingStatus", l.status))}</h3>` +
    `<p>${esc(window_(l.since, l.until))} · ${esc(l.department.name)} · 编号 ${esc(l.id)}` +
    `${l.undisclosedBasis ? ` · <span class="muted">另有 ${esc(l.undisclosedBasis)} 条依据未向您公开</span>` : ""}</p>` +
    `<p>惩戒措施：</p>${measures}${impactHtml(impact)}</section>`;
}

/** The page itself, from the answers: `impacts` is one listing impact (or null) per listing, in order. */
export function caseFileHtml({ entity, errors, impacts, picture, asOf, reader }) {
  const e = entity;
  const listings = e.listings?.nodes ?? [];
  const records = e.records?.nodes ?? [];
  const roles = e.roles?.nodes ?? [];
  const meta = [
    ["统一社会信用代码", e.uscc], ["组织形式", t("EntityForm", e.form)], ["状态", t("EntityStatus", e.status)],
    ["成立日期", e.established], ["住所", e.address], ["隶属", e.parent?.name],
  ].filter(([, v]) => v).map(([k, v]) => `<tr><td class="muted">${esc(k)}</td><td>${esc(v)}</td></tr>`).join("");
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>案卷 · ${esc(e.name)}</title><style>${PRINT_CSS}</style></head><body>
<p class="toolbar muted">本页为打印版：使用浏览器的“打印”（Ctrl+P），可另存为 PDF。</p>
<h1>案卷：${esc(e.name)}</h1>
<p class="muted">信息截至 ${esc(asOf)} · 生成于 ${esc(new Date().toISOString().slice(0, 19).replace("T", " "))} UTC · 读者角色 ${esc(reader)} · 仅含向该读者提供的信息</p>
<h2>基本信息</h2><table class="meta">${meta}</table>
<h2>信用等级</h2>${e.grade ? `<p><strong>${esc(t("CreditGrade", e.grade.grade))}</strong> <span class="muted">（截至 ${esc(e.grade.asOf)}）</span></p>${list(e.grade.reasons, (r) => esc(reason(r)))}` : '<p class="muted">未能读取</p>'}
<h2>关系图</h2>${picture ? `<figure><img alt="${esc(e.name)} 的关系图（截至 ${esc(asOf)}）" src="${picture}"><figcaption class="muted">截至 ${esc(asOf)} 的关系图</figcaption></figure>` : '<p class="muted">关系图为空</p>'}
<h2>在列名单、惩戒措施及影响范围（${listings.length}）</h2>${listings.length ? listings.map((l, i) => listingHtml(l, impacts[i])).join("") : '<p class="muted">无</p>'}
<h2>相关责任人（任职期间）</h2>${list(roles, (r) => `${esc(t("RoleType", r.role))}：${esc(r.person.name)} <span class="muted">${esc(r.person.idNumberMasked)} · ${esc(window_(r.since, r.until))}</span>`)}
<h2>信用记录（${esc(e.records?.totalCount ?? 0)}）</h2>${list(records, (r) => `${esc(r.decidedOn)} ${esc(t("RecordCategory", r.category))} · ${esc(t("Polarity", r.polarity))} · ${esc(t("Disclosure", r.disclosure))} · ${esc(r.department.name)}${r.summary ? `<div class="muted">${esc(r.summary)}</div>` : ""}`)}
<h2>信用承诺</h2>${e.commitments ? list(e.commitments, (c) => `${esc(t("CommitmentType", c.type))}：${esc(c.matter)} <span class="muted">${esc(c.madeOn)} · ${esc(t("CommitmentState", c.state))}</span>`) : '<p class="muted">无权查看</p>'}
${errors.length ? `<p class="muted">部分内容未向您提供：${esc(errorsText(errors))}</p>` : ""}
</body></html>`;
}

/**
 * Builds the case file of `uscc` as of `asOf` and shows it in `target` (a tab opened at the click, so that no
 * popup blocker stands between the reader and it). Returns the page's HTML.
 */
export async function openCaseFile({ uscc, asOf, picture, reader, target }) {
  if (!target) throw new Error("浏览器阻止了新标签页：请允许本站打开新窗口");
  const { data, errors } = await entityCard(uscc, asOf);
  if (!data.entity) throw new Error(errorsText(errors) || "没有该市场主体");
  const listings = data.entity.listings?.nodes ?? [];
  const impacts = await Promise.all(listings.map((l) =>
    caseImpact(l.id, asOf).then(({ data: d }) => d.listingImpact, () => null)));
  const html = caseFileHtml({ entity: data.entity, errors, impacts, picture, asOf, reader });
  const url = URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" }));
  target.location.replace(url);
  return html;
}
