"""下发 (issue #20): one workbook per roster unit, last year's carry-over filled in and locked,
the units without last year's report named, and the 下发通知.

Expected values are typed here: the carry-over of each unit is the 四、结转下年度继续办理 the test
wrote into its last-year report (FORM.md: this year's 二、上年结转 = last year's 四).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from yearly import APPLICANTS, write_report
from xlsreport.cli import app
from xlsreport.publish import render
from xlsreport.reading.report import read
from xlsreport.sending import write_templates

ROSTER = ["西平镇人民政府", "高楼乡人民政府", "张楼镇人民政府", "两城镇人民政府", "韩庄镇人民政府",
          "县教育局", "县民政局", "县财政局"]
FORWARD = {  # last year's 四、结转下年度继续办理, per applicant column
    "西平镇人民政府": [1, 0, 0, 0, 0, 2],
    "高楼乡人民政府": [0, 0, 0, 0, 0, 0],
    "张楼镇人民政府": [3, 1, 0, 0, 0, 0],
    "两城镇人民政府": [0, 0, 1, 0, 0, 0],
    "韩庄镇人民政府": [2, 0, 0, 0, 1, 0],
    "县教育局": [4, 0, 0, 0, 0, 0],
}


@pytest.fixture
def last_year(tmp_path: Path) -> Path:
    """Six units' 2024 reports: five workbooks, one published web page (rendered from a workbook)."""
    folder = tmp_path / "2024年"
    folder.mkdir()
    for i, (unit, forward) in enumerate(FORWARD.items()):
        if unit == "县教育局":
            source = write_report(tmp_path / "教育局底稿.xlsx", unit, 2024, forward, in_force=(0, 12))
            assert render(source, folder / "县教育局2024年报告.html").written
        else:
            # a name typed with a stray space and full-width letters still matches the roster
            shown = unit if i else "西平镇 人民政府"
            write_report(folder / f"{i}.xlsx", shown, 2024, forward, in_force=(0, 7 + i))
    return folder


def _carried(path: Path) -> list:
    """二、上年结转 as the written workbook holds it (openpyxl: the cells, not our reader)."""
    sheet = openpyxl.load_workbook(path)["依申请公开"]
    row = next(r for r in range(1, 40) if any(str(sheet.cell(r, c).value or "").startswith("二、上年结转") for c in range(1, 4)))
    return [sheet.cell(row, c).value for c in range(4, 10)], sheet.cell(row, 4)


def test_a_roster_of_eight_with_last_years_folder_of_six(tmp_path: Path, last_year: Path) -> None:
    out = tmp_path / "下发"
    result = write_templates(out, ROSTER, 2025, previous=[last_year])
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{u}.xlsx" for u in ROSTER] + ["下发通知.docx", "下发通知.txt"])
    for unit in ROSTER:
        values, first = _carried(out / f"{unit}.xlsx")
        if unit in FORWARD:
            assert values == FORWARD[unit], unit
            assert first.protection.locked
            assert "来源" in first.comment.text and ("2024年" in first.comment.text or ".html" in first.comment.text)
        else:
            assert values == [None] * 6, unit
    assert result.without_previous == ["县民政局", "县财政局"]
    assert result.not_on_roster == []
    # the published page's place is named (a document's place, not a cell)
    _, first = _carried(out / "县教育局.xlsx")
    assert "县教育局2024年报告.html" in first.comment.text and "表格" in first.comment.text
    # read back: the unit, the year and the carry-over are what the template pre-filled
    report = read(out / "张楼镇人民政府.xlsx")
    assert report.unit == "张楼镇人民政府" and report.year == 2025
    assert [report.prefilled[("applications", "carried_over", c)].value for c in APPLICANTS] == [3, 1, 0, 0, 0, 0]
    # the notice names the year, the due date and the two units without last year
    notice = (out / "下发通知.txt").read_text(encoding="utf-8-sig")
    assert "2025年政府信息公开工作年度报告" in notice and "县民政局、县财政局" in notice


@pytest.mark.office
def test_the_in_force_check_is_live_in_libreoffice(tmp_path: Path, last_year: Path) -> None:
    from libreoffice import convert

    out = tmp_path / "下发"
    write_templates(out, ROSTER[:1], 2025, previous=[last_year])
    book = openpyxl.load_workbook(out / "西平镇人民政府.xlsx")
    sheet = book["主动公开"]
    sheet["B6"], sheet["C6"], sheet["D6"] = 3, 1, 9  # 7 + 3 − 1 = 9: agrees
    book.save(tmp_path / "filled.xlsx")
    recalculated = openpyxl.load_workbook(convert(tmp_path / "filled.xlsx", "xlsx", tmp_path / "lo"), data_only=True)["校验"]
    rows = [[c.value for c in row] for row in recalculated.iter_rows() if row[1].value == "YEAR.IN_FORCE"]
    assert [(r[3], r[4], r[6]) for r in rows] == [(0, 0, "✓"), (9, 9, "✓")]  # 规章 none last year; 规范性文件 7+3−1


def test_last_years_units_not_on_the_roster_are_named(tmp_path: Path, last_year: Path) -> None:
    result = write_templates(tmp_path / "下发", ROSTER[1:3], 2025, previous=[last_year])
    assert sorted(item["unit"] for item in result.not_on_roster) == ["两城镇人民政府", "县教育局", "西平镇 人民政府", "韩庄镇人民政府"]


def test_cli_json_and_no_overwrite(tmp_path: Path, last_year: Path) -> None:
    roster = tmp_path / "名单.txt"
    roster.write_text("\n".join(ROSTER), encoding="utf-8")
    out = tmp_path / "下发"
    args = ["template", str(out), "--roster", str(roster), "--year", "2025", "--previous", str(last_year), "--due", "2026-01-20"]
    done = CliRunner().invoke(app, [*args, "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["without_previous"] == ["县民政局", "县财政局"] and data["due"] == "2026-01-20"
    assert len(data["templates"]) == 8
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.stderr
    assert CliRunner().invoke(app, [*args, "--force"]).exit_code == 0
    assert CliRunner().invoke(app, ["template", str(out), "--roster", str(roster)]).exit_code == 2  # no --year
