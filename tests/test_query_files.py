"""Saved query files: the header parser, declared-versus-used parameters, folders of
one's own, name clashes, typed values that need no store, and the commands' help.

Nothing here opens a store; tests/test_queries.py runs the queries.
"""
from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from htkg.cli import main
from htkg.errors import LoadError, QueryError
from htkg.queries import load_catalogue, parse_query, used_parameters, user_dirs
from htkg.queries.catalogue import BUNDLED, return_columns
from htkg.queries.params import TYPES, bind, check

FOLDERS = Path(__file__).parent / "fixtures" / "queries"
GOOD = """\
// name: demo
// description: A demonstration query
// param: country (country, required) the country: name, ISO code or demonym
// param: limit (int, default 5) most rows
//   to return, at most
// param: remote (bool) only remote attendance
// example: htkg query demo -p country=Nigeria
// example: htkg query demo -p country=NG -p limit=2
// note: A note
//   over two lines.
MATCH (c:Country {id: $country}) // $ignored in a comment
WHERE $remote IS NULL OR $remote
RETURN c.name AS name, '$not_a_param' AS literal
LIMIT $limit
"""


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


# -- the header parser ---------------------------------------------------------------
def test_parse_a_good_header():
    q = parse_query(GOOD, "demo.cypher", expected_name="demo")
    assert (q.name, q.description) == ("demo", "A demonstration query")
    assert [(p.name, p.type, p.required, p.default) for p in q.params] == [
        ("country", "country", True, None), ("limit", "int", False, 5),
        ("remote", "bool", False, None)]
    assert q.params[1].description == "most rows to return, at most"
    assert q.examples == ["htkg query demo -p country=Nigeria",
                          "htkg query demo -p country=NG -p limit=2"]
    assert q.note == "A note over two lines."
    assert q.cypher.startswith("MATCH (c:Country") and q.body_line == 11
    assert [p.signature for p in q.params] == [
        "country (country, required)", "limit (int, default 5)", "remote (bool)"]
    assert q.columns == ["name", "literal"] and q.ordered is False


def test_a_caveat_is_parsed_and_listed():
    text = GOOD.replace("// note: A note\n", "// caveat: Partial figures:\n//   read with care.\n"
                                              "// note: A note\n")
    q = parse_query(text, "demo.cypher", expected_name="demo")
    assert q.caveat == "Partial figures: read with care." and q.note == "A note over two lines."
    assert q.to_json()["caveat"] == q.caveat and parse_query(GOOD).to_json()["caveat"] is None
    twice = text.replace("// note: A note\n", "// caveat: again\n// note: A note\n")
    with pytest.raises(LoadError, match=r"demo.cypher:\d+: 'caveat' is given twice"):
        parse_query(twice, "demo.cypher")
    result = run("queries")
    assert result.exit_code == 0
    listed = result.output.split("Caveats, printed with each result:\n", 1)[1]
    assert "  nation-source-countries: A nation's figure counts only" in listed
    assert "  top-source-countries: With -p nation" in listed
    result = run("queries", "--format", "json")
    caveats = {q["name"]: q["caveat"] for q in json.loads(result.output)}
    assert caveats["nation-source-countries"].startswith("A nation's figure")
    assert caveats["actions"] is None


def test_used_parameters_skip_strings_and_comments():
    assert used_parameters(parse_query(GOOD).cypher) == {"country": 1, "remote": 2, "limit": 4}
    assert used_parameters('RETURN "$a", `$b`, $c /* $d */') == {"c": 1}


def test_return_columns_of_the_final_return():
    assert return_columns("CALL { MATCH (a) RETURN a AS x UNION ALL MATCH (b) RETURN b AS x } "
                          "RETURN x.name AS name, count(*) ORDER BY name") == ["name", "count(*)"]


