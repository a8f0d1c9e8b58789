"""Names that look the same but are not: a guard the model keeps for every new entity.

A new entity whose name or alias differs from another entity's of the same
label only by characters that do not show (a zero-width space, a soft
hyphen, a bidi mark, a no-break space) would pass for that body in every
listing while being a second one; the model refuses it, naming both. A name
written exactly the same is a homonym (two people called Sam Carter), which
resolution then asks about ("could mean several").
"""
from __future__ import annotations

from htkg.errors import LoadError
from htkg.graph.records import Node, Provenance
from htkg.graph.resolver import invisible_in, shown_form


def _odd(name: str) -> list[str]:
    """Invisible characters and spaces other than U+0020, as U+XXXX."""
    return invisible_in(name) + [f"U+{ord(c):04X}" for c in name if c.isspace() and c != " "]


def names_of(props: dict) -> list[str]:
    return [n for n in [props.get("name"), *(props.get("aliases") or [])] if isinstance(n, str)]


class LookalikeIndex:
    """Every entity's names as a reader sees them, by label."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], tuple[str, str, str]] = {}  # -> name, id, source

    def check(self, node: Node, new: bool) -> None:
        """Refuse a new entity that looks like another; then remember its names."""
        names = names_of(node.props)
        if new:
            for name in names:
                other = self._seen.get((node.label, shown_form(name)))
                if other is not None and other[1] != node.id and other[0] != name:
                    raise _lookalike(node, name, *other)
        for name in names:
            self._seen.setdefault((node.label, shown_form(name)), (name, node.id, node.source))


def _where(source: str) -> tuple[str | None, int | None]:
    p = Provenance.parse(source)
    return (p.where if p.paragraph is not None else p.file) or None, p.line


def _lookalike(node: Node, name: str, old_name: str, old_id: str, old_source: str) -> LoadError:
    file, line = _where(node.source)
    old_file, old_line = _where(old_source)
    at = f", {old_file}:{old_line}" if old_line else (f", {old_file}" if old_file else "")
    odd = sorted(set(_odd(name)) ^ set(_odd(old_name)))
    how = (f"name {ascii(name)} differs from '{old_name}' ({old_id}{at}) only by "
           f"characters that do not show ({', '.join(odd) or 'spacing'})")
    return LoadError(f"{node.label} '{node.id}': {how}; to add to that body use its id "
                     f"'{old_id}', else give this one a name of its own, written plainly",
                     file, line)
