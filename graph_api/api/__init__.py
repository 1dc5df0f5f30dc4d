"""The web: the Starlette application, its middleware, credentials, the public credit page, and the
GraphQL layer (`graphql/`), which only translates between the schema and the services."""
