// The daily scan (`graph-api scan deadlines`, services/deadlines.py): deadlines near or lapsed as of a day,
// and the grades of watched entities against the grade the scan last saw. The scan raises its alerts through
// `alerts_raise` (watch.cypher), keyed so that a re-run raises nothing new.

// Every open deadline due by $until (the last day counted as near), lapsed ones included: a record not
// published by its publication due day, an objection not answered, a pushed task without feedback, a pending
// commitment. `department` is the one responsible: the record's decider, the objection's addressee, the task's
// executor (or, for an executor that is no department, the listing department), the commitment's recipient.
// name: deadline_facts
CALL () {
  MATCH (s)-[:HAS_RECORD]->(r:Record)-[:DECIDED_BY]->(d:Department)
  WHERE r.publishDueOn <= $until AND r.decidedOn <= $asOf AND r.status = 'ACTIVE'
    AND (r.publishedOn IS NULL OR r.publishedOn > $asOf)
  RETURN 'PUBLICATION' AS deadline, r.id AS id, r.category AS name, r.publishDueOn AS due, s, d.code AS department
  UNION
  MATCH (s)-[:FILED]->(o:Objection)-[:ADDRESSED_TO]->(d:Department)
  WHERE o.dueOn <= $until AND o.raisedOn <= $asOf AND (o.answeredOn IS NULL OR o.answeredOn > $asOf)
  RETURN 'OBJECTION_ANSWER' AS deadline, o.id AS id, 'OBJECTION' AS name, o.dueOn AS due, s, d.code AS department
  UNION
  MATCH (t:Task {status: 'PENDING'})-[:BINDS]->(s)
  WHERE t.dueOn <= $until AND t.pushedOn <= $asOf
  OPTIONAL MATCH (t)-[:PUSHED_TO]->(x:Department)
  OPTIONAL MATCH (t)-[:FOR]->(:Listing)-[:DECIDED_BY]->(ld:Department)
  RETURN 'TASK_FEEDBACK' AS deadline, t.id AS id, t.measure AS name, t.dueOn AS due, s,
    coalesce(x.code, ld.code) AS department
  UNION
  MATCH (s:Entity)-[:COMMITTED]->(c:Commitment {status: 'PENDING'})-[:MADE_TO]->(d:Department)
  WHERE c.dueOn <= $until AND c.madeOn <= $asOf
  RETURN 'COMMITMENT' AS deadline, c.id AS id, c.type AS name, c.dueOn AS due, s, d.code AS department
}
RETURN deadline, id, name, due, department,
  s {.uscc, .idHash, .name} AS subject
ORDER BY due, deadline, id

// The entities watched for grade changes (a watch of every kind, or of GRADE), with the grade last seen.
// name: grade_watched
MATCH (w:Watch {status: 'ACTIVE'})-[:WATCHES]->(e:Entity)
WHERE size(coalesce(w.events, [])) = 0 OR 'GRADE' IN w.events
WITH DISTINCT e
OPTIONAL MATCH (g:GradeSeen {uscc: e.uscc})
RETURN e.uscc AS uscc, e.name AS name, g.grade AS seen
ORDER BY uscc

// The grades the scan saw, remembered for the next day (in the transaction that raises their alerts).
// name: grade_seen_set
UNWIND $rows AS row
MERGE (g:GradeSeen {uscc: row.uscc})
SET g.grade = row.grade, g.seenOn = $asOf
RETURN count(g) AS n
