"""Summary and the rules shared with merge: what goes into a sum, what is left out and why.

Reports are built here as values (no reader involved: ``oracle.report_of``), so these tests pin the rules themselves;
tests/test_merge.py runs the same rules end to end over real workbooks.  Expected numbers are
computed in the test from the generated data, never taken from the code under test.
"""

from __future__ import annotations

import datetime as _dt

import os
import random
from pathlib import Path

import pytest
import xlsxwriter

from oracle import CATEGORY_KEYS as CATEGORY_INPUTS
from oracle import independent_sum, leaves_of, random_data, report_of, result_of
from xlsreport.errors import InvalidData
from xlsreport.model import CellValue, FileResult, Finding
from xlsreport.model import normalise_unit_name
from xlsreport.roster import load_roster
from xlsreport.batch import assess, collect_inputs, sum_reports
from xlsreport.dates import parse_date
from xlsreport.form import KEY_FIGURES
from xlsreport.merger import details_table, findings_table, missing_table


def expand_inputs(inputs):
    return collect_inputs(inputs).files


def unreadable(file: str) -> FileResult:
    return FileResult(file=file, findings=[Finding.unreadable("UNREADABLE", "文件已损坏，无法读取。", file=file)])


ERROR = Finding(rule="CAT.TOTAL", severity="error", message="主动公开分类：5+1+1+1+38+7 = 53 ≠ 合计 58", cells=("主动公开分类!C9",))
WARNING = Finding(rule="VALUE.BLANK", severity="warning", message="空白单元格按 0 计", cells=("主动公开分类!C3",))


# ---- sums -------------------------------------------------------------------------------------


def test_sum_of_reports_equals_sum_computed_independently():
    from decimal import Decimal

    rng = random.Random(20240101)
    datas = [random_data(rng, f"单位{i}") for i in range(7)]
    merged = sum_reports([report_of(d, f"u{i}.xlsx") for i, d in enumerate(datas)])
    expected = independent_sum(datas)
    got = {p: v for p, v in leaves_of(merged).items() if p[0] not in ("unit", "narrative")}
    assert set(got) == set(expected)
    # the units' report texts are not added up: the merged workbook's 报告正文 stays empty
    assert merged["narrative"] == {"preamble": None, "overview": None, "problems": None, "other": None}
    for path, value in expected.items():
        assert Decimal(str(got[path])) == value, path
    # Counts stay whole numbers in the JSON (a clerk sees 58, not 58.0).
    assert isinstance(got[("categories", "total")], int)


def test_money_is_added_exactly():
    rng = random.Random(1)
    a, b = random_data(rng, "甲"), random_data(rng, "乙")
    a["proactive"]["fees_10k_yuan"], b["proactive"]["fees_10k_yuan"] = 0.1, 0.2
    merged = sum_reports([report_of(a, "a.xlsx"), report_of(b, "b.xlsx")])
    assert merged["proactive"]["fees_10k_yuan"] == 0.3


def test_totals_come_from_inputs_not_from_stale_stored_totals():
    rng = random.Random(2)
    data = random_data(rng, "甲")
    stale = leaves_of(data)
    report = report_of(data, "a.xlsx")
    # The file stored a wrong total (a typed-over formula): the sum uses the inputs.
    path = ("categories", "total")
    report.values[path] = CellValue(path, 999999, "表!Z1")
    merged = sum_reports([report])
    assert merged["categories"]["total"] == sum(data["categories"][k] for k in CATEGORY_INPUTS)
    assert stale[path] == merged["categories"]["total"]


def test_a_partial_file_adds_only_what_it_holds():
    rng = random.Random(3)
    full = random_data(rng, "甲")
    partial = {"form": full["form"], "unit": {"name": "乙", "year": 2024}, "categories": {
        "notices": 5, "budget": 1, "final_accounts": 1, "functions": 1, "work_updates": 38, "other": 12, "total": 58}}
    merged = sum_reports([report_of(full, "a.xlsx"), report_of(partial, "b.xlsx")])
    assert merged["categories"]["total"] == full["categories"]["total"] + 58
    assert merged["applications"]["new"]["total"] == full["applications"]["new"]["total"]


# ---- key figures and the 明细 rows --------------------------------------------------------------


