"""The graph as RDF, and back.

Every entity becomes a resource ``entity:<id>`` typed with its label's class,
with one triple per property value (lists as repeated values), an
``rdfs:label`` (its name), and ``prov:wasDerivedFrom`` to one
``htkg:SourceRecord`` per provenance string (``rdfs:label`` holds the string
itself; ``htkg:sourceFile``, ``htkg:sourceLine`` or ``htkg:sourceParagraph``
and ``htkg:loader`` its parts).

Every relationship becomes a qualified node ``statement:<a>--<type>--<b>``
(plus a hash of its key values when a type may link the same two entities
several times, as REFERRED does per year, quarter, exploitation type and
nationality), typed ``htkg:<Type>Statement``, with ``rdf:subject``,
``rdf:predicate`` and ``rdf:object`` (the RDF reification vocabulary: no
RDF-star), its properties and its own ``prov:wasDerivedFrom``. The direct
triple (``entity:a htkg:referred entity:b``) is written too, for simple SPARQL;
reading back takes relationships from the statements (a direct triple that
no statement covers becomes a relationship without properties).

Triples are produced once, in a neutral form (IRIs as ``str``, literals as
:class:`~htkg.exports.terms.Lit`), grouped by subject, and then either
streamed to Turtle, N-Triples or JSON-LD (fast, constant memory per subject)
or put in an rdflib ``Graph`` (:func:`to_rdflib`). Reading back
(:func:`records_from_rdflib`) goes through rdflib's parsers and yields
records for the :class:`KnowledgeGraph`, which validates them.
"""
from __future__ import annotations

import io
import json
import logging
import math
import re
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO

from htkg.errors import LoadError
from htkg.exports import terms as T
from htkg.exports.terms import Lit, Terms, terms_for
from htkg.graph.model import KnowledgeGraph
from htkg.graph.records import Edge, Node

Progress = Callable[[str, int, int], None]
Subject = tuple[str, list[tuple[str, Any]]]     # (subject IRI, [(predicate IRI, object)])


