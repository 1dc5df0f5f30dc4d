"""The use cases: each takes an acting user and a unit of work, applies the domain's rules, and is
callable from GraphQL, the CLI, jobs and tests alike."""
