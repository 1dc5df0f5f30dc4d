"""The credit domain: its vocabulary and every rule, as pure functions over plain values. Nothing here
touches Neo4j, HTTP, GraphQL or the file system beyond the package's own rule data (`graph_api/data`)."""
