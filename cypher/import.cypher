// Batched writes of the importer. Every statement takes $rows (one map per fact: key, hash, json,
// props and references), tells each fact created / updated / unchanged by its content hash, and
// keeps the replaced content of an updated fact as a (:Revision). Revisions are merged on their
// content hash, so importing the same file again adds nothing.

// name: import_existing_keys
RETURN [k IN $entities WHERE EXISTS { MATCH (:Entity {uscc: k}) }] AS entities,
       [k IN $persons WHERE EXISTS { MATCH (:Person {idHash: k}) }] AS persons,
       [k IN $departments WHERE EXISTS { MATCH (:Department {code: k}) }] AS departments,
       [k IN $measures WHERE EXISTS { MATCH (:Measure {code: k}) }] AS measures,
       COLLECT {
         UNWIND $records AS k
         MATCH (s)-[:HAS_RECORD]->(r:Record {id: k})
         RETURN {id: k, subject: coalesce(s.uscc, s.idHash), polarity: r.polarity, decidedOn: r.decidedOn}
       } AS records

// name: import_holdings_of
UNWIND $entities AS uscc
MATCH (h)-[r:HOLDS]->(:Entity {uscc: uscc})
RETURN uscc AS entity, coalesce(h.uscc, h.idHash) AS holder, r.since AS since, r.until AS until, r.ratio AS ratio

// name: import_departments
UNWIND $rows AS row
OPTIONAL MATCH (old:Department {code: row.key})
WITH row, old, CASE WHEN old IS NULL THEN 'created' WHEN old.factHash = row.hash THEN 'unchanged' ELSE 'updated' END AS outcome
CALL (row, old, outcome) {
  WITH * WHERE outcome = 'updated'
  MERGE (rev:Revision {kind: 'department', key: row.key, hash: old.factHash})
  ON CREATE SET rev.data = old.factJson, rev.validFrom = old.recordedAt, rev.supersededAt = datetime()
}
MERGE (n:Department {code: row.key})
WITH n, row, outcome
CALL (n, row, outcome) {
  WITH * WHERE outcome <> 'unchanged'
  SET n += row.props, n.factHash = row.hash, n.factJson = row.json, n.recordedAt = datetime()
}
RETURN outcome, count(*) AS n

// name: import_entities
UNWIND $rows AS row
OPTIONAL MATCH (old:Entity {uscc: row.key})
WITH row, old, CASE WHEN old IS NULL THEN 'created' WHEN old.factHash = row.hash THEN 'unchanged' ELSE 'updated' END AS outcome
CALL (row, old, outcome) {
  WITH * WHERE outcome = 'updated'
  MERGE (rev:Revision {kind: 'entity', key: row.key, hash: old.factHash})
  ON CREATE SET rev.data = old.factJson, rev.validFrom = old.recordedAt, rev.supersededAt = datetime()
}
MERGE (n:Entity {uscc: row.key})
WITH n, row, outcome
CALL (n, row, outcome) {
  WITH * WHERE outcome <> 'unchanged'
  SET n += row.props, n.factHash = row.hash, n.factJson = row.json, n.recordedAt = datetime()
}
RETURN outcome, count(*) AS n

// name: import_persons
UNWIND $rows AS row
OPTIONAL MATCH (old:Person {idHash: row.key})
WITH row, old, CASE WHEN old IS NULL THEN 'created' WHEN old.factHash = row.hash THEN 'unchanged' ELSE 'updated' END AS outcome
CALL (row, old, outcome) {
  WITH * WHERE outcome = 'updated'
  MERGE (rev:Revision {kind: 'person', key: row.key, hash: old.factHash})
  ON CREATE SET rev.data = old.factJson, rev.validFrom = old.recordedAt, rev.supersededAt = datetime()
}
MERGE (n:Person {idHash: row.key})
ON CREATE SET n.idCipher = row.cipher
WITH n, row, outcome
CALL (n, row, outcome) {
  WITH * WHERE outcome <> 'unchanged'
  SET n += row.props, n.factHash = row.hash, n.factJson = row.json, n.recordedAt = datetime()
}
RETURN outcome, count(*) AS n

