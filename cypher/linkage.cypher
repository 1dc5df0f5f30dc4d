// Linkage questions (docs/domain-rules.md, "Linkage"). Every one is asked as of a date: a role, holding or
// listing counts when since <= $asOf < until (until open-ended when null). Variable-length
// traversals carry a literal hop bound; the caller's smaller bound is a filter.

// name: person_by_hash
UNWIND $keys AS key
MATCH (p:Person {idHash: key})
RETURN key, @person_map(p) AS person

// A person is bound directly when listed, or as the legal representative, principal or actual
// controller of an entity on the joint-punishment list whose role overlapped the responsibility
// window (fragments.cypher, person_bindings and in_window): from the earliest basis record's decision to
// the listing's start. A basis record the reader may not see (@listing_basis) comes as disclosed: false.
// name: exposure_person
MATCH (p:Person {idHash: $idHash})
UNWIND @person_bindings(p, $asOf) AS b
RETURN b.person AS person, b.listing AS listing, b.department AS department, b.via AS via, b.role AS role,
  b.basis AS basis, b.measures AS measures
ORDER BY listing.since, listing.id, via.uscc

// The listings binding an entity (fragments.cypher, entity_bindings); basis as in exposure_person.
// name: exposure_entity
MATCH (e:Entity {uscc: $uscc})
UNWIND @entity_bindings(e, $asOf) AS b
RETURN b.entity AS entity, b.listing AS listing, b.department AS department, b.basis AS basis, b.measures AS measures
ORDER BY listing.since, listing.id

// Everything a listing reaches, as facts for the domain to decide on (graph_api/domain/linkage.py):
// the subject, its basis, the responsible roles at the listed entity, every holding (since <= $asOf,
// ended or not: takeovers need the day before) out of the listed entity, its responsible persons and
// whatever they reach within six holdings (the largest maxHops, so a flag's control level never needs
// more), and the roles those persons took up elsewhere by $asOf. Which lists bind or flag, who is in the
// window, control and the reasons are the domain's rules, not this statement's; $maxHops is echoed for it.
// name: listing_impact
MATCH (s)-[:LISTED_ON]->(l:Listing {id: $listingId})-[:DECIDED_BY]->(d:Department)
WITH s, l, d,
  COLLECT { MATCH (l)-[:BASED_ON]->(b:Record) RETURN b {.id, .category, .severity, .decidedOn} ORDER BY b.decidedOn, b.id } AS basis,
  COLLECT { MATCH (p:Person)-[:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(s) RETURN DISTINCT p } AS people
RETURN CASE WHEN s:Entity THEN s {.uscc, .name, kind: 'ENTITY'} ELSE s {.name, .idMasked, kind: 'PERSON'} END AS subject,
  l {.id, .list, .since, .until, .status} AS listing, d {.code, .name, .region} AS department, basis,
  $maxHops AS maxHops,
  COLLECT {
    MATCH (p:Person)-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(s)
    RETURN {person: @person_map(p), role: type(r), since: r.since, until: r.until}
    ORDER BY r.since, type(r)
  } AS responsible,
  COLLECT {
    UNWIND [s] + people AS root
    MATCH (root)-[reach:HOLDS*0..6]->(x)
    WHERE all(h IN reach WHERE h.since <= $asOf)
    WITH DISTINCT x
    MATCH (x)-[h:HOLDS]->(y:Entity)
    WHERE h.since <= $asOf
    RETURN {holder: coalesce(x.uscc, x.idHash), holderKind: CASE WHEN x:Person THEN 'PERSON' ELSE 'ENTITY' END,
            holderName: x.name, holderEstablished: x.established, entity: y.uscc, entityName: y.name,
            established: y.established, ratio: h.ratio, since: h.since, until: h.until}
  } AS holdings,
  COLLECT {
    UNWIND people AS p
    MATCH (p)-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|DIRECTOR|SUPERVISOR|MANAGER]->(o:Entity)
    WHERE r.since <= $asOf
    RETURN {person: p.idHash, relation: type(r), since: r.since, until: r.until, entity: o {.uscc, .name, .established}}
    ORDER BY o.uscc, r.since
  } AS ties

// Which of the records $ids the reader sees (@record_visible), for answers built from a statement that
// serves writes too and so takes no reader (listing_impact).
// name: records_disclosed
UNWIND $ids AS id
MATCH (r:Record {id: id})
WHERE @record_visible(r)
RETURN collect(r.id) AS ids

