// Decisions (行政决定) recorded by departments, and their publication (公示) within 7 working days.

// What recording a decision checks first: the subject, the acting department, whether the id is taken.
// name: decision_context
OPTIONAL MATCH (se:Entity {uscc: $subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: $subjectPerson})
OPTIONAL MATCH (d:Department {code: $department})
OPTIONAL MATCH (existing:Record {id: $id})
RETURN coalesce(se, sp) IS NOT NULL AS subjectFound, d IS NOT NULL AS departmentFound,
       existing IS NOT NULL AS idTaken, coalesce(se.uscc, sp.idHash) AS party

// name: decision_create
OPTIONAL MATCH (se:Entity {uscc: $subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: $subjectPerson})
WITH coalesce(se, sp) AS s
MATCH (d:Department {code: $department})
CREATE (r:Record {id: $id, status: 'ACTIVE', recordedAt: datetime()})
SET r += $props
CREATE (s)-[:HAS_RECORD]->(r)
CREATE (r)-[:DECIDED_BY]->(d)
RETURN elementId(r) AS nodeId, r {.*, recordedAt: null} AS record, s {.uscc, .idHash, .name} AS subject

// Lock the record (the SET takes the write lock; reads after it see the committed state).
// name: record_lock
MATCH (r:Record {id: $id})
SET r.lockedAt = datetime()
WITH r
MATCH (r)-[:DECIDED_BY]->(d:Department)
MATCH (s)-[:HAS_RECORD]->(r)
RETURN elementId(r) AS nodeId, d.code AS department, coalesce(s.uscc, s.idHash) AS party,
  @record_visible(r) AS visible

// name: record_state
MATCH (r:Record {id: $id})
RETURN r {.id, .category, .severity, .polarity, .decidedOn, .publishedOn, .publishDueOn, .status, .disclosure,
          .summary, .decisionNo, .publicationEndedOn} AS record

// name: record_publish
MATCH (r:Record {id: $id})
SET r.publishedOn = $publishedOn
RETURN r {.id, .publishedOn,
  publicMaxUntil: @public_max_until(r)} AS record

// Records a department decided that were not published by their due date, as of a day.
// name: overdue_publications
MATCH (d:Department {code: $department})<-[:DECIDED_BY]-(r:Record)
WHERE r.publishDueOn < $asOf AND r.decidedOn <= $asOf AND (r.publishedOn IS NULL OR r.publishedOn > $asOf)
  AND r.status = 'ACTIVE'
  // only what the reader may see (permissions.record_params): a RESTRICTED record to its own department's officers
  AND @record_visible(r)
WITH r ORDER BY r.publishDueOn, r.id
WITH collect(r) AS matching, collect([r.publishDueOn, r.id]) AS keys
WITH matching, keys, [false, false] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start,
  [r IN matching[start..start + $limit] | r {.id, .category, .polarity, .severity, .decisionNo, .decidedOn, .publishedOn,
    .summary, .disclosure, .status, .publishDueOn, .publishDueEstimated, .publicationEndedOn,
    department: COLLECT { MATCH (r)-[:DECIDED_BY]->(x:Department) RETURN x {.code, .name, .region} }[0]}] AS page
