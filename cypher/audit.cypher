// The audit trail (docs/domain-rules.md, "Privacy, access and audit"): an append-only, hash-chained list of
// (:AuditEntry) nodes. The single (:AuditHead) node is locked by every append, so appends are serial
// and each entry's prevHash is the hash of the one before it. An append writes one entry (a change, in
// its own transaction) or a batch of reads' entries chained in order (store/audit_appender.py).

// The constraint audit_head_name (migration 3) makes this MERGE create one head even when the first
// appends of an empty trail race; the SET takes the head's write lock before seq and hash are read.
// name: audit_lock_head
MERGE (h:AuditHead {name: 'audit'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.lockedAt = datetime()
RETURN h.seq AS seq, h.hash AS hash

// $entries are chained in order from the head read by audit_lock_head in the same transaction.
// name: audit_append
MATCH (h:AuditHead {name: 'audit'})
SET h.seq = last($entries).seq, h.hash = last($entries).hash
WITH h
UNWIND $entries AS entry
CREATE (e:AuditEntry)
SET e = entry

// The appender's one-statement append (store/audit_appender.py), sent as an auto-commit transaction: the
// entries were chained from the head ($seq, $prevHash) as it was after this process's last batch. The SET
// takes the head's write lock before seq and hash are read; when another writer has moved the head since,
// nothing is written, `appended` is 0 and the appender writes the batch with the two statements above.
// name: audit_append_after
MATCH (h:AuditHead {name: 'audit'})
SET h.lockedAt = datetime()
WITH h WHERE h.seq = $seq AND h.hash = $prevHash
SET h.seq = last($entries).seq, h.hash = last($entries).hash
WITH h
UNWIND $entries AS entry
CREATE (e:AuditEntry)
SET e = entry
RETURN count(e) AS appended

// Entries in order, for `graph-api audit verify`.
// name: audit_range
MATCH (e:AuditEntry)
WHERE e.seq > $afterSeq
RETURN e {.*} AS entry
ORDER BY e.seq
LIMIT $limit

// name: audit_head
OPTIONAL MATCH (h:AuditHead {name: 'audit'})
RETURN h.seq AS seq, h.hash AS hash

// For administrators, newest first, filtered.
// name: audit_page
MATCH (e:AuditEntry)
WHERE ($user IS NULL OR e.user = $user) AND ($operation IS NULL OR e.operation = $operation)
  AND ($subject IS NULL OR $subject IN e.subjects)
WITH e ORDER BY e.seq DESC
WITH collect(e) AS matching, collect([e.seq]) AS keys
WITH matching, keys, [true] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start, [e IN matching[start..start + $limit] | e {.*}] AS page
