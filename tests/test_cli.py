"""The command line as a whole: help everywhere, errors as one line."""
from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from htkg.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_command_has_help_with_an_example():
    for name, command in main.commands.items():
        assert command.help, f"htkg {name} has no help"
        assert "Example:" in command.help, f"htkg {name} help has no Example: block"
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0


def test_every_command_is_in_the_readme():
    text = README.read_text(encoding="utf-8")
    for name in main.commands:
        assert re.search(rf"`htkg {name}\b", text), f"README does not document htkg {name}"


def test_bad_usage_exits_2():
    result = CliRunner().invoke(main, ["cypher", "RETURN 1", "-p", "no-equals-sign"])
    assert result.exit_code == 2
    assert "is not NAME=VALUE" in result.output


def test_unsupported_uri_is_a_clear_error():
    result = CliRunner().invoke(main, ["stats", "--db", "http://localhost:7474"])
    assert result.exit_code == 1
    assert "unsupported database URI" in result.output
