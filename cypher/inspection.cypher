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

// name: draw_create
MATCH (d:Department {code: $department})
CREATE (dr:Draw {id: $id, department: $department, period: $period, region: $region, seed: $seed, asOf: $asOf,
                 ratios: $ratios, inspectorsPerEntity: $perEntity, createdAt: $at, digest: $digest})
CREATE (dr)-[:DRAWN_BY]->(d)
WITH dr
CALL (dr) {
  UNWIND $selections AS s
  MATCH (e:Entity {uscc: s.uscc})
  CREATE (dr)-[:SELECTED {grade: s.grade, inspectors: s.inspectors}]->(e)
}
RETURN elementId(dr) AS nodeId

// name: draw_by_id
MATCH (dr:Draw {id: $id})
RETURN dr {.id, .department, .period, .region, .seed, .asOf, .ratios, .inspectorsPerEntity, .createdAt, .digest} AS draw,
  COLLECT { MATCH (dr)-[s:SELECTED]->(e:Entity) RETURN {uscc: e.uscc, grade: s.grade, inspectors: s.inspectors} } AS selections

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
