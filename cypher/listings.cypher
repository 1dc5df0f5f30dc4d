// Listing and delisting by a department, with the cascade: measures applied, closed-loop tasks pushed to
// the executing departments, responsible persons bound (the window rule), related entities flagged.

// The subject of a listing about to be made, locked for the transaction (a SET before anything is read):
// officers listing one subject at the same moment queue here, and each one after the first sees the
// listing made before it (ALREADY_LISTED) instead of making a second.
// name: listing_subject_lock
OPTIONAL MATCH (se:Entity {uscc: $subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: $subjectPerson})
WITH coalesce(se, sp) AS s
WHERE s IS NOT NULL
SET s.listingLockedAt = datetime()
RETURN elementId(s) AS nodeId

// The basis records of a listing about to be made, locked by id before its subject: the order of every
// write that takes a record and its subject (an objection raised or a repair applied for locks the record,
// then files on the subject), so that the two queue instead of deadlocking. An objection upheld or a
// repair approved on a record at the same moment either commits first,
// and the listing then sees the record revoked or repaired (BASIS_NOT_ACTIVE), or waits, and then finds
// the new listing resting on the record and withdraws or ends it.
// name: listing_basis_lock
UNWIND $basis AS b
MATCH (r:Record {id: b})
WITH r ORDER BY r.id
SET r.lockedAt = datetime()
RETURN count(r) AS locked

// What a listing decision needs to check, in one read: the subject, the deciding department, the
// basis records the officer may see (@record_visible), and a listing on the same list already in force on
// the start day.
// name: listing_context
OPTIONAL MATCH (se:Entity {uscc: $subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: $subjectPerson})
WITH coalesce(se, sp) AS s
OPTIONAL MATCH (d:Department {code: $department})
CALL () {
  UNWIND $basis AS b
  OPTIONAL MATCH (x)-[:HAS_RECORD]->(r:Record {id: b})
  // A record the officer may not see is "not known", as one that does not exist: a refusal that told its
  // polarity or decision day would name it (graph_api/domain/disclosure.py).
  WITH b, x, r, r IS NOT NULL AND @record_visible(r) AS found
  RETURN collect(CASE WHEN found
                   THEN {id: b, found: true, polarity: r.polarity, decidedOn: r.decidedOn, status: r.status,
                         subject: coalesce(x.uscc, x.idHash)}
                   ELSE {id: b, found: false} END) AS basis
}
RETURN s IS NOT NULL AS subjectFound, d {.code, .name, .region} AS department,
  EXISTS { MATCH (:Listing {id: $id}) } AS idTaken,
  coalesce(s.uscc, s.idHash) AS party, basis,
  COLLECT {
    MATCH (s)-[:LISTED_ON]->(l:Listing {list: $list})
    WHERE @valid_on(l, $since)
    RETURN l.id
  } AS alreadyListed

// name: listing_create
OPTIONAL MATCH (se:Entity {uscc: $subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: $subjectPerson})
WITH coalesce(se, sp) AS s
MATCH (d:Department {code: $department})
CREATE (l:Listing {id: $id, list: $list, since: $since, until: $until, plannedUntil: $until, rectifyBy: $rectifyBy,
                   status: 'ACTIVE', measuresGiven: $measuresGiven, recordedAt: datetime()})
CREATE (s)-[:LISTED_ON]->(l)
CREATE (l)-[:DECIDED_BY]->(d)
WITH l
CALL (l) {
  UNWIND $basis AS b
  MATCH (r:Record {id: b})
  CREATE (l)-[:BASED_ON]->(r)
}
CALL (l) {
  UNWIND $measures AS code
  MATCH (m:Measure {code: code})
  CREATE (l)-[:APPLIES]->(m)
}
RETURN elementId(l) AS nodeId, l {.id, .list, .since, .until, .status, .rectifyBy} AS listing

