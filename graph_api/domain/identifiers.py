"""National identifiers: the unified social credit code (GB 32100-2015) and the resident identity
number (GB 11643-1999). Each validator returns the canonical form or raises InvalidIdentifier with a
reason a clerk can act on."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from stdnum.cn import ric as _ric

# GB 32100-2015 character set: digits and capitals without I, O, Z, S, V.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_RIC_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdentifier(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


@lru_cache(maxsize=65536)  # an import names the same codes on many lines
def validate_uscc(value: str) -> str:
    """Validate the 18-character code. Registration-authority codes include letters (A military,
    N agriculture, Y other), so positions 1-2 are checked against the character set, not as digits;
    a stricter table would refuse codes the standard's later amendments added."""
    code = value.strip().upper() if isinstance(value, str) else ""
    if len(code) != 18:
        raise InvalidIdentifier("INVALID_USCC", f"统一社会信用代码 must have 18 characters, got {len(code)}: {value!r}")
    bad = [c for c in code if c not in USCC_ALPHABET]
    if bad:
        raise InvalidIdentifier(
            "INVALID_USCC",
            f"统一社会信用代码 {value!r} contains {''.join(sorted(set(bad)))!r}; "
            "only digits and capitals other than I, O, Z, S, V are allowed",
        )
    if code[0] == "0" or code[1] == "0":
        raise InvalidIdentifier(
            "INVALID_USCC", f"统一社会信用代码 {value!r}: registration authority and category codes cannot be 0"
        )
    if not code[2:8].isdigit():
        raise InvalidIdentifier(
            "INVALID_USCC",
            f"统一社会信用代码 {value!r}: characters 3-8 must be the 6-digit administrative division code",
        )
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise InvalidIdentifier(
            "INVALID_USCC",
            f"统一社会信用代码 {value!r} fails its GB 32100-2015 check character "
            f"(expected {expected!r} at position 18); check for a mistyped character",
        )
    return code


def ric_check_char(first17: str) -> str:
    return _ric.calc_check_digit(first17 + "0")


def validate_ric(value: str, *, today: dt.date | None = None) -> str:
    """Validate an 18-digit resident identity number: shape, birth date and check digit."""
    number = value.strip().upper() if isinstance(value, str) else ""
    if len(number) != 18:
        raise InvalidIdentifier("INVALID_ID_NUMBER", f"居民身份证号码 must have 18 characters, got {len(number)}")
    if not _RIC_SHAPE.match(number):
        raise InvalidIdentifier("INVALID_ID_NUMBER", "居民身份证号码 must be 17 digits followed by a digit or X")
    try:
        birth = _ric.get_birth_date(number)
    except Exception:
        raise InvalidIdentifier(
            "INVALID_ID_NUMBER", f"居民身份证号码: {number[6:14]} (digits 7-14) is not a valid birth date"
        ) from None
    if birth > (today or dt.date.today()) or birth.year < 1880:
        raise InvalidIdentifier("INVALID_ID_NUMBER", f"居民身份证号码: birth date {birth.isoformat()} is not plausible")
    expected = ric_check_char(number[:17])
    if number[17] != expected:
        raise InvalidIdentifier(
            "INVALID_ID_NUMBER",
            f"居民身份证号码 fails its GB 11643 check digit (expected {expected!r} at position 18); "
            "check for a mistyped digit",
        )
    return number


def looks_like_ric(value: str) -> bool:
    return bool(_RIC_SHAPE.match(value.strip().upper()))


def validate_person_id(value: str, id_type: str = "RIC") -> str:
    if id_type == "RIC":
        return validate_ric(value)
    number = value.strip().upper()
    if not number or len(number) > 64 or not re.fullmatch(r"[0-9A-Z\-]+", number):
        raise InvalidIdentifier("INVALID_ID_NUMBER", f"{id_type} number must be 1-64 letters, digits or '-'")
    return number


@lru_cache(maxsize=65536)
def normalize_person_ref(value: str) -> str:
    """A reference to a person in a role, holding or record line carries no idType: a value shaped
    like a resident identity number is held to GB 11643, anything else is looked up as given."""
    if looks_like_ric(value):
        return validate_ric(value)
    return validate_person_id(value, "OTHER")
