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

// ---- explanations on the picture (impact.js, control.js, pathfind.js) ----
const PATH = "nodes { kind key id name } steps { relation fromKey toKey since until ratio }";

const LISTING_IMPACT = `query ListingImpact($listing: String!, $maxHops: Int!, $asOf: Date) {
  listingImpact(listing: $listing, maxHops: $maxHops, asOf: $asOf) {
    listing { id list since until department { name } }
    subject { kind key id name }
    asOf inForce windowStart
    boundPersons { person { name idNumberMasked } personKey role since until bound current path { ${PATH} } }
    currentRepresentatives { person { name } personKey role since until bound current }
    relatedEntities { entity { uscc name } flags { reason path { ${PATH} } } }
  }
}`;

/** Whom a listing (by its recorded id, `listingId`) reaches as of a day. */
export const listingImpact = (listing, asOf, maxHops = 2) => post(LISTING_IMPACT, { listing, maxHops, asOf });

const OWNER = `party { kind key id name } share paths { ${PATH} }`;

// Two answers in one request: the beneficial owners at the API's threshold (the default), and every owner
// above a share too small to matter, whose paths together are the ownership tree drawn.
// Downward in the same request: the firms the entity holds and the firms those hold (Holding.entity is a full
// Entity), largest share first, at most 30 and 10 of each.
const HELD = `totalCount nodes { ratio since entity { uscc name
  holdings(first: 10, where: { activeOn: $asOf }) { totalCount nodes { ratio since entity { uscc name } } } } }`;

const CONTROL = `query Control($uscc: USCC!, $asOf: Date, $everyone: Float!) {
  controllers(uscc: $uscc, asOf: $asOf) {
    entity { uscc name } asOf threshold truncated
    declared { name idNumberMasked }
    inferred { ${OWNER} }
    beneficialOwners { ${OWNER} }
  }
  tree: controllers(uscc: $uscc, asOf: $asOf, threshold: $everyone) { truncated beneficialOwners { ${OWNER} } }
  held: entity(uscc: $uscc) { holdings(first: 30, where: { activeOn: $asOf }) { ${HELD} } }
}`;

export const control = (uscc, asOf) => post(CONTROL, { uscc, asOf, everyone: 1e-9 });

const PATHS = `query Paths($from: SubjectInput!, $to: SubjectInput!, $maxHops: Int!, $asOf: Date) {
  paths(from: $from, to: $to, maxHops: $maxHops, asOf: $asOf, limit: 20) { ${PATH} }
}`;

export const paths = (from, to, asOf, maxHops = 4) => post(PATHS, { from, to, maxHops, asOf });

const PERSON_LISTINGS = `query PersonListings($subject: SubjectInput!, $asOf: Date) {
  exposure(subject: $subject, asOf: $asOf) { bindings { kind role via { uscc name } listing { id list since until } } }
}`;

/** The listings in force that bind a party (a person's card lists them, each with its impact one click away). */
export const personListings = (subject, asOf) => post(PERSON_LISTINGS, { subject, asOf });
// ---- the sanctions check (sanction.js) ----
const DECIDING = `measure { code nameZh }
    binding { kind role via { uscc name } listing { id list since until department { name } } path { ${PATH} } }`;
const ELIGIBILITY_ANSWER = `subject { kind key name } scenario asOf allowed
    decidingMeasures { ${DECIDING} } incentives { ${DECIDING} }
    warnings { code message path { ${PATH} } }`;

const ELIGIBILITY = `query Eligibility($subject: SubjectInput!, $scenario: Scenario!, $asOf: Date) {
  eligibility(subject: $subject, scenario: $scenario, asOf: $asOf) { ${ELIGIBILITY_ANSWER} }
}`;

export const eligibility = (subject, scenario, asOf) => post(ELIGIBILITY, { subject, scenario, asOf });

const SCREEN = `query Screen($subjects: [ScreenSubjectInput!]!, $scenario: Scenario!, $asOf: Date) {
  screen(subjects: $subjects, scenario: $scenario, asOf: $asOf) {
    index subject { uscc idNumberMasked id } error { code message reason }
    eligibility { ${ELIGIBILITY_ANSWER} }
  }
}`;

/** At most 500 subjects per call (the API's limit): sanction.js sends longer lists in chunks. */
export const screen = (subjects, scenario, asOf) => post(SCREEN, { subjects, scenario, asOf });

// Who the server says is reading (the role shown in the header): what the credential says, nothing more.
const VIEWER = `query Viewer { viewer { userId role departmentCode uscc purpose } }`;

export const viewer = () => post(VIEWER, {});

const CASE_IMPACT = `query CaseImpact($listing: String!, $asOf: Date) {
  listingImpact(listing: $listing, asOf: $asOf) {
    asOf inForce windowStart
    boundPersons { person { name idNumberMasked } role since until bound current path { ${PATH} } }
    relatedEntities { entity { uscc name } flags { reason path { ${PATH} } } }
  }
}`;

/** The impact of one listing for the case file: whom it reaches and why, each path as text. */
export const caseImpact = (listing, asOf) => post(CASE_IMPACT, { listing, asOf });
