// The entity itself; its lists (roles, holdings, records, listings, branches) are paged in pages.cypher.
// Batched by key like the pages, so sibling entities of one request share a round trip.
// name: entity_view
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
RETURN key, @entity_map(e) AS entity

// entity_view and, in the same round trip, the first rows entity_roles_page, entity_holders_page and
// subject_holdings_page would return for it (as a page map each, null when $with… is false): the entity
// resolver asks for this when the query selects those lists (api/graphql/compiled.py), so one root field
// costs one statement. The parameters of each list are those of its page statement, prefixed.
// name: entity_with_relations
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
WITH key, e,
     CASE WHEN $withRoles THEN @entity_roles(e, $rolesRoles, $rolesActiveOn, $rolesOrderField, $rolesDescending) END AS roles,
     CASE WHEN $withHolders THEN @entity_holders(e, $holdersActiveOn, $holdersMinRatio, $holdersOrderField, $holdersDescending) END AS holders,
     CASE WHEN $withHoldings THEN @subject_holdings(e, $holdingsActiveOn, $holdingsMinRatio, $holdingsOrderField, $holdingsDescending) END AS holdings
WITH key, e, roles, holders, holdings,
     [m IN roles | m.key] AS rolesKeys, [$rolesDescending, false, false, false] AS rolesDesc,
     [m IN holders | m.key] AS holdersKeys, [$holdersDescending, false, false] AS holdersDesc,
     [m IN holdings | m.key] AS holdingsKeys, [$holdingsDescending, false, false] AS holdingsDesc
WITH key, e, roles, holders, holdings,
     @keyset_start(rolesKeys, $rolesAfter, rolesDesc) AS rolesStart,
     @keyset_start(holdersKeys, $holdersAfter, holdersDesc) AS holdersStart,
     @keyset_start(holdingsKeys, $holdingsAfter, holdingsDesc) AS holdingsStart
RETURN key, @entity_map(e) AS entity,
  CASE WHEN $withRoles THEN {key: key, totalCount: size(roles), start: rolesStart,
    page: [m IN roles[rolesStart..rolesStart + $rolesLimit] | m.item],
    keys: [m IN roles[rolesStart..rolesStart + $rolesLimit] | m.key]} END AS roles,
  CASE WHEN $withHolders THEN {key: key, totalCount: size(holders), start: holdersStart,
    page: [m IN holders[holdersStart..holdersStart + $holdersLimit] | m.item],
    keys: [m IN holders[holdersStart..holdersStart + $holdersLimit] | m.key]} END AS holders,
  CASE WHEN $withHoldings THEN {key: key, totalCount: size(holdings), start: holdingsStart,
    page: [m IN holdings[holdingsStart..holdingsStart + $holdingsLimit] | m.item],
    keys: [m IN holdings[holdingsStart..holdingsStart + $holdingsLimit] | m.key]} END AS holdings

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