// A role is a relationship typed by the role itself (LEGAL_REPRESENTATIVE, ...), so that linkage
// traversals name the roles they follow.
// name: import_roles
UNWIND $rows AS row
MATCH (p:Person {idHash: row.person})
MATCH (e:Entity {uscc: row.entity})
OPTIONAL MATCH (p)-[old:$(row.role) {since: row.since}]->(e)
WITH row, p, e, old, CASE WHEN old IS NULL THEN 'created' WHEN old.factHash = row.hash THEN 'unchanged' ELSE 'updated' END AS outcome
CALL (row, old, outcome) {
  WITH * WHERE outcome = 'updated'
  MERGE (rev:Revision {kind: 'role', key: row.key, hash: old.factHash})
  ON CREATE SET rev.data = old.factJson, rev.validFrom = old.recordedAt, rev.supersededAt = datetime()
}
MERGE (p)-[r:$(row.role) {since: row.since}]->(e)
WITH r, row, outcome
CALL (r, row, outcome) {
  WITH * WHERE outcome <> 'unchanged'
  SET r += row.props, r.factHash = row.hash, r.factJson = row.json, r.recordedAt = datetime()
}
RETURN outcome, count(*) AS n

// name: import_holdings
UNWIND $rows AS row
OPTIONAL MATCH (he:Entity {uscc: row.holderEntity})
OPTIONAL MATCH (hp:Person {idHash: row.holderPerson})
MATCH (e:Entity {uscc: row.entity})
WITH row, e, coalesce(he, hp) AS h
OPTIONAL MATCH (h)-[old:HOLDS {since: row.since}]->(e)
WITH row, e, h, old, CASE WHEN old IS NULL THEN 'created' WHEN old.factHash = row.hash THEN 'unchanged' ELSE 'updated' END AS outcome
CALL (row, old, outcome) {
  WITH * WHERE outcome = 'updated'
  MERGE (rev:Revision {kind: 'holding', key: row.key, hash: old.factHash})
  ON CREATE SET rev.data = old.factJson, rev.validFrom = old.recordedAt, rev.supersededAt = datetime()
}
MERGE (h)-[r:HOLDS {since: row.since}]->(e)
WITH r, row, outcome
CALL (r, row, outcome) {
  WITH * WHERE outcome <> 'unchanged'
  SET r += row.props, r.factHash = row.hash, r.factJson = row.json, r.recordedAt = datetime()
}
RETURN outcome, count(*) AS n

// A branch has one parent: a changed parent moves the relationship and keeps the old one as a revision.
// name: import_branches
UNWIND $rows AS row
MATCH (b:Entity {uscc: row.entity})
MATCH (p:Entity {uscc: row.parent})
OPTIONAL MATCH (b)-[old:BRANCH_OF]->(:Entity)
WITH row, b, p, old, CASE WHEN old IS NULL THEN 'created' WHEN old.factHash = row.hash THEN 'unchanged' ELSE 'updated' END AS outcome
CALL (row, old, outcome) {
  WITH * WHERE outcome = 'updated'
  MERGE (rev:Revision {kind: 'branch', key: row.key, hash: old.factHash})
  ON CREATE SET rev.data = old.factJson, rev.validFrom = old.recordedAt, rev.supersededAt = datetime()
  DELETE old
}
CALL (row, b, p, outcome) {
  WITH * WHERE outcome <> 'unchanged'
  MERGE (b)-[r:BRANCH_OF]->(p)
  SET r.factHash = row.hash, r.factJson = row.json, r.recordedAt = datetime()
}
RETURN outcome, count(*) AS n

// name: import_records
UNWIND $rows AS row
OPTIONAL MATCH (se:Entity {uscc: row.subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: row.subjectPerson})
MATCH (d:Department {code: row.department})
WITH row, coalesce(se, sp) AS s, d
OPTIONAL MATCH (old:Record {id: row.key})
WITH row, s, d, old, CASE WHEN old IS NULL THEN 'created' WHEN old.factHash = row.hash THEN 'unchanged' ELSE 'updated' END AS outcome
CALL (row, old, outcome) {
  WITH * WHERE outcome = 'updated'
  MERGE (rev:Revision {kind: 'record', key: row.key, hash: old.factHash})
  ON CREATE SET rev.data = old.factJson, rev.validFrom = old.recordedAt, rev.supersededAt = datetime()
  WITH old
  MATCH (old)-[link:DECIDED_BY|HAS_RECORD]-()
  DELETE link
}
MERGE (r:Record {id: row.key})
ON CREATE SET r.status = 'ACTIVE'
WITH r, s, d, row, outcome
CALL (r, s, d, row, outcome) {
  WITH * WHERE outcome <> 'unchanged'
  SET r += row.props, r.factHash = row.hash, r.factJson = row.json, r.recordedAt = datetime()
  MERGE (s)-[:HAS_RECORD]->(r)
  MERGE (r)-[:DECIDED_BY]->(d)
}
RETURN outcome, count(*) AS n

