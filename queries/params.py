"""Typed parameters of saved queries, and how a value given by a person becomes
the value the Cypher receives.

Each type is a small object with ``name``, ``help`` (what it accepts),
``entity`` and ``label`` (whether, and of which label, it names an entity),
``static`` (True when it needs no store) and ``convert(value, lookup)``.
Entity types (``entity``, ``organisation``, ``person``, ``sector``,
``meeting``, ``country``) resolve names through the open store's resolver
(:mod:`htkg.graph.lookup`), so a query reads ids and never guesses. A value that means nothing,
or several things, is a :class:`~htkg.errors.ResolveError` that lists the
closest matches.

>>> TYPES["int"].convert("2023", None), TYPES["bool"].convert("yes", None)
(2023, True)
>>> TYPES["nation"].convert("Scottish", None), TYPES["kind"].convert("local authority", None)
('GB-SCT', 'local_authority')
>>> TYPES["quarter"].convert("2023Q4", None)
20234
>>> TYPES["exploitation"].convert("criminal and labour", None)
'Labour & Criminal'
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Callable

from htkg.errors import QueryError, ResolveError
from htkg.graph.lookup import Lookup
from htkg.graph.resolver import normalise
from htkg.loaders.nationality import country_code, default_resolver as nationalities
from htkg.loaders.nrm import exploitation as exploitations
from htkg.queries.values import INT_RANGE, WHOLE, has_surrogate, shown, surrogate_problem
from htkg.schema.model import load_schema

#: The four UK nations: subdivision code, Country id, and the words people use.
NATIONS = {
    "GB-ENG": ("country-gb-eng", ["England", "English", "ENG"]),
    "GB-SCT": ("country-gb-sct", ["Scotland", "Scottish", "SCT", "Alba"]),
    "GB-WLS": ("country-gb-wls", ["Wales", "Welsh", "WLS", "Cymru"]),
    "GB-NIR": ("country-gb-nir", ["Northern Ireland", "Northern Irish", "NI", "NIR",
                                  "N. Ireland"]),
}
_NATION_WORDS = {normalise(w): code for code, (cid, words) in NATIONS.items()
                 for w in [code, cid, *words]}
_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _fail(message: str) -> QueryError:
    return QueryError(message)


# -- the types ---------------------------------------------------------------------
@dataclass(frozen=True)
class ParamType:
    """One parameter type: what it accepts and how it converts a value.

    ``entity`` types name an entity of the store (of ``label``, or of any
    label when ``label`` is None): their values are resolved through the
    open store, and the entities they name anchor a map of the query.
    """

    name: str
    help: str
    convert_fn: Callable[[Any, "Lookup | None"], Any]
    entity: bool = False
    label: str | None = None

    @property
    def static(self) -> bool:
        """True when a value converts without a store."""
        return not self.entity

    def convert(self, value: Any, lookup: "Lookup | None") -> Any:
        return self.convert_fn(value, lookup)


def _string(value: Any, _lookup) -> str:
    return _text(value)


def _int(value: Any, _lookup) -> int:
    if isinstance(value, bool):
        raise _fail(f"{value!r} is not a whole number")
    if isinstance(value, int):
        number = value
    else:
        text = _text(value).strip()
        if not WHOLE.match(text):
            raise _fail(f"'{shown(text)}' is not a whole number")
        if len(text.lstrip("+-")) > 19:   # more digits than 64 bits hold, however many
            raise _fail(f"'{shown(text)}' is beyond the whole numbers a graph stores "
                        f"(64 bits, up to {INT_RANGE[1]})")
        number = int(text)
    if not INT_RANGE[0] <= number <= INT_RANGE[1]:
        raise _fail(f"'{shown(str(number))}' is beyond the whole numbers a graph stores "
                    f"(64 bits, up to {INT_RANGE[1]})")
    return number


def _bool(value: Any, _lookup) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _fail(f"'{value}' is not true or false (use true/false, yes/no or 1/0)")


_QUARTER = re.compile(r"^(\d{4})\s*[-/ ]?\s*[Qq]([1-4])$")


def parse_quarter(value: Any) -> int:
    """A quarter written ``YYYYQn`` (``2023Q4``, ``2023 Q4``, ``2023-q4``) as the number
    the queries compare, ``year * 10 + quarter``.

    >>> parse_quarter("2023Q4"), parse_quarter(" 2022-q2 ")
    (20234, 20222)
    >>> parse_quarter("2023Q5")
    Traceback (most recent call last):
    ...
    htkg.errors.QueryError: '2023Q5' is not a quarter; write YYYYQn, e.g. 2023Q4
    """
    text = _text(value).strip()
    m = _QUARTER.match(text)
    if not m:
        raise _fail(f"'{shown(text)}' is not a quarter; write YYYYQn, e.g. 2023Q4")
    return int(m.group(1)) * 10 + int(m.group(2))


def quarter_text(number: int) -> str:
    """``20234`` as ``2023Q4``: how the queries and reports write a quarter.

    >>> quarter_text(20234)
    '2023Q4'
    """
    return f"{number // 10}Q{number % 10}"


def _quarter(value: Any, _lookup) -> int:
    return parse_quarter(value)


def _nation(value: Any, _lookup) -> str:
    text = _text(value).strip()
    code = _NATION_WORDS.get(normalise(text))
    if code is None:
        raise _fail(f"'{text}' is not a UK nation; use one of "
                    f"{', '.join(f'{c} ({w[0]})' for c, (_, w) in NATIONS.items())}")
    return code


def kinds() -> tuple[str, ...]:
    """The Organisation kinds the schema allows."""
    return load_schema().labels["Organisation"].properties["kind"].values


def _kind(value: Any, _lookup) -> str:
    allowed = kinds()
    text = _text(value).strip()
    key = re.sub(r"[\s-]+", "_", text.casefold())
    for candidate in (key, key.rstrip("s"), key.replace("_s_", "_")):
        if candidate in allowed:
            return candidate
    near = difflib.get_close_matches(key, allowed, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
    raise _fail(f"'{text}' is not an organisation kind{hint} (kinds: {', '.join(allowed)})")


def _exploitation(value: Any, _lookup) -> str:
    text = _text(value).strip()
    name = exploitations.canonical(text)
    if name is None:
        near = exploitations.closest(text)
        hint = f"; did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
        raise _fail(f"'{shown(text)}' is not an NRM exploitation type{hint} (kinds: "
                    f"{', '.join(exploitations.KINDS)}, or combinations such as 'Sexual & "
                    f"Labour'; 'htkg query exploitation-types' lists those published)")
    return name


def _entity(label: str | None) -> Callable[[Any, Lookup | None], str]:
    def convert(value: Any, lookup: Lookup | None) -> str:
        if lookup is None:
            raise _fail("this parameter names an entity and needs an open store")
        text = _text(value).strip()
        try:
            return lookup.entity(text, label)
        except ResolveError:
            # Any entity: a country may also be named by its ISO code or demonym.
            if label is None and not lookup.resolver.resolve_all(text):
                code = country_code(text)
                if code and f"country-{code.lower()}" in lookup.resolver:
                    return f"country-{code.lower()}"
            raise
    return convert


def _entity_type(name: str, help: str, label: str | None) -> ParamType:
    return ParamType(name, help, _entity(label), entity=True, label=label)


def _country(value: Any, lookup: Lookup | None) -> str:
    """A Country id from a name, ISO code, demonym or UK nation."""
    if lookup is None:
        raise _fail("a country parameter needs an open store")
    text = _text(value).strip()
    r = lookup.resolver
    nation = _NATION_WORDS.get(normalise(text))
    if nation and NATIONS[nation][0] in r:
        return NATIONS[nation][0]
    if text in r and r.label(text) == "Country":
        return text
    ids = r.resolve_all(text, "Country")
    if len(ids) == 1:
        return ids[0]
    code = country_code(text)
    if code and f"country-{code.lower()}" in r:
        return f"country-{code.lower()}"
    if ids:
        listed = ", ".join(f"{r.name(i)} ({i})" for i in ids)
        raise ResolveError(f"'{text}' could mean several countries: {listed}; give the ISO code",
                           ids)
    if code:
        raise ResolveError(f"'{text}' is {code}, but the graph holds no country-{code.lower()}")
    near = r.candidates(text, label="Country")
    near += [f"{d} (demonym)" for d in nationalities().candidates(text, n=3)
             if f"{d} (demonym)" not in near]
    hint = f"; closest: {', '.join(near[:6])}" if near else ""
    raise ResolveError(f"no country called '{text}'{hint}", near)


TYPES: dict[str, ParamType] = {t.name: t for t in [
    ParamType("string", "any text", _string),
    ParamType("int", "a whole number", _int),
    ParamType("bool", "true or false", _bool),
    ParamType("nation", "a UK nation as GB-ENG, GB-SCT, GB-WLS or GB-NIR, or by name "
                        "('Scotland', 'Welsh')", _nation),
    ParamType("kind", "an organisation kind (department, ngo, local_authority...)", _kind),
    ParamType("quarter", "a quarter as YYYYQn ('2023Q4')", _quarter),
    ParamType("exploitation", "an NRM exploitation type as published, in any case: 'Labour' "
                              "(labour alone), 'Labour & Criminal', 'Not specified or unknown'",
              _exploitation),
    ParamType("country", "a country name, ISO code or demonym ('Nigeria', 'NG', 'Nigerian'), "
                         "or a UK nation", _country, entity=True, label="Country"),
    _entity_type("entity", "the id, name or alias of any entity", None),
    _entity_type("organisation", "an organisation's id, name or alias ('FCO')", "Organisation"),
    _entity_type("person", "a person's id, name or alias", "Person"),
    _entity_type("sector", "a sector's id, name or alias ('agriculture')", "Sector"),
    _entity_type("meeting", "a meeting's id, name or date (2013-03-11)", "Meeting"),
]}


def convert(param, value: Any, lookup: Lookup | None) -> Any:
    """Convert one value for a declared parameter, naming the parameter on error."""
    ptype = TYPES[param.type]
    if isinstance(value, str) and has_surrogate(value):
        raise QueryError(f"parameter '{param.name}' ({param.type}): {surrogate_problem(value)}")
    try:
        return ptype.convert(value, lookup)
    except ResolveError as exc:
        raise ResolveError(f"parameter '{param.name}' ({param.type}): {exc}",
                           exc.candidates) from None
    except QueryError as exc:
        raise QueryError(f"parameter '{param.name}' ({param.type}): {exc}") from None


def check(query, given: dict[str, Any]) -> None:
    """Check the values given without a store: names, required parameters, and
    every type that needs no lookup. :func:`bind` does the rest."""
    declared = {p.name: p for p in query.params}
    unknown = [n for n in given if n not in declared]
    if unknown:
        listing = ", ".join(p.signature for p in query.params) or "none"
        which = ", ".join(f"'{u}'" for u in unknown)
        raise QueryError(f"query '{query.name}' has no parameter {which}; "
                         f"its parameters: {listing}")
    for p in query.params:
        value = given.get(p.name)
        if _missing(value):
            if p.required:
                raise QueryError(f"query '{query.name}' needs parameter '{p.name}' ({p.type}: "
                                 f"{TYPES[p.type].help}); give it as -p {p.name}=VALUE")
        elif TYPES[p.type].static:
            convert(p, value, None)
        elif isinstance(value, str) and has_surrogate(value):   # before any store opens
            raise QueryError(f"parameter '{p.name}' ({p.type}): {surrogate_problem(value)}")


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def bind(query, given: dict[str, Any], store: Any = None) -> dict[str, Any]:
    """The Cypher parameters for a saved query from the values a person gave.

    Unknown names and missing required parameters are errors that name the
    query's parameters; optional parameters without a default are null.
    Entity and country values are resolved through the entities of ``store``.
    """
    check(query, given)
    lookup = Lookup.of(store) if store is not None else None
    out: dict[str, Any] = {}
    for p in query.params:
        value = p.default if _missing(given.get(p.name)) else given[p.name]
        out[p.name] = None if value is None else convert(p, value, lookup)
    return out


def anchors(query, bound: dict[str, Any]) -> list[str]:
    """The entity ids that ``query``'s bound parameters name, in declaration order."""
    return [bound[p.name] for p in query.params
            if TYPES[p.type].entity and isinstance(bound.get(p.name), str)]
