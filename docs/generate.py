"""Regenerate the parts of the docs that are read from the code.

    .venv/bin/python docs/generate.py            # rewrite what is out of date
    .venv/bin/python docs/generate.py --check    # change nothing; exit 1 naming stale files

A generated part of a Markdown file in docs/ sits between two marker lines,
and everything outside them is written by hand::

    <!-- generated: commands (docs/generate.py) -->
    ...
    <!-- end generated -->

The parts: ``commands`` (every command's ``--help``), ``queries`` (the saved
queries' headers), ``param-types`` (the saved queries' parameter types),
``labels`` and ``relationships`` (the schema, schema/core.yaml).
``tests/test_docs.py`` fails when a part is out of date and says to run this.
It needs only htkg itself, not the test extras.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Callable

DOCS = Path(__file__).resolve().parent
COMMAND = ".venv/bin/python docs/generate.py"
WIDTH = 88    # --help is rendered at this width, whatever the terminal
_BLOCK = re.compile(r"(?P<open><!-- generated: (?P<name>[a-z-]+)[^>]*-->\n)(?P<body>.*?)"
                    r"(?P<close><!-- end generated -->)", re.S)


# -- the parts --------------------------------------------------------------------
def commands() -> str:
    """Every command's --help, in the order the group registers them."""
    from click.testing import CliRunner
    from htkg.cli import main

    def help_text(args: list[str]) -> str:
        result = CliRunner().invoke(main, [*args, "--help"], prog_name="htkg",
                                    terminal_width=WIDTH, max_content_width=WIDTH)
        if result.exit_code != 0:
            raise SystemExit(f"htkg {' '.join(args)} --help failed: {result.output}")
        return result.output.rstrip() + "\n"

    out = ["```text", "$ htkg --help", help_text([]).rstrip(), "```", ""]
    for name, command in main.commands.items():
        out += [f"## `htkg {name}`", "", "```text", f"$ htkg {name} --help",
                help_text([name]).rstrip(), "```", ""]
        for sub in getattr(command, "commands", {}):   # a group's own commands
            out += [f"### `htkg {name} {sub}`", "", "```text", f"$ htkg {name} {sub} --help",
                    help_text([name, sub]).rstrip(), "```", ""]
    return "\n".join(out)


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def queries() -> str:
    """The bundled saved queries: an index, then each with parameters, notes, examples."""
    from htkg.queries.catalogue import load_catalogue
    catalogue = sorted(load_catalogue(), key=lambda q: q.name)
    out = ["| query | answers |", "| --- | --- |"]
    out += [f"| [`{q.name}`](#{q.name}) | {_cell(q.description)} |" for q in catalogue]
    out.append("")
    for q in catalogue:
        out += [f"### {q.name}", "", f"{q.description}.", ""]
        if q.params:
            out += ["| parameter | type | given | what |", "| --- | --- | --- | --- |"]
            for p in q.params:
                given = ("required" if p.required else
                         f"optional, default `{p.default}`" if p.default is not None else "optional")
                out.append(f"| `{p.name}` | `{p.type}` | {given} | {_cell(p.description)} |")
        else:
            out.append("No parameters.")
        out.append("")
        if q.note:
            out += [f"Note: {q.note}", ""]
        if q.caveat:
            out += [f"Caveat (printed with every result): {q.caveat}", ""]
        out += ["```sh", *q.examples, "```", "", f"Source: [`{q.path}`](../{q.path})", ""]
    return "\n".join(out)


def param_types() -> str:
    """The parameter types a saved query may declare."""
    from htkg.queries.params import TYPES
    out = ["| type | accepts |", "| --- | --- |"]
    out += [f"| `{t.name}` | {_cell(t.help)} |" for t in TYPES.values()]
    return "\n".join(out) + "\n"


def _type(prop) -> str:
    if prop.type == "enum":
        return "one of " + ", ".join(f"`{v}`" for v in prop.values)
    return f"`{prop.type}`"


def _properties(props: dict, skip: tuple[str, ...]) -> list[str]:
    out = ["| property | type | required | meaning |", "| --- | --- | --- | --- |"]
    out += [f"| `{p.name}` | {_type(p)} | {'yes' if p.required else ''} | {_cell(p.description)} |"
            for p in props.values() if p.name not in skip]
    return out


def labels() -> str:
    """Every label of the schema with its own properties (those of every node first)."""
    from htkg.schema.model import load_schema
    schema = load_schema()
    common = _common(schema.labels.values())
    out = ["Every node has:", "", *_properties(common, ()), ""]
    for label in schema.labels.values():
        out += [f"### {label.name}", "", f"{label.description}.", ""]
        own = [n for n in label.properties if n not in common]
        out += (_properties(label.properties, tuple(common)) if own else ["No other properties."])
        out.append("")
    return "\n".join(out)


def relationships() -> str:
    """Every relationship type: endpoints, key and its own properties."""
    from htkg.schema.model import load_schema
    schema = load_schema()
    common = _common(schema.relationships.values())
    out = ["Every relationship has:", "", *_properties(common, ()), ""]
    for rel in schema.relationships.values():
        pairs = ", ".join(f"`{a}` → `{b}`" for a, b in rel.between)
        out += [f"### {rel.name}", "", f"{' '.join(rel.description.split())}.", "",
                f"- between: {pairs}"]
        if rel.key:
            out.append(f"- key: {', '.join(f'`{k}`' for k in rel.key)} (with the two endpoints, "
                       f"what makes one {rel.name} distinct from another)")
        if rel.compact:
            out.append("- compact: held in memory as one tuple per relationship")
        out.append("")
        own = [n for n in rel.properties if n not in common]
        if own:
            out += [*_properties(rel.properties, tuple(common)), ""]
    return "\n".join(out)


def _common(owners) -> dict:
    """The properties every owner (label or relationship type) has, in declared order."""
    owners = list(owners)
    first = owners[0].properties
    return {n: p for n, p in first.items() if all(o.properties.get(n) == p for o in owners)}


PARTS: dict[str, Callable[[], str]] = {
    "commands": commands, "queries": queries, "param-types": param_types,
    "labels": labels, "relationships": relationships,
}


# -- rewriting the files ---------------------------------------------------------------
def render(text: str, file: str, cache: dict[str, str]) -> str:
    """``text`` with every generated part brought up to date."""
    def part(m: re.Match) -> str:
        name = m.group("name")
        if name not in PARTS:
            raise SystemExit(f"{file}: unknown generated part '{name}'; "
                             f"known: {', '.join(PARTS)}")
        if name not in cache:
            cache[name] = PARTS[name]().rstrip("\n") + "\n"
        return m.group("open") + cache[name] + m.group("close")
    return _BLOCK.sub(part, text)


def stale(docs: Path = DOCS) -> dict[Path, str]:
    """The Markdown files whose generated parts are out of date, with their new text."""
    cache: dict[str, str] = {}
    out = {}
    for path in sorted(docs.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        new = render(text, str(path.relative_to(docs.parent)), cache)
        if new != text:
            out[path] = new
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 and name the files that are out of date")
    args = parser.parse_args(argv)
    changed = stale()
    root = DOCS.parent
    for path, text in changed.items():
        shown = path.relative_to(root)
        if args.check:
            print(f"{shown} is out of date; regenerate it with: {COMMAND}", file=sys.stderr)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {shown}")
    if args.check:
        return 1 if changed else 0
    if not changed:
        print("docs are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
