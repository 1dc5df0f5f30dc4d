// Rules that many statements share, written once (graph_api/store/cypher_loader.py composes them):
// a statement writes `@valid_on(l, $asOf)` where the rule applies. Every validity in the graph is a
// half-open interval: a role, holding, listing or membership counts on a day when
// since <= day < until, and a null until is open-ended.

// x is valid on day: started on or before it, not ended by it.
// fragment: valid_on(x, day)
x.since <= day AND @not_ended(x, day)

// x has not ended by day (still in force on it, whenever it started).
// fragment: not_ended(x, day)
x.until IS NULL OR x.until > day

// As valid_on, for relationships whose start may be unrecorded (branches have no since): an
// unknown start counts as valid since always.
// fragment: valid_on_open_start(x, day)
(x.since IS NULL OR x.since <= day) AND @not_ended(x, day)

// The responsibility window (docs/domain-rules.md, "Linkage"): a person's role at the listed entity binds them
// when it began by the listing's start and had not ended before the earliest basis decision. A role
// ending after the earliest decision is one ending after some basis decision: hence the EXISTS.
// fragment: in_window(role, listing)
role.since <= listing.since
AND (role.until IS NULL OR EXISTS { MATCH (listing)-[:BASED_ON]->(windowBasis:Record) WHERE windowBasis.decidedOn < role.until })

// A commitment's state on day: closed (FULFILLED, BREACHED) from its closedOn (imported closed ones,
// without closedOn, always); otherwise OVERDUE once its due day has passed, else PENDING.
// fragment: commitment_state(c, day)
CASE WHEN c.status <> 'PENDING' AND (c.closedOn IS NULL OR c.closedOn <= day) THEN c.status
     WHEN c.dueOn < day THEN 'OVERDUE' ELSE 'PENDING' END

// The end of a record's maximum publicity period (data: PublicityPeriod), counted from its
// publication: null while unpublished, or when its category and severity have no period.
// fragment: public_max_until(r)
COLLECT { MATCH (maxPeriod:PublicityPeriod {category: r.category, severity: r.severity})
          RETURN r.publishedOn + duration({months: maxPeriod.maxMonths}) }[0]

// The publication rule (graph_api/domain/permissions.py PUBLICATION_ENDED): the public sees record r on
// day only while it is published: disclosure PUBLIC, published on or before the day, not revoked or
// corrected (an upheld objection withdraws it), publication not ended by repair or revocation, and not
// past the maximum publicity period.
// fragment: published_on(r, day)
r.disclosure = 'PUBLIC' AND NOT r.status IN ['REVOKED', 'CORRECTED'] AND r.publishedOn <= day
AND (r.publicationEndedOn IS NULL OR r.publicationEndedOn > day)
AND coalesce(@public_max_until(r) > day, true)

// Whether the reader sees record r (graph_api/domain/permissions.py record_params, the one table of
// record_visibility and publication_filter): a disclosure level it reads in full, its own entity's
// record, or a RESTRICTED record of its own department; and, for a reader who sees only what is
// published ($publishedAsOf set: the public), published on that day. Never null (a missing property
// hides the record), so `NOT @record_visible(r)` is the hidden records exactly. Every statement that
// returns, names or counts a record, or text about one, asks this.
// fragment: record_visible(r)
coalesce((r.disclosure IN $disclosures
          OR EXISTS { MATCH (:Entity {uscc: $ownKey})-[:HAS_RECORD]->(r) }
          OR (r.disclosure = 'RESTRICTED' AND EXISTS { MATCH (r)-[:DECIDED_BY]->(:Department {code: $ownDepartment}) }))
         AND ($publishedAsOf IS NULL OR @published_on(r, $publishedAsOf)), false)

// The listing l binds the responsible persons of its entity (graph_api/domain/linkage.py BINDING_LISTS:
// only joint punishment; tests/test_cypher_fragments.py keeps the two lists equal).
// fragment: binds_persons(l)
l.list IN ['JOINT_PUNISHMENT']

// The listing l punishes (graph_api/domain/vocabulary.py PUNISHMENT_LISTS): not the red list, an incentive.
// fragment: punishes(l)
l.list IN ['JOINT_PUNISHMENT', 'KEY_ATTENTION']

