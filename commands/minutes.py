"""``htkg minutes``: review what htkg reads from a file of minutes."""
from __future__ import annotations

from pathlib import Path

import click

from htkg.commands.options import emit
from htkg.output import json_text


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="A listing for people, or one JSON object.")
def minutes(file: Path, fmt: str) -> None:
    """Show what htkg extracts from a FILE of minutes, for review before building.

    Attendees and apologies (organisation as written and as resolved, person,
    principal, chair, remote), items with their paragraphs and actions (owners
    as written and resolved), entities mentioned per paragraph, and warnings
    for every line that could not be placed.

    Example:

        htkg minutes ../shared/seeds/idmg-minutes-2013-03-11.txt --format json
    """
    from htkg.loaders.registry import default_resolver  # deferred: keeps start-up fast
    from htkg.loaders.minutes import format_text, read_minutes  # deferred: keeps start-up fast
    parsed = read_minutes(file, resolve=default_resolver())
    if fmt == "json":
        emit(json_text(parsed.to_json()))
    else:
        emit(format_text(parsed))
