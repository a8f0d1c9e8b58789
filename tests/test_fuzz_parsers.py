"""Property-based tests: every parser, fed mangled versions of good inputs, returns a
result or raises the library's own error (``LoadError``, ``SchemaError``), never
another exception.

Covered here: registry YAML (``registry.file_records``, then the records through a
``KnowledgeGraph``), the NRM tables (``nrm.read`` for referral, Duty to Notify and
longitudinal tables, and ``parse_referrals`` with ``reconcile``), RDF
(``loaders.rdf.parse_file`` and ``load_into`` on Turtle, JSON-LD and N-Triples), the
GOV.UK Organisations API's JSON (``govuk.read``, then the records through the model), the
schema YAML (``schema.model.parse_schema``) and the saved-query header parser
(``queries.catalogue.parse_query``), and the official geography's files
(``geography.read`` on the ONS lookups and mySociety's councils). Minutes and demonyms
have theirs in tests/test_minutes.py and tests/test_nationality.py.

The mangling works on lines (delete, duplicate, swap, insert junk, truncate), on
characters (junk inside a line, CSV cells replaced, dropped or added), and on bytes
(another encoding, random bytes, NULs). Failing examples hypothesis found are kept
below as explicit ``@example``s.
"""
from __future__ import annotations

import copy
import json
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from htkg.errors import LoadError
from htkg.graph.model import KnowledgeGraph
from htkg.graph.records import Edge, Node
from htkg.loaders import geography, govuk, nrm
from htkg.loaders.base import Source
from htkg.pipeline.load import Context, merge
from htkg.loaders.nrm.referrals import parse_referrals, reconcile
from htkg.loaders.registry import REGISTRY_DIR, file_records, load_registry
from htkg.queries.catalogue import BUNDLED, SavedQuery, parse_query
from htkg.schema.model import CORE_SCHEMA, Schema, parse_schema

sys.path.insert(0, str(Path(__file__).parent))
from mangling import mangle_lines  # noqa: E402  (tests/mangling.py, shared with test_minutes)

TESTS = Path(__file__).parent
FIX = TESTS / "fixtures"
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                       HealthCheck.data_too_large])


def texts(*paths: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in paths]


# -- mangling ----------------------------------------------------------------------------------
_LINE_OPS = st.tuples(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate",
                                       "chars"]),
                      st.integers(0, 10_000), st.integers(0, 10_000), st.text(max_size=16))
# Mostly clean UTF-8, so that most examples reach the parsing behind the decoding.
_BYTE_OPS = st.sampled_from(["utf-8"] * 9 + ["utf-16", "latin-1", "bytes", "nul", "bom"])


def to_bytes(text: str, how: str, noise: bytes, at: int) -> bytes:
    if how == "utf-16":
        return text.encode("utf-16")
    if how == "latin-1":
        return text.encode("latin-1", errors="replace")
    data = text.encode("utf-8", errors="replace")
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    k = at % (len(data) + 1)
    if how == "nul":
        return data[:k] + b"\x00" + data[k:]
    if how == "bytes":
        return data[:k] + noise + data[k:]
    return data


@st.composite
def mangled(draw, bases: list[str]) -> bytes:
    """A base text, mangled line- and character-wise, as bytes in some encoding."""
    text = mangle_lines(draw(st.sampled_from(bases)), draw(st.lists(_LINE_OPS, max_size=8)))
    return to_bytes(text, draw(_BYTE_OPS), draw(st.binary(min_size=1, max_size=8)),
                    draw(st.integers(0, 10**6)))


_CELL_JUNK = st.one_of(
    st.sampled_from(["Total", "total ", "", " ", "[c]", "[x]", "-4", "4.5", "1e3", "０", "²",
                     "Adult (18 or over)", "Child (17 or under)", "Female", "Other", "Q1", "Q5",
                     "2023", "Albanian", "Albanian Greek", "Unknown", "UK", "Overseas",
                     "Government agency total", "Home Office", "\"", "\"\"", "a,b", "\r",
                     "<img src=x onerror=alert(1)>", "'}) DETACH DELETE n //", "\x1b[2J"]),
    st.text(max_size=10))


