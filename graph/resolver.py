"""Resolve names as people write them to the graph's canonical ids.

One resolver serves every loader and every command. It indexes each
entity's name and aliases after :func:`normalise`, so case, punctuation,
"&" for "and" and a leading "The" do not matter. Abbreviations (MOJ,
DfID), historical names (Scottish Executive) and the forms the NRM tables
print are aliases in the bundled registry, so knowledge lives in data.
A name that resolves to nothing returns ``None``; callers report it, they
never invent an entity for it.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from typing import Iterable

#: Characters that show as nothing: the soft hyphen, zero-width spaces and
#: joiners, bidi marks and isolates, variation selectors, fillers, the BOM and
#: tag characters. "Home\u200bOffice" must not pass for a body of its own.
INVISIBLE = ("\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
             "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff")
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_TOKEN = re.compile(f"[\\w'’{INVISIBLE}]+|&")
_ABBREV = re.compile(r"^[A-Z][A-Za-z]*[A-Z][A-Za-z]*$")


def shown_form(text: str) -> str:
    """A name as a reader sees it: invisible characters dropped, compatibility forms
    (a no-break space, full-width letters) folded, spaces collapsed.

    >>> shown_form("Home\\u00a0Of\\u00adfice\\u200b") == shown_form("Home Office")
    True
    """
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    return " ".join(text.split())


def invisible_in(text: str) -> list[str]:
    """The invisible characters in a text, as U+XXXX.

    >>> invisible_in("Home\\u200bOffice\\u00ad")
    ['U+200B', 'U+00AD']
    """
    return [f"U+{ord(c):04X}" for c in _INVISIBLE.findall(text)]


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Normalised word tokens of a text with their offsets; a word holding an
    invisible character (a zero-width space, a soft hyphen) reads as without it.

    >>> [t for t, _, _ in tokens("Barnardo's & the NCA")]
    ['barnardos', 'and', 'the', 'nca']
    >>> [t for t, _, _ in tokens("Ho\\u200bme Of\\u00adfice")]
    ['home', 'office']
    """
    out = []
    for m in _TOKEN.finditer(text):
        word = unicodedata.normalize("NFKC", _INVISIBLE.sub("", m.group()))
        word = word.casefold().replace("'", "").replace("’", "").replace("_", " ").strip()
        if word == "&":
            word = "and"
        if word:
            out.append((word, m.start(), m.end()))
    return out


def normalise(name: str) -> str:
    """The form names are compared in.

    >>> normalise("  The Children’s Society ")
    'childrens society'
    >>> normalise("AGO/CPS") == normalise("ago cps")
    True
    """
    words = [t for t, _, _ in tokens(name)]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


