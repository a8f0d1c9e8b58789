"""Interchange formats: GraphML and GEXF (Gephi, yEd, Cytoscape), node-link
JSON (D3, networkx), and neo4j-admin CSV files (Neo4j's offline importer).

GraphML and GEXF are written by networkx from one directed multigraph whose
nodes carry ``label`` (the entity's name, what Gephi shows), ``category``
(its schema label: Organisation, Country...) and every property but ``id``
(the node id is the entity id); edges carry ``label`` (the relationship
type) and every property. Lists are flattened to text joined with ``"; "``
(GraphML and GEXF have no list values); numbers and booleans keep their type.

Node-link JSON keeps lists as arrays: nodes ``{"id", "category", ...}``,
links ``{"source", "target", "type", ...}``; ``networkx.node_link_graph(data,
edges="links")`` reads it.

neo4j-csv writes a folder: ``nodes_<Label>.csv`` with headers such as
``id:ID(Organisation)``, ``:LABEL``, ``name:string``, ``aliases:string[]``,
``people:int``; ``relationships_<TYPE>_<Start>_<End>.csv`` with
``:START_ID(Start)``, ``:END_ID(End)``, ``:TYPE``, ``key:string`` (the key
``htkg build`` merges on) and the properties; ``import.sh`` with the
``neo4j-admin database import full`` command line; ``constraints.cypher``
with the id constraints; ``restore-values.cypher``; and ``README.txt``.

Text cells that start like a spreadsheet formula carry a leading ``'``
(:func:`htkg.output.csv_cell`); ``restore-values.cypher`` sets those values
back exactly once the import is done. The folder carries htkg's mark file,
and an existing folder is replaced only when it carries it.
"""
from __future__ import annotations

import json
import shlex
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

import networkx as nx

from htkg.errors import HtkgError
from htkg.exports.files import atomic_folder, atomic_text, temporary_path
from htkg.graph.model import KnowledgeGraph
from htkg.output import csv_cell

Progress = Callable[[str, int, int], None]
LIST_JOIN = "; "
RESTORE = "restore-values.cypher"
# Attribute names GraphML/GEXF give a meaning of their own (or that we use).
_NODE_RESERVED = {"label", "category", "id", "pid", "start", "end"}
_EDGE_RESERVED = {"label", "id", "key", "type", "weight", "start", "end"}


