"""A template sent out with last year's carry-over (issue #20) in which the unit keeps its
application ledger (issue #21): the ledger rows are the unit's own input, and where the ledger's
count of 二、上年结转 disagrees with the carry-over pre-filled from last year's report, the
finding says which figure stands.

Expectations typed from FORM.md (依申请公开 rows 一、本年新收…, 二、上年结转…, （一）予以公开,
四、结转下年度继续办理; the ledger's columns 序号, 收到日期, 申请人类型, 申请内容, 答复日期, 办理结果).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from xlsreport.checker import check_report
from xlsreport.cli import app
from xlsreport.model import Prefill
from xlsreport.reading.report import read
from xlsreport.writing.workbook import layout, write_template

UNIT = "微山县人力资源和社会保障局"
CARRIED = ("applications", "carried_over", "natural_person")
SOURCE = "上年/人社局-2024.xlsx 依申请公开!D30"

# received 2024-12-20, answered 2025 → 二 and （一）; received 2024-12-28, never answered → 二 and 四;
# two received in 2025 by companies: one answered 予以公开, one still open → 四
LEDGER = [
    (1, dt.date(2024, 12, 20), "自然人", "社保缴费记录", dt.date(2025, 1, 10), "予以公开"),
    (2, dt.date(2024, 12, 28), "自然人", "养老金核定", None, None),
    (3, dt.date(2025, 3, 1), "商业企业", "用工备案", dt.date(2025, 3, 15), "予以公开"),
    (4, dt.date(2025, 12, 30), "商业企业", "工伤认定", None, None),
]


def _sent(tmp_path: Path) -> Path:
    """The template as `template --roster --previous` sends it: last year's 结转 of 1 自然人."""
    carried = {("applications", "carried_over", c): Prefill(n, SOURCE)
               for c, n in zip(("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org"),
                               (1, 0, 0, 0, 0, 0))}
    sent = tmp_path / f"{UNIT}.xlsx"
    write_template(sent, unit=UNIT, year=2025, prefilled=carried)
    return sent


def _ledger_typed(sent: Path, out: Path) -> Path:
    book = openpyxl.load_workbook(sent)
    sheet = next(ws for ws in book.worksheets if "台账" in ws.title)
    for r, record in enumerate(LEDGER, start=2):
        for c, value in enumerate(record, start=1):
            sheet.cell(r, c).value = value
    book.save(out)
    return out


def test_a_sent_template_whose_only_input_is_ledger_rows_is_filled_in(tmp_path: Path) -> None:
    returned = _ledger_typed(_sent(tmp_path), tmp_path / "报回.xlsx")
    rules = [f.rule for f in check_report(read(returned))]
    assert "PLAUS.UNTOUCHED" not in rules
    # table 三 left blank: each cell the ledger counts differently is named (E6: 2 companies new)
    assert "LEDGER.T3_COUNT" in rules


def test_the_ledger_disagreeing_with_the_prefilled_carry_over_says_last_years_report_stands(tmp_path: Path) -> None:
    returned = _ledger_typed(_sent(tmp_path), tmp_path / "报回.xlsx")
    findings = check_report(read(returned))
    d7 = layout()[CARRIED].address
    on_d7 = [f for f in findings if d7 in f.cells]
    carry = [f for f in on_d7 if f.rule == "LEDGER.CARRY_PREFILLED"]
    assert len(carry) == 1 and carry[0].severity == "error"
    message = carry[0].message
    assert "预填" in message and "1" in message and "统计为 2" in message
    assert SOURCE in message and "以上年报告为准" in message
    assert "第2行（序号 1）" in message and "第3行（序号 2）" in message
    assert not [f for f in on_d7 if f.rule in ("LEDGER.T3_COUNT", "PREFILL.CHANGED")]  # said once, as the prefill


