// The entity itself; its lists (roles, holdings, records, listings, branches) are paged in pages.cypher.
// Batched by key like the pages, so sibling entities of one request share a round trip.
// name: entity_view
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
RETURN key, @entity_map(e) AS entity

// entity_view and, in the same round trip, the first rows entity_roles_page, entity_holders_page,
// subject_holdings_page and subject_listings_page would return for it (as a page map each, null when $with… is
// false), and one level further down the rows subject_holdings_page would return for each entity of its
// holdings page (subHoldings) and person_roles_page for each person of its roles page (personRoles), as a list
// of page maps (empty when not asked for). The entity resolver asks for this when the query selects those
// lists (api/graphql/compiled.py), so one root field costs one statement. The parameters of each list are
// those of its page statement, prefixed; @record_visible's (of the listings' basis) are not.
// name: entity_with_relations
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
WITH key, e, roles, holders, holdings, listings, rolesStart, holdersStart, holdingsStart, listingsStart,
     roles[rolesStart..rolesStart + $rolesLimit] AS rolesPage,
     holdings[holdingsStart..holdingsStart + $holdingsLimit] AS holdingsPage
CALL (holdingsPage) {
  UNWIND CASE WHEN $withSubHoldings THEN holdingsPage ELSE [] END AS subHoldingsM
  MATCH (subHoldingsE:Entity {uscc: subHoldingsM.item.entity.uscc})
  WITH DISTINCT subHoldingsE
  WITH subHoldingsE, @subject_holdings(subHoldingsE, $subHoldingsActiveOn, $subHoldingsMinRatio, $subHoldingsOrderField, $subHoldingsDescending) AS subHoldingsAll
  WITH subHoldingsE, subHoldingsAll, [m IN subHoldingsAll | m.key] AS subHoldingsKeys, [$subHoldingsDescending, false, false] AS subHoldingsDesc
  WITH subHoldingsE, subHoldingsAll, @keyset_start(subHoldingsKeys, $subHoldingsAfter, subHoldingsDesc) AS subHoldingsStart
  RETURN collect({key: subHoldingsE.uscc, totalCount: size(subHoldingsAll), start: subHoldingsStart,
    page: [m IN subHoldingsAll[subHoldingsStart..subHoldingsStart + $subHoldingsLimit] | m.item],
    keys: [m IN subHoldingsAll[subHoldingsStart..subHoldingsStart + $subHoldingsLimit] | m.key]}) AS subHoldings
}
CALL (rolesPage) {
  UNWIND CASE WHEN $withPersonRoles THEN rolesPage ELSE [] END AS personRolesM
  MATCH (personRolesP:Person {idHash: personRolesM.item.person.idHash})
  WITH DISTINCT personRolesP
  WITH personRolesP, @person_roles(personRolesP, $personRolesRoles, $personRolesActiveOn, $personRolesOrderField, $personRolesDescending) AS personRolesAll
  WITH personRolesP, personRolesAll, [m IN personRolesAll | m.key] AS personRolesKeys, [$personRolesDescending, false, false, false] AS personRolesDesc
  WITH personRolesP, personRolesAll, @keyset_start(personRolesKeys, $personRolesAfter, personRolesDesc) AS personRolesStart
  RETURN collect({key: personRolesP.idHash, totalCount: size(personRolesAll), start: personRolesStart,
    page: [m IN personRolesAll[personRolesStart..personRolesStart + $personRolesLimit] | m.item],
    keys: [m IN personRolesAll[personRolesStart..personRolesStart + $personRolesLimit] | m.key]}) AS personRoles
}
RETURN key, @entity_map(e) AS entity,
  CASE WHEN $withRoles THEN {key: key, totalCount: size(roles), start: rolesStart,
    page: [m IN rolesPage | m.item], keys: [m IN rolesPage | m.key]} END AS roles,
  CASE WHEN $withHolders THEN {key: key, totalCount: size(holders), start: holdersStart,
    page: [m IN holders[holdersStart..holdersStart + $holdersLimit] | m.item],
    keys: [m IN holders[holdersStart..holdersStart + $holdersLimit] | m.key]} END AS holders,
  CASE WHEN $withHoldings THEN {key: key, totalCount: size(holdings), start: holdingsStart,
    page: [m IN holdingsPage | m.item], keys: [m IN holdingsPage | m.key]} END AS holdings,
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
