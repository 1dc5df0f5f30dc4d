// Industry credit evaluations (行业信用评价, graph_api/domain/industry.py): a department's grade schemes,
// versioned (one IndustryScheme node per version, the rules as canonical JSON), the evaluations of a version
// as of a day (RATED relationships to the entities, with grade, score and reasons), and their publication.

// The department (locked: two definitions of one scheme queue) and the scheme's latest version.
// name: industry_scheme_lock
MATCH (d:Department {code: $department})
SET d.lastSchemeAt = $at
RETURN d.code AS department,
  COLLECT { MATCH (s:IndustryScheme {id: $id})
            RETURN s {.id, .department, .version, .name, .rules, .digest, .definedAt} ORDER BY s.version DESC LIMIT 1 }[0]
    AS latest

// name: industry_scheme_create
MATCH (d:Department {code: $department})
CREATE (s:IndustryScheme {key: $key, id: $id, version: $version, department: $department,
                          name: $name, rules: $rules, digest: $digest, definedAt: $at})-[:DEFINED_BY]->(d)
RETURN elementId(s) AS nodeId

// A scheme's version (the latest when $version is null).
// name: industry_scheme_by_id
MATCH (s:IndustryScheme {id: $id})
WHERE $version IS NULL OR s.version = $version
WITH s ORDER BY s.version DESC LIMIT 1
MATCH (s)-[:DEFINED_BY]->(d:Department)
RETURN s {.id, .version, .department, .name, .rules, .digest, .definedAt} AS scheme, d.region AS region

// The entities a scheme covers, one page in uscc order after $after: those of the department's region whose
// industry code starts with one of $industries, or with a record the department decided; and their facts as
// of $asOf within the window after $windowStart: active records decided in it, listings in force on the day,
// commitments closed in it.
// name: industry_facts_page
MATCH (e:Entity)
WHERE e.uscc > $after AND e.region STARTS WITH $regionPrefix
  AND (any(code IN $industries WHERE e.industry STARTS WITH code)
       OR EXISTS { MATCH (e)-[:HAS_RECORD]->(:Record)-[:DECIDED_BY]->(:Department {code: $department}) })
WITH e ORDER BY e.uscc LIMIT $limit
RETURN e.uscc AS uscc,
  COLLECT {
    MATCH (e)-[:HAS_RECORD]->(r:Record)
    WHERE r.status = 'ACTIVE' AND r.decidedOn <= $asOf AND r.decidedOn > $windowStart
    RETURN {id: r.id, category: r.category, severity: r.severity, polarity: r.polarity}
  } AS records,
  COLLECT {
    MATCH (e)-[:LISTED_ON]->(l:Listing)
    WHERE @valid_on(l, $asOf)
    RETURN {id: l.id, list: l.list}
  } AS listings,
  COLLECT {
    MATCH (e)-[:COMMITTED]->(c:Commitment)
    WHERE c.status IN ['FULFILLED', 'BREACHED']
    // an imported closed commitment has no closedOn: its due day (or the day it was made) stands for it
    WITH c, coalesce(c.closedOn, c.dueOn, c.madeOn) AS closed
    WHERE closed <= $asOf AND closed > $windowStart
    RETURN {id: c.id, status: c.status}
  } AS commitments

// The scheme version evaluated (locked: two evaluations of one version and day queue) and whether that
// evaluation exists.
// name: industry_scheme_version_lock
MATCH (s:IndustryScheme {id: $scheme, version: $version})
SET s.lastEvaluatedAt = $at
RETURN s.department AS department, EXISTS { MATCH (:IndustryEvaluation {id: $id}) } AS exists

// name: industry_evaluation_create
MATCH (s:IndustryScheme {id: $scheme, version: $version})
CREATE (ev:IndustryEvaluation {id: $id, scheme: $scheme, version: $version, department: s.department, asOf: $asOf,
                               createdAt: $at, status: 'EVALUATED', count: size($results)})-[:UNDER]->(s)
WITH ev
CALL (ev) {
  UNWIND $results AS x
  MATCH (e:Entity {uscc: x.uscc})
  CREATE (ev)-[:RATED {grade: x.grade, score: x.score, reasons: x.reasons}]->(e)
}
RETURN elementId(ev) AS nodeId

// name: industry_evaluation_lock
MATCH (ev:IndustryEvaluation {id: $id})
SET ev.lockedAt = $at
RETURN elementId(ev) AS nodeId, ev {.id, .scheme, .version, .department, .asOf, .status, .count, .createdAt,
                                    .publishedAt} AS evaluation

// name: industry_evaluation_publish
MATCH (ev:IndustryEvaluation {id: $id})
SET ev.status = 'PUBLISHED', ev.publishedAt = $at
RETURN elementId(ev) AS nodeId

// The latest published evaluation of a scheme on or before $asOf (latest day, then latest version).
// name: industry_evaluation_for_draw
MATCH (ev:IndustryEvaluation {scheme: $scheme, status: 'PUBLISHED'})
WHERE ev.asOf <= $asOf
RETURN ev.id AS id ORDER BY ev.asOf DESC, ev.version DESC LIMIT 1

// The grades of one evaluation for the entities of a region (what a draw by industry grade samples from).
// name: industry_evaluation_grades
MATCH (:IndustryEvaluation {id: $id})-[r:RATED]->(e:Entity)
WHERE e.region STARTS WITH $regionPrefix
RETURN e.uscc AS uscc, r.grade AS grade

// The published industry grades of entities, batched per request: per scheme, the evaluation of the latest
// day (then version), beside the public grade.
// name: industry_grades_of
UNWIND $keys AS key
MATCH (e:Entity {uscc: key})
RETURN key, COLLECT {
  MATCH (ev:IndustryEvaluation {status: 'PUBLISHED'})-[r:RATED]->(e)
  MATCH (ev)-[:UNDER]->(s:IndustryScheme)-[:DEFINED_BY]->(d:Department)
  WITH s.id AS scheme, ev, r, s, d ORDER BY ev.asOf DESC, ev.version DESC
  WITH scheme, head(collect([ev, r, s, d])) AS top
  WITH scheme, top[0] AS ev, top[1] AS r, top[2] AS s, top[3] AS d
  RETURN {scheme: scheme, name: s.name, version: ev.version, asOf: ev.asOf, evaluation: ev.id,
          department: d {.code, .name, .region}, grade: r.grade, score: r.score, reasons: r.reasons}
  ORDER BY scheme
} AS grades
