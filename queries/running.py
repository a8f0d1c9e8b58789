"""Running a saved query: bind its parameters and read, and carry its caveat onto
each row of the answer."""
from __future__ import annotations

from typing import Any

from htkg.queries.catalogue import SavedQuery
from htkg.queries.params import bind


def with_caveat(columns: list[str], rows: list[dict], caveat: str
                ) -> tuple[list[str], list[dict]]:
    """The rows with a ``caveat`` field on each (and the column last), so that a
    figure taken from JSON or CSV keeps its caveat; unchanged without one, or
    when the query returns a ``caveat`` column of its own.

    >>> with_caveat(["country", "people"], [{"country": "Albania", "people": 3}], "Partial.")
    (['country', 'people', 'caveat'], [{'country': 'Albania', 'people': 3, 'caveat': 'Partial.'}])
    """
    if not caveat or "caveat" in columns:
        return columns, rows
    return [*columns, "caveat"], [{**row, "caveat": caveat} for row in rows]


def run_query(store, query: SavedQuery, given: dict[str, Any] | None = None, *,
              most: int | None = None):
    """Bind the given values to the query's parameters and run it read-only.

    Returns the store's ``Result`` (columns, rows); with ``most``, at most that
    many rows, and ``more`` True when the query returned others.
    """
    params = bind(query, dict(given or {}), store)
    result = store.read(query.cypher, params, most=most)
    if not result.columns and not result.rows:
        result.columns = query.columns
    return result
