// Search pages (api/graphql/discovery.py): totalCount counts the matches up to $cap (the index ranks
// at most $cap hits, so a count stays cheap on a city of millions); page holds $limit hits strictly after
// the sort key $after (@key_after), keys their sort keys (their cursors). Ranked hits sort by score,
// best first, then by key; a score changes with the index, so a ranked page may shift. Only the page's
// hits are projected (`hit IN [m.node]` names the node, as a map projection needs a variable).

// Ranked search for a reader who reads names in clear.
// name: search_parties
CALL db.index.fulltext.queryNodes('party_names', $query, {limit: $cap})
YIELD node, score
WITH node, score, coalesce(node.uscc, node.idHash) AS id ORDER BY score DESC, id
WITH collect({node: node, score: score}) AS matching, collect([score, id]) AS keys
WITH matching, keys, [true, false] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys,
  [m IN matching[start..start + $limit] | head([hit IN [m.node] | {kind: CASE WHEN hit:Entity THEN 'ENTITY' ELSE 'PERSON' END,
    party: hit {.uscc, .name, .idMasked, .idHash, .idCipher, .form, .status, .region}, score: m.score}])] AS page

// Ranked search for a reader who may not read names in clear: search matches a person only on what
// the reader sees of the name (api/graphql/discovery.py), one character, below the analyzer's bigrams,
// so this finds entities only, in the index of entity names alone, which also caps the count.
// name: search_entities
CALL db.index.fulltext.queryNodes('entity_names', $query, {limit: $cap})
YIELD node, score
WITH node, score ORDER BY score DESC, node.uscc
WITH collect({node: node, score: score}) AS matching, collect([score, node.uscc]) AS keys
WITH matching, keys, [true, false] AS keyDesc
WITH matching, keys, @keyset_start(keys, $after, keyDesc) AS start
RETURN size(matching) AS totalCount, keys[start..start + $limit] AS keys,
  [m IN matching[start..start + $limit] | head([hit IN [m.node] | {kind: 'ENTITY',
    party: hit {.uscc, .name, .idMasked, .idHash, .idCipher, .form, .status, .region}, score: m.score}])] AS page

// A single character is below the CJK analyzer's bigrams, so it is looked up by substring instead. A
// masked name (domain/masking.py) shows its first character only: for a reader who may not read names
// in clear a person matches on that character alone, and persons sort by what the reader sees. The
// count stops at $cap; the page is the first $limit matches after $after, without sorting them all.
// name: search_parties_by_substring
CALL () {
  MATCH (node)
  WHERE @substring_match(node, $query, $namesInClear)
  WITH node LIMIT $cap
  RETURN count(node) AS totalCount
}
CALL () {
  MATCH (node)
  WHERE @substring_match(node, $query, $namesInClear)
  WITH node, [size(node.name), CASE WHEN node:Entity OR $namesInClear THEN node.name ELSE left(node.name, 1) END,
              coalesce(node.uscc, node.idHash)] AS sortKey, [false, false, false] AS keyDesc
  WHERE $after IS NULL OR @key_after(sortKey, $after, keyDesc)
  WITH node, sortKey ORDER BY sortKey[0], sortKey[1], sortKey[2] LIMIT $limit
  RETURN collect({kind: CASE WHEN node:Entity THEN 'ENTITY' ELSE 'PERSON' END,
                  party: node {.uscc, .name, .idMasked, .idHash, .idCipher, .form, .status, .region}, score: 1.0}) AS page,
         collect(sortKey) AS keys
}
RETURN totalCount, keys, page

// name: department_by_code
MATCH (d:Department {code: $code})
RETURN d {.code, .name, .region} AS department,
  COUNT { (d)<-[:DECIDED_BY]-(:Record) } AS records,
  COUNT { (d)<-[:DECIDED_BY]-(:Listing) } AS listings