# -- KnowledgeGraph -> triples ---------------------------------------------------
def lexical(value: Any) -> str:
    """The lexical form of a Python value.

    >>> lexical(True), lexical(12), lexical(1.5), lexical("x")
    ('true', '12', '1.5', 'x')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        return repr(value)
    return str(value)


def _datatype_of(value: Any, declared: str) -> str | None:
    if declared != T.XSD_STRING:
        return declared
    if isinstance(value, bool):
        return T.XSD_BOOLEAN
    if isinstance(value, int):
        return T.XSD_INTEGER
    if isinstance(value, float):
        return T.XSD_DOUBLE
    return None


def _values(terms: Terms, owner: str, props: dict, skip: tuple[str, ...]) -> list[tuple[str, Lit]]:
    out = []
    for name, value in props.items():
        if name in skip or value is None:
            continue
        term = terms.prop(owner, name)
        seen = set()
        for v in value if isinstance(value, list) else [value]:
            if v is None or (v, type(v)) in seen:
                continue        # RDF holds a set of values: a repeated one is one triple
            seen.add((v, type(v)))
            dt = _datatype_of(v, term.datatype)
            out.append((term.iri, Lit(lexical(v), None if dt == T.XSD_STRING else dt)))
    return out


def subjects(kg: KnowledgeGraph, progress: Progress | None = None,
             sources: bool = True) -> Iterator[Subject]:
    """Every subject of the RDF form of ``kg`` with its (predicate, object) pairs:
    entities (sorted by id), then statements, then source records."""
    terms = terms_for(kg.schema)
    seen_sources: dict[str, str] = {}
    total = kg.g.number_of_nodes() + kg.g.number_of_edges()
    done = 0

    def provenance(items: list, texts: list[str]) -> None:
        for text in texts or []:
            iri = seen_sources.get(text)
            if iri is None:
                iri = seen_sources[text] = T.source_iri(text)
            items.append((T.DERIVED_FROM, iri))

    for node_id in sorted(kg.g.nodes):
        data = kg.g.nodes[node_id]
        label, props = data["label"], data["props"]
        items: list[tuple[str, Any]] = [
            (T.TYPE, terms.label_class.get(label, T.VOCAB + label)),
            (terms.prop(label, "id").iri, Lit(node_id)),
        ]
        if props.get("name") is not None:
            items.append((T.LABEL, Lit(str(props["name"]))))
        items += _values(terms, label, props, ("id", "sources"))
        provenance(items, props.get("sources"))
        direct = sorted({(d["type"], b) for _, b, d in kg.g.out_edges(node_id, data=True)})
        items += [(terms.rel_property.get(t, T.VOCAB + T.camel(t)), T.entity_iri(b))
                  for t, b in direct]
        yield T.entity_iri(node_id), items
        done += 1
        if progress and done % 5000 == 0:
            progress("RDF", done, total)
    edges = sorted(kg.g.edges(keys=True, data=True), key=lambda e: (e[0], e[3]["type"], e[1], e[2]))
    for a, b, key, data in edges:
        rel_type, props = data["type"], data["props"]
        rel = kg.schema.relationships.get(rel_type)
        keyed = bool(rel.key) if rel else True
        items = [
            (T.TYPE, terms.rel_class.get(rel_type, T.VOCAB + T.pascal(rel_type) + "Statement")),
            (T.SUBJECT, T.entity_iri(a)),
            (T.PREDICATE, terms.rel_property.get(rel_type, T.VOCAB + T.camel(rel_type))),
            (T.OBJECT, T.entity_iri(b)),
        ]
        items += _values(terms, rel_type, props, ("sources",))
        provenance(items, props.get("sources"))
        yield T.statement_iri(a, rel_type, b, key, keyed), items
        done += 1
        if progress and done % 5000 == 0:
            progress("RDF", done, total)
    if progress:
        progress("RDF", total, total)
    if not sources:
        return
    for text, iri in seen_sources.items():
        file, line, para, loader = T.split_provenance(text)
        items = [(T.TYPE, T.SOURCE_CLASS), (T.LABEL, Lit(text)), (T.SOURCE_FILE, Lit(file))]
        if line is not None:
            items.append((T.SOURCE_LINE, Lit(str(line), T.XSD_INTEGER)))
        if para is not None:
            items.append((T.SOURCE_PARAGRAPH, Lit(para)))
        if loader is not None:
            items.append((T.LOADER, Lit(loader)))
        yield iri, items


# -- serialisers ------------------------------------------------------------------
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')
_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_INTEGER = re.compile(r"^[+-]?\d+$")


def _escape_char(m: re.Match) -> str:
    c = m.group(0)
    return _ESCAPES.get(c) or f"\\u{ord(c):04X}"


def quote_literal(text: str) -> str:
    r"""A string literal valid in both Turtle and N-Triples.

    >>> quote_literal('a "b"\nc')
    '"a \\"b\\"\\nc"'
    """
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'


def _iri_nt(iri: str) -> str:
    return f"<{iri}>"


class _Compactor:
    """Prefixed names for IRIs in the project's namespaces (Turtle and JSON-LD)."""

    def __init__(self, prefixes: dict[str, str]):
        # longest namespace first, so entity: wins over a shorter base
        self.pairs = sorted(((ns, p) for p, ns in prefixes.items()), key=lambda x: -len(x[0]))
        self.cache: dict[str, str | None] = {}

    def __call__(self, iri: str) -> str | None:
        hit = self.cache.get(iri, False)
        if hit is not False:
            return hit
        out = None
        for ns, prefix in self.pairs:
            if iri.startswith(ns):
                local = iri[len(ns):]
                if _LOCAL.match(local):
                    out = f"{prefix}:{local}"
                break
        if len(self.cache) < 10000 or iri.startswith(T.VOCAB):
            self.cache[iri] = out
        return out


