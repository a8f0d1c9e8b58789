"""Typed errors raised by the htkg library.

The command line turns these into one-line messages; the library never
prints or exits. Every error that comes from an input names where it came
from, so a user can open the file at the right line.
"""
from __future__ import annotations


class HtkgError(Exception):
    """Base class of every error the library raises on purpose."""


class LoadError(HtkgError):
    """An input could not be read: names the file and, where known, the line.

    >>> str(LoadError("unknown kind 'dept'", "registry/organisations.yaml", 12))
    "registry/organisations.yaml:12: unknown kind 'dept'"
    >>> str(LoadError("not a CSV file", "x.csv"))
    'x.csv: not a CSV file'
    """

    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = None if file is None else str(file)
        self.line = line
        super().__init__(str(self))

    def __reduce__(self):
        # Pickled whole (a loader's worker process raises it to the parent).
        return self.__class__, (self.message, self.file, self.line)

    def __str__(self) -> str:
        where = self.file or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class SchemaError(LoadError):
    """The schema files are inconsistent (unknown type, unresolved reference...)."""


class ResolveError(HtkgError):
    """A name could not be resolved to exactly one entity."""

    def __init__(self, message: str, candidates: list[str] | None = None):
        self.candidates = list(candidates or [])
        super().__init__(message)


class StoreError(HtkgError):
    """The graph database could not be reached, opened or written."""


class QueryError(HtkgError):
    """A query was refused (a write in a read-only command, a bad parameter...)."""


class QueryTimeout(QueryError):
    """A query ran past its time limit and was stopped."""
