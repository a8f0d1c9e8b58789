"""The htkg command line: commands for minutes (registered on `htkg.cli.main`)."""
from __future__ import annotations

import click

from htkg.cli import db_option, emit, format_option, main, param_option, parse_params  # noqa: F401
