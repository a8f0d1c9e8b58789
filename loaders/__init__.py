"""Loaders: one adapter per kind of source, behind the protocol of :mod:`.base`.

:data:`LOADERS` lists them in the order they are asked (and their files are
loaded: the registry first, so every name a later file uses can resolve, then
GOV.UK's organisations, which complete the registry entries that extend them);
:func:`route` finds the one that recognises a file. Building from loaders is
:mod:`htkg.pipeline`'s work.

The loaders are imported when first named, not with this package: they pull
in the graph model (and networkx), which a command that only reads the store
does not need, though it looks names up in :mod:`.nationality`.
"""
from __future__ import annotations

from pathlib import Path

from htkg import textfile
from htkg.loaders.base import FileReport, Loader, Source

__all__ = ["FileReport", "LOADERS", "Loader", "Source", "known_kinds", "loaders", "route",
           "unknown_kind"]


def loaders() -> tuple[Loader, ...]:
    """Every loader, in the order they are asked and their files loaded."""
    # deferred: they pull in networkx
    from htkg.loaders import geography, govuk, minutes, nrm, rdf, registry
    return (registry, govuk, geography, minutes, nrm, rdf)


def __getattr__(name: str):
    if name == "LOADERS":
        return loaders()
    raise AttributeError(f"module 'htkg.loaders' has no attribute {name!r}")


def route(source: Source) -> Loader | None:
    """The loader that recognises a file, or None."""
    for loader in loaders():
        if loader.recognises(source):
            return loader
    return None


def known_kinds() -> str:
    """The kinds of file htkg reads, for error messages."""
    return "; ".join(f"{m.NAME} ({m.DESCRIPTION})" for m in loaders())


def unknown_kind(path: Path) -> str:
    """Why no loader took a file, and what to do."""
    if textfile.is_utf16(path):
        return "UTF-16 text: htkg reads text files as UTF-8; save the file as UTF-8 and build again"
    what = "; this file is binary data, not text" if textfile.is_binary(path) else ""
    return f"htkg does not know this kind of file; it reads: {known_kinds()}{what}"
