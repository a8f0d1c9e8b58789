"""Load the schema YAML into a validated, immutable model.

Loading is two-pass, after followthemoney: the first pass reads every
label, relationship type and property declaration; the second resolves the
references between them (a relationship's ``between`` labels, its ``key``
properties) and refuses the schema with ``file:line: message`` when any is
unresolved.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from htkg.errors import SchemaError
from htkg.schema.types import TYPES, cleaner
from htkg.yamlfile import line_of as _line, parse_yaml

CORE_SCHEMA = Path(__file__).with_name("core.yaml")


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    required: bool = False
    values: tuple[str, ...] = ()
    description: str = ""
    clean: Callable[[Any], Any] = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Label:
    name: str
    description: str
    properties: dict[str, Property]


@dataclass(frozen=True)
class RelType:
    name: str
    description: str
    between: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    properties: dict[str, Property]
    # Held in memory as one tuple per relationship (see graph/table.py): for
    # types loaded by the hundred thousand, such as REFERRED.
    compact: bool = False

    def key_of(self, props: dict) -> str:
        """The ``key`` a store holds: what tells apart relationships of this type
        between the same two entities (the values of :attr:`key`, joined).

        >>> rel = load_schema().relationships["REFERRED"]
        >>> rel.key_of({"year": 2023, "quarter": 4, "exploitation": "Labour",
        ...             "nationality": "Albanian", "people": 3})
        '2023|4|Labour|Albanian'
        """
        return self.key_from_values([props.get(k) for k in self.key])

    @staticmethod
    def key_from_values(values) -> str:
        """:meth:`key_of` from the key's values, in the order of :attr:`key`."""
        return "|".join("" if v is None else str(v) for v in values)

    def graph_key(self, props: dict) -> str:
        """The in-memory graph's key of one relationship: the type, then :meth:`key_of`.

        >>> load_schema().relationships["OPERATES_IN"].graph_key({})
        'OPERATES_IN|'
        """
        return f"{self.name}|{self.key_of(props)}"


@dataclass(frozen=True)
class Schema:
    labels: dict[str, Label]
    relationships: dict[str, RelType]
    file: str

    def constraint_statements(self) -> list[str]:
        """Cypher DDL: one uniqueness constraint per label on ``id``.

        >>> load_schema().constraint_statements()[0]
        'CREATE CONSTRAINT organisation_id IF NOT EXISTS FOR (n:Organisation) REQUIRE n.id IS UNIQUE'
        """
        return [
            f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS "
            f"FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            for label in self.labels
        ]


def _mapping(node: Any, what: str, file: str, line: int | None) -> dict:
    if node is None:
        return {}
    if not isinstance(node, dict):
        raise SchemaError(f"{what} must be a mapping", file, line)
    return node


def _properties(node: Any, owner: str, file: str, line: int | None) -> dict[str, Property]:
    props: dict[str, Property] = {}
    for name, decl in _mapping(node, f"properties of {owner}", file, line).items():
        at = _line(node, name)
        if not isinstance(decl, dict) or "type" not in decl:
            raise SchemaError(f"property '{name}' of {owner} needs a 'type'", file, at)
        type_name = decl["type"]
        if not isinstance(type_name, str) or (type_name != "enum" and type_name not in TYPES):
            known = ", ".join(sorted([*TYPES, "enum"]))
            raise SchemaError(
                f"property '{name}' of {owner} has unknown type '{type_name}'; known types: {known}",
                file, at)
        values = decl.get("values") or ()
        if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
            raise SchemaError(f"'values' of property '{name}' of {owner} is a list of text",
                              file, at)
        values = tuple(values)
        if type_name == "enum" and not values:
            raise SchemaError(f"enum property '{name}' of {owner} needs 'values'", file, at)
        props[name] = Property(name, type_name, bool(decl.get("required", False)), values,
                               str(decl.get("description", "")), cleaner(type_name, list(values)))
    return props


