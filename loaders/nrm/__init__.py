"""National Referral Mechanism statistics: who referred people of which nationality.

The Home Office publishes, each quarter, tables of NRM referrals by first
responder. In their tidy CSV form (``nrm_referrals_<type>_<year>_q<n>.csv``)
every row is one cell::

    First responder type,First responder,Exploitation type,Age at exploitation,Gender,Nationality,People

with "Total" rows mixed in at every level (exploitation type, age, gender,
nationality) and one aggregate responder per table ("Government agency
total"...). This module turns the detail rows at Age = Total and Gender =
Total into ``REFERRED`` relationships from the responder (an Organisation of
the registry) to each country of the nationality, one per (responder,
country, year, quarter, exploitation type, nationality as published), with
the age bands and the gender cells published under them as properties. The
"Total" rows are never loaded: they are what the loader reconciles its sums
against, and the differences (none in the published tables) are reported in
the file's notes.

A file is parsed and checked whole before anything is added to the graph,
so a bad file adds nothing. The longitudinal and Duty to Notify tables are
loaded by :mod:`.tables`.
"""
from __future__ import annotations

from pathlib import Path

from htkg.loaders.base import Record, Source
from htkg.loaders.nrm import tables
from htkg.loaders.nrm.format import (DUTY_TO_NOTIFY, DUTY_TO_NOTIFY_LONGITUDINAL, HEADERS,
                                     LONGITUDINAL, NAME, REFERRALS, coverage, parse_period,
                                     period_of, table_kind)
from htkg.loaders.nrm.referrals import read_referrals

DESCRIPTION = ("National Referral Mechanism statistics: referral tables by first responder, "
               "longitudinal and Duty to Notify tables, CSV")
__all__ = ["DESCRIPTION", "DUTY_TO_NOTIFY", "DUTY_TO_NOTIFY_LONGITUDINAL", "HEADERS",
           "LONGITUDINAL", "NAME", "REFERRALS", "coverage", "parallel", "parse_period",
           "period_of", "read", "recognises", "table_kind"]


def recognises(source: Source) -> bool:
    return table_kind(Path(source.name), source.head()) is not None


def read(source: Source, ctx) -> list[Record]:
    """The records of one NRM table (see the module docstring)."""
    kind = table_kind(Path(source.name), source.head())
    if kind == REFERRALS:
        return read_referrals(source, ctx)
    return tables.read(source, ctx, kind)


def parallel(source: Source) -> bool:
    """Referral tables may be read in worker processes: what they yield depends only
    on the registry and the names loaded before them. The other tables merge
    figures into entities, so they are read here, in order."""
    return table_kind(Path(source.name), source.head()) == REFERRALS
