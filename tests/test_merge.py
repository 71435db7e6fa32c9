"""Merging real workbooks end to end: write → check → merge → read back → merge again.

The unit workbooks are written by the template writer from random data that satisfies every
identity of FORM.md; the expected sums are added up here from that data.  One batch holds the
cases a county office meets: a unit that sent twice, a file for last year, a broken file, a
unit with a deliberate mistake, a unit whose name is formula-like text, and a roster with gaps.
"""

from __future__ import annotations

import hashlib
import os
import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from oracle import independent_sum, leaves_of, random_data
from xlsreport.batch import check_file
from xlsreport.errors import InvalidData, OutputExists, OutputIsInput
from xlsreport.merger import merge
from xlsreport.reading.report import read
from xlsreport.summary import summarize
from xlsreport.writing.workbook import write_template

YEAR = 2024
TOWNS = ["微山县西平镇人民政府", "微山县韩庄镇人民政府", "微山县夏镇街道办事处", "微山县高楼乡人民政府", "微山县自然资源和规划局"]
FORMULA_NAME = '=HYPERLINK("http://x","y")'
NOT_SENT = "微山县赵庙镇人民政府"
LAST_YEAR_UNIT = "微山县教育和体育局"
DETAIL_HEADER = ["单位", "年度", "文件", "状态", "错误数", "警告数", "主动公开合计", "本年新收", "办结（七）总计", "结转下年度", "复议总计", "诉讼总计"]  # fmt: skip


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet_rows(path: Path, sheet: str) -> list[list]:
    wb = openpyxl.load_workbook(path)  # not read-only: we want to see each cell's data type
    ws = wb[sheet]
    return [[c for c in row] for row in ws.iter_rows()]


def values_of(rows: list[list]) -> list[list]:
    return [[c.value for c in row] for row in rows]


