// Webhooks (回调推送): a department's receivers of the alerts addressed to it (Alert.department), read from
// the outbox after each webhook's cursor (the last seq delivered or given up), in seq order. A webhook's
// lease (holder, until) is claimed in a write transaction, so one worker at a time delivers its alerts.
// (:WebhookDelivery) is one alert's delivery to one webhook, with a (:WebhookAttempt) per attempt.

// Version 5: webhooks, their deliveries (one per webhook and alert) and their attempts.
// name: m005_webhook_id_unique
CREATE CONSTRAINT webhook_id IF NOT EXISTS FOR (w:Webhook) REQUIRE w.id IS UNIQUE

// name: m005_webhook_delivery_id_unique
CREATE CONSTRAINT webhook_delivery_id IF NOT EXISTS FOR (d:WebhookDelivery) REQUIRE d.id IS UNIQUE

// name: m005_webhook_delivery_key_unique
CREATE CONSTRAINT webhook_delivery_key IF NOT EXISTS FOR (d:WebhookDelivery) REQUIRE (d.webhook, d.alert) IS UNIQUE

// Version 6: the due read seeks by index: a webhook's PENDING deliveries (not every alert scanned for them),
// and its department's alerts after its cursor in seq order (not every department's).
// name: m006_webhook_delivery_state_index
CREATE INDEX webhook_delivery_state IF NOT EXISTS FOR (d:WebhookDelivery) ON (d.webhook, d.state)

// name: m006_alert_department_seq_index
CREATE INDEX alert_department_seq IF NOT EXISTS FOR (a:Alert) ON (a.department, a.seq)

// A webhook registered: it is delivered the alerts raised after it (its cursor starts at the last seq).
// One active webhook per department and URL: the department is locked before its webhooks are read, so a
// second registration at once waits and finds the first. No row: the department is not in the graph;
// `created` false: the URL is registered already.
// name: webhook_create
MATCH (dep:Department {code: $department})
SET dep._webhookLock = true
REMOVE dep._webhookLock
WITH dep
OPTIONAL MATCH (old:Webhook {department: dep.code, url: $url, status: 'ACTIVE'})
WITH head(collect(old)) AS old
OPTIONAL MATCH (q:AlertSequence {name: 'alerts'})
WITH old, q WHERE old IS NULL
CREATE (w:Webhook {id: $id, department: $department, url: $url, events: $events, secret: $secret,
                   status: 'ACTIVE', cursor: coalesce(q.last, 0), createdAt: datetime(), createdBy: $user})
RETURN elementId(w) AS nodeId, w {.id, .url, .events, .status, .cursor, .createdAt, .department} AS webhook

// Whether a department has an active webhook for a URL (after webhook_create answered no row).
// name: webhook_registered
OPTIONAL MATCH (dep:Department {code: $department})
RETURN dep IS NOT NULL AS department,
  EXISTS { MATCH (:Webhook {department: $department, url: $url, status: 'ACTIVE'}) } AS registered

// A department's webhook removed (kept, with its delivery log); no row: the department has none such.
// name: webhook_remove
MATCH (w:Webhook {id: $id, department: $department})
// locked before its status is read: of removals at once, one removes it, the others find it removed
SET w._leaseLock = true
REMOVE w._leaseLock
WITH w WHERE w.status = 'ACTIVE'
SET w.status = 'REMOVED', w.removedAt = datetime(), w.leaseHolder = null, w.leaseUntil = null
RETURN elementId(w) AS nodeId, w {.id, .url, .events, .status, .cursor, .createdAt, .department} AS webhook

// A department's active webhooks, newest first.
// name: webhooks_page
MATCH (w:Webhook {department: $department, status: 'ACTIVE'})
WITH w ORDER BY w.createdAt DESC, w.id DESC
WITH collect(w {.id, .url, .events, .status, .cursor, .createdAt, .department}) AS matching,
     collect([w.createdAt.epochMillis, w.id]) AS keys
WITH matching, keys, [true, true] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start,
  matching[start..start + $limit] AS page