def _flat(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_JOIN.join(str(v) for v in value)
    return value


def _attr_name(name: str, reserved: set[str]) -> str:
    return f"{name}_" if name in reserved else name


def interchange_graph(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """The graph as a networkx MultiDiGraph with flat, typed attributes."""
    g = nx.MultiDiGraph(name="htkg")
    for node_id in sorted(kg.g.nodes):
        data = kg.g.nodes[node_id]
        props = data["props"]
        attrs: dict[str, Any] = {"label": str(props.get("name", node_id)),
                                 "category": data["label"]}
        for k, v in props.items():
            if k == "id" or v is None or v == [] or v == "":
                continue
            attrs[_attr_name(k, _NODE_RESERVED)] = _flat(v)
        g.add_node(node_id, **attrs)
    for n, (a, b, _key, rel_type, props) in enumerate(kg.sorted_relationships()):
        attrs = {"label": rel_type}
        for k, v in props.items():
            if v is None or v == [] or v == "":
                continue
            attrs[_attr_name(k, _EDGE_RESERVED)] = _flat(v)
        g.add_edge(a, b, key=f"e{n}", **attrs)
    return g


def write_graphml(kg: KnowledgeGraph, path: str | Path) -> dict:
    g = interchange_graph(kg)
    with temporary_path(path) as tmp:
        nx.write_graphml(g, tmp, encoding="utf-8", prettyprint=True, named_key_ids=False)
    return {"nodes": g.number_of_nodes(), "relationships": g.number_of_edges()}


def write_gexf(kg: KnowledgeGraph, path: str | Path) -> dict:
    g = interchange_graph(kg)
    for _, _, data in g.edges(data=True):
        data.pop("id", None)
    with temporary_path(path) as tmp:
        nx.write_gexf(g, tmp, encoding="utf-8", prettyprint=True, version="1.2draft")
    return {"nodes": g.number_of_nodes(), "relationships": g.number_of_edges()}


def node_link(kg: KnowledgeGraph) -> dict:
    """Node-link data: lists stay arrays; no internal keys."""
    nodes = []
    for node_id in sorted(kg.g.nodes):
        data = kg.g.nodes[node_id]
        item = {"id": node_id, "category": data["label"]}
        item.update({_attr_name(k, {"id", "category"}): v
                     for k, v in data["props"].items() if k != "id" and v is not None})
        nodes.append(item)
    links = []
    for n, (a, b, _key, rel_type, props) in enumerate(kg.sorted_relationships()):
        item = {"source": a, "target": b, "key": n, "type": rel_type}
        item.update({_attr_name(k, {"source", "target", "key", "type"}): v
                     for k, v in props.items() if v is not None})
        links.append(item)
    return {"directed": True, "multigraph": True, "graph": {"name": "htkg"},
            "nodes": nodes, "links": links}


def write_node_link(kg: KnowledgeGraph, path: str | Path) -> dict:
    data = node_link(kg)
    with atomic_text(path) as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return {"nodes": len(data["nodes"]), "relationships": len(data["links"])}


# -- neo4j-admin CSV ----------------------------------------------------------------
_NEO4J_TYPES = {
    "int": "int", "float": "double", "bool": "boolean", "strings": "string[]",
    # dates stay ISO strings, as htkg's own writer stores them, so that htkg's
    # queries read a bulk-imported graph exactly like a built one
    "date": "string",
}
# Array delimiters, the first one no array value holds. The last, U+001F (the
# unit separator), cannot occur: every text value is refused with a control
# character in it (schema/types.py), so an alias holding every other one
# never breaks the export.
_DELIMITERS = [";", "|", "¦", "\u241e", "\x1f"]


def _neo4j_type(prop, value: Any = None) -> str:
    if prop is not None:
        return _NEO4J_TYPES.get(prop.type, "string")
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, list):
        return "string[]"
    return "string"


def _cell(value: Any, delimiter: str) -> str:
    if value is None or value == []:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return delimiter.join(str(v) for v in value)
    return str(value)


def _text_cell(value: Any, delimiter: str) -> str:
    """A cell of a text or text-array column: neutralised like every CSV htkg writes."""
    return csv_cell(_cell(value, delimiter))


def _delimiter_option(delimiter: str) -> str:
    """The delimiter as neo4j-admin reads it on a command line (U+001F for a control)."""
    return delimiter if delimiter.isprintable() else f"U+{ord(delimiter):04X}"


def _csv(cell: str, force: bool = False) -> str:
    """One CSV field; ``force`` quotes it even when empty (neo4j-admin reads an
    unquoted empty field as no value, and a quoted one as the empty string)."""
    if force or any(c in cell for c in ',"\n\r') or cell != cell.strip():
        return '"' + cell.replace('"', '""') + '"'
    return cell


def _row(cells: list[str], forced: int = -1) -> str:
    return ",".join(_csv(c, i == forced) for i, c in enumerate(cells)) + "\n"


def _pick_delimiter(kg: KnowledgeGraph) -> str:
    """The first candidate no array value holds (the last can hold none)."""
    used: dict[str, str] = {}
    owners = [(f"{label} '{node_id}'", props) for node_id, label, props in kg.nodes()]
    owners += [(f"{t} from '{a}' to '{b}'", props) for a, b, t, props in kg.edges()]
    for owner, props in owners:
        for k, v in props.items():
            if isinstance(v, list):
                for c in _DELIMITERS:
                    if c not in used and any(c in str(x) for x in v):
                        used[c] = f"'{k}' of {owner}"
    for c in _DELIMITERS:
        if c not in used:
            return c
    raise HtkgError(f"cannot write the neo4j-csv export: {used[_DELIMITERS[-1]]} holds a control "
                    f"character (U+001F), which a graph built by htkg never holds; rebuild the "
                    f"graph with 'htkg build'")


def _cells(props: dict, cols: list[tuple[str, str]], delimiter: str) -> list[str]:
    """The CSV cells of one row's properties; text neutralised (see :func:`_text_cell`)."""
    return [_text_cell(props.get(k), delimiter) if t.startswith("string")
            else _cell(props.get(k), delimiter) for k, t in cols]


def _changed(props: dict, cols: list[tuple[str, str]], cells: list[str],
             delimiter: str) -> list[tuple[str, Any]]:
    """(property, exact value) of the cells neutralisation changed."""
    return [(k, props[k]) for (k, _), c in zip(cols, cells)
            if props.get(k) not in (None, []) and c != _cell(props[k], delimiter)]


def _literal(value: Any) -> str:
    """A Cypher literal of a text or a list of texts (JSON's escapes are Cypher's)."""
    return json.dumps(value, ensure_ascii=False)


def _columns(owner_props: dict, rows: list[dict]) -> list[tuple[str, str]]:
    """(property, neo4j type) for every property present, schema order first."""
    present: dict[str, Any] = {}
    for props in rows:
        for k, v in props.items():
            if v is not None and v != [] and k not in present:
                present[k] = v
    cols = [(k, _neo4j_type(p)) for k, p in owner_props.items() if k in present and k != "id"]
    cols += [(k, _neo4j_type(None, v)) for k, v in sorted(present.items())
             if k not in owner_props and k != "id"]
    return cols


def neo4j_command(node_files: list[str], rel_files: list[str], delimiter: str,
                  multiline: bool, database: str = "neo4j", folder: str | None = None,
                  raw_database: bool = False) -> str:
    """The ``neo4j-admin database import full`` command line for these files
    (``raw_database``: ``database`` is shell text, such as ``"${1:-neo4j}"``)."""
    def where(name: str) -> str:
        return str(Path(folder) / name) if folder else name
    parts = ["--overwrite-destination", f"--array-delimiter={_delimiter_option(delimiter)}"]
    if multiline:
        parts.append("--multiline-fields=true")
    parts += [f"--nodes={where(f)}" for f in node_files]
    parts += [f"--relationships={where(f)}" for f in rel_files]
    words = ["neo4j-admin database import full"] + [shlex.quote(p) for p in parts]
    words.append(database if raw_database else shlex.quote(database))
    return " \\\n  ".join(words)


def write_neo4j_csv(kg: KnowledgeGraph, folder: str | Path,
                    progress: Progress | None = None) -> dict:
    """Write the neo4j-admin import folder; return counts, files and the command."""
    schema = kg.schema
    folder = Path(folder)
    delimiter = _pick_delimiter(kg)
    multiline = False
    by_label: dict[str, list[tuple[str, dict]]] = defaultdict(list)
    for node_id, label, props in kg.nodes():
        by_label[label].append((node_id, props))
    by_rel: dict[tuple[str, str, str], list[tuple[str, str, dict]]] = defaultdict(list)
    for a, b, rel_type, props in kg.edges():
        by_rel[(rel_type, kg.label_of(a), kg.label_of(b))].append((a, b, props))
    total = kg.size()
    done = 0
    node_files: list[str] = []
    rel_files: list[str] = []
    restore: list[str] = []
    with atomic_folder(folder, "htkg export --format neo4j-csv") as tmp:
        for label in sorted(by_label):
            rows = sorted(by_label[label], key=lambda r: r[0])
            declared = schema.labels[label].properties if label in schema.labels else {}
            cols = _columns(declared, [p for _, p in rows])
            name = f"nodes_{label}.csv"
            with open(tmp / name, "w", encoding="utf-8", newline="") as f:
                f.write(_row([f"id:ID({label})", ":LABEL", *(f"{k}:{t}" for k, t in cols)]))
                for node_id, props in rows:
                    cells = _cells(props, cols, delimiter)
                    multiline = multiline or any("\n" in c or "\r" in c for c in cells)
                    f.write(_row([node_id, label, *cells]))
                    changed = _changed(props, cols, cells, delimiter)
                    if changed:
                        restore.append(f"MATCH (n:`{label}` {{id: {_literal(node_id)}}}) SET "
                                       + ", ".join(f"n.`{k}` = {_literal(v)}" for k, v in changed)
                                       + ";\n")
            node_files.append(name)
            done += len(rows)
            if progress:
                progress("neo4j-csv", done, total)
        for (rel_type, la, lb) in sorted(by_rel):
            rows = sorted(by_rel[(rel_type, la, lb)], key=lambda r: (r[0], r[1]))
            rel = schema.relationships.get(rel_type)
            declared = rel.properties if rel else {}
            cols = _columns(declared, [p for _, _, p in rows])
            name = f"relationships_{rel_type}_{la}_{lb}.csv"
            with open(tmp / name, "w", encoding="utf-8", newline="") as f:
                f.write(_row([f":START_ID({la})", f":END_ID({lb})", ":TYPE", "key:string",
                              *(f"{k}:{t}" for k, t in cols)]))
                for a, b, props in rows:
                    # the key htkg's writer merges on (empty for types without key
                    # properties, written "" so that it is stored, not left out)
                    key = rel.key_of(props) if rel else ""
                    written_key = csv_cell(key)
                    cells = _cells(props, cols, delimiter)
                    multiline = multiline or any("\n" in c or "\r" in c for c in cells)
                    f.write(_row([a, b, rel_type, written_key, *cells], forced=3))
                    changed = _changed(props, cols, cells, delimiter)
                    if written_key != key:
                        changed.append(("key", key))
                    if changed:
                        restore.append(
                            f"MATCH (:`{la}` {{id: {_literal(a)}}})-[r:`{rel_type}`]->"
                            f"(:`{lb}` {{id: {_literal(b)}}}) "
                            f"WHERE r.key = {_literal(written_key)} "
                            "SET " + ", ".join(f"r.`{k}` = {_literal(v)}" for k, v in changed)
                            + ";\n")
            rel_files.append(name)
            done += len(rows)
            if progress:
                progress("neo4j-csv", done, total)
        relative = neo4j_command(node_files, rel_files, delimiter, multiline)
        (tmp / "import.sh").write_text(
            "#!/bin/sh\n"
            "# Load this folder into an empty (or replaced) Neo4j database, offline:\n"
            f"# stop Neo4j first; then start it and run constraints.cypher and {RESTORE}.\n"
            "# Usage: sh import.sh [DATABASE]   (default: neo4j)\n"
            'cd "$(dirname "$0")" || exit 1\n'
            + neo4j_command(node_files, rel_files, delimiter, multiline,
                            database='"${1:-neo4j}"', raw_database=True) + "\n",
            encoding="utf-8")
        (tmp / "constraints.cypher").write_text(
            "".join(s + ";\n" for s in schema.constraint_statements()), encoding="utf-8")
        (tmp / RESTORE).write_text(
            "// Text values that start like a spreadsheet formula (=, +, -, @, tab) are written\n"
            "// to these CSV files with a leading ' so that no spreadsheet runs them. Run this\n"
            "// file after the import to set them back exactly "
            f"({len(restore)} entities and relationships).\n" + "".join(restore),
            encoding="utf-8")
        (tmp / "README.txt").write_text(
            "htkg graph for neo4j-admin bulk import\n\n"
            f"{len(node_files)} node files and {len(rel_files)} relationship files; "
            f"{kg.g.number_of_nodes()} nodes, {kg.number_of_relationships()} relationships.\n"
            f"Arrays are delimited by '{_delimiter_option(delimiter)}'. Dates are ISO strings, "
            "as htkg stores them.\n"
            "Text that starts like a spreadsheet formula (=, +, -, @, tab) has a leading ' in\n"
            f"these files, so that no spreadsheet runs it; {RESTORE} sets it back.\n"
            "Each relationship has the 'key' property htkg build merges on, so a later\n"
            "'htkg build --db neo4j://...' updates this graph in place.\n\n"
            "With Neo4j stopped, from this folder:\n\n"
            + relative + "\n\n"
            "Then start Neo4j and run constraints.cypher and restore-values.cypher\n"
            "(cypher-shell -f constraints.cypher; cypher-shell -f restore-values.cypher).\n",
            encoding="utf-8")
    command = neo4j_command(node_files, rel_files, delimiter, multiline,
                            folder=str(folder.resolve()))
    return {"nodes": kg.g.number_of_nodes(), "relationships": kg.number_of_relationships(),
            "files": node_files + rel_files, "command": command, "delimiter": delimiter}
