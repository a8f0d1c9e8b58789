"""Places where a regression used to pass the suite (issue 17, tests).

With every count of ``htkg stats`` forced to 0 the suite still passed; nothing ran
htkg with its default store (no ``--db``, no ``NEO4J_URI``) or with ``--verbose``.
(``show`` with an ambiguous name: tests/test_hostile_names.py; the text form of
``htkg minutes``: tests/test_minutes_context.py.)
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from hostile import run  # noqa: E402  (tests/hostile.py)

import htkg  # noqa: E402


def bundled_graph():
    """What a build without figures holds: the registry and the reference data."""
    return htkg.load(figures=False).graph


def stats(db=None, fmt: str = "json", env: dict | None = None):
    args = ["stats", "--format", fmt] + (["--db", db] if db is not None else [])
    return run(*args, env=env)


def test_stats_prints_the_exact_counts_of_the_store(registry_store):
    result = stats(registry_store)
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    labels, types = bundled_graph().counts()
    assert got == ([{"kind": "label", "name": k, "count": v} for k, v in labels.items()]
                   + [{"kind": "relationship", "name": k, "count": v} for k, v in types.items()])
    counts = {(r["kind"], r["name"]): r["count"] for r in got}
    # figures known without reading the registry: every country, and the six labels
    assert counts[("label", "Country")] == 248 + 1 + 5
    assert len([k for k, _ in counts if k == "label"]) == 6
    assert all(v > 0 for v in counts.values())
    table = stats(registry_store, "table").output.split("\n")
    assert next(line for line in table if " Country " in line).split() == [
        "│", "label", "│", "Country", "│", "254", "│"]
    assert table[-2] == f"{len(got)} rows"
    csv_lines = stats(registry_store, "csv").output.split("\n")
    assert csv_lines[0] == "kind,name,count" and "label,Country,254" in csv_lines


def test_the_default_store_is_under_xdg_data_home(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "NEO4J_URI": None, "HTKG_DB": None,
           "NEO4J_USERNAME": None, "NEO4J_PASSWORD": None, "NEO4J_DATABASE": None}
    missing = stats(env=env)
    assert missing.exit_code == 1
    assert missing.output == (f"Error: no graph has been built in {tmp_path}/data/htkg/store "
                              f"yet; run 'htkg build' first\n")
    built = run("build", "--no-map", "--no-figures", env=env)
    assert built.exit_code == 0, built.output
    assert f"to {tmp_path}/data/htkg/store in " in built.output
    assert (tmp_path / "data" / "htkg" / "store").is_dir()
    result = stats(env=env)
    assert result.exit_code == 0, result.output
    labels, types = bundled_graph().counts()
    got = {r["name"]: r["count"] for r in json.loads(result.output)}
    assert got == {**labels, **types}
    assert run("show", "Royal Mail", env=env).output.startswith(
        "Royal Mail  [Organisation] id=royal-mail\n")


def test_verbose_shows_the_traceback_and_plain_output_does_not(tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    args = [sys.executable, "-m", "htkg"]
    missing = ["stats", "--db", str(tmp_path / "none")]
    plain = subprocess.run(args + missing, capture_output=True, text=True, env=env, timeout=120)
    assert plain.returncode == 1
    assert plain.stderr == (f"Error: no graph has been built in {tmp_path}/none yet; run "
                            f"'htkg build' first\n")
    verbose = subprocess.run(args + ["--verbose"] + missing, capture_output=True, text=True,
                             env=env, timeout=120)
    assert verbose.returncode == 1
    assert verbose.stderr.startswith("Traceback (most recent call last):\n")
    assert verbose.stderr.rstrip("\n").split("\n")[-1] == (
        f"htkg.errors.StoreError: no graph has been built in {tmp_path}/none yet; run "
        f"'htkg build' first")
