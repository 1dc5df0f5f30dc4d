// The history of changes: one (:Change) per changed node, appended in the transaction of the
// mutation that made it, never updated or deleted by the API.

// name: history_append
UNWIND $changes AS c
MATCH (n) WHERE elementId(n) = c.nodeId
CREATE (h:Change {id: c.id, at: datetime(), operation: $operation, user: $user, department: $department,
                  entity: $entity, kind: c.kind, key: c.key, party: c.party, summary: c.summary,
                  before: c.before, after: c.after})-[:ABOUT]->(n)

// The changes concerning one market subject (a USCC or a person's key hash), newest first. A change that
// concerns a record of the subject the reader may not see (@record_visible) is left out, counts
// included: a change of the record (its before/after is the record), of an objection or a repair
// application to it, or any change whose key, summary, before or after names its id (a listing's
// basis, a basis withdrawn).
// name: change_log
OPTIONAL MATCH (se:Entity {uscc: $party})
OPTIONAL MATCH (sp:Person {idHash: $party})
WITH coalesce(se, sp) AS s
WITH COLLECT { MATCH (s)-[:HAS_RECORD]->(r:Record) WHERE NOT @record_visible(r) RETURN r.id } AS hidden
MATCH (h:Change {party: $party})
WHERE NOT EXISTS { MATCH (h)-[:ABOUT]->(n) WHERE n.id IN hidden OR EXISTS { MATCH (n)-[:CONCERNS]->(t:Record) WHERE t.id IN hidden } }
  AND none(id IN hidden WHERE h.key = id OR h.summary CONTAINS id
                              OR coalesce(h.before, '') CONTAINS id OR coalesce(h.after, '') CONTAINS id)
WITH h ORDER BY h.at DESC, h.id
WITH collect(h) AS matching, collect([h.at.epochSeconds, h.at.nanosecond, h.id]) AS keys
WITH matching, keys, [true, true, false] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start,
  [h IN matching[start..start + $limit] | h {.id, .at, .operation, .user, .department, .entity, .kind, .key, .summary,
                                                 .before, .after}] AS page