// A department webhook's delivery log, newest alert first, optionally in one state, each with its attempts.
// name: webhook_deliveries_page
MATCH (w:Webhook {id: $webhook, department: $department})
MATCH (d:WebhookDelivery {webhook: w.id})
WHERE $state IS NULL OR d.state = $state
WITH d ORDER BY d.seq DESC
WITH collect(d) AS matching, collect([d.seq]) AS keys
WITH matching, keys, [true] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start,
  [d IN matching[start..start + $limit] | d {.id, .webhook, .alert, .seq, .state, .attempts, .failures,
    .lastStatus, .lastError, .nextAttemptAt, .deliveredAt, .createdAt,
    attempts: [(d)-[:ATTEMPT]->(t:WebhookAttempt) | t {.n, .at, .statusCode, .error, .reason, .ms}]}] AS page

// A DEAD delivery of a department's webhook put back to be attempted now, with a fresh count of failures;
// no row: none such (or not DEAD).
// name: webhook_delivery_requeue
MATCH (d:WebhookDelivery {id: $id})
MATCH (w:Webhook {id: d.webhook, department: $department, status: 'ACTIVE'})
// locked before its state is read: of retries at once, one puts it back, the others find it PENDING
SET d._retryLock = true
REMOVE d._retryLock
WITH d WHERE d.state = 'DEAD'
SET d.state = 'PENDING', d.failures = 0, d.nextAttemptAt = datetime()
RETURN elementId(d) AS nodeId, d {.id, .webhook, .alert, .seq, .state, .attempts, .failures, .lastStatus,
  .lastError, .nextAttemptAt, .deliveredAt, .createdAt, attempts: []} AS delivery

// The active webhooks this holder may work on now, leased to it: those it holds already, then free or expired
// ones up to its share (the active webhooks divided among the workers seen within a lease, rounded up), so
// several workers or replicas split the webhooks between them rather than the first taking all (a new worker
// is counted at its first claim; until the others' next claims it may find none free). Each webhook
// is locked before its lease is read, so two workers claiming at once queue and the second sees the first's
// lease. The holder's heartbeat (:WebhookWorker) is written here; a worker's lapses a lease after its last
// claim, and lapsed ones are deleted.
// name: webhook_claim
MERGE (me:WebhookWorker {holder: $holder})
SET me.seenUntil = datetime.realtime() + duration({milliseconds: $leaseMs})
WITH me
CALL (me) {
  MATCH (k:WebhookWorker) WHERE k.seenUntil < datetime.realtime() AND k <> me
  DELETE k
}
CALL () {
  MATCH (k:WebhookWorker) WHERE k.seenUntil >= datetime.realtime()
  RETURN count(k) AS workers
}
MATCH (w:Webhook)
WHERE w.status = 'ACTIVE'
WITH workers, w ORDER BY w.id
SET w._leaseLock = true
REMOVE w._leaseLock
WITH workers, collect(w) AS active
WITH [w IN active WHERE w.leaseHolder = $holder AND w.leaseUntil >= datetime.realtime()] AS mine,
     [w IN active WHERE w.leaseUntil IS NULL OR w.leaseUntil < datetime.realtime()] AS free,
     toInteger(ceil(toFloat(size(active)) / workers)) AS share
// beyond its share (a worker joined since) a holder gives its last ones up, for the newcomer's next claim
FOREACH (w IN mine[share..] | SET w.leaseHolder = null, w.leaseUntil = null)
WITH mine[..share] AS kept, free, share
UNWIND kept + free[..CASE WHEN share > size(kept) THEN share - size(kept) ELSE 0 END] AS w
SET w.leaseHolder = $holder, w.leaseUntil = datetime.realtime() + duration({milliseconds: $leaseMs})
RETURN w {.id, .department, .url, .events, .secret, .cursor} AS webhook

// A worker's heartbeat removed when it stops: the others' shares grow at their next claim.
// name: webhook_worker_leave
MATCH (k:WebhookWorker {holder: $holder})
DELETE k

