"""Rejoining text that a PDF's conversion broke over lines: spaces and hyphens.

A hyphen at a line end may be the word's own ("cross-border") or the
typesetter's ("traffick-/ing"); :func:`join_fragments` tells them apart from
the words the document itself uses.
"""
from __future__ import annotations

import re

_SUFFIXES = set("""ing ings ed er ers est ion ions tion tions sion sions ation ations ment ments
ness ity ities ance ances ence ences ency ancy ly ally ably ibly able ible ous ive ives ful ism
ist ists ise ised ises ising ize ized izes izing ure ures al als ial ic ical ian ians ant ants
ent ents ate ated ates ating y ies""".split())


def join_fragments(parts: list[str], vocabulary: set[str] = frozenset()) -> str:
    """Join line fragments with single spaces, repairing hyphenation at line ends.

    A hyphen at a line end is removed only when the next fragment starts in
    lower case and the joined word is known (``vocabulary`` holds the
    document's words) or the fragment is a bare suffix; a hyphenated form
    seen elsewhere in the document, or a capital after the hyphen, keeps it.

    >>> join_fragments(["the cross-", "Border team", "found traffick-", "ing  cases"])
    'the cross-Border team found trafficking cases'
    >>> join_fragments(["a multi-", "agency hub"])
    'a multi-agency hub'
    """
    out = ""
    for part in parts:
        part = " ".join(part.split())
        if not part:
            continue
        left = _hyphenated_end(out)
        nxt = re.match(r"[A-Za-z]+", part)
        if left and nxt:
            right = nxt.group(0)
            if _dehyphenate(left, right, vocabulary):
                out = out[:-1] + part
            else:
                out += part
            continue
        out = f"{out} {part}" if out else part
    return out


def _hyphenated_end(text: str) -> str:
    """The ASCII letters before a hyphen that ends ``text`` ("" if none).

    A backward scan, not ``re.search(r"([A-Za-z]+)-$")``, which takes time
    quadratic in the length of a long run of letters (a 5 MB line).

    >>> _hyphenated_end("the cross-"), _hyphenated_end("a - "), _hyphenated_end("x 2-")
    ('cross', '', '')
    """
    if not text.endswith("-"):
        return ""
    start = end = len(text) - 1
    while start and text[start - 1].isascii() and text[start - 1].isalpha():
        start -= 1
    return text[start:end]


def _dehyphenate(left: str, right: str, vocabulary: set[str]) -> bool:
    if not right[:1].islower():
        return False
    if f"{left}-{right}".casefold() in vocabulary:
        return False
    return (left + right).casefold() in vocabulary or right in _SUFFIXES
