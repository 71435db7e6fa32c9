"""The terminal views fit the screen: at every width each unit's name is whole, nothing is cut to "…".

The screens are produced through the CLI as a clerk runs it (COLUMNS set, as a terminal of that
width would) and measured with rich's own cell width, where a Chinese character takes two columns.
Expected names and figures come from the sample data (samples/roster.txt, samples/data/*.json).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from rich.cells import cell_len
from typer.testing import CliRunner

from xlsreport.cli import app
from xlsreport.terminal import county_prefix, pack

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
INBOX, ROSTER = SAMPLES / "inbox", SAMPLES / "roster.txt"
REPORTS = Path(__file__).resolve().parent / "data" / "reports"
COUNTY = "微山县"
MISSING = ["微山县赵庙镇人民政府", "微山县教育和体育局"]  # on the roster, no file in the inbox
FAILING = "微山县高楼乡人民政府"  # the sample with a deliberate mistake
# The official labels of the key figures (FORM.md, 依申请公开 and 复议诉讼 tables)
LABELS = ["主动公开合计", "本年新收", "办结（七）总计", "结转下年度", "复议总计", "诉讼总计"]
MARKS = "✓✗!="
WIDTHS = [40, 60, 80, 120]

runner = CliRunner()


def sample_units() -> dict[str, dict]:
    """Each sample unit's name → its data as the sample workbooks were built from."""
    units = {}
    for path in sorted((SAMPLES / "data").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        units[data["unit"]["name"]] = data
    return units


def screen(args: list[str], width: int) -> str:
    result = runner.invoke(app, args, env={"COLUMNS": str(width)})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def summary_screen(width: int) -> str:
    return screen(["summary", str(INBOX), "--roster", str(ROSTER)], width)


def merge_screen(width: int, tmp_path: Path) -> str:
    out = tmp_path / f"县汇总-{width}.xlsx"
    return screen(["merge", str(INBOX), "--roster", str(ROSTER), "-o", str(out), "--unit", COUNTY, "--year", "2024"], width)


def unit_lines(text: str, name: str) -> list[str]:
    """The lines that show one unit: the line naming it, down to the next unit's (or the totals)."""
    lines = text.splitlines()
    title = lines[0]
    shown = name if name in text else name.removeprefix(COUNTY)
    assert shown != name or name in text, f"{name} is not on the screen"
    if shown != name:
        # the rows leave the county out: the title must say so, once
        assert COUNTY in title and f"“{COUNTY}”" in title, title
    start = next(i for i, line in enumerate(lines) if re.search(rf"(^|\s){re.escape(shown)}(\s|$)", line))
    end = start + 1
    while end < len(lines) and lines[end].strip() and lines[end].lstrip()[:1] not in MARKS and not lines[end].lstrip().startswith("合计"):
        end += 1
    return lines[start:end]


def assert_fits(text: str, width: int) -> None:
    for line in text.splitlines():
        assert cell_len(line) <= width, f"{cell_len(line)} > {width}: {line!r}"
    assert "…" not in text and "..." not in text


def assert_every_unit_whole_with_its_figures(text: str) -> None:
    units = sample_units()
    assert len(units) == 6
    for name, data in units.items():
        block = " ".join(unit_lines(text, name))
        numbers = re.findall(r"\d+", block)
        assert str(data["categories"]["total"]) in numbers, (name, block)
        assert str(data["applications"]["new"]["total"]) in numbers, (name, block)
        if name == FAILING:
            assert "未汇总" in block and "（有错误）" in block, block
        else:
            assert "已汇总" in block, block
    for name in MISSING:
        assert name in text  # whole, on the 未报送 line(s)


def assert_headings_say_the_official_labels(text: str) -> None:
    """Either the heading is the label, or a legend maps the short heading to the label."""
    for label in LABELS:
        assert label in text, label


@pytest.mark.parametrize("width", WIDTHS)
def test_summary_fits_the_screen_and_shows_every_unit_whole(width):
    text = summary_screen(width)
    assert_fits(text, width)
    assert_every_unit_whole_with_its_figures(text)
    assert_headings_say_the_official_labels(text)
    # the totals of the five units that go into the sum (高楼乡 has an error)
    units = sample_units()
    proactive = sum(d["categories"]["total"] for n, d in units.items() if n != FAILING)
    totals = " ".join(line for line in text.splitlines() if "合计" in line or line.startswith(" "))
    assert str(proactive) in re.findall(r"\d+", totals)


@pytest.mark.parametrize("width", WIDTHS)
def test_merge_prints_a_table_that_fits_the_screen(width, tmp_path):
    text = merge_screen(width, tmp_path)
    assert_fits(text, width)
    assert_every_unit_whole_with_its_figures(text)
    assert_headings_say_the_official_labels(text)
    assert "已写出" in text


@pytest.mark.parametrize("width", [80, 120])
def test_from_80_columns_the_units_are_rows_of_one_table(width):
    """One line per unit, each under the same headings: a unit's figures sit on its own row."""
    text = summary_screen(width)
    for name, data in sample_units().items():
        row = unit_lines(text, name)[0]
        assert row.lstrip()[:1] in MARKS
        numbers = re.findall(r"\d+", row)
        assert str(data["categories"]["total"]) in numbers and str(data["applications"]["new"]["total"]) in numbers


@pytest.mark.parametrize("width", [40, 60])
def test_narrow_screens_get_one_block_per_unit_with_the_official_labels(width):
    text = summary_screen(width)
    for name, data in sample_units().items():
        block = unit_lines(text, name)
        assert name in block[0]  # the whole name, prefix and all, heads its block
        assert f"主动公开合计 {data['categories']['total']}" in " ".join(block)


def test_check_wraps_its_findings_within_the_screen():
    text = screen(["check", str(INBOX)], 60)
    assert_fits(text, 60)
    assert "依申请公开!D6" in text and "校验未通过" in text


def test_a_place_is_printed_once_per_finding():
    # shuyang's table 三 leaves 120 cells blank: the warning lists the first ten and "等共 120 个";
    # the cells are not repeated after it in parentheses
    text = screen(["check", str(REPORTS / "shuyang-fgj-2023.html")], 80)
    flat = "".join(text.split())  # the screen's line breaks and spaces out
    assert flat.count("第3个表格第4行第5列") == 1 and "等共120个单元格。VALUE.BLANK" in flat
    assert flat.count("第3个表格第27行第9列") == 1


def test_the_2019_trial_format_is_told_once_with_its_evidence():
    text = screen(["check", str(REPORTS / "shanghai-bgt-2019.html")], 80)
    flat = "".join(text.split())
    line = flat[flat.index("[错误]"):flat.index("FORMAT.TRIAL_2019")]
    assert line.count("国办公开办函〔2019〕60号") == 1 and line.count("未读取") == 1
    assert "「本年新制作数量」" in line  # the columns that gave it away


def test_piped_output_keeps_every_name_whole_on_one_line():
    result = runner.invoke(app, ["summary", str(INBOX), "--roster", str(ROSTER)])
    for name in sample_units():
        assert name in result.stdout
    assert "…" not in result.stdout


# --------------------------------------------------------------------------------------------
# The pieces: the county prefix and packing items into lines
# --------------------------------------------------------------------------------------------


def test_the_county_prefix_is_the_division_every_name_starts_with():
    roster = ROSTER.read_text(encoding="utf-8").split()
    assert county_prefix(roster) == "微山县"
    # cut after the division, never inside a name
    assert county_prefix(["微山县西平镇人民政府", "微山县西城镇人民政府"]) == "微山县"
    assert county_prefix(["微山县城市管理局", "微山县城市规划局"]) == "微山县"
    assert county_prefix(["徐州市教育局", "徐州市财政局"]) == "徐州市"
    assert county_prefix(["济宁市微山县教育局", "济宁市微山县财政局"]) == "济宁市微山县"


def test_no_prefix_when_the_names_share_no_division():
    assert county_prefix(["微山县教育和体育局", "中共微山县委宣传部"]) == ""
    assert county_prefix(["微山县教育和体育局"]) == ""  # one name: nothing to say once
    assert county_prefix(["微山县", "微山县教育局"]) == ""  # a name would be left empty
    assert county_prefix([]) == ""


def test_pack_keeps_items_whole_and_lines_within_the_width():
    items = ["主动公开合计 187", "本年新收 14", "办结（七）总计 13", "结转下年度 1"]
    lines = pack(items, 36, indent="  ")
    assert all(cell_len(line) <= 36 for line in lines)
    assert all(line.startswith("  ") for line in lines)
    assert [item for line in lines for item in line.strip().split("  ")] == items


def test_pack_folds_an_item_wider_than_the_line_instead_of_cutting_it():
    name = "微山县人力资源和社会保障局"  # 26 columns
    lines = pack([name], 10, hang="  ")
    assert all(cell_len(line) <= 10 for line in lines)
    assert "".join(line.strip() for line in lines) == name


@pytest.mark.parametrize("width", [60, 80])
def test_read_shows_the_form_within_the_screen_with_its_labels_whole(width):
    """The 依申请公开 table is too wide for a narrow screen: each row becomes a block, labels whole."""
    data = sample_units()["微山县自然资源和规划局"]
    text = screen(["read", str(INBOX / "自然资源和规划局-2024.xlsx")], width)
    assert_fits(text, width)
    lines = text.splitlines()
    row = lines.index("一、本年新收政府信息公开申请数量")  # FORM.md's row label, on a line of its own
    block = " ".join(lines[row + 1 : row + 4])
    assert f"自然人 {data['applications']['new']['natural_person']}" in block
    assert f"总计 {data['applications']['new']['total']}" in block


@given(
    st.lists(st.text(alphabet="微山县人民政府局镇乡ab1 （）：、", min_size=1, max_size=30), max_size=12),
    st.integers(min_value=2, max_value=90),
    st.sampled_from(["", "  ", "    "]),
)
def test_pack_never_runs_over_and_never_loses_a_character(items, width, indent):
    lines = pack(items, width, indent=indent, hang="  ")
    assert all(cell_len(line) <= width for line in lines)
    shown = "".join(ch for line in lines for ch in line if ch != " ")
    assert shown == "".join(ch for item in items for ch in item if ch != " ")


@pytest.mark.parametrize("width", [60, 80, 120])
def test_a_batch_of_several_years_and_no_common_prefix_still_fits(width):
    """Units of no common county, a file of another year and a file without a unit name."""
    import io

    from rich.console import Console

    from xlsreport.summary import Assessment, Summary, UnitRow
    from xlsreport.terminal import show_summary

    figures = {"proactive_total": 12345, "new_applications": 678}
    rows = [
        UnitRow(file="in/宣传部.xlsx", unit="中共微山县委宣传部", year=2024, status="merged", figures=figures),
        UnitRow(file="in/教体局.xlsx", unit="微山县教育和体育局", year=2023, status="wrong_year", errors=1),
        UnitRow(file="in/没写名字的单位报表.xlsx", unit=None, year=2024, status="failed", errors=2, warnings=3),
        UnitRow(file="in/x.xlsx", unit="[bold]审计局", year=2024, status="merged"),  # a name, not rich markup
    ]
    out = io.StringIO()
    show_summary(Summary(Assessment(rows=rows, findings=[], missing=[], accepted=[])), Console(file=out, width=width))
    text = out.getvalue()
    assert_fits(text, width)
    for name in ("中共微山县委宣传部", "微山县教育和体育局", "没写名字的单位报表.xlsx", "[bold]审计局", "年度不符", "12345", "2023"):
        assert name in text, name


@pytest.mark.parametrize("width", [60, 80])
def test_what_the_batch_decided_about_a_file_is_said_under_the_table_with_the_file(width, tmp_path):
    """A unit not on the roster is summed, a second copy of a unit is not: both are said under the
    table, the copy with both file names, and the list of skipped files fits the screen too."""
    import shutil

    for source in INBOX.iterdir():
        shutil.copy(source, tmp_path / source.name)
    shutil.copy(INBOX / "西平镇-2024.xlsx", tmp_path / "西平镇-2024（再次报送）.xlsx")
    for n in range(6):
        (tmp_path / f"说明材料-第{n}份-请勿汇总.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    roster = tmp_path.parent / "名单.txt"
    roster.write_text("\n".join(["微山县西平镇人民政府", "微山县韩庄镇人民政府", "微山县高楼乡人民政府"]), encoding="utf-8")
    result = runner.invoke(app, ["summary", str(tmp_path), "--roster", str(roster)], env={"COLUMNS": str(width)})
    text = result.stdout
    assert_fits(text, width)
    joined = text.replace("\n  ", "")
    assert "单位「微山县自然资源和规划局」不在单位名单中" in joined
    assert "西平镇-2024.xlsx" in joined and "西平镇-2024（再次报送）.xlsx" in joined and "未汇总" in joined
    assert_fits(result.stderr, width)
    assert "已跳过 6 个不是报表的文件" in result.stderr
