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
from typing import Any, Iterable, Iterator

import pycountry

from htkg.errors import LoadError
from htkg.graph.model import KnowledgeGraph
from htkg.graph.records import Edge, Node, provenance
from htkg.graph.resolver import Resolver
from htkg.graph.succession import annotate as annotate_status
from htkg.loaders import govuk, nationality
from htkg.loaders.base import Note, Record, RowsRead, Source
from htkg.yamlfile import line_of, parse_yaml

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
#: The UK's four nations, as ISO 3166-2 codes.
UK_NATIONS = ("GB-ENG", "GB-NIR", "GB-SCT", "GB-WLS")
#: Shorthands an entry's ``nation`` may use for several nations (ISO 3166-2 has the
#: last three): the whole UK, Great Britain, England and Wales.
NATION_GROUPS = {"UK": UK_NATIONS, "GB-UKM": UK_NATIONS,
                 "GB-GBN": ("GB-ENG", "GB-SCT", "GB-WLS"), "GB-EAW": ("GB-ENG", "GB-WLS")}
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
        label = FILE_LABELS.get(Source(path).stem)
        if label is None:
            raise LoadError(f"cannot tell which label these entries take: name the file one of "
                            f"{', '.join(f + '.yaml' for f in FILE_LABELS)}, or write it as "
                            f"'label: Organisation' with 'entries:'", shown)
        return label, doc
    if doc is None:
        return FILE_LABELS.get(Source(path).stem, "Organisation"), []
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
    doc = parse_yaml(Source(path).text(shown, "YAML text", "save the file as UTF-8 text"), shown)
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
            if key == "nation":
                value = nations(value, shown, line_of(entry, key))
            props[key] = _plain(value)
        slug = entry.get("govuk_slug")
        partial = (f"GOV.UK's record '{slug}' (the GOV.UK organisations file)"
                   if isinstance(slug, str) and "name" not in entry else None)
        nodes.append(Node(label, entry_id, props, provenance(LOADER, shown, at),
                          completed_by=partial))
    return nodes, edges


def nations(value: Any, shown: str = "<registry>", line: int | None = None) -> Any:
    """An entry's ``nation`` as the nations' codes: shorthands written out, and the
    ambiguous "GB" refused.

    >>> nations("UK"), nations(["GB-GBN"]), nations(["GB-WLS", "GB-ENG"])
    (['GB-ENG', 'GB-NIR', 'GB-SCT', 'GB-WLS'], ['GB-ENG', 'GB-SCT', 'GB-WLS'], ['GB-WLS', 'GB-ENG'])
    >>> nations("GB", "a.yaml", 7)
    Traceback (most recent call last):
    ...
    htkg.errors.LoadError: a.yaml:7: nation 'GB' is ambiguous (the United Kingdom, or Great Britain without Northern Ireland?): write UK for the whole United Kingdom, GB-GBN for Great Britain (England, Scotland and Wales), or the nations' codes (GB-ENG, GB-NIR, GB-SCT, GB-WLS)
    """
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        return value            # the model refuses it, saying what it expects
    out: list = []
    for item in items:
        code = item.strip().upper() if isinstance(item, str) else item
        if code == "GB":
            raise LoadError("nation 'GB' is ambiguous (the United Kingdom, or Great Britain "
                            "without Northern Ireland?): write UK for the whole United Kingdom, "
                            "GB-GBN for Great Britain (England, Scotland and Wales), or the "
                            "nations' codes (GB-ENG, GB-NIR, GB-SCT, GB-WLS)", shown, line)
        out += [c for c in NATION_GROUPS.get(code, (item,)) if c not in out]
    return out


def _plain(value: Any) -> Any:
    """ruamel containers to plain Python values."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def country_records() -> Iterator[Node]:
    """Every ISO 3166-1 country, with demonyms as aliases."""
    demonyms = nationality.default_resolver().demonyms_for
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


def registry_files(directory: Path = REGISTRY_DIR) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def records(files: list[Path] | None = None, countries: bool = True) -> Iterator[Record]:
    """The registry's records: countries, then every file's entities, then every
    relationship (so a relationship may name an entity of a later file)."""
    files = registry_files() if files is None else files
    if countries:
        yield from country_records()
    parsed = [file_records(f) for f in files]
    for nodes, _ in parsed:
        yield from nodes
    for _, edges in parsed:
        yield from edges


def load_registry(kg: KnowledgeGraph, files: list[Path] | None = None,
                  countries: bool = True) -> None:
    """Add the registry to a graph (see :func:`records`)."""
    kg.add_all(records(files, countries))


@lru_cache(maxsize=1)
def registry_graph() -> KnowledgeGraph:
    """The bundled registry, completed by the GOV.UK organisations that ship with it
    (:mod:`htkg.loaders.govuk`), with each body's status as a build writes it; built once
    per process. Do not modify it."""
    kg = KnowledgeGraph()
    load_registry(kg)
    govuk.load_into(kg)
    kg.check_complete()
    annotate_status(kg)
    return kg


@lru_cache(maxsize=1)
def default_resolver() -> Resolver:
    """The resolver over the bundled registry, built once per process."""
    return Resolver.from_graph(registry_graph())


NAME = "registry"
DESCRIPTION = "stakeholder registry entries, YAML"


def recognises(source: Source) -> bool:
    return source.suffix in (".yaml", ".yml")


def read(source: Source, ctx) -> Iterable[Record]:
    """A registry file of one's own: its entities, then its relationships, then a note
    for each body it names otherwise than the graph already does (GOV.UK's name, kind
    or parent): what is loaded first is shown."""
    nodes, edges = file_records(source.path)
    yield RowsRead(len(nodes))
    yield from nodes
    yield from edges
    for text in differences(nodes, edges, ctx):
        yield Note(text)


def differences(nodes: list[Node], edges: list[Edge], ctx) -> list[str]:
    """Where a file's entries name, class or place a body already loaded otherwise."""
    out = []
    parents: dict[str, set[str]] = {}
    for e in edges:
        if e.type == "PART_OF":
            parents.setdefault(e.source_id, set()).add(e.target_id)
    for node in nodes:
        found = ctx.entity(node.id)
        if found is None or found[0] != node.label:
            continue
        known = found[1]
        who = f"{known.get('name') or node.id} ({node.id})"
        name = node.props.get("name")
        if name and known.get("name") and name != known["name"]:
            out.append(f"{who}: this file names it '{name}', which is an alias; "
                       f"'{known['name']}', loaded first, is shown")
        kind = node.props.get("kind")
        if kind and known.get("kind") and kind != known["kind"]:
            out.append(f"{who}: kind {kind} in this file; {known['kind']}, loaded first, "
                       f"is shown")
        theirs = set(ctx.related(node.id, "PART_OF"))
        ours = parents.get(node.id, set())
        if theirs and ours and ours != theirs:
            out.append(f"{who}: part of {', '.join(sorted(ours))} in this file, of "
                       f"{', '.join(sorted(theirs))} as loaded; both are kept")
    return out
