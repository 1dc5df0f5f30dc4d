// The Chinese labels of the API's codes, from the service (/explore/labels.json is graph_api/domain/labels.py,
// the table the schema's enum descriptions and the credit report use): one source, no copy in this bundle.
let table = {};

export async function loadLabels() {
  const response = await fetch("/explore/labels.json");
  table = await response.json();
}

/** The label of a code, or the code itself when the table has none (a new code shows rather than breaks). */
export function t(kind, code) {
  if (code === null || code === undefined) return "";
  return table[kind]?.[code] ?? String(code);
}

/** The codes of a kind, in the table's order (the options of a select). */
export function codes(kind) {
  return Object.keys(table[kind] ?? {});
}

// The finer reasons an error may carry (`extensions.reason`, ScreenError.reason). They are not an enum of the
// schema, so labels.json (one label per schema enum value) has none; an unknown one shows as its code.
const REASONS = {
  INVALID_USCC: "统一社会信用代码格式或校验位有误",
  INVALID_ID_NUMBER: "身份证号格式或校验位有误",
  PURPOSE_REQUIRED: "须先填写查询事由",
  NOT_YOUR_DEPARTMENT: "非本部门事项",
};

/**
 * An API error for a person to read: the Chinese label of its ErrorCode and of its reason, if any. The API's
 * message is English and for developers; it shows only when the error has no code the table knows (a network
 * failure, an unexpected answer).
 */
export function errorText(error) {
  const code = error?.code ?? error?.extensions?.code;
  const reason = error?.reason ?? error?.extensions?.reason;
  if (!code || !table.ErrorCode?.[code]) return error?.message ?? String(error);
  return reason ? `${t("ErrorCode", code)}：${REASONS[reason] ?? reason}` : t("ErrorCode", code);
}

/** Several errors as one line, each text once. */
export const errorsText = (errors) => [...new Set(errors.map(errorText))].join("；");
