"""Saved, parameterised Cypher queries (``queries/*.cypher``) and how to run them.

``load_catalogue`` reads the bundled queries and folders of one's own;
``run_query`` binds typed parameters (names resolved through the store) and
runs the query read-only; ``with_caveat`` puts a query's caveat on each row.
"""
from htkg.queries.catalogue import (Catalogue, Param, SavedQuery, load_catalogue, parse_query,
                                    read_query, used_parameters, user_dirs)
from htkg.queries.params import TYPES, bind
from htkg.queries.running import run_query, with_caveat

__all__ = ["Catalogue", "Param", "SavedQuery", "TYPES", "bind", "load_catalogue", "parse_query",
           "read_query", "run_query", "used_parameters", "user_dirs", "with_caveat"]
