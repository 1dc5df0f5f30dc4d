// Objects by their natural keys, for Relay's node(id:) and nodes(ids:) (graph_api/api/graphql/node.py):
// one round trip per kind asked for, whatever the number of ids. Entities and persons reuse entity_view
// and person_by_hash.

// name: department_view
UNWIND $keys AS key
MATCH (d:Department {code: key})
RETURN key, d {.code, .name, .region} AS department

// name: catalogue_measure_view
UNWIND $keys AS key
MATCH (m:Measure {code: key})
RETURN key, m {.code, .name, .nameZh, .kind, .binds, .scenarios} AS measure

// A person on a path is keyed by the first characters of its key hash (graph_api/domain/paths.py
// person_key); its global id needs the whole hash. The unique constraint's range index answers STARTS WITH.
// name: person_hash_by_key
UNWIND $keys AS key
MATCH (p:Person) WHERE p.idHash STARTS WITH key
WITH key, min(p.idHash) AS idHash
RETURN key, idHash

// A record only as the reader may see it (@record_visible): a hidden record is no row, as a missing one.
// name: record_view
UNWIND $keys AS key
MATCH (r:Record {id: key})
WHERE @record_visible(r)
RETURN key, r {.id, .category, .polarity, .severity, .decisionNo, .decidedOn, .publishedOn, .summary, .disclosure,
    .status, .publicationEndedOn, .publishDueOn,
    publicMaxUntil: @public_max_until(r),
    department: COLLECT { MATCH (r)-[:DECIDED_BY]->(d:Department) RETURN d {.code, .name, .region} }[0]} AS record

// A listing as subject_listings_page shows it: of the basis, the records the reader sees, and how many not.
// name: listing_view
UNWIND $keys AS key
MATCH (l:Listing {id: key})
RETURN key, l {.id, .list, .since, .until, .status,
    department: COLLECT { MATCH (l)-[:DECIDED_BY]->(d:Department) RETURN d {.code, .name, .region} }[0],
    basis: COLLECT { MATCH (l)-[:BASED_ON]->(b:Record) WHERE @record_visible(b) RETURN b.id ORDER BY b.id },
    undisclosedBasis: COUNT { MATCH (l)-[:BASED_ON]->(b:Record) WHERE NOT @record_visible(b) },
    measures: COLLECT { MATCH (l)-[:APPLIES]->(m:Measure) RETURN m {.code, .name, .nameZh, .kind, .binds, .scenarios}
                        ORDER BY m.code }} AS listing

// A task with the two departments that may read it (graph_api/api/graphql/node.py): the executing one and
// the one that decided its listing.
// name: task_view
UNWIND $keys AS key
MATCH (t:Task {id: key})-[:FOR]->(:Listing)-[:DECIDED_BY]->(d:Department)
RETURN key, t {.*} AS task, d.code AS listingDepartment
