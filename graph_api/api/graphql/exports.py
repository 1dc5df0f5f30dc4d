"""`ownershipExport`: the ownership-and-control network of an entity as a document other agencies' tools
read — BODS 0.4 statements (the BODS visualiser) or FollowTheMoney entities (Aleph) — built by
services/exports.py with the reader's visibility. The document is a JSON text in a String: both formats
are defined by their own schemas, which a GraphQL type would only copy."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from graph_api.api.graphql.context import Context
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.scalars import USCC
from graph_api.domain.clock import today
from graph_api.domain.labels import label
from graph_api.errors import BadUserInput
from graph_api.services import exports
from graph_api.services.reads import Read


@strawberry.enum(description="A format of the ownership export.")
class ExportFormat(Enum):
    BODS = strawberry.enum_value(
        "BODS", description=f"{label('ExportFormat', 'BODS')}: a JSON array of statements (application/json)."
    )
    FTM = strawberry.enum_value(
        "FTM",
        description=f"{label('ExportFormat', 'FTM')}, one JSON object a line (application/x-ndjson), as Aleph reads.",
    )


@strawberry.type(description="An export document: its format, media type and text.")
class ExportDocument:
    format: ExportFormat = strawberry.field(description="The format asked for.")
    media_type: str = strawberry.field(
        description="The document's media type (application/json for BODS, application/x-ndjson for FtM)."
    )
    content: str = strawberry.field(description="The document as UTF-8 JSON text (BODS) or JSON Lines (FtM).")
    truncated: bool = strawberry.field(
        description="The ownership graph above the entity was too large to follow completely (as `controllers`)."
    )


@strawberry.type
class ExportQueries:
    @field(
        description="The ownership-and-control network of an entity as of a day (default today) as BODS 0.4 or "
        "FollowTheMoney: the entities and persons above it with every valid holding (exact shares, dates), the "
        "legal representatives and declared actual controllers, the beneficial owners with their effective "
        "shares and the inferred (疑似) controller, as `controllers` decides them. Persons' names are masked for "
        "the public; identity numbers appear only for investigators and sanctions officers who state a purpose "
        "(header x-purpose), each such read audited."
    )
    async def ownership_export(
        self,
        info: Info[Context, None],
        uscc: Annotated[USCC, strawberry.argument(description="The entity's unified social credit code.")],
        format: Annotated[ExportFormat, strawberry.argument(description="BODS or FTM.")],
        as_of: dt.date | None = None,
        threshold: Annotated[
            float,
            strawberry.argument(
                description="The effective-ownership share that makes a beneficial owner, 0 < threshold <= 1."
            ),
        ] = 0.25,
    ) -> ExportDocument:
        if not 0 < threshold <= 1:
            raise BadUserInput("threshold must be a share with 0 < threshold <= 1", field="threshold")
        context = info.context
        reader: Read = context.read
        export = await exports.ownership_network(
            reader,
            context.actor(),
            uscc,
            as_of or today(),
            threshold,
            decrypt=context.ids.decrypt,
            purpose=context.purpose(),
        )
        # audited by audit_reads.AuditPersonalReads, as every read of a number in clear
        context.personal_reads.update(export.personal_reads)
        media_type, content = exports.document(export.network, format.name)
        return ExportDocument(format=format, media_type=media_type, content=content, truncated=export.network.truncated)
