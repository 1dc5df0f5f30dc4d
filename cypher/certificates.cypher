// The 应查必查 certificate (issue 16): graph_api/services/certificates.py. A certificate is immutable once
// created: nothing here updates one. Certificates are chained by SHA-256 like the audit trail; the head
// node keeps the last hash and is locked first by every issuing transaction, so the chain has one order.

// The subject and, for an entity, its ties on $asOf that make parties required: legal representative or
// principal, declared actual controllers, holders (the domain keeps the majority ones). A person without an
// identity in the graph has a null key: a gap, named.
// name: certificate_ties
OPTIONAL MATCH (e:Entity {uscc: $subjectEntity})
OPTIONAL MATCH (p:Person {idHash: $subjectPerson})
RETURN e {.uscc, .name} AS entity, p {.idHash, .name} AS person,
  COLLECT {
    MATCH (x)-[r:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|HOLDS]->(e)
    WHERE @valid_on(r, $asOf)
    RETURN {kind: CASE WHEN x:Person THEN 'PERSON' ELSE 'ENTITY' END, key: coalesce(x.uscc, x.idHash),
            name: x.name, relation: type(r), ratio: r.ratio}
    ORDER BY type(r), coalesce(x.uscc, x.idHash, x.name)
  } AS ties

// name: certificate_lock_head
MERGE (h:CertificateHead {name: 'certificates'})
ON CREATE SET h.seq = 0, h.hash = $genesis
SET h.lockedAt = datetime()
RETURN h.seq AS seq, h.hash AS hash

// $certificate's seq and hash follow the head read by certificate_lock_head in the same transaction. The
// parts keep their content as the hash covered it (reasons and grounds as JSON text: a property holds no map).
// name: certificate_create
MATCH (h:CertificateHead {name: 'certificates'})
SET h.seq = $certificate.seq, h.hash = $certificate.hash
CREATE (c:Certificate)
SET c = $certificate
WITH c
CALL (c) {
  UNWIND $parts AS part
  CREATE (c)-[:CHECKED]->(k:CheckedParty)
  SET k = part
  RETURN count(k) AS parts
}
RETURN elementId(c) AS nodeId, c.id AS id, parts

// One certificate with its parts in order and the hash of the one before it in the chain.
// name: certificate_get
MATCH (c:Certificate {id: $id})
OPTIONAL MATCH (before:Certificate {seq: c.seq - 1})
RETURN c {.*} AS certificate,
  COLLECT { MATCH (c)-[:CHECKED]->(k:CheckedParty) RETURN k {.*} ORDER BY k.order } AS parts,
  before.hash AS previousHash

// The certificates of a decision, oldest first, after the certificate numbered $afterSeq (as certificate_get).
// name: certificates_of_decision
MATCH (c:Certificate {decision: $decision})
WHERE c.seq > $afterSeq
WITH c ORDER BY c.seq LIMIT $limit
OPTIONAL MATCH (before:Certificate {seq: c.seq - 1})
RETURN c {.*} AS certificate,
  COLLECT { MATCH (c)-[:CHECKED]->(k:CheckedParty) RETURN k {.*} ORDER BY k.order } AS parts,
  before.hash AS previousHash