def test_key_figures_are_the_ones_the_county_compares():
    labels = [f.label for f in KEY_FIGURES]
    assert labels == ["主动公开合计", "本年新收", "办结（七）总计", "结转下年度", "复议总计", "诉讼总计"]
    rng = random.Random(4)
    data = random_data(rng, "微山县西平镇人民政府")
    row = assess([result_of(data, "x.xlsx")], year=2024).rows[0]
    rl = data["review_litigation"]
    assert list(row.figures.values()) == [
        data["categories"]["total"],
        data["applications"]["new"]["total"],
        data["applications"]["handled_total"]["total"],
        data["applications"]["carried_forward"]["total"],
        rl["review"]["total"],
        rl["litigation_direct"]["total"] + rl["litigation_after_review"]["total"],
    ]


def test_detail_row_says_who_what_and_whether_merged():
    rng = random.Random(5)
    data = random_data(rng, "微山县韩庄镇人民政府")
    assessment = assess([result_of(data, "韩庄.xlsx", [WARNING])], year=2024)
    name, header, rows = details_table(assessment.rows)
    assert name == "明细"
    assert header[:6] == ["单位", "年度", "文件", "状态", "错误数", "警告数"]
    assert rows[0][:6] == ["微山县韩庄镇人民政府", 2024, "韩庄.xlsx", "已汇总", 0, 1]
    assert rows[0][6] == data["categories"]["total"]


# ---- what is left out, and why --------------------------------------------------------------


def test_file_with_errors_is_left_out_unless_include_failing():
    rng = random.Random(6)
    good, bad = random_data(rng, "甲镇"), random_data(rng, "乙镇")
    results = [result_of(good, "good.xlsx"), result_of(bad, "bad.xlsx", [ERROR, WARNING])]

    strict = assess(results, year=2024)
    assert [r.status_label for r in strict.rows] == ["已汇总", "未汇总（有错误）"]
    assert (strict.rows[1].errors, strict.rows[1].warnings) == (1, 1)
    assert not strict.complete
    assert sum_reports(strict.accepted)["categories"]["total"] == good["categories"]["total"]
    assert ERROR.message in [f.message for f in strict.findings]

    lenient = assess(results, year=2024, include_failing=True)
    assert [r.status_label for r in lenient.rows] == ["已汇总", "已汇总（含错误）"]
    assert lenient.complete
    assert (
        sum_reports(lenient.accepted)["categories"]["total"]
        == good["categories"]["total"] + bad["categories"]["total"]
    )


def test_duplicate_unit_newer_by_submission_date_is_used(tmp_path):
    rng = random.Random(7)
    old = random_data(rng, "微山县 西平镇人民政府", date="2025-01-10")
    new = random_data(rng, "微山县西平镇人民政府　", date="2025年1月20日")
    # The older file is touched last: the date typed in the form wins over the file time.
    (tmp_path / "new.xlsx").write_bytes(b"")
    (tmp_path / "old.xlsx").write_bytes(b"")
    os.utime(tmp_path / "new.xlsx", (1_000_000, 1_000_000))
    os.utime(tmp_path / "old.xlsx", (2_000_000, 2_000_000))
    results = [result_of(old, str(tmp_path / "old.xlsx")), result_of(new, str(tmp_path / "new.xlsx"))]
    assessment = assess(results, year=2024)
    assert [r.status_label for r in assessment.rows] == ["重复（未采用）", "已汇总"]
    dup = [f for f in assessment.findings if f.file == str(tmp_path / "old.xlsx")]
    assert len(dup) == 1
    assert str(tmp_path / "old.xlsx") in dup[0].message and str(tmp_path / "new.xlsx") in dup[0].message
    assert "填报日期" in dup[0].message
    assert sum_reports(assessment.accepted)["categories"]["total"] == new["categories"]["total"]
    assert not assessment.complete


def test_duplicate_without_dates_uses_the_newer_file(tmp_path):
    rng = random.Random(8)
    a, b = random_data(rng, "ＡＢＣ局"), random_data(rng, "ABC局")  # full-width = half-width
    for name, stamp in (("a.xlsx", 3_000_000), ("b.xlsx", 1_000_000)):
        (tmp_path / name).write_bytes(b"")
        os.utime(tmp_path / name, (stamp, stamp))
    results = [result_of(a, str(tmp_path / "a.xlsx")), result_of(b, str(tmp_path / "b.xlsx"))]
    assessment = assess(results, year=2024)
    assert [r.status for r in assessment.rows] == ["merged", "duplicate"]


def test_same_unit_in_different_years_is_not_a_duplicate():
    rng = random.Random(9)
    results = [result_of(random_data(rng, "甲", 2024), "a.xlsx"), result_of(random_data(rng, "甲", 2023), "b.xlsx")]
    assessment = assess(results, year=2023)  # never two years in one sum: the other one is 年度不符
    assert [r.status for r in assessment.rows] == ["wrong_year", "merged"]
    with pytest.raises(InvalidData, match="--year"):  # one file of each year: only the clerk can choose
        assess(results)


