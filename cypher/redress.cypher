// What repair applications and objections are about — a record or a listing — and what stands on a
// record: the listings based on it, and whether they keep a valid basis.

// The target, locked against a concurrent change (the SET takes the write lock), with its deciding
// department, its subject and what is already pending about it.
// name: target_context
OPTIONAL MATCH (rec:Record {id: $record})
OPTIONAL MATCH (lst:Listing {id: $listing})
WITH coalesce(rec, lst) AS t
WHERE t IS NOT NULL
SET t.lockedAt = datetime()
WITH t
MATCH (t)-[:DECIDED_BY]->(d:Department)
MATCH (s)-[:HAS_RECORD|LISTED_ON]->(t)
RETURN elementId(t) AS nodeId, CASE WHEN t:Record THEN 'RECORD' ELSE 'LISTING' END AS kind, t.id AS id,
  t.status AS status, t.polarity AS polarity, t.since AS since, t.until AS until, t.endedOn AS endedOn,
  d.code AS department, s.uscc AS entity, coalesce(s.uscc, s.idHash) AS party,
  EXISTS { MATCH (t)<-[:CONCERNS]-(:RepairApplication {status: 'PENDING'}) } AS repairPending,
  EXISTS { MATCH (t)<-[:CONCERNS]-(:Objection {status: 'OPEN'}) } AS objectionOpen

// The records a decision on a target may change (the record itself, or every basis of the listing),
// locked by id before the target itself: whatever changes a record and then a listing resting on it
// (an objection upheld, a repair approved) takes the record first, so two of them queue instead of
// deadlocking.
// name: target_records_lock
OPTIONAL MATCH (rec:Record {id: $record})
OPTIONAL MATCH (:Listing {id: $listing})-[:BASED_ON]->(br:Record)
WITH [x IN collect(DISTINCT rec) + collect(DISTINCT br) WHERE x IS NOT NULL] AS records
UNWIND records AS r
WITH r ORDER BY r.id
SET r.lockedAt = datetime()
RETURN count(r) AS locked

// The listings in force resting on one of the records, locked before their bases are judged: of two
// objections upheld at once on the two bases of one listing, the second sees the first's withdrawal
// and withdraws the listing, instead of each seeing the other basis still standing.
// name: basis_listings_lock
UNWIND $records AS id
MATCH (:Record {id: id})<-[:BASED_ON]-(l:Listing)
WHERE l.status = 'ACTIVE'
WITH DISTINCT l ORDER BY l.id
SET l.lockedAt = datetime()
RETURN count(l) AS locked

// The records a target stands for: the record itself, or the listing's bases not withdrawn. The
// minimum publicity period (data: PublicityPeriod) runs from publication, or from the decision while
// unpublished; a record without a period of its own has no minimum.
// name: target_records
OPTIONAL MATCH (rec:Record {id: $record})
OPTIONAL MATCH (:Listing {id: $listing})-[b:BASED_ON]->(br:Record)
WHERE b.withdrawn IS NULL
WITH [x IN collect(DISTINCT rec) + collect(DISTINCT br) WHERE x IS NOT NULL] AS records
UNWIND records AS r
OPTIONAL MATCH (pp:PublicityPeriod {category: r.category, severity: r.severity})
RETURN r.id AS id, r.status AS status, coalesce(r.publishedOn, r.decidedOn) AS periodStart,
  coalesce(r.publishedOn, r.decidedOn) + duration({months: coalesce(pp.minMonths, 0)}) AS earliestRepair
ORDER BY id

// Credit repair of records: publication ends on the day, status REPAIRED; the record stays readable.
// name: records_repair
UNWIND $ids AS id
MATCH (s)-[:HAS_RECORD]->(r:Record {id: id})
WHERE r.status IN ['ACTIVE', 'CORRECTED']
WITH s, r, r.status AS statusBefore, r.publicationEndedOn AS endedBefore
SET r.status = 'REPAIRED', r.repairedOn = $on,
    r.publicationEndedOn = CASE WHEN endedBefore IS NULL OR endedBefore > $on THEN $on ELSE endedBefore END
RETURN elementId(r) AS nodeId, r.id AS id, coalesce(s.uscc, s.idHash) AS party,
  {status: statusBefore, publicationEndedOn: endedBefore} AS before,
  {status: r.status, publicationEndedOn: r.publicationEndedOn, repairedOn: r.repairedOn} AS after

// A record no longer stands as a basis: the relationship stays, marked withdrawn, as history.
// name: basis_withdraw
MATCH (s)-[:LISTED_ON]->(l:Listing)-[b:BASED_ON]->(:Record {id: $record})
WHERE b.withdrawn IS NULL
SET b.withdrawn = true, b.withdrawnOn = $on, b.withdrawnBy = $by
RETURN elementId(l) AS nodeId, l.id AS id, coalesce(s.uscc, s.idHash) AS party
ORDER BY id

// Listings in force on the day that rest on one of the records and have no valid basis left: every
// basis withdrawn, repaired or revoked.
// name: listings_without_basis
UNWIND $records AS id
MATCH (:Record {id: id})<-[:BASED_ON]-(l:Listing)
WHERE l.status = 'ACTIVE' AND l.endedOn IS NULL AND @not_ended(l, $on)
  AND NOT EXISTS {
    MATCH (l)-[b:BASED_ON]->(r:Record)
    WHERE b.withdrawn IS NULL AND NOT r.status IN ['REPAIRED', 'REVOKED']
  }
RETURN DISTINCT l.id AS id
ORDER BY id
