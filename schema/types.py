"""The closed registry of property types a schema may use.

Each type cleans a value (returning the form stored in the graph) or raises
``ValueError`` with a short reason. Stored forms are plain JSON/Cypher
values: dates are ISO ``YYYY-MM-DD`` strings, so the same value travels
unchanged to the embedded store, Neo4j, RDF (as ``xsd:date``) and JSON.
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any, Callable

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_SUBDIVISION = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")


#: Longest value of a one-line ``string`` (a name, an alias, a citation) and of
#: a ``text``: a value of megabytes is a broken file, not a name.
LONGEST_STRING = 2_000
LONGEST_TEXT = 100_000
# Control characters (C0 but tab, line feed and carriage return; DEL; C1): they
# never belong in a name or a description, and they break the XML exports
# (GraphML, GEXF) and terminals that print the value.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Half of a UTF-16 pair on its own (a YAML "\\ud800" escape): no UTF-8 text,
# no database and no export can hold it.
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Every store and export holds whole numbers in 64 bits.
_INT_RANGE = (-2**63, 2**63 - 1)


def _plain_text(value: str, longest: int) -> str:
    if len(value) > longest:
        raise ValueError(f"{len(value):,} characters, more than the {longest:,} such a value may "
                         f"have; is the file broken (a lost line end, a pasted document)?")
    bad = _CONTROL.search(value)
    if bad:
        raise ValueError(f"control character U+{ord(bad.group()):04X} in the text; remove it "
                         f"(was the file saved in another encoding?)")
    if _SURROGATE.search(value):
        raise ValueError("half of a UTF-16 surrogate pair in the text (an escape such as "
                         "\\ud800); write the character itself")
    return value


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__}")
    value = " ".join(value.split())
    if not value:
        raise ValueError("expected text, got an empty string")
    return _plain_text(value, LONGEST_STRING)


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("expected non-empty text")
    return _plain_text(value.strip(), LONGEST_TEXT)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            value = int(value)
        else:
            raise ValueError(f"expected a whole number, got {value!r}")
    if not _INT_RANGE[0] <= value <= _INT_RANGE[1]:
        raise ValueError(f"{value} is too large: whole numbers are stored in 64 bits")
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"expected a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {value!r}")
    return number


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def _date(value: Any) -> str:
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ValueError(f"expected a list of text, got {type(value).__name__}")
    return [_string(v) for v in value]


def _slug(value: Any) -> str:
    if not isinstance(value, str) or not _SLUG.match(value):
        raise ValueError(f"expected a slug of a-z, 0-9 and '-', got {value!r}")
    return value


def _country_code(value: Any) -> str:
    if not isinstance(value, str) or not _ISO2.match(value.strip().upper()):
        raise ValueError(f"expected an ISO 3166-1 alpha-2 code such as 'NG', got {value!r}")
    return value.strip().upper()


def _subdivision(value: Any) -> str:
    if not isinstance(value, str) or not _SUBDIVISION.match(value.strip().upper()):
        raise ValueError(f"expected an ISO 3166-2 code such as 'GB-SCT', got {value!r}")
    return value.strip().upper()


TYPES: dict[str, Callable[[Any], Any]] = {
    "string": _string,
    "text": _text,
    "int": _int,
    "float": _float,
    "bool": _bool,
    "date": _date,
    "strings": _strings,
    "slug": _slug,
    "country_code": _country_code,
    "subdivision": _subdivision,
}
"""Every type name a schema may use, except ``enum`` (which needs values)."""


def cleaner(type_name: str, values: list[str] | None = None) -> Callable[[Any], Any]:
    """Return the cleaning function for a type; ``enum`` checks membership.

    >>> cleaner("date")("2013-03-11")
    '2013-03-11'
    >>> cleaner("enum", ["chair", "member"])("chair")
    'chair'
    >>> cleaner("int")("12")
    12
    """
    if type_name == "enum":
        allowed = list(values or [])

        def _enum(value: Any) -> str:
            if value not in allowed:
                raise ValueError(f"expected one of {', '.join(allowed)}; got {value!r}")
            return value
        return _enum
    if type_name == "strings" and values:
        return _strings_of(list(values))
    return TYPES[type_name]


def _strings_of(allowed: list[str]) -> Callable[[Any], list[str]]:
    """``strings`` whose every item is one of ``allowed``, kept in the order of
    ``allowed`` and without repeats (a set written as a list).

    >>> cleaner("strings", ["GB-ENG", "GB-WLS"])(["GB-WLS", "GB-ENG", "GB-WLS"])
    ['GB-ENG', 'GB-WLS']
    """
    def _clean(value: Any) -> list[str]:
        items = _strings(value)
        bad = [v for v in items if v not in allowed]
        if bad:
            raise ValueError(f"expected each of {', '.join(allowed)}; got {bad[0]!r}")
        return [v for v in allowed if v in items]
    return _clean
