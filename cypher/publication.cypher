// The public's view of an entity's records (公示) as of a day, by validity dates and not by a scheduler:
// the publication rule (fragment published_on: published on or before the day, disclosure PUBLIC, not
// revoked or corrected, publication not ended, within the maximum publicity period).

// name: public_records
OPTIONAL MATCH (e:Entity {uscc: $uscc})
CALL (e) {
  MATCH (e)-[:HAS_RECORD]->(r:Record)
  WHERE @published_on(r, $asOf)
  WITH r, @public_max_until(r) AS maxUntil ORDER BY r.publishedOn DESC, r.id
  RETURN collect(r {.id, .category, .polarity, .severity, .decisionNo, .decidedOn, .publishedOn, .summary, .disclosure,
    .status, .publishDueOn, .publicationEndedOn, publicMaxUntil: maxUntil,
    department: COLLECT { MATCH (r)-[:DECIDED_BY]->(d:Department) RETURN d {.code, .name, .region} }[0]}) AS matching,
    collect([r.publishedOn, r.id]) AS keys
}
WITH e, matching, keys, [true, false] AS keyDesc
WITH e, matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN e IS NOT NULL AS found, size(matching) AS totalCount, matching[start..start + $limit] AS page,
  keys[start..start + $limit] AS keys, start
