"""The bundled stakeholder registry: YAML written by the team, plus ISO countries.

Each registry file is a YAML list of entries. The file name says which label
its entries take (``organisations.yaml`` holds Organisations...); a file of
one's own may instead be a mapping ``{label: Organisation, entries: [...]}``.
Relationship keys (``part_of``, ``regulates``, ``succeeded_by``...) become
edges. Every record carries ``file:line`` provenance, and every entry cites a
public source in ``citation``.

Countries come from pycountry (ISO 3166-1), with the demonyms of
``data/demonyms.csv`` as aliases so that "Nigerian" finds Nigeria.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import pycountry

from htkg.errors import LoadError
from htkg.graph.model import KnowledgeGraph, where
from htkg.graph.records import Edge, Node, provenance
from htkg.graph.resolver import invisible_in, shown_form
from htkg.yamlfile import line_of, read_yaml

LOADER = "registry"
REGISTRY_DIR = Path(__file__).resolve().parent.parent / "data" / "registry"

FILE_LABELS = {
    "organisations": "Organisation",
    "police_forces": "Organisation",
    "people": "Person",
    "sectors": "Sector",
    "nations": "Country",
    "initiatives": "Initiative",
}

# Entry keys that become relationships: key -> (type, direction). "out" means
# entry -> target, "in" means target -> entry.
LINKS = {
    "part_of": ("PART_OF", "out"),
    "succeeded_by": ("SUCCEEDED_BY", "out"),
    "regulates": ("REGULATES", "out"),
    "operates_in": ("OPERATES_IN", "out"),
    "active_in": ("ACTIVE_IN", "out"),
    "works_with": ("WORKS_WITH", "out"),
    "member_of": ("MEMBER_OF", "out"),
    "led_by": ("LEADS", "in"),
}
# Keys that are not node properties and not links.
_SKIP = {"id"}
# Kosovo has no ISO 3166-1 code; XK is the user-assigned code in common use.
_EXTRA_COUNTRIES = [("XK", "XKX", "Kosovo", "https://www.iso.org/obp/ui/#search/code/")]


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REGISTRY_DIR.parent.parent))
    except ValueError:
        return str(path)


def _label_for(path: Path, doc: Any, shown: str) -> tuple[str, list]:
    if isinstance(doc, dict):
        label, entries = doc.get("label"), doc.get("entries")
        if not isinstance(label, str) or not isinstance(entries, list):
            raise LoadError("a registry file is a list of entries, or a mapping with "
                            "'label' and 'entries'", shown, line_of(doc))
        return label, entries
    if isinstance(doc, list):
        label = FILE_LABELS.get(path.stem)
        if label is None:
            raise LoadError(f"cannot tell which label these entries take: name the file one of "
                            f"{', '.join(f + '.yaml' for f in FILE_LABELS)}, or write it as "
                            f"'label: Organisation' with 'entries:'", shown)
        return label, doc
    if doc is None:
        return FILE_LABELS.get(path.stem, "Organisation"), []
    raise LoadError("a registry file is a YAML list of entries", shown, 1)


def _link_targets(value: Any) -> list[tuple[str, dict]]:
    """A link value is an id, a list of ids, or a list of {id: ..., other props}."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if isinstance(item, dict):
            props = {k: v for k, v in item.items() if k != "id"}
            out.append((item.get("id"), props))
        else:
            out.append((item, {}))
    return out


def file_records(path: str | Path) -> tuple[list[Node], list[Edge]]:
    """Parse one registry file into node and edge records (not yet validated)."""
    path = Path(path)
    shown = _shown(path)
    doc = read_yaml(path, shown)
    label, entries = _label_for(path, doc, shown)
    nodes: list[Node] = []
    edges: list[Edge] = []
    container = doc["entries"] if isinstance(doc, dict) else doc
    for i, entry in enumerate(entries):
        at = line_of(container, i)
        if not isinstance(entry, dict):
            raise LoadError("each entry is a mapping with at least 'id' and 'name'", shown, at)
        entry_id = entry.get("id")
        if not isinstance(entry_id, str) or not entry_id:
            raise LoadError("entry has no 'id'", shown, at)
        props = {}
        for key, value in entry.items():
            if key in _SKIP:
                continue
            if key in LINKS:
                rel_type, direction = LINKS[key]
                src = provenance(LOADER, shown, line_of(entry, key))
                for target, rel_props in _link_targets(value):
                    if not isinstance(target, str):
                        raise LoadError(f"'{key}' of '{entry_id}' needs ids", shown,
                                        line_of(entry, key))
                    a, b = (entry_id, target) if direction == "out" else (target, entry_id)
                    edges.append(Edge(rel_type, a, b, dict(rel_props), src))
                continue
            if key == "nation" and isinstance(value, str):
                value = [value]
            props[key] = _plain(value)
        nodes.append(Node(label, entry_id, props, provenance(LOADER, shown, at)))
    return nodes, edges


