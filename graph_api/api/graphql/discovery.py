"""Finding things: ranked full-text search over names (Chinese included), departments, and the
shortest connections between two parties."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api.api.graphql import cursors
from graph_api.api.graphql.connections import PageInfo, window
from graph_api.api.graphql.context import Context
from graph_api.api.graphql.enums import NodeKind
from graph_api.api.graphql.fields import field
from graph_api.api.graphql.global_id import node_id_field
from graph_api.api.graphql.identity import id_number_field
from graph_api.api.graphql.inputs import SubjectInput, subject_params
from graph_api.api.graphql.masking import PersonName
from graph_api.api.graphql.paths import Path, PathNode, person_key, step
from graph_api.api.graphql.types import Department
from graph_api.domain.clock import today
from graph_api.domain.permissions import reads_names_in_clear
from graph_api.errors import BadUserInput, NotFound
from graph_api.store.cypher_loader import queries

# The matches a search ranks and counts: a count over a city of millions stays cheap.
SEARCH_CAP = 10_000
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')
# Lucene's query parser reads these words as operators only in capitals and as whole terms; in lower case
# they are plain words, which is what a person typing them into a search box means.
_LUCENE_OPERATOR = re.compile(r"(?<!\S)(AND|OR|NOT)(?!\S)")


@strawberry.type(description="A search hit: an entity or a person (identity number masked).")
class SearchHit:
    kind: NodeKind = strawberry.field(description="Whether the hit is an entity or a person.")
    key: str = strawberry.field(description="USCC for an entity, the opaque person key for a person.")
    name: str = strawberry.field(description="A person's masked for the public.", extensions=[PersonName()])
    id_number_masked: str | None = strawberry.field(
        description="A person's identity number with the middle digits hidden; null for an entity."
    )
    id_number: str | None = id_number_field()
    score: float = strawberry.field(description="Relevance: higher is better; comparable within one search only.")
    id_cipher: strawberry.Private[str | None] = None
    id: strawberry.ID | None = node_id_field()
    ref: strawberry.Private[str | None] = None  # the natural key: USCC, or the person's key hash


@strawberry.type(description="One search hit and the cursor that resumes after it.")
class SearchEdge:
    node: SearchHit = strawberry.field(description="The hit.")
    cursor: str = strawberry.field(description="Opaque: pass it as `after` to resume after this hit.")


@strawberry.type(
    description=f"A page of search hits, best first. At most {SEARCH_CAP:,} hits are ranked: totalCount "
    f"stops at {SEARCH_CAP:,}, and so does paging. A ranked page (a query of two or more characters) may "
    "shift when scores change as names are added: cursors resume after the score and key of their hit."
)
class SearchConnection:
    total_count: int = strawberry.field(
        description=f"How many names match that the reader may see, at most {SEARCH_CAP:,} (a person "
        "matches only on what the reader sees of the name)."
    )
    edges: list[SearchEdge] = strawberry.field(description="The hits of this page with their cursors, best first.")
    page_info: PageInfo = strawberry.field(description="Where this page stands: the cursors to resume from.")


def lucene_escape(text: str) -> str:
    """The search text as Lucene terms only: no operator, wildcard, phrase or fuzzy syntax of the client's."""
    return _LUCENE_OPERATOR.sub(lambda m: m.group(1).lower(), _LUCENE_SPECIAL.sub(r"\\\1", text))


def _hit(row: Any) -> SearchHit:
    p = row["party"]
    if row["kind"] == "ENTITY":
        return SearchHit(
            kind=NodeKind.ENTITY,
            key=p["uscc"],
            name=p["name"],
            id_number_masked=None,
            score=row["score"],
            ref=p["uscc"],
        )
    return SearchHit(
        kind=NodeKind.PERSON,
        key=person_key(p["idHash"]),
        name=p["name"],
        id_number_masked=p["idMasked"],
        id_cipher=p["idCipher"],
        score=row["score"],
        ref=p["idHash"],
    )


def _node(m: Mapping[str, Any]) -> PathNode:
    if m["kind"] == "ENTITY":
        return PathNode(kind=NodeKind.ENTITY, key=m["uscc"], name=m["name"])
    return PathNode(kind=NodeKind.PERSON, key=person_key(m["idHash"]), name=m["name"])


