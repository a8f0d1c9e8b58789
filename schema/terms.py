"""The project namespace, and the schema's names as IRIs.

One namespace, ``https://w3id.org/htkg/``:

- ``https://w3id.org/htkg/vocab#`` (prefix ``htkg:``) holds the terms: a class
  per label (``htkg:Organisation``), a property per relationship type
  (``REFERRED`` -> ``htkg:referred``), a class per relationship type for its
  qualified statements (``htkg:ReferredStatement``), and a property per
  node or relationship property (``frontline_contact`` ->
  ``htkg:frontlineContact``);
- ``https://w3id.org/htkg/id/`` (prefix ``entity:``) the entities, from their
  ids (``entity:royal-mail``);
- ``https://w3id.org/htkg/statement/`` (prefix ``statement:``) one node per
  relationship, named from its endpoints, type and key;
- ``https://w3id.org/htkg/source/`` (prefix ``source:``) one
  ``htkg:SourceRecord`` per provenance string.

The mapping is computed from the schema, so every name is reversible:
:class:`Terms` gives IRIs for names and names for IRIs. A property name that
two labels or relationship types declare with different RDF datatypes gets
one IRI per owner (``htkg:meetingDate``); today's core schema has none.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import quote, unquote

from htkg.errors import SchemaError
from htkg.schema.model import Property, Schema

BASE = "https://w3id.org/htkg/"
VOCAB = BASE + "vocab#"
ONTOLOGY = BASE + "vocab"
ENTITY = BASE + "id/"
STATEMENT = BASE + "statement/"
SOURCE = BASE + "source/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
PROV = "http://www.w3.org/ns/prov#"
SH = "http://www.w3.org/ns/shacl#"
DCTERMS = "http://purl.org/dc/terms/"

PREFIXES = {
    "htkg": VOCAB, "entity": ENTITY, "statement": STATEMENT, "source": SOURCE,
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "owl": OWL, "prov": PROV, "sh": SH,
    "dcterms": DCTERMS,
}

TYPE = RDF + "type"
LABEL = RDFS + "label"
SUBJECT = RDF + "subject"
PREDICATE = RDF + "predicate"
OBJECT = RDF + "object"
DERIVED_FROM = PROV + "wasDerivedFrom"
XSD_STRING = XSD + "string"
XSD_INTEGER = XSD + "integer"
XSD_BOOLEAN = XSD + "boolean"
XSD_DATE = XSD + "date"
XSD_DOUBLE = XSD + "double"

# Fixed terms that are not in the schema.
STATEMENT_CLASS = VOCAB + "Statement"
SOURCE_CLASS = VOCAB + "SourceRecord"
COUNTRY_CODE = VOCAB + "CountryCode"
SUBDIVISION_CODE = VOCAB + "SubdivisionCode"
LOADER = VOCAB + "loader"
SOURCE_FILE = VOCAB + "sourceFile"
SOURCE_LINE = VOCAB + "sourceLine"
SOURCE_PARAGRAPH = VOCAB + "sourceParagraph"

DATATYPES = {
    "string": XSD_STRING, "text": XSD_STRING, "slug": XSD_STRING, "enum": XSD_STRING,
    "strings": XSD_STRING, "int": XSD_INTEGER, "float": XSD_DOUBLE, "bool": XSD_BOOLEAN,
    "date": XSD_DATE, "country_code": COUNTRY_CODE, "subdivision": SUBDIVISION_CODE,
}
# Node properties with a meaning of their own in RDF.
SPECIAL = ("sources",)   # -> prov:wasDerivedFrom a htkg:SourceRecord

class Lit(NamedTuple):
    """A literal: lexical form and datatype IRI (None for a plain string)."""

    value: str
    datatype: str | None = None


def camel(name: str) -> str:
    """``frontline_contact`` -> ``frontlineContact``; ``MEMBER_OF`` -> ``memberOf``.

    >>> camel("frontline_contact"), camel("MEMBER_OF"), camel("iso2")
    ('frontlineContact', 'memberOf', 'iso2')
    """
    parts = [p for p in name.split("_") if p]
    if not parts:
        return name
    if name.isupper() or len(parts) > 1:
        parts = [p.lower() for p in parts]
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def pascal(name: str) -> str:
    """``MEMBER_OF`` -> ``MemberOf``.

    >>> pascal("MEMBER_OF"), pascal("REFERRED")
    ('MemberOf', 'Referred')
    """
    c = camel(name)
    return c[:1].upper() + c[1:]


def entity_iri(node_id: str) -> str:
    return ENTITY + quote(node_id, safe="-._~")


def id_of(iri: str) -> str | None:
    """The entity id of an entity IRI, or None for any other IRI."""
    if iri.startswith(ENTITY):
        return unquote(iri[len(ENTITY):])
    return None


def statement_iri(a: str, rel_type: str, b: str, key: str, keyed: bool) -> str:
    """Stable IRI of one relationship: endpoints and type, plus a hash of the
    key values for types that may link the same two entities more than once."""
    local = f"{quote(a, safe='-._~')}--{rel_type.lower()}--{quote(b, safe='-._~')}"
    if keyed:
        local += "--" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]
    return STATEMENT + local


def bind(g) -> None:
    """Bind the project's prefixes on an rdflib graph."""
    for p, ns in PREFIXES.items():
        g.bind(p, ns, override=True, replace=True)


