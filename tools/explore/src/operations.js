// Every GraphQL operation the workbench sends, in one file: the frontend teams' reference for reading the
// public API. Each function returns `{data, errors}` (see session.post); the page renders what came back.
import { post } from "./session.js";

const SEARCH = `query Search($query: String!, $first: Int!) {
  search(query: $query, first: $first) {
    edges { node { kind key name idNumberMasked score } }
  }
}`;

export const search = (query, first = 12) => post(SEARCH, { query, first });

const ENTITY_CARD = `query EntityCard($uscc: USCC!, $asOf: Date) {
  entity(uscc: $uscc) {
    uscc name form status region industry established registeredCapital address
    parent { uscc name }
    grade(asOf: $asOf) { grade asOf reasons { code message recordId listingId } }
    listings(first: 50, where: { activeOn: $asOf }) {
      totalCount
      nodes {
        id list since until status undisclosedBasis basis
        department { code name }
        measures { code nameZh binds scenarios }
      }
    }
    records(first: 100) {
      totalCount
      nodes { id category polarity severity decisionNo decidedOn publishedOn summary disclosure status department { name } }
    }
    roles(first: 100) {
      totalCount
      nodes { role since until person { name idNumberMasked } }
    }
    commitments { id type matter madeOn dueOn state closedOn department { name } }
  }
}`;

export const entityCard = (uscc, asOf) => post(ENTITY_CARD, { uscc, asOf });

const NEIGHBORHOOD = `query Neighborhood($node: SubjectInput!, $hops: Int!, $limit: Int!, $asOf: Date) {
  neighborhood(node: $node, hops: $hops, limit: $limit, asOf: $asOf) {
    center truncated
    nodes { kind key name listed bound }
    edges { relation fromKey toKey since until ratio }
  }
}`;

export const neighborhood = (subject, asOf, hops = 1, limit = 200) =>
  post(NEIGHBORHOOD, { node: subject, hops, limit, asOf });

/**
 * The one place that turns a node of the drawing into the API's SubjectInput. Today SubjectInput takes a USCC
 * or a clear identity number, and the graph and search give a person only as an opaque key, so a person can be
 * shown but not expanded or opened. When the API gives `Node` ids (`node(id:)`, `SubjectInput.id`), return
 * `{ id: node.id }` here for every kind and persons expand like entities.
 * @param {{kind: string, key: string}} node
 * @returns {{uscc: string} | null}
 */
export function subjectOf(node) {
  return node.kind === "ENTITY" ? { uscc: node.key } : null;
}
