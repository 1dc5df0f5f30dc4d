// The ownership-and-control network of an entity as the exports describe it (graph_api/services/exports.py).
// Who belongs to the network comes from ownership_upstream (linkage.cypher); this adds what an export states
// of each party.

// The parties of an export: the entities $usccs with their registration facts, the legal representatives
// and declared actual controllers of those entities valid on $asOf, and every person among $personHashes
// or in those roles, with the identity number at rest (decrypted only for readers who may read it).
// name: export_parties
CALL () {
  UNWIND $usccs AS u
  MATCH (e:Entity {uscc: u})<-[r:LEGAL_REPRESENTATIVE|ACTUAL_CONTROLLER]-(p:Person)
  WHERE @valid_on(r, $asOf)
  WITH e, r, p ORDER BY e.uscc, type(r), p.idHash, r.since
  RETURN collect({entity: e.uscc, role: type(r), person: p.idHash, since: r.since, until: r.until}) AS roles,
         collect(DISTINCT p.idHash) AS rolePersons
}
RETURN
  COLLECT {
    UNWIND $usccs AS u
    MATCH (e:Entity {uscc: u})
    RETURN e {.uscc, .name, .established, .status} AS entity ORDER BY entity.uscc
  } AS entities,
  roles,
  COLLECT {
    MATCH (p:Person) WHERE p.idHash IN $personHashes + rolePersons
    RETURN p {.idHash, .name, .idType, .idCipher} AS person ORDER BY person.idHash
  } AS persons
