// Credit grades (graph_api/domain/grading.py applies the rules of data/grades.json to these facts).
// Facts of an entity as of $asOf: listings in force on the day or within the look-back window
// (since <= $asOf, until after $lookbackStart), with the bans ($bans) they apply; positive and
// negative records decided by the day, not revoked or corrected, that are active on the day or were
// decided in the window. A record ended by repair keeps counting until its publicationEndedOn; a
// negative record `counts` while active and within its maximum publicity period ($periodKeys
// 'CATEGORY|SEVERITY' with $periodMonths, from the catalogue; no period: no limit). The dates are
// compared here so that the caller never converts one.
// The two statements differ only in how entities are chosen: by key (batched per request) or by
// page (uscc order, for grading a whole city); keep their fact parts identical. grade_facts, which
// answers a reader, also says of each record whether that reader sees it (`disclosed`, @record_visible):
// the grade counts every record, its reasons name only those (domain/disclosure.py).

// name: grade_facts
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
RETURN key,
  COLLECT {
    MATCH (e)-[:LISTED_ON]->(l:Listing)
    WHERE l.since <= $asOf AND @not_ended(l, $lookbackStart)
    RETURN {id: l.id, list: l.list, inForce: @not_ended(l, $asOf),
            bans: COLLECT { MATCH (l)-[:APPLIES]->(m:Measure) WHERE m.code IN $bans RETURN m.code }}
  } AS listings,
  COLLECT {
    MATCH (e)-[:HAS_RECORD]->(r:Record)
    WHERE r.decidedOn <= $asOf AND r.polarity IN ['NEGATIVE', 'POSITIVE'] AND NOT r.status IN ['REVOKED', 'CORRECTED']
    WITH r, r.status = 'ACTIVE' OR coalesce(r.publicationEndedOn > $asOf, false) AS active,
         r.category + '|' + coalesce(r.severity, $unknownSeverity) AS period
    WHERE active OR r.decidedOn > $lookbackStart
    WITH r, active, [i IN range(0, size($periodKeys) - 1) WHERE $periodKeys[i] = period | $periodMonths[i]][0] AS months
    RETURN {id: r.id, category: r.category, polarity: r.polarity, severity: coalesce(r.severity, $unknownSeverity),
            counts: active AND (months IS NULL OR r.decidedOn + duration({months: months}) > $asOf),
            active: active, recent: r.decidedOn > $lookbackStart, positiveRecent: r.decidedOn > $positiveStart,
            disclosed: @record_visible(r)}
  } AS records

// One page of entities in uscc order after $after (within a region when $regionPrefix is given):
// every key of the page, and the facts of those that have any (most have none, and cost nothing more
// than their key on the wire).
// name: grade_facts_page
MATCH (e:Entity)
WHERE e.uscc > $after AND ($regionPrefix IS NULL OR e.region STARTS WITH $regionPrefix)
WITH e ORDER BY e.uscc LIMIT $limit
WITH e,
  COLLECT {
    MATCH (e)-[:LISTED_ON]->(l:Listing)
    WHERE l.since <= $asOf AND @not_ended(l, $lookbackStart)
    RETURN {id: l.id, list: l.list, inForce: @not_ended(l, $asOf),
            bans: COLLECT { MATCH (l)-[:APPLIES]->(m:Measure) WHERE m.code IN $bans RETURN m.code }}
  } AS listings,
  COLLECT {
    MATCH (e)-[:HAS_RECORD]->(r:Record)
    WHERE r.decidedOn <= $asOf AND r.polarity IN ['NEGATIVE', 'POSITIVE'] AND NOT r.status IN ['REVOKED', 'CORRECTED']
    WITH r, r.status = 'ACTIVE' OR coalesce(r.publicationEndedOn > $asOf, false) AS active,
         r.category + '|' + coalesce(r.severity, $unknownSeverity) AS period
    WHERE active OR r.decidedOn > $lookbackStart
    WITH r, active, [i IN range(0, size($periodKeys) - 1) WHERE $periodKeys[i] = period | $periodMonths[i]][0] AS months
    RETURN {id: r.id, category: r.category, polarity: r.polarity, severity: coalesce(r.severity, $unknownSeverity),
            counts: active AND (months IS NULL OR r.decidedOn + duration({months: months}) > $asOf),
            active: active, recent: r.decidedOn > $lookbackStart, positiveRecent: r.decidedOn > $positiveStart}
  } AS records
RETURN collect(e.uscc) AS usccs,
       collect(CASE WHEN size(listings) + size(records) > 0
                    THEN {uscc: e.uscc, listings: listings, records: records} END) AS withFacts
