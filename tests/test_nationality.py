"""Tests of the nationality (demonym) resolver, against the Home Office's own
nationality list and every Nationality value in the shared NRM statistics."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from htkg.errors import LoadError
from htkg.textfile import read_utf8
from htkg.loaders.nationality import (
    UNRESOLVABLE, NationalityResolver, country_code, default_resolver, demonyms_for,
    is_unresolvable, normalise, resolve,
)

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
HOMEOFFICE = SHARED / "homeoffice-lists"
TABLE = Path(__file__).resolve().parents[1] / "data" / "demonyms.csv"
FIGURES = Path(__file__).resolve().parents[1] / "data" / "figures" / "nrm"

# ISO 3166-1 entries with no permanent population, hence no demonym.
NO_DEMONYM = {
    "AQ": "Antarctica", "BV": "Bouvet Island",
    "GS": "South Georgia and the South Sandwich Islands",
    "HM": "Heard Island and McDonald Islands", "TF": "French Southern Territories",
    "UM": "US Minor Outlying Islands", "SJ": "Svalbard and Jan Mayen (no established demonym)",
}


def _lines(name: str) -> list[str]:
    path = HOMEOFFICE / name
    if not path.is_file():
        pytest.skip(f"shared Home Office list {path} is absent (it lives beside the repository)")
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _nrm_nationalities() -> dict[str, str]:
    """Distinct Nationality values of the bundled referral and duty-to-notify tables ->
    first file."""
    files = sorted(p for p in FIGURES.glob("nrm_*.csv.xz")
                   if p.name.startswith(("nrm_referrals_", "nrm_duty_to_notify_")))
    values: dict[str, str] = {}
    for path in files:
        text = read_utf8(path, path.name, "CSV", "")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if "Nationality" in (reader.fieldnames or []):
            for row in reader:
                values.setdefault(row["Nationality"], path.name)
    assert len(files) == 36 and values
    return values


def test_table_is_a_clean_csv_of_known_codes():
    with TABLE.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["demonym", "iso2", "note"]
    iso = {c.alpha_2 for c in pycountry.countries} | {"XK"}
    for row in rows[1:]:
        assert len(row) == 3 and row[0] == row[0].strip() and row[1] in iso, row
    NationalityResolver()  # raises LoadError on a demonym with two codes


def test_every_table_row_resolves_to_its_own_code():
    with TABLE.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            assert resolve(row["demonym"]) == (row["iso2"],), row
            assert country_code(row["demonym"]) == row["iso2"], row


def test_every_pycountry_country_has_a_demonym():
    missing = [c.alpha_2 for c in pycountry.countries
               if not demonyms_for(c.alpha_2) and c.alpha_2 not in NO_DEMONYM]
    assert missing == []
    assert "Nigerian" in demonyms_for("NG") and "Kosovan" in demonyms_for("xk")
    assert demonyms_for("ZZ") == []


def test_every_homeoffice_nationality_resolves_or_is_unresolvable():
    for line in _lines("ms_nationalities.txt"):
        if is_unresolvable(line):
            assert resolve(line) == ()
        else:
            assert len(resolve(line)) == 1, line


def test_every_homeoffice_country_has_a_code():
    for line in _lines("ms_countries.txt"):
        assert is_unresolvable(line) or country_code(line), line


def test_every_nrm_nationality_resolves_or_is_deliberately_unresolvable():
    for value, file in _nrm_nationalities().items():
        try:
            codes = resolve(value)
        except LoadError as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"{file}: {exc}")
        assert codes or is_unresolvable(value), (file, value)
        assert len(codes) <= 2, (file, value, codes)


@pytest.mark.parametrize("text, codes", [
    ("Albanian Greek", ("AL", "GR")), ("Afghan Italian", ("AF", "IT")),
    ("Greek Albanian", ("GR", "AL")), ("Sudanese South Sudanese", ("SD", "SS")),
    ("South Sudanese Sudanese", ("SS", "SD")), ("South Sudanese South African", ("SS", "ZA")),
    ("Congolese Congo Rwandan", ("CG", "RW")), ("Angolan Congolese (Drc)", ("AO", "CD")),
    ("Citizen of Guinea Bissau Portuguese", ("GW", "PT")), ("Portuguese UKrainian", ("PT", "UA")),
    ("British Virgin Islander UK", ("VG", "GB")), ("Albanian Equatorial Guinean", ("AL", "GQ")),
    ("Chinese Hong Konger", ("CN", "HK")), ("Central African French", ("CF", "FR")),
    ("Sierra Leonean Sudanese", ("SL", "SD")), ("Albanian Kosovan", ("AL", "XK")),
])
def test_dual_nationalities_give_codes_in_order(text, codes):
    assert resolve(text) == codes


@pytest.mark.parametrize("text, code", [
    ("UK", "GB"), ("British", "GB"), (" uk ", "GB"), ("Scottish", "GB"), ("Northern Irish", "GB"),
    ("Irish", "IE"), ("Kosovan", "XK"), ("Congolese (DRC)", "CD"), ("Congolese Drc ", "CD"),
    ("Congolese (Congo)", "CG"), ("Nigerian", "NG"), ("Nigerien", "NE"), ("Dominican", "DM"),
    ("Citizen of the Dominican Republic", "DO"), ("Palestinian", "PS"), ("North Korean", "KP"),
    ("South Korean", "KR"), ("Citizen of Vanuatu ", "VU"), ("Saint Lucian", "LC"),
    ("Burkinabe", "BF"), ("Turks & Caicos Islander", "TC"),
])
def test_single_demonyms(text, code):
    assert resolve(text) == (code,)


@pytest.mark.parametrize("text", ["Unknown", "Not specified or unknown", "Stateless", "Total",
                                  "Not Known", "other", "UNKNOWN "])
def test_unresolvable_values_give_no_code(text):
    assert is_unresolvable(text) and normalise(text) in UNRESOLVABLE
    assert resolve(text) == () and country_code(text) is None


def test_unresolvable_part_of_a_dual_is_dropped():
    assert resolve("Afghan Unknown") == ("AF",) and not is_unresolvable("Afghan Unknown")
    assert resolve("Unknown UK") == ("GB",) and resolve("Unknown Not Known") == ()


@pytest.mark.parametrize("text, code", [
    ("Nigerian", "NG"), ("Nigeria", "NG"), ("NG", "NG"), ("nga", "NG"), ("Viet Nam", "VN"),
    ("Vietnam", "VN"), ("UK", "GB"), ("United Kingdom", "GB"), ("GB", "GB"), ("Kosovo", "XK"),
    ("XK", "XK"), ("Côte d'Ivoire", "CI"), ("Ivory Coast", "CI"), ("The Gambia", "GM"),
    ("Democratic Republic of the Congo", "CD"), ("Congo", "CG"), ("South Korea", "KR"),
    ("Korea, Republic of", "KR"), ("Republic of Korea", "KR"), ("Turkey", "TR"),
    ("St Kitts and Nevis", "KN"), ("Saint Kitts and Nevis", "KN"),
])
def test_country_code_accepts_demonyms_names_and_codes(text, code):
    assert country_code(text) == code


@pytest.mark.parametrize("text", ["Albanian Greek", "Atlantis", "", "Unknown"])
def test_country_code_gives_none_otherwise(text):
    assert country_code(text) is None


def test_unknown_value_raises_naming_it_with_candidates():
    with pytest.raises(LoadError) as info:
        resolve("Nigeriann")
    assert "'Nigeriann'" in str(info.value) and "'Nigerian'" in str(info.value)
    with pytest.raises(LoadError) as info:
        resolve("Albanian Martian")
    assert "'Albanian Martian'" in str(info.value) and "'martian'" in str(info.value)


@pytest.mark.parametrize("text, suggested", [
    ("Congolese", ["Congolese (DRC)", "Congolese (Congo)"]),
    ("Korean", ["North Korean", "South Korean"]), ("Virgin Islander", ["US Virgin Islander"]),
])
def test_ambiguous_demonyms_raise_and_suggest_every_reading(text, suggested):
    with pytest.raises(LoadError) as info:
        resolve(text)
    assert all(repr(s) in str(info.value) for s in suggested)


@pytest.mark.parametrize("text", ["", "   ", "()"])
def test_empty_value_raises(text):
    with pytest.raises(LoadError):
        resolve(text)


def test_results_are_cached_and_resolver_is_shared():
    assert default_resolver() is default_resolver()
    assert resolve("Albanian Greek") is resolve("Albanian Greek")


def test_conflicting_table_is_rejected():
    with pytest.raises(LoadError, match="(?i)congolese"):
        NationalityResolver([("Congolese", "CG"), ("congolese", "CD")])


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_resolve_returns_codes_or_raises_load_error(text):
    try:
        codes = resolve(text)
    except LoadError:
        return
    assert isinstance(codes, tuple)
    assert all(isinstance(c, str) and re.fullmatch(r"[A-Z]{2}", c) for c in codes)


_ROWS = list(csv.reader(TABLE.read_text(encoding="utf-8").splitlines()))[1:]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_ROWS), st.sampled_from(_ROWS))
def test_two_demonyms_side_by_side_read_as_a_dual(first, second):
    text = f"{first[0]} {second[0]}"
    if default_resolver().country_code(text):  # itself one demonym ("American Samoan")
        return
    assert resolve(text) == tuple(dict.fromkeys((first[1], second[1])))
