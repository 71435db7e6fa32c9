"""One vocabulary (issue #17 item 3, issue #19 item 16): one word for a warning everywhere, the
sheet names typed once (form.py), a merged workbook known by the stamp merge writes.

The samples' inbox (samples/inbox): 西平镇 has a NARR.MISMATCH warning (its text says 58, its
categories add up to 54), 高楼乡 an error.  The word for a warning is 警告, as the screen's counts
have always said; 提示 is not a severity anywhere.
"""

from __future__ import annotations

import io
import json
import shutil
import tokenize
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

import xlsreport
from xlsreport import form
from xlsreport.cli import app

ROOT = Path(__file__).resolve().parents[1]
INBOX = ROOT / "samples" / "inbox"
runner = CliRunner()


def test_check_tags_and_counts_a_warning_with_the_same_word():
    result = runner.invoke(app, ["check", str(INBOX / "西平镇-2024.xlsx")])
    assert "[警告] 正文“主动公开信息总计58条”" in result.stdout
    assert "个警告" in result.stdout
    assert "提示" not in result.stdout


def test_the_county_workbook_says_warning_as_the_screen_does(tmp_path):
    out = tmp_path / "县.xlsx"
    result = runner.invoke(app, ["merge", str(INBOX), "-o", str(out), "--unit", "微山县", "--year", "2024"])
    assert result.exit_code == 1, result.output  # 高楼乡 is left out
    workbook = openpyxl.load_workbook(out, read_only=True)
    details = [list(row) for row in workbook["明细"].iter_rows(values_only=True)]
    assert details[0][4:6] == ["错误数", "警告数"]
    kinds = {row[3] for row in list(workbook["问题清单"].iter_rows(values_only=True))[1:]}
    assert kinds == {"错误", "警告"}


def test_the_annotated_copy_counts_warnings_as_warnings(tmp_path):
    out = tmp_path / "标注.xlsx"
    result = runner.invoke(app, ["check", str(INBOX / "西平镇-2024.xlsx"), "--strict", "--annotate", str(out)])
    assert result.exit_code == 1
    cells = [c for row in openpyxl.load_workbook(out, read_only=True)["请修改"].iter_rows(values_only=True) for c in row if c]
    assert "0 个错误，1 个警告" in cells


def _merged_beside_its_units(tmp_path: Path, edit) -> dict:
    """A county workbook saved into the inbox it was made from, changed by ``edit`` (openpyxl)."""
    county = tmp_path / "县.xlsx"
    runner.invoke(app, ["merge", str(INBOX), "-o", str(county), "--unit", "微山县", "--year", "2024"])
    inbox = tmp_path / "收件箱"
    shutil.copytree(INBOX, inbox)
    workbook = openpyxl.load_workbook(county)
    edit(workbook)
    workbook.save(inbox / "汇总.xlsx")
    result = runner.invoke(app, ["summary", str(inbox), "--json"])
    return {row["file"].rsplit("/", 1)[-1]: row["status"] for row in json.loads(result.stdout)["units"]}


def test_a_merged_workbook_is_known_by_its_stamp_not_by_its_headers(tmp_path):
    def rename_headers(workbook):
        assert form.MERGED_STAMP in workbook.defined_names  # merge stamps what it writes
        sheet = workbook["明细"]
        sheet["A1"], sheet["D1"] = "单位名称", "汇总情况"  # a clerk renamed the columns

    assert _merged_beside_its_units(tmp_path, rename_headers)["汇总.xlsx"] == "summed_twice"


def test_a_workbook_without_the_stamp_is_a_report_whatever_its_sheets_are_called(tmp_path):
    def unstamp(workbook):
        del workbook.defined_names[form.MERGED_STAMP]  # 汇总说明 and 明细 with their headers stay

    status = _merged_beside_its_units(tmp_path, unstamp)["汇总.xlsx"]
    assert status != "summed_twice"


def _string_tokens(path: Path) -> set[str]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    found = set()
    for token in tokens:
        if token.type == tokenize.STRING and not token.string.startswith(('"""', "'''", 'f"', "f'")):
            found.add(token.string.strip("\"'"))
    return found


def test_the_form_s_sheet_names_are_typed_only_in_form_py():
    package = Path(xlsreport.__file__).parent
    names = {part.sheet for part in form.PARTS} | {form.SHEET_INSTRUCTIONS}
    assert names >= {"基本信息", "主动公开", "主动公开分类", "依申请公开", "复议诉讼", "报告正文", "填报说明"}  # FORM.md
    retyped = {
        (str(path.relative_to(package)), name)
        for path in package.rglob("*.py")
        if path.name != "form.py"
        for name in names & _string_tokens(path)
    }
    assert retyped == set()
