"""Building the graph: the library entry point every front end calls.

>>> import htkg
>>> result = htkg.build(["minutes.txt"], "./store")      # doctest: +SKIP
>>> result.written.relationships                         # doctest: +SKIP

:func:`build` loads and writes; :func:`load` only loads, into memory (and so
does not import the database driver).
"""
from htkg.pipeline.load import Context, LoadResult, load

__all__ = ["BuildResult", "Context", "LoadResult", "SAMPLE_QUERY", "build", "load"]


def __getattr__(name: str):
    if name in ("BuildResult", "SAMPLE_QUERY", "build"):
        # deferred: the build imports the driver, the writers and the maps
        from htkg.pipeline import building
        return getattr(building, name)
    raise AttributeError(f"module 'htkg.pipeline' has no attribute {name!r}")
