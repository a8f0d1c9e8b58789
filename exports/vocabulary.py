"""The schema as an RDFS/OWL vocabulary.

Generated from ``schema/core.yaml``: an ``owl:Class`` per label, an
``owl:ObjectProperty`` per relationship type (domain and range from its
``between`` labels), an ``owl:Class`` per relationship type for its
qualified statements (subclass of ``htkg:Statement``, itself a subclass of
``rdf:Statement``), and an ``owl:DatatypeProperty`` per property (domain:
the classes that declare it; range: its XML Schema or ISO 3166 datatype).
Every term has ``rdfs:label``, ``rdfs:comment`` (the schema's description)
and ``rdfs:isDefinedBy``. The schema's ``sources`` property is expressed
with PROV-O (``prov:wasDerivedFrom`` an ``htkg:SourceRecord``).
"""
from __future__ import annotations

from htkg.schema import terms as T
from htkg.schema.terms import Terms, bind, terms_for
from htkg.schema.model import Schema, load_schema

VERSION = "0.1.0"


def _words(name: str) -> str:
    """``frontline_contact`` -> ``frontline contact``; ``MEMBER_OF`` -> ``member of``."""
    return name.replace("_", " ").lower()


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if not text or text.endswith(".") else text + "."


def vocabulary_graph(schema: Schema | None = None):
    """The vocabulary as an rdflib ``Graph``."""
    from rdflib import BNode, Graph, Literal, URIRef  # deferred: rdflib is slow to import
    from rdflib.collection import Collection  # deferred: rdflib is slow to import
    from rdflib.namespace import OWL, RDF, RDFS, XSD, DCTERMS  # deferred: rdflib is slow to import
    schema = schema or load_schema()
    terms: Terms = terms_for(schema)
    g = Graph()
    bind(g)
    onto = URIRef(T.ONTOLOGY)
    prov_entity = URIRef(T.PROV + "Entity")

    def describe(iri: str, kind, label: str, comment: str) -> URIRef:
        ref = URIRef(iri)
        g.add((ref, RDF.type, kind))
        g.add((ref, RDFS.label, Literal(label, lang="en")))
        g.add((ref, RDFS.comment, Literal(_sentence(comment), lang="en")))
        g.add((ref, RDFS.isDefinedBy, onto))
        return ref

    def union(classes: list[str]):
        classes = sorted(set(classes))
        if len(classes) == 1:
            return URIRef(classes[0])
        node = BNode()
        g.add((node, RDF.type, OWL.Class))
        lst = BNode()
        Collection(g, lst, [URIRef(c) for c in classes])
        g.add((node, OWL.unionOf, lst))
        return node

    g.add((onto, RDF.type, OWL.Ontology))
    g.add((onto, RDFS.label, Literal("htkg vocabulary", lang="en")))
    g.add((onto, RDFS.comment, Literal(
        "Terms of the htkg knowledge graph of UK bodies that fight human trafficking, "
        "generated from its schema. Entities are under " + T.ENTITY + ", relationship "
        "statements under " + T.STATEMENT + ", provenance records under " + T.SOURCE + ".",
        lang="en")))
    g.add((onto, OWL.versionInfo, Literal(VERSION)))
    g.add((onto, DCTERMS.source, Literal("schema/core.yaml")))

    # Fixed terms.
    statement = describe(T.STATEMENT_CLASS, OWL.Class, "Statement",
                         "One relationship of the graph as a node of its own (a qualified "
                         "relationship), carrying its properties and its provenance; "
                         "rdf:subject, rdf:predicate and rdf:object name the relationship")
    g.add((statement, RDFS.subClassOf, RDF.Statement))
    source = describe(T.SOURCE_CLASS, OWL.Class, "Source record",
                      "Where a fact was read: a file and a line or paragraph, and the loader "
                      "that read it; its rdfs:label is the provenance string itself")
    g.add((source, RDFS.subClassOf, prov_entity))
    for iri, label, comment, rng in [
        (T.SOURCE_FILE, "source file", "The file (or data set entry) a fact was read from",
         XSD.string),
        (T.SOURCE_LINE, "source line", "The line of the file a fact was read from", XSD.integer),
        (T.SOURCE_PARAGRAPH, "source paragraph",
         "The numbered paragraph of the minutes a fact was read from", XSD.string),
        (T.LOADER, "loader", "The htkg loader that read the fact (registry, minutes, nrm...)",
         XSD.string),
    ]:
        ref = describe(iri, OWL.DatatypeProperty, label, comment)
        g.add((ref, RDFS.domain, source))
        g.add((ref, RDFS.range, rng))
    for iri, label, comment, pattern in [
        (T.COUNTRY_CODE, "ISO 3166-1 alpha-2 code", "A two-letter country code of ISO 3166-1 "
         "(XK for Kosovo, the user-assigned code in common use)", "^[A-Z]{2}$"),
        (T.SUBDIVISION_CODE, "ISO 3166-2 code", "A subdivision code of ISO 3166-2, such as "
         "GB-SCT", "^[A-Z]{2}-[A-Z0-9]{1,3}$"),
    ]:
        ref = describe(iri, RDFS.Datatype, label, comment)
        restriction = BNode()
        g.add((restriction, RDF.type, RDFS.Datatype))
        g.add((restriction, OWL.onDatatype, XSD.string))
        facet = BNode()
        g.add((facet, XSD.pattern, Literal(pattern)))
        lst = BNode()
        Collection(g, lst, [facet])
        g.add((restriction, OWL.withRestrictions, lst))
        g.add((ref, OWL.equivalentClass, restriction))

    # A class per label.
    for name, label in schema.labels.items():
        describe(terms.label_class[name], OWL.Class, name,
                 label.description or f"An entity of the graph labelled {name}")

    # A property and a statement class per relationship type.
    for name, rel in schema.relationships.items():
        desc = rel.description or f"The {name} relationship"
        lower = desc[:1].lower() + desc[1:] if desc[1:2].islower() else desc
        prop = describe(terms.rel_property[name], OWL.ObjectProperty, _words(name),
                        f"{desc} (relationship type {name}; its properties and provenance are "
                        f"on the matching {T.pascal(name)}Statement)")
        g.add((prop, RDFS.domain, union([terms.label_class[a] for a, _ in rel.between])))
        g.add((prop, RDFS.range, union([terms.label_class[b] for _, b in rel.between])))
        cls = describe(terms.rel_class[name], OWL.Class, f"{_words(name)} statement",
                       f"One {name} relationship with its properties and provenance: {lower}")
        g.add((cls, RDFS.subClassOf, statement))

    # A property per node or relationship property.
    for iri, term in terms.props.items():
        comments = []
        for owner, decl in zip(term.owners, term.decls):
            text = decl.description or f"The {_words(term.name)} of a {owner}"
            if decl.values:
                text = _sentence(text) + " One of: " + ", ".join(decl.values)
            if text not in comments:
                comments.append(text)
        if len(comments) > 1:
            comment = " ".join(f"{owner}: {_sentence(c)}" for owner, c in zip(term.owners, comments))
        else:
            comment = comments[0]
        if term.multiple:
            comment = _sentence(comment) + " Repeated, once per value; order is not significant."
        prop = describe(iri, OWL.DatatypeProperty, _words(term.name), comment)
        domains = [terms.label_class[o] if o in schema.labels else terms.rel_class[o]
                   for o in term.owners]
        g.add((prop, RDFS.domain, union(domains)))
        g.add((prop, RDFS.range, URIRef(term.datatype)))
    return g


def vocabulary_classes_and_properties(g) -> list:
    """Every class, property and datatype the vocabulary defines (for checks)."""
    from rdflib import URIRef  # deferred: rdflib is slow to import
    from rdflib.namespace import OWL, RDF, RDFS  # deferred: rdflib is slow to import
    out = set()
    for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype):
        out.update(s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef))
    return sorted(out)
