// Watchlists and alerts (预警提醒). A watch is owned by the user who made it: (:Watch)-[:WATCHES]->(subject).
// An alert is an outbox node created in the transaction of the write that caused it, one per recipient
// (a user, or a department for what its listings must stop): `seq` grows by one per alert in commit order
// (the sequence node is locked until commit), `state` is NEW until acknowledged. Subscriptions and webhook
// dispatchers read the same nodes later, after a `seq`.

// Version 4: watches, alerts and the one alert sequence (two writers raising the first alerts at once
// would each MERGE a sequence of their own without it).
// name: m004_watch_id_unique
CREATE CONSTRAINT watch_id IF NOT EXISTS FOR (w:Watch) REQUIRE w.id IS UNIQUE

// name: m004_alert_id_unique
CREATE CONSTRAINT alert_id IF NOT EXISTS FOR (a:Alert) REQUIRE a.id IS UNIQUE

// name: m004_alert_seq_unique
CREATE CONSTRAINT alert_seq IF NOT EXISTS FOR (a:Alert) REQUIRE a.seq IS UNIQUE

// Two officers deciding the same name and candidate at once would each MERGE a decision without it.
// name: m004_screen_decision_unique
CREATE CONSTRAINT screen_decision_key IF NOT EXISTS FOR (d:ScreenDecision) REQUIRE (d.name, d.candidate) IS UNIQUE

// Version 5: a keyed alert (a scan's) is raised once per recipient; two scans at once would raise it twice
// without it. Entity grades the daily scan last saw, one per entity.
// name: m005_alert_key_unique
CREATE CONSTRAINT alert_key IF NOT EXISTS FOR (a:Alert) REQUIRE a.key IS UNIQUE

// name: m005_grade_seen_unique
CREATE CONSTRAINT grade_seen_uscc IF NOT EXISTS FOR (g:GradeSeen) REQUIRE g.uscc IS UNIQUE

// name: m004_alert_sequence_unique
CREATE CONSTRAINT alert_sequence_name IF NOT EXISTS FOR (q:AlertSequence) REQUIRE q.name IS UNIQUE

// A user's watch of a subject: made, or its events replaced when the user watches the subject already.
// No row: the subject is not in the graph.
// name: watch_upsert
OPTIONAL MATCH (se:Entity {uscc: $subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: $subjectPerson})
WITH coalesce(se, sp) AS s
WHERE s IS NOT NULL
// Locks the subject before the user's watches of it are read: a second watch of it at once waits, then finds
// the first (one active watch per user and subject).
SET s._watchLock = true
REMOVE s._watchLock
WITH s
OPTIONAL MATCH (old:Watch {user: $user, status: 'ACTIVE'})-[:WATCHES]->(s)
WITH s, head(collect(old)) AS old
CALL (s, old) {
  WITH s, old WHERE old IS NULL
  CREATE (w:Watch {id: $id, user: $user, department: $department, status: 'ACTIVE', createdAt: datetime()})
  CREATE (w)-[:WATCHES]->(s)
  RETURN w
  UNION
  WITH old WHERE old IS NOT NULL
  RETURN old AS w
}
SET w.events = $events
RETURN elementId(w) AS nodeId, old IS NULL AS created, coalesce(s.uscc, s.idHash) AS party,
  w {.id, .events, .createdAt,
     subject: s {kind: CASE WHEN s:Entity THEN 'ENTITY' ELSE 'PERSON' END, .uscc, .idHash, .name}} AS watch

// A user's watch ended (kept as history); no row: the user has no such watch.
// name: watch_end
MATCH (w:Watch {id: $id, user: $user, status: 'ACTIVE'})-[:WATCHES]->(s)
SET w.status = 'ENDED', w.endedAt = datetime()
RETURN elementId(w) AS nodeId, coalesce(s.uscc, s.idHash) AS party,
  w {.id, .events, .createdAt,
     subject: s {kind: CASE WHEN s:Entity THEN 'ENTITY' ELSE 'PERSON' END, .uscc, .idHash, .name}} AS watch

