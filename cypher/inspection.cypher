// Random inspection (双随机一公开): inspectors of a department's roster, and draws of entities and
// inspectors (graph_api/domain/inspection.py). Roster membership carries datetimes, so the roster as of a
// draw's createdAt can be recomputed when the draw is verified.

// name: inspector_context
OPTIONAL MATCH (d:Department {code: $department})
OPTIONAL MATCH (i:Inspector {id: $id})
RETURN d IS NOT NULL AS departmentFound, i IS NOT NULL AS idTaken

// name: inspector_create
MATCH (d:Department {code: $department})
CREATE (i:Inspector {id: $id, name: $name})-[:MEMBER_OF {since: $at}]->(d)
RETURN elementId(i) AS nodeId, i {.id, .name} AS inspector

// Ends an inspector's membership of the department's roster; later draws no longer use them.
// name: inspector_leave
MATCH (i:Inspector {id: $id})-[m:MEMBER_OF]->(:Department {code: $department})
WHERE m.until IS NULL
SET m.until = $at
RETURN elementId(i) AS nodeId, i {.id, .name} AS inspector, m.since AS since

// name: roster_at
MATCH (i:Inspector)-[m:MEMBER_OF]->(:Department {code: $department})
WHERE @valid_on(m, $at)
RETURN i.id AS id ORDER BY id

// The department (locked: two draws of one department never interleave) and whether the draw exists.
// name: draw_context
OPTIONAL MATCH (d:Department {code: $department})
CALL (d) {
  WITH d WHERE d IS NOT NULL
  SET d.lastDrawAt = $at
}
OPTIONAL MATCH (existing:Draw {id: $id})
RETURN d IS NOT NULL AS departmentFound, d.region AS region, existing IS NOT NULL AS exists

// A draw's exclusions (回避) are EXCLUDED relationships to the entity: the inspector, and the path from the
// inspector's person to the entity as node keys (person key hashes, usccs) and relation types.
// name: draw_create
MATCH (d:Department {code: $department})
CREATE (dr:Draw {id: $id, department: $department, period: $period, region: $region, seed: $seed, asOf: $asOf,
                 ratios: $ratios, inspectorsPerEntity: $perEntity, createdAt: $at, digest: $digest,
                 maxHops: $maxHops, gradeScheme: $gradeScheme, gradeEvaluation: $gradeEvaluation})
CREATE (dr)-[:DRAWN_BY]->(d)
WITH dr
CALL (dr) {
  UNWIND $selections AS s
  MATCH (e:Entity {uscc: s.uscc})
  CREATE (dr)-[:SELECTED {grade: s.grade, inspectors: s.inspectors}]->(e)
}
CALL (dr) {
  UNWIND $exclusions AS x
  MATCH (e:Entity {uscc: x.uscc})
  CREATE (dr)-[:EXCLUDED {inspector: x.inspector, keys: x.keys, relations: x.relations, ratios: x.ratios,
                          forward: x.forward}]->(e)
}
RETURN elementId(dr) AS nodeId

// name: draw_by_id
MATCH (dr:Draw {id: $id})
RETURN dr {.id, .department, .period, .region, .seed, .asOf, .ratios, .inspectorsPerEntity, .createdAt, .digest,
           .maxHops, .gradeScheme, .gradeEvaluation} AS draw,
  COLLECT { MATCH (dr)-[s:SELECTED]->(e:Entity) RETURN {uscc: e.uscc, grade: s.grade, inspectors: s.inspectors} } AS selections,
  COLLECT { MATCH (dr)-[x:EXCLUDED]->(e:Entity)
            RETURN {inspector: x.inspector, uscc: e.uscc, keys: x.keys, relations: x.relations} } AS exclusions

// The shortest connections (回避) from the persons of the roster's inspectors to the drawn entities through
// roles, holdings and branches valid on $asOf and relatives declared by $at, at most $maxHops long; every
// shortest path of a pair (the domain keeps one, the same every time). An inspector's person counts as
// linked by $at.
// name: draw_conflicts
UNWIND $inspectors AS iid
MATCH (i:Inspector {id: iid})-[link:IS_PERSON]->(p:Person)
WHERE link.since <= $at
UNWIND $usccs AS u
MATCH (e:Entity {uscc: u})
MATCH path = allShortestPaths(
  (p)-[:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|DIRECTOR|SUPERVISOR|MANAGER|HOLDS|BRANCH_OF|RELATIVE_OF*..6]-(e))
