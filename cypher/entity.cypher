// name: entity_view
MATCH (e:Entity {uscc: $uscc})
RETURN e {.uscc, .name, .form, .status, .region, .industry, .established, .registeredCapital, .address} AS entity,
  COLLECT {
    MATCH (p:Person)-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|DIRECTOR|SUPERVISOR|MANAGER]->(e)
    RETURN {role: type(r), since: r.since, until: r.until, person: p {.name, .idMasked, .idType}}
    ORDER BY r.since, type(r)
  } AS roles,
  COLLECT {
    MATCH (h)-[r:HOLDS]->(e)
    RETURN {ratio: r.ratio, since: r.since, until: r.until,
            entity: CASE WHEN h:Entity THEN h {.uscc, .name} END,
            person: CASE WHEN h:Person THEN h {.name, .idMasked, .idType} END}
    ORDER BY r.ratio DESC, r.since
  } AS holders,
  COLLECT {
    MATCH (e)-[r:HOLDS]->(s:Entity)
    RETURN {ratio: r.ratio, since: r.since, until: r.until, entity: s {.uscc, .name}}
    ORDER BY r.ratio DESC, r.since
  } AS holdings,
  COLLECT {
    MATCH (e)-[:HAS_RECORD]->(rec:Record)-[:DECIDED_BY]->(d:Department)
    RETURN rec {.id, .category, .polarity, .severity, .decisionNo, .decidedOn, .publishedOn, .summary,
                .disclosure, .status, department: d {.code, .name, .region}}
    ORDER BY rec.decidedOn DESC, rec.id
  } AS records,
  COLLECT {
    MATCH (e)-[:LISTED_ON]->(l:Listing)-[:DECIDED_BY]->(d:Department)
    RETURN l {.id, .list, .since, .until, .status, department: d {.code, .name, .region},
              basis: COLLECT { MATCH (l)-[:BASED_ON]->(b:Record) RETURN b.id ORDER BY b.id },
              measures: COLLECT { MATCH (l)-[:APPLIES]->(m:Measure) RETURN m {.code, .name, .nameZh, .kind, .binds, .scenarios} ORDER BY m.code }}
    ORDER BY l.since DESC, l.id
  } AS listings,
  COLLECT { MATCH (e)-[:BRANCH_OF]->(p:Entity) RETURN p {.uscc, .name} } AS parents,
  COLLECT { MATCH (b:Entity)-[:BRANCH_OF]->(e) RETURN b {.uscc, .name} ORDER BY b.uscc } AS branches

// name: entity_ref
MATCH (e:Entity {uscc: $uscc})
RETURN e {.uscc, .name} AS entity

// A page of a subject's records, newest first, filtered; totalCount counts the filtered set.
// name: records_page
OPTIONAL MATCH (se:Entity {uscc: $subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: $subjectPerson})
WITH coalesce(se, sp) AS s
WHERE s IS NOT NULL
CALL (s) {
  MATCH (s)-[:HAS_RECORD]->(r:Record)
  WHERE ($categories IS NULL OR r.category IN $categories)
    AND ($severities IS NULL OR r.severity IN $severities)
    AND ($statuses IS NULL OR r.status IN $statuses)
    AND ($decidedFrom IS NULL OR r.decidedOn >= $decidedFrom)
    AND ($decidedTo IS NULL OR r.decidedOn <= $decidedTo)
  RETURN r
}
WITH r ORDER BY r.decidedOn DESC, r.id
WITH collect(r) AS matching
RETURN size(matching) AS totalCount,
  [r IN matching[$skip..$skip + $limit] | r {.id, .category, .polarity, .severity, .decisionNo, .decidedOn, .publishedOn, .summary,
    .disclosure, .status, department: COLLECT { MATCH (r)-[:DECIDED_BY]->(d:Department) RETURN d {.code, .name, .region} }[0]}] AS page

// name: commitments_of
MATCH (e:Entity {uscc: $uscc})-[:COMMITTED]->(c:Commitment)-[:MADE_TO]->(d:Department)
RETURN c {.id, .type, .matter, .madeOn, .dueOn, .status, department: d {.code, .name, .region}} AS commitment
ORDER BY c.madeOn DESC, c.id
