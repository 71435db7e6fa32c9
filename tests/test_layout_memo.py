"""Shortcuts taken for speed (issue #6) give exactly what the full reading gives.

The layout memo: a workbook laid out like one read before is not searched again.  A clerk relies
on it being invisible — the same numbers, cells and remarks as a fresh search — and on a moved
table still being found.  The template stamp: the instructions and checks sheets of a workbook
written by ``xlsreport template`` are not loaded, but every sheet of any other workbook is, and
the reading limits still apply to the sheets that are skipped.

Expected numbers come from the data given to ``write_template`` (tests/hostile.py's valid
workbook, worked out by hand there), never from the code under test.
"""

from __future__ import annotations

import copy
import io
import re

import hostile
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xlsreport import form
from xlsreport.errors import LimitExceeded
from xlsreport.reading.producers import load
from xlsreport.reading.sheet import Sheet, Workbook
from xlsreport.reading.locate import Located, clear_layout_memo, layout_memo_stats, locate
from xlsreport.reading.report import read, read_bytes
from xlsreport.writing.workbook import write_template

_APPLICATIONS_SHEET = "依申请公开"  # FORM.md / the template's sheet for table 三
_NEW_PERSON = ("applications", "new", "natural_person")


def _report(report) -> tuple:
    """Everything a Report says, as plain values (raw NaN-free in these workbooks)."""
    values = {p: (v.value, v.cell, v.status, v.raw) for p, v in report.values.items()}
    return values, list(report.values), report.parts, report.form, report.notes, report.to_dict()


def _located(located: Located) -> tuple:
    values = {p: (loc.sheet.index, loc.sheet.name, loc.row, loc.col, loc.inline) for p, loc in located.values.items()}
    return values, list(located.values), located.parts, located.form, located.notes


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, bytes]:
    """The valid workbook, another unit's on the same template, and the valid one with table 三 moved down."""
    folder = tmp_path_factory.mktemp("memo")
    valid = hostile.valid_workbook()
    other = copy.deepcopy(hostile.valid_data())
    other["unit"]["name"] = "微山县两城镇人民政府"
    other["applications"]["new"]["natural_person"] = 7
    other["categories"]["notices"] = 9
    write_template(folder / "other.xlsx", other)
    book = openpyxl.load_workbook(io.BytesIO(valid))
    book[_APPLICATIONS_SHEET].insert_rows(1, 3)  # the clerk inserts three lines above the table
    book.save(folder / "moved.xlsx")
    return {
        "valid": valid,
        "other": (folder / "other.xlsx").read_bytes(),
        "moved": (folder / "moved.xlsx").read_bytes(),
    }


def test_a_workbook_of_a_known_layout_reads_as_a_fresh_search_would(workbooks):
    clear_layout_memo()
    read_bytes(workbooks["valid"], "valid.xlsx")
    hits = layout_memo_stats()["hits"]
    from_memo = read_bytes(workbooks["other"], "other.xlsx")
    assert layout_memo_stats()["hits"] == hits + 1, "the second workbook of one template should not be searched"

    clear_layout_memo()
    fresh = read_bytes(workbooks["other"], "other.xlsx")
    assert layout_memo_stats() == {"hits": 0, "misses": 1, "layouts": 1}
    assert _report(from_memo) == _report(fresh)
    # and it is the other unit's data, not the remembered one's
    assert from_memo.unit == "微山县两城镇人民政府"
    assert from_memo.values[_NEW_PERSON].value == 7
    assert from_memo.values[("categories", "notices")].value == 9


def test_a_moved_table_misses_the_memo_and_is_still_read(workbooks):
    clear_layout_memo()
    valid = read_bytes(workbooks["valid"], "valid.xlsx")
    misses = layout_memo_stats()["misses"]
    moved = read_bytes(workbooks["moved"], "moved.xlsx")
    assert layout_memo_stats()["misses"] == misses + 1

    # valid_data: 3 new applications from natural persons; now three rows further down.
    assert moved.values[_NEW_PERSON].value == 3
    sheet, column, row = re.fullmatch(r"(.+)!([A-Z]+)(\d+)", valid.values[_NEW_PERSON].cell).groups()
    assert moved.values[_NEW_PERSON].cell == f"{sheet}!{column}{int(row) + 3}"
    # Every input reads as before (openpyxl leaves the moved totals' formulas without a cached value).
    inputs = [p for p in valid.values if not form.LEAF_BY_PATH[p].computed]
    assert {p: moved.values[p].value for p in inputs} == {p: valid.values[p].value for p in inputs}


# Anything a clerk might do to a sheet: type a label, a number, text or spaces anywhere (also into
# label and value cells), clear a cell, move a whole sheet's content, rename a sheet.
_LABELS = sorted(
    {f.label for part in form.PARTS for f in part.fields}
    | {item.label for part in form.PARTS for grid in part.grids for item in (*grid.rows, *grid.columns)}
    | {part.heading for part in form.PARTS}
    | set(form.TRIAL_FORMAT_MARKERS)
)
_VALUES = st.one_of(
    st.sampled_from(_LABELS),
    st.sampled_from(["", " ", "/", "58条", "x", "单位名称：某某镇人民政府", "其他", "合计"]),
    st.integers(-2, 100),
    st.floats(0, 10, allow_nan=False),
    st.booleans(),
)
_EDIT = st.one_of(
    st.tuples(st.just("put"), st.integers(0, 6), st.integers(0, 40), st.integers(0, 12), _VALUES),
    st.tuples(st.just("near"), st.integers(0, 6), st.integers(0, 400), st.integers(-2, 4), st.integers(-2, 4), _VALUES),
    st.tuples(st.just("clear"), st.integers(0, 6), st.integers(0, 400)),
    st.tuples(st.just("shift"), st.integers(0, 6), st.integers(-1, 2), st.integers(-1, 2)),
    st.tuples(st.just("rename"), st.integers(0, 6), st.sampled_from(["Sheet1", "校验", "主动公开"])),
)


