"""The Chinese labels of every code a person reads: legal forms, statuses, roles, record categories,
severities, lists, reasons, scenarios, grades. The API answers with codes (clients compare them); pages and
texts meant for people (the credit report, enum descriptions in the schema) show these labels. One table, so
a code reads the same on every page; tests/unit/test_labels.py fails when a code has no label.

Keys are the names of the closed sets as the GraphQL schema calls them."""

from __future__ import annotations

from collections.abc import Mapping

LABELS: Mapping[str, Mapping[str, str]] = {
    "EntityForm": {
        "COMPANY": "公司",
        "PARTNERSHIP": "合伙企业",
        "INDIVIDUAL_BUSINESS": "个体工商户",
        "FARMERS_COOPERATIVE": "农民专业合作社",
        "SOCIAL_ORGANIZATION": "社会组织",
        "PUBLIC_INSTITUTION": "事业单位",
        "RURAL_COLLECTIVE": "农村集体经济组织",
        "OTHER": "其他",
    },
    "EntityStatus": {"ACTIVE": "存续", "SUSPENDED": "歇业", "REVOKED": "吊销", "DEREGISTERED": "注销"},
    "RoleType": {
        "LEGAL_REPRESENTATIVE": "法定代表人",
        "PRINCIPAL": "主要负责人",
        "ACTUAL_CONTROLLER": "实际控制人",
        "DIRECTOR": "董事",
        "SUPERVISOR": "监事",
        "MANAGER": "高级管理人员",
    },
    "RecordCategory": {
        "LICENSE": "行政许可",
        "PENALTY": "行政处罚",
        "COERCIVE_MEASURE": "行政强制",
        "CONFIRMATION": "行政确认",
        "LEVY": "行政征收",
        "PAYMENT": "行政给付",
        "ADJUDICATION": "行政裁决",
        "COMPENSATION": "行政补偿",
        "REWARD": "行政奖励",
        "INSPECTION": "行政检查",
        "JUDGMENT_DEFAULT": "拒不履行生效裁判",
        "FALSE_LITIGATION": "虚假诉讼",
        "COMPLAINT": "投诉举报",
        "COMMITMENT_BREACH": "违背信用承诺",
        "INTERVIEW": "信用约谈",
        "HONOR": "荣誉表彰",
        "DONATION": "慈善捐赠",
        "VOLUNTEER": "志愿服务",
        "SELF_DECLARED": "自主申报",
    },
    "Polarity": {"NEGATIVE": "失信", "POSITIVE": "守信", "NEUTRAL": "中性"},
    "Severity": {"MINOR": "轻微", "GENERAL": "一般", "SERIOUS": "严重"},
    "Disclosure": {"PUBLIC": "社会公开", "SHARED": "政务共享", "RESTRICTED": "授权查询"},
    "RecordStatus": {
        "ACTIVE": "有效",
        "REPAIRED": "已修复",
        "CORRECTED": "已更正",
        "REVOKED": "已撤销",
        "EXPIRED": "公示期满",
    },
    "ListCode": {
        "JOINT_PUNISHMENT": "失信联合惩戒对象名单",
        "KEY_ATTENTION": "重点关注对象名单",
        "RED": "守信红名单",
    },
    "ListingStatus": {"ACTIVE": "在列", "DELISTED": "已移出", "REPAIRED": "信用修复移出", "WITHDRAWN": "已撤销"},
    "IdType": {"RIC": "居民身份证", "PASSPORT": "护照", "OTHER": "其他证件"},
    "NodeKind": {
        "ENTITY": "市场主体",
        "PERSON": "自然人",
        "LISTING": "名单认定",
        "RECORD": "信用记录",
        "DEPARTMENT": "部门",
    },
    "BindingKind": {"DIRECT": "直接列入", "RESPONSIBLE_PERSON": "相关责任人"},
    "RelatedReason": {
        "OWNED": "受列入主体控制",
        "SHARED_RESPONSIBLE_PERSON": "与列入主体有共同责任人",
        "REAPPEARANCE": "责任人列入后另任",
    },
    "Scenario": {
        "BIDDING": "招标投标",
        "FISCAL_FUNDS": "财政资金支持",
        "TAX_INCENTIVE": "税收优惠",
        "STOCK_ISSUANCE": "股票发行",
        "CREDIT": "融资授信",
        "FAST_TRACK": "容缺受理等便利措施",
        "HONOURS": "评优评先",
        "APPOINTMENT_LEGAL_REP": "担任法定代表人",
        "APPOINTMENT_OFFICER": "担任董事、监事、高级管理人员",
    },
    "CommitmentType": {
        "APPROVAL_SUBSTITUTION": "告知承诺（容缺受理）",
        "VOLUNTARY": "主动型承诺",
        "INDUSTRY_SELF_DISCIPLINE": "行业自律型承诺",
        "CREDIT_REPAIR": "信用修复型承诺",
    },
    "CommitmentState": {"PENDING": "履行中", "OVERDUE": "逾期未履行", "FULFILLED": "已履行", "BREACHED": "已违诺"},
    "RepairMethod": {
        "COMMITMENT": "作出信用承诺",
        "RECTIFICATION": "完成整改",
        "VERIFICATION": "核查认定",
        "TRAINING": "参加信用修复培训",
        "CREDIT_REPORT": "提交信用报告",
        "PUBLIC_INTEREST": "参与公益慈善活动",
    },
    "RepairStatus": {"PENDING": "待审核", "APPROVED": "准予修复", "REFUSED": "不予修复"},
    "ObjectionStatus": {"OPEN": "处理中", "UPHELD": "异议成立", "REJECTED": "异议不成立"},
    "TargetKind": {"RECORD": "信用记录", "LISTING": "名单认定"},
    "TaskStatus": {
        "PENDING": "待执行",
        "EXECUTED": "已执行",
        "DECLINED": "不予执行",
        "ENDED": "随名单终止",
        "WITHDRAWN": "随名单撤回",
    },
    "TaskOutcome": {"EXECUTED": "已执行", "DECLINED": "不予执行"},
    "CreditGrade": {
        "A": "A级（诚实守信）",
        "B": "B级（守法守信）",
        "C": "C级（轻微失信）",
        "D": "D级（一般失信）",
        "E": "E级（严重失信）",
    },
    # Sort orders of lists, for the schema's descriptions.
    "OrderDirection": {"ASC": "升序", "DESC": "降序"},
    "RecordOrderField": {"DECIDED_ON": "决定日期", "PUBLISHED_ON": "公示日期"},
    "RoleOrderField": {"SINCE": "任职起始日期", "UNTIL": "任职终止日期", "ROLE": "职务"},
    "HoldingOrderField": {"RATIO": "持股比例", "SINCE": "持股起始日期", "UNTIL": "持股终止日期"},
    "ListingOrderField": {"SINCE": "列入日期", "UNTIL": "移出日期"},
    # Grade reasons (data/grades.json codes, and disclosure.UNDISCLOSED_CODE): strings in the schema.
    "GradeReason": {
        "JOINT_PUNISHMENT_LISTED": "列入失信联合惩戒对象名单",
        "KEY_ATTENTION_LISTED": "列入重点关注对象名单",
        "BANNED": "处于市场或行业禁入期",
        "COMMITMENT_BREACH": "违背信用承诺且未修复",
        "SERIOUS_RECORD": "有效的严重失信记录",
        "GENERAL_RECORD": "有效的一般失信记录",
        "MINOR_RECORD": "有效的轻微失信记录",
        "POSITIVE_EVIDENCE": "有守信激励信息，近三年无失信记录或惩戒名单",
        "RECENT_NEGATIVE": "近三年有失信记录或惩戒名单，不评为A级",
        "NO_ADVERSE_FACTS": "无有效失信记录、惩戒名单或禁入",
        "UNDISCLOSED_RECORD": "依据未向您公开的记录",
    },
    "ActorRole": {
        "PUBLIC": "社会公众",
        "ENTITY": "市场主体",
        "OFFICER": "部门工作人员",
        "INVESTIGATOR": "调查人员",
        "SANCTIONS": "惩戒审核人员",
        "ADMIN": "系统管理员",
    },
}


def label(kind: str, code: str) -> str:
    """The label of a code, or the code itself for one the table does not know (a new code shows as
    itself rather than failing a page; the unit test keeps the table complete)."""
    return LABELS.get(kind, {}).get(code, code)
