"""An entity's ownership-and-control network as of a day, as one reader may see it: the parties (names
masked for the public, identity numbers only where the reader reads them in clear), every valid holding
into the entity or into a party above it, the legal representatives and declared actual controllers,
and what `controllers` infers from the holdings (domain/ownership.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Literal

ENTITY: Literal["ENTITY"] = "ENTITY"
PERSON: Literal["PERSON"] = "PERSON"

# uuid5 namespace of every export id: the same party, holding or statement gets the same id in every export.
NAMESPACE = uuid.UUID("6f1c3a52-8e0b-5d4e-9a77-2b8e51c0d9a4")


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


@dataclass(frozen=True)
class Party:
    key: str  # the entity's USCC, or the person's opaque key (domain/paths.person_key)
    kind: Literal["ENTITY", "PERSON"]
    name: str  # as the reader may see it
    founded: dt.date | None = None
    id_number: str | None = None  # in clear, only for a reader who may read it
    id_type: str | None = None


@dataclass(frozen=True)
class Stake:
    holder: str  # party key
    entity: str  # USCC
    ratio: float
    since: dt.date | None
    until: dt.date | None


@dataclass(frozen=True)
class Role:
    person: str  # party key
    entity: str
    role: str  # LEGAL_REPRESENTATIVE or ACTUAL_CONTROLLER (declared)
    since: dt.date | None
    until: dt.date | None


@dataclass(frozen=True)
class Owner:
    """A party's effective ownership of the subject, and whether every path to it is a single holding."""

    party: str
    share: float
    direct: bool


@dataclass(frozen=True)
class Network:
    subject: str  # USCC
    as_of: dt.date
    parties: dict[str, Party]
    stakes: list[Stake]
    roles: list[Role]
    inferred: Owner | None  # the inferred (疑似) ultimate controller
    beneficial_owners: list[Owner]
    threshold: float
    truncated: bool
    publisher: str
    published: dt.date

    def party(self, key: str) -> Party:
        return self.parties[key]
