"""Return packages: after the deadline, one folder per failing unit, ready to send back.

The samples (samples/inbox) hold one failing unit: 高楼乡 counted 4 new applications of 自然人
but handled 3 and carried none forward (一 + 二 = 4 + 0 ≠ （七）总计 + 四 = 3 + 0), the
依申请公开 table's 自然人 column: cells D6, D7, D29, D30 of the official workbook.  Only it
gets a package.  Expected names, cells and numbers are typed from samples/data/高楼乡-2024.json
and FORM.md.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from xlsreport.batch import check
from xlsreport.cli import app
from xlsreport.errors import OutputExists
from xlsreport.publish import render
from xlsreport.reading.report import read
from xlsreport.returns import write_returns

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
INBOX = SAMPLES / "inbox"
GAOLOU = "微山县高楼乡人民政府"
FAILING_CELLS = ["D6", "D7", "D29", "D30"]  # 一、本年新收 / 二、上年结转 / （七）总计 / 四、结转 × 自然人
ARITHMETIC = ["4+0 = 4", "3+0 = 3", "相差 1"]
runner = CliRunner()


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def the_package(out: Path) -> Path:
    folders = [p for p in out.iterdir()]
    assert [p.name for p in folders] == [GAOLOU]  # only the failing unit, named after it
    return folders[0]


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    out = tmp_path_factory.mktemp("returns") / "退回"
    before = digests(INBOX)
    result = runner.invoke(app, ["check", str(INBOX), "--return-dir", str(out), "--due", "2025-03-31", "--json"])
    return {"out": out, "result": result, "before": before}


def test_only_the_failing_unit_gets_a_folder_with_workbook_and_notices(checked):
    assert checked["result"].exit_code == 1  # the check itself still fails
    folder = the_package(checked["out"])
    assert sorted(p.name for p in folder.iterdir()) == ["请修改-高楼乡-2024.xlsx", "退回通知.docx", "退回通知.txt"]
    returns = json.loads(checked["result"].stdout)["returns"]
    assert [p["unit"] for p in returns["packages"]] == [GAOLOU]
    assert digests(INBOX) == checked["before"]  # the inbox is only read


def test_the_annotated_workbook_comments_on_the_failing_cells(checked):
    workbook = openpyxl.load_workbook(the_package(checked["out"]) / "请修改-高楼乡-2024.xlsx")
    sheet = workbook["依申请公开"]
    for cell in FAILING_CELLS:
        comment = sheet[cell].comment
        assert comment is not None, cell
        assert "自然人" in comment.text and all(a in comment.text for a in ARITHMETIC), comment.text
    assert sheet["E6"].comment is None  # 商业企业 balances
    values = openpyxl.load_workbook(the_package(checked["out"]) / "请修改-高楼乡-2024.xlsx", data_only=True)["依申请公开"]
    assert (values["D6"].value, values["D29"].value) == (4, 3)  # the unit's own numbers


def test_the_annotated_workbook_opens_on_its_problems(checked):
    workbook = openpyxl.load_workbook(the_package(checked["out"]) / "请修改-高楼乡-2024.xlsx")
    first = workbook.worksheets[0]
    assert workbook.active.title == first.title == "请修改"
    text = "\n".join(str(v) for row in first.iter_rows(values_only=True) for v in row if v is not None)
    assert GAOLOU in text and "高楼乡-2024.xlsx" in text
    assert "依申请公开「自然人」列" in text and all(a in text for a in ARITHMETIC)
    assert "依申请公开!D6" in text  # where it is in this workbook
    # the rest is the official form, still read as the unit's report
    again = read(the_package(checked["out"]) / "请修改-高楼乡-2024.xlsx")
    assert again.unit == GAOLOU and again.year == 2024
    assert again.number(("applications", "new", "natural_person")) == 4


@pytest.mark.parametrize("kind", ["docx", "txt"])
def test_the_notice_says_to_whom_which_report_what_is_wrong_what_to_do_and_by_when(checked, kind):
    path = the_package(checked["out"]) / f"退回通知.{kind}"
    text = docx_text(path) if kind == "docx" else path.read_text(encoding="utf-8-sig")
    assert f"{GAOLOU}：" in text  # to whom
    assert "2024年政府信息公开工作年度报告" in text and "高楼乡-2024.xlsx" in text  # which report
    assert "依申请公开" in text and "自然人" in text and all(a in text for a in ARITHMETIC)  # the problem
    assert "依申请公开!D6" in text  # its place
    assert "请修改-高楼乡-2024.xlsx" in text and "重新报送" in text  # what to do
    assert "2025年3月31日前" in text  # by when
    assert "已发布的报告" not in text  # it sent a workbook
    today = datetime.date.today()
    dated = f"{today.year}年{today.month}月{today.day}日"  # check knows no sender: the date ends the notice
    last = docx.Document(str(path)).paragraphs[-1].text if kind == "docx" else text.rstrip()
    assert last.endswith(dated)


def test_an_existing_unit_folder_is_kept_without_force(checked, tmp_path):
    out = tmp_path / "退回"
    shutil.copytree(checked["out"], out)
    notice = out / GAOLOU / "退回通知.txt"
    notice.write_text("已改过的通知", encoding="utf-8")
    result = runner.invoke(app, ["check", str(INBOX), "--return-dir", str(out)])
    assert result.exit_code == 2 and "--force" in result.stderr and "Traceback" not in result.stderr
    assert notice.read_text(encoding="utf-8") == "已改过的通知"
    forced = runner.invoke(app, ["check", str(INBOX), "--return-dir", str(out), "--force"])
    assert forced.exit_code == 1
    assert "依申请公开" in notice.read_text(encoding="utf-8-sig")
    assert [p.name for p in out.iterdir()] == [GAOLOU]  # no temporary folder left behind


def test_merge_writes_the_same_packages_signed_by_the_county(tmp_path):
    out = tmp_path / "退回"
    result = runner.invoke(app, [
        "merge", str(INBOX), "-o", str(tmp_path / "县.xlsx"), "--unit", "微山县", "--year", "2024",
        "--return-dir", str(out), "--due", "2025年3月31日",
    ])  # fmt: skip
    assert result.exit_code == 1, result.stderr
    text = (the_package(out) / "退回通知.txt").read_text(encoding="utf-8-sig")
    assert "暂未计入汇总" in text and "2025年3月31日前" in text
    today = datetime.date.today()
    assert text.endswith(f"\n微山县\n{today.year}年{today.month}月{today.day}日\n")  # signed and dated


def test_a_bad_due_date_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["check", str(INBOX), "--return-dir", str(tmp_path / "r"), "--due", "下个月"])
    assert result.exit_code == 2 and "--due" in result.stderr
    assert not (tmp_path / "r").exists()


def test_a_published_report_comes_back_as_the_official_workbook_filled_from_it(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    published = inbox / "高楼乡2024年度报告.docx"
    assert render(INBOX / "高楼乡-2024.xlsx", published, publish_with_errors=True).written  # the unit published its mistake
    result = check([inbox])
    returns = write_returns(result.files, tmp_path / "退回")
    (package,) = returns.packages
    assert package.workbook.name == "请修改-高楼乡2024年度报告.xlsx"
    workbook = openpyxl.load_workbook(package.workbook)
    assert workbook.worksheets[0].title == "请修改"
    sheet = workbook["依申请公开"]
    values = openpyxl.load_workbook(package.workbook, data_only=True)["依申请公开"]
    assert (values["D6"].value, values["D29"].value) == (4, 3)  # filled from the report's table 三
    comment = sheet["D6"].comment.text
    # the place in the document: the report's tables are 表二, 主动公开分类 (高楼乡 fills it), 表三;
    # in 表三 three header rows come before 一、本年新收 and three label columns before 自然人
    assert "第3个表格 第4行第4列" in comment and all(a in comment for a in ARITHMETIC)
    notice = package.notice_text.read_text(encoding="utf-8-sig")
    assert "已发布的报告" in notice and "第3个表格 第4行第4列" in notice


def test_nothing_to_return_when_every_unit_passes(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(INBOX / "韩庄镇-2024.xls", inbox)
    returns = write_returns(check([inbox]).files, tmp_path / "退回")
    assert returns.packages == [] and list((tmp_path / "退回").iterdir()) == []


def test_library_refuses_an_existing_folder_before_writing_anything(tmp_path):
    (tmp_path / "退回" / GAOLOU).mkdir(parents=True)
    with pytest.raises(OutputExists):
        write_returns(check([INBOX]).files, tmp_path / "退回")
    assert list((tmp_path / "退回" / GAOLOU).iterdir()) == []


def test_a_return_folder_inside_the_inbox_is_refused(tmp_path):
    inbox = tmp_path / "inbox"
    shutil.copytree(INBOX, inbox)
    result = runner.invoke(app, ["check", str(inbox), "--return-dir", str(inbox / "退回")])
    assert result.exit_code == 2 and "输入文件夹" in result.stderr
    assert not (inbox / "退回").exists()
