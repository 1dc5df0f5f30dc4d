// A small GraphQL-over-HTTP client on fetch (browsers and Node 20 have it), typed by the documents
// codegen generates: the answer's type is the operation's, variables are required exactly when the
// operation has some.
import type { DocumentTypeDecoration } from "@graphql-typed-document-node/core";

export interface GraphQLError {
  readonly message: string;
  readonly path?: ReadonlyArray<string | number>;
  /** `code` is the API's error code (README, "GraphQL"), e.g. NOT_FOUND, BAD_USER_INPUT, RATE_LIMITED. */
  readonly extensions?: { readonly code?: string; readonly [key: string]: unknown };
}

/** A GraphQL answer: data and errors may come together (a field that failed is null beside the others). */
export interface GraphQLResponse<TData> {
  readonly status: number;
  readonly data: TData | null;
  readonly errors: readonly GraphQLError[];
}

/** The server answered something that is not a GraphQL response (a proxy's page, a body that is not JSON). */
export class GraphQLHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}: not a GraphQL response`);
  }
}

export interface ClientOptions {
  /** The endpoint, e.g. http://127.0.0.1:8000/graphql. */
  readonly endpoint: string | URL;
  /** A bearer token (`graph-api token …`); without one the API answers as it answers the public. */
  readonly token?: string;
  /** Why personal data is read (sent as `x-purpose`), as investigators and sanctions officers must say. */
  readonly purpose?: string;
  readonly fetch?: typeof fetch;
}

type Document<TData, TVariables> = DocumentTypeDecoration<TData, TVariables> & { toString(): string };
type VariablesArgument<TVariables> =
  TVariables extends Record<string, never> ? [variables?: TVariables] : [variables: TVariables];

export interface Client {
  request<TData, TVariables>(
    document: Document<TData, TVariables>,
    ...variables: VariablesArgument<TVariables>
  ): Promise<GraphQLResponse<TData>>;
}

export function createClient(options: ClientOptions): Client {
  const send = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/graphql-response+json, application/json",
  };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  // A header carries ASCII only: the purpose is Chinese, so it goes percent-encoded UTF-8, as the API reads it.
  if (options.purpose !== undefined) headers["x-purpose"] = encodeURIComponent(options.purpose);
  return {
    async request(document, ...[variables]) {
      const response = await send(options.endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
      });
      const text = await response.text();
      let body: { data?: unknown; errors?: GraphQLError[] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new GraphQLHttpError(response.status, text);
      }
      if (typeof body !== "object" || body === null || (!("data" in body) && !("errors" in body))) {
        throw new GraphQLHttpError(response.status, text);
      }
      // The document's type is the server's answer to it: codegen derived it from the same schema.
      return { status: response.status, data: (body.data ?? null) as never, errors: body.errors ?? [] };
    },
  };
}
