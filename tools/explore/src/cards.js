// The entity and person cards (the right-hand panel): what the API says of one party, in Chinese.
import { h, window_ } from "./dom.js";
import { errorsText, t } from "./labels.js";

const section = (title, ...body) => h("section", { class: "card-section" }, h("h3", {}, title), ...body);
const none = (text = "无") => h("p", { class: "muted" }, text);

function gradeSection(grade) {
  if (!grade) return section("信用等级", none("未能读取"));
  return section(
    "信用等级",
    h("p", { class: `grade grade-${grade.grade}` }, t("CreditGrade", grade.grade), h("span", { class: "muted" }, ` （截至 ${grade.asOf}）`)),
    // The label says the reason in Chinese; the API's message (English) only for a code the table lacks.
    h("ul", {}, grade.reasons.map((r) => h("li", {}, t("GradeReasonCode", r.code) !== r.code ? t("GradeReasonCode", r.code) : r.message))),
  );
}

function listingsSection(listings, onImpact) {
  const rows = listings?.nodes ?? [];
  return section(
    "在列名单与惩戒措施",
    rows.length === 0
      ? none()
      : h("ul", {}, rows.map((l) =>
          h("li", { class: `listing list-${l.list}` },
            h("strong", {}, t("ListCode", l.list)), ` ${t("ListingStatus", l.status)} · ${window_(l.since, l.until)} · ${l.department.name} · 编号 ${l.id}`,
            l.undisclosedBasis ? h("span", { class: "muted" }, ` · 另有 ${l.undisclosedBasis} 条依据未向您公开`) : null,
            onImpact ? [" ", h("button", { type: "button", class: "impact", "data-listing": l.id, "aria-label": `在图中查看${t("ListCode", l.list)}（${l.id}）的影响范围`, onclick: () => onImpact(l) }, "影响范围")] : null,
            h("ul", {}, l.measures.map((m) => h("li", {}, m.nameZh, h("span", { class: "muted" }, ` （约束${t("MeasureBinds", m.binds)}）`)))),
          ))),
  );
}

function recordsSection(records) {
  const rows = records?.nodes ?? [];
  if (rows.length === 0) return section("信用记录", none());
  const byDisclosure = Map.groupBy ? Map.groupBy(rows, (r) => r.disclosure) : group(rows, (r) => r.disclosure);
  return section(
    `信用记录（${records.totalCount}）`,
    ...["PUBLIC", "SHARED", "RESTRICTED"].filter((d) => byDisclosure.has(d)).map((d) =>
      h("div", { class: "disclosure" },
        h("h4", {}, t("Disclosure", d)),
        h("ul", {}, byDisclosure.get(d).map((r) =>
          h("li", {},
            `${r.decidedOn} ${t("RecordCategory", r.category)}`,
            r.severity ? ` · ${t("Severity", r.severity)}` : "",
            ` · ${t("Polarity", r.polarity)} · ${t("RecordStatus", r.status)} · ${r.department.name}`,
            r.summary ? h("div", { class: "muted" }, r.summary) : null,
          ))),
      )),
  );
}

function group(rows, key) {
  const map = new Map();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return map;
}

function rolesSection(roles) {
  const rows = roles?.nodes ?? [];
  return section(
    "相关责任人（任职期间）",
    rows.length === 0
      ? none()
      : h("ul", {}, rows.map((r) =>
          h("li", { class: r.until ? "past" : "current" },
            `${t("RoleType", r.role)}：${r.person.name}`,
            h("span", { class: "muted" }, ` ${r.person.idNumberMasked} · ${window_(r.since, r.until)}`)))),
  );
}

function commitmentsSection(commitments) {
  if (!commitments) return section("信用承诺", none("无权查看"));
  return section(
    "信用承诺",
    commitments.length === 0
      ? none()
      : h("ul", {}, commitments.map((c) =>
          h("li", {}, `${t("CommitmentType", c.type)}：${c.matter}`,
            h("span", { class: "muted" }, ` · ${c.madeOn} 作出${c.dueOn ? `，${c.dueOn} 到期` : ""} · ${t("CommitmentState", c.state)} · ${c.department.name}`)))),
  );
}

/**
 * The card of an entity; `errors` are the fields the reader may not read (shown, not hidden). `actions` are the
 * explanations' entry points: onImpact(listing) and onControl().
 */
export function entityCard(entity, errors, onExpand, actions = {}) {
  return h("article", { class: "card", "aria-label": `市场主体 ${entity.name}` },
    h("h2", {}, entity.name),
    h("p", { class: "muted" }, `${entity.uscc} · ${t("EntityForm", entity.form)} · ${t("EntityStatus", entity.status)}`,
      entity.established ? ` · 成立于 ${entity.established}` : ""),
    entity.address ? h("p", { class: "muted" }, entity.address) : null,
    entity.parent ? h("p", {}, `分支机构，隶属 ${entity.parent.name}`) : null,
    h("p", { class: "actions" },
      h("a", { href: `/report/${encodeURIComponent(entity.uscc)}`, target: "_blank", rel: "noopener", id: "report-link" }, "信用报告"),
      " ",
      h("button", { type: "button", "aria-label": `在关系图中展开 ${entity.name}`, onclick: onExpand }, "在图中展开"),
      actions.onControl ? [" ", h("button", { type: "button", id: "control-open", "aria-label": `查看 ${entity.name} 的股权穿透`, onclick: actions.onControl }, "股权穿透")] : null),
    gradeSection(entity.grade),
    listingsSection(entity.listings, actions.onImpact),
    recordsSection(entity.records),
    rolesSection(entity.roles),
    commitmentsSection(entity.commitments),
    errors.length ? h("p", { class: "muted", role: "note" }, `部分内容未向您提供：${errorsText(errors)}`) : null,
  );
}

/**
 * The card of a person, from what the page knows without the person's identity number: the name as the reader
 * may see it and the relations in the drawing (the API opens a person by identity number or, later, Node id).
 */
export function personCard(person, relations) {
  return h("article", { class: "card", "aria-label": `自然人 ${person.name}` },
    h("h2", {}, person.name),
    person.idNumberMasked ? h("p", { class: "muted" }, person.idNumberMasked) : null,
    person.listed ? h("p", { class: "flag" }, "本人在惩戒或重点关注名单") : null,
    person.bound ? h("p", { class: "flag" }, "作为失信主体的相关责任人受约束") : null,
    section("图中的关系",
      relations.length === 0
        ? none("尚未在图中出现")
        : h("ul", {}, relations.map((r) => h("li", {}, `${r.label}：${r.other}`, h("span", { class: "muted" }, ` ${window_(r.since, r.until)}`))))),
    h("p", { class: "muted" }, "自然人的完整信息与展开需按身份证号查询（或待节点 ID 上线）。"),
  );
}