// A webhook's lease given up by its holder (at the end of a pass, or when the worker stops).
// name: webhook_release
MATCH (w:Webhook {id: $webhook, leaseHolder: $holder})
SET w.leaseHolder = null, w.leaseUntil = null
RETURN count(w) AS released

// What a webhook is to attempt now: the DEAD deliveries put back (behind its cursor), then the next alerts
// to its department after its cursor, in seq order, each as its department's officer reads it in the inbox
// (`hidden`: the records on its path that officer may not see), with its delivery so far (null: none yet).
// name: webhook_due
MATCH (w:Webhook {id: $webhook})
CALL (w) {
  MATCH (d:WebhookDelivery)
  USING INDEX d:WebhookDelivery(webhook, state)
  WHERE d.webhook = w.id AND d.state = 'PENDING' AND d.seq <= w.cursor AND d.nextAttemptAt <= datetime.realtime()
  MATCH (a:Alert {id: d.alert})
  RETURN a, d ORDER BY a.seq LIMIT $limit
  UNION
  MATCH (a:Alert)
  USING INDEX a:Alert(department, seq)
  WHERE a.department = w.department AND a.seq > w.cursor
    AND (size(coalesce(w.events, [])) = 0 OR a.kind IN w.events)
  // by department then seq, the index's own order (one department here): the limit stops the seek, where
  // ORDER BY a.seq alone sorts every alert of the department after the cursor (a down receiver's backlog)
  WITH w, a ORDER BY a.department, a.seq LIMIT $limit
  OPTIONAL MATCH (d:WebhookDelivery {webhook: w.id, alert: a.id})
  RETURN a, d
}
RETURN a {.id, .seq, .kind, .subject, .path, .causeIds, .state, .createdAt, .acknowledgedAt, .department,
    hidden: [rid IN a.recordIds WHERE NOT EXISTS { MATCH (r:Record {id: rid}) WHERE @record_visible(r) }]} AS alert,
  d {.id, .state, .failures} AS delivery, a.seq <= w.cursor AS requeued,
  coalesce(d.state = 'PENDING' AND d.nextAttemptAt > datetime.realtime(), false) AS waiting
ORDER BY requeued DESC, alert.seq

// The outcomes of a pass's attempts, recorded by the lease's holder only (a worker whose lease lapsed and was
// taken records nothing: the new holder attempts again, with the same idempotency key). The cursor moves to
// the last alert delivered or given up with none before it left (the dispatcher says which); the lease is
// extended. A pass's outcomes are recorded in this one transaction, whatever their number.
// name: webhook_record
MATCH (w:Webhook {id: $webhook})
SET w._leaseLock = true
REMOVE w._leaseLock
WITH w
WHERE w.leaseHolder = $holder
SET w.cursor = CASE WHEN $cursor > w.cursor THEN $cursor ELSE w.cursor END,
    w.leaseUntil = datetime.realtime() + duration({milliseconds: $leaseMs})
WITH w
UNWIND $outcomes AS o
MERGE (d:WebhookDelivery {webhook: w.id, alert: o.alert})
ON CREATE SET d.id = o.id, d.seq = o.seq, d.kind = o.kind, d.attempts = 0, d.createdAt = datetime()
SET d.attempts = d.attempts + 1, d.state = o.state, d.failures = o.failures, d.lastStatus = o.status,
    d.lastError = o.error, d.lastAt = datetime(o.at),
    d.nextAttemptAt = CASE WHEN o.state = 'PENDING' THEN datetime(o.at) + duration({milliseconds: o.retryMs})
                           ELSE null END,
    d.deliveredAt = CASE WHEN o.state = 'DELIVERED' THEN datetime(o.at) ELSE d.deliveredAt END
CREATE (d)-[:ATTEMPT]->(:WebhookAttempt {n: d.attempts, at: datetime(o.at), statusCode: o.status, error: o.error,
                                          reason: o.reason, ms: o.ms})
RETURN count(d) AS recorded
