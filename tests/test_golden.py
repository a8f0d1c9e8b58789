"""Golden check: what users see of a build does not change by accident.

The fixtures (bundled registry, the NRM tables of ``fixtures/nrm/good`` and
two files of minutes) are built with ``htkg build`` and exported with
``htkg export --format json`` and ``--format turtle``. Both exports must
equal the files in ``fixtures/golden`` byte for byte. A refactor must leave
them as they are; a change that means to alter the graph regenerates them
with ``python tests/test_golden.py`` and says why in its commit message.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
GOLDEN = FIXTURES / "golden"
INPUTS = [FIXTURES / "nrm" / "good", FIXTURES / "minutes" / "two-column-2014-07-09.txt",
          FIXTURES / "minutes" / "older-names-2007-02-20.txt"]
EXPORTS = {"json": "graph.json", "turtle": "graph.ttl"}


def _export(work: Path) -> dict[str, bytes]:
    from htkg.cli import main
    runner = CliRunner()
    db = work / "store"
    result = runner.invoke(main, ["build", *map(str, INPUTS), "--db", str(db), "--no-map",
                                  "--no-figures"])
    assert result.exit_code == 0, result.output
    out = {}
    for fmt, name in EXPORTS.items():
        result = runner.invoke(main, ["export", "--db", str(db), "--format", fmt,
                                      "-o", str(work / name)])
        assert result.exit_code == 0, result.output
        out[name] = (work / name).read_bytes()
    return out


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, bytes]:
    return _export(tmp_path_factory.mktemp("golden"))


@pytest.mark.parametrize("name", sorted(EXPORTS.values()))
def test_export_matches_golden(exported, name):
    expected = (GOLDEN / name).read_bytes()
    got = exported[name]
    if got != expected:
        lines_got, lines_expected = got.decode().splitlines(), expected.decode().splitlines()
        first = next((i for i, (a, b) in enumerate(zip(lines_got, lines_expected)) if a != b),
                     min(len(lines_got), len(lines_expected)))
        pytest.fail(f"{name} differs from fixtures/golden/{name} from line {first + 1}: "
                    f"got {lines_got[first:first + 1]!r}, expected "
                    f"{lines_expected[first:first + 1]!r}; if the change is meant, run "
                    f"'python tests/test_golden.py' and say why in the commit")


if __name__ == "__main__":  # regenerate the golden files
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        for name, data in _export(Path(tmp)).items():
            (GOLDEN / name).write_bytes(data)
            print(f"wrote {GOLDEN / name} ({len(data):,} bytes)", file=sys.stderr)
