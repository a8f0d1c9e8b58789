"""Names to entity ids over one open store: the one resolver that query
parameters, ``--focus``, ``show`` and map anchors share.

:meth:`Lookup.of` reads the store's entities (id, label, name, aliases and a
meeting's date) once and keeps them while that store object lives, so a
command that resolves several names reads them once. A name that means
nothing or several things is a :class:`~htkg.errors.ResolveError` that
lists the closest matches or the choices.

GOV.UK gives two of its bodies the abbreviation CSC; the bundled graph gives "GLA" to the
Gangmasters Licensing Authority alone (it holds no Greater London Authority):

>>> r = Resolver()
>>> r.add("royal-mail", "Organisation", ["Royal Mail", "royal-mail", "Royal Mail Group"])
>>> r.add("civil-service-commission", "Organisation", ["Civil Service Commission", "CSC"])
>>> r.add("commonwealth-scholarship-commission-in-the-uk", "Organisation",
...       ["Commonwealth Scholarship Commission in the UK", "CSC"])
>>> r.add("gangmasters-licensing-authority", "Organisation", ["Gangmasters Licensing Authority", "GLA"])
>>> resolve_entity(r, "royal mail group"), resolve_entity(r, "GLA")
('royal-mail', 'gangmasters-licensing-authority')
>>> resolve_entity(r, "CSC")
Traceback (most recent call last):
...
htkg.errors.ResolveError: 'CSC' could mean several: Civil Service Commission (civil-service-commission), Commonwealth Scholarship Commission in the UK (commonwealth-scholarship-commission-in-the-uk); give the id
"""
from __future__ import annotations

import datetime as dt
import re
import weakref
from typing import Any

from htkg.errors import QueryError, ResolveError
from htkg.graph.resolver import Resolver

ENTITIES = ("MATCH (n) RETURN n.id AS id, labels(n)[0] AS label, n.name AS name, "
            "n.aliases AS aliases, n.date AS date, n.kind AS kind")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def resolve_entity(resolver: Resolver, text: str, label: str | None = None) -> str:
    """One entity id for a name, or a ResolveError listing the closest matches."""
    if text in resolver and (label is None or resolver.label(text) == label):
        return text
    ids = resolver.resolve_all(text, label)
    what = label or "entity"
    if len(ids) == 1:
        return ids[0]
    if ids:
        shown = ", ".join(f"{resolver.name(i)} ({i})" for i in ids)
        raise ResolveError(f"'{text}' could mean several: {shown}; give the id", ids)
    near = resolver.candidates(text, label=label)
    hint = f"; closest: {', '.join(near)}" if near else ""
    raise ResolveError(f"no {what} called '{text}'{hint}", near)


class Lookup:
    """The entities of one open store, read once and kept while the store is open."""

    _cache: "weakref.WeakKeyDictionary[Any, Lookup]" = weakref.WeakKeyDictionary()

    def __init__(self, store: Any):
        self.store = store
        self._resolver: Resolver | None = None
        self._dates: dict[str, list[str]] = {}
        self._kinds: dict[str, str] = {}

    @classmethod
    def of(cls, store: Any) -> "Lookup":
        """The lookup of ``store``, made on first use."""
        try:
            return cls._cache[store]
        except (KeyError, TypeError):
            lookup = cls(store)
            try:
                cls._cache[store] = lookup
            except TypeError:  # pragma: no cover - stores are weak-referenceable
                pass
            return lookup

    @property
    def resolver(self) -> Resolver:
        """Every entity of the store by id, name and alias."""
        if self._resolver is None:
            if self.store is None:
                raise QueryError("this parameter names an entity and needs an open store")
            r = Resolver()
            for row in self.store.read(ENTITIES).rows:
                r.add(row["id"], row["label"],
                      [row["name"] or "", row["id"], *(row["aliases"] or [])])
                if row["label"] == "Meeting" and row["date"]:
                    self._dates.setdefault(str(row["date"]), []).append(row["id"])
                if row["kind"]:
                    self._kinds[row["id"]] = row["kind"]
            self._resolver = r
        return self._resolver

    def kind(self, entity_id: str) -> str | None:
        """An organisation's kind (``ngo``, ``regulator``...), or None."""
        self.resolver
        return self._kinds.get(entity_id)

    def entity(self, text: str, label: str | None = None) -> str:
        """The id of the one entity (of ``label``, if given) that ``text`` names;
        a meeting may also be named by its date (2013-03-11)."""
        r = self.resolver
        if label == "Meeting" and _ISO_DATE.match(text.strip()):
            return self._meeting_on(text.strip())
        return resolve_entity(r, text, label)

    def _meeting_on(self, day: str) -> str:
        ids = sorted(self._dates.get(day, []))
        if len(ids) == 1:
            return ids[0]
        if ids:
            raise ResolveError(f"several meetings on {day}: {', '.join(ids)}; give the id", ids)
        near = sorted(self._dates, key=lambda d: abs(_days(d) - _days(day)))[:5]
        shown = [f"{d} ({', '.join(self._dates[d])})" for d in near]
        raise ResolveError(f"no meeting on {day}"
                           + (f"; meetings nearest that date: {'; '.join(shown)}"
                              if shown else "; the graph holds no meetings"), shown)


def _days(iso: str) -> int:
    try:
        return dt.date.fromisoformat(iso).toordinal()
    except ValueError:
        return 0


def lookup(store: Any) -> Lookup:
    """The resolver of an open store (one per store object)."""
    return Lookup.of(store)