def test_wrong_year_is_left_out_with_a_finding():
    rng = random.Random(10)
    this, last = random_data(rng, "甲镇", 2024), random_data(rng, "乙镇", 2023)
    assessment = assess([result_of(this, "a.xlsx"), result_of(last, "b.xlsx")], year=2024)
    assert [r.status_label for r in assessment.rows] == ["已汇总", "年度不符"]
    [finding] = [f for f in assessment.findings if f.file == "b.xlsx"]
    assert "2023" in finding.message and "2024" in finding.message
    assert finding.unit == "乙镇"
    assert sum_reports(assessment.accepted)["categories"]["total"] == this["categories"]["total"]


def test_unreadable_file_is_listed_not_fatal():
    rng = random.Random(11)
    assessment = assess([result_of(random_data(rng, "甲"), "a.xlsx"), unreadable("broken.xlsx")], year=2024)
    assert [r.status_label for r in assessment.rows] == ["已汇总", "无法读取"]
    assert [(f.file, f.rule, f.message) for f in assessment.unreadable] == [("broken.xlsx", "UNREADABLE", "文件已损坏，无法读取。")]
    assert any(f.file == "broken.xlsx" and f.severity == "error" for f in assessment.findings)
    assert assessment.rows[1].figures == {f.key: None for f in KEY_FIGURES}


def test_roster_gaps_and_names_not_on_the_roster():
    rng = random.Random(12)
    roster = ["微山县西平镇人民政府", "微山县韩庄镇人民政府", "微山县高楼乡人民政府"]
    results = [
        result_of(random_data(rng, "微山县西平镇人民政府"), "a.xlsx"),
        result_of(random_data(rng, "微山县韩庄镇人民政府", 2023), "b.xlsx"),  # wrong year: not a 2024 report
        result_of(random_data(rng, "微山县韩庄镇政府"), "c.xlsx"),  # a name not on the roster
    ]
    assessment = assess(results, year=2024, roster=roster)
    assert assessment.missing == ["微山县韩庄镇人民政府", "微山县高楼乡人民政府"]
    assert any(f.file == "c.xlsx" and "名单" in f.message and f.severity == "warning" for f in assessment.findings)
    assert missing_table(assessment.missing) == (
        "未报送", ["序号", "单位"], [[1, "微山县韩庄镇人民政府"], [2, "微山县高楼乡人民政府"]]
    )


def test_problem_list_has_every_finding_with_where_and_why():
    rng = random.Random(13)
    data = random_data(rng, "甲镇")
    assessment = assess([result_of(data, "a.xlsx", [ERROR, WARNING])], year=2024)
    name, header, rows = findings_table(assessment.findings)
    assert name == "问题清单"
    assert header == ["文件", "单位", "单元格", "类别", "规则", "说明"]
    assert rows == [
        ["a.xlsx", "甲镇", "主动公开分类!C9", "错误", "CAT.TOTAL", ERROR.message],
        ["a.xlsx", "甲镇", "主动公开分类!C3", "警告", "VALUE.BLANK", WARNING.message],
    ]


# ---- roster ---------------------------------------------------------------------------------


def test_normalise_unit_name():
    assert normalise_unit_name(" 微山县　西平镇\t人民政府\n") == "微山县西平镇人民政府"
    assert normalise_unit_name("ＡＢＣ（１）局") == "ABC(1)局"
    assert normalise_unit_name(None) == ""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_text_roster_in_the_encodings_clerks_save(tmp_path, encoding):
    path = tmp_path / "roster.txt"
    path.write_bytes("单位名称\r\n微山县西平镇人民政府\r\n\r\n　微山县韩庄镇人民政府　\r\n微山县西平镇人民政府\r\n".encode(encoding))
    assert load_roster(path) == ["微山县西平镇人民政府", "微山县韩庄镇人民政府"]


def _roster_xlsx(path: Path, header: str | None) -> None:
    with xlsxwriter.Workbook(str(path)) as wb:
        ws = wb.add_worksheet("名单")
        rows = ([header] if header else []) + ["微山县西平镇人民政府", None, "微山县高楼乡人民政府"]
        for i, name in enumerate(rows):
            if name is not None:
                ws.write_string(i, 0, name)
            ws.write_string(i, 1, "备注")


