"""The docs stay true to the code: generated parts current, doctests run."""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
NOT_LIBRARY = {"tests", "bench", "docs", "scripts"}


def _generator():
    spec = importlib.util.spec_from_file_location("htkg_docs_generate", DOCS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _library_files() -> list[Path]:
    """The package's own modules (not tests, benchmarks, the docs generator)."""
    out = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in NOT_LIBRARY or any(p.startswith(".") for p in rel.parts):
            continue
        if rel.name not in ("conftest.py", "__main__.py"):
            out.append(path)
    return out


def test_generated_docs_are_up_to_date():
    generate = _generator()
    stale = generate.stale()
    shown = ", ".join(str(p.relative_to(ROOT)) for p in stale)
    assert not stale, (f"{shown}: out of date with the code (--help texts, saved queries or "
                       f"schema); regenerate with: {generate.COMMAND}")


def test_every_generated_part_has_a_place_in_the_docs():
    generate = _generator()
    found = set()
    for path in DOCS.glob("*.md"):
        found |= set(re.findall(r"<!-- generated: ([a-z-]+)", path.read_text(encoding="utf-8")))
    assert set(generate.PARTS) <= found, f"no marker for {set(generate.PARTS) - found}"


# -- doctests -------------------------------------------------------------------------------
def test_doctests_of_every_library_module_are_collected():
    """`python -m pytest` from the root runs each module's doctests under its htkg. name;
    a module with examples that pytest would not collect fails here rather than pass unseen."""
    result = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                             "-p", "no:cacheprovider", "--ignore", str(ROOT / "tests"), str(ROOT)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    items = [line for line in result.stdout.splitlines() if "::" in line]
    assert all("::htkg." in item for item in items), [i for i in items if "::htkg." not in i]
    missing = []
    for path in _library_files():
        if ">>>" in path.read_text(encoding="utf-8"):
            rel = path.relative_to(ROOT).as_posix()
            if not any(item.startswith(f"{rel}::") for item in items):
                missing.append(rel)
    assert not missing, f"'>>>' in these modules, but pytest collects no doctest: {missing}"
    assert len(items) >= 40
