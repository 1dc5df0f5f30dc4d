// The public's view of an entity's records (公示) as of a day, by validity dates and not by a scheduler:
// published on or before the day, disclosure PUBLIC, not revoked, publication not ended by repair or
// revocation, and not past the maximum publicity period (data: PublicityPeriod, from publication).

// name: public_records
OPTIONAL MATCH (e:Entity {uscc: $uscc})
CALL (e) {
  MATCH (e)-[:HAS_RECORD]->(r:Record)
  WHERE r.disclosure = 'PUBLIC' AND r.status <> 'REVOKED' AND r.publishedOn <= $asOf
    AND (r.publicationEndedOn IS NULL OR r.publicationEndedOn > $asOf)
  WITH r, @public_max_until(r) AS maxUntil
  WHERE maxUntil IS NULL OR maxUntil > $asOf
  WITH r, maxUntil ORDER BY r.publishedOn DESC, r.id
  RETURN collect(r {.id, .category, .polarity, .severity, .decisionNo, .decidedOn, .publishedOn, .summary, .disclosure,
    .status, .publishDueOn, .publicationEndedOn, publicMaxUntil: maxUntil,
    department: COLLECT { MATCH (r)-[:DECIDED_BY]->(d:Department) RETURN d {.code, .name, .region} }[0]}) AS matching
}
RETURN e IS NOT NULL AS found, size(matching) AS totalCount, matching[$skip..$skip + $limit] AS page