BAD_HEADERS = [
    ("MATCH (n) RETURN n", 1, "starts with a header"),
    ("// name: x\n// description: d\nRETURN 1", 1, "no 'example:' line"),
    ("// name: x\n// descripton: d\n// example: e\nRETURN 1", 2,
     "unknown header key 'descripton' (did you mean 'description'?)"),
    ("// name: x\n// description: d\n// param: n (countri) c\n// example: e\nRETURN $n", 3,
     "unknown type 'countri' (did you mean 'country'?)"),
    ("// name: x\n// description: d\n// param: n (int) a\n// param: n (int) b\n// example: e\n"
     "RETURN $n", 4, "'n' is declared twice (first at line 3)"),
    ("// name: x\n// description: d\n// param: n (int, required, default 3) a\n// example: e\n"
     "RETURN $n", 3, "required and has a default"),
    ("// name: x\n// description: d\n// param: n (int, default many) a\n// example: e\n"
     "RETURN $n", 3, "'many' is not a whole number"),
    ("// name: x\n// description: d\n// param: n int\n// example: e\nRETURN $n", 3,
     "a parameter is written 'NAME (TYPE"),
    ("// name: x\n// description: d\n// param: n (int, sometimes) a\n// example: e\nRETURN $n",
     3, "expected 'required', 'optional' or 'default VALUE'"),
    ("// name: x\n// description: d\n//   more\n// example: e\nRETURN 1", 3,
     "the description is one line"),
    ("// name: x\n// description: d\n// example: e\n\n", 5, "the header is not followed"),
    ("// name: x\n// description: d\n// example: e\n//just text\nRETURN 1", 4,
     "expected '// key: value'"),
    ("// name: Bad_Name\n// description: d\n// example: e\nRETURN 1", 1, "lower-case letters"),
    ("// name: x\n// description: d\n// example: e\n\nMATCH (n)\nWHERE n.y = $y\nRETURN n", 6,
     "uses $y but the header declares no parameter 'y'"),
    ("// name: x\n// description: d\n// param: y (int) a\n// example: e\nRETURN 1", 3,
     "parameter 'y' is declared but the query never uses $y"),
]


@pytest.mark.parametrize("text,line,message", BAD_HEADERS)
def test_malformed_headers_name_file_and_line(text, line, message):
    with pytest.raises(LoadError) as err:
        parse_query(text, "q/x.cypher")
    assert str(err.value).startswith(f"q/x.cypher:{line}: "), str(err.value)
    assert message in str(err.value)


def test_name_must_match_the_file(tmp_path):
    (tmp_path / "other.cypher").write_text(GOOD)
    with pytest.raises(LoadError, match=r"other.cypher:1: query name 'demo' differs from the "
                                        r"file name"):
        load_catalogue([tmp_path])


# -- the bundled catalogue -------------------------------------------------------------
def bundled():
    return list(load_catalogue())


def test_the_catalogue_has_the_issue_queries():
    names = {q.name for q in bundled()}
    assert {"frontline-organisations", "country-links", "top-source-countries", "actions",
            "attendance", "regulated-sectors", "connection", "unengaged-frontline",
            "organisation-profile", "successors"} <= names


@pytest.mark.parametrize("path", sorted(BUNDLED.glob("*.cypher")), ids=lambda p: p.stem)
def test_bundled_declares_what_it_uses_and_uses_what_it_declares(path):
    """Checked here independently of the parser, which also refuses a mismatch."""
    text = path.read_text()
    header = [line for line in text.splitlines() if line.startswith("// param:")]
    declared = {re.match(r"// param: (\w+)", line).group(1) for line in header}
    body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    assert set(used_parameters(body)) == declared


@pytest.mark.parametrize("query", bundled(), ids=lambda q: q.name)
def test_bundled_examples_run_the_query_with_declared_parameters(query):
    assert query.examples and len(query.description) <= 100
    for example in query.examples:
        words = shlex.split(example)
        assert words[:3] == ["htkg", "query", query.name], example
        given = dict(w.split("=", 1) for prev, w in zip(words, words[1:]) if prev == "-p")
        check(query, given)  # names exist, required ones given, static types convert
    assert "id(" not in query.cypher.replace("elementId(", "x") and "apoc." not in query.cypher


