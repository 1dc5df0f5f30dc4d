// Risk scans (issue 15, deliver 4; graph_api/services/risks.py): whole-graph patterns an investigator
// looks for. Each statement works in two phases so that a scan of the whole city holds only light keys:
// first the findings as sort keys (at most $scanLimit of them, every traversal with a literal hop bound),
// then the paths of the one page asked for ($limit findings strictly after the keyset cursor $after).
// A page row is {subject, score, count, paths}; a path is {nodes, steps} with nodes as @risk_node.
// "Listed" is on a punishing list in force on $asOf (@punishes); "bound" as exposure_person says.
// An entity's region is its region property, else its USCC's 6-digit area code (characters 3-8).

// fragment: risk_node(n)
CASE WHEN n:Entity THEN {kind: 'ENTITY', key: n.uscc, name: n.name} WHEN n:Person THEN {kind: 'PERSON', key: n.idHash, name: n.name} ELSE {kind: 'LISTING', key: n.id, name: n.list} END

// fragment: risk_step(r)
{relation: type(r), from: coalesce(startNode(r).uscc, startNode(r).idHash, startNode(r).id), to: coalesce(endNode(r).uscc, endNode(r).idHash, endNode(r).id), since: r.since, until: r.until, ratio: r.ratio}

// fragment: risk_region(e)
coalesce(e.region, substring(e.uscc, 2, 6))

// fragment: risk_in_region(e, prefix)
(prefix IS NULL OR @risk_region(e) STARTS WITH prefix)

// Persons who hold or held (since <= $asOf) a responsible role at >= $minListed listed entities (of the
// region) and at >= $minEntities entities in all. Ranked by listed entities, then entities, descending.
// Paths: person -role-> listed entity -LISTED_ON-> listing, then person -role-> each other entity.
// name: risk_responsible_of_listed
MATCH (e:Entity)-[:LISTED_ON]->(l:Listing)
WHERE @punishes(l) AND @valid_on(l, $asOf) AND @risk_in_region(e, $regionPrefix)
MATCH (p:Person)-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(e)
WHERE r.since <= $asOf
WITH p, count(DISTINCT e) AS listed
WHERE listed >= $minListed
WITH p, listed, COUNT { MATCH (p)-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(x:Entity) WHERE r.since <= $asOf RETURN DISTINCT x } AS entities
WHERE entities >= $minEntities
WITH p, listed, entities ORDER BY listed DESC, entities DESC, p.idHash LIMIT $scanLimit
WITH collect({p: p, listed: listed, entities: entities}) AS found, collect([listed, entities, p.idHash]) AS keys, [true, true, false] AS keyDesc
WITH found, keys, @keyset_start(keys, $after, keyDesc) AS start
CALL (found, start) {
  UNWIND found[start..start + $limit] AS f
  WITH f.p AS p, f
  RETURN collect({subject: @risk_node(p), score: f.listed, count: f.entities,
    paths: COLLECT {
      MATCH (p)-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(e:Entity)
      WHERE r.since <= $asOf
      OPTIONAL CALL (e) {
        MATCH (e)-[lo:LISTED_ON]->(l:Listing) WHERE @punishes(l) AND @valid_on(l, $asOf)
        RETURN lo, l ORDER BY l.since, l.id LIMIT 1
      }
      WITH p, r, e, lo, l ORDER BY l IS NULL, e.uscc, r.since LIMIT 50
      RETURN CASE WHEN l IS NULL THEN {nodes: [@risk_node(p), @risk_node(e)], steps: [@risk_step(r)]}
                  ELSE {nodes: [@risk_node(p), @risk_node(e), @risk_node(l)], steps: [@risk_step(r), @risk_step(lo)]} END
    }}) AS page
}
RETURN size(found) AS totalCount, keys[start..start + $limit] AS keys, start, page