// A user's watches, newest first.
// name: watches_page
MATCH (w:Watch {user: $user, status: 'ACTIVE'})-[:WATCHES]->(s)
WITH w, s ORDER BY w.createdAt DESC, w.id DESC
WITH collect(w {.id, .events, .createdAt,
       subject: s {kind: CASE WHEN s:Entity THEN 'ENTITY' ELSE 'PERSON' END, .uscc, .idHash, .name}}) AS matching,
     collect([w.createdAt.epochMillis, w.id]) AS keys
WITH matching, keys, [true, true] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start,
  matching[start..start + $limit] AS page

// Who is alerted of what — the one rule, for every write path (services and importer alike). Each cause
// (domain/alerts.py `cause`) alerts the active watchers of its subject who asked for its kind (or for every
// kind); a reappearance also alerts the department of the listing that binds the person and the watchers
// of that listing's subject. One alert per recipient and cause, numbered in commit order.
// name: alerts_raise
UNWIND $causes AS c
OPTIONAL MATCH (se:Entity {uscc: c.subject})
OPTIONAL MATCH (sp:Person {idHash: c.subject})
WITH c, coalesce(se, sp) AS s
WHERE s IS NOT NULL
CALL (c, s) {
  MATCH (w:Watch {status: 'ACTIVE'})-[:WATCHES]->(s)
  WHERE size(coalesce(w.events, [])) = 0 OR c.kind IN w.events
  RETURN w.user AS user, w.department AS watcherDepartment, null AS department
  UNION
  MATCH (ls)-[:LISTED_ON]->(:Listing {id: c.listing})
  WHERE c.kind = 'REAPPEARANCE'
  MATCH (w:Watch {status: 'ACTIVE'})-[:WATCHES]->(ls)
  WHERE size(coalesce(w.events, [])) = 0 OR c.kind IN w.events
  RETURN w.user AS user, w.department AS watcherDepartment, null AS department
  UNION
  MATCH (:Listing {id: c.listing})-[:DECIDED_BY]->(d:Department)
  WHERE c.kind = 'REAPPEARANCE'
  RETURN null AS user, null AS watcherDepartment, d.code AS department
  UNION
  // the department responsible for the cause (a deadline's)
  MATCH (d:Department {code: c.department})
  RETURN null AS user, null AS watcherDepartment, d.code AS department
}
WITH c, collect(DISTINCT {user: user, watcherDepartment: watcherDepartment, department: department}) AS rs
// a watcher whose department is alerted of the same cause reads it in that alert: not twice
WITH c, rs, [r IN rs WHERE r.user IS NULL | r.department] AS departments
UNWIND [r IN rs WHERE r.user IS NULL OR r.watcherDepartment IS NULL OR NOT r.watcherDepartment IN departments]
  AS r
// a keyed cause alerts each recipient once: a re-run of a scan raises nothing it raised before
WITH c, r, CASE WHEN c.key IS NULL THEN null ELSE c.key + '|' + coalesce(r.user, 'department:' + r.department) END
  AS key
WHERE key IS NULL OR NOT EXISTS { MATCH (:Alert {key: key}) }
WITH collect({c: c, user: r.user, department: r.department, key: key}) AS todo
CALL (todo) {
  // the sequence is locked only by writes that raise an alert, last in their transaction
  WITH todo WHERE size(todo) > 0
  MERGE (q:AlertSequence {name: 'alerts'})
  ON CREATE SET q.last = 0
  WITH q, todo, q.last AS base
  SET q.last = base + size(todo)
  WITH base, todo
  UNWIND range(0, size(todo) - 1) AS i
  WITH base + i + 1 AS seq, todo[i] AS t
  OPTIONAL MATCH (se:Entity {uscc: t.c.subject})
  OPTIONAL MATCH (sp:Person {idHash: t.c.subject})
  WITH seq, t, coalesce(se, sp) AS s
  CREATE (a:Alert {id: randomUUID(), seq: seq, kind: t.c.kind, subject: t.c.subject, path: t.c.path,
                   recordIds: t.c.recordIds, causeIds: t.c.causeIds, listing: t.c.listing, note: t.c.note,
                   key: t.key, user: t.user, department: t.department, state: 'NEW', createdAt: datetime()})
  CREATE (a)-[:ABOUT]->(s)
  RETURN count(a) AS raised
}
RETURN sum(raised) AS raised

