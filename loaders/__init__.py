"""Loaders: one adapter per kind of source, behind the protocol of :mod:`.base`.

:data:`LOADERS` lists them in the order they are asked (and their files are
loaded: the registry first, so every name a later file uses can resolve, then
GOV.UK's organisations, which complete the registry entries that extend them);
:func:`route` finds the one that recognises a file. Building from loaders is
:mod:`htkg.pipeline`'s work.
"""
from __future__ import annotations

from pathlib import Path

from htkg import textfile
from htkg.loaders import geography, govuk, minutes, nrm, rdf, registry
from htkg.loaders.base import FileReport, Loader, Source

#: Every loader, in the order they are asked and their files loaded.
LOADERS: tuple[Loader, ...] = (registry, govuk, geography, minutes, nrm, rdf)

__all__ = ["FileReport", "LOADERS", "Loader", "Source", "known_kinds", "route", "unknown_kind"]


def route(source: Source) -> Loader | None:
    """The loader that recognises a file, or None."""
    for loader in LOADERS:
        if loader.recognises(source):
            return loader
    return None


def known_kinds() -> str:
    """The kinds of file htkg reads, for error messages."""
    return "; ".join(f"{m.NAME} ({m.DESCRIPTION})" for m in LOADERS)


def unknown_kind(path: Path) -> str:
    """Why no loader took a file, and what to do."""
    if textfile.is_utf16(path):
        return "UTF-16 text: htkg reads text files as UTF-8; save the file as UTF-8 and build again"
    what = "; this file is binary data, not text" if textfile.is_binary(path) else ""
    return f"htkg does not know this kind of file; it reads: {known_kinds()}{what}"
