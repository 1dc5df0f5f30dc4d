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