// The ownership subgraph above an entity, as of a date: the parties from which a chain of valid
// holdings leads to the entity (at most 5000 of them, found within 64 holdings), and every valid
// holding into the entity or into one of them. A holding whose holder is not among the parties found
// shows that the search was cut; the answer then says `truncated`.
// name: ownership_upstream
MATCH (e:Entity {uscc: $uscc})
CALL (e) {
  OPTIONAL MATCH (x)-[up:HOLDS*1..64]->(e)
  WHERE all(h IN up WHERE @valid_on(h, $asOf))
  WITH DISTINCT x LIMIT 5000
  RETURN collect(x) AS above
}
RETURN e {.uscc, .name} AS entity,
  COLLECT {
    MATCH (p:Person)-[r:ACTUAL_CONTROLLER]->(e)
    WHERE @valid_on(r, $asOf)
    RETURN {person: p {.name, .idMasked, .idType, .idCipher}, since: r.since, until: r.until} ORDER BY r.since
  } AS declared,
  [x IN above | coalesce(x.uscc, x.idHash)] AS reached,
  COLLECT {
    UNWIND [e] + above AS y
    MATCH (x)-[h:HOLDS]->(y)
    WHERE @valid_on(h, $asOf)
    RETURN {holder: coalesce(x.uscc, x.idHash), holderKind: CASE WHEN x:Person THEN 'PERSON' ELSE 'ENTITY' END,
            holderName: x.name, holderMasked: x.idMasked, entity: y.uscc, entityName: y.name,
            ratio: h.ratio, since: h.since, until: h.until}
  } AS edges

// Shortest connections between two parties through roles, holdings and branches valid on $asOf.
// name: shortest_paths
OPTIONAL MATCH (ae:Entity {uscc: $fromEntity})
OPTIONAL MATCH (ap:Person {idHash: $fromPerson})
OPTIONAL MATCH (be:Entity {uscc: $toEntity})
OPTIONAL MATCH (bp:Person {idHash: $toPerson})
WITH coalesce(ae, ap) AS a, coalesce(be, bp) AS b
WHERE a IS NOT NULL AND b IS NOT NULL AND a <> b
MATCH p = allShortestPaths((a)-[:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|DIRECTOR|SUPERVISOR|MANAGER|HOLDS|BRANCH_OF*..8]-(b))
WHERE length(p) <= $maxHops
  AND all(r IN relationships(p) WHERE @valid_on_open_start(r, $asOf))
WITH p LIMIT $limit
RETURN [n IN nodes(p) | CASE WHEN n:Entity THEN n {.uscc, .name, kind: 'ENTITY'} ELSE n {.name, .idHash, kind: 'PERSON'} END] AS nodes,
       [r IN relationships(p) | {type: type(r), from: coalesce(startNode(r).uscc, startNode(r).idHash),
                                 to: coalesce(endNode(r).uscc, endNode(r).idHash), since: r.since, until: r.until, ratio: r.ratio}] AS steps

// Related risk for an eligibility check: the entity's present responsible persons who are bound by
// another entity's joint-punishment listing.
// name: responsible_persons_bound_elsewhere
MATCH (e:Entity {uscc: $uscc})
UNWIND @bound_elsewhere(e, $asOf) AS w
RETURN w.person AS person, w.currentRole AS currentRole, w.currentSince AS currentSince, w.entity AS entity,
       w.via AS via, w.listing AS listing, w.role AS role
ORDER BY listing.id, person.idHash

// The neighbourhood of a party for a graph drawing: relationships valid on $asOf within $hops,
// at most $limit of them (one more is fetched to tell the caller the drawing was truncated).
// name: neighborhood
OPTIONAL MATCH (ae:Entity {uscc: $centerEntity})
OPTIONAL MATCH (ap:Person {idHash: $centerPerson})
WITH coalesce(ae, ap) AS center
WHERE center IS NOT NULL
CALL (center) {
  MATCH p = (center)-[:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|DIRECTOR|SUPERVISOR|MANAGER|HOLDS|BRANCH_OF*1..3]-()
  WHERE length(p) <= $hops
    AND all(r IN relationships(p) WHERE @valid_on_open_start(r, $asOf))
  UNWIND relationships(p) AS r
  WITH DISTINCT r
  LIMIT $limitPlusOne
  RETURN collect(r) AS rels
}
WITH center, rels, size(rels) > $limitPlusOne - 1 AS truncated
WITH center, rels[..$limitPlusOne - 1] AS rels, truncated
UNWIND reduce(acc = [center], r IN rels | acc + [startNode(r), endNode(r)]) AS n
WITH center, rels, truncated, collect(DISTINCT n) AS nodes
RETURN CASE WHEN center:Entity THEN center.uscc ELSE center.idHash END AS centerKey, truncated,
  [n IN nodes | {kind: CASE WHEN n:Entity THEN 'ENTITY' ELSE 'PERSON' END, key: coalesce(n.uscc, n.idHash), name: n.name,
    listed: EXISTS { MATCH (n)-[:LISTED_ON]->(l:Listing) WHERE @punishes(l) AND @valid_on(l, $asOf) },
    bound: n:Person AND EXISTS {
      MATCH (n)-[role:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(:Entity)-[:LISTED_ON]->(l:Listing)
      WHERE @binds_persons(l) AND @valid_on(l, $asOf) AND @in_window(role, l) }}] AS nodes,
  [r IN rels | {relation: type(r), from: coalesce(startNode(r).uscc, startNode(r).idHash), to: coalesce(endNode(r).uscc, endNode(r).idHash),
                since: r.since, until: r.until, ratio: r.ratio}] AS edges
