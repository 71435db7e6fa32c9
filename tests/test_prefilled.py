"""Pre-filled templates (issue #19 item 1, issue #20): a template sent out with the unit's name,
the year and last year's carry-over filled in, and sent back untouched, is nobody's report.

Expectations typed from FORM.md: the unit facts 单位名称/报告年度 on 基本信息, table 三's row
二、上年结转政府信息公开申请数量 on 依申请公开.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from xlsreport.batch import assess, check
from xlsreport.cli import app
from xlsreport.reading.report import read
from xlsreport.writing.workbook import layout, write_template

UNIT = "微山县西平镇人民政府"
CARRY_COLUMNS = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org"]


def _cli(*args: str):
    return CliRunner().invoke(app, list(args))


def test_a_template_prefilled_with_unit_and_year_and_sent_back_untouched_is_not_filled(tmp_path: Path) -> None:
    out = tmp_path / "西平镇.xlsx"
    assert _cli("template", str(out), "--unit", UNIT, "--year", "2024").exit_code == 0
    report = read(out)
    assert set(report.prefilled) == {("unit", "name"), ("unit", "year")}
    assert report.prefilled[("unit", "name")].value == UNIT
    done = _cli("check", str(out), "--json")
    assert done.exit_code == 1, done.stdout
    import json

    findings = json.loads(done.stdout)["files"][0]["findings"]
    assert [f["rule"] for f in findings] == ["PLAUS.UNTOUCHED"]
    assert findings[0]["severity"] == "error"
    # a batch neither counts nor sums it
    result = check([out])
    verdict = assess(result.files, year=2024)
    assert [row.status for row in verdict.rows] == ["blank"]
    assert verdict.accepted == []
    # render publishes nothing
    page = tmp_path / "报告.html"
    rendered = _cli("render", str(out), str(page))
    assert rendered.exit_code != 0 and not page.exists()


def test_one_number_typed_makes_it_a_report(tmp_path: Path) -> None:
    out = tmp_path / "西平镇.xlsx"
    write_template(out, {"applications": {"new": {"natural_person": 3}}}, unit=UNIT, year=2024)
    from xlsreport.checker import check_report

    assert "PLAUS.UNTOUCHED" not in [f.rule for f in check_report(read(out))]


def test_a_changed_locked_carry_over_is_said(tmp_path: Path) -> None:
    from xlsreport.checker import check_report
    from xlsreport.writing.workbook import Prefill

    carried = {("applications", "carried_over", c): Prefill(n, "上年.xlsx 依申请公开!C32") for c, n in zip(CARRY_COLUMNS, (2, 0, 0, 0, 0, 1))}
    sent = tmp_path / "sent.xlsx"
    write_template(sent, unit=UNIT, year=2024, prefilled=carried)
    report = read(sent)
    assert report.prefilled[("applications", "carried_over", "natural_person")].value == 2
    assert report.prefilled[("applications", "carried_over", "natural_person")].source == "上年.xlsx 依申请公开!C32"
    assert [f.rule for f in check_report(report)] == ["PLAUS.UNTOUCHED"]  # carry-over alone is not filling it in
    # the unit unprotected the sheet, typed 5 over the carry-over of 2 and filled one number
    # (the file saved again by another program: openpyxl here)
    import openpyxl

    cells = layout()
    book = openpyxl.load_workbook(sent)
    for path, value in (((("applications", "carried_over", "natural_person")), 5), (("applications", "new", "natural_person"), 4)):
        ref = cells[path]
        book[ref.sheet][ref.a1] = value
    returned = tmp_path / "returned.xlsx"
    book.save(returned)
    findings = check_report(read(returned))
    changed = [f for f in findings if f.rule == "PREFILL.CHANGED"]
    assert len(changed) == 1 and changed[0].severity == "error"
    cell = layout()[("applications", "carried_over", "natural_person")].address
    assert cell in changed[0].message and "2" in changed[0].message and "5" in changed[0].message
    assert "上年.xlsx 依申请公开!C32" in changed[0].message
    assert "PLAUS.UNTOUCHED" not in [f.rule for f in findings]


def test_the_annotated_copy_keeps_what_was_prefilled(tmp_path: Path) -> None:
    from xlsreport.batch import check_file
    from xlsreport.writing.annotate import annotate
    from xlsreport.writing.workbook import Prefill

    sent = tmp_path / "sent.xlsx"
    carried = {("applications", "carried_over", "natural_person"): Prefill(2, "上年.xlsx 依申请公开!D30")}
    write_template(sent, {"applications": {"new": {"natural_person": 1}}}, unit=UNIT, year=2024, prefilled=carried)
    copy = tmp_path / "请修改.xlsx"
    annotate(check_file(sent), copy)  # 1 + 2 new and carried, nothing handled: T3.BALANCE
    again = read(copy)
    assert again.prefilled[("applications", "carried_over", "natural_person")] == carried[("applications", "carried_over", "natural_person")]
    assert again.number(("applications", "carried_over", "natural_person")) == 2


@pytest.mark.office
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_saved_again_by_another_program_it_is_still_not_filled(tmp_path: Path, fmt: str) -> None:
    # a unit opens the template, changes nothing, saves it as .xls or .ods (LibreOffice here)
    from libreoffice import convert
    from xlsreport.checker import check_report

    sent = tmp_path / "sent.xlsx"
    write_template(sent, unit=UNIT, year=2024)
    report = read(convert(sent, fmt, tmp_path / fmt))
    assert set(report.prefilled) == {("unit", "name"), ("unit", "year")}
    assert [f.rule for f in check_report(report)] == ["PLAUS.UNTOUCHED"]
