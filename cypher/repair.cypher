// Credit repair (信用修复): applications by the subject, decided by the department that decided the
// record or the listing.

// name: repair_create
OPTIONAL MATCH (rec:Record {id: $record})
OPTIONAL MATCH (lst:Listing {id: $listing})
WITH coalesce(rec, lst) AS t
MATCH (s)-[:HAS_RECORD|LISTED_ON]->(t)
MATCH (t)-[:DECIDED_BY]->(d:Department)
CREATE (a:RepairApplication {id: $id, status: 'PENDING', recordedAt: datetime()})
SET a += $props
CREATE (s)-[:FILED]->(a)
CREATE (a)-[:CONCERNS]->(t)
CREATE (a)-[:ADDRESSED_TO]->(d)
RETURN elementId(a) AS nodeId, a {.*, recordedAt: null} AS application

// The application, locked, with its target, the deciding department and the subject.
// name: repair_lock
MATCH (a:RepairApplication {id: $id})
SET a.lockedAt = datetime()
WITH a
MATCH (a)-[:CONCERNS]->(t)
MATCH (a)-[:ADDRESSED_TO]->(d:Department)
MATCH (s)-[:FILED]->(a)
RETURN elementId(a) AS nodeId, a {.*, lockedAt: null, recordedAt: null} AS application,
  CASE WHEN t:Record THEN 'RECORD' ELSE 'LISTING' END AS kind, t.id AS target, d.code AS department,
  coalesce(s.uscc, s.idHash) AS party, CASE WHEN t:Record THEN @record_visible(t) ELSE true END AS visible

// name: repair_decide
MATCH (a:RepairApplication {id: $id})
SET a.status = $status, a.decidedOn = $on, a.reason = $reason, a.decidedBy = $user
RETURN a {.*, lockedAt: null, recordedAt: null} AS application

// A subject's repair applications, newest first. One for a record the reader may not see
// (@record_visible) is left out, counts included: it names the record.
// name: repair_applications
OPTIONAL MATCH (se:Entity {uscc: $subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: $subjectPerson})
WITH coalesce(se, sp) AS s
OPTIONAL MATCH (s)-[:FILED]->(a:RepairApplication)-[:CONCERNS]->(t)
WHERE t:Listing OR @record_visible(t)
WITH a, t ORDER BY a.appliedOn DESC, a.id DESC
WITH collect(CASE WHEN a IS NOT NULL THEN a {.*, lockedAt: null, recordedAt: null,
  kind: CASE WHEN t:Record THEN 'RECORD' ELSE 'LISTING' END, target: t.id} END) AS matching,
     collect(CASE WHEN a IS NOT NULL THEN [a.appliedOn, a.id] END) AS keys
WITH matching, keys, [true, true] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start, matching[start..start + $limit] AS page
