// name: admin_ping
RETURN 1 AS ok

// Deleting in batches keeps a large graph's wipe from needing one huge transaction.
// name: admin_wipe_batch
MATCH (n) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted

// name: admin_counts
CALL () {
  MATCH (n) UNWIND labels(n) AS label RETURN label AS name, count(*) AS n
  UNION ALL
  MATCH ()-[r]->() RETURN type(r) AS name, count(*) AS n
}
RETURN name, n ORDER BY name