@pytest.mark.parametrize("folder,where,message", [
    ("broken-undeclared", "uses-undeclared.cypher:7:",
     "uses $quarter but the header declares no parameter 'quarter'"),
    ("broken-unused", "declares-unused.cypher:4:",
     "parameter 'limit' is declared but the query never uses $limit"),
    ("broken-type", "unknown-type.cypher:3:", "unknown type 'countri'"),
])
def test_broken_folders_are_refused_with_file_and_line(folder, where, message):
    with pytest.raises(LoadError) as err:
        load_catalogue([FOLDERS / folder])
    assert where in str(err.value) and message in str(err.value)


# -- folders of one's own ----------------------------------------------------------------
def test_user_folder_beside_the_bundled_queries():
    cat = load_catalogue([FOLDERS / "mine"])
    assert "bodies-in-nation" in cat and "country-links" in cat
    assert not cat.get("bodies-in-nation").bundled


def test_a_name_clash_is_an_error_naming_both_files():
    with pytest.raises(LoadError) as err:
        load_catalogue([FOLDERS / "clash"])
    text = str(err.value)
    assert "clash/actions.cypher" in text and "queries/actions.cypher" in text
    assert "saved query 'actions' is also defined" in text


def test_user_dirs_from_option_and_environment(tmp_path):
    env = {"HTKG_QUERIES": f"{tmp_path / 'a'}{os.pathsep}{tmp_path / 'b'}"}
    assert user_dirs(["x"], env) == [Path("x"), tmp_path / "a", tmp_path / "b"]
    assert user_dirs([], {}) == []


def test_a_missing_folder_is_an_error(tmp_path):
    with pytest.raises(LoadError, match="no such folder of saved queries"):
        load_catalogue([tmp_path / "nope"])


# -- names and values checked without a store -----------------------------------------------
def test_a_mistyped_name_suggests_the_nearest():
    cat = load_catalogue()
    with pytest.raises(QueryError) as err:
        cat.get("country-link")
    assert str(err.value) == "no saved query 'country-link'; did you mean 'country-links'?"
    with pytest.raises(QueryError, match="'htkg queries' lists them"):
        cat.get("zzzz")


def test_parameter_errors_name_the_parameter_and_its_type():
    q = load_catalogue().get("top-source-countries")
    with pytest.raises(QueryError, match=r"no parameter 'yeer'; its parameters: year \(int\), "
                                         r"quarter \(int\), kind \(kind\), nation \(nation\), "
                                         r"exclude_uk \(bool, default false\), "
                                         r"start \(quarter\), end \(quarter\), "
                                         r"limit \(int, default 10\)"):
        check(q, {"yeer": "2023"})
    with pytest.raises(QueryError, match=r"parameter 'start' \(quarter\): '2023Q5' is not a "
                                         r"quarter; write YYYYQn, e.g. 2023Q4"):
        check(q, {"start": "2023Q5"})
    with pytest.raises(QueryError, match=r"parameter 'year' \(int\): 'last' is not a whole"):
        check(q, {"year": "last"})
    with pytest.raises(QueryError, match=r"'ngoes' is not an organisation kind; did you mean "
                                         r"'ngo'"):
        check(q, {"kind": "ngoes"})
    country = load_catalogue().get("country-links")
    with pytest.raises(QueryError, match=r"needs parameter 'country' \(country: a country name, "
                                         r"ISO code or demonym"):
        check(country, {})