// What a role or holding the importer writes tells of persons bound by a listing in force: each bound
// person taking a role, or a majority holding, anywhere, with the binding (or the person's own listing)
// and its basis, for the path (domain/alerts.py reappearance_path).
// name: reappearance_facts
UNWIND $facts AS f
MATCH (p:Person {idHash: f.person})
MATCH (e:Entity {uscc: f.entity})
CALL (p, f) {
  MATCH (l:Listing)-[b:BINDS]->(p)
  WHERE l.status = 'ACTIVE' AND b.status = 'ACTIVE' AND @valid_on(l, $asOf)
  OPTIONAL MATCH (v:Entity {uscc: b.via})
  OPTIONAL MATCH (p)-[r]->(v) WHERE type(r) IN b.roles
  WITH l, v, b, r ORDER BY r.since
  WITH l, v, b, head(collect(r)) AS r
  RETURN l, CASE WHEN v IS NULL THEN null
                 ELSE {uscc: v.uscc, name: v.name, role: coalesce(type(r), head(b.roles)),
                       since: r.since, until: r.until} END AS via
  UNION
  MATCH (p)-[:LISTED_ON]->(l:Listing)
  WHERE l.status = 'ACTIVE' AND @binds_persons(l) AND @valid_on(l, $asOf)
  RETURN l, null AS via
}
WITH f, p, e, l, via
WHERE via IS NULL OR via.uscc <> e.uscc
RETURN f.key AS key, f.relation AS relation, f.since AS since, f.ratio AS ratio,
  p {.idHash, .name} AS person, e {.uscc, .name, .established} AS entity, via,
  l {.id, .list, .since, .until} AS listing,
  [(l)-[:BASED_ON]->(r:Record) | r {.id, .category, .decidedOn}] AS basis

// A reader's alerts, newest first: those to the user, and those to the reader's department. `hidden` are the
// ids of the records on each alert's path the reader may not see (shown as the undisclosed node).
// name: alerts_page
MATCH (a:Alert)
WHERE (a.user = $user OR (a.department IS NOT NULL AND a.department = $department))
  AND (NOT $unacknowledgedOnly OR a.state = 'NEW')
WITH a ORDER BY a.seq DESC
WITH collect(a) AS matching, collect([a.seq]) AS keys
WITH matching, keys, [true] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start,
  [a IN matching[start..start + $limit] | a {.id, .seq, .kind, .subject, .path, .note, .causeIds, .state, .createdAt,
    .acknowledgedAt, .department,
    hidden: [rid IN a.recordIds WHERE NOT EXISTS { MATCH (r:Record {id: rid}) WHERE @record_visible(r) }]}] AS page

// An alert acknowledged by a reader it is for (the first acknowledgement stands); no row: none such.
// name: alert_acknowledge
MATCH (a:Alert {id: $id})
WHERE a.user = $user OR (a.department IS NOT NULL AND a.department = $department)
SET a.acknowledgedAt = coalesce(a.acknowledgedAt, datetime()),
    a.acknowledgedBy = coalesce(a.acknowledgedBy, $user),
    a.state = 'ACKNOWLEDGED'
