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
