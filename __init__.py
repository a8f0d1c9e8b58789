"""htkg: a knowledge graph of the UK bodies that fight human trafficking.

The library's entry points, loaded on first use so that ``import htkg`` stays fast::

    import htkg
    result = htkg.build(["../shared/data/nrm"], "./store")
    print(result.written.nodes, result.written.relationships)
"""
from __future__ import annotations

__all__ = ["BuildResult", "build", "load"]


def __getattr__(name: str):
    if name in __all__:
        from htkg import pipeline   # deferred: the build pulls in the driver and the loaders
        return getattr(pipeline, name)
    raise AttributeError(f"module 'htkg' has no attribute {name!r}")