def write_ntriples(items: Iterable[Subject], out: TextIO) -> int:
    """Write N-Triples; return the number of triples."""
    n = 0
    for s, pairs in items:
        s_nt = _iri_nt(s)
        lines = []
        for p, o in pairs:
            if isinstance(o, Lit):
                obj = quote_literal(o.value) + (f"^^<{o.datatype}>" if o.datatype else "")
            else:
                obj = _iri_nt(o)
            lines.append(f"{s_nt} <{p}> {obj} .\n")
        out.write("".join(lines))
        n += len(lines)
    return n


def write_turtle(items: Iterable[Subject], out: TextIO,
                 prefixes: dict[str, str] | None = None, header: str = "") -> int:
    """Write Turtle, one block per subject; return the number of triples."""
    prefixes = prefixes or T.PREFIXES
    compact = _Compactor(prefixes)
    if header:
        out.write("".join(f"# {line}\n" for line in header.splitlines()))
    for p, ns in prefixes.items():
        out.write(f"@prefix {p}: <{ns}> .\n")
    out.write("\n")

    def term(iri: str) -> str:
        return compact(iri) or _iri_nt(iri)

    def obj(o: Any) -> str:
        if not isinstance(o, Lit):
            return term(o)
        if o.datatype == T.XSD_INTEGER and _INTEGER.match(o.value):
            return o.value
        if o.datatype == T.XSD_BOOLEAN and o.value in ("true", "false"):
            return o.value
        text = quote_literal(o.value)
        return text + ("^^" + term(o.datatype) if o.datatype else "")

    n = 0
    for s, pairs in items:
        groups: dict[str, list[str]] = {}
        for p, o in pairs:
            groups.setdefault(p, []).append(obj(o))
            n += 1
        parts = []
        for p, objs in groups.items():
            pred = "a" if p == T.TYPE else term(p)
            parts.append(f"{pred} {', '.join(objs)}")
        out.write(f"{term(s)} " + " ;\n    ".join(parts) + " .\n\n")
    return n


# JSON-LD keys for the fixed terms; a vocabulary term with one of these names
# is written as a compact IRI instead.
_JSONLD_FIXED = {
    "label": T.LABEL, "subject": T.SUBJECT, "predicate": T.PREDICATE, "object": T.OBJECT,
    "wasDerivedFrom": T.DERIVED_FROM,
}


def jsonld_context(kg_schema) -> dict:
    """The inline JSON-LD context: prefixes, ``@vocab``, and type coercions."""
    terms = terms_for(kg_schema)
    ctx: dict[str, Any] = {p: ns for p, ns in T.PREFIXES.items() if p not in ("sh",)}
    ctx["@vocab"] = T.VOCAB
    for key, iri in _JSONLD_FIXED.items():
        ctx[key] = {"@id": _short(iri), "@type": "@id"} if key != "label" else _short(iri)
    reserved = set(ctx)
    for iri in terms.property_rel:
        local = terms.local(iri)
        if local not in reserved:
            ctx[local] = {"@id": _short(iri), "@type": "@id"}
    for iri, term in terms.props.items():
        local = terms.local(iri)
        if local in reserved:
            continue
        if term.datatype not in (T.XSD_STRING, T.XSD_INTEGER, T.XSD_BOOLEAN):
            ctx[local] = {"@id": _short(iri), "@type": _short(term.datatype)}
    return ctx


def _short(iri: str) -> str:
    for p, ns in T.PREFIXES.items():
        if iri.startswith(ns) and p in ("htkg", "xsd", "rdf", "rdfs", "prov"):
            return f"{p}:{iri[len(ns):]}"
    return iri


