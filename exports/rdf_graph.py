"""RDF through rdflib: an in-memory rdflib graph of the export, parsing RDF
files, and reading an exported (or hand-written) graph back into records.

Writing the serialisations is :mod:`htkg.exports.rdf`'s streaming code;
this module is the other direction, used by ``htkg build graph.ttl`` and
``htkg validate``.
"""
from __future__ import annotations

import codecs
import json
import logging
from pathlib import Path
from typing import Any, Iterable

from htkg.errors import LoadError
from htkg.exports import terms as T
from htkg.exports.rdf import Subject, subjects
from htkg.exports.terms import Lit, terms_for
from htkg.graph.model import KnowledgeGraph
from htkg.graph.records import Edge, Node

def _rdflib_term(o: Any):
    from rdflib import Literal, URIRef
    if isinstance(o, Lit):
        return Literal(o.value, datatype=URIRef(o.datatype) if o.datatype else None)
    return URIRef(o)


def to_rdflib(kg: KnowledgeGraph, items: Iterable[Subject] | None = None):
    """``kg`` as an rdflib ``Graph`` (with the project's prefixes bound)."""
    from rdflib import Graph, URIRef
    g = Graph()
    bind(g)
    for s, pairs in (subjects(kg) if items is None else items):
        s_ref = URIRef(s)
        for p, o in pairs:
            g.add((s_ref, URIRef(p), _rdflib_term(o)))
    return g


def bind(g) -> None:
    for p, ns in T.PREFIXES.items():
        g.bind(p, ns, override=True, replace=True)


RDF_PARSE_FORMATS = {".ttl": "turtle", ".turtle": "turtle", ".jsonld": "json-ld",
                     ".json-ld": "json-ld", ".nt": "nt", ".ntriples": "nt"}


def parse_file(path: str | Path, fmt: str | None = None):
    """Parse an RDF file into an rdflib ``Graph``; syntax errors become LoadError."""
    from rdflib import Graph
    path = Path(path)
    fmt = fmt or RDF_PARSE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError("cannot tell the RDF syntax from the file name; use .ttl, .jsonld or .nt",
                        str(path))
    _check_text(path, fmt)
    g = Graph()
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    term_log.setLevel(logging.ERROR)     # ill-typed literals: SHACL or the graph reports them
    try:
        g.parse(str(path), format=fmt)
    except OSError as exc:
        raise LoadError(f"cannot read the file: {exc.strerror or exc}", str(path)) from None
    except Exception as exc:  # rdflib raises many kinds of syntax errors
        # Turtle's BadSyntax has the reason, the text and the offset (its own line
        # count is off at the end of the file).
        why, text, at = (getattr(exc, a, None) for a in ("_why", "_str", "_i"))
        line = (text[:at].count(b"\n" if isinstance(text, bytes) else "\n") + 1
                if why and isinstance(text, (bytes, str)) and isinstance(at, int) else None)
        message = " ".join(str(why or exc).split())[:400] or type(exc).__name__
        raise LoadError(f"not valid {fmt}: {message}; correct the file, or export it again "
                        f"with 'htkg export'", str(path), line) from None
    finally:
        term_log.setLevel(level)
    return g


