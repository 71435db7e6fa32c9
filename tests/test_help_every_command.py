"""Every command the tool has — the ledger of issue #21 included — answers -h in Chinese that
fits 80 columns (issue #19 item 21), and the main help names it.  The commands are taken from
the application itself, so a command added later cannot slip past."""

from __future__ import annotations

import re
import unicodedata

import pytest
from typer.testing import CliRunner

from xlsreport.cli import app

COMMANDS = [c.name or c.callback.__name__ for c in app.registered_commands]
ENGLISH = re.compile(r"Show this message|\[required\]|\[default|<path>|<str>|<int|Usage|Options|Arguments|Commands|TEXT|INTEGER|PATH")


def _cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def test_the_ledger_is_among_the_commands() -> None:
    assert "ledger" in COMMANDS


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("command", COMMANDS)
def test_help_is_chinese_and_fits_the_screen(command: str, width: int) -> None:
    result = CliRunner().invoke(app, [command, "-h"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("用法：")
    assert not ENGLISH.search(result.stdout), ENGLISH.search(result.stdout)
    assert max(_cells(line) for line in result.stdout.splitlines()) <= width


def test_main_help_names_every_command() -> None:
    description = CliRunner().invoke(app, ["-h"]).stdout.split("命令：")[0]
    flat = "".join(description.split())
    for command in COMMANDS:
        assert f"（{command}）" in flat, command
