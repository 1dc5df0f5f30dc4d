// Pages of the lists that hang off an entity or a person. Every statement takes a batch of parent
// keys ($keys: USCCs or person idHashes), so one round trip serves all parents of a request that ask
// for the same page; it returns one row per parent found: key, totalCount (of the filtered set) and
// page ($limit items in the requested order, strictly after the sort key $after: @keyset_start), keys
// (the sort key of each item of the page: its cursor) and start (how many items precede the page). Order:
// $orderField names the sort key, $descending its direction; a stable tie-break follows, ending in a
// unique key. Dates filter with $activeOn (valid on that day: since <= day < until).

// name: entity_roles_page
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
WITH key, @entity_roles(e, $roles, $activeOn, $orderField, $descending) AS matching
WITH key, matching, [m IN matching | m.key] AS allKeys, [$descending, false, false, false] AS keyDesc
WITH key, matching, @keyset_start(allKeys, $after, keyDesc) AS start
RETURN key, size(matching) AS totalCount, [m IN matching[start..start + $limit] | m.item] AS page,
       [m IN matching[start..start + $limit] | m.key] AS keys, start

// name: person_roles_page
UNWIND $keys AS key
MATCH (p:Person {idHash: key})
WITH key, @person_roles(p, $roles, $activeOn, $orderField, $descending) AS matching
WITH key, matching, [m IN matching | m.key] AS allKeys, [$descending, false, false, false] AS keyDesc
WITH key, matching, @keyset_start(allKeys, $after, keyDesc) AS start
RETURN key, size(matching) AS totalCount, [m IN matching[start..start + $limit] | m.item] AS page,
       [m IN matching[start..start + $limit] | m.key] AS keys, start

// Who holds shares of the entity (persons or entities).
// name: entity_holders_page
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
WITH key, @entity_holders(e, $activeOn, $minRatio, $orderField, $descending) AS matching
WITH key, matching, [m IN matching | m.key] AS allKeys, [$descending, false, false] AS keyDesc
WITH key, matching, @keyset_start(allKeys, $after, keyDesc) AS start
RETURN key, size(matching) AS totalCount, [m IN matching[start..start + $limit] | m.item] AS page,
       [m IN matching[start..start + $limit] | m.key] AS keys, start

// What the entity or person holds shares of.
// name: subject_holdings_page
UNWIND $keys AS key
OPTIONAL MATCH (se:Entity {uscc: key})
OPTIONAL MATCH (sp:Person {idHash: key})
WITH key, coalesce(se, sp) AS s
WHERE s IS NOT NULL
WITH key, @subject_holdings(s, $activeOn, $minRatio, $orderField, $descending) AS matching
WITH key, matching, [m IN matching | m.key] AS allKeys, [$descending, false, false] AS keyDesc
WITH key, matching, @keyset_start(allKeys, $after, keyDesc) AS start
RETURN key, size(matching) AS totalCount, [m IN matching[start..start + $limit] | m.item] AS page,
       [m IN matching[start..start + $limit] | m.key] AS keys, start

// name: entity_branches_page
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
CALL (e) {
  MATCH (b:Entity)-[:BRANCH_OF]->(e)
  WITH b ORDER BY b.uscc
  RETURN collect(b {.uscc, .name}) AS matching, collect([b.uscc]) AS keys
}
WITH key, matching, keys, [false] AS keyDesc
WITH key, matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN key, size(matching) AS totalCount, matching[start..start + $limit] AS page, keys[start..start + $limit] AS keys, start

// A subject's records the reader sees (@record_visible: permissions.record_params), filtered; sorted by
// decision (or publication) date. totalCount counts only those.
// name: subject_records_page
UNWIND $keys AS key
OPTIONAL MATCH (se:Entity {uscc: key})
OPTIONAL MATCH (sp:Person {idHash: key})
WITH key, coalesce(se, sp) AS s
WHERE s IS NOT NULL
CALL (s, key) {
  MATCH (s)-[:HAS_RECORD]->(r:Record)
  WHERE ($categories IS NULL OR r.category IN $categories)
    AND ($severities IS NULL OR r.severity IN $severities)
    AND ($statuses IS NULL OR r.status IN $statuses)
    AND ($decidedFrom IS NULL OR r.decidedOn >= $decidedFrom)
    AND ($decidedTo IS NULL OR r.decidedOn <= $decidedTo)
    AND @record_visible(r)
  WITH r, CASE $orderField WHEN 'PUBLISHED_ON' THEN r.publishedOn ELSE r.decidedOn END AS sortKey
  ORDER BY CASE WHEN $descending THEN sortKey END DESC, CASE WHEN NOT $descending THEN sortKey END ASC, r.id
  RETURN collect(r) AS matching, collect([sortKey, r.id]) AS keys
}
WITH key, matching, keys, [$descending, false] AS keyDesc
WITH key, matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN key, size(matching) AS totalCount, keys[start..start + $limit] AS keys, start,
  [r IN matching[start..start + $limit] | r {.id, .category, .polarity, .severity, .decisionNo, .decidedOn, .publishedOn,
    .summary, .disclosure, .status, .publicationEndedOn,
    publicMaxUntil: @public_max_until(r),
    department: COLLECT { MATCH (r)-[:DECIDED_BY]->(d:Department) RETURN d {.code, .name, .region} }[0]}] AS page

// The listings a subject itself is on (a person's listings as a bound responsible person are in exposure).
// Of the basis, the ids of the records the reader sees (@record_visible), and how many it does not.
// name: subject_listings_page
UNWIND $keys AS key
OPTIONAL MATCH (se:Entity {uscc: key})
OPTIONAL MATCH (sp:Person {idHash: key})
WITH key, coalesce(se, sp) AS s
WHERE s IS NOT NULL
WITH key, @subject_listings(s, $lists, $statuses, $activeOn, $orderField, $descending) AS matching
WITH key, matching, [m IN matching | m.key] AS allKeys, [$descending, false] AS keyDesc
WITH key, matching, @keyset_start(allKeys, $after, keyDesc) AS start
RETURN key, size(matching) AS totalCount, [m IN matching[start..start + $limit] | m.key] AS keys, start,
       [l IN [m IN matching[start..start + $limit] | m.item] | @listing_item(l)] AS page
