// Interviews (约谈, "谁认定、谁约谈"): a listed subject not rectified by its listing's deadline is
// interviewed by the department that listed it; the interview becomes an INTERVIEW record.
// A listing is in force on a day when since <= day < until (open-ended when until is null): by
// validity dates, not status, so a read as of an earlier day sees a since-ended listing in force.

// Lock the listing (the SET takes the write lock; statements after it read the committed state).
// name: interview_listing_lock
MATCH (l:Listing {id: $listing})
SET l.lockedAt = datetime()
WITH l
MATCH (l)-[:DECIDED_BY]->(d:Department)
MATCH (s)-[:LISTED_ON]->(l)
RETURN elementId(l) AS nodeId, d.code AS department,
       CASE WHEN s:Entity THEN s.uscc END AS subjectEntity, CASE WHEN s:Person THEN s.idHash END AS subjectPerson

// name: interview_listing_state
MATCH (l:Listing {id: $listing})
RETURN l {.id, .list, .since, .until, .rectifyBy, .status} AS listing,
       COUNT { (l)-[:INTERVIEW]->(:Record) } AS interviews

// The interviews already recorded on a listing for a day (read under interview_listing_lock): one
// interview is one record, however many officers submit it at once.
// name: interview_held_on
MATCH (l:Listing {id: $listing})
RETURN COUNT { (l)-[:INTERVIEW]->(r:Record) WHERE r.decidedOn = $heldOn } AS held

// name: interview_link
MATCH (l:Listing {id: $listing})
MATCH (r:Record {id: $record})
CREATE (l)-[:INTERVIEW]->(r)

// Listings of a department in force on $asOf, past their rectification deadline, with no interview
// held on or before $asOf; the longest overdue first.
// name: interviews_due
MATCH (d:Department {code: $department})<-[:DECIDED_BY]-(l:Listing)
WHERE l.rectifyBy < $asOf AND @valid_on(l, $asOf)
  AND NOT EXISTS { MATCH (l)-[:INTERVIEW]->(r:Record) WHERE r.decidedOn <= $asOf }
MATCH (s)-[:LISTED_ON]->(l)
WITH l, s ORDER BY l.rectifyBy, l.id
WITH collect({listing: l {.id, .list, .since, .rectifyBy},
              entity: CASE WHEN s:Entity THEN s {.uscc, .name} END,
              person: CASE WHEN s:Person THEN s {.name, .idMasked, .idType, .idCipher} END}) AS matching, collect([l.rectifyBy, l.id]) AS keys
WITH matching, keys, [false, false] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys, start, matching[start..start + $limit] AS page