WHERE length(path) <= $maxHops
  AND all(r IN relationships(path) WHERE
      CASE WHEN type(r) = 'RELATIVE_OF' THEN r.declaredAt <= $at ELSE @valid_on_open_start(r, $asOf) END)
RETURN iid AS inspector, u AS uscc, [n IN nodes(path) | coalesce(n.uscc, n.idHash)] AS keys,
  [r IN relationships(path) | type(r)] AS relations, [r IN relationships(path) | r.ratio] AS ratios,
  [n IN range(0, length(path) - 1) | startNode(relationships(path)[n]) = nodes(path)[n]] AS forward

// The exclusions of draws, batched per request, with the path's nodes (names as stored; the API masks persons).
// name: draw_exclusions
UNWIND $keys AS key
MATCH (dr:Draw {id: key})
RETURN key, COLLECT {
  MATCH (dr)-[x:EXCLUDED]->(e:Entity)
  MATCH (i:Inspector {id: x.inspector})
  RETURN {inspector: i {.id, .name}, entity: e {.uscc, .name}, relations: x.relations, ratios: x.ratios,
          forward: x.forward,
          nodes: [k IN x.keys | COLLECT {
            MATCH (n:Entity {uscc: k}) RETURN {kind: 'ENTITY', uscc: n.uscc, name: n.name} AS node
            UNION
            MATCH (n:Person {idHash: k}) RETURN {kind: 'PERSON', idHash: n.idHash, name: n.name} AS node
          }[0]]}
  ORDER BY e.uscc, i.id
} AS exclusions

// The inspector to link (a present member of the department's roster, locked) and the person.
// name: inspector_link_lock
MATCH (i:Inspector {id: $id})-[m:MEMBER_OF]->(:Department {code: $department})
WHERE m.until IS NULL
SET i.linkedAt = $at
RETURN elementId(i) AS nodeId, i {.id, .name} AS inspector,
  EXISTS { (i)-[:IS_PERSON]->(:Person) } AS linked,
  EXISTS { MATCH (p:Person {idHash: $idHash}) } AS personFound

// name: inspector_link_create
MATCH (i:Inspector {id: $id})
MATCH (p:Person {idHash: $idHash})
CREATE (i)-[:IS_PERSON {since: $at}]->(p)
RETURN elementId(i) AS nodeId

// Both persons locked (in key order, so two declarations of one pair queue instead of deadlocking).
// name: relative_lock
CALL () {
  UNWIND $hashes AS h
  MATCH (p:Person {idHash: h})
  WITH p ORDER BY p.idHash
  SET p.relativesAt = $at
  RETURN collect(p.idHash) AS found
}
RETURN found,
  EXISTS { MATCH (:Person {idHash: $a})-[:RELATIVE_OF]-(:Person {idHash: $b}) } AS declared

// A declared relative (近亲属): one relationship per pair, from the smaller key hash to the larger.
// name: relative_create
MATCH (a:Person {idHash: $a})
MATCH (b:Person {idHash: $b})
CREATE (a)-[r:RELATIVE_OF {declaredAt: $at, declaredBy: $department}]->(b)
RETURN elementId(a) AS nodeId

// name: draws_page
MATCH (dr:Draw {department: $department})
WITH dr ORDER BY dr.createdAt DESC, dr.id
WITH collect(dr) AS matching, collect([dr.createdAt.epochSeconds, dr.createdAt.nanosecond, dr.id]) AS keys
WITH matching, keys, [true, true, false] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start,
  [dr IN matching[start..start + $limit] | dr {.id, .department, .period, .region, .seed, .asOf, .ratios,
    .inspectorsPerEntity, .createdAt, .digest}] AS page

// The selections of draws, batched per request: entity, grade and inspectors in draw order.
// name: draw_selections
UNWIND $keys AS key
MATCH (dr:Draw {id: key})
RETURN key, COLLECT {
  MATCH (dr)-[s:SELECTED]->(e:Entity)
  RETURN {entity: e {.uscc, .name}, grade: s.grade,
          inspectors: COLLECT { UNWIND range(0, size(s.inspectors) - 1) AS n
                                MATCH (x:Inspector {id: s.inspectors[n]}) RETURN x {.id, .name} ORDER BY n }}
  ORDER BY s.grade, e.uscc
} AS selections