def _copy(workbook: Workbook) -> Workbook:
    return Workbook([Sheet(s.name, s.index, dict(s.cells)) for s in workbook.sheets], workbook.kind)


def _edit(workbook: Workbook, edits: list[tuple]) -> Workbook:
    book = _copy(workbook)
    for edit in edits:
        sheet = book.sheets[edit[1] % len(book.sheets)]
        if edit[0] == "put":
            sheet.cells[(edit[2], edit[3])] = edit[4]
        elif edit[0] == "near" and sheet.cells:  # next to a cell that holds something: a label's value, a value's label
            row, col = sorted(sheet.cells)[edit[2] % len(sheet.cells)]
            if row + edit[3] >= 0 and col + edit[4] >= 0:
                sheet.cells[(row + edit[3], col + edit[4])] = edit[5]
        elif edit[0] == "clear" and sheet.cells:
            del sheet.cells[sorted(sheet.cells)[edit[2] % len(sheet.cells)]]
        elif edit[0] == "shift":
            sheet.cells = {(r + edit[2], c + edit[3]): v for (r, c), v in sheet.cells.items() if r + edit[2] >= 0 and c + edit[3] >= 0}
        elif edit[0] == "rename":
            sheet.name = edit[2]
    return book


@pytest.fixture(scope="module")
def loaded(workbooks) -> Workbook:
    return load(workbooks["valid"], "valid.xlsx")  # every sheet, the template's extra ones too


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(_EDIT, max_size=4))
def test_after_any_edit_the_memo_answers_as_a_fresh_search(loaded, edits):
    edited = _edit(loaded, edits)
    clear_layout_memo()
    locate(_copy(loaded))  # remembered
    assert _located(locate(edited)) == _located(locate(edited, memo=False))


@pytest.mark.parametrize("part", [part.key for part in form.PARTS])
@pytest.mark.parametrize("offset", [(0, 1), (1, 0), (0, 2)])
def test_values_typed_beside_their_usual_cells_are_found_as_a_fresh_search_finds_them(loaded, part, offset):
    # The labels stay where they were (same signature); only the part's values move.
    clear_layout_memo()
    fresh = locate(_copy(loaded), memo=False)
    edited = _copy(loaded)
    sheets = {sheet.index: sheet for sheet in edited.sheets}
    moves = [(loc.sheet.index, loc.row, loc.col) for path, loc in fresh.values.items() if path[0] == part and loc.inline is None]
    values = [sheets[i].cells.pop((r, c), None) for i, r, c in moves]
    for (i, r, c), value in zip(moves, values):
        if value is not None:
            sheets[i].cells[(r + offset[0], c + offset[1])] = value
    locate(_copy(loaded))  # remembered
    assert _located(locate(edited)) == _located(locate(edited, memo=False))


def test_a_workbook_without_the_template_stamp_is_read_on_every_sheet(workbooks, tmp_path):
    # The categories moved onto a sheet named like the template's instructions sheet, and the
    # stamp removed: nothing tells the reader it is the template, so that sheet is read.
    book = openpyxl.load_workbook(io.BytesIO(workbooks["valid"]))
    del book["填报说明"]
    book["主动公开分类"].title = "填报说明"
    for name in ("xlsreport_form", "xlsreport_version"):
        if name in book.defined_names:
            del book.defined_names[name]
    book.save(tmp_path / "unstamped.xlsx")
    report = read(tmp_path / "unstamped.xlsx")
    assert "categories" in report.parts
    assert report.values[("categories", "notices")].value == 5  # valid_data: 通知公告 5
    assert report.values[("categories", "notices")].cell.startswith("填报说明!")


def _unstamped(data: bytes) -> bytes:
    """The workbook without the defined names the template stamps it with (zip surgery only)."""
    parts = hostile.members(data)
    book = parts["xl/workbook.xml"].decode("utf-8")
    book = re.sub(r'<definedName name="xlsreport_(?:form|version)"[^>]*>[^<]*</definedName>', "", book)
    parts["xl/workbook.xml"] = book.encode("utf-8")
    return hostile.rezip(parts)


@pytest.mark.parametrize("sheet", ["填报说明", "校验"])
def test_a_stray_cell_in_a_sheet_the_stamped_template_skips_is_never_loaded(workbooks, sheet):
    # Nothing reads that sheet, so its absurd range costs nothing: the form reads as it is.
    stray = hostile.set_cells(workbooks["valid"], {f"{sheet}!XFD1048576": 1})
    report = read_bytes(stray, "stray-cell.xlsx")
    assert report.values[_NEW_PERSON].value == 3  # valid_data
    assert report.values[("categories", "notices")].value == 5


@pytest.mark.parametrize("sheet", ["填报说明", "校验"])
def test_without_the_stamp_the_same_stray_cell_is_refused_before_it_is_read(workbooks, sheet):
    unstamped = _unstamped(workbooks["valid"])
    assert read_bytes(unstamped, "unstamped.xlsx").values[_NEW_PERSON].value == 3  # the surgery keeps a readable form
    with pytest.raises(LimitExceeded):
        read_bytes(hostile.set_cells(unstamped, {f"{sheet}!XFD1048576": 1}), "stray-cell.xlsx")


def test_a_stray_cell_in_a_form_sheet_of_a_stamped_workbook_is_refused(workbooks):
    with pytest.raises(LimitExceeded):
        read_bytes(hostile.set_cells(workbooks["valid"], {f"{_APPLICATIONS_SHEET}!XFD1048576": 1}), "stray-cell.xlsx")
