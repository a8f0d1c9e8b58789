"""``htkg query NAME --help``: the help of that query, where the user is (issue 18 item 4).

What an official reading it would check: the query's own parameters with their types and
defaults, what each type accepts, its description, note, caveat and examples; and that
``htkg query --help`` alone is still the command's help, listing the saved queries.
"""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from htkg.cli import main
from htkg.queries import TYPES, load_catalogue

MINE = Path(__file__).parent / "fixtures" / "queries" / "mine"


def run(*args: str, **env: str):
    return CliRunner(env={"HTKG_QUERIES": "", **env}).invoke(main, list(args),
                                                             prog_name="htkg")


def flat(text: str) -> str:
    """Help text with its wrapping undone, to look for a phrase."""
    return " ".join(text.split())


def test_a_querys_help_shows_its_parameters_types_defaults_note_caveat_and_examples():
    query = load_catalogue().get("top-source-countries")
    result = run("query", "top-source-countries", "--help")
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert result.output.startswith("Usage: htkg query top-source-countries [-p NAME=VALUE]")
    assert query.description in text
    for p in query.params:
        assert p.signature in text and flat(p.description) in text, p.name
    assert "limit (int, default 10)" in text and "exclude_uk (bool, default false)" in text
    for t in {p.type for p in query.params}:
        assert flat(TYPES[t].help) in text, t
    assert "Note: " + flat(query.note) in text
    assert "Caveat (printed with every result): " + flat(query.caveat) in text
    for example in query.examples:
        assert example in result.output
    # Not the command's generic help: no list of every query.
    assert "Saved queries" not in result.output and "unengaged-frontline" not in result.output


def test_help_after_the_name_wins_wherever_it_is_given():
    for args in (["query", "-h", "country-links"], ["query", "country-links", "-p",
                                                    "country=Nigeria", "--help"],
                 ["query", "--format", "json", "country-links", "-h"]):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "country (country, required)" in result.output, args
        assert "a country name, ISO code or demonym" in flat(result.output)


def test_a_query_without_parameters_or_caveat_says_so():
    result = run("query", "successors", "--help")
    assert result.exit_code == 0
    assert "Caveat" not in result.output
    result = run("query", "organisations", "--help")
    assert "kind (kind)" in result.output


def test_a_query_of_ones_own_has_its_help_too():
    result = run("query", "bodies-in-nation", "--queries", str(MINE), "--help")
    assert result.exit_code == 0, result.output
    assert "nation (nation, required)" in result.output
    assert "a user's own query" in flat(result.output) and str(MINE) in flat(result.output)
    result = run("query", "bodies-in-nation", "--help", HTKG_QUERIES=str(MINE))
    assert "nation (nation, required)" in result.output


def test_a_mistyped_name_with_help_suggests_the_nearest():
    result = run("query", "top-sorce-countries", "--help")
    assert result.exit_code == 1
    assert "no saved query 'top-sorce-countries'; did you mean 'top-source-countries'" \
        in result.output


def test_the_commands_own_help_lists_every_saved_query():
    result = run("query", "--help")
    assert result.exit_code == 0, result.output
    assert "Run the saved query NAME" in result.output
    assert "htkg query NAME --help" in flat(result.output)
    listing = result.output.split("Saved queries", 1)[1]
    for q in load_catalogue():
        assert q.name in listing, q.name
    # A value that looks like --help is a value, not a request for help.
    result = run("query", "country-links", "-p", "--help")
    assert "country (country, required)" not in result.output