def parse_schema(text: str, file: str = "<schema>") -> Schema:
    """Parse schema YAML text; raise ``SchemaError`` naming file and line.

    >>> s = parse_schema('''
    ... labels:
    ...   A: {properties: {}}
    ... relationships:
    ...   R: {between: [[A, B]]}
    ... ''', "demo.yaml")
    Traceback (most recent call last):
    ...
    htkg.errors.SchemaError: demo.yaml:5: relationship 'R' names unknown label 'B'; known labels: A
    """
    doc = parse_yaml(text, file, SchemaError)
    doc = _mapping(doc, "the schema", file, 1)
    common = _mapping(doc.get("common"), "common", file, _line(doc, "common"))
    node_common = _properties(common.get("node"), "every node", file, _line(common, "node"))
    rel_common = _properties(common.get("relationship"), "every relationship", file,
                             _line(common, "relationship"))

    # Pass 1: every declaration.
    labels: dict[str, Label] = {}
    raw_labels = _mapping(doc.get("labels"), "labels", file, _line(doc, "labels"))
    if not raw_labels:
        raise SchemaError("the schema declares no labels", file, _line(doc, "labels"))
    for name, decl in raw_labels.items():
        decl = _mapping(decl, f"label {name}", file, _line(raw_labels, name))
        own = _properties(decl.get("properties"), name, file, _line(decl, "properties"))
        labels[name] = Label(name, str(decl.get("description", "")), {**node_common, **own})

    raw_rels = _mapping(doc.get("relationships"), "relationships", file, _line(doc, "relationships"))
    pending = []
    for name, decl in raw_rels.items():
        decl = _mapping(decl, f"relationship {name}", file, _line(raw_rels, name))
        own = _properties(decl.get("properties"), name, file, _line(decl, "properties"))
        pending.append((name, decl, {**rel_common, **own}))

    # Pass 2: resolve references.
    rels: dict[str, RelType] = {}
    for name, decl, props in pending:
        at = _line(decl, "between") or _line(raw_rels, name)
        pairs = decl.get("between")
        if not isinstance(pairs, list) or not pairs:
            raise SchemaError(f"relationship '{name}' needs 'between': a list of [source, target] labels",
                              file, at)
        between = []
        for pair in pairs:
            if not isinstance(pair, list) or len(pair) != 2:
                raise SchemaError(f"relationship '{name}': each 'between' entry is [source, target]",
                                  file, at)
            for label in pair:
                if not isinstance(label, str) or label not in labels:
                    raise SchemaError(f"relationship '{name}' names unknown label '{label}'; "
                                      f"known labels: {', '.join(labels)}", file, at)
            between.append((pair[0], pair[1]))
        key = decl.get("key") or ()
        if not isinstance(key, (list, tuple)) or not all(isinstance(k, str) for k in key):
            raise SchemaError(f"relationship '{name}': 'key' is a list of its property names",
                              file, _line(decl, "key"))
        key = tuple(key)
        for k in key:
            if k not in props:
                raise SchemaError(f"relationship '{name}' has key '{k}' that is not one of its "
                                  f"properties", file, _line(decl, "key"))
        compact = decl.get("compact", False)
        if not isinstance(compact, bool):
            raise SchemaError(f"relationship '{name}': 'compact' is true or false",
                              file, _line(decl, "compact"))
        if compact and any(p.type == "strings" for n, p in props.items() if n != "sources"):
            raise SchemaError(f"relationship '{name}': a compact relationship type holds single "
                              f"values only, not lists", file, _line(decl, "compact"))
        rels[name] = RelType(name, str(decl.get("description", "")), tuple(between), key, props,
                             compact)
    return Schema(labels, rels, file)


def read_schema(path: str | Path) -> Schema:
    """Read a schema file (see :func:`parse_schema`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot read the schema: {exc}", str(path)) from None
    return parse_schema(text, str(path))


@lru_cache(maxsize=1)
def load_schema() -> Schema:
    """The bundled core schema, loaded once per process on first use."""
    return read_schema(CORE_SCHEMA)
