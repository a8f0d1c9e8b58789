"""Values given to a query, checked before they reach the database.

:func:`check_value` refuses what no graph database holds (whole numbers beyond 64
bits, NaN, half of a UTF-16 pair, lists nested too deep), naming the parameter;
:func:`read_json_value` reads a raw Cypher query's ``-p NAME=VALUE`` as JSON where it
parses. The typed parameters of saved queries (:mod:`.params`) use the same checks.
"""
from __future__ import annotations

import json
import re
from typing import Any

from htkg.errors import QueryError

#: Whole numbers a graph database stores (64 bits), and how deeply lists and
#: maps given as a parameter may nest.
INT_RANGE = (-2**63, 2**63 - 1)
DEEPEST = 32
WHOLE = re.compile(r"^[+-]?[0-9]+$")


def shown(text: str, most: int = 60) -> str:
    """A value as quoted in a message: printable, and short."""
    text = text.encode("ascii", "backslashreplace").decode() if has_surrogate(text) else text
    return text if len(text) <= most else text[:most] + "..."


def has_surrogate(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def surrogate_problem(text: str) -> str:
    """Why text holding half of a UTF-16 pair is refused, and what to do."""
    c = next(c for c in text if "\ud800" <= c <= "\udfff")
    if "\udc80" <= c <= "\udcff":   # how Python keeps a byte of a command line that is not UTF-8
        return (f"not UTF-8 text (byte 0x{ord(c) - 0xdc00:02x}); give the value as UTF-8 "
                f"(is the terminal's encoding UTF-8?)")
    return (f"half of a UTF-16 surrogate pair (\\u{ord(c):04x}), which no text can hold; "
            f"write the character itself")


def check_value(name: str, value: Any) -> Any:
    """A parameter's value, checked before it reaches the database; the value itself.

    Refuses, naming the parameter: a whole number beyond 64 bits, NaN or an
    infinity, text holding half of a UTF-16 surrogate pair (or bytes that are
    not UTF-8), and lists or maps nested more than :data:`DEEPEST` deep.

    >>> check_value("year", 2023)
    2023
    >>> check_value("year", 10**30)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    htkg.errors.QueryError: parameter 'year': 1000...000 is beyond the whole numbers a graph ...
    """
    todo = [(value, 0)]
    while todo:
        v, depth = todo.pop()
        if isinstance(v, bool) or v is None:
            continue
        if isinstance(v, int):
            if not INT_RANGE[0] <= v <= INT_RANGE[1]:
                raise QueryError(f"parameter '{shown(name)}': {shown(str(v))} is beyond the "
                                 f"whole numbers a graph stores (64 bits, up to {INT_RANGE[1]})")
        elif isinstance(v, float):
            if v != v or v in (float("inf"), float("-inf")):
                raise QueryError(f"parameter '{shown(name)}': NaN and infinities are not "
                                 f"numbers a graph stores or JSON can hold; give a finite number")
        elif isinstance(v, str):
            if has_surrogate(v):
                raise QueryError(f"parameter '{shown(name)}': {surrogate_problem(v)}")
        elif isinstance(v, (list, tuple, dict)):
            if depth >= DEEPEST:
                raise QueryError(f"parameter '{shown(name)}': lists and maps nested more than "
                                 f"{DEEPEST} deep; give a flatter value")
            items = list(v.items()) if isinstance(v, dict) else [(None, x) for x in v]
            for k, x in items:
                if k is not None:
                    todo.append((k, depth + 1))
                todo.append((x, depth + 1))
    return value


def read_json_value(name: str, text: str) -> Any:
    """``-p NAME=VALUE`` of a raw Cypher query: VALUE read as JSON where it parses, else
    as text; checked by :func:`check_value`.

    >>> read_json_value("n", "2023"), read_json_value("n", "Nigeria"), read_json_value("n", "[1]")
    (2023, 'Nigeria', [1])
    >>> read_json_value("n", "NaN")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    htkg.errors.QueryError: parameter 'n': NaN and infinities are not numbers a graph stores ...
    """
    check_value(name, text)
    too_large = QueryError(f"parameter '{shown(name)}': a number of more than 19 digits is "
                           f"beyond the whole numbers a graph stores (64 bits, up to "
                           f"{INT_RANGE[1]})")
    if WHOLE.match(text.strip()) and len(text.strip().lstrip("+-")) > 19:
        raise too_large
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = text
    except RecursionError:
        raise QueryError(f"parameter '{shown(name)}': lists and maps nested more than "
                         f"{DEEPEST} deep; give a flatter value") from None
    except ValueError:   # a number of more than 4,300 digits inside a list or map
        raise too_large from None
    return check_value(name, value)
