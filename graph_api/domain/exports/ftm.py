"""The network as FollowTheMoney entities, built with followthemoney's own model so that each is valid
FtM (Aleph and the ftm tools read them as JSON Lines): a Company per entity, a Person per person, an
Ownership per holding line, a Directorship per role, and for a beneficial owner or the inferred
controller reached through other entities an Ownership with the effective share. Ids are uuid5 of the
recorded keys, so the same party has the same id in every export."""

from __future__ import annotations

from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from graph_api.domain.exports.bods import INFERRED_DETAILS
from graph_api.domain.exports.network import ENTITY, Network, Party, stable_id

ROLE_NAMES = {
    "LEGAL_REPRESENTATIVE": "法定代表人 (legal representative)",
    "ACTUAL_CONTROLLER": "实际控制人 (declared actual controller)",
}


def party_id(p: Party) -> str:
    return f"cn-usci-{p.key.lower()}" if p.kind == ENTITY else f"person-{stable_id('person', p.key)}"


def entities(net: Network) -> list[dict[str, Any]]:
    ids = {k: party_id(p) for k, p in net.parties.items()}
    out = [_party(p, ids[p.key]) for p in sorted(net.parties.values(), key=lambda p: (p.kind, p.key))]
    for s in net.stakes:
        link = _make("Ownership", stable_id("ownership", s.holder, s.entity, str(s.since), str(s.ratio)))
        link.add("owner", ids[s.holder])
        link.add("asset", ids[s.entity])
        link.add("percentage", f"{s.ratio * 100:.6g}")
        link.add("role", "股东 (shareholder)")
        link.add("startDate", s.since.isoformat() if s.since else None)
        link.add("endDate", s.until.isoformat() if s.until else None)
        out.append(link)
    for r in net.roles:
        role = _make("Directorship", stable_id("directorship", r.person, r.entity, r.role, str(r.since)))
        role.add("director", ids[r.person])
        role.add("organization", ids[r.entity])
        role.add("role", ROLE_NAMES[r.role])
        role.add("startDate", r.since.isoformat() if r.since else None)
        role.add("endDate", r.until.isoformat() if r.until else None)
        out.append(role)
    out.extend(_effective(net, ids))
    return [e.to_dict() for e in out]


def _make(schema: str, entity_id: str) -> EntityProxy:
    proxy = model.make_entity(schema)
    proxy.id = entity_id
    return proxy


def _party(p: Party, entity_id: str) -> EntityProxy:
    if p.kind == ENTITY:
        company = _make("Company", entity_id)
        company.add("name", p.name)
        company.add("registrationNumber", p.key)
        company.add("jurisdiction", "cn")
        company.add("incorporationDate", p.founded.isoformat() if p.founded else None)
        return company
    person = _make("Person", entity_id)
    person.add("name", p.name)
    person.add("idNumber", p.id_number)
    return person


def _effective(net: Network, ids: dict[str, str]) -> list[EntityProxy]:
    """Ownerships of the subject that no holding line states: effective shares through other entities."""
    out = []
    owners = {o.party: o for o in net.beneficial_owners if not o.direct}
    inferred = net.inferred if net.inferred is not None and not net.inferred.direct else None
    parties = sorted(set(owners) | ({inferred.party} if inferred else set()))
    for key in parties:
        link = _make("Ownership", stable_id("effective", key, net.subject, net.as_of.isoformat()))
        link.add("owner", ids[key])
        link.add("asset", ids[net.subject])
        share = owners[key].share if key in owners else inferred.share if inferred else None
        link.add("percentage", f"{share * 100:.6g}" if share is not None else None)
        link.add("ownershipType", "indirect, effective (有效持股)")
        if key in owners:
            link.add("role", f"受益所有人 (beneficial owner, threshold {net.threshold:g})")
        if inferred is not None and key == inferred.party:
            link.add("role", INFERRED_DETAILS)
        link.add("date", net.as_of.isoformat())
        out.append(link)
    return out
