// name: search_parties
CALL db.index.fulltext.queryNodes('party_names', $query, {skip: $skip, limit: $limit})
YIELD node, score
RETURN CASE WHEN node:Entity THEN 'ENTITY' ELSE 'PERSON' END AS kind,
       node {.uscc, .name, .idMasked, .idHash, .idCipher, .form, .status, .region} AS party, score

// A single character is below the CJK analyzer's bigrams, so it is looked up by substring instead.
// name: search_parties_by_substring
MATCH (node)
WHERE (node:Entity OR node:Person) AND node.name CONTAINS $query
WITH node ORDER BY size(node.name), node.name SKIP $skip LIMIT $limit
RETURN CASE WHEN node:Entity THEN 'ENTITY' ELSE 'PERSON' END AS kind,
       node {.uscc, .name, .idMasked, .idHash, .idCipher, .form, .status, .region} AS party, 1.0 AS score

// name: department_by_code
MATCH (d:Department {code: $code})
RETURN d {.code, .name, .region} AS department,
  COUNT { (d)<-[:DECIDED_BY]-(:Record) } AS records,
  COUNT { (d)<-[:DECIDED_BY]-(:Listing) } AS listings
