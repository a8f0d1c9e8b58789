"""Resolve nationality demonyms ("Albanian", "UK", "Albanian Greek") to ISO codes.

The National Referral Mechanism statistics give nationality as a demonym,
and a dual nationality as two demonyms with nothing between them. The
bundled table ``data/demonyms.csv`` (``demonym,iso2,note``) maps every
demonym form to an ISO 3166-1 alpha-2 code. Matching ignores case,
accents, punctuation and spacing, and reads "saint" as "st".

Kosovo has no ISO 3166-1 code; the table uses the user-assigned code
``XK`` (as the EU and others do) for "Kosovan"/"Kosovar", and
:meth:`NationalityResolver.country_code` maps "Kosovo" to ``XK`` too.

>>> resolve("Albanian Greek")
('AL', 'GR')
>>> country_code("Nigeria"), country_code("Kosovo")
('NG', 'XK')
"""
from __future__ import annotations

import csv
import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable
from importlib import resources

from htkg.errors import LoadError
from htkg.textfile import split_lines

#: Normalised values that are deliberately not a country: they resolve to ().
UNRESOLVABLE = frozenset({
    "unknown", "not known", "not specified", "not specified or unknown", "unspecified",
    "not stated", "not recorded", "stateless", "other", "total"})

#: Country names that pycountry does not know (normalised key -> code).
#: England, Scotland, Wales and Northern Ireland give GB (subdivisions are not codes here).
_COUNTRY_ALIASES = {
    "kosovo": "XK", "xk": "XK", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "brunei": "BN", "burma": "MM",
    "cape verde": "CV", "east timor": "TL", "ivory coast": "CI", "drc": "CD", "dr congo": "CD",
    "congo democratic republic": "CD", "democratic republic of congo": "CD",
    "congo kinshasa": "CD", "congo brazzaville": "CG", "republic of congo": "CG",
    "micronesia": "FM", "palestine": "PS", "russia": "RU", "turkey": "TR",
    "vatican city": "VA", "holy see": "VA", "macau": "MO", "swaziland": "SZ",
    "macedonia": "MK", "czech republic": "CZ", "falkland islands": "FK", "st vincent": "VC",
    "st martin": "MF", "st helena": "SH", "sint maarten": "SX", "us virgin islands": "VI",
    "holland": "NL"}

