"""A validated interchange line as a graph fact: its key, a content hash (so a re-import can tell
unchanged from updated), the properties to write, and the references that must already exist.

Identity numbers leave this module only as keyed hashes, ciphertext and masked forms."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph_api.domain.vocabulary import polarity_of
from graph_api.domain.workdays import PUBLICATION_WORKING_DAYS, add_working_days
from graph_api.ingest.interchange import Party, canonical_json, content_hash
from graph_api.store.pii import IdProtector, mask


@dataclass
class Refs:
    entities: set[str] = field(default_factory=set)
    persons: dict[str, str] = field(default_factory=dict)  # keyed hash -> masked number, for messages
    departments: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)
    measures: set[str] = field(default_factory=set)


@dataclass
class Fact:
    kind: str
    key: str
    row: dict[str, Any]
    refs: Refs


class FactBuilder:
    def __init__(self, protector: IdProtector, list_defaults: dict[str, list[str]]):
        self._protector = protector
        self._list_defaults = list_defaults

    def build(self, line: Any) -> Fact:
        build_kind: Callable[[Any], Fact] = getattr(self, f"_{line.kind}")
        return build_kind(line)

    def _fact(self, kind: str, key: str, public: dict[str, Any], row: dict[str, Any], refs: Refs | None = None) -> Fact:
        # The canonical form is what a revision keeps: it carries hashes, never a clear identity number.
        text = canonical_json(public)
        row.update(key=key, hash=content_hash(text), json=text)
        return Fact(kind, key, row, refs or Refs())

    def _party(self, party: Party, refs: Refs) -> tuple[str | None, str | None, dict[str, str]]:
        if party.entity is not None:
            refs.entities.add(party.entity)
            return party.entity, None, {"entity": party.entity}
        assert party.person is not None  # a Party names exactly one of entity and person (its validator)
        digest = self._protector.hash(party.person)
        refs.persons[digest] = mask(party.person)
        return None, digest, {"person": digest}

    def _department(self, line: Any) -> Fact:
        props = {"name": line.name, "region": line.region}
        return self._fact("department", line.code, {"code": line.code, **props}, {"props": props})

    def _entity(self, line: Any) -> Fact:
        props = line.model_dump(exclude={"kind", "uscc"})
        return self._fact("entity", line.uscc, line.model_dump(mode="json", exclude={"kind"}), {"props": props})

    def _person(self, line: Any) -> Fact:
        protected = self._protector.protect(line.idNumber)
        props = {"name": line.name, "idType": line.idType, "idMasked": protected.masked}
        public = {"idHash": protected.hash, **props}
        return self._fact("person", protected.hash, public, {"props": props, "cipher": protected.cipher})

    def _role(self, line: Any) -> Fact:
        person = self._protector.hash(line.person)
        refs = Refs(entities={line.entity}, persons={person: mask(line.person)})
        key = f"{person}|{line.entity}|{line.role}|{line.since}"
        public = {
            "person": person,
            "entity": line.entity,
            "role": line.role,
            "since": line.since.isoformat(),
            "until": _iso(line.until),
        }
        row = {
            "person": person,
            "entity": line.entity,
            "role": line.role,
            "since": line.since,
            "props": {"until": line.until},
        }
        return self._fact("role", key, public, row, refs)

    def _holding(self, line: Any) -> Fact:
        refs = Refs(entities={line.entity})
        holder_entity, holder_person, holder_public = self._party(line.holder, refs)
        holder = holder_entity or holder_person
        key = f"{holder}|{line.entity}|{line.since}"
        public = {
            "holder": holder_public,
            "entity": line.entity,
            "ratio": line.ratio,
            "since": line.since.isoformat(),
            "until": _iso(line.until),
        }
        row = {
            "holderEntity": holder_entity,
            "holderPerson": holder_person,
            "holder": holder,
            "entity": line.entity,
            "since": line.since,
            "props": {"ratio": line.ratio, "until": line.until},
        }
        return self._fact("holding", key, public, row, refs)

    def _branch(self, line: Any) -> Fact:
        refs = Refs(entities={line.entity, line.parent})
        public = {"entity": line.entity, "parent": line.parent}
        return self._fact("branch", line.entity, public, {"entity": line.entity, "parent": line.parent}, refs)

    def _record(self, line: Any) -> Fact:
        refs = Refs(departments={line.department})
        subject_entity, subject_person, subject_public = self._party(line.subject, refs)
        props = line.model_dump(exclude={"kind", "id", "subject", "department"})
        props["polarity"] = polarity_of(line.category)
        deadline = add_working_days(line.decidedOn, PUBLICATION_WORKING_DAYS)
        props["publishDueOn"], props["publishDueEstimated"] = deadline.due, deadline.estimated
        public = {**line.model_dump(mode="json", exclude={"kind", "subject"}), "subject": subject_public}
        row = {
            "subjectEntity": subject_entity,
            "subjectPerson": subject_person,
            "subject": subject_entity or subject_person,
            "department": line.department,
            "props": props,
        }
        return self._fact("record", line.id, public, row, refs)

    def _listing(self, line: Any) -> Fact:
        refs = Refs(departments={line.department}, records=set(line.basis))
        subject_entity, subject_person, subject_public = self._party(line.subject, refs)
        measures = list(dict.fromkeys(line.measures)) if line.measures is not None else self._list_defaults[line.list]
        refs.measures.update(measures)
        public = {
            **line.model_dump(mode="json", exclude={"kind", "subject", "measures"}),
            "subject": subject_public,
            "measures": measures,
        }
        row = {
            "subjectEntity": subject_entity,
            "subjectPerson": subject_person,
            "subject": subject_entity or subject_person,
            "department": line.department,
            "list": line.list,
            "since": line.since,
            "basis": list(dict.fromkeys(line.basis)),
            "measures": measures,
            "props": {
                "list": line.list,
                "since": line.since,
                "until": line.until,
                "measuresGiven": line.measures is not None,
            },
        }
        return self._fact("listing", line.id, public, row, refs)

    def _commitment(self, line: Any) -> Fact:
        refs = Refs(entities={line.entity}, departments={line.department})
        props = line.model_dump(exclude={"kind", "id", "entity", "department"})
        public = line.model_dump(mode="json", exclude={"kind"})
        row = {"entity": line.entity, "department": line.department, "props": props}
        return self._fact("commitment", line.id, public, row, refs)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None
