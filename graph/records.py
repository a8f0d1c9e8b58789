"""The typed records that loaders yield and the graph model consumes.

A loader knows nothing about where its records go: the in-memory model,
the store writers and the exporters all read the same records.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Node:
    """One entity: a label, a stable id, its properties and where it came from."""

    label: str
    id: str
    props: dict = field(default_factory=dict)
    source: str = ""


@dataclass
class Edge:
    """One relationship between two entities, by id."""

    type: str
    source_id: str
    target_id: str
    props: dict = field(default_factory=dict)
    source: str = ""


def provenance(loader: str, file: str | Path, line: int | None = None,
               paragraph: str | None = None) -> str:
    """Return the provenance string stored in a fact's ``sources`` list.

    >>> provenance("registry", "registry/organisations.yaml", line=12)
    'registry/organisations.yaml:12 (registry)'
    >>> provenance("minutes", "idmg.txt", paragraph="4.5")
    'idmg.txt ¶4.5 (minutes)'
    """
    where = str(file)
    if paragraph is not None:
        where = f"{where} ¶{paragraph}"
    elif line is not None:
        where = f"{where}:{line}"
    return f"{where} ({loader})"


def slugify(text: str) -> str:
    """Lower-case ASCII slug used for ids.

    >>> slugify("Barnardo's")
    'barnardos'
    >>> slugify("Home Office - UK Visas & Immigration")
    'home-office-uk-visas-and-immigration'
    """
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.replace("&", " and ").lower()
    text = re.sub(r"['’]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