// Listed entities (of the region) and the entities tied to them within $maxHops relationships (at most
// four) through responsible persons (shared legal representative, principal or actual controller) and
// majority holdings (ratio > 0.5, either way), all valid on $asOf; at most 200 members a cluster.
// One finding per listed entity; ranked by members, then listed members, descending. Paths: the
// shortest tie to each member (at most 50).
// name: risk_listed_clusters
MATCH (s:Entity)-[:LISTED_ON]->(l:Listing)
WHERE @punishes(l) AND @valid_on(l, $asOf) AND @risk_in_region(s, $regionPrefix)
WITH DISTINCT s
CALL (s) {
  MATCH t = (s)-[:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|HOLDS*1..4]-(x:Entity)
  WHERE x <> s AND length(t) <= $maxHops
    AND all(r IN relationships(t) WHERE @valid_on(r, $asOf) AND (type(r) <> 'HOLDS' OR r.ratio > 0.5))
  WITH DISTINCT x LIMIT 200
  RETURN count(x) AS members,
    count(CASE WHEN EXISTS { MATCH (x)-[:LISTED_ON]->(xl:Listing) WHERE @punishes(xl) AND @valid_on(xl, $asOf) } THEN x END) AS listedMembers
}
WITH s, members, listedMembers WHERE members > 0
WITH s, members, listedMembers ORDER BY members DESC, listedMembers DESC, s.uscc LIMIT $scanLimit
WITH collect({s: s, members: members, listed: listedMembers}) AS found, collect([members, listedMembers, s.uscc]) AS keys, [true, true, false] AS keyDesc
WITH found, keys, @keyset_start(keys, $after, keyDesc) AS start
CALL (found, start) {
  UNWIND found[start..start + $limit] AS f
  WITH f.s AS s, f
  CALL (s) {
    MATCH t = (s)-[:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|HOLDS*1..4]-(x:Entity)
    WHERE x <> s AND length(t) <= $maxHops
      AND all(r IN relationships(t) WHERE @valid_on(r, $asOf) AND (type(r) <> 'HOLDS' OR r.ratio > 0.5))
    WITH x, t ORDER BY length(t)
    WITH x, head(collect(t)) AS t
    WITH x, t ORDER BY length(t), x.uscc LIMIT 50
    RETURN collect({nodes: [n IN nodes(t) | @risk_node(n)], steps: [r IN relationships(t) | @risk_step(r)]}) AS paths
  }
  RETURN collect({subject: @risk_node(s), score: f.members, count: f.listed, paths: paths}) AS page
}
RETURN size(found) AS totalCount, keys[start..start + $limit] AS keys, start, page

