// The history of changes: one (:Change) per changed node, appended in the transaction of the
// mutation that made it, never updated or deleted by the API.

// name: history_append
UNWIND $changes AS c
MATCH (n) WHERE elementId(n) = c.nodeId
CREATE (h:Change {id: c.id, at: datetime(), operation: $operation, user: $user, department: $department,
                  entity: $entity, kind: c.kind, key: c.key, party: c.party, summary: c.summary,
                  before: c.before, after: c.after})-[:ABOUT]->(n)

// The changes concerning one market subject (a USCC or a person's key hash), newest first. A change of
// a record the reader may not see (records.record_visibility) is left out: its before/after is the record.
// name: change_log
MATCH (h:Change {party: $party})
WHERE NOT EXISTS {
  MATCH (h)-[:ABOUT]->(r:Record)
  WHERE NOT (r.disclosure IN $disclosures
             OR (r.disclosure = 'RESTRICTED' AND EXISTS { MATCH (r)-[:DECIDED_BY]->(:Department {code: $ownDepartment}) }))
}
WITH h ORDER BY h.at DESC, h.id
WITH collect(h) AS matching
RETURN size(matching) AS totalCount,
  [h IN matching[$skip..$skip + $limit] | h {.id, .at, .operation, .user, .department, .entity, .kind, .key, .summary,
                                                 .before, .after}] AS page
