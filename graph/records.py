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
    """One entity: a label, a stable id, its properties and where it came from.

    ``completed_by`` marks a partial entity: its required properties (a name,
    a kind) come from another file of the same build, which this text names
    (a registry entry that extends GOV.UK's record of a body says so). The
    model checks them once every file has loaded.
    """

    label: str
    id: str
    props: dict = field(default_factory=dict)
    source: str = ""
    completed_by: str | None = None


@dataclass
class Edge:
    """One relationship between two entities, by id."""

    type: str
    source_id: str
    target_id: str
    props: dict = field(default_factory=dict)
    source: str = ""


_PROVENANCE = re.compile(r"^(?P<file>.*?)(?::(?P<line>\d+)| ¶(?P<para>\S+))? \((?P<loader>[\w-]+)\)$")


@dataclass
class Unresolved:
    """A name a loader could not resolve to an entity, and where it was seen."""

    name: str
    kind: str
    source: str


@dataclass(frozen=True)
class Provenance:
    """Where a fact came from: a file (or dataset), a line or a paragraph, and the
    loader that read it. Stored in a fact's ``sources`` list as its string form.

    >>> str(Provenance("registry/organisations.yaml", "registry", line=12))
    'registry/organisations.yaml:12 (registry)'
    >>> p = Provenance.parse("idmg.txt ¶4.5 (minutes)")
    >>> p.file, p.paragraph, p.loader, p.where
    ('idmg.txt', '4.5', 'minutes', 'idmg.txt ¶4.5')
    >>> Provenance.parse("pycountry:iso3166-1#NG (registry)").dataset
    'pycountry:iso3166-1'
    >>> Provenance.parse("written by hand").file
    'written by hand'
    """

    file: str
    loader: str = ""
    line: int | None = None
    paragraph: str | None = None

    @classmethod
    def parse(cls, text: str) -> "Provenance":
        """Read a stored provenance string; text in no known form is kept whole as the file."""
        m = _PROVENANCE.match(text or "")
        if not m:
            return cls(text or "")
        return cls(m["file"], m["loader"], int(m["line"]) if m["line"] else None, m["para"])

    @property
    def where(self) -> str:
        """The file with its line (``f.yaml:12``) or paragraph (``m.txt ¶4.5``)."""
        if self.paragraph is not None:
            return f"{self.file} ¶{self.paragraph}"
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    @property
    def dataset(self) -> str:
        """The file or dataset alone, without an entry within it (``#NG``)."""
        return self.file.split("#", 1)[0]

    def __str__(self) -> str:
        return f"{self.where} ({self.loader})" if self.loader else self.where


def provenance(loader: str, file: str | Path, line: int | None = None,
               paragraph: str | None = None) -> str:
    """The provenance string stored in a fact's ``sources`` list (see :class:`Provenance`).

    >>> provenance("registry", "registry/organisations.yaml", line=12)
    'registry/organisations.yaml:12 (registry)'
    >>> provenance("minutes", "idmg.txt", paragraph="4.5")
    'idmg.txt ¶4.5 (minutes)'
    """
    return str(Provenance(str(file), loader, None if paragraph is not None else line, paragraph))


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
