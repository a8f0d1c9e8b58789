"""Reading an exported (or hand-written) graph back from rdflib into records."""
from __future__ import annotations

from typing import Any

from htkg.errors import LoadError
from htkg.graph.model import KnowledgeGraph
from htkg.graph.records import Edge, Node
from htkg.schema import terms as T
from htkg.schema.model import load_schema
from htkg.schema.terms import terms_for


def _python(lit, prop_type: str) -> Any:
    """An rdflib literal as the value the schema's cleaner expects."""
    from rdflib import Literal              # deferred: rdflib is slow to import
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
    from rdflib import Literal, URIRef      # deferred: rdflib is slow to import
    from rdflib.namespace import RDF as R  # deferred: rdflib is slow to import
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
            raise explain_error(record, exc, origin) from None
    return len(nodes) + len(edges), notes


def explain_error(record: Node | Edge, error: LoadError, origin: str) -> LoadError:
    """The model's error about one record read from RDF, naming the file ``origin`` and
    the entity or statement (not the provenance carried inside the export)."""
    if isinstance(record, Node):
        what = "entity:" + record.id
    else:
        what = f"{record.type} from entity:{record.source_id} to entity:{record.target_id}"
    return LoadError(f"{what}: {error.message}", origin)


def from_rdflib(g, origin: str = "<rdf>") -> KnowledgeGraph:
    kg = KnowledgeGraph()
    load_into(kg, g, origin)
    return kg
