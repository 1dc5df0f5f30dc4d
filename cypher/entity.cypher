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
  CASE WHEN $withRoles THEN @keyed_page(key, roles, rolesStart, $rolesLimit) END AS roles,
  CASE WHEN $withHolders THEN @keyed_page(key, holders, holdersStart, $holdersLimit) END AS holders,
  CASE WHEN $withHoldings THEN @keyed_page(key, holdings, holdingsStart, $holdingsLimit) END AS holdings

// entity_with_relations with more: the first rows of subject_listings_page too, and one level further down
// the rows subject_holdings_page would return for each entity of the holdings page (subHoldings) and
// person_roles_page for each person of the roles page (personRoles), as a list of page rows (empty when not
// asked for). A statement of its own, so that a query that asks for none of these pays nothing for them;
// @record_visible's parameters (of the listings' basis) are not prefixed.
// name: entity_with_relations_deep
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
WITH key, e,
     CASE WHEN $withRoles THEN @entity_roles(e, $rolesRoles, $rolesActiveOn, $rolesOrderField, $rolesDescending) END AS roles,
     CASE WHEN $withHolders THEN @entity_holders(e, $holdersActiveOn, $holdersMinRatio, $holdersOrderField, $holdersDescending) END AS holders,
     CASE WHEN $withHoldings THEN @subject_holdings(e, $holdingsActiveOn, $holdingsMinRatio, $holdingsOrderField, $holdingsDescending) END AS holdings,
     CASE WHEN $withListings THEN @subject_listings(e, $listingsLists, $listingsStatuses, $listingsActiveOn, $listingsOrderField, $listingsDescending) END AS listings
WITH key, e, roles, holders, holdings, listings,
     [m IN roles | m.key] AS rolesKeys, [$rolesDescending, false, false, false] AS rolesDesc,
     [m IN holders | m.key] AS holdersKeys, [$holdersDescending, false, false] AS holdersDesc,
     [m IN holdings | m.key] AS holdingsKeys, [$holdingsDescending, false, false] AS holdingsDesc,
     [m IN listings | m.key] AS listingsKeys, [$listingsDescending, false] AS listingsDesc
WITH key, e, roles, holders, holdings, listings,
     @keyset_start(rolesKeys, $rolesAfter, rolesDesc) AS rolesStart,
     @keyset_start(holdersKeys, $holdersAfter, holdersDesc) AS holdersStart,
     @keyset_start(holdingsKeys, $holdingsAfter, holdingsDesc) AS holdingsStart,
     @keyset_start(listingsKeys, $listingsAfter, listingsDesc) AS listingsStart
CALL (holdings, holdingsStart) {
  UNWIND CASE WHEN $withSubHoldings THEN holdings[holdingsStart..holdingsStart + $holdingsLimit] ELSE [] END AS subHoldingsM
  MATCH (subHoldingsE:Entity {uscc: subHoldingsM.item.entity.uscc})
  WITH DISTINCT subHoldingsE
  WITH subHoldingsE, @subject_holdings(subHoldingsE, $subHoldingsActiveOn, $subHoldingsMinRatio, $subHoldingsOrderField, $subHoldingsDescending) AS subHoldingsAll
  WITH subHoldingsE, subHoldingsAll, [m IN subHoldingsAll | m.key] AS subHoldingsKeys, [$subHoldingsDescending, false, false] AS subHoldingsDesc
  WITH subHoldingsE, subHoldingsAll, @keyset_start(subHoldingsKeys, $subHoldingsAfter, subHoldingsDesc) AS subHoldingsStart
  WITH subHoldingsE.uscc AS subHoldingsKey, subHoldingsAll, subHoldingsStart
  RETURN collect(@keyed_page(subHoldingsKey, subHoldingsAll, subHoldingsStart, $subHoldingsLimit)) AS subHoldings
}
CALL (roles, rolesStart) {
  UNWIND CASE WHEN $withPersonRoles THEN roles[rolesStart..rolesStart + $rolesLimit] ELSE [] END AS personRolesM
  MATCH (personRolesP:Person {idHash: personRolesM.item.person.idHash})
  WITH DISTINCT personRolesP
  WITH personRolesP, @person_roles(personRolesP, $personRolesRoles, $personRolesActiveOn, $personRolesOrderField, $personRolesDescending) AS personRolesAll
  WITH personRolesP, personRolesAll, [m IN personRolesAll | m.key] AS personRolesKeys, [$personRolesDescending, false, false, false] AS personRolesDesc
  WITH personRolesP, personRolesAll, @keyset_start(personRolesKeys, $personRolesAfter, personRolesDesc) AS personRolesStart
  WITH personRolesP.idHash AS personRolesKey, personRolesAll, personRolesStart
  RETURN collect(@keyed_page(personRolesKey, personRolesAll, personRolesStart, $personRolesLimit)) AS personRoles
}
RETURN key, @entity_map(e) AS entity,
  CASE WHEN $withRoles THEN @keyed_page(key, roles, rolesStart, $rolesLimit) END AS roles,
  CASE WHEN $withHolders THEN @keyed_page(key, holders, holdersStart, $holdersLimit) END AS holders,
  CASE WHEN $withHoldings THEN @keyed_page(key, holdings, holdingsStart, $holdingsLimit) END AS holdings,
  CASE WHEN $withListings THEN {key: key, totalCount: size(listings), start: listingsStart,
    page: [listingsItem IN [m IN listings[listingsStart..listingsStart + $listingsLimit] | m.item] | @listing_item(listingsItem)],
    keys: [m IN listings[listingsStart..listingsStart + $listingsLimit] | m.key]} END AS listings,
  subHoldings, personRoles

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
