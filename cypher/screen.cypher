// Batch screening (`screen`): the facts of `eligibility` for many subjects in one round trip per kind.
// Each row is one subject found, keyed by `key` (absent keys are unknown subjects); its `bindings` are
// the rows exposure_entity / exposure_person (linkage.cypher) return for one subject, in the same order and
// shape, so the same Python builds the answer; `warnings` are responsible_persons_bound_elsewhere's rows.

// name: screen_entities
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
RETURN key, e {.uscc, .name} AS entity,
  COLLECT {
    MATCH (e)-[:LISTED_ON]->(l:Listing)-[:DECIDED_BY]->(d:Department)
    WHERE @valid_on(l, $asOf)
    WITH l, d ORDER BY l.since, l.id
    RETURN {entity: e {.uscc, .name}, listing: l {.id, .list, .since, .until, .status}, department: d {.code, .name, .region},
      basis: COLLECT { MATCH (l)-[:BASED_ON]->(b:Record) WITH b, @record_visible(b) AS disclosed ORDER BY b.decidedOn, b.id
                       RETURN CASE WHEN disclosed THEN b {.id, .category, .severity, .decidedOn, disclosed: true}
                                   ELSE {id: null, category: null, severity: null, decidedOn: null, disclosed: false} END },
      measures: COLLECT { MATCH (l)-[:APPLIES]->(m:Measure) WHERE m.binds IN ['ENTITY', 'BOTH']
                          RETURN m {.code, .name, .nameZh, .kind, .binds, .scenarios} ORDER BY m.code }}
  } AS bindings,
  COLLECT {
    MATCH (e)<-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]-(p:Person)
    WHERE @valid_on(r, $asOf)
    MATCH (p)-[role:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(via:Entity)-[:LISTED_ON]->(l:Listing)
    WHERE via <> e AND @binds_persons(l) AND @valid_on(l, $asOf) AND @in_window(role, l)
    WITH p, r, via, l, role ORDER BY l.id, p.idHash
    RETURN {person: p {.name, .idMasked, .idType, .idHash}, currentRole: type(r), currentSince: r.since,
            entity: e {.uscc, .name}, via: via {.uscc, .name}, listing: l {.id, .list, .since, .until},
            role: {type: type(role), since: role.since, until: role.until}}
  } AS warnings

// name: screen_persons
UNWIND $keys AS key
MATCH (p:Person {idHash: key})
RETURN key, p {.name, .idMasked, .idType, .idHash, .idCipher} AS person,
  COLLECT {
    CALL (p) {
      MATCH (p)-[:LISTED_ON]->(l:Listing)
      WHERE @valid_on(l, $asOf)
      RETURN l, null AS via, null AS role
      UNION
      MATCH (p)-[role:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(via:Entity)-[:LISTED_ON]->(l:Listing)
      WHERE @binds_persons(l) AND @valid_on(l, $asOf) AND @in_window(role, l)
      RETURN l, via, role
    }
    MATCH (l)-[:DECIDED_BY]->(d:Department)
    WITH l, d, via, role ORDER BY l.since, l.id, via.uscc
    RETURN {person: p {.name, .idMasked, .idType},
      listing: l {.id, .list, .since, .until, .status}, department: d {.code, .name, .region},
      via: via {.uscc, .name},
      role: CASE WHEN role IS NULL THEN null ELSE {type: type(role), since: role.since, until: role.until} END,
      basis: COLLECT { MATCH (l)-[:BASED_ON]->(b:Record) WITH b, @record_visible(b) AS disclosed ORDER BY b.decidedOn, b.id
                       RETURN CASE WHEN disclosed THEN b {.id, .category, .severity, .decidedOn, disclosed: true}
                                   ELSE {id: null, category: null, severity: null, decidedOn: null, disclosed: false} END },
      measures: COLLECT { MATCH (l)-[:APPLIES]->(m:Measure) WHERE via IS NULL OR m.binds IN ['PERSONS', 'BOTH']
                          RETURN m {.code, .name, .nameZh, .kind, .binds, .scenarios} ORDER BY m.code }}
  } AS bindings