def _plain(value: Any) -> Any:
    """ruamel containers to plain Python values."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def country_records() -> Iterator[Node]:
    """Every ISO 3166-1 country, with demonyms as aliases."""
    from htkg.loaders.nationality import default_resolver as nationalities
    demonyms = nationalities().demonyms_for
    version = getattr(pycountry, "__version__", "")
    rows = [(c.alpha_2, c.alpha_3, getattr(c, "common_name", None) or c.name,
             [getattr(c, "official_name", None), c.name]) for c in pycountry.countries]
    rows += [(a2, a3, name, []) for a2, a3, name, _ in _EXTRA_COUNTRIES]
    for alpha2, alpha3, name, other in rows:
        if alpha2 == "GB":
            continue  # the UK and its nations come from nations.yaml
        aliases = list(dict.fromkeys(n for n in [*other, *demonyms(alpha2)] if n and n != name))
        yield Node("Country", f"country-{alpha2.lower()}",
                   {"name": name, "iso2": alpha2, "iso3": alpha3, "aliases": aliases,
                    "citation": "ISO 3166-1 via pycountry " + version},
                   provenance(LOADER, f"pycountry:iso3166-1#{alpha2}"))


def _odd(name: str) -> list[str]:
    """Invisible characters and spaces other than U+0020, as U+XXXX."""
    return invisible_in(name) + [f"U+{ord(c):04X}" for c in name if c.isspace() and c != " "]


def _names(props: dict) -> list[str]:
    return [n for n in [props.get("name"), *(props.get("aliases") or [])] if isinstance(n, str)]


def check_lookalikes(kg: KnowledgeGraph, nodes: list[Node]) -> None:
    """Refuse a new entry (an id not yet in the graph) whose name or alias differs
    from a name or alias of another entity of its label only by characters that do
    not show (a zero-width space, a soft hyphen, a bidi mark, a no-break space): it
    would pass for that body in every listing while being a second one. A name
    written exactly the same is a homonym (two people called Sam Carter), which
    resolution then asks about ("could mean several").
    """
    labels = {n.label for n in nodes}
    seen: dict[tuple[str, str], tuple[str, str, str]] = {}   # (label, shown) -> name, id, where
    for node_id, label, props in kg.nodes():
        if label in labels:
            for name in _names(props):
                seen.setdefault((label, shown_form(name)),
                                (name, node_id, (props.get("sources") or [""])[0]))
    for node in nodes:
        if node.id in kg.g:
            continue        # more about a body already there: merged, not a new body
        for name in _names(node.props):
            other = seen.get((node.label, shown_form(name)))
            if other is not None and other[1] != node.id and other[0] != name:
                raise _lookalike(node, name, *other)
        for name in _names(node.props):
            seen.setdefault((node.label, shown_form(name)), (name, node.id, node.source))


def _lookalike(node: Node, name: str, old_name: str, old_id: str, old_source: str) -> LoadError:
    file, line = where(node.source)
    old_file, old_line = where(old_source)
    at = f", {old_file}:{old_line}" if old_line else (f", {old_file}" if old_file else "")
    odd = sorted(set(_odd(name)) ^ set(_odd(old_name)))
    how = (f"name {ascii(name)} differs from '{old_name}' ({old_id}{at}) only by "
           f"characters that do not show ({', '.join(odd) or 'spacing'})")
    return LoadError(f"{node.label} '{node.id}': {how}; to add to that body use its id "
                     f"'{old_id}', else give this one a name of its own, written plainly",
                     file, line)


def registry_files(directory: Path = REGISTRY_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def load_registry(kg: KnowledgeGraph, files: list[Path] | None = None,
                  countries: bool = True) -> None:
    """Add the registry to a graph: all nodes first, then every relationship."""
    files = registry_files() if files is None else files
    if countries:
        kg.add_all(country_records())
    parsed = [file_records(f) for f in files]
    for nodes, _ in parsed:
        check_lookalikes(kg, nodes)
        kg.add_all(nodes)
    for _, edges in parsed:
        kg.add_all(edges)


@lru_cache(maxsize=1)
def registry_graph() -> KnowledgeGraph:
    """The bundled registry alone, built once per process. Do not modify it."""
    kg = KnowledgeGraph()
    load_registry(kg)
    return kg


NAME = "registry"
DESCRIPTION = "stakeholder registry entries, YAML"


def recognises(path: Path, head: str) -> bool:
    return path.suffix.lower() in (".yaml", ".yml")


def load(path: Path, ctx) -> "FileReport":
    """Load a registry file of one's own into the graph being built."""
    from htkg.loaders import FileReport
    before = ctx.kg.size()
    nodes, edges = file_records(path)
    check_lookalikes(ctx.kg, nodes)
    ctx.kg.add_all(nodes)
    ctx.kg.add_all(edges)
    after = ctx.kg.size()
    return FileReport(str(path), NAME, rows=len(nodes), records=after - before)
