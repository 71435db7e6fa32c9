"""The published report against the submitted workbook (issue #20): ``check PUBLISHED --against
SUBMITTED`` in either order, and the same pair met in a folder by check, summary and merge.

The published page is rendered from the workbook by ``render`` and then one number is changed
in its text, as a unit retyping its table into a web page would: 行政许可 17 → 71 (FORM.md table
二, 第二十条第（五）项 本年处理决定数量).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from yearly import write_report
from xlsreport.batch import assess, check
from xlsreport.cli import app
from xlsreport.publish import render

UNIT = "微山县西平镇人民政府"


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    workbook = write_report(tmp_path / "西平镇.xlsx", UNIT, 2024, [1, 0, 0, 0, 0, 2])
    from openpyxl import load_workbook

    # 行政许可 17: set with openpyxl into the workbook the unit submitted (its cell named by label)
    book = load_workbook(workbook)
    sheet = book["主动公开"]
    row = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "行政许可")
    sheet.cell(row, 2).value = 17
    book.save(workbook)
    page = tmp_path / "西平镇2024年报告.html"
    assert render(workbook, page).written
    html = page.read_text(encoding="utf-8")
    assert html.count(">17<") == 1
    page.write_text(html.replace(">17<", ">71<"), encoding="utf-8")
    return page, workbook


def _findings(output: str) -> list[dict]:
    return [f for item in json.loads(output)["files"] for f in item["findings"] if f["rule"].startswith("PUBLISHED")]


@pytest.mark.parametrize("published_first", [True, False])
def test_against_names_both_values_and_both_places(pair, published_first) -> None:
    page, workbook = pair
    first, second = (page, workbook) if published_first else (workbook, page)
    done = CliRunner().invoke(app, ["check", str(first), "--against", str(second), "--json"])
    assert done.exit_code == 1, done.output
    (finding,) = _findings(done.stdout)
    assert finding["rule"] == "PUBLISHED.NUMBER" and finding["severity"] == "error"
    message = finding["message"]
    assert "行政许可" in message and "71" in message and "17" in message
    assert "网页 第1个表格" in message and "主动公开!B" in message
    assert page.name in message and workbook.name in message
    # the rest of both files agrees: nothing else is said about the comparison
    same = CliRunner().invoke(app, ["check", str(workbook), "--against", str(workbook), "--json"])
    assert _findings(same.stdout) == []


def test_a_different_unit_or_year_is_said_first(tmp_path: Path, pair) -> None:
    page, _ = pair
    other = write_report(tmp_path / "高楼乡.xlsx", "高楼乡人民政府", 2023, [1, 0, 0, 0, 0, 2])
    done = CliRunner().invoke(app, ["check", str(page), "--against", str(other), "--json"])
    rules = [f["rule"] for f in _findings(done.stdout)]
    assert rules[:2] == ["PUBLISHED.UNIT", "PUBLISHED.YEAR"]


def test_the_same_pair_in_a_folder(tmp_path: Path, pair) -> None:
    page, workbook = pair
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(page, inbox)
    shutil.copy(workbook, inbox)
    alone = _findings(CliRunner().invoke(app, ["check", str(page), "--against", str(workbook), "--json"]).stdout)
    in_folder = _findings(CliRunner().invoke(app, ["check", str(inbox), "--json"]).stdout)
    assert [f["message"] for f in in_folder] == [f["message"] for f in alone]
    # summary and merge: the workbook is summed, the published page is not, and that is said
    verdict = assess(check([inbox], keep_reports=False).files)
    status = {Path(row.file).suffix: row.status for row in verdict.rows}
    assert status == {".xlsx": "merged", ".html": "published"}
    said = [f for f in verdict.findings if f.rule == "MERGE.PUBLISHED"]
    assert len(said) == 1 and "1 处与工作簿不符" in said[0].message and "汇总采用工作簿" in said[0].message
    summary = CliRunner().invoke(app, ["summary", str(inbox)], env={"COLUMNS": "80"})
    assert summary.exit_code == 0, summary.output
    assert "发布稿有1处与工作簿不符" in "".join(summary.stdout.split())
    assert max(_width(line) for line in summary.stdout.splitlines()) <= 80


def _width(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