@st.composite
def mangled_csv(draw, bases: list[str]) -> bytes:
    """A table with cells replaced, rows shortened or lengthened, then line-mangled."""
    rows = [line.split(",") for line in draw(st.sampled_from(bases)).split("\n")]
    for op, r, c, junk in draw(st.lists(st.tuples(
            st.sampled_from(["cell", "cell", "drop", "add", "quote"]), st.integers(0, 10_000),
            st.integers(0, 20), _CELL_JUNK), max_size=6)):
        row = rows[r % len(rows)]
        if not row:
            continue
        k = c % len(row)
        if op == "cell":
            row[k] = junk
        elif op == "drop":
            del row[k]
        elif op == "add":
            row.insert(k, junk)
        else:
            row[k] = '"' + row[k]
    text = "\n".join(",".join(row) for row in rows)
    text = mangle_lines(text, draw(st.lists(_LINE_OPS, max_size=3)))
    return to_bytes(text, draw(_BYTE_OPS),
                    draw(st.binary(min_size=1, max_size=4)), draw(st.integers(0, 10**6)))


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory(prefix="htkg-fuzz-") as d:
        yield Path(d)


@pytest.fixture(scope="module")
def registry_kg() -> KnowledgeGraph:
    """The bundled registry in a graph of our own (copied for each example)."""
    kg = KnowledgeGraph()
    load_registry(kg)
    return kg


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


# -- registry YAML -----------------------------------------------------------------------------
REGISTRY_TEXTS = texts(*sorted((FIX / "registry").glob("*.yaml")),
                       *sorted((FIX / "bad" / "registry").glob("*.yaml")),
                       REGISTRY_DIR / "nations.yaml", REGISTRY_DIR / "sectors.yaml")
REGISTRY_NAMES = ["organisations.yaml", "people.yaml", "sectors.yaml", "own-bodies.yaml"]


@given(data=mangled(REGISTRY_TEXTS), name=st.sampled_from(REGISTRY_NAMES))
@settings(max_examples=250, **SETTINGS)
@example(data=b"label: Organisation\nentries:\n  - id: x\n    name: \"a\\0b\"\n    kind: ngo\n"
              b"    citation: c\n", name="own-bodies.yaml")
@example(data=b"- id: x\n  name: [1, {a: 2}]\n", name="organisations.yaml")
@example(data=b"label: Organisation\nentries: {a: 1}\n", name="own-bodies.yaml")
@example(data=b"\xef\xbb\xbf- id: sector-x\n  name: X\n", name="sectors.yaml")
@example(data=b"- id: x\n  name: X\n  founded: 2001-02-30\n", name="organisations.yaml")
@example(data=b"- id: x\n  name: X\n  ? {a: [1]}\n  : 1\n", name="organisations.yaml")
@example(data=b"- id: x\n  name: X\n  ? [a, b]\n  : 1\n", name="organisations.yaml")
@example(data=b"- id: x\n  name: X\n  kind: !!int x\n", name="organisations.yaml")
def test_registry_file_records_or_load_error(scratch, registry_kg, data, name):
    path = write(scratch, name, data)
    try:
        nodes, edges = file_records(path)
    except LoadError as exc:
        assert exc.file and name in exc.file
        event("refused by the parser")
        return
    assert all(isinstance(n, Node) for n in nodes) and all(isinstance(e, Edge) for e in edges)
    kg = copy.deepcopy(registry_kg)
    try:                                  # what a build does next: validate every record
        kg.add_all(nodes)
        kg.add_all(edges)
    except LoadError as exc:
        assert exc.file and name in exc.file
        event("refused by the graph")
        return
    event("loaded")


