"""Building the graph: the library entry point every front end calls.

>>> import htkg
>>> result = htkg.build(["minutes.txt"], "./store")      # doctest: +SKIP
>>> result.written.relationships                         # doctest: +SKIP

:func:`build` loads and writes; :func:`load` only loads, into memory.
"""
from htkg.pipeline.build import SAMPLE_QUERY, BuildResult, build
from htkg.pipeline.load import Context, LoadResult, load

__all__ = ["BuildResult", "Context", "LoadResult", "SAMPLE_QUERY", "build", "load"]
