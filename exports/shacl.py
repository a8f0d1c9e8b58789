"""SHACL shapes generated from the schema, and validation with pyshacl.

One closed node shape per label (``shapes:Organisation``, target class
``htkg:Organisation``) and per relationship statement class
(``shapes:ReferredStatement``), plus one for source records. Each schema
property becomes a property shape: ``required`` -> ``sh:minCount 1``,
single values -> ``sh:maxCount 1``, the type -> ``sh:datatype`` (with
``sh:pattern`` for ids and ISO codes), ``enum`` -> ``sh:in``. Relationship
endpoints are checked on the statements (``rdf:subject`` / ``rdf:object``
classes, and the exact pairs where the types allow several) and on the
direct triples (``sh:class`` of the object). Every entity, statement and
source record must be closed: a property the schema does not know is a
violation, except ``rdf:type`` and ``rdfs:label``.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from htkg.schema import terms as T
from htkg.loaders.rdf.parse import parse_file
from htkg.schema.terms import bind, terms_for
from htkg.schema.model import Property, Schema, load_schema

SHAPES = T.BASE + "shapes#"
_SLUG_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
_PATTERNS = {
    "slug": _SLUG_PATTERN,
    "country_code": "^[A-Z]{2}$",
    "subdivision": "^[A-Z]{2}-[A-Z0-9]{1,3}$",
}


def shapes_graph(schema: Schema | None = None):
    """The SHACL shapes of a schema as an rdflib ``Graph``."""
    from rdflib import BNode, Graph, Literal, URIRef  # deferred: rdflib is slow to import
    from rdflib.collection import Collection  # deferred: rdflib is slow to import
    from rdflib.namespace import RDF, RDFS, SH, XSD  # deferred: rdflib is slow to import
    schema = schema or load_schema()
    terms = terms_for(schema)
    g = Graph()
    bind(g)
    g.bind("shapes", SHAPES)
    source_class = URIRef(T.SOURCE_CLASS)

    def rdf_list(items) -> BNode:
        head = BNode()
        Collection(g, head, list(items))
        return head

    def prop_shape(shape, path, name: str | None = None, min_count: int = 0,
                   max_count: int | None = None, **constraints) -> BNode:
        ps = BNode()
        g.add((shape, SH.property, ps))
        g.add((ps, SH.path, URIRef(path)))
        if name:
            g.add((ps, SH.name, Literal(name)))
        if min_count:
            g.add((ps, SH.minCount, Literal(min_count)))
        if max_count is not None:
            g.add((ps, SH.maxCount, Literal(max_count)))
        for key, value in constraints.items():
            g.add((ps, SH[key], value))
        return ps

    def class_constraint(classes: list[str]) -> dict:
        classes = sorted(set(classes))
        if len(classes) == 1:
            return {"class": URIRef(classes[0])}
        alternatives = []
        for c in classes:
            alt = BNode()
            g.add((alt, SH["class"], URIRef(c)))
            alternatives.append(alt)
        return {"or": rdf_list(alternatives)}

    def node_shape(local: str, target: str, ignored: list) -> URIRef:
        """A closed node shape: only declared properties, and ``ignored``."""
        shape = URIRef(SHAPES + local)
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, URIRef(target)))
        g.add((shape, SH.closed, Literal(True)))
        g.add((shape, SH.ignoredProperties, rdf_list(ignored)))
        return shape

    def data_property(shape, owner: str, prop: Property) -> str:
        term = terms.prop(owner, prop.name)
        constraints = {"datatype": URIRef(term.datatype)}
        if prop.type in _PATTERNS:
            constraints["pattern"] = Literal(_PATTERNS[prop.type])
        if prop.values:
            constraints["in"] = rdf_list(Literal(v) for v in prop.values)
        prop_shape(shape, term.iri, prop.name, 1 if prop.required else 0,
                   None if prop.type == "strings" else 1, **constraints)
        return term.iri

    # Entities.
    for name, label in schema.labels.items():
        shape = node_shape(name, terms.label_class[name], [RDF.type, RDFS.label])
        for prop in label.properties.values():
            if prop.name == "sources":
                prop_shape(shape, T.DERIVED_FROM, "sources", 1 if prop.required else 0,
                           **{"class": source_class})
                continue
            data_property(shape, name, prop)
        for rel_name, rel in schema.relationships.items():
            targets = [b for a, b in rel.between if a == name]
            if targets:
                prop_shape(shape, terms.rel_property[rel_name], rel_name,
                           **class_constraint([terms.label_class[t] for t in targets]))

    # Relationship statements.
    for name, rel in schema.relationships.items():
        shape = node_shape(T.pascal(name) + "Statement", terms.rel_class[name], [RDF.type])
        starts = [terms.label_class[a] for a, _ in rel.between]
        ends = [terms.label_class[b] for _, b in rel.between]
        prop_shape(shape, T.SUBJECT, "subject", 1, 1, **class_constraint(starts))
        prop_shape(shape, T.PREDICATE, "predicate", 1, 1,
                   hasValue=URIRef(terms.rel_property[name]))
        prop_shape(shape, T.OBJECT, "object", 1, 1, **class_constraint(ends))
        if set(rel.between) != {(a, b) for a, _ in rel.between for _, b in rel.between}:
            pairs = []
            for a, b in rel.between:
                alt = BNode()
                prop_shape(alt, T.SUBJECT, **{"class": URIRef(terms.label_class[a])})
                prop_shape(alt, T.OBJECT, **{"class": URIRef(terms.label_class[b])})
                pairs.append(alt)
            g.add((shape, SH["or"], rdf_list(pairs)))
            g.add((shape, SH.message, Literal(
                f"{name} links " + "; ".join(f"{a} to {b}" for a, b in rel.between))))
        for prop in rel.properties.values():
            if prop.name == "sources":
                prop_shape(shape, T.DERIVED_FROM, "sources", 1 if prop.required else 0,
                           **{"class": source_class})
                continue
            data_property(shape, name, prop)

    # Source records.
    shape = node_shape("SourceRecord", T.SOURCE_CLASS, [RDF.type])
    prop_shape(shape, T.LABEL, "provenance", 1, 1, datatype=XSD.string)
    prop_shape(shape, T.SOURCE_FILE, "file", 0, 1, datatype=XSD.string)
    prop_shape(shape, T.SOURCE_LINE, "line", 0, 1, datatype=XSD.integer)
    prop_shape(shape, T.SOURCE_PARAGRAPH, "paragraph", 0, 1, datatype=XSD.string)
    prop_shape(shape, T.LOADER, "loader", 0, 1, datatype=XSD.string)
    return g


@dataclass
class Violation:
    focus: str
    path: str
    message: str
    severity: str
    value: str
    constraint: str

    def line(self) -> str:
        where = f"{self.focus}" + (f"  {self.path}" if self.path else "")
        return f"{where}: {self.message}"


@dataclass
class Report:
    conforms: bool
    violations: list[Violation]
    triples: int
    checked: dict[str, int] = None     # entities, statements, source records

    def summary(self) -> str:
        c = self.checked or {}
        return (f"{c.get('entities', 0)} entities, {c.get('statements', 0)} statements, "
                f"{c.get('sources', 0)} source records; {self.triples} triples")


def _short(term) -> str:
    from rdflib import BNode, Literal  # deferred: rdflib is slow to import
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = str(term)
        return repr(text) if len(text) < 80 else repr(text[:77] + "...")
    if isinstance(term, BNode):
        return "_:" + str(term)
    text = str(term)
    for prefix, ns in sorted(T.PREFIXES.items(), key=lambda p: -len(p[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    if text.startswith(SHAPES):
        return "shapes:" + text[len(SHAPES):]
    return f"<{text}>"


def _message(component: str, shape, value, shapes, fallback: str) -> str:
    """A plain message for the common constraints; pyshacl's text otherwise."""
    from rdflib.collection import Collection  # deferred: rdflib is slow to import
    from rdflib.namespace import SH  # deferred: rdflib is slow to import
    get = (lambda p: shapes.value(shape, p)) if shape is not None else (lambda p: None)
    shown = _short(value)
    if component == "MinCountConstraintComponent":
        n = get(SH.minCount)
        return "required, but missing" if str(n) == "1" else f"needs at least {n} values"
    if component == "MaxCountConstraintComponent":
        n = get(SH.maxCount)
        return "takes one value, and has several" if str(n) == "1" else f"takes at most {n} values"
    if component == "DatatypeConstraintComponent":
        dt = get(SH.datatype)
        return f"{shown} is not a valid {_short(dt)}" if dt is not None else fallback
    if component == "InConstraintComponent":
        head = get(SH["in"])
        if head is not None:
            allowed = ", ".join(sorted(str(v) for v in Collection(shapes, head)))
            return f"{shown} is not one of: {allowed}"
    if component == "ClassConstraintComponent":
        cls = get(SH["class"])
        return f"{shown} is not a {_short(cls)}" if cls is not None else fallback
    if component == "PatternConstraintComponent":
        return f"{shown} does not match {get(SH.pattern)}"
    if component == "ClosedConstraintComponent":
        return f"not a property of this kind of node in the schema (value {shown})"
    if component == "HasValueConstraintComponent":
        return f"must be {_short(get(SH.hasValue))}"
    if component == "OrConstraintComponent":
        message = shapes.value(shape, SH.message) if shape is not None else None
        if message is not None:
            return f"{shown} is not allowed here: {message}" if shown else str(message)
    return fallback