# -- NRM tables --------------------------------------------------------------------------------
NRM_GOOD = FIX / "nrm" / "good"
NRM_TABLES = {
    "nrm_referrals_fuzz_2023_q4.csv": texts(
        NRM_GOOD / "nrm_referrals_ngo_2023_q4.csv",
        NRM_GOOD / "nrm_referrals_government_2023_q4.csv",
        FIX / "nrm" / "suppressed" / "nrm_referrals_ngo_2023_q4.csv",
        FIX / "bad" / "nrm" / "nrm_referrals_hostile_2023_q3.csv"),
    "nrm_duty_to_notify_fuzz_2023_q4.csv": texts(NRM_GOOD / "nrm_duty_to_notify_2023_q4.csv"),
    "nrm_referrals_longitudinal.csv": texts(NRM_GOOD / "nrm_referrals_longitudinal.csv"),
    "nrm_duty_to_notify_longitudinal.csv": texts(NRM_GOOD / "nrm_duty_to_notify_longitudinal.csv"),
}
REFERRALS = NRM_TABLES["nrm_referrals_fuzz_2023_q4.csv"]


@given(data=mangled_csv(REFERRALS))
@settings(max_examples=300, **SETTINGS)
@example(data=b"First responder type,First responder,Exploitation type,Age at exploitation,"
              b"Gender,Nationality,People\nNGO,X,Labour,Adult (18 or over),Total,Albanian,3\n")
@example(data=b"First responder type,First responder,Exploitation type,Age at exploitation,"
              b"Gender,Nationality,People\nNGO,X,Labour,Total,Total,Albanian,\xef\xbc\x91\n")
def test_parse_referrals_and_reconcile_or_load_error(scratch, data):
    path = write(scratch, "nrm_referrals_fuzz_2023_q4.csv", data)
    try:
        parsed = parse_referrals(path, path.name)
    except LoadError as exc:
        assert exc.file == path.name and (exc.line is None or exc.line >= 1)
        event("refused")
        return
    event("parsed")
    assert all(isinstance(note, str) for note in reconcile(parsed))


@given(table=st.sampled_from(sorted(NRM_TABLES)), data=st.data())
@settings(max_examples=200, **SETTINGS)
def test_nrm_tables_load_or_load_error(scratch, registry_kg, table, data):
    path = write(scratch, table, data.draw(mangled_csv(NRM_TABLES[table])))
    kg = copy.deepcopy(registry_kg)
    before = kg.g.number_of_edges()
    try:
        source = Source(path)
        report = merge(kg, nrm, source, nrm.read(source, Context(kg)))
    except LoadError as exc:
        assert exc.file == path.name
        if table.startswith("nrm_referrals_fuzz"):     # checked whole before adding
            assert kg.g.number_of_edges() == before
        event("refused")
        return
    event("loaded")
    assert report.loader == "nrm" and all(isinstance(n, str) for n in report.notes)


# -- the official geography ---------------------------------------------------------------------
GEO = FIX / "geography"
GEO_TABLES = {p.name: texts(p) for p in sorted(GEO.glob("*.csv"))}
GEO_TABLES["uk_local_authorities_mysociety.csv"] += texts(
    FIX / "bad" / "geography" / "hostile-councils.csv")


@pytest.fixture(scope="module")
def geography_kg(registry_kg) -> KnowledgeGraph:
    """The registry and the small ONS lookups, for councils to find their districts in."""
    kg = copy.deepcopy(registry_kg)
    for name in ("pfa19_names_codes_uk.csv", "lad19_country19_uk.csv",
                 "lad19_csp19_pfa19_england_wales.csv"):
        source = Source(GEO / name)
        merge(kg, geography, source, geography.read(source, Context(kg)))
    return kg


@given(table=st.sampled_from(sorted(GEO_TABLES)), data=st.data())
@settings(max_examples=250, **SETTINGS)
@example(table="pfa19_names_codes_uk.csv", data=None)
def test_geography_files_load_or_load_error(scratch, geography_kg, table, data):
    raw = (GEO / table).read_bytes() if data is None else data.draw(mangled_csv(GEO_TABLES[table]))
    path = write(scratch, table, raw)
    source = Source(path)
    if not geography.recognises(source):     # a header mangled past recognition: not ours
        event("not recognised")
        return
    kg = copy.deepcopy(geography_kg)
    try:
        records = geography.read(source, Context(kg))
    except LoadError as exc:
        assert exc.file == path.name and (exc.line is None or exc.line >= 1)
        event("refused by the loader")
        return
    try:
        report = merge(kg, geography, source, records)
    except LoadError as exc:
        assert exc.file == path.name
        event("refused by the graph")
        return
    event("loaded")
    assert report.loader == "geography" and all(isinstance(n, str) for n in report.notes)


