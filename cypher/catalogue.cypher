// The measure catalogue and list defaults are data (graph_api/data/catalogue.json), written into
// the graph at startup so that listings can point at the measures they apply.

// name: catalogue_upsert_measures
UNWIND $measures AS m
MERGE (n:Measure {code: m.code})
SET n.name = m.name, n.nameZh = m.nameZh, n.kind = m.kind, n.binds = m.binds,
    n.polarity = m.polarity, n.executors = m.executors, n.scenarios = m.scenarios,
    n.defaultMonths = m.defaultMonths, n.source = m.source

// name: catalogue_upsert_lists
UNWIND $lists AS l
MERGE (t:ListType {code: l.code})
SET t.name = l.name, t.nameZh = l.nameZh, t.polarity = l.polarity
WITH t, l
OPTIONAL MATCH (t)-[old:DEFAULT_MEASURE]->(:Measure)
DELETE old
WITH DISTINCT t, l
UNWIND l.measures AS code
MATCH (m:Measure {code: code})
MERGE (t)-[:DEFAULT_MEASURE]->(m)

// name: catalogue_upsert_publicity
UNWIND $periods AS p
MERGE (n:PublicityPeriod {category: p.category, severity: p.severity})
SET n.minMonths = p.minMonths, n.maxMonths = p.maxMonths
