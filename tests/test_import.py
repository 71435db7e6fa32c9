"""xlsreport import: a published report → the official workbook, tables and 报告正文 filled,
numbers as printed (issue #12)."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from oracle import REPORTS, SEED_TEXT, table_3_numbers
from report_documents import table_3, write_docx
from xlsreport.batch import check_file
from xlsreport.cli import app
from xlsreport.importer import import_report
from xlsreport.reading.report import read

runner = CliRunner()
TRIAL_PAGE = REPORTS / "shanghai-bgt-2019.html"


def test_the_seed_text_becomes_a_workbook_with_its_unit_tables_and_narrative(tmp_path):
    out = tmp_path / "西平镇-2024.xlsx"
    result = runner.invoke(app, ["import", str(SEED_TEXT), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["out"] == str(out)
    workbook = read(out)
    assert workbook.unit == "微山县西平镇人民政府" and workbook.year == 2024
    assert workbook.values[("applications", "new", "total")].cell.startswith("依申请公开!")  # a workbook cell now
    assert workbook.number(("applications", "new", "total")) == 0
    # the narrative as the seed writes it, in the 报告正文 sheet
    assert "主动公开信息总计58条" in workbook.text(("narrative", "overview"))
    assert workbook.text(("narrative", "problems")).startswith("2024年，我镇政务公开工作取得了一定成效")
    assert workbook.values[("narrative", "overview")].cell.startswith("报告正文!")
    assert not [f for f in check_file(out).findings if f.severity == "error"]


def test_a_total_printed_wrong_stays_wrong_in_the_workbook_where_the_check_shows_it(tmp_path):
    numbers = table_3_numbers()
    printed = numbers["granted"][6] + 5  # （一）予以公开's 总计 printed 5 too high
    numbers["granted"][6] = printed
    source = write_docx(tmp_path / "报告.docx", numbers)
    out = tmp_path / "导入.xlsx"
    import_report(source, out)
    workbook = read(out)
    assert workbook.values[("applications", "granted", "total")].value == printed  # as printed
    assert {key: row[:6] for key, row in table_3(workbook).items()} == {key: row[:6] for key, row in numbers.items()}
    errors = [f for f in check_file(out).findings if f.severity == "error"]
    assert any(("applications", "granted", "total") in f.paths for f in errors), [f.message for f in errors]


def test_import_never_overwrites_without_force_and_never_writes_over_its_source(tmp_path):
    source = tmp_path / "西平镇.txt"
    shutil.copy(SEED_TEXT, source)
    out = tmp_path / "x.xlsx"
    out.write_bytes(b"keep me")
    refused = runner.invoke(app, ["import", str(source), "-o", str(out)])
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert out.read_bytes() == b"keep me"
    assert runner.invoke(app, ["import", str(source), "-o", str(out), "--force"]).exit_code == 0
    assert read(out).unit == "微山县西平镇人民政府"
    same = runner.invoke(app, ["import", str(source), "-o", str(source), "--force"])
    assert same.exit_code == 2 and source.read_bytes() == SEED_TEXT.read_bytes()


def test_a_trial_format_report_is_refused_with_a_clear_message(tmp_path):
    result = runner.invoke(app, ["import", str(TRIAL_PAGE), "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 3
    assert "2019" in result.stderr and "试行" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x.xlsx").exists()
