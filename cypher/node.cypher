// Objects by their natural keys, for Relay's node(id:) and nodes(ids:) (graph_api/api/graphql/node.py):
// one round trip per kind asked for, whatever the number of ids. Entities and persons reuse entity_view
// and person_by_hash.

// name: department_view
UNWIND $keys AS key
MATCH (d:Department {code: key})
RETURN key, d {.code, .name, .region} AS department

// name: measure_view
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