// name: import_listings
UNWIND $rows AS row
OPTIONAL MATCH (se:Entity {uscc: row.subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: row.subjectPerson})
MATCH (d:Department {code: row.department})
WITH row, coalesce(se, sp) AS s, d
OPTIONAL MATCH (old:Listing {id: row.key})
WITH row, s, d, old, CASE WHEN old IS NULL THEN 'created' WHEN old.factHash = row.hash THEN 'unchanged' ELSE 'updated' END AS outcome
CALL (row, old, outcome) {
  WITH * WHERE outcome = 'updated'
  MERGE (rev:Revision {kind: 'listing', key: row.key, hash: old.factHash})
  ON CREATE SET rev.data = old.factJson, rev.validFrom = old.recordedAt, rev.supersededAt = datetime()
  WITH old
  MATCH (old)-[link:LISTED_ON|BASED_ON|APPLIES|DECIDED_BY]-()
  DELETE link
}
MERGE (l:Listing {id: row.key})
ON CREATE SET l.status = 'ACTIVE'
WITH l, s, d, row, outcome
CALL (l, s, d, row, outcome) {
  WITH * WHERE outcome <> 'unchanged'
  SET l += row.props, l.factHash = row.hash, l.factJson = row.json, l.recordedAt = datetime()
  MERGE (s)-[:LISTED_ON]->(l)
  MERGE (l)-[:DECIDED_BY]->(d)
  WITH l, row
  CALL (l, row) {
    UNWIND row.basis AS recordId
    MATCH (rec:Record {id: recordId})
    MERGE (l)-[:BASED_ON]->(rec)
  }
  CALL (l, row) {
    UNWIND row.measures AS code
    MATCH (m:Measure {code: code})
    MERGE (l)-[:APPLIES]->(m)
  }
}
RETURN outcome, count(*) AS n

// name: import_commitments
UNWIND $rows AS row
MATCH (e:Entity {uscc: row.entity})
MATCH (d:Department {code: row.department})
OPTIONAL MATCH (old:Commitment {id: row.key})
WITH row, e, d, old, CASE WHEN old IS NULL THEN 'created' WHEN old.factHash = row.hash THEN 'unchanged' ELSE 'updated' END AS outcome
CALL (row, old, outcome) {
  WITH * WHERE outcome = 'updated'
  MERGE (rev:Revision {kind: 'commitment', key: row.key, hash: old.factHash})
  ON CREATE SET rev.data = old.factJson, rev.validFrom = old.recordedAt, rev.supersededAt = datetime()
  WITH old
  MATCH (old)-[link:COMMITTED|MADE_TO]-()
  DELETE link
}
MERGE (c:Commitment {id: row.key})
WITH c, e, d, row, outcome
CALL (c, e, d, row, outcome) {
  WITH * WHERE outcome <> 'unchanged'
  SET c += row.props, c.factHash = row.hash, c.factJson = row.json, c.recordedAt = datetime()
  MERGE (e)-[:COMMITTED]->(c)
  MERGE (c)-[:MADE_TO]->(d)
}
RETURN outcome, count(*) AS n

// The facts of a batch the graph already holds with the same content hash: the importer leaves them
// out of the write, so an unchanged fact costs one index seek and no write (and no lock). Each takes
// $rows of {key, hash} plus what finds a relationship's ends, and gives back the unchanged keys.
// name: import_unchanged_departments
UNWIND $rows AS row
MATCH (n:Department {code: row.key}) WHERE n.factHash = row.hash
RETURN collect(row.key) AS keys

// name: import_unchanged_entities
UNWIND $rows AS row
MATCH (n:Entity {uscc: row.key}) WHERE n.factHash = row.hash
RETURN collect(row.key) AS keys

// name: import_unchanged_persons
UNWIND $rows AS row
MATCH (n:Person {idHash: row.key}) WHERE n.factHash = row.hash
RETURN collect(row.key) AS keys

// name: import_unchanged_roles
UNWIND $rows AS row
MATCH (:Person {idHash: row.person})-[r:$(row.role) {since: row.since}]->(:Entity {uscc: row.entity})
WHERE r.factHash = row.hash
RETURN collect(row.key) AS keys

// name: import_unchanged_holdings
UNWIND $rows AS row
MATCH (h)-[r:HOLDS {since: row.since}]->(:Entity {uscc: row.entity})
WHERE r.factHash = row.hash AND coalesce(h.uscc, h.idHash) = row.holder
RETURN collect(row.key) AS keys

// name: import_unchanged_branches
UNWIND $rows AS row
MATCH (:Entity {uscc: row.key})-[r:BRANCH_OF]->(:Entity) WHERE r.factHash = row.hash
RETURN collect(row.key) AS keys

