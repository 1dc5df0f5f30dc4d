"""The GraphQL schema: root fields are a few lines each — arguments, one repository round trip, a typed object."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, Info

from graph_api.api.graphql import compiled, linkage
from graph_api.api.graphql.arguments import describe_shared
from graph_api.api.graphql.audit_log import AuditQueries
from graph_api.api.graphql.audit_reads import AuditPersonalReads
from graph_api.api.graphql.certificates import CertificateMutations, CertificateQueries
from graph_api.api.graphql.changed_since import ChangedSinceQueries
from graph_api.api.graphql.closed_loop import ClosedLoopMutations, ClosedLoopQueries
from graph_api.api.graphql.codes import ErrorCode
from graph_api.api.graphql.commitments import CommitmentMutations, CommitmentQueries
from graph_api.api.graphql.compiled_execution import CompiledExecutor
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.decisions import DecisionMutations, DecisionQueries
from graph_api.api.graphql.discovery import DiscoveryQueries
from graph_api.api.graphql.eligibility import EligibilityQueries
from graph_api.api.graphql.error_mapping import MapErrors
from graph_api.api.graphql.exports import ExportQueries
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.grades import GradeQueries
from graph_api.api.graphql.industry import IndustryMutations
from graph_api.api.graphql.inputs import SubjectInput
from graph_api.api.graphql.inspection import InspectionMutations, InspectionQueries
from graph_api.api.graphql.interviews import InterviewMutations, InterviewQueries
from graph_api.api.graphql.limits import ProductionIntrospection, cost_limiter
from graph_api.api.graphql.listings import ListingMutations
from graph_api.api.graphql.neighborhood import NeighborhoodQueries
from graph_api.api.graphql.node import NodeQueries
from graph_api.api.graphql.objections import ObjectionMutations, ObjectionQueries
from graph_api.api.graphql.observe import Observe
from graph_api.api.graphql.permission import guard
from graph_api.api.graphql.preview import PreviewQueries
from graph_api.api.graphql.publication import PublicationQueries
from graph_api.api.graphql.repair import RepairMutations, RepairQueries
from graph_api.api.graphql.risks import RiskQueries
from graph_api.api.graphql.scalars import SCALARS, USCC
from graph_api.api.graphql.screen import ScreenQueries
from graph_api.api.graphql.screen_names import ScreenMutations
from graph_api.api.graphql.subscriptions import AlertSubscriptions
from graph_api.api.graphql.viewer import ViewerQueries
from graph_api.api.graphql.views import Entity, Person
from graph_api.api.graphql.watch import WatchMutations, WatchQueries
from graph_api.api.graphql.webhooks import WebhookMutations, WebhookQueries
from graph_api.domain.clock import today
from graph_api.errors import BadUserInput, NotFound
from graph_api.settings import Settings
from graph_api.store.cypher_loader import queries

MAX_HOPS = 6


@strawberry.type
class CoreQueries:
    @field(
        description="A market entity by its unified social credit code (统一社会信用代码); null, with a NOT_FOUND "
        "error, when there is none (the rest of the answer stands)."
    )
    async def entity(self, info: Info[Context, None], uscc: USCC) -> Entity | None:
        prefills = compiled.plan(info)
        if prefills:  # the entity and its selected lists in one statement (compiled.py)
            statement, params = compiled.statement(prefills, info)
            combined = await info.context.batch.row(statement, uscc, **params)
            if combined is not None:
                compiled.prime(info, combined, prefills)
                return Entity.from_map(combined["entity"])
            raise NotFound(f"no entity with unified social credit code {uscc}", uscc=uscc)
        row = await info.context.batch.row(queries.entity_view, uscc)
        if row is None:
            raise NotFound(f"no entity with unified social credit code {uscc}", uscc=uscc)
        return Entity.from_row(row)

    @field(
        description="A person by identity number (found through its keyed hash; shown masked); null, with a "
        "NOT_FOUND error, when there is none (the rest of the answer stands)."
    )
    async def person(self, info: Info[Context, None], id_number: str) -> Person | None:
        row = await info.context.batch.row(queries.person_by_hash, info.context.person_hash(id_number))
        if row is None:
            raise NotFound("no person with this identity number")
        return Person.from_row(row)

    @field(
        description="Every listing and measure binding an entity or a person as of a date (default today), "
        "directly or as a responsible person of a listed entity, each with its path."
    )
    async def exposure(
        self,
        info: Info[Context, None],
        subject: Annotated[SubjectInput, strawberry.argument(description="The entity or person.")],
        as_of: dt.date | None = None,
    ) -> linkage.Exposure:
        return await linkage.load_exposure(info, subject, as_of or today())

    @field(
        description="Whom a listing reaches as of a date: bound persons, current representatives, "
        "related entities with reasons and paths."
    )
    async def listing_impact(
        self,
        info: Info[Context, None],
        listing: Annotated[str, strawberry.argument(description="The listing's id.")],
        max_hops: Annotated[
            int,
            strawberry.argument(
                description="How many levels of control away related entities are flagged, from 1 to 6."
            ),
        ] = 2,
        as_of: dt.date | None = None,
    ) -> linkage.ListingImpact:
        if not 1 <= max_hops <= MAX_HOPS:
            raise BadUserInput(f"maxHops must be between 1 and {MAX_HOPS}", field="maxHops")
        as_of = as_of or today()
        rows = await info.context.read(queries.listing_impact, listingId=listing, maxHops=max_hops, asOf=as_of)
        if not rows:
            raise NotFound(f"no listing {listing!r}", listing=listing)
        return await linkage.disclosed_listing_impact(info, rows[0], as_of)

    @field(
        description="Who controls an entity: declared actual controllers, the inferred (疑似) ultimate "
        "controller by the control chain, and beneficial owners by effective ownership."
    )
    async def controllers(
        self,
        info: Info[Context, None],
        uscc: USCC,
        as_of: dt.date | None = None,
        threshold: Annotated[
            float,
            strawberry.argument(
                description="The effective-ownership share that makes a beneficial owner, 0 < threshold <= 1."
            ),
        ] = 0.25,
    ) -> linkage.Controllers:
        if not 0 < threshold <= 1:
            raise BadUserInput("threshold must be a share with 0 < threshold <= 1", field="threshold")
        as_of = as_of or today()
        rows = await info.context.read(queries.ownership_upstream, uscc=uscc, asOf=as_of)
        if not rows:
            raise NotFound(f"no entity with unified social credit code {uscc}", uscc=uscc)
        return linkage.controllers(rows[0], as_of, threshold)


class RoundTrips(SchemaExtension):
    """Outside production, each response says how many database round trips it cost, so that a
    test (or a frontend developer) can see that nesting does not multiply queries."""

    def get_results(self) -> dict[str, int]:
        context = self.execution_context.context
        if isinstance(context, Context) and context.settings.environment != "production":
            return {"dbRoundTrips": context.round_trips}
        return {}


class _Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        # MapErrors logs what is unexpected, with a correlation id; the default would log every
        # client mistake with its variables, which may carry identity numbers.
        return None


Query = merge_types(
    "Query",
    (
        CoreQueries,
        DiscoveryQueries,
        EligibilityQueries,
        NeighborhoodQueries,
        DecisionQueries,
        ClosedLoopQueries,
        AuditQueries,
        CommitmentQueries,
        InterviewQueries,
        GradeQueries,
        InspectionQueries,
        RepairQueries,
        ObjectionQueries,
        PublicationQueries,
        NodeQueries,
        ScreenQueries,
        RiskQueries,
        ChangedSinceQueries,
        ExportQueries,
        ViewerQueries,
        WatchQueries,
        PreviewQueries,
        CertificateQueries,
        WebhookQueries,
    ),
)
Mutation = merge_types(
    "Mutation",
    (
        DecisionMutations,
        ListingMutations,
        ClosedLoopMutations,
        CommitmentMutations,
        InterviewMutations,
        InspectionMutations,
        IndustryMutations,
        RepairMutations,
        ObjectionMutations,
        ScreenMutations,
        WatchMutations,
        CertificateMutations,
        WebhookMutations,
    ),
)
# merge_types takes no description: set on the merged definitions.
Query.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "What can be read: entities, persons, listings and their reach, working lists, audit, grades and draws. "
    "Who may call each field is the permission table (an error FORBIDDEN otherwise)."
)
Mutation.__strawberry_definition__.description = (  # type: ignore[attr-defined]
    "The changes, each one transaction: a result union of what was done, or a `Refusal` and nothing changed."
)


def build_schema(settings: Settings) -> _Schema:
    """The schema with the limits and caches of these settings; production also turns introspection off
    (limits.ProductionIntrospection)."""
    # Factories, so that each request gets its own extension objects; the two caches are built once and
    # handed out by their factories, since a cache that lived for one request would cache nothing.
    parser_cache = ParserCache(maxsize=settings.graphql_cache_size)
    validation_cache = ValidationCache(maxsize=settings.graphql_cache_size)
    # The validation cache is keyed by the document and the rule classes. strawberry's depth and alias
    # limiters make a new rule class per instance, so a limiter built per request would miss the cache every
    # time: their rule classes are made here, once, and each request gets a light holder of the same ones.
    rules = (
        QueryDepthLimiter(max_depth=settings.max_query_depth).validation_rules
        + MaxAliasesLimiter(max_alias_count=settings.max_aliases).validation_rules
        + ([ProductionIntrospection] if settings.environment == "production" else [])
    )
    extensions: list[Any] = [
        Observe,
        MapErrors,
        AuditPersonalReads,
        RoundTrips,  # Observe first: it finishes last, seeing mapped errors
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        cost_limiter(settings),
    ]
    if settings.graphql_caches:
        extensions += [lambda: parser_cache, lambda: validation_cache]
    config = StrawberryConfig(scalar_map=SCALARS)
    # Who may call each root field is the table of domain/permissions.py, checked before its resolver.
    guard("Query", Query, config.name_converter)
    guard("Mutation", Mutation, config.name_converter)
    guard("Subscription", AlertSubscriptions, config.name_converter)
    # ErrorCode is no field's type (errors carry it in `extensions.code`): named here so the SDL documents it.
    built = _Schema(
        query=Query,
        mutation=Mutation,
        subscription=AlertSubscriptions,
        extensions=extensions,
        config=config,
        types=[ErrorCode],
        execution_context_class=CompiledExecutor if settings.graphql_compiled_execution else None,
    )
    describe_shared(built._schema)
    return built


# The served schema is built per process from its settings (app.py); this one is for the SDL export.
schema = build_schema(Settings())
