// The peer for bench/peer_bench.py: @neo4j/graphql on Apollo Server over the graph that graph-api writes
// (the labels, relationship types and property names of cypher/import.cypher and cypher/schema.cypher),
// so the same Neo4j answers both servers. Read-only: no mutations are generated, no authorization rules
// (the peer reads names and masked identity numbers as stored; it cannot decrypt idCipher).
//
//   NEO4J_URI=bolt://127.0.0.1:7707 NEO4J_PASSWORD=credit-graph-local PORT=4000 node server.mjs
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

// The six roles a person holds at an entity are six relationship types, each a field (as a schema
// written for @neo4j/graphql would have them); their properties are the same (since, until).
const ROLES = {
  legalRepresentatives: "LEGAL_REPRESENTATIVE",
  principals: "PRINCIPAL",
  actualControllers: "ACTUAL_CONTROLLER",
  directors: "DIRECTOR",
  supervisors: "SUPERVISOR",
  managers: "MANAGER",
};
const OF = {
  legalRepresentatives: "legalRepresentativeOf",
  principals: "principalOf",
  actualControllers: "actualControllerOf",
  directors: "directorOf",
  supervisors: "supervisorOf",
  managers: "managerOf",
};
const entityRoles = Object.entries(ROLES)
  .map(([f, t]) => `  ${f}: [Person!]! @relationship(type: "${t}", direction: IN, properties: "Tenure")`)
  .join("\n");
const personRoles = Object.entries(ROLES)
  .map(([f, t]) => `  ${OF[f]}: [Entity!]! @relationship(type: "${t}", direction: OUT, properties: "Tenure")`)
  .join("\n");

export const typeDefs = /* GraphQL */ `
type Tenure @relationshipProperties {
  since: Date
  until: Date
}

type Stake @relationshipProperties {
  ratio: Float
  since: Date
  until: Date
}

union Party = Entity | Person

# party_names is the service's full-text index (CJK bigrams) over Entity and Person names.
type Entity
  @node
  @fulltext(indexes: [{ indexName: "party_names", queryName: "entitiesByName", fields: ["name"] }]) {
  uscc: String!
  name: String!
  form: String
  status: String
  region: String
  industry: String
  established: Date
  registeredCapital: Float
  address: String
${entityRoles}
  holders: [Party!]! @relationship(type: "HOLDS", direction: IN, properties: "Stake")
  holdings: [Entity!]! @relationship(type: "HOLDS", direction: OUT, properties: "Stake")
  parent: [Entity!]! @relationship(type: "BRANCH_OF", direction: OUT)
  branches: [Entity!]! @relationship(type: "BRANCH_OF", direction: IN)
  records: [Record!]! @relationship(type: "HAS_RECORD", direction: OUT)
  listings: [Listing!]! @relationship(type: "LISTED_ON", direction: OUT)
}

type Person @node {
  idHash: String!
  name: String!
  idMasked: String
  idType: String
${personRoles}
  holdings: [Entity!]! @relationship(type: "HOLDS", direction: OUT, properties: "Stake")
  records: [Record!]! @relationship(type: "HAS_RECORD", direction: OUT)
  listings: [Listing!]! @relationship(type: "LISTED_ON", direction: OUT)
}

type Department @node {
  code: String!
  name: String
  region: String
}

type Record @node {
  id: String!
  category: String
  polarity: String
  severity: String
  decisionNo: String
  decidedOn: Date
  publishedOn: Date
  summary: String
  disclosure: String
  status: String
  subject: [Party!]! @relationship(type: "HAS_RECORD", direction: IN)
  department: [Department!]! @relationship(type: "DECIDED_BY", direction: OUT)
}

type Measure @node {
  code: String!
  name: String
  nameZh: String
  kind: String
  binds: String
  scenarios: [String!]
}

type Listing @node {
  id: String!
  list: String!
  since: Date
  until: Date
  status: String
  subject: [Party!]! @relationship(type: "LISTED_ON", direction: IN)
  department: [Department!]! @relationship(type: "DECIDED_BY", direction: OUT)
  basis: [Record!]! @relationship(type: "BASED_ON", direction: OUT)
  measures: [Measure!]! @relationship(type: "APPLIES", direction: OUT)
}
`;

// Exclude every generated mutation: the peer only reads, as the questions do.
const readOnly = typeDefs.replace(/@node\b/g, "@node @mutation(operations: [])");

const driver = neo4j.driver(
  process.env.NEO4J_URI ?? "bolt://127.0.0.1:7707",
  neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD ?? "credit-graph-local"),
);
const neoSchema = new Neo4jGraphQL({ typeDefs: readOnly, driver });
const server = new ApolloServer({ schema: await neoSchema.getSchema() });
const port = Number(process.env.PORT ?? 4000);
const { url } = await startStandaloneServer(server, {
  listen: { host: process.env.HOST ?? "127.0.0.1", port },
  context: async () => ({ sessionConfig: { database: process.env.NEO4J_DATABASE ?? "neo4j" } }),
});
console.log(`peer ready at ${url} (pid ${process.pid})`);

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, async () => {
    await server.stop();
    await driver.close();
    process.exit(0);
  });
}