def validate_graph(data, shapes=None) -> Report:
    """Validate an rdflib graph against the schema's shapes with pyshacl."""
    import pyshacl  # deferred: pyshacl is slow to import
    from rdflib.namespace import SH  # deferred: rdflib is slow to import
    shapes = shapes if shapes is not None else shapes_graph()
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none",
                                            abort_on_first=False, meta_shacl=False,
                                            advanced=False, allow_warnings=False)
    violations = []
    for r in results.subjects(SH.resultSeverity, None):
        message = results.value(r, SH.resultMessage)
        fallback = " ".join(str(message).split()) if message is not None else "violation"
        path = results.value(r, SH.resultPath)
        component = _short(results.value(r, SH.sourceConstraintComponent)).replace("sh:", "")
        value = results.value(r, SH.value)
        violations.append(Violation(
            focus=_short(results.value(r, SH.focusNode)),
            path=_short(path) if path is not None and not _is_bnode(path) else "",
            message=_message(component, results.value(r, SH.sourceShape), value, shapes,
                             fallback),
            severity=_short(results.value(r, SH.resultSeverity)).replace("sh:", ""),
            value=_short(value),
            constraint=component,
        ))
    violations.sort(key=lambda v: (v.focus, v.path, v.message))
    return Report(bool(conforms), violations, len(data), _checked(data))


def _checked(data) -> dict[str, int]:
    from rdflib import URIRef  # deferred: rdflib is slow to import
    from rdflib.namespace import RDF  # deferred: rdflib is slow to import
    terms = terms_for(load_schema())
    def count(classes) -> int:
        return len({s for c in classes for s in data.subjects(RDF.type, URIRef(c))})
    return {"entities": count(terms.class_label), "statements": count(terms.class_rel),
            "sources": count([T.SOURCE_CLASS])}


def _is_bnode(term) -> bool:
    from rdflib import BNode  # deferred: rdflib is slow to import
    return isinstance(term, BNode)


def validate_file(path: str | Path) -> Report:
    """Parse an RDF file (.ttl, .jsonld, .nt) and validate it."""
    return validate_graph(parse_file(path))