RETURN elementId(a) AS nodeId,
  a {.id, .seq, .kind, .subject, .path, .note, .causeIds, .state, .createdAt, .acknowledgedAt, .department,
     hidden: [rid IN a.recordIds WHERE NOT EXISTS { MATCH (r:Record {id: rid}) WHERE @record_visible(r) }]} AS alert

// Alert subscriptions (services/alert_feed.py): every process polls for the alerts committed past the
// last one it saw, in seq order (the unique constraint on seq is its index), and learns to whom each is.
// Only up to the sequence's last value as read first (`head`): every alert up to it is committed, where a
// scan alone could see seq N+1 and miss N committing behind it.
// name: alerts_feed
OPTIONAL MATCH (q:AlertSequence {name: 'alerts'})
WITH coalesce(q.last, 0) AS head
CALL (head) {
  MATCH (a:Alert)
  WHERE a.seq > $after AND a.seq <= head
  WITH a ORDER BY a.seq
  LIMIT $limit
  RETURN collect({seq: a.seq, user: a.user, department: a.department}) AS alerts
}
RETURN head, alerts

// The last alert committed (0 before the first): where a subscription without afterSeq starts.
// name: alerts_head
OPTIONAL MATCH (q:AlertSequence {name: 'alerts'})
RETURN coalesce(q.last, 0) AS seq

// A reader's alerts after a seq, oldest first, as the inbox shows them (alerts_page's projection: `hidden`
// are the records on each path the reader may not see): a subscription's backlog, page by page.
// name: alerts_backlog
OPTIONAL MATCH (q:AlertSequence {name: 'alerts'})
WITH coalesce(q.last, 0) AS head
MATCH (a:Alert)
WHERE a.seq > $after AND a.seq <= head
  AND (a.user = $user OR (a.department IS NOT NULL AND a.department = $department))
  AND (NOT $unacknowledgedOnly OR a.state = 'NEW')
WITH a ORDER BY a.seq
LIMIT $limit
RETURN a {.id, .seq, .kind, .subject, .path, .causeIds, .state, .createdAt, .acknowledgedAt, .department,
  hidden: [rid IN a.recordIds WHERE NOT EXISTS { MATCH (r:Record {id: rid}) WHERE @record_visible(r) }]} AS alert

// The alerts the poller found, as readers who see records alike are shown them (the same projection).
// name: alerts_by_seq
UNWIND $seqs AS seq
MATCH (a:Alert {seq: seq})
RETURN a {.id, .seq, .kind, .subject, .path, .causeIds, .state, .createdAt, .acknowledgedAt, .department,
  hidden: [rid IN a.recordIds WHERE NOT EXISTS { MATCH (r:Record {id: rid}) WHERE @record_visible(r) }]} AS alert

// Which of the records or listings an import batch is about to write are new (an update of one already
// in the graph alerts no one again).
// name: import_new_records
UNWIND $keys AS key
OPTIONAL MATCH (r:Record {id: key})
WITH key, r WHERE r IS NULL
RETURN collect(key) AS keys

// name: import_new_listings
UNWIND $keys AS key
OPTIONAL MATCH (l:Listing {id: key})
WITH key, l WHERE l IS NULL
RETURN collect(key) AS keys

// The records an import batch made, with their subjects, for the RECORD alerts (domain/alerts.py record_path).
// name: imported_records
UNWIND $keys AS key
MATCH (s)-[:HAS_RECORD]->(r:Record {id: key})
RETURN s {.uscc, .idHash, .name} AS subject, r {.id, .category, .decidedOn} AS record

// The listings an import batch made, with their subjects and basis, for the LISTING alerts (paths.listing_path).
// name: imported_listings
UNWIND $keys AS key
MATCH (s)-[:LISTED_ON]->(l:Listing {id: key})
RETURN s {.uscc, .idHash, .name} AS subject, l {.id, .list, .since, .until} AS listing,
  [(l)-[:BASED_ON]->(r:Record) | r {.id, .category, .decidedOn}] AS basis