// Keyset paging (graph_api/api/graphql/cursors.py): a page starts strictly after the sort key of the
// cursor's item, so items inserted before it neither shift nor repeat the page. `key` and `cursor` are
// lists of sort values ending in a unique tiebreaker, `descending` a list of booleans, one a position,
// as in the statement's ORDER BY; null sorts as ORDER BY sorts it: after every value ascending, before
// every value descending. Written out lexicographically: equal on a prefix, then after at one position.
// fragment: key_after(key, cursor, descending)
any(keysetI IN range(0, size(cursor) - 1) WHERE all(keysetJ IN range(0, keysetI - 1) WHERE key[keysetJ] = cursor[keysetJ] OR (key[keysetJ] IS NULL AND cursor[keysetJ] IS NULL))
  AND CASE WHEN descending[keysetI] THEN (cursor[keysetI] IS NULL AND key[keysetI] IS NOT NULL) OR key[keysetI] < cursor[keysetI]
           ELSE (key[keysetI] IS NULL AND cursor[keysetI] IS NOT NULL) OR key[keysetI] > cursor[keysetI] END)

// Where the page of a sorted list of keys begins: 0 for no cursor, else at the first key after the
// cursor's (none: past the end). `start` items precede the page.
// fragment: keyset_start(keys, cursor, descending)
CASE WHEN cursor IS NULL THEN 0
     ELSE coalesce(head([keysetAt IN range(0, size(keys) - 1) WHERE all(keysetKey IN [keys[keysetAt]] WHERE @key_after(keysetKey, cursor, descending))]), size(keys)) END

// What a one-character search matches (cypher/search.cypher): an entity's name containing it; a person's
// name containing it for a reader who reads names in clear, else the name's visible first character.
// fragment: substring_match(node, text, namesInClear)
(node:Entity AND node.name CONTAINS text)
OR (node:Person AND CASE WHEN namesInClear THEN node.name CONTAINS text ELSE left(node.name, 1) = text END)

// An entity as every view of it shows it: its properties, and the entity it is a branch of (parents: at
// most one), so an entity reached through a relationship is as complete as entity(uscc:) (views.Entity).
// fragment: entity_map(e)
e {.uscc, .name, .form, .status, .region, .industry, .established, .registeredCapital, .address,
   parents: COLLECT { MATCH (e)-[:BRANCH_OF]->(entityMapParent:Entity) RETURN entityMapParent {.uscc, .name} }}

// A person as every view of it shows it (views.Person): the name (masked for the public by the type), the
// masked number, the kind of document, the lookup hash (its key, never shown) and the cipher (idNumber).
// fragment: person_map(p)
p {.name, .idMasked, .idType, .idHash, .idCipher}

// The lists that pages.cypher pages and entity_with_relations (entity.cypher) returns with the entity, in
// the requested order, each item as {item, key}: key is its sort key (the cursor's), ending in a unique
// tie-break. orderField names the sort key, descending its direction; a null filter does not filter.
// fragment: entity_roles(e, roles, activeOn, orderField, descending)
COLLECT { MATCH (rolesP:Person)-[rolesR:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|DIRECTOR|SUPERVISOR|MANAGER]->(e)
  WHERE (roles IS NULL OR type(rolesR) IN roles) AND (activeOn IS NULL OR @valid_on(rolesR, activeOn))
  WITH rolesP, rolesR, CASE orderField WHEN 'ROLE' THEN type(rolesR) WHEN 'UNTIL' THEN rolesR.until ELSE rolesR.since END AS rolesSortKey
  ORDER BY CASE WHEN descending THEN rolesSortKey END DESC, CASE WHEN NOT descending THEN rolesSortKey END ASC,
           rolesR.since, type(rolesR), rolesP.idHash
  RETURN {item: {role: type(rolesR), since: rolesR.since, until: rolesR.until, person: @person_map(rolesP)},
          key: [rolesSortKey, rolesR.since, type(rolesR), rolesP.idHash]} }