// The cascade of a new listing in one statement (one round trip instead of three): the persons it binds
// ($persons, by the window rule), the related entities it flags ($flags) and one task per applied measure
// and executing department kind, in the region of the listing department ($tasks); the department with
// code <region>-<kind> finds it among its pending items. Any of the lists may be empty.
// name: listing_cascade_create
MATCH (l:Listing {id: $id})
CALL (l) {
  UNWIND $persons AS b
  MATCH (p:Person {idHash: b.idHash})
  CREATE (l)-[:BINDS {roles: b.roles, via: $via, since: $since, until: $until, status: 'ACTIVE'}]->(p)
}
CALL (l) {
  UNWIND $flags AS f
  MATCH (e:Entity {uscc: f.uscc})
  CREATE (l)-[:FLAGS {reason: f.reason, path: f.path, since: $since, until: $until, status: 'ACTIVE'}]->(e)
}
CALL (l) {
  UNWIND $tasks AS t
  MATCH (m:Measure {code: t.measure})
  CREATE (task:Task {id: t.id, measure: t.measure, region: $region, executorKind: t.executorKind,
                     executor: t.executor, status: 'PENDING', pushedOn: $pushedOn, dueOn: $dueOn,
                     dueEstimated: $dueEstimated, since: $since, until: $until})
  CREATE (task)-[:FOR]->(l)
  CREATE (task)-[:OF_MEASURE]->(m)
  WITH task, t
  CALL (task, t) {
    UNWIND t.subjects AS key
    OPTIONAL MATCH (se:Entity {uscc: key})
    OPTIONAL MATCH (sp:Person {idHash: key})
    WITH task, coalesce(se, sp) AS s WHERE s IS NOT NULL
    CREATE (task)-[:BINDS]->(s)
  }
  CALL (task, t) {
    OPTIONAL MATCH (d:Department {code: t.executor})
    WITH task, d WHERE d IS NOT NULL
    CREATE (task)-[:PUSHED_TO]->(d)
  }
  RETURN count(task) AS created
}
RETURN created

// The write lock on a listing: later reads in the transaction see the committed state.
// name: listing_lock
MATCH (l:Listing {id: $id})
SET l.lockedAt = datetime()
WITH l
MATCH (l)-[:DECIDED_BY]->(d:Department)
MATCH (s)-[:LISTED_ON]->(l)
RETURN elementId(l) AS nodeId, d.code AS department, coalesce(s.uscc, s.idHash) AS party

// The tasks of a listing, locked before the listing ends them: a report of one at the same moment either
// commits first (the task stays EXECUTED or DECLINED) or waits and finds the task ended.
// name: listing_tasks_lock
MATCH (t:Task)-[:FOR]->(:Listing {id: $id})
WITH t ORDER BY t.id
SET t.lockedAt = datetime()
RETURN count(t) AS locked

// name: listing_state
MATCH (l:Listing {id: $id})
RETURN l {.id, .list, .since, .until, .plannedUntil, .status, .endedOn, .endReason, .rectifyBy} AS listing

// Ends a listing and everything it set in motion, from a day on: the listing's validity, tasks not yet
// reported (ENDED, or WITHDRAWN when the listing is withdrawn), the measures of executed tasks, the
// personal bindings and the related-entity flags. Nothing is deleted: it is history.
// name: listing_end
MATCH (l:Listing {id: $id})
SET l.plannedUntil = CASE WHEN l.endedOn IS NULL THEN l.until ELSE l.plannedUntil END,
    l.until = $on, l.status = $status, l.endedOn = $on, l.endReason = $reason
WITH l
CALL (l) {
  MATCH (t:Task)-[:FOR]->(l)
  SET t.until = $on,
      t.status = CASE WHEN t.status = 'PENDING' THEN $taskStatus ELSE t.status END,
      t.endedOn = $on
  RETURN count(t) AS tasks
}
CALL (l) {
  MATCH (l)-[b:BINDS|FLAGS]->()
  WHERE b.status = 'ACTIVE'
  SET b.until = $on, b.status = $linkStatus
  RETURN count(b) AS links
}
RETURN tasks, links, l {.id, .list, .since, .until, .plannedUntil, .status, .endedOn, .endReason} AS listing