def source_iri(text: str) -> str:
    return SOURCE + hashlib.sha1(text.encode("utf-8")).hexdigest()[:20]


@dataclass
class PropTerm:
    """One RDF property standing for a schema property (of one or more owners)."""

    iri: str
    name: str
    datatype: str
    owners: list[str] = field(default_factory=list)       # labels and relationship types
    decls: list[Property] = field(default_factory=list)

    @property
    def multiple(self) -> bool:
        return any(d.type == "strings" for d in self.decls)


class Terms:
    """IRIs for the names of one schema, and names for the IRIs."""

    def __init__(self, schema: Schema):
        self.schema = schema
        self.label_class = {name: VOCAB + name for name in schema.labels}
        self.class_label = {v: k for k, v in self.label_class.items()}
        self.rel_property = {name: VOCAB + camel(name) for name in schema.relationships}
        self.property_rel = {v: k for k, v in self.rel_property.items()}
        self.rel_class = {name: VOCAB + pascal(name) + "Statement" for name in schema.relationships}
        self.class_rel = {v: k for k, v in self.rel_class.items()}
        owners: list[tuple[str, dict[str, Property]]] = (
            [(n, lab.properties) for n, lab in schema.labels.items()]
            + [(n, rel.properties) for n, rel in schema.relationships.items()])
        by_name: dict[str, list[tuple[str, Property]]] = {}
        for owner, props in owners:
            for prop in props.values():
                if prop.name in SPECIAL:
                    continue
                by_name.setdefault(prop.name, []).append((owner, prop))
        self.props: dict[str, PropTerm] = {}           # IRI -> term
        self._by_owner: dict[tuple[str, str], PropTerm] = {}
        for name, decls in by_name.items():
            types = {DATATYPES[p.type] for _, p in decls}
            if len(types) == 1:
                groups = [(VOCAB + camel(name), decls)]
            else:
                groups = [(VOCAB + camel(owner) + pascal(name), [(owner, p)]) for owner, p in decls]
            for iri, group in groups:
                term = PropTerm(iri, name, DATATYPES[group[0][1].type],
                                [o for o, _ in group], [p for _, p in group])
                if iri in self.props or iri in self.property_rel or iri in self.class_label:
                    raise SchemaError(f"property '{name}' and another schema name both become "
                                      f"<{iri}>; rename one", schema.file)
                self.props[iri] = term
                for owner, _ in group:
                    self._by_owner[(owner, name)] = term

    def prop(self, owner: str, name: str) -> PropTerm:
        """The term for property ``name`` of a label or relationship type.

        A property the schema does not declare (found in a store, say) gets
        ``htkg:<name>`` as plain text."""
        term = self._by_owner.get((owner, name))
        if term is None:
            term = PropTerm(VOCAB + camel(name), name, XSD_STRING)
        return term

    def prop_name(self, owner: str, iri: str) -> str | None:
        """The schema property name of ``iri`` for an owner, or None."""
        term = self.props.get(iri)
        if term is not None and owner in term.owners:
            return term.name
        return None

    def local(self, iri: str) -> str:
        return iri[len(VOCAB):] if iri.startswith(VOCAB) else iri


_CACHE: dict[int, tuple[Schema, Terms]] = {}


def terms_for(schema: Schema) -> Terms:
    """The :class:`Terms` of a schema, computed once per schema object."""
    hit = _CACHE.get(id(schema))
    if hit is None or hit[0] is not schema:
        hit = (schema, Terms(schema))
        _CACHE[id(schema)] = hit
    return hit[1]
