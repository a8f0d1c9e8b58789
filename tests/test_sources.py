"""The data that ships: every bundled file is accounted for in data/SOURCES.md (its
checksum matching the bytes it decompresses to), the package installs it, and data/
stays small."""
from __future__ import annotations

import glob
import hashlib
import re
import tomllib
from pathlib import Path

from htkg.pipeline.load import bundled_figures, bundled_reference
from htkg.textfile import plain_name, read_bytes

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SOURCES = (DATA / "SOURCES.md").read_text(encoding="utf-8")
CHECKSUM = re.compile(r"^([0-9a-f]{64})  (\S+)$", re.M)


def shipped() -> list[Path]:
    return bundled_reference() + bundled_figures()


def test_every_bundled_file_is_listed_with_its_origin():
    files = shipped()
    assert len(files) >= 40
    missing = [p.name for p in files if f"`{p.name}`" not in SOURCES]
    assert missing == [], f"add these to data/SOURCES.md: {missing}"


def test_every_checksum_matches_the_bytes_as_published():
    sums = dict((name, digest) for digest, name in CHECKSUM.findall(SOURCES))
    by_name = {plain_name(p): p for p in shipped()}
    nrm = [p for p in shipped() if p.parent.name in ("nrm", "geography", "govuk")]
    assert {plain_name(p) for p in nrm} <= set(sums)
    for name, digest in sums.items():
        data = read_bytes(by_name[name], name)
        assert hashlib.sha256(data).hexdigest() == digest, name


def test_the_package_installs_every_bundled_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["htkg"]
    installed = {Path(p).resolve() for pattern in patterns
                 for p in glob.glob(str(ROOT / pattern), recursive=True)}
    assert {p.resolve() for p in shipped()} <= installed
    assert (DATA / "SOURCES.md").resolve() in installed


def test_data_stays_under_6_mb():
    size = sum(p.stat().st_size for p in DATA.rglob("*") if p.is_file())
    assert size < 6 * 10**6, f"data/ holds {size:,} bytes"
