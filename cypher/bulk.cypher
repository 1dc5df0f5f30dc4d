// The bulk import (`graph-api import --bulk`) replaces the whole database: it runs only when the
// database holds nothing but what `db migrate` writes (schema version, measure and list catalogue).

// name: bulk_data_labels
MATCH (n)
WHERE NOT (n:SchemaVersion OR n:Measure OR n:ListType OR n:PublicityPeriod)
RETURN labels(n) AS labels
LIMIT 1