class Resolver:
    """An index from normalised names to entity ids.

    >>> r = Resolver()
    >>> r.add("ministry-of-justice", "Organisation", ["Ministry of Justice", "MOJ", "MoJ"])
    >>> r.add("country-gb-sct", "Country", ["Scotland"])
    >>> r.resolve("moj"), r.resolve("The Ministry of Justice"), r.resolve("Scotland", "Organisation")
    ('ministry-of-justice', 'ministry-of-justice', None)
    >>> r.scan("MOJ met officials from Scotland.")
    [('ministry-of-justice', 0, 3), ('country-gb-sct', 23, 31)]
    """

    def __init__(self) -> None:
        self._index: dict[str, set[str]] = defaultdict(set)
        self._labels: dict[str, str] = {}
        self._names: dict[str, str] = {}
        # (normalised name, id) -> the name as first written, to say what a search matched
        self._written: dict[tuple[str, str], str] = {}
        self._exact_case: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._longest = 1
        # First word of every indexed name -> the most words of a name it starts,
        # so scan() skips at once the many words that begin no name.
        self._starts: dict[str, int] = {}

    def add(self, entity_id: str, label: str, names: Iterable[str]) -> None:
        """Index an entity under each of its names (the first is its display name)."""
        self._labels[entity_id] = label
        for name in names:
            if not name:
                continue
            self._names.setdefault(entity_id, name)
            key = normalise(name)
            if not key:
                continue
            self._index[key].add(entity_id)
            self._written.setdefault((key, entity_id), name.strip())
            # Short upper-case abbreviations ("IE", "GLA") only match in running
            # text when written in capitals, so "ie" or "gla" in prose do not.
            if _ABBREV.match(name.strip()) and len(name.strip()) <= 6:
                self._exact_case[(key, entity_id)].add(name.strip())
            size = key.count(" ") + 1
            self._longest = max(self._longest, size)
            first = key.partition(" ")[0]
            self._starts[first] = max(self._starts.get(first, 0), size)

    @classmethod
    def from_graph(cls, kg) -> "Resolver":
        """Build a resolver over every entity of a :class:`KnowledgeGraph`."""
        r = cls()
        for node_id, label, props in kg.nodes():
            r.add(node_id, label, [props.get("name", ""), node_id, *props.get("aliases", [])])
        return r

    def label(self, entity_id: str) -> str | None:
        return self._labels.get(entity_id)

    def name(self, entity_id: str) -> str | None:
        return self._names.get(entity_id)

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self._labels

    def resolve_all(self, name: str, label: str | None = None) -> list[str]:
        """Every id the name may mean (empty when none, several when ambiguous)."""
        ids = self._index.get(normalise(name), set())
        if label is not None:
            ids = {i for i in ids if self._labels[i] == label}
        return sorted(ids)

    def resolve(self, name: str, label: str | None = None) -> str | None:
        """The one id a name means, or None when it means none or several."""
        ids = self.resolve_all(name, label)
        return ids[0] if len(ids) == 1 else None

    def candidates(self, name: str, n: int = 5, label: str | None = None) -> list[str]:
        """Display names of the closest entities, best first, for error messages."""
        keys = [k for k, ids in self._index.items()
                if label is None or any(self._labels[i] == label for i in ids)]
        close = difflib.get_close_matches(normalise(name), keys, n=n * 2, cutoff=0.6)
        key = normalise(name)
        close += [k for k in keys if key and key in k and k not in close]
        out: list[str] = []
        for k in close:
            for i in sorted(self._index[k]):
                shown = f"{self._names.get(i, i)} ({i})"
                if shown not in out and (label is None or self._labels[i] == label):
                    out.append(shown)
        return out[:n]

    def search(self, text: str, n: int = 20, label: str | None = None) -> list[tuple[str, str]]:
        """Entities whose names or aliases match ``text``, best first, as (id, the
        name or alias that matched): a name equal to it (every entity that
        shares an abbreviation), then names that start with it, then names
        with a word that starts with it, then names that hold it; only when no
        name holds it, close spellings. Within each, shorter names first.

        >>> r = Resolver()
        >>> r.add("greater-london-authority", "Organisation", ["Greater London Authority", "GLA"])
        >>> r.add("gangmasters-licensing-authority", "Organisation", ["Gangmasters Licensing Authority", "GLA"])
        >>> r.add("gangmasters-and-labour-abuse-authority", "Organisation", ["Gangmasters and Labour Abuse Authority", "GLAA"])
        >>> r.search("gla")
        [('gangmasters-licensing-authority', 'GLA'), ('greater-london-authority', 'GLA'), ('gangmasters-and-labour-abuse-authority', 'GLAA')]
        >>> r.search("labour abuse")
        [('gangmasters-and-labour-abuse-authority', 'Gangmasters and Labour Abuse Authority')]
        """
        key = normalise(text)
        if not key:
            return []
        ranked: dict[str, tuple[int, int, str, str]] = {}
        spaced = " " + key

        def offer(k: str, tier: int) -> None:
            for i in self._index[k]:
                if label is not None and self._labels[i] != label:
                    continue
                written = self._written.get((k, i), k)
                if written == i:     # the id itself: show the name
                    written = self._names.get(i, i)
                rank = (tier, len(k), written.casefold(), written)
                if i not in ranked or rank < ranked[i]:
                    ranked[i] = rank

        for k in self._index:
            if k == key:
                offer(k, 0)
            elif k.startswith(key):
                offer(k, 1)
            elif spaced in " " + k:
                offer(k, 2)
            elif len(key) >= 4 and key in k:
                offer(k, 3)
        if not ranked:      # no name holds it: close spellings (the slow part)
            for k in difflib.get_close_matches(key, list(self._index), n=n, cutoff=0.75):
                offer(k, 4)
        best = sorted(ranked, key=lambda i: (ranked[i][:3], i))[:n]
        return [(i, ranked[i][3]) for i in best]

    def scan(self, text: str, labels: Iterable[str] | None = None) -> list[tuple[str, int, int]]:
        """Entities named in running text: (id, start, end), longest match first.

        A match must look like a name: it starts with a capital letter, or
        names a Sector ("agriculture"); abbreviations match in capitals only.
        Ambiguous names are skipped.
        """
        wanted = set(labels) if labels is not None else None
        toks = tokens(text)
        found: list[tuple[str, int, int]] = []
        i = 0
        while i < len(toks):
            longest = self._starts.get(toks[i][0].partition(" ")[0], 0)
            for size in range(min(longest, len(toks) - i), 0, -1):
                key = " ".join(t for t, _, _ in toks[i:i + size])
                ids = self._index.get(key)
                if not ids or len(ids) != 1:
                    continue
                (entity_id,) = ids
                start, end = toks[i][1], toks[i + size - 1][2]
                written = text[start:end]
                label = self._labels[entity_id]
                if wanted is not None and label not in wanted:
                    continue
                exact = self._exact_case.get((key, entity_id))
                if exact and written not in exact:
                    continue
                if label != "Sector" and not written[:1].isupper():
                    continue
                found.append((entity_id, start, end))
                i += size - 1
                break
            i += 1
        return found