// Persons bound by a listing in force (of a listed entity of the region) who on $asOf hold a responsible
// role or a majority holding (ratio > 0.5) in an entity of another region: one whose region differs
// from every listed entity binding them in the first $regionDigits digits (2 province, 4 city, 6
// district). Ranked by such entities, then bindings, descending. Paths: person -role-> listed entity
// -LISTED_ON-> listing for each binding, then person -tie-> each entity elsewhere (at most 50).
// name: risk_bound_elsewhere
MATCH (p:Person)-[role:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(via:Entity)-[:LISTED_ON]->(l:Listing)
WHERE @binds_persons(l) AND @valid_on(l, $asOf) AND @in_window(role, l) AND @risk_in_region(via, $regionPrefix)
WITH p, collect(DISTINCT via) AS vias, count(DISTINCT l) AS bindings
WITH p, vias, bindings, [v IN vias | left(@risk_region(v), $regionDigits)] AS home
WITH p, bindings, home, COUNT {
  MATCH (p)-[t:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|HOLDS]->(o:Entity)
  WHERE @valid_on(t, $asOf) AND (type(t) <> 'HOLDS' OR t.ratio > 0.5) AND NOT left(@risk_region(o), $regionDigits) IN home
  RETURN DISTINCT o } AS elsewhere
WHERE elsewhere > 0
WITH p, home, bindings, elsewhere ORDER BY elsewhere DESC, bindings DESC, p.idHash LIMIT $scanLimit
WITH collect({p: p, home: home, bindings: bindings, elsewhere: elsewhere}) AS found, collect([elsewhere, bindings, p.idHash]) AS keys, [true, true, false] AS keyDesc
WITH found, keys, @keyset_start(keys, $after, keyDesc) AS start
CALL (found, start) {
  UNWIND found[start..start + $limit] AS f
  WITH f.p AS p, f
  RETURN collect({subject: @risk_node(p), score: f.elsewhere, count: f.bindings,
    paths: COLLECT {
      MATCH (p)-[role:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(via:Entity)-[lo:LISTED_ON]->(l:Listing)
      WHERE @binds_persons(l) AND @valid_on(l, $asOf) AND @in_window(role, l) AND @risk_in_region(via, $regionPrefix)
      WITH p, role, via, lo, l ORDER BY l.id, via.uscc LIMIT 50
      RETURN {nodes: [@risk_node(p), @risk_node(via), @risk_node(l)], steps: [@risk_step(role), @risk_step(lo)]} AS path
      UNION ALL
      MATCH (p)-[t:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|HOLDS]->(o:Entity)
      WHERE @valid_on(t, $asOf) AND (type(t) <> 'HOLDS' OR t.ratio > 0.5) AND NOT left(@risk_region(o), $regionDigits) IN f.home
      WITH p, t, o ORDER BY o.uscc, type(t) LIMIT 50
      RETURN {nodes: [@risk_node(p), @risk_node(o)], steps: [@risk_step(t)]} AS path
    }}) AS page
}
RETURN size(found) AS totalCount, keys[start..start + $limit] AS keys, start, page

// Cycles of holdings valid on $asOf, of 2 to $maxLength (at most 6) entities, each once: it starts at
// its smallest USCC and passes no entity twice. Only an entity (of the region) with holdings both in and
// out from entities can start one; at most 20 cycles each. Ranked by length (shortest first), then the
// USCCs along it. The path is the cycle itself.
// name: risk_circular_holdings
MATCH (e:Entity)-[:HOLDS]->(:Entity)
WHERE @risk_in_region(e, $regionPrefix)
WITH DISTINCT e
WHERE EXISTS { MATCH (:Entity)-[:HOLDS]->(e) }
CALL (e) {
  MATCH c = (e)-[:HOLDS*2..6]->(e)
  WHERE length(c) <= $maxLength
    AND all(h IN relationships(c) WHERE @valid_on(h, $asOf))
    AND all(n IN nodes(c)[1..-1] WHERE n:Entity AND n.uscc > e.uscc)
    AND size(reduce(seen = [], n IN nodes(c)[1..-1] | CASE WHEN n IN seen THEN seen ELSE seen + [n] END)) = length(c) - 1
  RETURN c LIMIT 20
}
WITH e, c, length(c) AS size, reduce(s = '', n IN nodes(c) | s + n.uscc + '>') AS trail
ORDER BY size, trail LIMIT $scanLimit
WITH collect({e: e, c: c, size: size}) AS found, collect([size, trail]) AS keys, [false, false] AS keyDesc
WITH found, keys, @keyset_start(keys, $after, keyDesc) AS start
CALL (found, start) {
  UNWIND found[start..start + $limit] AS f
  WITH f.e AS e, f.c AS c, f
  RETURN collect({subject: @risk_node(e), score: f.size, count: f.size,
    paths: [{nodes: [n IN nodes(c) | @risk_node(n)], steps: [r IN relationships(c) | @risk_step(r)]}]}) AS page
}
RETURN size(found) AS totalCount, keys[start..start + $limit] AS keys, start, page

// Incremental re-screening (changedSince, issue 15 deliver 5): for each subject of $keys (a USCC or a
// person's key hash) the facts that say whether it changed since the moment $since ($sinceDay its day,
// $today the day asked): the listings binding it on either day (directly; a person also as a
// responsible person in the window of a joint-punishment listing, as exposure_person), its listings
// and records recorded after $since (created or re-imported: recordedAt), and the history entries of
// its listings and records made after $since (mutations: Change.at). Records the reader may not see
// (@record_visible), and the entries about them, are left out.
// name: changed_since
UNWIND $keys AS key
OPTIONAL MATCH (se:Entity {uscc: key})
OPTIONAL MATCH (sp:Person {idHash: key})
WITH key, coalesce(se, sp) AS s
WHERE s IS NOT NULL
RETURN key, @risk_node(s) AS subject,
  COLLECT { MATCH (s)-[:LISTED_ON]->(l:Listing) WHERE @valid_on(l, $sinceDay) RETURN DISTINCT l.id
            UNION
            MATCH (s:Person)-[role:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(:Entity)-[:LISTED_ON]->(l:Listing)
            WHERE @binds_persons(l) AND @valid_on(l, $sinceDay) AND @in_window(role, l) RETURN DISTINCT l.id } AS boundThen,
  COLLECT { MATCH (s)-[:LISTED_ON]->(l:Listing) WHERE @valid_on(l, $today) RETURN DISTINCT l.id
            UNION
            MATCH (s:Person)-[role:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(:Entity)-[:LISTED_ON]->(l:Listing)
            WHERE @binds_persons(l) AND @valid_on(l, $today) AND @in_window(role, l) RETURN DISTINCT l.id } AS boundNow,
  COLLECT { MATCH (s)-[:LISTED_ON]->(l:Listing) WHERE l.recordedAt > $since RETURN l.id ORDER BY l.id } AS listingsRecorded,
  COLLECT { MATCH (s)-[:HAS_RECORD]->(r:Record) WHERE r.recordedAt > $since AND @record_visible(r)
            RETURN r.id ORDER BY r.id } AS recordsRecorded,
  COLLECT { MATCH (h:Change {party: key}) WHERE h.at > $since AND h.kind IN ['Listing', 'Record']
              AND (h.kind = 'Listing' OR EXISTS { MATCH (r:Record {id: h.key}) WHERE @record_visible(r) })
            RETURN h {.kind, .key, .at, .operation} ORDER BY h.at, h.id LIMIT 100 } AS changes
