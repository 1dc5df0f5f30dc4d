// Objections (异议) to a record or a listing, answered by the deciding department within 7 working days.

// name: objection_create
OPTIONAL MATCH (rec:Record {id: $record})
OPTIONAL MATCH (lst:Listing {id: $listing})
WITH coalesce(rec, lst) AS t
MATCH (s)-[:HAS_RECORD|LISTED_ON]->(t)
MATCH (t)-[:DECIDED_BY]->(d:Department)
CREATE (o:Objection {id: $id, status: 'OPEN', recordedAt: datetime()})
SET o += $props
CREATE (s)-[:FILED]->(o)
CREATE (o)-[:CONCERNS]->(t)
CREATE (o)-[:ADDRESSED_TO]->(d)
RETURN elementId(o) AS nodeId, o {.*, recordedAt: null} AS objection

// name: objection_lock
MATCH (o:Objection {id: $id})
SET o.lockedAt = datetime()
WITH o
MATCH (o)-[:CONCERNS]->(t)
MATCH (o)-[:ADDRESSED_TO]->(d:Department)
MATCH (s)-[:FILED]->(o)
RETURN elementId(o) AS nodeId, o {.*, lockedAt: null, recordedAt: null} AS objection,
  CASE WHEN t:Record THEN 'RECORD' ELSE 'LISTING' END AS kind, t.id AS target, d.code AS department,
  coalesce(s.uscc, s.idHash) AS party, CASE WHEN t:Record THEN @record_visible(t) ELSE true END AS visible

// name: objection_answer
MATCH (o:Objection {id: $id})
SET o.status = $status, o.answeredOn = $on, o.answer = $answer, o.answeredBy = $user
RETURN o {.*, lockedAt: null, recordedAt: null} AS objection

// An upheld objection corrects the record (or revokes it: publication ends that day).
// name: record_correct
MATCH (r:Record {id: $id})
SET r += $props
RETURN r {.id, .status, .severity, .summary, .correctedOn, .publicationEndedOn} AS record

// Objections addressed to a department still unanswered after their due day, as of a day. An objection
// to a record the reader may not see (@record_visible) is left out, counts included: it names the record.
// name: overdue_objections
MATCH (d:Department {code: $department})<-[:ADDRESSED_TO]-(o:Objection)-[:CONCERNS]->(t)
WHERE o.raisedOn <= $asOf AND o.dueOn < $asOf AND (o.answeredOn IS NULL OR o.answeredOn > $asOf)
  AND (t:Listing OR @record_visible(t))
WITH o, t ORDER BY o.dueOn, o.id
WITH collect(o {.*, lockedAt: null, recordedAt: null, kind: CASE WHEN t:Record THEN 'RECORD' ELSE 'LISTING' END,
                target: t.id}) AS matching, collect([o.dueOn, o.id]) AS keys
WITH matching, keys, [false, false] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start, matching[start..start + $limit] AS page

// The objections filed about an entity or a person, newest first; as overdue_objections, one to a
// record the reader may not see is left out.
// name: subject_objections
OPTIONAL MATCH (se:Entity {uscc: $subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: $subjectPerson})
WITH coalesce(se, sp) AS s
OPTIONAL MATCH (s)-[:FILED]->(o:Objection)-[:CONCERNS]->(t)
WHERE t:Listing OR @record_visible(t)
WITH o, t ORDER BY o.raisedOn DESC, o.id DESC
WITH collect(CASE WHEN o IS NOT NULL THEN o {.*, lockedAt: null, recordedAt: null,
  kind: CASE WHEN t:Record THEN 'RECORD' ELSE 'LISTING' END, target: t.id} END) AS matching,
     collect(CASE WHEN o IS NOT NULL THEN [o.raisedOn, o.id] END) AS keys
WITH matching, keys, [true, true] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start, matching[start..start + $limit] AS page
