"""Where the graph is kept: the Neo4j drivers, named Cypher statements, schema migrations, identity
numbers at rest and the audit trail."""
