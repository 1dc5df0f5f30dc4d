// The closed loop of measures (发起–响应–推送–执行–反馈): tasks pushed to executing departments,
// their reports, and the listing department's view of open and overdue items.

// name: tasks_of_executor
MATCH (t:Task {region: $region, executorKind: $kind})
WHERE $statuses IS NULL OR t.status IN $statuses
WITH t ORDER BY t.dueOn, t.id
WITH collect(t) AS matching, collect([t.dueOn, t.id]) AS keys
WITH matching, keys, [false, false] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start, [t IN matching[start..start + $limit] | t] AS page

// Open tasks of the listings a department decided, overdue first.
// name: tasks_of_listing_department
MATCH (d:Department {code: $department})<-[:DECIDED_BY]-(l:Listing)<-[:FOR]-(t:Task {status: 'PENDING'})
WHERE t.pushedOn <= $asOf AND ($overdueOnly = false OR t.dueOn < $asOf)
WITH t ORDER BY t.dueOn, t.id
WITH collect(t) AS matching, collect([t.dueOn, t.id]) AS keys
WITH matching, keys, [false, false] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start, [t IN matching[start..start + $limit] | t] AS page

// name: task_details
UNWIND $keys AS key
MATCH (t:Task {id: key})-[:FOR]->(l:Listing)-[:DECIDED_BY]->(d:Department)
MATCH (t)-[:OF_MEASURE]->(m:Measure)
RETURN key, l {.id, .list, .since, .until, .status} AS listing, d {.code, .name, .region} AS department,
  m {.code, .name, .nameZh, .kind, .binds, .scenarios} AS measure,
  COLLECT { MATCH (t)-[:BINDS]->(s) WITH s ORDER BY s:Person, coalesce(s.uscc, s.idHash)
            RETURN CASE WHEN s:Entity THEN {kind: 'ENTITY', key: s.uscc, name: s.name}
                        ELSE {kind: 'PERSON', key: s.idHash, name: s.name, idMasked: s.idMasked, idCipher: s.idCipher} END } AS subjects

// name: task_lock
MATCH (t:Task {id: $id})
SET t.lockedAt = datetime()
WITH t
MATCH (t)-[:FOR]->(l:Listing)<-[:LISTED_ON]-(s)
RETURN elementId(t) AS nodeId, t {.id, .measure, .region, .executorKind, .executor, .status, .pushedOn, .dueOn} AS task,
       coalesce(s.uscc, s.idHash) AS party

// name: task_report
MATCH (t:Task {id: $id})
SET t.status = $status, t.reportedOn = $on, t.reason = $reason, t.reportedBy = $user
RETURN t