def _check_text(path: Path, fmt: str) -> None:
    """Refuse, before rdflib sees it, what is not RDF text in UTF-8 (with the
    line of the first bad byte), and JSON-LD that would make rdflib fetch a
    context from the network or the disk (a remote ``@context``/``@import``)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LoadError(f"cannot read the file: {exc.strerror or exc}", str(path)) from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise LoadError(f"UTF-16 text, but {fmt} is read as UTF-8: save the file as UTF-8",
                        str(path), 1)
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise LoadError("binary data (a NUL byte), not RDF text: give a Turtle (.ttl), JSON-LD "
                        "(.jsonld) or N-Triples (.nt) file such as 'htkg export' writes",
                        str(path), raw.count(b"\n", 0, nul) + 1)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoadError(f"not UTF-8 text (byte 0x{raw[exc.start]:02x}): save the file as UTF-8",
                        str(path), raw.count(b"\n", 0, exc.start) + 1) from None
    if fmt != "json-ld":
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LoadError(f"not valid JSON ({exc.msg}, column {exc.colno}): the file may be "
                        f"truncated; export it again", str(path), exc.lineno) from None
    except RecursionError:
        raise LoadError("not valid json-ld: nested too deeply", str(path)) from None
    if not isinstance(doc, (dict, list)):
        raise LoadError("not valid json-ld: a JSON-LD document is an object or a list of "
                        "objects", str(path), 1)
    todo = [doc]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo.extend(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                refs = value if isinstance(value, list) else [value]
                named = [v for v in refs if isinstance(v, str)]
                if key in ("@context", "@import") and named:
                    raise LoadError(f"{key} {named[0]!r} would be fetched from elsewhere; htkg "
                                    f"fetches nothing: write the context into the file, as "
                                    f"'htkg export' does", str(path))
                todo.append(value)


def _python(lit, prop_type: str) -> Any:
    """An rdflib literal as the value the schema's cleaner expects."""
    from rdflib import Literal
    if not isinstance(lit, Literal):
        raise ValueError(f"expected a literal value, got the resource <{lit}>")
    if prop_type == "bool":
        value = lit.toPython()
        return value if isinstance(value, bool) else str(lit)
    if prop_type == "float":
        value = lit.toPython()
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) \
            else str(lit)
    if prop_type == "int":
        value = lit.toPython()
        return value if isinstance(value, int) and not isinstance(value, bool) else str(lit)
    return str(lit)


