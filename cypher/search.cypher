// Ranked search for a reader who reads names in clear.
// name: search_parties
CALL db.index.fulltext.queryNodes('party_names', $query, {skip: $skip, limit: $limit})
YIELD node, score
RETURN CASE WHEN node:Entity THEN 'ENTITY' ELSE 'PERSON' END AS kind,
       node {.uscc, .name, .idMasked, .idHash, .idCipher, .form, .status, .region} AS party, score

// Ranked search for a reader who may not read names in clear: search matches a person only on what
// the reader sees of the name (api/graphql/discovery.py), one character, below the analyzer's bigrams,
// so this finds entities only, in the index of entity names alone, which cuts the page itself.
// name: search_entities
CALL db.index.fulltext.queryNodes('entity_names', $query, {skip: $skip, limit: $limit})
YIELD node, score
RETURN 'ENTITY' AS kind, node {.uscc, .name, .idMasked, .idHash, .idCipher, .form, .status, .region} AS party, score

// A single character is below the CJK analyzer's bigrams, so it is looked up by substring instead. A
// masked name (domain/masking.py) shows its first character only: for a reader who may not read names
// in clear a person matches on that character alone, and persons sort by what the reader sees.
// name: search_parties_by_substring
MATCH (node)
WHERE (node:Entity AND node.name CONTAINS $query)
   OR (node:Person AND CASE WHEN $namesInClear THEN node.name CONTAINS $query ELSE left(node.name, 1) = $query END)
WITH node ORDER BY size(node.name), CASE WHEN node:Entity OR $namesInClear THEN node.name ELSE left(node.name, 1) END,
     coalesce(node.uscc, node.idHash) SKIP $skip LIMIT $limit
RETURN CASE WHEN node:Entity THEN 'ENTITY' ELSE 'PERSON' END AS kind,
       node {.uscc, .name, .idMasked, .idHash, .idCipher, .form, .status, .region} AS party, 1.0 AS score

// name: department_by_code
MATCH (d:Department {code: $code})
RETURN d {.code, .name, .region} AS department,
  COUNT { (d)<-[:DECIDED_BY]-(:Record) } AS records,
  COUNT { (d)<-[:DECIDED_BY]-(:Listing) } AS listings
