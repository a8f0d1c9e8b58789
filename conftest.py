"""pytest: collect each library module's doctests from the module htkg itself uses.

pyproject.toml turns on ``--doctest-modules`` over the repository root. The
root is the package ``htkg`` (``package-dir = {"htkg" = "."}``), so pytest,
left alone, would import ``graph/model.py`` a second time as a top-level
``graph.model`` to find its doctests. Here they come from ``htkg.graph.model``
instead, and files that are not library modules (tests, benchmarks, the docs
generator, this file, ``__main__.py``) have no doctests collected.
"""
from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from _pytest.doctest import DoctestModule

ROOT = Path(__file__).resolve().parent
NOT_LIBRARY = {"tests", "bench", "docs", "scripts"}   # top-level folders outside the package


def library_module(path: Path) -> str | None:
    """``htkg.graph.model`` for ``graph/model.py``; None for a file outside the library."""
    try:
        rel = Path(path).resolve().relative_to(ROOT)
    except ValueError:
        return None
    if rel.parts[0] in NOT_LIBRARY or rel.name in ("conftest.py", "__main__.py"):
        return None
    parts = rel.with_suffix("").parts
    return ".".join(("htkg", *(parts[:-1] if parts[-1] == "__init__" else parts)))


class LibraryDoctests(DoctestModule):
    """The doctests of one library module, imported under its ``htkg.`` name."""

    def _getobj(self):
        return importlib.import_module(library_module(self.path))


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: Path, parent):
    collected = yield
    kept = []
    for node in collected or []:
        if type(node) is DoctestModule:
            if library_module(file_path) is None:
                continue
            node = LibraryDoctests.from_parent(parent, path=file_path)
        kept.append(node)
    return kept
