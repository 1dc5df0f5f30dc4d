"""The network as BODS 0.4 statements (the Beneficial Ownership Data Standard, record-based): one entity or
person statement per party, then one relationship statement per (interested party, subject) pair with
its direct interests — each holding line a shareholding with its exact share and dates, a legal
representative a senior managing official, a declared actual controller other influence or control —
and, for a beneficial owner or the inferred controller reached through other entities, an indirect
relationship with the effective share. Ids are uuid5 of the recorded keys and the as-of day, so the same
question gives the same statements."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph_api.domain.exports.network import ENTITY, Network, Owner, Party, Role, Stake, stable_id

BODS_VERSION = "0.4"
# org-id.guide's code for the register of unified social credit codes (统一社会信用代码).
USCC_SCHEME = "CN-USCI"
USCC_SCHEME_NAME = "Unified Social Credit Identifier (统一社会信用代码)"
# BODS person schemes are ISO 3166-1 alpha-3 plus PASSPORT, TAXID or IDCARD; a resident identity card
# (居民身份证) is CHN-IDCARD. The country of a passport is not recorded, so a passport number is not stated.
ID_SCHEMES = {"RIC": "CHN-IDCARD"}
ROLE_INTERESTS = {
    "LEGAL_REPRESENTATIVE": ("seniorManagingOfficial", "法定代表人 (legal representative)", False),
    "ACTUAL_CONTROLLER": ("otherInfluenceOrControl", "实际控制人 (declared actual controller)", True),
}
INFERRED_DETAILS = "疑似实际控制人: the ultimate controller inferred by the control chain (>50% at every level)"


def record_id(kind: str, *keys: str) -> str:
    return f"{kind}/{'/'.join(keys)}"


def statements(net: Network) -> list[dict[str, Any]]:
    subject = record_id("entity", net.subject)

    def statement(record: str, record_type: str, details: dict[str, Any]) -> dict[str, Any]:
        return {
            "statementId": stable_id("bods", record, net.as_of.isoformat()),
            "declarationSubject": subject,
            "statementDate": min(net.as_of, net.published).isoformat(),
            "recordId": record,
            "recordType": record_type,
            "recordStatus": "new",
            "recordDetails": details,
            "publicationDetails": {
                "publicationDate": net.published.isoformat(),
                "bodsVersion": BODS_VERSION,
                "publisher": {"name": net.publisher},
            },
            "source": {
                "type": ["officialRegister"],
                "description": f"Market entity register and credit graph as of {net.as_of.isoformat()}",
            },
        }

    out = [statement(_party_record(p), p.kind.lower(), _party_details(p)) for p in _ordered(net)]
    direct: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for s in net.stakes:
        direct[(s.holder, s.entity)].append(_shareholding(s, _direct_owner(net, s)))
    for r in net.roles:
        direct[(r.person, r.entity)].append(_role_interest(r))
    if net.inferred is not None and net.inferred.direct:
        direct[(net.inferred.party, net.subject)].append(_inferred_interest(net, net.inferred, "direct"))
    for (holder, entity), interests in sorted(direct.items()):
        record = record_id("relationship", holder, entity)
        out.append(statement(record, "relationship", _relationship(net, holder, entity, interests)))
    for holder, interests in sorted(_indirect(net).items()):
        record = record_id("relationship", holder, net.subject, "indirect")
        out.append(statement(record, "relationship", _relationship(net, holder, net.subject, interests)))
    return out


def _ordered(net: Network) -> list[Party]:
    # the subject first, then the other entities and the persons, each in key order
    return sorted(net.parties.values(), key=lambda p: (p.key != net.subject, p.kind != ENTITY, p.key))


def _party_record(p: Party) -> str:
    return record_id(p.kind.lower(), p.key)


def _party_details(p: Party) -> dict[str, Any]:
    if p.kind == ENTITY:
        details: dict[str, Any] = {
            "isComponent": False,
            "entityType": {"type": "registeredEntity"},
            "name": p.name,
            "jurisdiction": {"name": "China", "code": "CN"},
            "identifiers": [{"id": p.key, "scheme": USCC_SCHEME, "schemeName": USCC_SCHEME_NAME}],
        }
        if p.founded is not None:
            details["foundingDate"] = p.founded.isoformat()
        return details
    details = {"isComponent": False, "personType": "knownPerson", "names": [{"type": "legal", "fullName": p.name}]}
    scheme = ID_SCHEMES.get(p.id_type or "")
    if p.id_number is not None and scheme is not None:
        details["identifiers"] = [{"id": p.id_number, "scheme": scheme}]
    return details


def _relationship(net: Network, holder: str, entity: str, interests: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "isComponent": False,
        "subject": record_id("entity", entity),
        "interestedParty": _party_record(net.party(holder)),
        "interests": interests,
    }


def _dates(since: Any, until: Any) -> dict[str, str]:
    out = {}
    if since is not None:
        out["startDate"] = since.isoformat()
    if until is not None:
        out["endDate"] = until.isoformat()
    return out


def _percent(ratio: float) -> float:
    return round(ratio * 100, 6)


def _direct_owner(net: Network, s: Stake) -> bool:
    """A direct holding of the subject by a beneficial owner whose every path is direct carries the flag."""
    return s.entity == net.subject and any(o.party == s.holder and o.direct for o in net.beneficial_owners)


def _shareholding(s: Stake, beneficial: bool) -> dict[str, Any]:
    return {
        "type": "shareholding",
        "directOrIndirect": "direct",
        "beneficialOwnershipOrControl": beneficial,
        "share": {"exact": _percent(s.ratio)},
        **_dates(s.since, s.until),
    }


def _role_interest(r: Role) -> dict[str, Any]:
    kind, details, beneficial = ROLE_INTERESTS[r.role]
    return {
        "type": kind,
        "directOrIndirect": "direct",
        "beneficialOwnershipOrControl": beneficial,
        "details": details,
        **_dates(r.since, r.until),
    }


def _inferred_interest(net: Network, o: Owner, how: str) -> dict[str, Any]:
    return {
        "type": "otherInfluenceOrControl",
        "directOrIndirect": how,
        "beneficialOwnershipOrControl": net.party(o.party).kind != ENTITY,
        "details": INFERRED_DETAILS,
    }


def _indirect(net: Network) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for o in net.beneficial_owners:
        if not o.direct:
            out[o.party].append(
                {
                    "type": "shareholding",
                    "directOrIndirect": "indirect",
                    "beneficialOwnershipOrControl": True,
                    "details": f"effective ownership (有效持股) through other entities, threshold {net.threshold:g}",
                    "share": {"exact": _percent(o.share)},
                }
            )
    if net.inferred is not None and not net.inferred.direct:
        out[net.inferred.party].append(_inferred_interest(net, net.inferred, "indirect"))
    return out