def write_jsonld(items: Iterable[Subject], out: TextIO, schema) -> int:
    """Write compact JSON-LD (an inline context and an ``@graph`` array, one
    object per subject); return the number of triples."""
    ctx = jsonld_context(schema)
    compact = _Compactor({k: v for k, v in T.PREFIXES.items() if k in ctx})
    keys: dict[str, str] = {v: k for k, v in _JSONLD_FIXED.items()}
    coerced: dict[str, str] = {}
    for k, v in ctx.items():
        if isinstance(v, dict):
            coerced[k] = v["@type"]

    def key_of(p: str) -> str:
        k = keys.get(p)
        if k is None:
            local = p[len(T.VOCAB):] if p.startswith(T.VOCAB) else None
            if local and _LOCAL.match(local) and (local not in ctx or
                                                  _expand(ctx.get(local), ctx) == p):
                k = local
            else:
                k = compact(p) or p
            keys[p] = k
        return k

    def value(k: str, o: Any) -> Any:
        want = coerced.get(k)
        if not isinstance(o, Lit):
            c = compact(o) or o
            return c if want == "@id" else {"@id": c}
        if o.datatype is None:
            return o.value
        if o.datatype == T.XSD_INTEGER and _INTEGER.match(o.value) and want is None:
            return int(o.value)
        if o.datatype == T.XSD_BOOLEAN and o.value in ("true", "false") and want is None:
            return o.value == "true"
        dt = _short(o.datatype)
        if want == dt:
            return o.value
        return {"@value": o.value, "@type": dt}

    out.write('{\n"@context": {\n')
    out.write(",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}"
                          for k, v in ctx.items()))
    out.write('\n},\n"@graph": [\n')
    n = 0
    first = True
    for s, pairs in items:
        obj: dict[str, Any] = {"@id": compact(s) or s}
        types = [p_o[1] for p_o in pairs if p_o[0] == T.TYPE]
        if types:
            obj["@type"] = [t[len(T.VOCAB):] if t.startswith(T.VOCAB) else (compact(t) or t)
                            for t in types]
            if len(obj["@type"]) == 1:
                obj["@type"] = obj["@type"][0]
        for p, o in pairs:
            n += 1
            if p == T.TYPE:
                continue
            k = key_of(p)
            v = value(k, o)
            if k in obj:
                if not isinstance(obj[k], list):
                    obj[k] = [obj[k]]
                obj[k].append(v)
            else:
                obj[k] = v
        if not first:
            out.write(",\n")
        first = False
        out.write(json.dumps(obj, ensure_ascii=False))
    out.write("\n]\n}\n")
    return n


def _expand(defn: Any, ctx: dict) -> str | None:
    iri = defn.get("@id") if isinstance(defn, dict) else defn
    if not isinstance(iri, str):
        return None
    prefix, _, local = iri.partition(":")
    ns = ctx.get(prefix)
    return ns + local if isinstance(ns, str) and not local.startswith("//") else iri


def serialise(kg: KnowledgeGraph, fmt: str, out: TextIO,
              progress: Progress | None = None) -> int:
    """Write ``kg`` as ``turtle``, ``ntriples`` or ``jsonld``; return the triple count."""
    items = subjects(kg, progress)
    if fmt == "turtle":
        return write_turtle(items, out, header="htkg knowledge graph export; vocabulary: "
                                                + T.ONTOLOGY)
    if fmt == "ntriples":
        return write_ntriples(items, out)
    if fmt == "jsonld":
        return write_jsonld(items, out, kg.schema)
    raise ValueError(f"not an RDF format: {fmt}")


def dumps(kg: KnowledgeGraph, fmt: str = "turtle") -> str:
    buf = io.StringIO()
    serialise(kg, fmt, buf)
    return buf.getvalue()


# -- rdflib ---------------------------------------------------------------------
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
    g = Graph()
    term_log = logging.getLogger("rdflib.term")
    level = term_log.level
    term_log.setLevel(logging.ERROR)     # ill-typed literals: SHACL or the graph reports them
    try:
        g.parse(str(path), format=fmt)
    except OSError as exc:
        raise LoadError(f"cannot read the file: {exc.strerror or exc}", str(path)) from None
    except Exception as exc:  # rdflib raises many kinds of syntax errors
        message = " ".join(str(exc).split())[:400] or type(exc).__name__
        raise LoadError(f"not valid {fmt}: {message}", str(path)) from None
    finally:
        term_log.setLevel(level)
    return g


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