@pytest.mark.office
def test_spreadsheet_roster_xlsx_and_xls(tmp_path):
    from libreoffice import convert

    _roster_xlsx(tmp_path / "roster.xlsx", "单位")
    _roster_xlsx(tmp_path / "bare.xlsx", None)
    xls = convert(tmp_path / "roster.xlsx", "xls", tmp_path / "xls")
    expected = ["微山县西平镇人民政府", "微山县高楼乡人民政府"]
    assert load_roster(tmp_path / "roster.xlsx") == expected
    assert load_roster(tmp_path / "bare.xlsx") == expected
    assert load_roster(xls) == expected


@pytest.mark.parametrize(
    "content, name",
    [(None, "missing.txt"), (b"", "empty.txt"), (b"\n\n  \n", "blank.txt"), (b"PK\x03\x04garbage", "bad.xlsx"),
     (b"\xff\xfe\x00\x00\x81", "binary.txt")],
)  # fmt: skip
def test_bad_roster_is_a_clear_error(tmp_path, content, name):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InvalidData) as info:
        load_roster(path)
    assert "名单" in str(info.value)


# ---- inputs ---------------------------------------------------------------------------------


def test_inputs_expand_folders_recursively_and_globs(tmp_path):
    for rel in ["a/x.xlsx", "a/b/y.xls", "a/b/~$y.xls", "a/notes.txt", "a/.git/q.xlsx", "c/z.ods", "c/w.xlsx"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    files = expand_inputs([tmp_path / "a", str(tmp_path / "c" / "*.ods"), tmp_path / "a" / "x.xlsx"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in files) == ["a/b/y.xls", "a/x.xlsx", "c/z.ods"]
    with pytest.raises(InvalidData):
        expand_inputs([tmp_path / "nowhere.xlsx"])
    with pytest.raises(InvalidData):
        expand_inputs([str(tmp_path / "*.xlsb")])


# ---- one parser of 填报日期 ------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [_dt.date(2025, 1, 24), _dt.datetime(2025, 1, 24, 9, 30), 45681, 45681.0, "45681", "2025年1月24日",
     "2025.1.24", "2025/1/24", "2025-01-24", "２０２５年１月２４日", " 20250124 "],
)  # fmt: skip
def test_a_submission_date_typed_any_way_reads_as_the_same_day(typed):
    assert parse_date(typed) == _dt.date(2025, 1, 24)


@pytest.mark.parametrize("typed", [None, "", "上周", "2025年13月1日", True, 12, "2024"])
def test_what_is_not_a_date_is_none(typed):
    assert parse_date(typed) is None


@pytest.mark.parametrize("later", [45681, "2025.1.24", "2025/1/24"])
def test_duplicates_are_resolved_by_the_date_however_it_was_typed(tmp_path, later):
    rng = random.Random(9)
    old = random_data(rng, "甲镇人民政府", date="2025年1月20日")
    new = random_data(rng, "甲镇人民政府", date=None)
    new["unit"]["date"] = later  # 2025-01-24, typed as a serial number or with dots/slashes
    (tmp_path / "new.xlsx").write_bytes(b"")
    (tmp_path / "old.xlsx").write_bytes(b"")
    os.utime(tmp_path / "new.xlsx", (1_000_000, 1_000_000))  # the file times say the opposite
    os.utime(tmp_path / "old.xlsx", (2_000_000, 2_000_000))
    results = [result_of(new, str(tmp_path / "new.xlsx")), result_of(old, str(tmp_path / "old.xlsx"))]
    assessment = assess(results, year=2024)
    assert [r.status for r in assessment.rows] == ["merged", "duplicate"]
    (dup,) = [f for f in assessment.findings if f.rule == "MERGE.DUPLICATE"]
    assert "填报日期 2025-01-24" in dup.message and "填报日期 2025-01-20" in dup.message


def test_files_in_a_folder_that_are_not_reports_are_listed_as_skipped(tmp_path):
    for rel in ["in/a.xlsx", "in/说明.txt", "in/sub/照片.jpg", "in/~$a.xlsx"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    inputs = collect_inputs([tmp_path / "in"])
    assert [p.name for p in inputs.files] == ["a.xlsx"]
    assert [p.name for p in inputs.skipped] == ["说明.txt", "照片.jpg"]  # the lock file is not a file of the clerk's
    (txt, jpg) = inputs.skipped_findings()
    assert (txt.rule, txt.severity, txt.title) == ("INPUT.SKIPPED", "warning", "文件夹中不是报表的文件（说明、图片等），已跳过并列出")
    assert "说明.txt" in txt.message and ".jpg" in jpg.message
