"""Network maps of the stored graph: one self-contained HTML file, or a PNG.

The library entry point is :func:`write_map`::

    from htkg.maps import write_map
    result = write_map("./store", "htkg-map.html")                # overview
    result = write_map(store, "ng.html", focus="Nigeria", depth=2)  # an open Store works too
    print(result.path, result.nodes, result.relationships)

What a map is about is a selection (:mod:`htkg.selection`); drawing it
(:mod:`.subgraph`, which merges parallel relationships), colours and sizes
(:mod:`.style`), positions (:mod:`.layout`) and the two renderers
(:mod:`.html`, :mod:`.png`) are separate so that a map can also be drawn
from a networkx graph built elsewhere (the benchmark does).
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from htkg import selection
from htkg.errors import QueryError
from htkg.graph.store import open_store
from htkg.maps.html import render_html
from htkg.maps.png import render_png
from htkg.maps.style import style_map
from htkg.maps.subgraph import MapGraph, read_map
from htkg.selection import MAX_NODES

FORMATS = ("html", "png")
DEFAULT_NAME = "htkg-map"

__all__ = ["FORMATS", "MAX_NODES", "MapGraph", "MapResult", "read_map", "render", "write_map",
           "default_path", "format_for"]


@dataclass
class MapResult:
    """What :func:`write_map` wrote."""

    path: Path
    format: str
    nodes: int
    relationships: int
    title: str


def format_for(path: str | Path | None, fmt: str | None) -> str:
    """The output format: given, else from the file's suffix, else html."""
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise QueryError(f"unknown map format '{fmt}'; use one of: {', '.join(FORMATS)}")
        return fmt
    suffix = Path(path).suffix.lower().lstrip(".") if path else ""
    return suffix if suffix in FORMATS else "html"


def default_path(fmt: str) -> Path:
    """``htkg-map.html`` or ``htkg-map.png`` in the current directory."""
    return Path.cwd() / f"{DEFAULT_NAME}.{fmt}"


def render(mg: MapGraph, fmt: str = "html", seed: int = 7) -> bytes:
    """The map as file contents (HTML text encoded as UTF-8, or PNG bytes)."""
    styled = style_map(mg, seed=seed)
    if fmt == "png":
        return render_png(styled)
    return render_html(styled).encode("utf-8")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_map(store_or_db=None, path: str | Path | None = None, *, fmt: str | None = None,
              focus: str | None = None, depth: int = 1, query: str | None = None,
              params: dict | None = None, kinds: Iterable[str] = (),
              labels: Iterable[str] = (), title: str | None = None,
              queries_dirs: Iterable[str | Path] = (), seed: int = 7) -> MapResult:
    """Read a map's subgraph from the store and write it as HTML or PNG.

    ``store_or_db`` is an open :class:`~htkg.graph.store.Store`, or what
    ``--db`` takes (a directory, a ``bolt://`` URI, or None for the default).
    ``path`` defaults to ``htkg-map.html`` / ``.png`` in the current
    directory. The file is written to a temporary name and renamed, so a
    failed map never leaves half a file. Raises :class:`QueryError` for a
    map too large to read, :class:`~htkg.errors.ResolveError` for an unknown
    ``focus``.
    """
    fmt = format_for(path, fmt)
    target = Path(path) if path else default_path(fmt)
    suffix = target.suffix.lower().lstrip(".")
    if suffix in FORMATS and suffix != fmt:
        raise QueryError(f"{target.name} ends in .{suffix} but the format asked for is {fmt}; "
                         f"name the file .{fmt} or leave out --format")
    options = dict(focus=focus, depth=depth, query=query, params=params, kinds=list(kinds),
                   labels=list(labels), title=title, queries_dirs=list(queries_dirs))
    # Check what can be checked before a store opens (an embedded open takes seconds).
    selection.check(focus=focus, query=query, params=params, kinds=options["kinds"],
                    labels=options["labels"], queries_dirs=options["queries_dirs"])
    if hasattr(store_or_db, "read"):
        mg = read_map(store_or_db, **options)
    else:
        with open_store(store_or_db) as store:
            mg = read_map(store, **options)
    data = render(mg, fmt, seed=seed)
    write_bytes_atomic(target, data)
    return MapResult(path=target, format=fmt, nodes=mg.g.number_of_nodes(),
                     relationships=mg.g.number_of_edges(), title=mg.title)
