"""The official neo4j driver, imported without its optional numpy and pandas.

The driver imports numpy and pandas (and pyarrow) when they are installed,
only to accept their arrays and frames as query parameters. htkg passes
plain Python values, and numpy alone is a fifth of the start-up of a command
that reads the store (``python -X importtime -m htkg stats``). So the
driver is imported here with them hidden, and they import normally
afterwards; the read path (:mod:`htkg.graph.store`, :mod:`htkg.selection`)
takes the driver from here. When numpy is loaded already (a map, an
export), nothing is hidden: the driver is the same either way for htkg.

>>> from htkg.graph.driver import neo4j
>>> neo4j.GraphDatabase.__name__
'GraphDatabase'
"""
from __future__ import annotations

import sys

_OPTIONAL = ("numpy", "pandas", "pyarrow")


def _import_without_optional():
    """``import neo4j`` with the optional packages it looks for hidden (an
    entry of None in ``sys.modules`` makes their import fail at once)."""
    if "neo4j" in sys.modules:
        return sys.modules["neo4j"]
    hidden = [name for name in _OPTIONAL if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None
    try:
        import neo4j  # deferred: imported with the optional packages hidden, above
        return neo4j
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]


neo4j = _import_without_optional()
GraphDatabase = neo4j.GraphDatabase
exceptions = neo4j.exceptions

__all__ = ["GraphDatabase", "exceptions", "neo4j"]
