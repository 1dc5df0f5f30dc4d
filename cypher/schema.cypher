// Schema migrations, applied in order at startup. A statement named mNNN_* belongs to schema
// version NNN; every statement is idempotent (IF NOT EXISTS), and the version reached is stored in
// the graph so that a later release only runs what is new.

// name: m001_schema_version_unique
CREATE CONSTRAINT schema_version_name IF NOT EXISTS FOR (v:SchemaVersion) REQUIRE v.name IS UNIQUE

// name: m001_entity_uscc_unique
CREATE CONSTRAINT entity_uscc IF NOT EXISTS FOR (e:Entity) REQUIRE e.uscc IS UNIQUE

// name: m001_person_id_hash_unique
CREATE CONSTRAINT person_id_hash IF NOT EXISTS FOR (p:Person) REQUIRE p.idHash IS UNIQUE

// name: m001_department_code_unique
CREATE CONSTRAINT department_code IF NOT EXISTS FOR (d:Department) REQUIRE d.code IS UNIQUE

// name: m001_record_id_unique
CREATE CONSTRAINT record_id IF NOT EXISTS FOR (r:Record) REQUIRE r.id IS UNIQUE

// name: m001_listing_id_unique
CREATE CONSTRAINT listing_id IF NOT EXISTS FOR (l:Listing) REQUIRE l.id IS UNIQUE

// name: m001_commitment_id_unique
CREATE CONSTRAINT commitment_id IF NOT EXISTS FOR (c:Commitment) REQUIRE c.id IS UNIQUE

// name: m001_measure_code_unique
CREATE CONSTRAINT measure_code IF NOT EXISTS FOR (m:Measure) REQUIRE m.code IS UNIQUE

// name: m001_list_type_code_unique
CREATE CONSTRAINT list_type_code IF NOT EXISTS FOR (t:ListType) REQUIRE t.code IS UNIQUE

// name: m001_revision_key_index
CREATE INDEX revision_kind_key IF NOT EXISTS FOR (r:Revision) ON (r.kind, r.key)

// name: m001_record_decided_index
CREATE INDEX record_decided_on IF NOT EXISTS FOR (r:Record) ON (r.decidedOn)

// name: m001_listing_list_index
CREATE INDEX listing_list IF NOT EXISTS FOR (l:Listing) ON (l.list)

// name: m001_entity_region_index
CREATE INDEX entity_region IF NOT EXISTS FOR (e:Entity) ON (e.region)

// The CJK analyzer indexes overlapping character bigrams, so a fragment such as 华岳 finds
// 山东华岳控股集团有限公司 without a word segmenter.
// name: m001_name_fulltext
CREATE FULLTEXT INDEX party_names IF NOT EXISTS FOR (n:Entity|Person) ON EACH [n.name]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}}

// Version 2: the supervision workflows (history of changes, the closed loop of measures).
// name: m002_change_id_unique
CREATE CONSTRAINT change_id IF NOT EXISTS FOR (c:Change) REQUIRE c.id IS UNIQUE

// name: m002_change_party_index
CREATE INDEX change_party IF NOT EXISTS FOR (c:Change) ON (c.party, c.at)

// name: m002_task_id_unique
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (t:Task) REQUIRE t.id IS UNIQUE

// name: m002_task_pending_index
CREATE INDEX task_executor IF NOT EXISTS FOR (t:Task) ON (t.region, t.executorKind, t.status)

// name: m002_audit_seq_unique
CREATE CONSTRAINT audit_seq IF NOT EXISTS FOR (e:AuditEntry) REQUIRE e.seq IS UNIQUE

// name: m002_record_publish_due_index
CREATE INDEX record_publish_due IF NOT EXISTS FOR (r:Record) ON (r.publishDueOn)

// Version 3: entity names alone, for the readers who may not search persons' names (the public: a
// person's name is masked for it, cypher/search.cypher search_entities): the index pages them itself.
// name: m003_entity_name_fulltext
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (n:Entity) ON EACH [n.name]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk', `fulltext.eventually_consistent`: false}}

// name: schema_version_get
OPTIONAL MATCH (v:SchemaVersion {name: 'graph_api'})
RETURN coalesce(v.version, 0) AS version

// name: schema_version_set
MERGE (v:SchemaVersion {name: 'graph_api'})
SET v.version = $version, v.appliedAt = datetime()

// name: schema_await_indexes
CALL db.awaitIndexes($seconds)

// name: m002_inspector_id_unique
CREATE CONSTRAINT inspector_id IF NOT EXISTS FOR (i:Inspector) REQUIRE i.id IS UNIQUE

// name: m002_draw_id_unique
CREATE CONSTRAINT draw_id IF NOT EXISTS FOR (d:Draw) REQUIRE d.id IS UNIQUE

// name: m002_draw_department_index
CREATE INDEX draw_department IF NOT EXISTS FOR (d:Draw) ON (d.department)

// Version 3: one head of the audit chain. Without the constraint, appends racing on an empty trail (two
// worker processes, say) each MERGE a head of their own, and the chain forks at entry 1.
// name: m003_audit_head_unique
CREATE CONSTRAINT audit_head_name IF NOT EXISTS FOR (h:AuditHead) REQUIRE h.name IS UNIQUE

// Version 5: the 应查必查 certificates (issue 16): one chain head, as for the audit trail; a certificate by id,
// by its place in the chain (verification reads the one before), by decision.
// name: m005_certificate_head_unique
CREATE CONSTRAINT certificate_head_name IF NOT EXISTS FOR (h:CertificateHead) REQUIRE h.name IS UNIQUE

// name: m005_certificate_id_unique
CREATE CONSTRAINT certificate_id IF NOT EXISTS FOR (c:Certificate) REQUIRE c.id IS UNIQUE

// name: m005_certificate_seq_unique
CREATE CONSTRAINT certificate_seq IF NOT EXISTS FOR (c:Certificate) REQUIRE c.seq IS UNIQUE

// name: m005_certificate_decision_index
CREATE INDEX certificate_decision IF NOT EXISTS FOR (c:Certificate) ON (c.decision)
