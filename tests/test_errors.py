"""Errors as data (issue #17 item 4): an unreadable file is one shape everywhere — a finding
whose rule is the error's code and whose message is the error's Chinese message — in check's and
summary's --json, in merge's county workbook (问题清单) and its --json."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from xlsreport.cli import app

INBOX = Path(__file__).resolve().parents[1] / "samples" / "inbox"
runner = CliRunner()
CSV = "单位,本年新收\n马坡镇,3\n".encode("utf-8")  # a CSV saved with a workbook's name


def inbox_with_a_csv(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "收件箱"
    shutil.copytree(INBOX, folder)
    (folder / "马坡镇-2024.xls").write_bytes(CSV)
    return folder, folder / "马坡镇-2024.xls"


def test_an_unreadable_file_is_one_finding_with_the_error_s_code_everywhere(tmp_path):
    folder, csv = inbox_with_a_csv(tmp_path)
    checked = json.loads(runner.invoke(app, ["check", str(folder), "--json"]).stdout)
    entry = next(f for f in checked["files"] if f["file"] == str(csv))
    assert "error" not in entry  # no second shape beside the finding
    [finding] = entry["findings"]
    assert (finding["rule"], finding["severity"]) == ("UNSUPPORTED_FORMAT", "error")
    assert "CSV" in finding["message"] and "另存为" in finding["message"]

    summary = json.loads(runner.invoke(app, ["summary", str(folder), "--json"]).stdout)
    assert summary["unreadable"] == [finding]
    assert finding in summary["findings"]

    out = tmp_path / "县.xlsx"
    merged = runner.invoke(app, ["merge", str(folder), "-o", str(out), "--unit", "微山县", "--year", "2024", "--json"])
    assert merged.exit_code == 3
    assert json.loads(merged.stdout)["unreadable"] == [finding]
    rows = list(openpyxl.load_workbook(out, read_only=True)["问题清单"].iter_rows(values_only=True))
    assert [r[4:6] for r in rows if r[0] == str(csv)] == [("UNSUPPORTED_FORMAT", finding["message"])]
