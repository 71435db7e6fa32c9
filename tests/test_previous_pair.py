"""Last year's folder holds, for one unit, both the workbook the county checked and summed and
the report the unit published (issue #20: a pair; merge sums the workbook).  The carry-over sent
out this year (`template --roster --previous`) and the cross-year check (`check --previous`) take
last year's figures from that workbook, whatever the file names' order."""

from __future__ import annotations

from pathlib import Path

from xlsreport.batch import check, read_previous
from xlsreport.publish import render
from xlsreport.reading.report import read
from xlsreport.sending import write_templates
from xlsreport.writing.workbook import write_template

UNIT = "微山县西平镇人民政府"
CARRIED = ("applications", "carried_over", "natural_person")


def _last_year(tmp_path: Path) -> Path:
    """The published page says 3 carried forward (retyped wrongly); the workbook, summed, says 2.
    The page's name sorts before the workbook's."""
    last = tmp_path / "上年"
    last.mkdir()
    scratch = tmp_path / "草稿"
    scratch.mkdir()
    for forward, name in ((3, "published.xlsx"), (2, "西平镇-2024.xlsx")):
        data = {"applications": {"new": {"natural_person": forward}, "carried_forward": {"natural_person": forward}}}
        write_template((scratch if forward == 3 else last) / name, data, unit=UNIT, year=2024)
    render(scratch / "published.xlsx", last / "西平镇-2024-年度报告.html", publish_with_errors=True)
    return last


def test_the_carry_over_sent_out_comes_from_last_years_workbook(tmp_path: Path) -> None:
    last = _last_year(tmp_path)
    sent = write_templates(tmp_path / "下发", [UNIT], 2025, previous=[last])
    template = read(sent.templates[0].file)
    assert template.number(CARRIED) == 2
    assert "西平镇-2024.xlsx" in template.prefilled[CARRIED].source


def test_check_previous_compares_with_last_years_workbook(tmp_path: Path) -> None:
    last = _last_year(tmp_path)
    this_year = tmp_path / "西平镇-2025.xlsx"
    write_template(this_year, {"applications": {"carried_over": {"natural_person": 2},
                                                 "granted": {"natural_person": 2}}}, unit=UNIT, year=2025)
    result = check([this_year], previous=read_previous([last]))
    assert "YEAR.CARRY" not in [f.rule for f in result.files[0].findings]
