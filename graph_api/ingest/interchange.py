"""One line of the credit-data interchange format (docs/interchange/FORMAT.md): parsed, validated
field by field, and turned into a normalised fact ready for the graph — or into a rejection with an
error code and a message a clerk can act on."""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeAlias

import orjson
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from graph_api.domain.identifiers import InvalidIdentifier, normalize_person_ref, validate_person_id, validate_uscc
from graph_api.domain.vocabulary import (
    NEGATIVE_CATEGORIES,
    Category,
    CommitmentStatus,
    CommitmentType,
    Disclosure,
    EntityStatus,
    Form,
    IdType,
    ListCode,
    Role,
    Severity,
    polarity_of,
)

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _date(value: Any) -> dt.date:
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise PydanticCustomError("INVALID_DATE", "{value} must be a date written YYYY-MM-DD", {"value": repr(value)})
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("INVALID_DATE", "'{value}' is not a real calendar date", {"value": value}) from None


def _uscc(value: str) -> str:
    try:
        return validate_uscc(value)
    except InvalidIdentifier as e:
        raise PydanticCustomError(e.code, e.message) from None


def _person_ref(value: str) -> str:
    try:
        return normalize_person_ref(value)
    except InvalidIdentifier as e:
        raise PydanticCustomError(e.code, e.message) from None


Date = Annotated[dt.date, BeforeValidator(_date)]
Uscc = Annotated[str, AfterValidator(_uscc)]
PersonRef = Annotated[str, Field(min_length=1), AfterValidator(_person_ref)]
Text = Annotated[str, Field(min_length=1, max_length=500)]
Code = Annotated[str, Field(min_length=1, max_length=100)]


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Party(_Line):
    entity: Uscc | None = None
    person: PersonRef | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Party:
        if (self.entity is None) == (self.person is None):
            raise PydanticCustomError(
                "INVALID_PARTY",
                "give exactly one of {a} or {b}",
                {"a": '{"entity": USCC}', "b": '{"person": idNumber}'},
            )
        return self


class DepartmentLine(_Line):
    kind: Literal["department"]
    code: Code
    name: Text
    region: Annotated[str, Field(pattern=r"^\d{6}$")]


class EntityLine(_Line):
    kind: Literal["entity"]
    uscc: Uscc
    name: Text
    form: Form
    status: EntityStatus
    region: Annotated[str, Field(pattern=r"^\d{6}$")] | None = None
    industry: Annotated[str, Field(max_length=20)] | None = None
    established: Date | None = None
    registeredCapital: Annotated[float, Field(ge=0)] | None = None
    address: Annotated[str, Field(max_length=500)] | None = None


class PersonLine(_Line):
    kind: Literal["person"]
    idNumber: Annotated[str, Field(min_length=1, max_length=64)]
    name: Text
    idType: IdType = "RIC"

    @model_validator(mode="after")
    def _valid_id(self) -> PersonLine:
        try:
            object.__setattr__(self, "idNumber", validate_person_id(self.idNumber, self.idType))
        except InvalidIdentifier as e:
            raise PydanticCustomError(e.code, e.message) from None
        return self


class RoleLine(_Line):
    kind: Literal["role"]
    person: PersonRef
    entity: Uscc
    role: Role
    since: Date
    until: Date | None = None


class HoldingLine(_Line):
    kind: Literal["holding"]
    holder: Party
    entity: Uscc
    ratio: Annotated[float, Field(gt=0, le=1)]
    since: Date
    until: Date | None = None


class BranchLine(_Line):
    kind: Literal["branch"]
    entity: Uscc
    parent: Uscc


class RecordLine(_Line):
    kind: Literal["record"]
    id: Code
    subject: Party
    category: Category
    department: Code
    decidedOn: Date
    severity: Severity | None = None
    decisionNo: Annotated[str, Field(max_length=200)] | None = None
    publishedOn: Date | None = None
    summary: Annotated[str, Field(max_length=2000)] | None = None
    disclosure: Disclosure = "PUBLIC"


class ListingLine(_Line):
    kind: Literal["listing"]
    id: Code
    subject: Party
    list: ListCode
    department: Code
    basis: Annotated[builtins.list[Code], Field(max_length=100)]  # `list` is the field above
    since: Date
    until: Date | None = None
    measures: Annotated[builtins.list[Code], Field(max_length=100)] | None = None


class CommitmentLine(_Line):
    kind: Literal["commitment"]
    id: Code
    entity: Uscc
    type: CommitmentType
    matter: Text
    department: Code
    madeOn: Date
    dueOn: Date | None = None
    status: CommitmentStatus = "PENDING"


AnyLine: TypeAlias = Annotated[
    DepartmentLine
    | EntityLine
    | PersonLine
    | RoleLine
    | HoldingLine
    | BranchLine
    | RecordLine
    | ListingLine
    | CommitmentLine,
    Field(discriminator="kind"),
]
_ADAPTER: TypeAdapter[Any] = TypeAdapter(AnyLine)
KINDS = ("department", "entity", "person", "role", "holding", "branch", "record", "listing", "commitment")


@dataclass
class Rejection:
    code: str
    message: str
    kind: str | None = None


def parse_line(raw: str) -> Any:
    """Returns a validated line model, or raises a Rejection (as an exception-free value)."""
    try:
        return _ADAPTER.validate_json(raw)
    except ValidationError as e:
        return _rejection(e, raw)


