"""``-p`` values no database can hold (issue 17, low): each one line naming the parameter.

An integer beyond 64 bits, NaN (which came back as ``NaN`` in JSON output, which is
not JSON), a lone surrogate, a list nested 30,000 deep and a number of 5,000 digits
ended in tracebacks or wrong answers. ``cypher`` reads VALUE as JSON, a saved query
by its parameter's type; both check it before the store opens.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from hostile import error_line, run  # noqa: E402  (tests/hostile.py)

ECHO = "RETURN $n AS n"
BIG = "beyond the whole numbers a graph stores (64 bits, up to 9223372036854775807)"
NAN = "NaN and infinities are not numbers a graph stores or JSON can hold; give a finite number"
DEEP = "lists and maps nested more than 32 deep; give a flatter value"


def nested(depth: int, leaf: str = "1") -> str:
    return "[" * depth + leaf + "]" * depth


# (case, VALUE of -p n=VALUE, words of the error)
CYPHER_REFUSED = [
    ("nan", "NaN", [NAN]),
    ("infinity", "Infinity", [NAN]),
    ("minus-infinity", "-Infinity", [NAN]),
    ("overflowing-float", "1e999", [NAN]),
    ("nan-in-a-map", '{"a": [1, NaN]}', [NAN]),
    ("beyond-64-bits", "99999999999999999999999", ["a number of more than 19 digits is " + BIG]),
    ("one-past-the-top", "9223372036854775808", ["9223372036854775808 is " + BIG]),
    ("one-below-the-bottom", "-9223372036854775809", ["-9223372036854775809 is " + BIG]),
    ("5000-digits", "9" * 5000, ["a number of more than 19 digits"]),
    ("5000-digits-in-a-list", f"[1, {'9' * 5000}]", ["a number of more than 19 digits"]),
    ("big-inside-a-list", "[1, [2, 18446744073709551616]]", ["18446744073709551616 is " + BIG]),
    ("30000-deep", nested(30_000), [DEEP]),
    ("33-deep", nested(33), [DEEP]),
    ("deep-maps", '{"a": ' * 40 + "1" + "}" * 40, [DEEP]),
    ("json-surrogate", '"\\ud800"', ["half of a UTF-16 surrogate pair (\\ud800)",
                                     "write the character itself"]),
    ("surrogate-map-key", '{"\\udfff": 1}', ["half of a UTF-16 surrogate pair (\\udfff)"]),
    ("command-line-byte", "caf\udcff", ["not UTF-8 text (byte 0xff)", "UTF-8"]),
]


@pytest.mark.parametrize("case, value, words", CYPHER_REFUSED, ids=[c[0] for c in CYPHER_REFUSED])
def test_cypher_parameter_no_database_holds_is_one_line(case, value, words, registry_store):
    result = run("cypher", ECHO, "-p", f"n={value}", "--db", registry_store, "--format", "json")
    error_line(result, "Error: parameter 'n': ", *words)


@pytest.mark.parametrize("value, expected", [
    ("9223372036854775807", 9223372036854775807), ("-9223372036854775808", -9223372036854775808),
    ("1.5e300", 1.5e300), (nested(32), json.loads(nested(32))), ("NaNny", "NaNny"),
    ('"\\ud83d\\ude00"', "\U0001f600"), ("Infinity and beyond", "Infinity and beyond"),
])
def test_cypher_parameters_at_the_limits_come_back_exact(value, expected, registry_store):
    result = run("cypher", ECHO, "-p", f"n={value}", "--db", registry_store, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"n": expected}]


# (case, -p NAME=VALUE of 'htkg query referrals', words of the error)
QUERY_REFUSED = [
    ("beyond-64-bits", "year=99999999999999999999999",
     ["parameter 'year' (int): '99999999999999999999999' is " + BIG]),
    ("one-past-the-top", "limit=9223372036854775808", ["parameter 'limit' (int): "
                                                       "'9223372036854775808' is " + BIG]),
    ("5000-digits", "quarter=" + "4" * 5000, ["parameter 'quarter' (int): '4444", BIG]),
    ("nan", "year=NaN", ["parameter 'year' (int): 'NaN' is not a whole number"]),
    ("other-digits", "year=\u0662\u0660\u0662\u0663", ["parameter 'year' (int):",
                                                      "is not a whole number"]),
    ("underscores", "year=2_023", ["parameter 'year' (int): '2_023' is not a whole number"]),
    ("command-line-byte", "country=Alb\udce9nia", ["parameter 'country' (country): not UTF-8 "
                                                   "text (byte 0xe9)"]),
    ("json-looking-surrogate", "responder=\ud800", ["parameter 'responder' (organisation): half "
                                                    "of a UTF-16 surrogate pair (\\ud800)"]),
]


@pytest.mark.parametrize("case, param, words", QUERY_REFUSED, ids=[c[0] for c in QUERY_REFUSED])
def test_saved_query_parameter_no_database_holds_is_one_line(case, param, words, tmp_path):
    # refused before the store opens: this --db does not exist
    result = run("query", "referrals", "-p", param, "--db", tmp_path / "no-store")
    error_line(result, "Error: parameter ", *words)
    assert not (tmp_path / "no-store").exists()


def test_a_byte_that_is_not_utf8_on_a_real_command_line(registry_store, tmp_path):
    """As a shell passes it: the byte 0xff reaches Python as a lone surrogate."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "htkg", "cypher", ECHO, "-p", b"n=caf\xff",
                           "--db", registry_store], capture_output=True, env=env, timeout=120)
    assert done.returncode == 1
    assert done.stdout == b""
    assert done.stderr.decode() == ("Error: parameter 'n': not UTF-8 text (byte 0xff); give the "
                                    "value as UTF-8 (is the terminal's encoding UTF-8?)\n")
