"""What a county clerk relies on when a batch is checked, summed or merged: every submission is
seen (an unreadable one is reported, never skipped), nothing is added twice or across years, a
blank template is never a unit, and a usage mistake is refused before anything is read or written.

Expectations are typed by hand from samples/inbox (six workbooks of 微山县, 2024; 高楼乡 has an
error) and from the messages a clerk reads.
"""

from __future__ import annotations

import io
import json
import random
import shutil
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from hostile import cfb
from oracle import random_data, result_of
from xlsreport.batch import assess
from xlsreport.cli import app
from xlsreport.summary import Summary
from xlsreport.terminal import show_summary

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
INBOX = SAMPLES / "inbox"


def inbox_copy(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "收件箱"
    folder.mkdir()
    for path in sorted(INBOX.iterdir()):
        if not names or path.name in names:
            shutil.copy(path, folder / path.name)
    return folder


# ---- defect 5: a Word 97-2003 file in a folder is a report that cannot be read -----------------


def test_a_doc_in_a_folder_is_reported_unreadable_not_skipped(tmp_path):
    folder = inbox_copy(tmp_path, "西平镇-2024.xlsx")
    (folder / "马坡镇-2024.doc").write_bytes(cfb({"WordDocument": b"\x00" * 4096}))
    result = runner.invoke(app, ["check", str(folder), "--json"])
    assert result.exit_code == 3
    payload = json.loads(result.stdout)
    assert payload["skipped"] == []
    doc = next(f for f in payload["files"] if f["file"].endswith("马坡镇-2024.doc"))
    [finding] = doc["findings"]  # one shape: the error's code and message, as a finding
    assert finding["rule"] == "UNSUPPORTED_FORMAT" and ".docx" in finding["message"]  # sniff's advice: 另存为 .docx


# ---- defect 16: a folder without reports names what it holds ---------------------------------


def test_a_folder_holding_only_a_photo_names_the_photo(tmp_path):
    (tmp_path / "p.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    result = runner.invoke(app, ["summary", str(tmp_path)])
    assert result.exit_code == 2
    assert "没有找到报表文件" in result.stderr
    assert str(tmp_path / "p.jpg") in result.stderr


# ---- defect 10: the title says the year asked for; a year out of range is refused everywhere ---


def test_summary_for_another_year_is_titled_with_that_year():
    result = runner.invoke(app, ["summary", str(INBOX), "--year", "2023"])
    assert result.exit_code == 1, result.stderr  # nothing of 2023 to sum (README 退出码)
    title = result.stdout.splitlines()[0]
    assert "2023 年度报送情况" in title and "2024" not in title
    # every file is 2024: each row says so, and none is summed
    assert result.stdout.count("年度不符") == 6


def test_a_year_out_of_range_is_a_usage_error_for_every_command(tmp_path):
    out = tmp_path / "out.xlsx"
    commands = [
        ["summary", str(INBOX), "--year", "1800"],
        ["merge", str(INBOX), "-o", str(out), "--unit", "微山县", "--year", "1800"],
        ["template", str(out), "--year", "1800"],
    ]
    for argv in commands:
        result = runner.invoke(app, argv)
        assert result.exit_code == 2, argv
        assert "--year 应在 2008—2100 之间，收到的是 1800" in result.stderr, argv
        assert result.stdout == ""
    assert not out.exists()


# ---- defect 9: without a roster nobody is "missing" --------------------------------------------


def test_summary_without_a_roster_does_not_claim_nobody_is_missing():
    plain = runner.invoke(app, ["summary", str(INBOX)]).stdout
    assert "未报送 0 个单位" not in plain
    assert "未给出单位名单（--roster）" in plain
    with_roster = runner.invoke(app, ["summary", str(INBOX), "--roster", str(SAMPLES / "roster.txt")]).stdout
    assert "未报送 2 个单位" in with_roster  # 赵庙镇 and 教育和体育局 sent nothing


# ---- defect 17: a figure no summed unit has is "—", not 0 ---------------------------------------


def test_totals_of_a_part_no_summed_unit_has_are_a_dash_not_zero():
    # a 2024 report holding only the unit and the categories table (like the seed's attachment)
    data = {
        "form": "gov-info-annual-report/2021",
        "unit": {"name": "微山县西平镇人民政府", "year": 2024},
        "categories": {"notices": 5, "budget": 1, "final_accounts": 1, "functions": 1, "work_updates": 38,
                       "other": 8, "total": 54},
    }  # fmt: skip
    assessment = assess([result_of(data, "西平镇.xlsx")])
    totals = assessment.totals()
    assert totals["proactive_total"] == 54
    assert totals["new_applications"] is None and totals["review_total"] is None
    out = io.StringIO()
    show_summary(Summary(assessment), Console(file=out, width=200))
    totals_line = next(line for line in out.getvalue().splitlines() if "合计（" in line)
    assert totals_line.split()[-6:] == ["54", "—", "—", "—", "—", "—"]


# ---- defect 2: a summary never adds up two years ---------------------------------------------


def test_summary_without_year_sums_the_year_most_files_have_and_says_so(tmp_path):
    folder = inbox_copy(tmp_path)  # six 2024 reports
    rng = random.Random(2)
    last_year = tmp_path / "微山县留庄镇-2023.xlsx"
    from xlsreport.writing.workbook import write_template

    write_template(last_year, random_data(rng, "微山县留庄镇人民政府", 2023))
    shutil.copy(last_year, folder / last_year.name)
    result = runner.invoke(app, ["summary", str(folder), "--json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["year"] == 2024 and payload["year_inferred"] is True
    status = {u["unit"]: u["status"] for u in payload["units"]}
    assert status["微山县留庄镇人民政府"] == "wrong_year"
    assert payload["totals"]["proactive_total"] == 187 + 68 + 287 + 54 + 66  # the 2024 units but 高楼乡 (error); not 留庄镇 (2023)
    [finding] = [f for f in payload["findings"] if f["rule"] == "MERGE.YEAR"]
    assert "2023" in finding["message"] and "2024" in finding["message"] and "--year" in finding["message"]
    title = runner.invoke(app, ["summary", str(folder)]).stdout.splitlines()[0]
    assert "2024 年度报送情况" in title and "按多数文件的年度" in title


def test_summary_of_two_years_equally_common_asks_for_year(tmp_path):
    rng = random.Random(3)
    from xlsreport.writing.workbook import write_template

    write_template(tmp_path / "甲-2023.xlsx", random_data(rng, "甲镇", 2023))
    write_template(tmp_path / "甲-2024.xlsx", random_data(rng, "甲镇", 2024))
    result = runner.invoke(app, ["summary", str(tmp_path)])
    assert result.exit_code == 2
    assert "2023 年度 1 个" in result.stderr and "2024 年度 1 个" in result.stderr and "--year" in result.stderr
    chosen = runner.invoke(app, ["summary", str(tmp_path), "--year", "2023", "--json"])
    assert [u["status"] for u in json.loads(chosen.stdout)["units"]] == ["merged", "wrong_year"]


# ---- defect 3: a blank template is nobody's report ------------------------------------------


def test_a_blank_template_is_never_summed_by_summary_or_merge(tmp_path):
    folder = inbox_copy(tmp_path, "西平镇-2024.xlsx")
    assert runner.invoke(app, ["template", str(folder / "空白.xlsx")]).exit_code == 0
    summary = json.loads(runner.invoke(app, ["summary", str(folder), "--json"]).stdout)
    blank = next(u for u in summary["units"] if u["file"].endswith("空白.xlsx"))
    assert blank["status"] == "blank" and blank["status_label"] == "未填写（空白表格）"
    assert summary["counts"]["accepted"] == 1
    assert any(f["rule"] == "MERGE.BLANK" and f["file"].endswith("空白.xlsx") for f in summary["findings"])
    out = tmp_path / "汇总.xlsx"
    merged = runner.invoke(app, ["merge", str(folder), "-o", str(out), "--unit", "微山县", "--year", "2024", "--json"])
    assert merged.exit_code == 1  # a file was left out
    statuses = {u["file"].rsplit("/", 1)[-1]: u["status"] for u in json.loads(merged.stdout)["units"]}
    assert statuses == {"空白.xlsx": "blank", "西平镇-2024.xlsx": "merged"}
    table = runner.invoke(app, ["summary", str(folder)]).stdout
    assert "已汇总" not in next(line for line in table.splitlines() if "空白.xlsx" in line)


# ---- defect 1 (first half): the county workbook is never written where the units are ----------


def test_merge_refuses_an_output_inside_an_input_folder(tmp_path):
    folder = inbox_copy(tmp_path)
    out = folder / "汇总.xlsx"
    result = runner.invoke(app, ["merge", str(folder), "-o", str(out), "--unit", "微山县", "--year", "2024"])
    assert result.exit_code == 2
    assert f"输出文件 {out} 在输入文件夹 {folder} 之中" in result.stderr
    assert not out.exists() and result.stdout == ""
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in INBOX.iterdir())


# ---- defect 4: a return folder that cannot be written is refused before the merge writes ------


def test_merge_with_an_existing_return_folder_writes_nothing(tmp_path):
    folder = inbox_copy(tmp_path)
    returns = tmp_path / "退回"
    (returns / "微山县高楼乡人民政府").mkdir(parents=True)  # 高楼乡 has an error: it would be returned
    out = tmp_path / "汇总.xlsx"
    argv = ["merge", str(folder), "-o", str(out), "--unit", "微山县", "--year", "2024", "--return-dir", str(returns)]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert "退回文件夹已存在" in result.stderr and "微山县高楼乡人民政府" in result.stderr and "--force" in result.stderr
    assert not out.exists()
    assert list((returns / "微山县高楼乡人民政府").iterdir()) == []
    forced = runner.invoke(app, argv + ["--force"])
    assert forced.exit_code == 1 and out.exists()  # 高楼乡 left out of the sum; its package written
    assert (returns / "微山县高楼乡人民政府" / "退回通知.txt").exists()


def test_a_return_folder_inside_the_inputs_is_refused_for_check_and_merge(tmp_path):
    folder = inbox_copy(tmp_path)
    out = tmp_path / "汇总.xlsx"
    for argv in (
        ["check", str(folder), "--return-dir", str(folder / "退回")],
        ["merge", str(folder), "-o", str(out), "--unit", "微山县", "--year", "2024", "--return-dir", str(folder / "退回")],
    ):
        result = runner.invoke(app, argv)
        assert result.exit_code == 2, argv
        assert f"在输入文件夹 {folder} 之中" in result.stderr
        assert result.stdout == ""  # refused before the check: nothing shown
    assert not out.exists() and not (folder / "退回").exists()


# ---- defect 12: --annotate is refused before the check runs -----------------------------------


def test_annotate_mistakes_are_refused_before_the_check(tmp_path):
    folder = inbox_copy(tmp_path, "高楼乡-2024.xlsx", "西平镇-2024.xlsx")
    two = runner.invoke(app, ["check", str(folder), "--annotate", str(tmp_path / "标注.xlsx")])
    assert two.exit_code == 2
    assert "--annotate 只能用于一个文件，这次给出了 2 个" in two.stderr
    assert two.stdout == ""  # no check shown first
    one = folder / "高楼乡-2024.xlsx"
    before = one.read_bytes()
    same = runner.invoke(app, ["check", str(one), "--annotate", str(one), "--force"])
    assert same.exit_code == 2
    assert "就是输入文件之一" in same.stderr and same.stdout == ""
    assert one.read_bytes() == before
    (tmp_path / "已有.xlsx").write_bytes(b"keep")
    exists = runner.invoke(app, ["check", str(one), "--annotate", str(tmp_path / "已有.xlsx")])
    assert exists.exit_code == 2 and "--force" in exists.stderr and exists.stdout == ""
    assert (tmp_path / "已有.xlsx").read_bytes() == b"keep"


# ---- defect 11: an unreadable file is an error, counted alike by check and summary ------------


def test_an_unreadable_file_is_an_unreadable_error_in_check_and_summary(tmp_path):
    folder = inbox_copy(tmp_path, "西平镇-2024.xlsx")
    (folder / "马坡镇-2024.xlsx").write_bytes(b"PK\x03\x04 truncated")
    checked = runner.invoke(app, ["check", str(folder), "--json"])
    assert checked.exit_code == 3
    payload = json.loads(checked.stdout)
    broken = next(f for f in payload["files"] if f["file"].endswith("马坡镇-2024.xlsx"))
    [finding] = broken["findings"]
    assert finding["rule"] == "UNREADABLE" and finding["severity"] == "error"
    assert "已损坏" in finding["message"] and "error" not in broken  # the reader's Chinese reason, in one shape
    errors_elsewhere = sum(
        x["severity"] == "error" for f in payload["files"] if f is not broken for x in f["findings"]
    )
    assert payload["counts"]["errors"] == errors_elsewhere + 1
    shown = runner.invoke(app, ["check", str(folder)]).stdout
    assert f"错误 {errors_elsewhere + 1} 个" in shown
    summary = json.loads(runner.invoke(app, ["summary", str(folder), "--json"]).stdout)
    row = next(u for u in summary["units"] if u["file"].endswith("马坡镇-2024.xlsx"))
    assert row["status"] == "unreadable" and row["errors"] == 1
    assert [f["rule"] for f in summary["findings"] if f["file"].endswith("马坡镇-2024.xlsx")] == ["UNREADABLE"]


# ---- defect 1 (second half): a county workbook beside its own units is not added again --------


def test_a_county_workbook_beside_the_units_it_holds_is_not_added_twice(tmp_path):
    folder = inbox_copy(tmp_path)
    county = tmp_path / "汇总.xlsx"
    assert runner.invoke(app, ["merge", str(folder), "-o", str(county), "--unit", "微山县", "--year", "2024"]).exit_code == 1
    shutil.copy(county, folder / "汇总.xlsx")  # saved into the inbox by hand
    payload = json.loads(runner.invoke(app, ["summary", str(folder), "--json"]).stdout)
    status = {Path(u["file"]).name: u["status"] for u in payload["units"]}
    assert status["汇总.xlsx"] == "summed_twice"
    assert payload["totals"]["proactive_total"] == 187 + 68 + 287 + 54 + 66  # the five units once, 高楼乡 failed
    [finding] = [f for f in payload["findings"] if f["rule"] == "MERGE.SUMMED_TWICE"]
    assert finding["severity"] == "warning" and "微山县西平镇人民政府" in finding["message"]
    assert "微山县高楼乡人民政府" not in finding["message"]  # not in the county's sum
    # the county workbook alone (one level up) is summed as before
    alone = json.loads(runner.invoke(app, ["summary", str(county), "--json"]).stdout)
    assert [u["status"] for u in alone["units"]] == ["merged"]
    assert alone["totals"]["proactive_total"] == 662
