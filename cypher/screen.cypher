// Batch screening (`screen`): the facts of `eligibility` for many subjects in one round trip per kind.
// Each row is one subject found, keyed by `key` (absent keys are unknown subjects); its `bindings` are
// the rows exposure_entity / exposure_person (linkage.cypher) return for one subject, built by the same
// fragments (fragments.cypher: entity_bindings, person_bindings), so the same Python builds the answer;
// `warnings` are responsible_persons_bound_elsewhere's rows (bound_elsewhere).

// name: screen_entities
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
RETURN key, e {.uscc, .name} AS entity, @entity_bindings(e, $asOf) AS bindings, @bound_elsewhere(e, $asOf) AS warnings

// name: screen_persons
UNWIND $keys AS key
MATCH (p:Person {idHash: key})
RETURN key, @person_map(p) AS person, @person_bindings(p, $asOf) AS bindings

// Version 7: a screen's recorded decisions are found by the name screened (every name of a batch asks, every
// decision written merges on it), by index rather than by a scan of every decision.
// name: m007_screen_decision_name_index
CREATE INDEX screen_decision_name IF NOT EXISTS FOR (d:ScreenDecision) ON (d.name)

// Candidates for subjects by name: for each normalised name (`key`) the full-text index's hits (at most $cap,
// best first) for the first of its `tiers` (Lucene queries, closest first: domain/name_matching.py search_tiers)
// that finds any, in the index of all party names for a reader who may see persons ($withPersons), else of
// entity names only; `tier` is which one (0 when none found any). Candidates a person decided NOT_A_MATCH for
// the name (screen_decide) are left out before a tier is judged, so a name whose only hit was ruled out is
// searched further. The scoring is the domain's (name_matching.py shortlist).
// name: screen_name_candidates
UNWIND $names AS q
WITH q, COLLECT { MATCH (d:ScreenDecision {name: q.key}) WHERE d.decision = 'NOT_A_MATCH' RETURN d.candidate } AS dismissed
CALL (q, dismissed) {
  UNWIND q.tiers[0..1] AS query
  CALL db.index.fulltext.queryNodes(CASE WHEN $withPersons THEN 'party_names' ELSE 'entity_names' END, query, {limit: $cap})
  YIELD node
  WITH node WHERE NOT coalesce(node.uscc, node.idHash) IN dismissed
  RETURN collect(node) AS first
}
CALL (q, dismissed, first) {
  UNWIND CASE WHEN first = [] THEN q.tiers[1..2] ELSE [] END AS query
  CALL db.index.fulltext.queryNodes(CASE WHEN $withPersons THEN 'party_names' ELSE 'entity_names' END, query, {limit: $cap})
  YIELD node
  WITH node WHERE NOT coalesce(node.uscc, node.idHash) IN dismissed
  RETURN collect(node) AS second
}
CALL (q, dismissed, first, second) {
  UNWIND CASE WHEN first = [] AND second = [] THEN q.tiers[2..3] ELSE [] END AS query
  CALL db.index.fulltext.queryNodes(CASE WHEN $withPersons THEN 'party_names' ELSE 'entity_names' END, query, {limit: $cap})
  YIELD node
  WITH node WHERE NOT coalesce(node.uscc, node.idHash) IN dismissed
  RETURN collect(node) AS third
}
RETURN q.key AS key,
  CASE WHEN first <> [] THEN 1 WHEN second <> [] THEN 2 WHEN third <> [] THEN 3 ELSE 0 END AS tier,
  [node IN first + second + third | {kind: CASE WHEN node:Entity THEN 'ENTITY' ELSE 'PERSON' END,
                                     key: coalesce(node.uscc, node.idHash), name: node.name, region: node.region,
                                     idMasked: node.idMasked, idType: node.idType, idCipher: node.idCipher}] AS hits

// A person's decision about a candidate for a name (normalised): one per name and candidate, the last
// decision standing, with who made it and when (the audit entry of the write has the rest).
// name: screen_decide
MERGE (d:ScreenDecision {name: $name, candidate: $candidate})
SET d.decision = $decision, d.kind = $kind, d.decidedBy = $user, d.decidedAt = datetime()
RETURN d.name AS name, d.candidate AS candidate, d.decision AS decision

// name: screen_candidate_exists
OPTIONAL MATCH (e:Entity {uscc: $candidate})
OPTIONAL MATCH (p:Person {idHash: $candidate})
RETURN e IS NOT NULL OR p IS NOT NULL AS found
