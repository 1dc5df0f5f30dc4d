// Runs two of the README's example operations and prints what a portal would show, as one JSON line.
// GRAPH_API_URL (default http://127.0.0.1:8000/graphql, `make run`) and GRAPH_API_TOKEN (optional).
import { createClient } from "./client.js";
import { EntityDocument, SearchDocument } from "./generated/graphql.js";
import { asUSCC } from "./scalars.js";

const endpoint = process.env.GRAPH_API_URL ?? "http://127.0.0.1:8000/graphql";
const token = process.env.GRAPH_API_TOKEN;
const client = createClient(token === undefined ? { endpoint } : { endpoint, token });

const search = await client.request(SearchDocument);
const hits = search.data?.search.edges.map(({ node }) => `${node.kind} ${node.name}`) ?? [];

// A missing entity is null beside the errors (NOT_FOUND) and must be handled before any field is read.
const answer = await client.request(EntityDocument);
const entity = answer.data?.entity ?? null;
if (entity === null) {
  console.error(`no entity: ${answer.errors.map((e) => `${e.extensions?.code ?? "?"} ${e.message}`).join("; ")}`);
  process.exit(1);
}
const listing = entity.listings.nodes[0];
const summary = {
  uscc: asUSCC("91310107MA49M30279"),
  hits,
  name: entity.name,
  status: entity.status,
  listing: listing === undefined ? null : { id: listing.listingId, since: listing.since, measures: listing.measures.length },
  legalRepresentative: entity.roles.nodes[0]?.person.name ?? null,
  records: entity.records.edges.map(({ node }) => ({ id: node.recordId, severity: node.severity ?? "NONE", on: node.decidedOn })),
  totalCount: entity.records.totalCount,
  more: entity.records.pageInfo.hasNextPage,
  errors: [...search.errors, ...answer.errors].map((e) => e.extensions?.code ?? e.message),
};
console.log(JSON.stringify(summary));
