"""The fillable workbook: official labels, protection, live formulas (proved by LibreOffice), data.

Expectations are typed from ../shared/spec/FORM.md (tests/oracle.py) or computed here from the numbers the test
itself puts in; the code under test only says *where* a value sits (``layout()``), and a test
below checks that those places sit under the right labels.
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from libreoffice import convert
from oracle import (
    CATEGORY_LABELS, FEE_LABELS, T2_LABELS, T3_COLUMN_LABELS, T3_NOTE, T4_LABELS, UNIT_LABELS,
    expected_totals, leaves_of, seeded_data, t3_rows_with_groups,
)
from xlsreport import errors
from xlsreport.form import LEAVES
from xlsreport.writing.workbook import TEMPLATE_FILENAME, layout, write_template

ROOT = Path(__file__).resolve().parent.parent

# ---- the form's labels, typed from FORM.md in tests/oracle.py ------------------------------
SHEETS = ["填报说明", "基本信息", "主动公开", "主动公开分类", "主动公开信息清单", "依申请公开", "依申请公开台账", "复议诉讼", "报告正文", "校验"]  # the template's sheets
T3_ROWS = t3_rows_with_groups()  # (label, key) in order; group labels are printed once in merged cells
ERROR_VALUES = ("#REF!", "#NAME?", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "Err:")


def norm(text: object) -> str:
    return re.sub(r"\s+", "", str(text))


def texts(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {norm(c.value) for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}


def test_workbook_sheets_in_order(blank: Path) -> None:
    assert openpyxl.load_workbook(blank, read_only=True).sheetnames == SHEETS


# ---- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("template")


@pytest.fixture(scope="module")
def blank(work: Path) -> Path:
    return write_template(work / "blank.xlsx")


@pytest.fixture(scope="module")
def random_inputs() -> dict[tuple, float]:
    rnd = random.Random(20240101)
    values: dict[tuple, float] = {}
    for leaf in LEAVES:
        if leaf.kind == "count" and not leaf.computed:
            values[leaf.path] = rnd.randint(0, 999)
        elif leaf.kind == "money":
            values[leaf.path] = rnd.randint(0, 10**6) / 100
    return values


@pytest.fixture(scope="module")
def recalculated(work: Path, blank: Path, random_inputs: dict) -> dict[str, Path]:
    """LibreOffice, forced to recalculate, opens three workbooks: the blank template filled by
    openpyxl (no cached results), and consistent / inconsistent pre-fills."""
    where = layout()
    wb = openpyxl.load_workbook(blank)
    for path, value in random_inputs.items():
        ref = where[path]
        wb[ref.sheet].cell(ref.row + 1, ref.col + 1).value = value
    filled = work / "filled-by-openpyxl.xlsx"
    wb.save(filled)
    good = write_template(work / "consistent.xlsx", seeded_data(7))
    bad_data = seeded_data(7)
    bad_data["applications"]["carried_forward"]["natural_person"] += 1
    bad = write_template(work / "inconsistent.xlsx", bad_data)
    out = work / "recalculated"
    return {name: convert(src, "xlsx", out) for name, src in
            {"filled": filled, "consistent": good, "inconsistent": bad}.items()}


def values_at(path: Path, *, data_only: bool = True) -> dict[tuple, object]:
    wb = openpyxl.load_workbook(path, data_only=data_only)
    return {p: wb[ref.sheet].cell(ref.row + 1, ref.col + 1).value for p, ref in layout().items()}


def checks_column(path: Path) -> list[tuple[str, str, str]]:
    """(rule code, title, result) for every row of 校验, found by its headers."""
    ws = openpyxl.load_workbook(path, data_only=True)["校验"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and "结果" in r and "规则代码" in r)
    rule, title, result = (rows[head].index(h) for h in ("规则代码", "校验内容", "结果"))
    return [(r[rule], r[title], r[result]) for r in rows[head + 1:] if r and r[rule]]


# ---- labels and layout --------------------------------------------------------------------


def test_every_official_label_is_in_the_workbook(blank: Path) -> None:
    found = texts(blank)
    official = (UNIT_LABELS + FEE_LABELS + T2_LABELS + CATEGORY_LABELS + T3_COLUMN_LABELS
                + [label for label, _ in T3_ROWS] + T4_LABELS
                + ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"])
    missing = [label for label in official if norm(label) not in found]
    assert not missing
    assert any(T3_NOTE in t for t in found)


def _merged_value(ws, row: int, col: int):
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= row <= rng.max_row and rng.min_col <= col <= rng.max_col:
            return ws.cell(rng.min_row, rng.min_col).value
    return ws.cell(row, col).value


def test_layout_cells_sit_under_their_labels(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    where = layout()
    assert set(where) == {leaf.path for leaf in LEAVES}
    assert len({(r.sheet, r.row, r.col) for r in where.values()}) == len(where)
    for leaf in LEAVES:
        ref = where[leaf.path]
        ws = wb[ref.sheet]
        r, c = ref.row + 1, ref.col + 1
        around = {norm(_merged_value(ws, r, cc)) for cc in range(1, c)}
        around |= {norm(_merged_value(ws, rr, c)) for rr in range(1, r)}
        if leaf.row is None:
            wanted = [leaf.label]
        else:
            wanted = [*leaf.row.group, leaf.row.label, *leaf.column.group, leaf.column.label]
        assert all(norm(w) in around for w in wanted), (leaf.path, ref, wanted)
        assert ws.cell(r, c).coordinate == ref.a1


# ---- protection and validation ------------------------------------------------------------


def test_inputs_unlocked_and_validated_labels_locked_sheets_protected(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    for ws in wb:
        assert ws.protection.sheet, ws.title
        assert not ws.protection.password, ws.title
    where = layout()
    for leaf in LEAVES:
        ref = where[leaf.path]
        ws = wb[ref.sheet]
        cell = ws.cell(ref.row + 1, ref.col + 1)
        if leaf.computed:
            assert cell.protection.locked and str(cell.value).startswith("="), leaf.path
            continue
        assert not cell.protection.locked, leaf.path
        assert cell.value is None, leaf.path  # a blank template leaves inputs empty
        dvs = [dv for dv in ws.data_validations.dataValidation if ref.a1 in dv.sqref]
        assert len(dvs) == 1, leaf.path
        dv = dvs[0]
        assert dv.prompt and dv.error and dv.showErrorMessage, leaf.path
        if leaf.kind == "count":
            assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0"), leaf.path
        elif leaf.kind == "money":
            assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0"), leaf.path
        elif leaf.kind == "year":
            assert (dv.type, dv.formula1, dv.formula2) == ("whole", "2008", "2100")
        else:
            assert dv.type in ("textLength", "date"), leaf.path
    inputs = {(r.sheet, r.row + 1, r.col + 1) for p, r in where.items()}
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and (ws.title, cell.row, cell.column) not in inputs:
                    assert cell.protection.locked, (ws.title, cell.coordinate)


def test_every_identity_cell_has_a_red_alert(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    where = layout()
    for sheet in ("依申请公开", "复议诉讼", "主动公开分类"):
        ws = wb[sheet]
        covered = set()
        for cf in ws.conditional_formatting:
            for rule in cf.rules:
                assert rule.type == "expression" and rule.dxf.fill is not None
            for rng in cf.sqref.ranges:
                covered |= {(r, c) for r in range(rng.min_row, rng.max_row + 1)
                            for c in range(rng.min_col, rng.max_col + 1)}
        cells = {(r.row + 1, r.col + 1) for p, r in where.items() if r.sheet == sheet}
        assert cells <= covered, sheet


# ---- formulas, proved by LibreOffice --------------------------------------------------------


@pytest.mark.office
def test_libreoffice_recalculates_every_total(recalculated: dict, random_inputs: dict) -> None:
    got = values_at(recalculated["filled"])
    for path, value in expected_totals(random_inputs).items():
        assert got[path] == pytest.approx(value), path
    for path, value in random_inputs.items():
        assert got[path] == pytest.approx(value), path


@pytest.mark.office
def test_no_error_values_after_recalculation(recalculated: dict) -> None:
    for path in recalculated.values():
        wb = openpyxl.load_workbook(path, data_only=True)
        for ws in wb:
            for row in ws.iter_rows(values_only=True):
                for value in row:
                    assert not (isinstance(value, str) and value.startswith(ERROR_VALUES)), (path.name, ws.title, value)


@pytest.mark.office
def test_checks_sheet_after_recalculation(recalculated: dict) -> None:
    good = checks_column(recalculated["consistent"])
    assert len(good) == 43  # 1 + 25 + 7 + 7 + 3 identities in FORM.md
    assert {r for _, _, r in good} == {"✓"}
    bad = [(rule, title) for rule, title, result in checks_column(recalculated["inconsistent"]) if result != "✓"]
    # carried_forward 自然人 +1 breaks 一+二 = （七）+四 in the 自然人 column and the 总计 column
    assert [rule for rule, _ in bad] == ["T3.BALANCE", "T3.BALANCE"]
    assert "自然人" in bad[0][1] and "总计" in bad[1][1]
    assert {r for _, _, r in checks_column(recalculated["inconsistent"])} == {"✓", "✗"}


# ---- stored values, without any spreadsheet application --------------------------------------


def test_cached_values_of_a_prefill_equal_independent_sums(work: Path) -> None:
    data = seeded_data(11)
    data["applications"]["carried_forward"]["research"] += 2
    out = write_template(work / "cached.xlsx", data)
    inputs = {p: v for p, v in leaves_of(data).items() if isinstance(v, (int, float))}
    got = values_at(out)
    for path, value in expected_totals(inputs).items():
        assert got[path] == pytest.approx(value), path
    results = {(rule, title): result for rule, title, result in checks_column(out)}
    failing = {k for k, v in results.items() if v == "✗"}
    assert {rule for rule, _ in failing} == {"T3.BALANCE"} and len(failing) == 2


def test_blank_template_stores_zero_totals_and_passing_checks(blank: Path) -> None:
    got = values_at(blank)
    for path in expected_totals({}):
        assert got[path] == 0, path
    assert {r for _, _, r in checks_column(blank)} == {"✓"}


def test_data_round_trips_through_openpyxl_and_calamine(work: Path) -> None:
    data = seeded_data(3)
    out = write_template(work / "roundtrip.xlsx", data)
    where = layout()
    got = values_at(out)
    cal = CalamineWorkbook.from_path(str(out))
    grids = {name: cal.get_sheet_by_name(name).to_python() for name in SHEETS}
    for path, value in leaves_of(data).items():
        ref = where[path]
        if path == ("unit", "date"):
            assert got[path].date().isoformat() == value
            continue
        assert got[path] == value, path
        assert grids[ref.sheet][ref.row][ref.col] == value, path
    # a unit name that looks like a formula stays text
    wb = openpyxl.load_workbook(out)
    ref = where[("unit", "name")]
    assert wb[ref.sheet][ref.a1].data_type == "s"


def test_unit_and_year_arguments_fill_the_unit_facts(work: Path) -> None:
    out = write_template(work / "unit.xlsx", unit="微山县西平镇人民政府", year=2024)
    got = values_at(out)
    assert got[("unit", "name")] == "微山县西平镇人民政府" and got[("unit", "year")] == 2024
    assert got[("applications", "new", "natural_person")] is None  # inputs stay blank


def test_partial_data_leaves_missing_parts_blank(work: Path) -> None:
    out = write_template(work / "partial.xlsx", {"categories": {"notices": 5, "budget": 1, "final_accounts": 1,
                                                               "functions": 1, "work_updates": 38, "other": 8},
                                                "applications": None})
    got = values_at(out)
    # the seed's six values; they add up to 54 (the seed itself states 58, which CAT.TOTAL flags)
    assert got[("categories", "total")] == 5 + 1 + 1 + 1 + 38 + 8
    assert got[("applications", "new", "natural_person")] is None
    assert got[("applications", "new", "total")] == 0


@pytest.mark.parametrize("bad", [
    {"applications": {"new": {"natural_person": -1}}},
    {"applications": {"new": {"natural_person": "五"}}},
    {"applications": {"new": {"natural_person": 1.5}}},
    {"applications": {"new": {"natural_person": True}}},
    {"proactive": {"fees_10k_yuan": -0.5}},
    {"categories": {"notices": "58"}},
    {"unit": {"year": 1900}},
    {"applications": {"new": 3}},
    {"categories": [1, 2]},
    {"form": "gov-info-annual-report/2019"},
])
def test_nonsense_data_is_refused_with_a_chinese_message(work: Path, bad: dict) -> None:
    target = work / "never.xlsx"
    with pytest.raises(errors.InvalidData) as info:
        write_template(target, bad)
    assert re.search(r"[\u4e00-\u9fff]", str(info.value))
    assert not target.exists()


# ---- stamp, determinism, committed template, refusal ------------------------------------------


def test_form_stamp_in_properties_and_defined_names(blank: Path) -> None:
    wb = openpyxl.load_workbook(blank)
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props["xlsreport_form"] == "gov-info-annual-report/2021"
    assert props["xlsreport_template_version"]
    stamped = {}
    for name in ("xlsreport_form", "xlsreport_version"):
        (sheet, cell), = list(wb.defined_names[name].destinations)
        stamped[name] = wb[sheet][cell.replace("$", "")].value
    assert stamped["xlsreport_form"] == "gov-info-annual-report/2021"
    assert str(stamped["xlsreport_version"]) == str(props["xlsreport_template_version"])


def test_output_is_deterministic(work: Path, blank: Path) -> None:
    again = write_template(work / "blank-again.xlsx")
    assert again.read_bytes() == blank.read_bytes()
    a = write_template(work / "data-a.xlsx", seeded_data(5))
    b = write_template(work / "data-b.xlsx", seeded_data(5))
    assert a.read_bytes() == b.read_bytes()


def test_committed_template_is_current(blank: Path) -> None:
    committed = ROOT / "templates" / TEMPLATE_FILENAME
    assert committed.read_bytes() == blank.read_bytes(), "run: python -m xlsreport.writing.workbook to regenerate"


def test_existing_output_is_refused_without_force(work: Path) -> None:
    target = work / "exists.xlsx"
    target.write_bytes(b"precious")
    with pytest.raises(errors.OutputExists):
        write_template(target)
    assert target.read_bytes() == b"precious"
    write_template(target, force=True)
    assert zipfile.is_zipfile(target)


# ---- annotations, extra sheets, chart -------------------------------------------------------


def test_annotations_mark_cells_with_a_comment(work: Path) -> None:
    path = ("applications", "carried_forward", "natural_person")
    note = "一+二 = 3+0 ≠ （七）+四 = 2+0"
    out = write_template(work / "annotated.xlsx", seeded_data(1), annotations={path: note})
    ref = layout()[path]
    wb = openpyxl.load_workbook(out)
    cell = wb[ref.sheet][ref.a1]
    assert cell.comment is not None and note in cell.comment.text
    assert cell.fill.fgColor.rgb not in (None, "00000000")
    other = layout()[("applications", "new", "natural_person")]
    assert wb[other.sheet][other.a1].comment is None
    assert cell.fill.fgColor.rgb != wb[other.sheet][other.a1].fill.fgColor.rgb


def test_extra_sheets_keep_user_text_as_text(work: Path) -> None:
    rows = [["=HYPERLINK(\"http://evil.invalid\",\"点我\")", 3, None, "http://x.invalid"], ["+1+2", 4.5, True, "-3"]]
    out = write_template(work / "extra.xlsx", extra_sheets=[("明细", ["单位", "件数", "备注", "网站"], rows)])
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == SHEETS + ["明细"]
    ws = wb["明细"]
    assert [c.value for c in ws[1]] == ["单位", "件数", "备注", "网站"]
    assert ws["A2"].value == rows[0][0] and ws["A2"].data_type == "s"
    assert ws["A3"].value == "+1+2" and ws["D3"].value == "-3" and ws["D3"].data_type == "s"
    assert ws["B2"].value == 3 and ws["B3"].value == 4.5
    assert ws["D2"].hyperlink is None
    with pytest.raises(errors.InvalidData):
        write_template(work / "extra-bad.xlsx", extra_sheets=[("校验", [], [])])


def test_categories_sheet_has_a_chart(blank: Path) -> None:
    with zipfile.ZipFile(blank) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "主动公开分类" in xml


def test_every_sheet_prints_on_a4_fitted_to_width_with_repeated_headers(blank: Path) -> None:
    book = openpyxl.load_workbook(blank)
    for ws in book:
        assert str(ws.page_setup.paperSize) == "9", ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, "1", None), ws.title
    for name in ("主动公开分类", "依申请公开", "复议诉讼", "校验"):  # the tables that can run onto a second page
        assert book[name].print_title_rows, f"{name}: header rows are not repeated on each page"
    assert book["复议诉讼"].page_setup.orientation == "landscape"  # fifteen columns side by side
