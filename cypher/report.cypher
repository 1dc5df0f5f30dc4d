// The credit report (信用报告) of an entity as of a day (graph_api/api/report.py). Listings, measures and
// related risk come from the linkage statements (exposure_entity, responsible_persons_bound_elsewhere).

// The entity and its responsible persons and officers on the day (identity numbers masked only).
// name: report_entity
MATCH (e:Entity {uscc: $uscc})
RETURN e {.uscc, .name, .form, .status, .region, .industry, .established, .registeredCapital, .address} AS entity,
  COLLECT {
    MATCH (p:Person)-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|DIRECTOR|SUPERVISOR|MANAGER]->(e)
    WHERE @valid_on(r, $asOf)
    RETURN {name: p.name, idMasked: p.idMasked, role: type(r), since: r.since} ORDER BY type(r), r.since, p.name
  } AS people

// Public records (公示) of the entity: those the publication rule says are published on the day, as in
// GraphQL's publicRecords.
// name: report_public_records
MATCH (e:Entity {uscc: $uscc})-[:HAS_RECORD]->(r:Record)-[:DECIDED_BY]->(d:Department)
WHERE @published_on(r, $asOf)
RETURN r {.id, .category, .polarity, .severity, .decisionNo, .decidedOn, .publishedOn, .summary} AS record,
       d.name AS department
ORDER BY r.decidedOn DESC, r.id
