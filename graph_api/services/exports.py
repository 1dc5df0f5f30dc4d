"""The ownership-and-control network of an entity for an export (domain/exports/): the holdings as
`controllers` reads them (ownership_upstream) and decides them (domain/ownership.controllers_of), the
parties' facts and roles (export_parties), and the reader's visibility applied once, here, with the
rules every answer uses: names masked for the public (domain/masking.py), identity numbers only for a
reader who may read them in clear and states a purpose (domain/permissions.check_clear_id_number). The
caller audits the persons whose numbers were included (`Export.personal_reads`)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graph_api.domain.actor import Actor
from graph_api.domain.exports import bods
from graph_api.domain.exports.network import ENTITY, PERSON, Network, Owner, Party, Role, Stake
from graph_api.domain.masking import mask_name
from graph_api.domain.ownership import Holding, controllers_of
from graph_api.domain.paths import person_key
from graph_api.domain.permissions import check_clear_id_number, reads_names_in_clear
from graph_api.errors import Forbidden, NotFound
from graph_api.services.reads import Read
from graph_api.store.cypher_loader import queries
from graph_api.store.values import native

PUBLISHER = "市场监督管理部门 信用监管图谱服务 (graph-api)"


@dataclass(frozen=True)
class Export:
    network: Network
    personal_reads: frozenset[str]  # key hashes of the persons whose identity numbers are in it


def _may_read_numbers(actor: Actor, purpose: str | None) -> bool:
    try:
        check_clear_id_number(actor, lambda: purpose)
    except Forbidden:
        return False
    return True


async def ownership_network(
    read: Read,
    actor: Actor,
    uscc: str,
    as_of: dt.date,
    threshold: float = 0.25,
    decrypt: Callable[[str], str] | None = None,
    purpose: str | None = None,
) -> Export:
    """Two round trips: the holdings above the entity, then the parties' facts and roles. `decrypt` turns a
    number at rest into the number; without it (the CLI) no number is ever stated."""
    rows = await read(queries.ownership_upstream, uscc=uscc, asOf=as_of)
    if not rows:
        raise NotFound(f"no entity with unified social credit code {uscc}", uscc=uscc)
    edges: list[dict[str, Any]] = native(rows[0]["edges"])
    usccs = sorted({uscc} | {e["entity"] for e in edges} | {e["holder"] for e in edges if e["holderKind"] == ENTITY})
    hashes = sorted({e["holder"] for e in edges if e["holderKind"] == PERSON})
    [facts] = await read(queries.export_parties, usccs=usccs, personHashes=hashes, asOf=as_of)
    facts = native(facts)

    clear_names = reads_names_in_clear(actor)
    numbers = decrypt if decrypt is not None and _may_read_numbers(actor, purpose) else None
    key = {h["idHash"]: person_key(h["idHash"]) for h in facts["persons"]}
    parties: dict[str, Party] = {}
    for e in facts["entities"]:
        parties[e["uscc"]] = Party(e["uscc"], ENTITY, e["name"], founded=e["established"])
    read_persons: set[str] = set()
    for p in facts["persons"]:
        number = numbers(p["idCipher"]) if numbers is not None else None
        if number is not None:
            read_persons.add(p["idHash"])
        name = p["name"] if clear_names else mask_name(p["name"])
        parties[key[p["idHash"]]] = Party(key[p["idHash"]], PERSON, name, id_number=number, id_type=p["idType"])

    def party_key(k: str) -> str:
        return key.get(k, k)

    holdings = [Holding(e["holder"], e["entity"], e["ratio"], e["since"], e["until"]) for e in edges]
    answer = controllers_of(uscc, holdings, set(hashes), set(rows[0]["reached"]), threshold)

    def owner(k: str, share: float, paths: list[list[Holding]]) -> Owner:
        return Owner(party_key(k), round(share, 10), direct=all(len(p) == 1 for p in paths))

    inferred = None
    if answer.inferred is not None:
        inferred = owner(answer.inferred, answer.inferred_share, answer.inferred_paths)
    network = Network(
        subject=uscc,
        as_of=as_of,
        parties=parties,
        stakes=sorted(
            (Stake(party_key(h.holder), h.entity, h.ratio, h.since, h.until) for h in holdings),
            key=lambda s: (s.entity, s.holder, s.since or dt.date.min, -s.ratio),
        ),
        roles=[Role(party_key(r["person"]), r["entity"], r["role"], r["since"], r["until"]) for r in facts["roles"]],
        inferred=inferred,
        beneficial_owners=[owner(k, o.share, o.paths) for k, o in answer.beneficial_owners],
        threshold=threshold,
        truncated=answer.truncated,
        publisher=PUBLISHER,
        # the day in UTC: readers' validators (libcovebods) take a later date for a future one, and China's
        # day begins eight hours before UTC's
        published=dt.datetime.now(dt.UTC).date(),
    )
    return Export(network, frozenset(read_persons))


def document(network: Network, format: str) -> tuple[str, str]:
    """The media type and the text: BODS as a JSON array of statements, FtM as JSON Lines of entities."""
    if format == "BODS":
        return "application/json", json.dumps(bods.statements(network), ensure_ascii=False, indent=1) + "\n"
    # imported here: followthemoney's model takes about 1.5 s to load, which every `graph-api` command (an
    # import, a scan) would otherwise pay at start for an export few of them make
    from graph_api.domain.exports import ftm

    return "application/x-ndjson", "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in ftm.entities(network))