# -- GOV.UK Organisations API JSON -------------------------------------------------------------
GOVUK_TEXTS = texts(FIX / "govuk" / "organisations-page-1.json",
                    *sorted((FIX / "bad" / "govuk").glob("*.json")))
_JSON_JUNK = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.text(max_size=12),
                       st.sampled_from(["", "home-office", "Ministerial department",
                                        "https://www.gov.uk/api/organisations/x", "\x1b[2J",
                                        "2019-03-31T00:00:00Z", "'}) DETACH DELETE n //"]),
                       st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=4),
                                                                            st.integers(), max_size=2))


def _paths(value, at=()):
    yield at
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, at + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, at + (i,))


@st.composite
def mangled_api_json(draw) -> bytes:
    """A GOV.UK page or dump whose values are replaced by junk of any JSON type, or
    deleted, at random places (the shape checks), then written as bytes."""
    doc = json.loads(draw(st.sampled_from(GOVUK_TEXTS[:1] + GOVUK_TEXTS[1:2])))
    if draw(st.booleans()):
        doc = doc["results"]                 # the saved array, not a page
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.integers(0, 3)) == 0 and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(_JSON_JUNK)
    return json.dumps(doc, ensure_ascii=False).encode()


def _read_govuk(folder: Path, registry_kg: KnowledgeGraph, data: bytes) -> None:
    path = write(folder, "organisations.json", data)
    source = Source(path)
    kg = copy.deepcopy(registry_kg)
    if not govuk.recognises(source):
        event("not recognised")
        return
    try:
        merge(kg, govuk, source, list(govuk.read(source, Context(kg))))
    except LoadError as exc:
        assert exc.file and "organisations.json" in exc.file
        event("refused")
        return
    event("loaded")


@given(data=mangled(GOVUK_TEXTS))
@settings(max_examples=200, **SETTINGS)
@example(data=b'{"results": [{"title": "X", "format": "Other", "details": {"slug": "x"}, '
              b'"parent_organisations": [{"id": 5}]}]}')
def test_govuk_json_mangled_as_text_loads_or_load_error(scratch, registry_kg, data):
    _read_govuk(scratch, registry_kg, data)


@given(data=mangled_api_json())
@settings(max_examples=300, **SETTINGS)
@example(data=b'{"results": [{"title": "X", "format": "Other", "details": {"slug": "x", '
              b'"closed_at": 5}}]}')
@example(data=b'[{"title": "X", "format": "Other", "details": {"slug": "x"}, '
              b'"superseding_organisations": [{"id": "https://www.gov.uk/api/organisations/y"}]}]')
def test_govuk_json_of_the_wrong_shape_loads_or_load_error(scratch, registry_kg, data):
    _read_govuk(scratch, registry_kg, data)


# -- RDF ---------------------------------------------------------------------------------------
def _small_export() -> list[str]:
    """Turtle, N-Triples and JSON-LD of a small graph with statements and provenance."""
    from htkg.exports.rdf import dumps
    kg = KnowledgeGraph()
    kg.add(Node("Country", "country-al", {"name": "Albania", "iso2": "AL"}, "a.yaml:1 (registry)"))
    kg.add(Node("Organisation", "example-trust", {"name": "Example Trust", "kind": "ngo",
                                                  "aliases": ["ET", "<b>ET</b>"]},
                "a.yaml:2 (registry)"))
    kg.add(Edge("REFERRED", "example-trust", "country-al",
                {"year": 2023, "quarter": 4, "exploitation": "Labour", "nationality": "Albanian",
                 "people": 5, "adult": 4, "child": 1}, "n.csv:7 (nrm)"))
    kg.add(Edge("ACTIVE_IN", "example-trust", "country-al", {}, "a.yaml:3 (registry)"))
    return [dumps(kg, fmt) for fmt in ("turtle", "ntriples", "jsonld")]


