"""The official UK geography: police force areas, local authority districts, councils.

Four public files (shipped in ``data/reference/geography/``, see
``data/SOURCES.md``), recognised by their columns:

* ONS's police force areas (``PFA19CD,PFA19NM``), its lookups of local
  authority districts to countries (``LAD19CD,...,CTRY19NM``) and of districts
  to police force areas in England and Wales (``LAD19CD,...,PFA19NM``), read by
  :mod:`.ons`;
* mySociety's list of councils past and present, read by :mod:`.councils`.

They load in that order (:func:`rank`), each building on the ones before:
police force areas, with the force that serves each and its nation; the
districts, with the nation and the police force area each lies in; then the
councils, with the districts they govern. Every fact cites its file and line.
"""
from __future__ import annotations

from htkg.loaders.base import Record, Source
from htkg.loaders.geography import councils, ons
from htkg.loaders.geography.format import COUNCILS, NAME, ORDER, file_kind

DESCRIPTION = ("official UK geography: ONS police force areas and lookups of local authority "
               "districts, mySociety's list of councils, CSV")
__all__ = ["DESCRIPTION", "NAME", "rank", "read", "recognises"]


def recognises(source: Source) -> bool:
    return file_kind(source.suffix, source.head()) is not None


def rank(source: Source) -> int:
    """Police force areas first, then districts to countries, districts to force
    areas, and councils last."""
    kind = file_kind(source.suffix, source.head())
    return ORDER.index(kind) if kind in ORDER else len(ORDER)


def read(source: Source, ctx) -> list[Record]:
    """The records of one geography file (see the module docstring)."""
    kind = file_kind(source.suffix, source.head())
    if kind == COUNCILS:
        return councils.read(source, ctx)
    return ons.read(source, ctx, kind)
