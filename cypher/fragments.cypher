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

// The responsibility window (DOMAIN.md, "Linkage"): a person's role at the listed entity binds them
// when it began by the listing's start and had not ended before the earliest basis decision. A role
// ending after the earliest decision is one ending after some basis decision: hence the EXISTS.
// fragment: in_window(role, listing)
role.since <= listing.since
AND (role.until IS NULL OR EXISTS { MATCH (listing)-[:BASED_ON]->(windowBasis:Record) WHERE windowBasis.decidedOn < role.until })