_APOSTROPHES = re.compile(r"['\u2019\u02bc`\u00b4]")
_NON_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Fold case, accents and punctuation; "&" reads "and", "saint" reads "st".

    >>> normalise("  Congolese (DRC) ")
    'congolese drc'
    >>> normalise("Citizen of Guinea-Bissau"), normalise("Côte d'Ivoire")
    ('citizen of guinea bissau', 'cote divoire')
    >>> normalise("Saint Lucian & UK")
    'st lucian and uk'
    """
    text = unicodedata.normalize("NFKD", str(text).replace("&", " and "))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = _NON_WORD.sub(" ", _APOSTROPHES.sub("", text)).split()
    return " ".join("st" if w == "saint" else w for w in words)


def _bundled_rows() -> list[tuple[str, str]]:
    """Read ``data/demonyms.csv`` from the installed package."""
    name = "data/demonyms.csv"
    text = resources.files("htkg").joinpath("data").joinpath("demonyms.csv").read_text("utf-8")
    reader = csv.reader(split_lines(text))
    if next(reader, None) != ["demonym", "iso2", "note"]:
        raise LoadError("header must be 'demonym,iso2,note'", name, 1)
    rows = []
    for line, row in enumerate(reader, start=2):
        if len(row) != 3 or not row[0].strip() or not re.fullmatch(r"[A-Z]{2}", row[1]):
            raise LoadError(f"expected 'demonym,ISO2,note', got {row!r}", name, line)
        rows.append((row[0].strip(), row[1]))
    return rows


class NationalityResolver:
    """Demonyms to ISO 3166-1 alpha-2 codes, with cached results.

    Parameters
    ----------
    rows : iterable of (demonym, iso2), optional
        The table; defaults to the bundled ``data/demonyms.csv``.

    Examples
    --------
    >>> r = NationalityResolver([("Albanian", "AL"), ("Greek", "GR")])
    >>> r.resolve("albanian  GREEK"), r.resolve("Unknown"), r.demonyms_for("al")
    (('AL', 'GR'), (), ['Albanian'])
    """

    def __init__(self, rows: Iterable[tuple[str, str]] | None = None):
        self._codes: dict[str, str] = {}      # normalised demonym -> code
        self._display: dict[str, str] = {}    # normalised demonym -> first spelling
        self._by_code: dict[str, list[str]] = {}
        where = "data/demonyms.csv" if rows is None else None
        for demonym, code in _bundled_rows() if rows is None else rows:
            key, code = normalise(demonym), code.upper()
            if self._codes.setdefault(key, code) != code:
                raise LoadError(f"demonym {demonym!r} maps to both "
                                f"{self._codes[key]} and {code}", where)
            self._display.setdefault(key, demonym)
            self._by_code.setdefault(code, []).append(demonym)
        self._longest = max((len(k.split()) for k in (*self._codes, *UNRESOLVABLE)), default=1)
        self._cache: dict[str, tuple[str, ...]] = {}
        self._countries: dict[str, str] | None = None

    def resolve(self, text: str) -> tuple[str, ...]:
        """Codes of the demonym(s) in ``text``, in order, without repeats.

        Longest demonyms win ("South Sudanese" over "Sudanese"); parts that
        are in :data:`UNRESOLVABLE` ("Afghan Unknown") add no code.

        Raises
        ------
        LoadError
            Naming the value and the closest demonyms, if a part is unknown.

        Examples
        --------
        >>> r = default_resolver()
        >>> r.resolve("Sudanese South Sudanese"), r.resolve("Congolese Drc ")
        (('SD', 'SS'), ('CD',))
        >>> r.resolve("Afghan Unknown"), r.resolve("Not specified or unknown")
        (('AF',), ())
        >>> r.resolve("Nigeriann")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        htkg.errors.LoadError: unknown nationality 'Nigeriann': ...closest: 'Nigerian', ...
        """
        cached = self._cache.get(text)
        if cached is not None:
            return cached
        words = normalise(text).split()
        if not words:
            raise LoadError(f"empty nationality value {text!r}")
        parse, failed_at = self._parse(words)
        if parse is None:
            raise LoadError(self._unknown_message(text, words, failed_at))
        codes = tuple(dict.fromkeys(c for c in parse if c))
        self._cache[text] = codes
        return codes

    def _parse(self, words: list[str]) -> tuple[list[str] | None, int]:
        """Longest-first segmentation, backtracking only if it dead-ends."""
        memo: dict[int, list[str] | None] = {len(words): []}
        failed = [0]

        def at(i: int) -> list[str] | None:
            if i not in memo:
                memo[i] = None
                for j in range(min(len(words), i + self._longest), i, -1):
                    key = " ".join(words[i:j])
                    code = "" if key in UNRESOLVABLE else self._codes.get(key)
                    if code is not None and (rest := at(j)) is not None:
                        memo[i] = [code, *rest]
                        break
                else:
                    failed[0] = max(failed[0], i)
            return memo[i]

        return at(0), failed[0]

    def _unknown_message(self, text: str, words: list[str], i: int) -> str:
        """Name the unknown words from ``i`` up to where a known demonym starts."""
        j = i + 1
        while j < len(words) and not any(" ".join(words[j:k]) in self._codes or
                                         " ".join(words[j:k]) in UNRESOLVABLE
                                         for k in range(j + 1, len(words) + 1)):
            j += 1
        part = " ".join(words[i:j])
        near = list(dict.fromkeys(self.candidates(part) + self.candidates(" ".join(words))))[:5]
        hint = ("closest: " + ", ".join(map(repr, near))) if near else "no similar demonym"
        return f"unknown nationality {text!r}: {part!r} is not a known demonym ({hint})"

    def candidates(self, text: str, n: int = 5) -> list[str]:
        """Up to ``n`` known demonyms containing, then close to, ``text``.

        >>> default_resolver().candidates("Korean", n=3)
        ['North Korean', 'South Korean', 'Norwegian']
        """
        query = normalise(text)
        keys = sorted((k for k in self._codes if k != query and f" {query} " in f" {k} "), key=len)
        keys += difflib.get_close_matches(query, self._codes, n, 0.6)
        return [self._display[k] for k in dict.fromkeys(keys)][:n]

    def is_unresolvable(self, text: str) -> bool:
        """True for values deliberately not resolved ("Unknown", "Total")."""
        return is_unresolvable(text)

    def demonyms_for(self, iso2: str) -> list[str]:
        """Every demonym form of a country, in table order.

        >>> default_resolver().demonyms_for("gb")[:3]
        ['British', 'Briton', 'English']
        """
        return list(self._by_code.get(iso2.upper(), []))

    def country_code(self, text: str) -> str | None:
        """One code for a single demonym, country name or ISO code, else None.

        >>> r = default_resolver()
        >>> [r.country_code(t) for t in ("Nigerian", "NG", "NGA", "Viet Nam", "Vietnam")]
        ['NG', 'NG', 'NG', 'VN', 'VN']
        >>> r.country_code("UK"), r.country_code("Albanian Greek"), r.country_code("Unknown")
        ('GB', None, None)
        """
        key = normalise(text)
        if key in self._codes:
            return self._codes[key]
        if self._countries is None:
            self._countries = _country_index()
        return self._countries.get(key) or self._countries.get(key.removeprefix("the "))


def _country_index() -> dict[str, str]:
    """Normalised pycountry codes and names ("Korea, Republic of" also inverted)."""
    import pycountry  # deferred: pycountry loads its tables on import

    index: dict[str, str] = {}
    for country in pycountry.countries:
        names = [country.alpha_2, country.alpha_3, country.name,
                 getattr(country, "official_name", ""), getattr(country, "common_name", "")]
        names += [", ".join(reversed(n.split(", ", 1))).replace(",", "")
                  for n in names if ", " in n]
        for name in filter(None, names):
            key = normalise(name)
            index.setdefault(key, country.alpha_2)
            index.setdefault(key.removeprefix("the "), country.alpha_2)
    index.update(_COUNTRY_ALIASES)
    return index


@functools.lru_cache(maxsize=1)
def default_resolver() -> NationalityResolver:
    """The resolver over the bundled table, built once."""
    return NationalityResolver()


def resolve(text: str) -> tuple[str, ...]:
    """:meth:`NationalityResolver.resolve` on the default resolver."""
    return default_resolver().resolve(text)


def is_unresolvable(text: str) -> bool:
    """True if ``text`` is, as a whole, a value deliberately not resolved.

    >>> is_unresolvable(" Not Known"), is_unresolvable("Afghan Unknown")
    (True, False)
    """
    return normalise(text) in UNRESOLVABLE


def demonyms_for(iso2: str) -> list[str]:
    """:meth:`NationalityResolver.demonyms_for` on the default resolver."""
    return default_resolver().demonyms_for(iso2)


def country_code(text: str) -> str | None:
    """:meth:`NationalityResolver.country_code` on the default resolver."""
    return default_resolver().country_code(text)
