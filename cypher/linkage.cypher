// Linkage questions (DOMAIN.md, "Linkage"). Every one is asked as of a date: a role, holding or
// listing counts when since <= $asOf < until (until open-ended when null). Variable-length
// traversals carry a literal hop bound; the caller's smaller bound is a filter.

// name: person_by_hash
UNWIND $keys AS key
MATCH (p:Person {idHash: key})
RETURN key, p {.name, .idMasked, .idType, .idHash, .idCipher} AS person

// A person is bound directly when listed, or as the legal representative, principal or actual
// controller of an entity on the joint-punishment list whose role overlapped the responsibility
// window (fragments.cypher, in_window): from the earliest basis record's decision to the listing's start.
// name: exposure_person
MATCH (p:Person {idHash: $idHash})
CALL (p) {
  MATCH (p)-[:LISTED_ON]->(l:Listing)
  WHERE @valid_on(l, $asOf)
  RETURN l, null AS via, null AS role
  UNION
  MATCH (p)-[role:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(via:Entity)-[:LISTED_ON]->(l:Listing {list: 'JOINT_PUNISHMENT'})
  WHERE @valid_on(l, $asOf) AND @in_window(role, l)
  RETURN l, via, role
}
MATCH (l)-[:DECIDED_BY]->(d:Department)
RETURN p {.name, .idMasked, .idType} AS person,
  l {.id, .list, .since, .until, .status} AS listing, d {.code, .name, .region} AS department,
  via {.uscc, .name} AS via,
  CASE WHEN role IS NULL THEN null ELSE {type: type(role), since: role.since, until: role.until} END AS role,
  COLLECT { MATCH (l)-[:BASED_ON]->(b:Record) RETURN b {.id, .category, .severity, .decidedOn} ORDER BY b.decidedOn, b.id } AS basis,
  COLLECT {
    MATCH (l)-[:APPLIES]->(m:Measure) WHERE via IS NULL OR m.binds IN ['PERSONS', 'BOTH']
    RETURN m {.code, .name, .nameZh, .kind, .binds, .scenarios} ORDER BY m.code
  } AS measures
ORDER BY listing.since, listing.id, via.uscc

// name: exposure_entity
MATCH (e:Entity {uscc: $uscc})-[:LISTED_ON]->(l:Listing)-[:DECIDED_BY]->(d:Department)
WHERE @valid_on(l, $asOf)
RETURN e {.uscc, .name} AS entity,
  l {.id, .list, .since, .until, .status} AS listing, d {.code, .name, .region} AS department,
  COLLECT { MATCH (l)-[:BASED_ON]->(b:Record) RETURN b {.id, .category, .severity, .decidedOn} ORDER BY b.decidedOn, b.id } AS basis,
  COLLECT {
    MATCH (l)-[:APPLIES]->(m:Measure) WHERE m.binds IN ['ENTITY', 'BOTH']
    RETURN m {.code, .name, .nameZh, .kind, .binds, .scenarios} ORDER BY m.code
  } AS measures
ORDER BY listing.since, listing.id

// Everything a listing reaches: its responsible persons (bound when their role overlapped the
// window), the entities it owns through majority chains, and the present ties of the persons who
// held a responsible role in the window — whether the listing binds them is decided by the caller.
// name: listing_impact
MATCH (s)-[:LISTED_ON]->(l:Listing {id: $listingId})-[:DECIDED_BY]->(d:Department)
WITH s, l, d, COLLECT { MATCH (l)-[:BASED_ON]->(b:Record) RETURN b {.id, .category, .severity, .decidedOn} ORDER BY b.decidedOn, b.id } AS basis
WITH s, l, d, basis, basis[0].decidedOn AS windowStart
WITH s, l, d, basis, windowStart,
  CASE WHEN s:Entity AND l.list = 'JOINT_PUNISHMENT' THEN COLLECT {
    MATCH (p:Person)-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(s)
    RETURN {person: p {.name, .idMasked, .idType, .idHash, .idCipher}, role: type(r), since: r.since, until: r.until,
            inWindow: r.since <= l.since AND (r.until IS NULL OR r.until > windowStart),
            current: r.since <= $asOf AND (r.until IS NULL OR r.until > $asOf)}
    ORDER BY r.since, type(r)
  } ELSE [] END AS responsible
RETURN CASE WHEN s:Entity THEN s {.uscc, .name, kind: 'ENTITY'} ELSE s {.name, .idMasked, kind: 'PERSON'} END AS subject,
  l {.id, .list, .since, .until, .status} AS listing, d {.code, .name, .region} AS department, basis, windowStart,
  l.since <= $asOf AND (l.until IS NULL OR l.until > $asOf) AS inForce,
  responsible,
  COLLECT {
    MATCH path = (s)-[:HOLDS*1..6]->(o:Entity)
    WHERE s:Entity AND length(path) <= $maxHops
      AND all(h IN relationships(path) WHERE h.ratio > 0.5 AND h.since <= $asOf AND (h.until IS NULL OR h.until > $asOf))
    RETURN {entity: o {.uscc, .name, .established},
            steps: [h IN relationships(path) | {type: 'HOLDS', from: startNode(h).uscc, fromName: startNode(h).name,
                    to: endNode(h).uscc, toName: endNode(h).name, ratio: h.ratio, since: h.since, until: h.until}]}
  } AS owned,
  COLLECT {
    UNWIND [x IN responsible WHERE x.inWindow | x.person.idHash] AS bound
    WITH DISTINCT bound
    MATCH (p:Person {idHash: bound})-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|DIRECTOR|SUPERVISOR|MANAGER|HOLDS]->(o:Entity)
    WHERE o <> s AND r.since <= $asOf AND (type(r) <> 'HOLDS' OR r.ratio > 0.5)
    RETURN {person: p {.name, .idMasked, .idHash}, relation: type(r), since: r.since, until: r.until, ratio: r.ratio,
            current: r.until IS NULL OR r.until > $asOf, entity: o {.uscc, .name, .established}}
    ORDER BY o.uscc, r.since
  } AS ties