@strawberry.type
class DiscoveryQueries:
    @field(
        description="Ranked full-text search over entity and person names; works on Chinese fragments "
        "(华岳 finds 山东华岳控股集团有限公司). A person matches only on what the reader sees of the name: "
        "the public sees a name masked (李*), so for the public a person matches a one-character query equal "
        "to the name's visible first character, and no longer query. Ranked by score (a one-character query: "
        "shortest name first); a ranked page may shift when scores change as names are added."
    )
    async def search(
        self,
        info: Info[Context, None],
        query: Annotated[
            str,
            strawberry.argument(
                description="The text to find in names, 1 to 100 characters; taken as words, never as query syntax."
            ),
        ],
        first: int = 20,
        after: str | None = None,
    ) -> SearchConnection:
        text = query.strip()
        if not text or len(text) > 100:
            raise BadUserInput("query must have 1 to 100 characters", field="query")
        names_in_clear = reads_names_in_clear(info.context.actor())
        ranked = queries.search_parties if names_in_clear else queries.search_entities
        statement, term = (
            (queries.search_parties_by_substring, text) if len(text) == 1 else (ranked, lucene_escape(text))
        )
        w = window(first, after, statement.name)  # its keys: a ranked cursor means nothing to a substring search
        (row,) = await info.context.read(
            statement, query=term, after=w.after, limit=first + 1, cap=SEARCH_CAP, namesInClear=names_in_clear
        )
        edges = [
            SearchEdge(node=_hit(hit), cursor=cursors.encode(w.kind, w.order, key))
            for hit, key in zip(row["page"][:first], row["keys"], strict=False)
        ]
        return SearchConnection(
            total_count=row["totalCount"],
            edges=edges,
            page_info=PageInfo.of(edges, int(after is not None), more=len(row["page"]) > first),
        )

    @field(
        description="A department (认定部门) by its code; null, with a NOT_FOUND error, when there is none (the "
        "rest of the answer stands)."
    )
    async def department(
        self,
        info: Info[Context, None],
        code: Annotated[
            str, strawberry.argument(description="The department's code (<region>-<kind>, e.g. 370100-SCJG).")
        ],
    ) -> Department | None:
        rows = await info.context.read(queries.department_by_code, code=code)
        if not rows:
            raise NotFound(f"no department {code!r}", code=code)
        return Department.from_map(rows[0]["department"])

    @field(
        description="Shortest connections between two parties through roles, holdings and branches "
        "valid on a date (default today), at most maxHops long."
    )
    async def paths(
        self,
        info: Info[Context, None],
        from_: Annotated[SubjectInput, strawberry.argument(name="from", description="The party the paths start from.")],
        to: Annotated[SubjectInput, strawberry.argument(description="The other party.")],
        max_hops: Annotated[int, strawberry.argument(description="The longest path, in steps, from 1 to 8.")] = 4,
        as_of: dt.date | None = None,
        limit: Annotated[int, strawberry.argument(description="How many paths at most, from 1 to 50.")] = 10,
    ) -> list[Path]:
        if not 1 <= max_hops <= 8:
            raise BadUserInput("maxHops must be between 1 and 8", field="maxHops")
        if not 1 <= limit <= 50:
            raise BadUserInput("limit must be between 1 and 50", field="limit")
        params = {**subject_params(info, from_, "from"), **subject_params(info, to, "to")}
        rows = await info.context.read(
            queries.shortest_paths, maxHops=max_hops, asOf=as_of or today(), limit=limit, **params
        )
        out = []
        for r in rows:
            nodes = [_node(n) for n in r["nodes"]]
            by_raw = {n.get("uscc") or n.get("idHash"): node for n, node in zip(r["nodes"], nodes, strict=True)}
            out.append(
                Path(
                    nodes=nodes,
                    steps=[
                        step(s["type"], by_raw[s["from"]], by_raw[s["to"]], s["since"], s["until"], s["ratio"])
                        for s in r["steps"]
                    ],
                )
            )
        return out
