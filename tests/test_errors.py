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


# ---- the catalogue ------------------------------------------------------------------------------

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_the_readme_error_table_is_the_catalogue():
    from xlsreport.errors import readme_table

    assert readme_table() in README, "README 错误代码 differs from errors.ERRORS: paste errors.readme_table()"


def test_every_entry_of_the_catalogue_is_raised_somewhere_and_every_raise_names_an_entry():
    import re

    import xlsreport
    from xlsreport.errors import ERRORS

    package = Path(xlsreport.__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in package.rglob("*.py") if p.name != "errors.py")
    named = set(re.findall(r'(?<![\w.])(?:error|message)\(\s*"([A-Z_]+\.[A-Z_]+)"', source))
    assert named == set(ERRORS)
    # no message composed at a raise site: every error is made through the catalogue
    classes = r"(?:XlsreportError|UnreadableWorkbook|UnsupportedFormat|EncryptedWorkbook|LimitExceeded|NotAForm|OutputExists|OutputIsInput|OutputNotWritable|OutputLocked|InvalidData)"
    assert re.findall(rf"(?<![\w.]){classes}\(\s*f?\"", source) == []


def test_an_error_is_raised_as_its_class_with_its_exit_code_and_the_catalogue_s_words():
    from xlsreport.errors import ERRORS, ExitCode, LimitExceeded, error

    err = error("LIMIT_EXCEEDED.SHEETS", name="a.xlsx", sheets=300, limit=200, path="a.xlsx")
    assert isinstance(err, LimitExceeded) and err.exit_code == ExitCode.UNREADABLE and err.path == "a.xlsx"
    assert (err.code, err.kind) == ("LIMIT_EXCEEDED", "LIMIT_EXCEEDED.SHEETS")
    assert err.message == "文件 a.xlsx 有 300 个工作表，超过上限 200 个，已拒绝读取。"
    assert ERRORS["OUTPUT_EXISTS.OUTPUT"].exit_code == ExitCode.USAGE


def test_the_50_mb_message_is_one_message_from_the_file_and_from_bytes(tmp_path):
    from xlsreport.errors import LimitExceeded
    from xlsreport.reading.report import read, read_bytes
    from xlsreport.reading.sniff import MAX_FILE_BYTES

    big = tmp_path / "大.xlsx"
    with open(big, "wb") as handle:  # sparse: the size is refused before anything is read
        handle.truncate(MAX_FILE_BYTES + 1)
    said = []
    for attempt in (lambda: read(big), lambda: read_bytes(bytes(MAX_FILE_BYTES + 1), str(big))):
        try:
            attempt()
        except LimitExceeded as err:
            said.append(err.message)
    assert said[0] == said[1] == f"文件 {big} 大小为 50.0 MB，超过上限 50 MB：年度报告表格通常只有几十 KB，请删除图片等无关内容后另存再试。"