// fragment: entity_holders(e, activeOn, minRatio, orderField, descending)
COLLECT { MATCH (holdersH)-[holdersR:HOLDS]->(e)
  WHERE (activeOn IS NULL OR @valid_on(holdersR, activeOn)) AND (minRatio IS NULL OR holdersR.ratio >= minRatio)
  WITH holdersH, holdersR, CASE orderField WHEN 'SINCE' THEN holdersR.since WHEN 'UNTIL' THEN holdersR.until ELSE holdersR.ratio END AS holdersSortKey
  ORDER BY CASE WHEN descending THEN holdersSortKey END DESC, CASE WHEN NOT descending THEN holdersSortKey END ASC,
           holdersR.since, coalesce(holdersH.uscc, holdersH.idHash)
  RETURN {item: {ratio: holdersR.ratio, since: holdersR.since, until: holdersR.until,
                 entity: CASE WHEN holdersH:Entity THEN @entity_map(holdersH) END,
                 person: CASE WHEN holdersH:Person THEN @person_map(holdersH) END},
          key: [holdersSortKey, holdersR.since, coalesce(holdersH.uscc, holdersH.idHash)]} }

// fragment: subject_holdings(s, activeOn, minRatio, orderField, descending)
COLLECT { MATCH (s)-[holdingsR:HOLDS]->(holdingsX:Entity)
  WHERE (activeOn IS NULL OR @valid_on(holdingsR, activeOn)) AND (minRatio IS NULL OR holdingsR.ratio >= minRatio)
  WITH holdingsX, holdingsR, CASE orderField WHEN 'SINCE' THEN holdingsR.since WHEN 'UNTIL' THEN holdingsR.until ELSE holdingsR.ratio END AS holdingsSortKey
  ORDER BY CASE WHEN descending THEN holdingsSortKey END DESC, CASE WHEN NOT descending THEN holdingsSortKey END ASC,
           holdingsR.since, holdingsX.uscc
  RETURN {item: {ratio: holdingsR.ratio, since: holdingsR.since, until: holdingsR.until, entity: @entity_map(holdingsX)},
          key: [holdingsSortKey, holdingsR.since, holdingsX.uscc]} }

// The page row a page statement returns (pages.cypher) for parent pageKey, from all its items (pageAll, as
// {item, key}, in order): pageLimit of them from pageStart (@keyset_start), their keys, and how many there are.
// (`.. pageStart` with a space: a name right after a dot is a property, which a fragment leaves as it is.)
// fragment: keyed_page(pageKey, pageAll, pageStart, pageLimit)
{key: pageKey, totalCount: size(pageAll), start: pageStart,
 page: [keyedPageM IN pageAll[pageStart .. pageStart + pageLimit] | keyedPageM.item],
 keys: [keyedPageM IN pageAll[pageStart .. pageStart + pageLimit] | keyedPageM.key]}

// fragment: person_roles(p, roles, activeOn, orderField, descending)
COLLECT { MATCH (p)-[personRolesR:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER|DIRECTOR|SUPERVISOR|MANAGER]->(personRolesE:Entity)
  WHERE (roles IS NULL OR type(personRolesR) IN roles) AND (activeOn IS NULL OR @valid_on(personRolesR, activeOn))
  WITH personRolesE, personRolesR, CASE orderField WHEN 'ROLE' THEN type(personRolesR) WHEN 'UNTIL' THEN personRolesR.until ELSE personRolesR.since END AS personRolesSortKey
  ORDER BY CASE WHEN descending THEN personRolesSortKey END DESC, CASE WHEN NOT descending THEN personRolesSortKey END ASC,
           personRolesR.since, type(personRolesR), personRolesE.uscc
  RETURN {item: {role: type(personRolesR), since: personRolesR.since, until: personRolesR.until, entity: personRolesE {.uscc, .name}},
          key: [personRolesSortKey, personRolesR.since, type(personRolesR), personRolesE.uscc]} }