// name: import_unchanged_records
UNWIND $rows AS row
MATCH (n:Record {id: row.key}) WHERE n.factHash = row.hash
RETURN collect(row.key) AS keys

// name: import_unchanged_listings
UNWIND $rows AS row
MATCH (n:Listing {id: row.key}) WHERE n.factHash = row.hash
RETURN collect(row.key) AS keys

// name: import_unchanged_commitments
UNWIND $rows AS row
MATCH (n:Commitment {id: row.key}) WHERE n.factHash = row.hash
RETURN collect(row.key) AS keys

// What the write transaction confirms of a batch of facts a unique constraint keys: the keys stored
// with the same content hash (unchanged, left out of the write) and the keys not stored at all, which
// the import_create_ statements write with CREATE instead of MERGE.
// name: import_stored_departments
UNWIND $rows AS row
OPTIONAL MATCH (n:Department {code: row.key})
RETURN collect(CASE WHEN n.factHash = row.hash THEN row.key END) AS keys,
       collect(CASE WHEN n IS NULL THEN row.key END) AS absent

// name: import_stored_entities
UNWIND $rows AS row
OPTIONAL MATCH (n:Entity {uscc: row.key})
RETURN collect(CASE WHEN n.factHash = row.hash THEN row.key END) AS keys,
       collect(CASE WHEN n IS NULL THEN row.key END) AS absent

// name: import_stored_persons
UNWIND $rows AS row
OPTIONAL MATCH (n:Person {idHash: row.key})
RETURN collect(CASE WHEN n.factHash = row.hash THEN row.key END) AS keys,
       collect(CASE WHEN n IS NULL THEN row.key END) AS absent

// name: import_stored_records
UNWIND $rows AS row
OPTIONAL MATCH (n:Record {id: row.key})
RETURN collect(CASE WHEN n.factHash = row.hash THEN row.key END) AS keys,
       collect(CASE WHEN n IS NULL THEN row.key END) AS absent

// name: import_stored_commitments
UNWIND $rows AS row
OPTIONAL MATCH (n:Commitment {id: row.key})
RETURN collect(CASE WHEN n.factHash = row.hash THEN row.key END) AS keys,
       collect(CASE WHEN n IS NULL THEN row.key END) AS absent

// The facts the same transaction found absent, written as the import_ statements above write a created
// one, without their lookups of the old content, revisions and MERGE. A concurrent import that created
// the same key meanwhile makes the unique constraint refuse the CREATE, and the importer writes that
// batch again with MERGE (pipeline.py `_commit`): never a duplicate.
// name: import_create_departments
UNWIND $rows AS row
CREATE (n:Department {code: row.key})
SET n += row.props, n.factHash = row.hash, n.factJson = row.json, n.recordedAt = datetime()
RETURN 'created' AS outcome, count(*) AS n

// name: import_create_entities
UNWIND $rows AS row
CREATE (n:Entity {uscc: row.key})
SET n += row.props, n.factHash = row.hash, n.factJson = row.json, n.recordedAt = datetime()
RETURN 'created' AS outcome, count(*) AS n

// name: import_create_persons
UNWIND $rows AS row
CREATE (n:Person {idHash: row.key, idCipher: row.cipher})
SET n += row.props, n.factHash = row.hash, n.factJson = row.json, n.recordedAt = datetime()
RETURN 'created' AS outcome, count(*) AS n

// name: import_create_records
UNWIND $rows AS row
OPTIONAL MATCH (se:Entity {uscc: row.subjectEntity})
OPTIONAL MATCH (sp:Person {idHash: row.subjectPerson})
MATCH (d:Department {code: row.department})
WITH row, coalesce(se, sp) AS s, d
CREATE (r:Record {id: row.key, status: 'ACTIVE'})
SET r += row.props, r.factHash = row.hash, r.factJson = row.json, r.recordedAt = datetime()
CREATE (s)-[:HAS_RECORD]->(r)
CREATE (r)-[:DECIDED_BY]->(d)
RETURN 'created' AS outcome, count(*) AS n

// name: import_create_commitments
UNWIND $rows AS row
MATCH (e:Entity {uscc: row.entity})
MATCH (d:Department {code: row.department})
CREATE (c:Commitment {id: row.key})
SET c += row.props, c.factHash = row.hash, c.factJson = row.json, c.recordedAt = datetime()
CREATE (e)-[:COMMITTED]->(c)
CREATE (c)-[:MADE_TO]->(d)
RETURN 'created' AS outcome, count(*) AS n