// The ownership subgraph above an entity, as of a date: every holding on some chain of at most ten
// holdings that ends at the entity. Control and effective ownership are computed from it.
// name: ownership_upstream
MATCH (e:Entity {uscc: $uscc})
RETURN e {.uscc, .name} AS entity,
  COLLECT {
    MATCH (p:Person)-[r:ACTUAL_CONTROLLER]->(e)
    WHERE r.since <= $asOf AND (r.until IS NULL OR r.until > $asOf)
    RETURN {person: p {.name, .idMasked, .idType, .idCipher}, since: r.since, until: r.until} ORDER BY r.since
  } AS declared,
  COLLECT {
    MATCH path = ()-[:HOLDS*1..10]->(e)
    WHERE all(h IN relationships(path) WHERE h.since <= $asOf AND (h.until IS NULL OR h.until > $asOf))
    UNWIND relationships(path) AS h
    WITH DISTINCT h
    WITH h, startNode(h) AS x, endNode(h) AS y
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
MATCH (e:Entity {uscc: $uscc})<-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]-(p:Person)
WHERE @valid_on(r, $asOf)
MATCH (p)-[role:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(via:Entity)-[:LISTED_ON]->(l:Listing {list: 'JOINT_PUNISHMENT'})
WHERE via <> e AND @valid_on(l, $asOf) AND @in_window(role, l)
RETURN p {.name, .idMasked, .idType, .idHash} AS person, type(r) AS currentRole, r.since AS currentSince,
       e {.uscc, .name} AS entity, via {.uscc, .name} AS via, l {.id, .list, .since, .until} AS listing,
       {type: type(role), since: role.since, until: role.until} AS role
ORDER BY l.id, p.idHash

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
    listed: EXISTS { MATCH (n)-[:LISTED_ON]->(l:Listing) WHERE l.list <> 'RED' AND @valid_on(l, $asOf) },
    bound: n:Person AND EXISTS {
      MATCH (n)-[role:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(:Entity)-[:LISTED_ON]->(l:Listing {list: 'JOINT_PUNISHMENT'})
      WHERE @valid_on(l, $asOf) AND @in_window(role, l) }}] AS nodes,
  [r IN rels | {relation: type(r), from: coalesce(startNode(r).uscc, startNode(r).idHash), to: coalesce(endNode(r).uscc, endNode(r).idHash),
                since: r.since, until: r.until, ratio: r.ratio}] AS edges
