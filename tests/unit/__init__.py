"""Fast unit tests of the pure domain: no Neo4j, no HTTP; they import graph_api.domain only."""