def assert_numbers_equal(data: dict, expected: dict[tuple, Decimal]) -> None:
    got = {p: v for p, v in leaves_of(data).items() if p[0] != "unit"}
    for path, value in expected.items():
        assert Decimal(str(got[path])) == value, path


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """The county's inbox, the expected sums, and one merge of it with a roster."""
    root = tmp_path_factory.mktemp("county")
    inbox = root / "inbox"
    (inbox / "towns").mkdir(parents=True)
    rng = random.Random(4711)
    accepted: list[dict] = []
    files: dict[str, Path] = {}

    def write(name: str, data: dict) -> Path:
        path = inbox / "towns" / name
        write_template(path, data=data)
        files[name] = path
        return path

    for i, town in enumerate(TOWNS):
        data = random_data(rng, town, YEAR, date="2025-01-15")
        write(f"town{i}.xlsx", data)
        if i != 0:
            accepted.append(data)
    # 西平镇 sent twice: the later 填报日期 wins, whichever file is newer on disk.
    newer = random_data(rng, TOWNS[0] + " ", YEAR, date="2025-01-28")
    os.utime(write("town0-corrected.xlsx", newer), (1_000_000, 1_000_000))
    accepted.append(newer)
    formula = random_data(rng, FORMULA_NAME, YEAR, date="2025-01-20")
    write("formula-name.xlsx", formula)
    accepted.append(formula)
    write("last-year.xlsx", random_data(rng, LAST_YEAR_UNIT, YEAR - 1, date="2024-01-20"))
    mistaken = random_data(rng, "微山县人力资源和社会保障局", YEAR, date="2025-01-21")
    mistaken["applications"]["new"]["natural_person"] += 5  # 一 + 二 ≠ （七） + 四
    mistaken["applications"]["new"]["total"] += 5
    write("mistake.xlsx", mistaken)
    (inbox / "broken.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    files["broken.xlsx"] = inbox / "broken.xlsx"

    roster = root / "roster.txt"
    roster.write_text(
        "\n".join(["单位名称", *TOWNS, NOT_SENT, LAST_YEAR_UNIT, "微山县人力资源和社会保障局"]), encoding="utf-8"
    )
    before = {name: digest(path) for name, path in files.items()}
    out = root / "county.xlsx"
    result = merge([inbox], out, unit="微山县人民政府", year=YEAR, roster=roster)
    return {
        "root": root, "inbox": inbox, "files": files, "before": before, "roster": roster, "out": out,
        "result": result, "accepted": accepted, "mistaken": mistaken,
    }  # fmt: skip


def status_by_file(result) -> dict[str, str]:
    return {Path(row.file).name: row.status_label for row in result.rows}


def test_merged_values_are_the_sums_of_the_accepted_units(batch):
    assert_numbers_equal(batch["result"].data, independent_sum(batch["accepted"]))


def test_merged_workbook_reads_back_as_the_form_and_checks_clean(batch):
    report = read(batch["out"])
    data = report.to_dict()
    assert data["unit"]["name"] == "微山县人民政府"
    assert data["unit"]["year"] == YEAR
    assert_numbers_equal(data, independent_sum(batch["accepted"]))
    assert [f.to_dict() for f in check_file(batch["out"]).findings] == []


def test_every_file_has_its_status(batch):
    assert status_by_file(batch["result"]) == {
        "broken.xlsx": "无法读取",
        "town0.xlsx": "重复（未采用）",
        "town0-corrected.xlsx": "已汇总",
        "town1.xlsx": "已汇总",
        "town2.xlsx": "已汇总",
        "town3.xlsx": "已汇总",
        "town4.xlsx": "已汇总",
        "formula-name.xlsx": "已汇总",
        "last-year.xlsx": "年度不符",
        "mistake.xlsx": "未汇总（有错误）",
    }
    assert batch["result"].complete is False


def test_duplicate_finding_names_both_files(batch):
    [finding] = [f for f in batch["result"].findings if f.rule == "MERGE.DUPLICATE"]
    assert finding.file.endswith("town0.xlsx")
    assert "town0.xlsx" in finding.message and "town0-corrected.xlsx" in finding.message


def test_details_sheet_matches_the_result_and_keeps_formula_text_as_text(batch):
    rows = sheet_rows(batch["out"], "明细")
    assert values_of(rows)[0] == DETAIL_HEADER
    body = {Path(r[2].value).name: r for r in rows[1:]}
    assert len(body) == len(batch["files"])
    expected = {Path(row["file"]).name: row for row in batch["result"].to_dict()["units"]}
    for name, cells in body.items():
        row = expected[name]
        assert cells[0].value == (row["unit"] or None)
        assert cells[3].value == row["status_label"]
        assert [cells[4].value, cells[5].value] == [row["errors"], row["warnings"]]
    formula_cell = body["formula-name.xlsx"][0]
    assert formula_cell.value == FORMULA_NAME
    assert formula_cell.data_type == "s"  # a string, not a formula that Excel would run
    town = batch["accepted"][0]
    figures = [c.value for c in body["town1.xlsx"][6:]]
    rl = town["review_litigation"]
    assert figures == [
        town["categories"]["total"],
        town["applications"]["new"]["total"],
        town["applications"]["handled_total"]["total"],
        town["applications"]["carried_forward"]["total"],
        rl["review"]["total"],
        rl["litigation_direct"]["total"] + rl["litigation_after_review"]["total"],
    ]


def test_problem_list_and_missing_units(batch):
    problems = values_of(sheet_rows(batch["out"], "问题清单"))
    assert problems[0] == ["文件", "单位", "单元格", "类别", "规则", "说明"]
    assert len(problems) - 1 == len(batch["result"].findings)
    by_file = {}
    for row in problems[1:]:
        by_file.setdefault(Path(row[0]).name, []).append(row)
    assert any(r[3] == "错误" for r in by_file["mistake.xlsx"])
    assert any(r[3] == "错误" for r in by_file["broken.xlsx"])
    assert any("2023" in r[5] for r in by_file["last-year.xlsx"])
    assert any(r[2] for r in by_file["mistake.xlsx"] if r[3] == "错误")  # says which cells
    missing = values_of(sheet_rows(batch["out"], "未报送"))
    assert missing == [["序号", "单位"], [1, NOT_SENT], [2, LAST_YEAR_UNIT]]
    assert batch["result"].missing == [NOT_SENT, LAST_YEAR_UNIT]


def test_the_county_workbook_opens_on_what_it_is(batch):
    """Its first sheet names the county and the year, how many units are summed, who was left out
    and why, and who has not reported — not the unit template's 填报说明."""
    workbook = openpyxl.load_workbook(batch["out"])
    assert workbook.worksheets[0].title == workbook.active.title == "汇总说明"
    assert workbook.sheetnames[1] == "填报说明"  # then the official form as before
    rows = values_of(sheet_rows(batch["out"], "汇总说明"))
    assert "微山县人民政府" in rows[0][0] and "2024" in rows[0][0]
    facts = {r[0]: r[1] for r in rows if r[0] and r[1] and r[0] != "单位"}
    assert facts["汇总单位"] == "微山县人民政府" and facts["汇总年度"] == "2024 年度"
    # town0-corrected, town1…town4 and the formula-named unit
    assert facts["计入合计"].startswith("6 个单位：") and TOWNS[1] in facts["计入合计"]
    assert facts["未计入"].startswith("4 个文件")
    assert facts["未报送"] == f"2 个单位：{NOT_SENT}、{LAST_YEAR_UNIT}"
    header = next(i for i, r in enumerate(rows) if r[:4] == ["单位", "文件", "情况", "原因"])
    table = {(Path(r[1]).name if r[1] else r[0]): (r[2], r[3]) for r in rows[header + 1:]}
    assert set(table) == {"broken.xlsx", "town0.xlsx", "last-year.xlsx", "mistake.xlsx", NOT_SENT, LAST_YEAR_UNIT}
    assert table["mistake.xlsx"][0] == "未汇总（有错误）" and "相差 5" in table["mistake.xlsx"][1]
    assert table["last-year.xlsx"][0] == "年度不符" and "2023" in table["last-year.xlsx"][1]
    assert table["town0.xlsx"][0] == "重复（未采用）" and "town0-corrected.xlsx" in table["town0.xlsx"][1]
    assert table["broken.xlsx"][0] == "无法读取" and table["broken.xlsx"][1]
    assert table[NOT_SENT] == ("未报送", "名单中有，未收到报表")


def test_inputs_are_byte_identical_after_merging(batch):
    assert {name: digest(path) for name, path in batch["files"].items()} == batch["before"]


def test_include_failing_adds_the_failing_unit_and_marks_it(batch):
    out = batch["root"] / "with-failing.xlsx"
    result = merge([batch["inbox"]], out, unit="微山县人民政府", year=YEAR, include_failing=True)
    assert status_by_file(result)["mistake.xlsx"] == "已汇总（含错误）"
    expected = independent_sum(batch["accepted"] + [batch["mistaken"]])
    assert_numbers_equal(result.data, expected)
    assert result.complete is False  # the duplicate, the wrong year and the broken file stay out


def test_summary_has_the_same_rows_as_the_merge(batch):
    summary = summarize([batch["inbox"]], roster=batch["roster"], year=YEAR).to_dict()
    merged = batch["result"].to_dict()
    assert summary["units"] == merged["units"]
    assert summary["missing"] == merged["missing"] == [NOT_SENT, LAST_YEAR_UNIT]
    assert [Path(u["file"]).name for u in summary["unreadable"]] == ["broken.xlsx"]
    totals = independent_sum(batch["accepted"])
    assert summary["totals"]["proactive_total"] == totals[("categories", "total")]
    assert summary["totals"]["litigation_total"] == (
        totals[("review_litigation", "litigation_direct", "total")]
        + totals[("review_litigation", "litigation_after_review", "total")]
    )


def test_merging_merged_workbooks_gives_the_grand_total(batch, tmp_path):
    towns = batch["inbox"] / "towns"
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    group_a = [towns / "town1.xlsx", towns / "town2.xlsx", towns / "formula-name.xlsx"]
    group_b = [towns / "town3.xlsx", towns / "town4.xlsx", towns / "town0-corrected.xlsx"]
    ra = merge(group_a, first, unit="微山县人民政府", year=YEAR)
    rb = merge(group_b, second, unit="鱼台县人民政府", year=YEAR)
    assert ra.complete and rb.complete
    city = merge([first, second], tmp_path / "city.xlsx", unit="济宁市人民政府", year=YEAR)
    assert city.complete
    grand = independent_sum(batch["accepted"])
    assert_numbers_equal(city.data, grand)
    assert_numbers_equal(read(tmp_path / "city.xlsx").to_dict(), grand)


@pytest.mark.office
def test_formulas_of_the_merged_workbook_give_the_sums_in_a_real_spreadsheet(batch, tmp_path):
    from libreoffice import convert

    recalculated = convert(batch["out"], "xlsx", tmp_path / "lo")
    report = read(recalculated)
    grand = independent_sum(batch["accepted"])
    for path, value in grand.items():
        cell = report.values.get(path)
        assert cell is not None, path
        assert Decimal(str(cell.value)) == value, (path, cell)  # the stored (recalculated) value itself


def test_output_that_is_an_input_is_refused_and_left_alone(batch):
    target = batch["files"]["town1.xlsx"]
    before = digest(target)
    with pytest.raises(OutputIsInput):
        merge([batch["inbox"] / "towns"], target, unit="微山县人民政府", year=YEAR, force=True)
    assert digest(target) == before


def test_existing_output_needs_force(batch, tmp_path):
    out = tmp_path / "county.xlsx"
    out.write_bytes(b"keep me")
    towns = batch["inbox"] / "towns"
    with pytest.raises(OutputExists):
        merge([towns / "town1.xlsx"], out, unit="微山县人民政府", year=YEAR)
    assert out.read_bytes() == b"keep me"
    result = merge([towns / "town1.xlsx"], out, unit="微山县人民政府", year=YEAR, force=True)
    assert result.complete
    assert read(out).to_dict()["categories"]["total"] == batch["accepted"][0]["categories"]["total"]


def test_glob_inputs_and_a_missing_input(batch, tmp_path):
    towns = batch["inbox"] / "towns"
    result = merge([str(towns / "town[12].xlsx")], tmp_path / "g.xlsx", unit="微山县人民政府", year=YEAR)
    assert sorted(status_by_file(result)) == ["town1.xlsx", "town2.xlsx"]
    with pytest.raises(InvalidData):
        merge([towns / "no-such.xlsx"], tmp_path / "h.xlsx", unit="微山县人民政府", year=YEAR)
    assert not (tmp_path / "h.xlsx").exists()


def test_parallel_checking_gives_the_same_rows(batch):
    one = summarize([batch["inbox"]], year=YEAR, jobs=1).to_dict()
    two = summarize([batch["inbox"]], year=YEAR, jobs=2).to_dict()
    assert one["units"] == two["units"] and one["totals"] == two["totals"]
