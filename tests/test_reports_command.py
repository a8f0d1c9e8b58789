"""`htkg report`: the command writes the file, says where, and refuses bad options in one
line before the store opens. What the reports hold is tested in test_reports.py."""
from __future__ import annotations

import re

from click.testing import CliRunner

from htkg.cli import main


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


def test_the_command_writes_html_and_says_where(report_store, tmp_path):
    out = tmp_path / "ng.html"
    result = run("report", "country", "Nigerian", "--db", report_store, "-o", out)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (f"Wrote the country report on Nigeria "
                                             f"(2022 Q4 to 2023 Q4) to {out.resolve()}")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<h1>Nigeria</h1>" in page
    assert re.search(r"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
                     r"&#x27;none&#x27;", page)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_the_command_writes_markdown_without_the_map(report_store, tmp_path):
    result = run("report", "nation", "Wales", "--db", report_store, "--from", "2023Q1",
                 "--format", "md", "-o", tmp_path / "wales.md")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "wales.md").read_text(encoding="utf-8")
    assert text.startswith("# Wales: nation report\n")
    assert "| 1 | Nigeria | 3 |" in text
    assert "The network map" in text and "left out of the Markdown" in text
    assert "<svg" not in text and "<iframe" not in text
    assert "    htkg query responders -p nation=Wales -p start=2023Q1 -p limit=100000" in text


def test_the_command_names_its_default_file_and_refuses_bad_options(report_store, tmp_path,
                                                                     monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("report", "country", "NG", "--db", report_store, "--format", "md")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "htkg-report-nigeria.md").exists()
    for args, message in [
            (["country", "Nigeria", "-o", "x.md", "--format", "html"],
             "x.md ends in .md but the format asked for is html"),
            (["country", "Nigeria", "--to", "last"], "--to: 'last' is not a quarter"),
            (["nation", "Kent"], "'Kent' is not a UK nation"),
            (["country", "Atlantis"], "no country called 'Atlantis'")]:
        result = run("report", *args, "--db", report_store)
        assert result.exit_code == 1, result.output
        assert message in result.output and len(result.output.strip().splitlines()) == 1
        assert "Traceback" not in result.output


def test_each_report_command_has_help_with_an_example():
    for name, command in main.commands["report"].commands.items():
        assert command.help and "Example:" in command.help, name
        result = run("report", name, "--help")
        assert result.exit_code == 0 and "--from YYYYQn" in result.output