def _rejection(error: ValidationError, raw: str) -> Rejection:
    """All problems of the line in one message, so that a clerk fixes the line in one go; the code is
    the first problem's."""
    kind = _peek_kind(raw)
    what = f"{kind} line" if kind in KINDS else "line"
    described = [_describe(e, kind, what) for e in error.errors(include_url=False)]
    codes = [c for c, _ in described]
    messages = list(dict.fromkeys(m for _, m in described))
    if codes[0] in ("INVALID_JSON", "NOT_AN_OBJECT", "MISSING_KIND", "UNKNOWN_KIND"):
        return Rejection(codes[0], messages[0], kind)
    return Rejection(codes[0], f"{what}: " + "; ".join(messages), kind)


def _describe(err: Any, kind: str | None, what: str) -> tuple[str, str]:
    loc = list(err["loc"])
    if loc and loc[0] == kind:
        loc = loc[1:]
    where = ".".join(str(p) for p in loc)
    etype, given = err["type"], err.get("input")
    if etype == "json_invalid":
        return "INVALID_JSON", f"not valid JSON ({err['msg']}); each line must be one JSON object"
    if etype in ("model_attributes_type", "model_type", "dict_type") and not where:
        return "NOT_AN_OBJECT", 'each line must be one JSON object with a "kind"'
    if etype == "union_tag_not_found":
        return "MISSING_KIND", f'the line has no "kind"; expected one of {", ".join(KINDS)}'
    if etype == "union_tag_invalid":
        return "UNKNOWN_KIND", f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}"
    if etype == "missing":
        return "MISSING_FIELD", f"required field {where!r} is missing"
    if etype == "extra_forbidden":
        return "UNEXPECTED_FIELD", f"field {where!r} is not part of the format"
    if etype == "literal_error":
        return "INVALID_VALUE", f"{where} = {given!r} is not allowed; expected {err.get('ctx', {}).get('expected', '')}"
    if etype.isupper():  # the codes of our own validators (PydanticCustomError)
        return etype, f"{where}: {err['msg']}" if where else err["msg"]
    if etype == "string_pattern_mismatch" and loc and loc[-1] in _DATE_FIELDS:
        return "INVALID_DATE", f"{where} = {given!r} must be a date written YYYY-MM-DD"
    if etype == "string_pattern_mismatch" and loc and loc[-1] == "region":
        return "INVALID_REGION", f"{where} = {given!r} must be a 6-digit administrative division code (GB/T 2260)"
    if loc and loc[-1] == "ratio":
        return "INVALID_RATIO", f"ratio = {given!r} must be a number with 0 < ratio <= 1"
    return "INVALID_VALUE", f"{where}: {err['msg']} (got {given!r})"


_DATE_FIELDS = {"since", "until", "decidedOn", "publishedOn", "established", "madeOn", "dueOn"}


def _peek_kind(raw: str) -> str | None:
    try:
        obj = json.loads(raw)
    except ValueError:
        return None
    kind = obj.get("kind") if isinstance(obj, dict) else None
    return kind if isinstance(kind, str) else None


_PERIODS = {
    "role": ("since", "until"),
    "holding": ("since", "until"),
    "listing": ("since", "until"),
    "record": ("decidedOn", "publishedOn"),
    "commitment": ("madeOn", "dueOn"),
}
_PAST_DATES = {
    "entity": ("established",),
    "role": ("since",),
    "holding": ("since",),
    "listing": ("since",),
    "record": ("decidedOn", "publishedOn"),
    "commitment": ("madeOn",),
}


def check_line_rules(line: Any, today: dt.date) -> Rejection | None:
    """Rules across fields of one line, which the field types alone cannot state."""
    kind = line.kind
    if kind in _PERIODS:
        start_name, end_name = _PERIODS[kind]
        start, end = getattr(line, start_name), getattr(line, end_name)
        if end is not None and end < start:
            return Rejection("INVALID_PERIOD", f"{kind} line: {end_name} {end} is before {start_name} {start}", kind)
    for name in _PAST_DATES.get(kind, ()):
        value = getattr(line, name)
        if value is not None and value > today:
            return Rejection(
                "FUTURE_DATE",
                f"{kind} line: {name} {value} is in the future; facts are recorded once they happen",
                kind,
            )
    if kind == "record" and line.severity is not None and line.category not in NEGATIVE_CATEGORIES:
        return Rejection(
            "SEVERITY_NOT_ALLOWED",
            f"record line: category {line.category} is {polarity_of(line.category).lower()}; "
            "severity applies only to negative categories",
            kind,
        )
    if kind == "branch" and line.entity == line.parent:
        return Rejection("SELF_REFERENCE", "branch line: an entity cannot be a branch of itself", kind)
    if kind == "holding" and line.holder.entity == line.entity:
        return Rejection("SELF_REFERENCE", "holding line: an entity cannot hold shares of itself", kind)
    if kind == "listing" and not line.basis:
        return Rejection("EMPTY_BASIS", "listing line: basis must name at least one record the listing rests on", kind)
    return None


_ORJSON = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def canonical_json(data: dict[str, Any]) -> str:
    # The text is hashed (content_hash) and stored: it must stay byte for byte what json.dumps wrote.
    # orjson writes the same except for floats in exponent form or not finite, which go to json.
    if _plain(data):
        try:
            return orjson.dumps(data, default=str, option=_ORJSON).decode()
        except orjson.JSONEncodeError:  # e.g. an integer beyond 64 bits or a lone surrogate
            pass
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _plain(value: Any) -> bool:
    t = type(value)
    if t is float:
        return bool(value == 0 or 1e-4 <= abs(value) < 1e16)  # where repr() uses no exponent
    if t is dict:
        value = value.values()
    elif t is not list and t is not tuple:
        return True
    return all(type(v) is str or v is None or _plain(v) for v in value)  # most values are text


def content_hash(canonical: str) -> str:
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]