// The listings subject s is on itself, each as {item: the listing node, key}; @listing_item shows one.
// fragment: subject_listings(s, lists, statuses, activeOn, orderField, descending)
COLLECT { MATCH (s)-[:LISTED_ON]->(listingsL:Listing)
  WHERE (lists IS NULL OR listingsL.list IN lists) AND (statuses IS NULL OR listingsL.status IN statuses)
    AND (activeOn IS NULL OR @valid_on(listingsL, activeOn))
  WITH listingsL, CASE orderField WHEN 'UNTIL' THEN listingsL.until ELSE listingsL.since END AS listingsSortKey
  ORDER BY CASE WHEN descending THEN listingsSortKey END DESC, CASE WHEN NOT descending THEN listingsSortKey END ASC, listingsL.id
  RETURN {item: listingsL, key: [listingsSortKey, listingsL.id]} }

// A listing as a page of listings shows it: of the basis, the ids of the records the reader sees
// (@record_visible), and how many it does not.
// fragment: listing_item(l)
l {.id, .list, .since, .until, .status,
   department: COLLECT { MATCH (l)-[:DECIDED_BY]->(listingItemD:Department) RETURN listingItemD {.code, .name, .region} }[0],
   basis: COLLECT { MATCH (l)-[:BASED_ON]->(listingItemB:Record) WHERE @record_visible(listingItemB) RETURN listingItemB.id ORDER BY listingItemB.id },
   undisclosedBasis: COUNT { MATCH (l)-[:BASED_ON]->(listingItemB:Record) WHERE NOT @record_visible(listingItemB) },
   measures: COLLECT { MATCH (l)-[:APPLIES]->(listingItemM:Measure) RETURN listingItemM {.code, .name, .nameZh, .kind, .binds, .scenarios}
                       ORDER BY listingItemM.code }}

// The basis of listing l as the reader may see it (@record_visible): a record it may not see comes as
// disclosed: false and nothing else.
// fragment: listing_basis(l)
COLLECT { MATCH (l)-[:BASED_ON]->(basisB:Record) WITH basisB, @record_visible(basisB) AS basisDisclosed ORDER BY basisB.decidedOn, basisB.id
          RETURN CASE WHEN basisDisclosed THEN basisB {.id, .category, .severity, .decidedOn, disclosed: true}
                      ELSE {id: null, category: null, severity: null, decidedOn: null, disclosed: false} END }

// The listings in force on day that bind entity e (linkage.cypher exposure_entity, screen.cypher), one map
// a binding, in listing order: the rule of an entity's exposure, written once.
// fragment: entity_bindings(e, day)
COLLECT { MATCH (e)-[:LISTED_ON]->(entityL:Listing)-[:DECIDED_BY]->(entityD:Department)
  WHERE @valid_on(entityL, day)
  WITH entityL, entityD ORDER BY entityL.since, entityL.id
  RETURN {entity: e {.uscc, .name}, listing: entityL {.id, .list, .since, .until, .status}, department: entityD {.code, .name, .region},
    basis: @listing_basis(entityL),
    measures: COLLECT { MATCH (entityL)-[:APPLIES]->(entityM:Measure) WHERE entityM.binds IN ['ENTITY', 'BOTH']
                        RETURN entityM {.code, .name, .nameZh, .kind, .binds, .scenarios} ORDER BY entityM.code }} }

