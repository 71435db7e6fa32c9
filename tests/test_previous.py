"""Last year's folder: each unit checked against its own report of last year, and what changed.

Two years of submissions are generated for four units (workbooks by the template writer, one of
last year's as a published Word report):

* 西平镇 carries over exactly what it carried forward last year: no cross-year finding;
* 韩庄镇 carried forward 1 application of 法律服务机构 last year, and says 3 were carried over:
  YEAR.CARRY at that one cell (依申请公开!H7 in the official workbook: column H = 法律服务机构,
  row 7 = 二、上年结转), off by 2;
* 高楼乡 sent nothing last year: listed (YEAR.NO_PREVIOUS);
* 夏镇街道 received 6 new applications last year and 60 this year: a jump worth a look.

Everything else of a unit (categories, review, fees) is the same in both years, so no other
figure moves.  Expected cells and numbers are typed from the data set up here and FORM.md.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import openpyxl
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from oracle import APPLICANT_COLUMNS, RESULT_ROWS, random_data
from xlsreport.batch import check, read_previous
from xlsreport.cli import app
from xlsreport.merger import merge
from xlsreport.publish import render
from xlsreport.summary import summarize
from xlsreport.writing.workbook import write_template

XIPING, HANZHUANG, GAOLOU, XIAZHEN = (
    "微山县西平镇人民政府", "微山县韩庄镇人民政府", "微山县高楼乡人民政府", "微山县夏镇街道办事处",
)  # fmt: skip
runner = CliRunner()


def applications(new: dict, carried_over: dict, carried_forward: dict) -> dict:
    """Table 三 that balances: every application handled is 予以公开 (一 + 二 = （七）总计 + 四)."""
    apps: dict = {row: {c: 0 for c in APPLICANT_COLUMNS} for row in RESULT_ROWS}
    apps["new"] = {c: new.get(c, 0) for c in APPLICANT_COLUMNS}
    apps["carried_over"] = {c: carried_over.get(c, 0) for c in APPLICANT_COLUMNS}
    apps["carried_forward"] = {c: carried_forward.get(c, 0) for c in APPLICANT_COLUMNS}
    apps["granted"] = {c: apps["new"][c] + apps["carried_over"][c] - apps["carried_forward"][c] for c in APPLICANT_COLUMNS}
    assert min(apps["granted"].values()) >= 0
    apps["handled_total"] = dict(apps["granted"])
    for row in apps.values():
        row["total"] = sum(row[c] for c in APPLICANT_COLUMNS)
    return apps


def two_years(name: str, rng: random.Random, last_apps: dict, this_apps: dict) -> tuple[dict, dict]:
    last = random_data(rng, name, 2023, date="2024-01-20")
    last["applications"] = last_apps
    last["fee_notices"] = {"notices_sent": 0, "amount_notified_yuan": 0, "amount_collected_yuan": 0}
    last["proactive"]["normative_documents"] = {"issued": 2, "repealed": 1, "in_force": 7}
    this = copy.deepcopy(last)
    this["unit"].update(year=2024, date="2025-01-20")
    this["applications"] = this_apps
    this["proactive"]["normative_documents"] = {"issued": 3, "repealed": 0, "in_force": 10}  # 7 + 3 − 0
    return last, this


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    root = tmp_path_factory.mktemp("years")
    last_dir, this_dir = root / "2023", root / "2024"
    last_dir.mkdir()
    this_dir.mkdir()
    rng = random.Random(2023)
    pairs = {
        XIPING: two_years(XIPING, rng,
                          applications({"natural_person": 5, "commercial": 1}, {}, {"natural_person": 2}),
                          applications({"natural_person": 4}, {"natural_person": 2}, {})),
        HANZHUANG: two_years(HANZHUANG, rng,
                             applications({"natural_person": 3, "legal_services": 1}, {}, {"natural_person": 3, "legal_services": 1}),
                             applications({"natural_person": 1}, {"natural_person": 3, "legal_services": 3}, {})),
        XIAZHEN: two_years(XIAZHEN, rng,
                           applications({"natural_person": 6}, {}, {}),
                           applications({"natural_person": 60}, {}, {})),
    }  # fmt: skip
    for name, (last, this) in pairs.items():
        short = name[3:6]
        write_template(this_dir / f"{short}-2024.xlsx", this)
        if name == XIPING:  # last year's report as published (Word), not a workbook
            workbook = write_template(root / f"{short}-2023.xlsx", last)
            assert render(workbook, last_dir / f"{short}-2023年度报告.docx").written
        else:
            write_template(last_dir / f"{short}-2023.xlsx", last)
    gaolou = random_data(rng, GAOLOU, 2024, date="2025-01-21")
    write_template(this_dir / "高楼乡-2024.xlsx", gaolou)
    return {"root": root, "last": last_dir, "this": this_dir, "gaolou": gaolou}


def by_unit(result) -> dict:
    return {f.unit: f for f in result.files}


def year_findings(file_result) -> list:
    return [f for f in file_result.findings if f.rule.startswith("YEAR.")]


def test_each_unit_is_checked_against_its_own_last_year(years):
    result = check([years["this"]], previous=read_previous(years["last"]))
    files = by_unit(result)
    assert set(files) == {XIPING, HANZHUANG, GAOLOU, XIAZHEN}

    # 西平镇 (last year a Word report): carried over what it carried forward, 现行有效 follows
    assert year_findings(files[XIPING]) == []
    assert files[XIPING].is_valid()

    # 韩庄镇: off by 2 in 法律服务机构, nowhere else (its total column is not reported again)
    (carry,) = [f for f in files[HANZHUANG].findings if f.rule == "YEAR.CARRY"]
    assert carry.severity == "error"
    assert carry.cells == ("依申请公开!H7",)
    assert "法律服务机构" in carry.message and "本年二、上年结转政府信息公开申请数量 3" in carry.message
    assert "上年四、结转下年度继续办理 1" in carry.message and "相差 2" in carry.message
    assert "韩庄镇-2023.xlsx" in carry.message  # last year's file is named
    assert not files[HANZHUANG].is_valid()

    # 高楼乡: no report last year — listed, not an error
    (none,) = year_findings(files[GAOLOU])
    assert none.rule == "YEAR.NO_PREVIOUS" and none.severity == "warning" and "高楼乡" in none.message
    assert files[GAOLOU].is_valid()

    # 夏镇街道: consistent, only more applications
    assert year_findings(files[XIAZHEN]) == []


def test_previous_as_several_files_gives_the_same_as_the_folder(years):
    files = sorted(str(p) for p in years["last"].iterdir())
    assert len(files) == 3
    by_folder = check([years["this"]], previous=read_previous(years["last"]))
    by_files = check([years["this"]], previous=read_previous(files))
    assert [f.to_dict() for f in by_files.files] == [f.to_dict() for f in by_folder.files]


def test_check_cli_takes_a_folder_or_repeated_files_as_previous(years):
    result = runner.invoke(app, ["check", str(years["this"]), "--previous", str(years["last"]), "--json"])
    assert result.exit_code == 1, result.stderr
    rules = {f["unit"]: sorted(x["rule"] for x in f["findings"] if x["rule"].startswith("YEAR.")) for f in json.loads(result.stdout)["files"]}
    assert rules == {XIPING: [], HANZHUANG: ["YEAR.CARRY"], GAOLOU: ["YEAR.NO_PREVIOUS"], XIAZHEN: []}
    files = sorted(years["last"].iterdir())
    repeated = runner.invoke(app, ["check", str(years["this"]), *[a for p in files for a in ("--previous", str(p))], "--json"])
    assert json.loads(repeated.stdout) == json.loads(result.stdout)


def test_summary_shows_each_units_change_and_flags_the_jump(years):
    summary = summarize([years["this"]], previous=read_previous(years["last"]))
    changes = {c.unit: c for c in summary.changes}
    assert set(changes) == {XIPING, HANZHUANG, XIAZHEN}  # 高楼乡 has no last year
    assert changes[XIAZHEN].last["new_applications"] == 6 and changes[XIAZHEN].now["new_applications"] == 60
    assert changes[XIAZHEN].delta("new_applications") == 54
    assert "new_applications" in changes[XIAZHEN].jumps
    assert changes[XIPING].jumps == () and changes[HANZHUANG].jumps == ()
    assert changes[XIPING].last["new_applications"] == 6 and changes[XIPING].now["new_applications"] == 4
    jumps = [f for f in summary.findings if f.rule == "YEAR.JUMP"]
    assert {f.unit for f in jumps} == {XIAZHEN}
    new = next(f for f in jumps if "本年新收" in f.message)
    assert new.severity == "warning" and "由上年 6 变为本年 60" in new.message and "是上年的 10 倍" in new.message
    assert "夏镇街-2023.xlsx" in new.message
    assert [f.unit for f in summary.no_previous] == [GAOLOU]
    # the JSON says the same
    data = summary.to_dict()
    xiazhen = next(c for c in data["changes"] if c["unit"] == XIAZHEN)
    assert xiazhen["figures"]["new_applications"] == {"previous": 6, "current": 60, "change": 54}


@pytest.mark.parametrize("width", [60, 80])
def test_summary_previous_on_screen_fits_and_names_the_jump(years, width):
    result = runner.invoke(app, ["summary", str(years["this"]), "--previous", str(years["last"])], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    for line in text.splitlines():
        assert cell_len(line) <= width, line
    assert "…" not in text and "..." not in text
    assert "与上年相比" in text
    assert "本年新收 6→60（+54）【异常】" in text
    flat = "".join(line.strip() for line in text.splitlines())
    assert "「本年新收」由上年" in flat and "请核对是否填错" in flat
    assert "上年无报告" in text and "高楼乡" in text.split("上年无报告")[1]


def test_merge_previous_leaves_out_the_unit_whose_carry_over_is_wrong(years, tmp_path):
    out = tmp_path / "county.xlsx"
    result = merge([years["this"]], out, unit="微山县", year=2024, previous=read_previous(years["last"]))
    status = {row.unit: row.status for row in result.rows}
    assert status == {XIPING: "merged", HANZHUANG: "failed", GAOLOU: "merged", XIAZHEN: "merged"}
    overview = openpyxl.load_workbook(out).worksheets[0]
    text = "\n".join(str(v) for row in overview.iter_rows(values_only=True) for v in row if v is not None)
    assert HANZHUANG in text and "相差 2" in text


@pytest.mark.parametrize(
    "last, now, flagged",
    [
        (6, 60, True),  # ×10 and 54 more
        (6, 59, False),  # not ten times
        (1, 10, False),  # ten times, but only 9 more
        (0, 100, True),  # from 0 to a hundred
        (0, 99, False),
        (300, 0, True),  # from hundreds to 0
        (200, 20, True),  # down to a tenth
    ],
)
def test_jump_thresholds_as_the_readme_states_them(last, now, flagged):
    """README: 增减到 10 倍以上且相差至少 20，或由 0 增至 100 以上（由 100 以上降至 0）."""
    from xlsreport.form import KEY_FIGURES

    new_applications = next(f for f in KEY_FIGURES if f.key == "new_applications")
    assert new_applications.jump.flags(last, now) is flagged