RDF = dict(zip(("fuzz.ttl", "fuzz.nt", "fuzz.jsonld"), [[t] for t in _small_export()]))
RDF["fuzz.ttl"] += texts(FIX / "export" / "hand-written.ttl",
                         FIX / "bad" / "rdf" / "hostile-names.ttl")


@given(name=st.sampled_from(sorted(RDF)), data=st.data())
@settings(max_examples=200, **SETTINGS)
@example(name="fuzz.jsonld", data=b'"just a string"')
@example(name="fuzz.jsonld", data=b'{"@context": "http://example.org/ctx.jsonld", "@id": "x"}')
@example(name="fuzz.jsonld", data=b"[" * 100_000)
@example(name="fuzz.ttl", data=b'@prefix e: <http://e/> .\ne:a e:b "x\n')
def test_rdf_parse_and_load_or_load_error(scratch, name, data):
    from htkg.loaders.rdf import load_into, parse_file
    if not isinstance(data, bytes):
        data = data.draw(mangled(RDF[name]))
    path = write(scratch, name, data)
    try:
        g = parse_file(path)
        load_into(KnowledgeGraph(), g, str(path))
    except LoadError as exc:
        assert exc.file == str(path)
        event("refused")
        return
    event("loaded")


# -- schema YAML -------------------------------------------------------------------------------
SCHEMA_TEXTS = texts(CORE_SCHEMA, *sorted((FIX / "schema").glob("*.yaml")))


@given(data=mangled(SCHEMA_TEXTS))
@settings(max_examples=100, **SETTINGS)
@example(data=b"labels:\n  A: {properties: {p: {type: enum, values: 5}}}\n")
@example(data=b"labels:\n  A: {}\nrelationships:\n  R: {between: [[A, A]], key: 7}\n")
@example(data=b"labels: {A: {properties: {p: {type: [1]}}}}\n")
# Found by hypothesis: a mapping as a key made ruamel raise TypeError.
@example(data=b"labels:\n?\n  Organisation: {}\n  Country: {}\nrelationships:\n  REFERRED:\n"
              b"    between: [[Organisation, Country]]\n    key: [year]\n    properties:\n"
              b"      people: {type: int}\n")
def test_parse_schema_or_schema_error(data):
    text = data.decode("utf-8", errors="replace")
    try:
        schema = parse_schema(text, "fuzz.yaml")
    except LoadError as exc:          # SchemaError is a LoadError
        assert exc.file == "fuzz.yaml"
        event("refused")
        return
    event("parsed")
    assert isinstance(schema, Schema) and schema.labels


# -- saved-query headers -----------------------------------------------------------------------
QUERY_TEXTS = texts(*sorted(BUNDLED.glob("*.cypher")),
                    *sorted((FIX / "queries").rglob("*.cypher")),
                    *sorted((FIX / "bad" / "queries").rglob("*.cypher")))


@given(data=mangled(QUERY_TEXTS))
@settings(max_examples=300, **SETTINGS)
@example(data=b"// name: q\n// description: d\n// param: n (int, default x) d\n// example: e\n"
              b"RETURN $n")
@example(data=b"// name: q\n// description: d\n// param: n (nation, default Atlantis) d\n"
              b"// example: e\nRETURN $n")
@example(data=b"// name: q\n// description: d\n// example: e\nRETURN [x IN [1] | x] AS `a`, "
              b"{a: 1}.a, (")
def test_parse_query_or_load_error(data):
    text = data.decode("utf-8", errors="replace")
    try:
        q = parse_query(text, "fuzz.cypher")
    except LoadError as exc:
        assert exc.file == "fuzz.cypher" and (exc.line is None or exc.line >= 1)
        event("refused")
        return
    event("parsed")
    assert isinstance(q, SavedQuery) and q.name and q.description
    assert isinstance(q.columns, list) and isinstance(q.ordered, bool)
    q.to_json()
