// The reader's credential, kept in sessionStorage: it lives as long as the tab, is not shared with other tabs,
// and is gone when the tab closes. Without one the page reads as the public does.
import { errorsText } from "./labels.js";

const KEY = "explore.credential";

/** @typedef {{kind: "bearer" | "apiKey", secret: string, purpose: string}} Credential */

/** @returns {Credential | null} */
export function credential() {
  const raw = sessionStorage.getItem(KEY);
  return raw ? JSON.parse(raw) : null;
}

/** A JWT is three base64url parts separated by dots; anything else is taken for an API key. */
export function signIn(secret, purpose) {
  const trimmed = secret.trim();
  const kind = /^[\w-]+\.[\w-]+\.[\w-]+$/.test(trimmed) ? "bearer" : "apiKey";
  sessionStorage.setItem(KEY, JSON.stringify({ kind, secret: trimmed, purpose: purpose.trim() }));
}

export function signOut() {
  sessionStorage.removeItem(KEY);
}

function headers() {
  const h = { "content-type": "application/json", accept: "application/graphql-response+json, application/json" };
  const c = credential();
  if (c?.kind === "bearer") h.authorization = `Bearer ${c.secret}`;
  if (c?.kind === "apiKey") h["x-api-key"] = c.secret;
  // The purpose of reading personal data travels percent-encoded (headers are ASCII; purposes are Chinese).
  if (c?.purpose) h["x-purpose"] = encodeURIComponent(c.purpose);
  return h;
}

export class GraphQLErrors extends Error {
  constructor(errors) {
    super(errorsText(errors));
    this.errors = errors;
  }
}

/**
 * One GraphQL request to this service. Returns `{data, errors}`: a field the reader may not read comes back as
 * an error beside the rest of the answer, which still stands; no data at all throws.
 */
export async function post(query, variables) {
  let response;
  try {
    response = await fetch("/graphql", { method: "POST", headers: headers(), body: JSON.stringify({ query, variables }) });
  } catch {
    throw new GraphQLErrors([{ message: "无法连接服务，请检查网络后重试" }]);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new GraphQLErrors([{ message: `服务答复无法读取（HTTP ${response.status}）` }]);
  }
  if (!body.data) throw new GraphQLErrors(body.errors ?? [{ message: `服务答复无法读取（HTTP ${response.status}）` }]);
  return { data: body.data, errors: body.errors ?? [] };
}