def test_static_types_convert():
    assert bind(load_catalogue().get("top-source-countries"),
                {"year": "2023", "quarter": 4, "kind": "Local authority", "nation": "Scottish",
                 "start": "2022 Q3", "end": "2023q4"}
                ) == {"year": 2023, "quarter": 4, "kind": "local_authority", "nation": "GB-SCT",
                      "exclude_uk": False, "start": 20223, "end": 20234, "limit": 10}
    nation = TYPES["nation"]
    assert [nation.convert(v, None) for v in ("GB-WLS", "wales", "Cymru", "NI",
                                              "Northern Irish", "england")] == \
        ["GB-WLS", "GB-WLS", "GB-WLS", "GB-NIR", "GB-NIR", "GB-ENG"]
    assert [TYPES["bool"].convert(v, None) for v in ("yes", "False", "1", True)] == \
        [True, False, True, True]
    with pytest.raises(QueryError, match="not true or false"):
        TYPES["bool"].convert("maybe", None)


# -- the commands -----------------------------------------------------------------------------
def test_queries_lists_every_query_with_parameters():
    result = run("queries")
    assert result.exit_code == 0, result.output
    for q in bundled():
        assert q.name in result.output
    assert "country (country, required)" in result.output
    assert f"{len(bundled())} rows" in result.output
    data = json.loads(run("queries", "--format", "json").output)
    entry = next(d for d in data if d["name"] == "top-source-countries")
    assert {"name": "limit", "type": "int", "required": False, "default": 10,
            "description": "how many countries"} in entry["parameters"]
    assert entry["examples"] and entry["bundled"] is True


def test_queries_reads_user_folders_from_option_and_environment():
    mine = FOLDERS / "mine"
    assert "bodies-in-nation" in run("queries", "--queries", mine).output
    result = run("queries", "--format", "json", env={"HTKG_QUERIES": str(mine)})
    entry = next(d for d in json.loads(result.output) if d["name"] == "bodies-in-nation")
    assert entry["file"] == str(mine / "bodies-in-nation.cypher") and entry["bundled"] is False
    result = run("queries", "--queries", FOLDERS / "clash")
    assert result.exit_code == 1 and "saved query 'actions' is also defined" in result.output


def test_query_errors_come_before_the_store_opens(tmp_path):
    db = tmp_path / "never-built"
    result = run("query", "country-link", "--db", db)
    assert result.exit_code == 1
    assert "Error: no saved query 'country-link'; did you mean 'country-links'?" in result.output
    result = run("query", "country-links", "--db", db)
    assert result.exit_code == 1 and "needs parameter 'country' (country:" in result.output
    result = run("query", "country-links", "-p", "nation=GB-SCT", "--db", db)
    assert result.exit_code == 1
    assert "has no parameter 'nation'; its parameters: country (country, required)" in result.output
    result = run("query", "actions", "-p", "owner", "--db", db)
    assert result.exit_code == 2 and "'owner' is not NAME=VALUE" in result.output
    assert not db.exists()


def _commands(group, prefix=""):
    for name, cmd in sorted(group.commands.items()):
        yield f"{prefix}{name}", cmd
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, f"{prefix}{name} ")


def test_every_command_has_help_with_an_example():
    missing = [name for name, cmd in _commands(main)
               if not (cmd.help or "").strip() or not re.search(r"^\s*Examples?:", cmd.help, re.M)]
    assert missing == [], f"commands without help or an 'Example:' block: {missing}"
    for name in ("queries", "query"):
        result = run(*name.split(), "--help")
        assert result.exit_code == 0 and "Example:" in result.output


def test_connection_walks_every_relationship_type_but_referrals():
    """The allowed types are listed in the pattern (portable); keep them in step with
    the schema."""
    from htkg.schema.model import load_schema
    cypher = load_catalogue().get("connection").cypher
    listed = re.search(r"\[:([A-Z_|\s]+)\*\.\.6\]", cypher).group(1)
    types = {t.strip() for t in listed.split("|")}
    assert types == set(load_schema().relationships) - {"REFERRED", "REFERRED_QUARTER"}
