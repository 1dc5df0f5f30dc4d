// Credit grades (graph_api/domain/grading.py applies the rules of data/grades.json to these facts).
// Facts of an entity as of $asOf: listings in force on the day or within the look-back window
// (since <= $asOf, until after $lookbackStart), with the bans ($bans) they apply; positive and
// negative records decided by the day, not revoked or corrected, that are active on the day or were
// decided in the window. A record ended by repair keeps counting until its publicationEndedOn; a
// negative record `counts` while active and within its maximum publicity period ($periodKeys
// 'CATEGORY|SEVERITY' with $periodMonths, from the catalogue; no period: no limit). The dates are
// compared here so that the caller never converts one.
// The two statements differ only in how entities are chosen: by key (batched per request) or by
// page (uscc order, for grading a whole city); their facts are the fragments grade_listings and
// grade_records (cypher/fragments.cypher), written once.

// name: grade_facts
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
RETURN key, @grade_listings(e) AS listings, @grade_records(e) AS records

// One page of entities in uscc order after $after and up to $last (null: no end), within a region when
// $regionPrefix is given: every key of the page, and the facts of those that have any (most have none,
// and cost nothing more than their key on the wire).
// name: grade_facts_page
MATCH (e:Entity)
WHERE e.uscc > $after AND ($last IS NULL OR e.uscc <= $last)
  AND ($regionPrefix IS NULL OR e.region STARTS WITH $regionPrefix)
WITH e ORDER BY e.uscc LIMIT $limit
WITH e, @grade_listings(e) AS listings, @grade_records(e) AS records
RETURN collect(e.uscc) AS usccs,
       collect(CASE WHEN size(listings) + size(records) > 0
                    THEN {uscc: e.uscc, listings: listings, records: records} END) AS withFacts

// Where a page of $skip + 1 entities after $after ends: its last key in uscc order (null when fewer remain),
// read from the uniqueness index alone, so that ranges of the key can be cut ahead of grading them.
// name: grade_page_end
MATCH (e:Entity)
WHERE e.uscc > $after
WITH e.uscc AS uscc ORDER BY uscc SKIP $skip LIMIT 1
RETURN uscc
