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

from htkg.errors import LoadError
from htkg.loaders.nrm import tables
from htkg.loaders.nrm.format import (DUTY_TO_NOTIFY, DUTY_TO_NOTIFY_LONGITUDINAL, HEADERS,
                                     LONGITUDINAL, NAME, REFERRALS, parse_period, period_of,
                                     table_kind)
from htkg.loaders.nrm.referrals import apply_referrals, load_referrals, prepare_referrals

DESCRIPTION = ("National Referral Mechanism statistics: referral tables by first responder, "
               "longitudinal and Duty to Notify tables, CSV")
__all__ = ["DESCRIPTION", "DUTY_TO_NOTIFY", "DUTY_TO_NOTIFY_LONGITUDINAL", "HEADERS",
           "LONGITUDINAL", "NAME", "REFERRALS", "apply", "load", "parse_period", "period_of",
           "prepare", "recognises", "table_kind"]


def recognises(path: Path, head: str) -> bool:
    return table_kind(path, head) is not None


def load(path: Path, ctx) -> "FileReport":
    """Load one NRM table into ``ctx.kg`` (see the module docstring)."""
    head = _read_head(path)
    kind = table_kind(path, head)
    if kind == REFERRALS:
        return load_referrals(path, ctx)
    return tables.load(path, ctx, kind)


def prepare(path: Path, ctx):
    """A referral table read and checked, ready for :func:`apply`; None for the
    other tables (loaded by :func:`load`). Changes nothing in ``ctx``, so
    many tables may be prepared at once (see :mod:`htkg.loaders.parallel`)."""
    if table_kind(path, _read_head(path)) != REFERRALS:
        return None
    return prepare_referrals(path, ctx)


def apply(prepared, ctx) -> "FileReport":
    """Add what :func:`prepare` read to ``ctx.kg``."""
    return apply_referrals(prepared, ctx)


def _read_head(path: Path) -> str:
    try:
        with open(path, "rb") as f:
            return f.read(4096).decode("utf-8", errors="replace")
    except OSError as exc:
        raise LoadError(f"cannot read the file: {exc.strerror}", path.name) from None