def test_ledger_into_a_sent_template_keeps_the_prefilled_record_and_carry_over(tmp_path: Path) -> None:
    sent = _sent(tmp_path)
    register = tmp_path / "台账.csv"
    register.write_text(
        "序号,收到日期,申请人类型,申请内容,答复日期,办理结果\n"
        + "".join(f"{n},{got},{who},{what},{answered or ''},{result or ''}\n" for n, got, who, what, answered, result in LEDGER),
        encoding="utf-8",
    )
    out = tmp_path / "填好.xlsx"
    done = CliRunner().invoke(app, ["ledger", str(register), "-o", str(out), "--into", str(sent), "--json"])
    assert done.exit_code == 0, done.output
    said = json.loads(done.stdout)
    kept = {k["path"]: (k["value"], k["counted"]) for k in said["kept_prefilled"]}
    assert kept["applications.carried_over.natural_person"] == (1, 2)  # said: kept 1, the ledger counts 2
    assert all(path.startswith("applications.carried_over.") for path in kept)
    report = read(out)
    assert report.prefilled[CARRIED] == Prefill(1, SOURCE)  # the record travels with the workbook
    assert report.number(CARRIED) == 1  # last year's figure, not typed over by the count
    assert report.number(("applications", "new", "commercial")) == 2  # the rest typed from the counts
    assert report.values[("proactive", "licensing")].status == "blank"  # a copy: blank stays blank, not 0
    rules = [f.rule for f in check_report(report)]
    assert "LEDGER.CARRY_PREFILLED" in rules and "PREFILL.CHANGED" not in rules
    shown = CliRunner().invoke(app, ["ledger", str(register), "-o", str(out), "--into", str(sent), "--force"],
                               env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and shown.stdout.strip().splitlines()[-1].startswith("! 已生成")  # not a plain ✓
    assert "预填 1，台账统计 2" in shown.stdout
    # the cell is still locked, as it was sent out
    ref = layout()[CARRIED]
    assert openpyxl.load_workbook(out)[ref.sheet][ref.a1].protection.locked


def test_import_of_a_sent_workbook_keeps_its_prefilled_record_and_ledger(tmp_path: Path) -> None:
    # a template sent back untouched stays 未填写 through import (it was laundered into a report
    # that passed with all zeros); one with ledger rows keeps both the rows and the record
    untouched = _sent(tmp_path)
    imported = tmp_path / "导入-空白.xlsx"
    assert CliRunner().invoke(app, ["import", str(untouched), "-o", str(imported)]).exit_code == 0
    assert [f.rule for f in check_report(read(imported))] == ["PLAUS.UNTOUCHED"]
    with_ledger = _ledger_typed(untouched, tmp_path / "报回.xlsx")
    again = tmp_path / "导入-台账.xlsx"
    assert CliRunner().invoke(app, ["import", str(with_ledger), "-o", str(again)]).exit_code == 0
    report = read(again)
    assert report.prefilled[CARRIED] == Prefill(1, SOURCE)
    assert report.register_rows("ledger") == len(LEDGER)
    assert "LEDGER.CARRY_PREFILLED" in [f.rule for f in check_report(report)]



def _records_cell(book, register_sheet: str) -> str:
    """Where the 校验 block counts the register's filled cells (a COUNTA over its sheet)."""
    for row in book["校验"].iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("=COUNTA(") and register_sheet in cell.value:
                return cell.coordinate
    raise AssertionError(f"no COUNTA over {register_sheet} on 校验")


def test_the_register_blocks_mark_red_only_when_the_register_has_records(tmp_path: Path) -> None:
    # a sent template carries last year's 结转 (1) and no ledger: its 校验 ledger block showed
    # 表中 1 / 台账 0 in red to every unit, whether it keeps a ledger or not
    from openpyxl.utils.cell import coordinate_from_string

    sent = _sent(tmp_path)
    book = openpyxl.load_workbook(sent)
    for register in ("依申请公开台账", "主动公开信息清单"):
        column, row = coordinate_from_string(_records_cell(book, register))
        formulas = [f for rng in book["校验"].conditional_formatting for rule in rng.rules for f in rule.formula
                    if f"${column}${row}>0" in f]
        assert formulas, register  # the block's red marks depend on the register's records
    coordinate = _records_cell(book, "依申请公开台账")
    assert openpyxl.load_workbook(sent, data_only=True)["校验"][coordinate].value == 0  # stored result: no records


@pytest.mark.office
def test_libreoffice_counts_the_ledgers_filled_cells(tmp_path: Path) -> None:
    from libreoffice import convert

    sent = _sent(tmp_path)
    filled = _ledger_typed(sent, tmp_path / "报回.xlsx")  # saved by openpyxl: no stored results
    coordinate = _records_cell(openpyxl.load_workbook(sent), "依申请公开台账")
    # LEDGER's 4 rows fill 6 + 4 + 6 + 4 cells
    for source, expected in ((sent, 0), (filled, 20)):
        out = convert(source, "xlsx", tmp_path / source.stem)
        assert openpyxl.load_workbook(out, data_only=True)["校验"][coordinate].value == expected, source.name


def test_the_sending_notice_tells_the_units_about_the_registers(tmp_path: Path) -> None:
    from xlsreport.sending import write_templates

    last = tmp_path / "上年"
    last.mkdir()
    write_template(last / "人社局-2024.xlsx", {"applications": {"new": {"natural_person": 1},
                                                               "carried_forward": {"natural_person": 1}}},
                   unit=UNIT, year=2024)
    sent = write_templates(tmp_path / "下发", [UNIT], 2025, previous=[last])
    text = sent.notice_text.read_text(encoding="utf-8-sig")
    assert "“依申请公开台账”" in text and "“主动公开信息清单”" in text
    assert "以上年报告为准" in text


def test_last_years_in_force_counts_travel_with_every_copy_of_a_sent_workbook(tmp_path: Path) -> None:
    # the template shows last year's 现行有效 (规章, 行政规范性文件) beside table 二 and checks
    # 上年 + 本年制发 − 本年废止 = 现行有效 live on 校验; the return package's copy, import and
    # ledger --into wrote workbooks without it
    from xlsreport.batch import check_file
    from xlsreport.writing.annotate import annotate

    last = {"normative_documents": Prefill(11, "上年/人社局-2024.xlsx 主动公开!D6")}
    sent = tmp_path / "下发.xlsx"
    write_template(sent, {"applications": {"new": {"natural_person": 1}}}, unit=UNIT, year=2025,
                   in_force_last_year=last)
    assert read(sent).in_force_last_year == last
    copies = {"annotate": tmp_path / "请修改.xlsx", "import": tmp_path / "导入.xlsx", "ledger": tmp_path / "台账.xlsx"}
    annotate(check_file(sent), copies["annotate"])
    assert CliRunner().invoke(app, ["import", str(sent), "-o", str(copies["import"])]).exit_code == 0
    register = tmp_path / "台账.csv"
    register.write_text("收到日期,申请人类型,答复日期,办理结果\n2025-03-01,自然人,2025-03-10,予以公开\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["ledger", str(register), "-o", str(copies["ledger"]), "--into", str(sent)])
    assert done.exit_code == 0, done.output
    for how, copy in copies.items():
        assert read(copy).in_force_last_year == last, how
        sheet = openpyxl.load_workbook(copy)["校验"]
        assert any(cell.value == "YEAR.IN_FORCE" for row in sheet.iter_rows() for cell in row), how


def test_a_changed_carry_over_is_said_once_not_again_as_year_carry(tmp_path: Path) -> None:
    # the unit typed 5 over the carry-over of 1 it was sent; last year's report (--previous) says 1:
    # PREFILL.CHANGED and YEAR.CARRY both said "5, not 1" for the one cell
    last = tmp_path / "上年.xlsx"
    write_template(last, {"applications": {"new": {"natural_person": 1}, "carried_forward": {"natural_person": 1}}},
                   unit=UNIT, year=2024)
    book = openpyxl.load_workbook(_sent(tmp_path))
    ref = layout()[CARRIED]
    book[ref.sheet][ref.a1] = 5
    returned = tmp_path / "报回.xlsx"
    book.save(returned)
    rules = [f.rule for f in check_report(read(returned), read(last))]
    assert rules.count("PREFILL.CHANGED") == 1
    assert "YEAR.CARRY" not in rules
