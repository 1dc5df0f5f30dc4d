// Every GraphQL operation the workbench sends, in one file: the frontend teams' reference for reading the
// public API. Each function returns `{data, errors}` (see session.post); the page renders what came back.
import { post } from "./session.js";

const SEARCH = `query Search($query: String!, $first: Int!) {
  search(query: $query, first: $first) {
    edges { node { kind key id name idNumberMasked score } }
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
        id: listingId list since until status undisclosedBasis basis
        department { code name }
        measures { code nameZh binds scenarios }
      }
    }
    records(first: 100) {
      totalCount
      nodes { id: recordId category polarity severity decisionNo decidedOn publishedOn summary disclosure status department { name } }
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
    nodes { kind key id name listed bound }
    edges { relation fromKey toKey since until ratio }
  }
}`;

export const neighborhood = (subject, asOf, hops = 1, limit = 200) =>
  post(NEIGHBORHOOD, { node: subject, hops, limit, asOf });

/**
 * The one place that turns a node of the drawing into the API's SubjectInput: an entity by its USCC, a person by
 * its global id (`GraphNode.id` or `SearchHit.id`, kept as `gid`: cytoscape's `id` is the key), so persons expand like entities without a clear
 * identity number. Opening a person is a personal read: the API checks the reader's role and purpose, and a
 * refusal comes back as an error the page shows.
 * @param {{kind: string, key: string, gid?: string}} node
 * @returns {{uscc: string} | {id: string} | null}
 */
export function subjectOf(node) {
  if (node.kind === "ENTITY") return { uscc: node.key };
  return node.gid ? { id: node.gid } : null;
}

// Who the server says is reading (the role shown in the header): what the credential says, nothing more.
const VIEWER = `query Viewer { viewer { userId role departmentCode uscc purpose } }`;

export const viewer = () => post(VIEWER, {});

const CASE_IMPACT = `query CaseImpact($listing: String!, $asOf: Date) {
  listingImpact(listing: $listing, asOf: $asOf) {
    asOf inForce windowStart
    boundPersons { person { name idNumberMasked } role since until bound current path { text } }
    relatedEntities { entity { uscc name } flags { reason path { text } } }
  }
}`;

/** The impact of one listing for the case file: whom it reaches and why, each path as text. */
export const caseImpact = (listing, asOf) => post(CASE_IMPACT, { listing, asOf });
