"""The 应查必查 check before a decision: may this entity or person bid, receive funds, be appointed…?
Refused when a measure in force on the subject covers the scenario; the deciding measures come with
the bindings and paths that impose them, plus warnings about related risk."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.codes import RiskCode
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import NodeKind, Scenario
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.inputs import SubjectInput
from graph_api.api.graphql.linkage import Binding, Exposure, load_exposure
from graph_api.api.graphql.masking import for_public, mask_name
from graph_api.api.graphql.paths import Path, PathNode, entity_node, listing_path, person_node, step
from graph_api.api.graphql.types import Measure
from graph_api.domain.clock import today
from graph_api.domain.eligibility import effect
from graph_api.store.cypher_loader import queries


@strawberry.type(description="A measure that decides the scenario, and the binding that imposes it.")
class DecidingMeasure:
    measure: Measure = strawberry.field(description="The measure.")
    binding: Binding = strawberry.field(
        description="The listing that applies it to the subject, and how it binds them (with its path)."
    )


@strawberry.type(description="A related risk: not a refusal, but something the officer should look at.")
class RiskWarning:
    code: str = strawberry.field(graphql_type=RiskCode, description="What kind of risk.")
    message: str = strawberry.field(description="What to look at; a person named in it is masked for the public.")
    path: Path = strawberry.field(description="How the risk reaches the subject.")


@strawberry.type(description="The answer of an eligibility check, with its reasons.")
class Eligibility:
    subject: PathNode = strawberry.field(description="The subject checked.")
    scenario: Scenario = strawberry.field(description="The scenario checked.")
    as_of: dt.date = strawberry.field(description="The day the check is as of.")
    allowed: bool = strawberry.field(
        description="False when a restriction in force covers the scenario (`decidingMeasures` says which)."
    )
    deciding_measures: list[DecidingMeasure] = strawberry.field(
        description="Restrictions in force that refuse the scenario."
    )
    incentives: list[DecidingMeasure] = strawberry.field(
        description="Incentives in force that favour the scenario (红名单)."
    )
    warnings: list[RiskWarning] = strawberry.field(description="Related risks to look at; they do not refuse.")


def decide(exposure: Exposure, scenario: Scenario, warnings: list[RiskWarning]) -> Eligibility:
    restricting: list[DecidingMeasure] = []
    favouring: list[DecidingMeasure] = []
    for binding in exposure.bindings:
        for measure in binding.measures:
            if (does := effect(measure.kind, measure.scenarios, scenario.value)) is not None:
                target = favouring if does == "FAVOURS" else restricting
                target.append(DecidingMeasure(measure=measure, binding=binding))
    return Eligibility(
        subject=exposure.subject,
        scenario=scenario,
        as_of=exposure.as_of,
        allowed=not restricting,
        deciding_measures=restricting,
        incentives=favouring,
        warnings=warnings,
    )


def responsible_person_warnings(rows: list[Any], mask_persons: bool) -> list[RiskWarning]:
    """The message names the person: masked for the public, like every person's name (masking.py)."""
    out = []
    for r in rows:
        pn, en, via = person_node(r["person"]), entity_node(r["entity"]), entity_node(r["via"])
        head = [en, pn]
        steps = [
            step(r["currentRole"], pn, en, r["currentSince"]),
            step(r["role"]["type"], pn, via, r["role"]["since"], r["role"]["until"]),
        ]
        path = listing_path(head, steps, via, r["listing"], [])
        name = mask_name(r["person"]["name"]) if mask_persons else r["person"]["name"]
        out.append(
            RiskWarning(
                code="RESPONSIBLE_PERSON_BOUND",
                message=f"{name} ({r['currentRole']} of {r['entity']['name']}) is bound by listing "
                f"{r['listing']['id']} of {r['via']['name']}",
                path=path,
            )
        )
    return out


@strawberry.type
class EligibilityQueries:
    @field(
        description="The 应查必查 check for a scenario as of a date (default today): allowed or refused, "
        "with the deciding measures and their paths, plus related-risk warnings."
    )
    async def eligibility(
        self,
        info: Info[Context, None],
        subject: Annotated[SubjectInput, strawberry.argument(description="The entity or person to check.")],
        scenario: Annotated[Scenario, strawberry.argument(description="The decision about to be made.")],
        as_of: dt.date | None = None,
    ) -> Eligibility:
        as_of = as_of or today()
        exposure = await load_exposure(info, subject, as_of)
        warnings: list[RiskWarning] = []
        if exposure.subject.kind == NodeKind.ENTITY:
            rows = await info.context.read(
                queries.responsible_persons_bound_elsewhere, uscc=exposure.subject.key, asOf=as_of
            )
            warnings = responsible_person_warnings(rows, mask_persons=for_public(info))
        return decide(exposure, scenario, warnings)
