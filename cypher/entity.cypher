// The entity itself; its lists (roles, holdings, records, listings, branches) are paged in pages.cypher.
// Batched by key like the pages, so sibling entities of one request share a round trip.
// name: entity_view
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
RETURN key, @entity_map(e) AS entity

// name: entity_ref
MATCH (e:Entity {uscc: $uscc})
RETURN e {.uscc, .name} AS entity

// The state as of $asOf is the rule commitment_state (fragments.cypher); the breach record's id only when
// the reader sees that record (@record_visible).
// name: commitments_of
MATCH (e:Entity {uscc: $uscc})-[:COMMITTED]->(c:Commitment)-[:MADE_TO]->(d:Department)
RETURN c {.id, .type, .matter, .madeOn, .dueOn, .status, .closedOn, department: d {.code, .name, .region},
          entity: e {.uscc, .name},
          state: @commitment_state(c, $asOf),
          breachRecord: COLLECT { MATCH (c)-[:BREACH_RECORD]->(r:Record) WHERE @record_visible(r) RETURN r.id }[0]} AS commitment
ORDER BY c.madeOn DESC, c.id
