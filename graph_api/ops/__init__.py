"""Operating the service: installing and running Neo4j, backup and restore, logging, metrics."""
