// Credit commitments (信用承诺): made by an entity to a department, fulfilled or breached — a breach
// becomes a COMMITMENT_BREACH record (docs/domain-rules.md, Lifecycles).
// A commitment's state as of a day ($asOf) is the rule commitment_state (fragments.cypher).

// name: commitment_context
OPTIONAL MATCH (e:Entity {uscc: $uscc})
OPTIONAL MATCH (d:Department {code: $department})
OPTIONAL MATCH (existing:Commitment {id: $id})
RETURN e IS NOT NULL AS entityFound, d IS NOT NULL AS departmentFound, existing IS NOT NULL AS idTaken

// name: commitment_create
MATCH (e:Entity {uscc: $uscc})
MATCH (d:Department {code: $department})
CREATE (c:Commitment {id: $id, status: 'PENDING', recordedAt: datetime()})
SET c += $props
CREATE (e)-[:COMMITTED]->(c)
CREATE (c)-[:MADE_TO]->(d)
RETURN elementId(c) AS nodeId, c {.id, .type, .matter, .madeOn, .dueOn, .status} AS commitment

// Lock the commitment (the SET takes the write lock; statements after it read the committed state,
// so of two officers closing it at once the second sees it closed).
// name: commitment_lock
MATCH (c:Commitment {id: $id})
SET c.lockedAt = datetime()
WITH c
MATCH (c)-[:MADE_TO]->(d:Department)
MATCH (e:Entity)-[:COMMITTED]->(c)
RETURN elementId(c) AS nodeId, d.code AS department, e.uscc AS party

// name: commitment_state
MATCH (e:Entity)-[:COMMITTED]->(c:Commitment {id: $id})-[:MADE_TO]->(d:Department)
RETURN c {.id, .type, .matter, .madeOn, .dueOn, .status, .closedOn, department: d {.code, .name, .region},
          entity: e {.uscc, .name},
          state: @commitment_state(c, $asOf),
          breachRecord: COLLECT { MATCH (c)-[:BREACH_RECORD]->(r:Record) RETURN r.id }[0]} AS commitment

// name: commitment_close
MATCH (c:Commitment {id: $id})
SET c.status = $status, c.closedOn = $on
RETURN c.status AS status

// name: commitment_breach_link
MATCH (c:Commitment {id: $id})
MATCH (r:Record {id: $record})
CREATE (c)-[:BREACH_RECORD]->(r)

// The commitments made to a department, by state as of a day, due before a day; soonest due first.
// name: department_commitments
MATCH (d:Department {code: $department})<-[:MADE_TO]-(c:Commitment)<-[:COMMITTED]-(e:Entity)
WHERE c.madeOn <= $asOf AND ($dueBefore IS NULL OR c.dueOn < $dueBefore)
WITH c, d, e, @commitment_state(c, $asOf) AS state
WHERE $state IS NULL OR state = $state
WITH c, d, e, state ORDER BY c.dueOn, c.id
WITH collect(c {.id, .type, .matter, .madeOn, .dueOn, .status, .closedOn, department: d {.code, .name, .region},
                entity: e {.uscc, .name}, state: state,
                breachRecord: COLLECT { MATCH (c)-[:BREACH_RECORD]->(r:Record) RETURN r.id }[0]}) AS matching, collect([c.dueOn, c.id]) AS keys
WITH matching, keys, [false, false] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start, matching[start..start + $limit] AS page
