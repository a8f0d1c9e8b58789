"""A disk that fills during a build: the build fails in one line, the old graph stays.

The store lives on a small file system mounted for the test: a tmpfs, or a
loop-mounted ext4 image where tmpfs cannot be mounted; the test is skipped,
saying why, only where neither can be (mounting needs root).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


def _mount(cmd: list[str]) -> bool:
    return subprocess.run(cmd, capture_output=True).returncode == 0


@contextlib.contextmanager
def small_disk(where: Path, megabytes: int):
    """A file system of ``megabytes`` mounted at ``where``."""
    where.mkdir(parents=True, exist_ok=True)
    image = None
    if not _mount(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(where)]):
        image = where.parent / f"{where.name}.img"
        with open(image, "wb") as f:
            f.truncate(megabytes * 2**20)
        if not (_mount(["mkfs.ext4", "-q", "-F", str(image)])
                and _mount(["mount", "-o", "loop", str(image), str(where)])):
            image.unlink()
            pytest.skip("cannot mount a small file system here (neither tmpfs nor a loop "
                        "image; mounting needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)
        if image is not None:
            image.unlink(missing_ok=True)


def htkg(*args, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "htkg", *map(str, args)], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, **kw)


def counts(db: Path) -> str:
    done = htkg("stats", "--db", db, "--format", "csv")
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A synthetic corpus of about 60,000 REFERRED relationships (bench/generate.py)."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--relationships",
                    "60000", "--out", str(out)], check=True, capture_output=True)
    return out


def _one_line_disk_full(done: subprocess.CompletedProcess, db: Path) -> None:
    assert done.returncode == 1, done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"Error: the disk holding {db} is full (")
    assert "the previous graph is unchanged" in lines[0]
    assert "Traceback" not in done.stderr + done.stdout


def _generations(db: Path) -> list[str]:
    return sorted(p.name for p in db.iterdir() if p.name.startswith("gen-"))


def test_a_disk_too_small_for_the_build_keeps_the_old_graph(tmp_path, corpus):
    """The issue's reproduction: a registry build fits, a large corpus does not."""
    with small_disk(tmp_path / "disk", 20) as disk:
        db = disk / "store"
        first = htkg("build", "--db", db, "--no-map", "--no-figures")
        assert first.returncode == 0, first.stderr
        before, generations = counts(db), _generations(db)
        done = htkg("build", corpus, "--db", db, "--no-map", "--no-figures")
        _one_line_disk_full(done, db)
        assert counts(db) == before
        assert _generations(db) == generations          # the new one discarded, the old kept


def test_a_disk_filled_by_someone_else_mid_build_keeps_the_old_graph(tmp_path, corpus):
    """Another process fills the disk while the build writes."""
    with small_disk(tmp_path / "disk", 64) as disk:
        db = disk / "store"
        assert htkg("build", "--db", db, "--no-map", "--no-figures").returncode == 0
        before, generations = counts(db), _generations(db)
        size = sum(f.stat().st_size for f in db.rglob("*") if f.is_file())
        filler = disk / "filler"

        def fill() -> None:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:    # once the new generation has grown
                now = sum(f.stat().st_size for f in db.rglob("*")
                          if f.is_file() and not f.is_symlink())
                if now > size + 2 * 2**20:
                    break
                time.sleep(0.02)
            with open(filler, "wb") as f, contextlib.suppress(OSError):
                while True:
                    f.write(b"\0" * 2**20)

        filling = threading.Thread(target=fill)
        filling.start()
        done = htkg("build", corpus, "--db", db, "--no-map", "--no-figures")
        filling.join()
        _one_line_disk_full(done, db)
        filler.unlink()
        assert counts(db) == before
        assert _generations(db) == generations


def test_a_graph_that_does_not_read_back_as_written_is_not_published(tmp_path):
    """The check before publishing compares counts read back from the engine."""
    import htkg as lib
    from htkg.errors import StoreError
    from htkg.graph.records import Node
    from htkg.graph.writers import EmbeddedWriter, verify

    db = tmp_path / "store"
    lib.build([], str(db), figures=False)
    kg = lib.load([], figures=False).graph
    with EmbeddedWriter(db) as writer:
        writer.open(kg)
        writer._writer.finish(kg, lambda q, rows: None)     # written: nothing else
        verify(writer.store, kg, exact=True)              # what was written reads back
        kg.add(Node("Sector", "sector-never-written", {"name": "Never written"}, "t (test)"))
        with pytest.raises(StoreError, match=r"label Sector: \d+ stored, \d+ written"):
            verify(writer.store, kg, exact=True)
