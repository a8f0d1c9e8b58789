"""Helpers shared by the hostile-input tests (tests/test_hostile_*.py): run a command
as a user would, read the store back whole, and check the one line a refusal prints."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from htkg.cli import main

ESC = "\x1b"
# As tests/test_bad_inputs.py: every node with each outgoing relationship.
DUMP = ("MATCH (n) OPTIONAL MATCH (n)-[r]->(m) "
        "RETURN n.id AS id, properties(n) AS props, type(r) AS type, m.id AS target, "
        "properties(r) AS rprops ORDER BY id, type, target, rprops.key")


def run(*args, env: dict | None = None):
    """``htkg ARGS`` through click's runner; output holds stdout then stderr."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, env=env)


def cypher_json(db, query: str, *params: str) -> list[dict]:
    result = run("cypher", query, "--db", db, "--format", "json", *params)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def dump(db) -> list[str]:
    """The store's whole content as sorted JSON lines (list order inside a property aside)."""
    rows = cypher_json(db, DUMP)
    for row in rows:
        for props in (row["props"], row["rprops"] or {}):
            for k, v in props.items():
                if isinstance(v, list):
                    props[k] = sorted(map(str, v))
    return sorted(json.dumps(r, sort_keys=True) for r in rows)


def error_line(result, where: str | None = None, *words: str) -> str:
    """The one 'Error: ...' line of a refusal (exit status 1), holding ``where``
    (``file:line: ``) and each of ``words``; no traceback, no raw control character."""
    assert result.exit_code == 1, result.output
    out = result.output.strip()
    assert "\n" not in out and out.startswith("Error: "), out[:2000]
    assert "Traceback" not in out and ESC not in out
    if where is not None:
        assert where in out, f"expected {where!r} in {out[:600]!r}"
    for w in words:
        assert w in out, f"expected {w!r} in {out[:600]!r}"
    return out


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path