def records_from_rdflib(g, origin: str = "<rdf>") -> tuple[list[Node], list[Edge], list[str]]:
    """Node and Edge records from an rdflib graph in the export's form.

    Each record is yielded once per provenance string (the graph unions
    them). Returns (nodes, edges, notes)."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF as R
    from htkg.schema.model import load_schema
    schema = load_schema()
    terms = terms_for(schema)
    type_ref, label_ref = R.type, URIRef(T.LABEL)
    derived = URIRef(T.DERIVED_FROM)
    notes: list[str] = []
    origin_source = f"{origin} (rdf)"

    def source_text(o) -> str:
        if isinstance(o, Literal):
            return str(o)
        label = g.value(o, label_ref)
        if label is None:
            return str(o)
        return str(label)

    def fail(what: str, message: str) -> LoadError:
        return LoadError(f"{what}: {message}", origin)

    def short(iri) -> str:
        text = str(iri)
        for p, ns in T.PREFIXES.items():
            if text.startswith(ns):
                return f"{p}:{text[len(ns):]}"
        return f"<{text}>"

    def read_props(s, owner: str, declared: dict, what: str, ignore: set) -> tuple[dict, list[str]]:
        props: dict[str, Any] = {}
        sources: list[str] = []
        for p, o in g.predicate_objects(s):
            if p == derived:
                sources.append(source_text(o))
                continue
            if p in ignore:
                continue
            p_text = str(p)
            if not p_text.startswith(T.VOCAB):
                continue        # rdfs:label, owl:sameAs...: not part of the schema
            name = terms.prop_name(owner, p_text)
            if name is None:
                if p_text in terms.property_rel:
                    continue
                name = terms.props[p_text].name if p_text in terms.props else terms.local(p_text)
                props[name] = str(o)          # the graph refuses it, naming the property
                continue
            prop = declared[name]
            try:
                value = _python(o, prop.type)
            except ValueError as exc:
                raise fail(what, f"property '{name}': {exc}") from None
            if prop.type == "strings":
                props.setdefault(name, []).append(value)
            elif name in props and props[name] != value:
                raise fail(what, f"property '{name}' has several values "
                                 f"({props[name]!r}, {value!r}); it takes one")
            else:
                props[name] = value
        return props, sorted(set(sources))

    nodes: list[Node] = []
    iri_ids: dict[Any, str] = {}
    for cls, label in terms.class_label.items():
        lab = schema.labels[label]
        for s in g.subjects(type_ref, URIRef(cls)):
            what = short(s)
            if not isinstance(s, URIRef):
                raise fail(what, f"a {label} needs an IRI, not a blank node")
            node_id = T.id_of(str(s))
            if node_id is None:
                ident = g.value(s, URIRef(terms.prop(label, "id").iri))
                if ident is None:
                    raise fail(what, f"a {label} needs an IRI under {T.ENTITY} or an htkg:id")
                node_id = str(ident)
            if s in iri_ids:
                raise fail(what, "is typed with two labels; an entity has one")
            iri_ids[s] = node_id
            props, sources = read_props(s, label, lab.properties, what, {type_ref})
            given_id = props.pop("id", node_id)
            if given_id != node_id:
                raise fail(what, f"htkg:id '{given_id}' does not match the IRI's id '{node_id}'")
            for i, src in enumerate(sources or [origin_source]):
                nodes.append(Node(label, node_id, props if i == 0 else {}, src))

    edges: list[Edge] = []
    covered: set[tuple[str, str, str]] = set()
    statement_subjects = set(g.subjects(URIRef(T.PREDICATE), None))
    for cls in terms.class_rel:
        statement_subjects.update(g.subjects(type_ref, URIRef(cls)))
    ignore = {type_ref, URIRef(T.SUBJECT), URIRef(T.PREDICATE), URIRef(T.OBJECT)}
    for st in sorted(statement_subjects, key=str):
        what = short(st)
        pred = g.value(st, URIRef(T.PREDICATE))
        rel_type = terms.property_rel.get(str(pred)) if pred is not None else None
        if rel_type is None:
            cls = next((terms.class_rel[str(c)] for c in g.objects(st, type_ref)
                        if str(c) in terms.class_rel), None)
            rel_type = cls
        if rel_type is None:
            raise fail(what, f"statement of unknown relationship {short(pred) if pred else '?'}; "
                             f"known: {', '.join(schema.relationships)}")
        ends = []
        for end in (T.SUBJECT, T.OBJECT):
            o = g.value(st, URIRef(end))
            if o is None:
                raise fail(what, f"{rel_type} statement has no {short(end)}")
            ends.append(iri_ids.get(o) or T.id_of(str(o)) or str(o))
        rel = schema.relationships[rel_type]
        props, sources = read_props(st, rel_type, rel.properties, what, ignore)
        covered.add((ends[0], rel_type, ends[1]))
        for src in sources or [origin_source]:
            edges.append(Edge(rel_type, ends[0], ends[1], props, src))

    direct = 0
    for p_iri, rel_type in terms.property_rel.items():
        for s, o in g.subject_objects(URIRef(p_iri)):
            a = iri_ids.get(s) or T.id_of(str(s)) or str(s)
            b = iri_ids.get(o) or T.id_of(str(o)) or str(o)
            if (a, rel_type, b) not in covered:
                edges.append(Edge(rel_type, a, b, {}, origin_source))
                covered.add((a, rel_type, b))
                direct += 1
    if direct:
        notes.append(f"{direct} direct relationship triples without a statement were read "
                     f"as relationships without properties")
    return nodes, edges, notes


def load_into(kg: KnowledgeGraph, g, origin: str) -> tuple[int, list[str]]:
    """Add the records of an rdflib graph to ``kg``; errors name ``origin``
    and the entity or statement, not the provenance carried inside."""
    nodes, edges, notes = records_from_rdflib(g, origin)
    for record in (*nodes, *edges):
        try:
            kg.add(record)
        except LoadError as exc:
            if isinstance(record, Node):
                what = "entity:" + record.id
            else:
                what = f"{record.type} from entity:{record.source_id} to entity:{record.target_id}"
            raise LoadError(f"{what}: {exc.message}", origin) from None
    return len(nodes) + len(edges), notes


def from_rdflib(g, origin: str = "<rdf>") -> KnowledgeGraph:
    kg = KnowledgeGraph()
    load_into(kg, g, origin)
    return kg
