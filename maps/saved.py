"""Saved queries for ``htkg map --query NAME``: found and bound by :mod:`htkg.queries`.

The saved-query module owns the catalogue, parameter types and their
resolution; a map only needs the Cypher, the bound parameters and which
parameters named entities (those entities anchor the map: a map of
``country-links -p country=Nigeria`` shows Nigeria too).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from htkg.errors import QueryError

#: Parameter types whose bound value is an entity id.
ENTITY_TYPES = {"entity", "organisation", "person", "sector", "meeting", "country", "initiative"}


def _module():
    try:
        from htkg import queries
        from htkg.queries import params
    except ImportError as exc:  # pragma: no cover - an installation without saved queries
        raise QueryError(f"saved queries are not available: {exc}") from None
    if not hasattr(queries, "load_catalogue"):  # pragma: no cover
        raise QueryError("saved queries are not available in this installation")
    return queries, params


def find(name: str, queries_dirs: Iterable[str | Path] = ()):
    """The saved query called ``name`` (bundled, ``--queries`` folders, ``$HTKG_QUERIES``)."""
    queries, _ = _module()
    return queries.load_catalogue(queries.user_dirs(list(queries_dirs))).get(name)


def check(name: str, given: dict[str, Any], queries_dirs: Iterable[str | Path] = ()) -> None:
    """Fail early (before a store opens) on an unknown query or a missing parameter."""
    _, params = _module()
    params.check(find(name, queries_dirs), dict(given))


def prepare(store, name: str, given: dict[str, Any], queries_dirs: Iterable[str | Path] = ()
            ) -> tuple[str, dict, str, list[str]]:
    """(Cypher, bound parameters, title text, entity ids the parameters name)."""
    queries, params = _module()
    query = find(name, queries_dirs)
    bound = queries.bind(query, dict(given), store)

    def names_entity(ptype: str) -> bool:
        known = getattr(params, "TYPES", {}).get(ptype)
        # Types resolved through the store's entities are the ones that are not static.
        return ptype in ENTITY_TYPES or (known is not None and not getattr(known, "static", True))

    anchors = [bound[p.name] for p in query.params
               if names_entity(p.type) and isinstance(bound.get(p.name), str)]
    shown = name
    if given:
        shown += " (" + ", ".join(f"{k}={v}" for k, v in given.items()) + ")"
    return query.cypher, bound, shown, anchors
