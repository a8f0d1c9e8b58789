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
:class:`~htkg.schema.terms.Lit`), grouped by subject, and then either
streamed to Turtle, N-Triples or JSON-LD (fast, constant memory per subject)
or put in an rdflib ``Graph`` (:func:`to_rdflib`). Reading back
(:func:`records_from_rdflib`) goes through rdflib's parsers and yields
records for the :class:`KnowledgeGraph`, which validates them.
"""
from __future__ import annotations

import io
import json
import math
import re
from typing import Any, Callable, Iterable, Iterator, TextIO

from htkg.schema import terms as T
from htkg.schema.terms import Lit, Terms, terms_for
from htkg.graph.model import KnowledgeGraph
from htkg.graph.records import Provenance

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
    total = kg.size()
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
        direct = sorted(kg.targets(node_id))
        items += [(terms.rel_property.get(t, T.VOCAB + T.camel(t)), T.entity_iri(b))
                  for t, b in direct]
        yield T.entity_iri(node_id), items
        done += 1
        if progress and done % 5000 == 0:
            progress("RDF", done, total)
    for a, b, key, rel_type, props in kg.sorted_relationships():
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
        p = Provenance.parse(text)
        items = [(T.TYPE, T.SOURCE_CLASS), (T.LABEL, Lit(text)), (T.SOURCE_FILE, Lit(p.file))]
        if p.line is not None:
            items.append((T.SOURCE_LINE, Lit(str(p.line), T.XSD_INTEGER)))
        if p.paragraph is not None:
            items.append((T.SOURCE_PARAGRAPH, Lit(p.paragraph)))
        if p.loader:
            items.append((T.LOADER, Lit(p.loader)))
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