// The listings in force on day that bind person p (linkage.cypher exposure_person, screen.cypher): listed
// itself, or as the legal representative, principal or actual controller of an entity on a list that binds
// persons whose role overlapped the responsibility window (@in_window). One map a binding, in listing order.
// fragment: person_bindings(p, day)
COLLECT {
  CALL (p) {
    MATCH (p)-[:LISTED_ON]->(personL:Listing)
    WHERE @valid_on(personL, day)
    RETURN personL, null AS personVia, null AS personRole
    UNION
    MATCH (p)-[personRole:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(personVia:Entity)-[:LISTED_ON]->(personL:Listing)
    WHERE @binds_persons(personL) AND @valid_on(personL, day) AND @in_window(personRole, personL)
    RETURN personL, personVia, personRole
  }
  MATCH (personL)-[:DECIDED_BY]->(personD:Department)
  WITH personL, personD, personVia, personRole ORDER BY personL.since, personL.id, personVia.uscc
  RETURN {person: p {.name, .idMasked, .idType},
    listing: personL {.id, .list, .since, .until, .status}, department: personD {.code, .name, .region},
    via: personVia {.uscc, .name},
    role: CASE WHEN personRole IS NULL THEN null ELSE {type: type(personRole), since: personRole.since, until: personRole.until} END,
    basis: @listing_basis(personL),
    measures: COLLECT { MATCH (personL)-[:APPLIES]->(personM:Measure) WHERE personVia IS NULL OR personM.binds IN ['PERSONS', 'BOTH']
                        RETURN personM {.code, .name, .nameZh, .kind, .binds, .scenarios} ORDER BY personM.code }} }

// Related risk of entity e on day: its present responsible persons bound by another entity's listing that
// binds persons (linkage.cypher responsible_persons_bound_elsewhere, screen.cypher), in listing order.
// fragment: bound_elsewhere(e, day)
COLLECT {
  MATCH (e)<-[elsewhereR:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]-(elsewhereP:Person)
  WHERE @valid_on(elsewhereR, day)
  MATCH (elsewhereP)-[elsewhereRole:LEGAL_REPRESENTATIVE|PRINCIPAL|ACTUAL_CONTROLLER]->(elsewhereVia:Entity)-[:LISTED_ON]->(elsewhereL:Listing)
  WHERE elsewhereVia <> e AND @binds_persons(elsewhereL) AND @valid_on(elsewhereL, day) AND @in_window(elsewhereRole, elsewhereL)
  WITH elsewhereP, elsewhereR, elsewhereVia, elsewhereL, elsewhereRole ORDER BY elsewhereL.id, elsewhereP.idHash
  RETURN {person: elsewhereP {.name, .idMasked, .idType, .idHash}, currentRole: type(elsewhereR), currentSince: elsewhereR.since,
          entity: e {.uscc, .name}, via: elsewhereVia {.uscc, .name}, listing: elsewhereL {.id, .list, .since, .until},
          role: {type: type(elsewhereRole), since: elsewhereRole.since, until: elsewhereRole.until}} }

// The facts an entity is graded on as of $asOf (graph_api/domain/grading.py applies data/grades.json to them;
// fact_params gives the parameters): listings in force on the day or within the look-back window, with the
// bans they apply.
// fragment: grade_listings(e)
COLLECT {
  MATCH (e)-[:LISTED_ON]->(gradedListing:Listing)
  WHERE gradedListing.since <= $asOf AND @not_ended(gradedListing, $lookbackStart)
  RETURN {id: gradedListing.id, list: gradedListing.list, inForce: @not_ended(gradedListing, $asOf),
          bans: COLLECT { MATCH (gradedListing)-[:APPLIES]->(m:Measure) WHERE m.code IN $bans RETURN m.code }}
}

// ... and records decided by the day, not revoked or corrected, active on the day or decided in the window. A
// record ended by repair keeps counting until its publicationEndedOn; a negative record `counts` while active
// and within its maximum publicity period ($periodKeys 'CATEGORY|SEVERITY' with $periodMonths, from the
// catalogue; no period: no limit). $askDisclosed (a reader's grade): each record also says whether that reader
// sees it (@record_visible: the grade counts every record, its reasons name only those, domain/disclosure.py);
// a batch for no reader passes false and pays nothing for it.
// fragment: grade_records(e)
COLLECT {
  MATCH (e)-[:HAS_RECORD]->(r:Record)
  WHERE r.decidedOn <= $asOf AND r.polarity IN ['NEGATIVE', 'POSITIVE'] AND NOT r.status IN ['REVOKED', 'CORRECTED']
  WITH r, r.status = 'ACTIVE' OR coalesce(r.publicationEndedOn > $asOf, false) AS active,
       r.category + '|' + coalesce(r.severity, $unknownSeverity) AS period
  WHERE active OR r.decidedOn > $lookbackStart
  WITH r, active, [i IN range(0, size($periodKeys) - 1) WHERE $periodKeys[i] = period | $periodMonths[i]][0] AS months
  RETURN {id: r.id, category: r.category, polarity: r.polarity, severity: coalesce(r.severity, $unknownSeverity),
          counts: active AND (months IS NULL OR r.decidedOn + duration({months: months}) > $asOf),
          active: active, recent: r.decidedOn > $lookbackStart, positiveRecent: r.decidedOn > $positiveStart,
          disclosed: CASE WHEN $askDisclosed THEN @record_visible(r) END}
}
