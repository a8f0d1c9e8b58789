"""Network maps of the stored graph: one self-contained HTML file, or a PNG.

The library entry point is :func:`write_map`::

    from htkg.maps import write_map
    result = write_map("./store", "htkg-map.html")                # overview, by kind
    result = write_map("./store", "all.html", everything=True)    # every entity and link
    result = write_map(store, "vn.png", focus="Vietnam", top=10)  # an open Store works too
    print(result.path, result.nodes, result.relationships, result.more)

What a map is about is a selection (:mod:`htkg.selection`), or for the
default overview a summary by kind (:mod:`.kinds`); drawing it
(:mod:`.subgraph`, which merges parallel relationships; :mod:`.strongest`,
which keeps the strongest links for ``--top``), colours and sizes
(:mod:`.style`), positions (:mod:`.layout`), names (:mod:`.labels`) and the
two renderers (:mod:`.html`, :mod:`.png`) are separate so that a map can also
be drawn from a networkx graph built elsewhere (the benchmark does).
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
from htkg.maps.kinds import read_summary
from htkg.maps.png import render_png
from htkg.maps.strongest import strongest
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
    #: Links left out by ``top`` (0 when every link is drawn).
    more: int = 0
    #: Whether the map is the overview summed up by kind.
    summary: bool = False


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


def render(mg: MapGraph, fmt: str = "html", seed: int = 7, *, top: int | None = None) -> bytes:
    """The map as file contents (HTML text encoded as UTF-8, or PNG bytes);
    with ``top``, only its ``top`` strongest links (:mod:`.strongest`)."""
    if top is not None:
        mg = strongest(mg, top)
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
              queries_dirs: Iterable[str | Path] = (), seed: int = 7, top: int | None = None,
              everything: bool = False) -> MapResult:
    """Read a map's subgraph from the store and write it as HTML or PNG.

    ``store_or_db`` is an open :class:`~htkg.graph.store.Store`, or what
    ``--db`` takes (a directory, a ``bolt://`` URI, or None for the default).
    ``path`` defaults to ``htkg-map.html`` / ``.png`` in the current
    directory. The file is written to a temporary name and renamed, so a
    failed map never leaves half a file.

    Without ``focus``, ``query``, ``kinds``, ``labels`` or ``top``, the map is
    the overview summed up by kind (:mod:`.kinds`), which reads aggregates
    only; ``everything=True`` draws every entity and link instead. ``top``
    keeps only the ``top`` strongest links (people referred, else
    relationships) and says how many more there are.

    Raises :class:`QueryError` for a map too large to read or options that
    clash, :class:`~htkg.errors.ResolveError` for an unknown ``focus``.
    """
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise QueryError(f"top takes a number of links of 1 or more, not {top!r}")
    if top is not None and everything:
        raise QueryError("give --top N or --all, not both: --all draws every link")
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
    summary = not (focus or query or options["kinds"] or options["labels"] or top or everything)

    def read(store) -> MapGraph:
        return read_summary(store, title) if summary else read_map(store, **options)
    if hasattr(store_or_db, "read"):
        mg = read(store_or_db)
    else:
        with open_store(store_or_db) as store:
            mg = read(store)
    if top is not None:
        mg = strongest(mg, top)
    data = render(mg, fmt, seed=seed)
    write_bytes_atomic(target, data)
    return MapResult(path=target, format=fmt, nodes=mg.g.number_of_nodes(),
                     relationships=mg.g.number_of_edges(), title=mg.title,
                     more=mg.cut.more if mg.cut else 0, summary=summary)
