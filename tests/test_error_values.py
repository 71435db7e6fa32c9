"""Error values (#DIV/0!, #N/A, #REF! …) read as errors — never as blanks counted as 0 — in xlsx,
xls and ods alike.

python-calamine returns "" for an error cell in all three formats; a clerk whose formula broke
would otherwise get a mild VALUE.BLANK warning and a 0 in the county total.  The files here are
made by LibreOffice, forced to recalculate (tests/libreoffice.py), from a filled copy of the
template, so the error cells are exactly what an office program writes.  The error texts are
the ones Excel shows (FORM.md: a number cell must hold a number; anything else is invalid).
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from libreoffice import convert
from xlsreport import check, layout, read, write_template
from xlsreport.reading.producers import load
from xlsreport.reading.spreadsheet import biff_error_cells, ods_error_cells, restore_errors

# Three input cells on three different sheets (so that each sheet is found by its own name and
# offset), each with a formula whose result is a different error.
BROKEN = {
    ("proactive", "rules", "issued"): ("=1/0", "#DIV/0!"),
    ("applications", "new", "natural_person"): ("=NA()", "#N/A"),
    ("review_litigation", "review", "upheld"): ("=#REF!+1", "#REF!"),
}
FORMATS = ("xlsx", "xls", "ods")


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> dict[str, Path]:
    """The template with the broken formulas, and the clean template, in all three formats."""
    root = tmp_path_factory.mktemp("errors")
    clean = write_template(root / "clean.xlsx")
    book = openpyxl.load_workbook(clean)  # a test fixture, not a user's file
    where = layout()
    for path, (formula, _shown) in BROKEN.items():
        ref = where[path]
        book[ref.sheet][ref.a1] = formula
    book.save(root / "broken.xlsx")
    files = {}
    for fmt in FORMATS:
        files[fmt] = convert(root / "broken.xlsx", fmt, root / "out")
    for fmt in ("xls", "ods"):
        files["clean." + fmt] = convert(clean, fmt, root / "out")
    return files


@pytest.mark.office
@pytest.mark.parametrize("fmt", FORMATS)
def test_error_cells_read_as_invalid_with_the_error_text(made, fmt):
    report = read(made[fmt])
    where = layout()
    for path, (_formula, shown) in BROKEN.items():
        cell = report.values[path]
        assert cell.cell == f"{where[path].sheet}!{where[path].a1}"
        assert (cell.status, cell.raw, cell.value) == ("invalid", shown, None), (fmt, path)


@pytest.mark.office
@pytest.mark.parametrize("fmt", FORMATS)
def test_check_reports_value_invalid_at_the_cell(made, fmt):
    result = check([made[fmt]])
    [file] = result.files
    invalid = {cell for finding in file.findings if finding.rule == "VALUE.INVALID" for cell in finding.cells}
    blank = {cell for finding in file.findings if finding.rule == "VALUE.BLANK" for cell in finding.cells}
    where = layout()
    for path, (_formula, shown) in BROKEN.items():
        address = f"{where[path].sheet}!{where[path].a1}"
        assert address in invalid, (fmt, address)
        assert address not in blank, (fmt, address)
        [message] = [f.message for f in file.findings if f.rule == "VALUE.INVALID" and address in f.cells]
        assert shown in message
    assert not result.valid


@pytest.mark.office
@pytest.mark.parametrize("fmt", ("xls", "ods"))
def test_a_file_without_errors_is_left_as_calamine_read_it(made, fmt):
    data = made["clean." + fmt].read_bytes()
    workbook = load(data, fmt)
    before = {sheet.name: dict(sheet.cells) for sheet in workbook.sheets}
    restore_errors(workbook, data)
    assert {sheet.name: sheet.cells for sheet in workbook.sheets} == before


@pytest.mark.office
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_value_calamine_read_is_never_replaced(made, fmt):
    data = made[fmt].read_bytes()
    workbook = load(data, fmt)
    ref = layout()[("proactive", "rules", "issued")]
    [sheet] = [s for s in workbook.sheets if s.name == ref.sheet]
    sheet.cells[(ref.row, ref.col)] = 7.0
    restore_errors(workbook, data)
    assert sheet.cells[(ref.row, ref.col)] == 7.0


# ---------------------------------------------------------------------------------------------
# xls: BIFF8 records built by hand, as [MS-XLS] lays them out
# ---------------------------------------------------------------------------------------------


def _record(rtype: int, body: bytes) -> bytes:
    return struct.pack("<HH", rtype, len(body)) + body


BOF = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
EOF = _record(0x000A, b"")


def _boundsheet(offset: int, name: str, sheet_type: int = 0) -> bytes:
    encoded = name.encode("utf-16-le")
    return _record(0x0085, struct.pack("<IBBBB", offset, 0, sheet_type, len(name), 1) + encoded)


def _boolerr(row: int, col: int, value: int, is_error: int) -> bytes:
    return _record(0x0205, struct.pack("<HHHBB", row, col, 15, value, is_error))


def _formula(row: int, col: int, result: bytes) -> bytes:
    return _record(0x0006, struct.pack("<HHH", row, col, 15) + result + struct.pack("<HIH", 0, 0, 0))


def _workbook_stream(sheets: list[tuple[str, bytes]], sheet_type: int = 0) -> bytes:
    """Globals (BOF, one BOUNDSHEET per sheet, EOF), then each sheet's BOF … EOF."""
    size = len(BOF) + len(EOF) + sum(len(_boundsheet(0, name)) for name, _ in sheets)
    bounds, bodies = b"", b""
    for name, cells in sheets:
        bounds += _boundsheet(size + len(bodies), name, sheet_type)
        bodies += BOF + cells + EOF
    return BOF + bounds + EOF + bodies


def test_biff_boolerr_and_formula_errors_by_sheet():
    error_result = lambda code: bytes([2, 0, code, 0, 0, 0]) + b"\xff\xff"  # noqa: E731
    first = (
        _boolerr(4, 2, 0x17, 1)  # constant #REF!
        + _boolerr(5, 2, 1, 0)  # TRUE: a boolean, not an error
        + _formula(6, 1, error_result(0x07))  # =1/0
        + _formula(7, 1, struct.pack("<d", 3.0))  # a number
        + _formula(8, 1, bytes([1, 0, 1, 0, 0, 0]) + b"\xff\xff")  # a boolean result
    )
    second = _boolerr(0, 0, 0x2A, 1) + _formula(1, 0, error_result(0x24)) + _boolerr(2, 0, 0x1D, 1) + _boolerr(3, 0, 0x0F, 1)
    third = _boolerr(0, 0, 0x00, 1) + _boolerr(1, 0, 0x63, 1)  # #NULL!, and a code no Excel writes
    stream = _workbook_stream([("表一", first), ("表二", second), ("表三", third)])
    assert biff_error_cells(stream, {"表一", "表二", "表三"}) == {
        "表一": {(4, 2): "#REF!", (6, 1): "#DIV/0!"},
        "表二": {(0, 0): "#N/A", (1, 0): "#NUM!", (2, 0): "#NAME?", (3, 0): "#VALUE!"},
        "表三": {(0, 0): "#NULL!"},
    }
    assert biff_error_cells(stream, {"表二"}) == {"表二": {(0, 0): "#N/A", (1, 0): "#NUM!", (2, 0): "#NAME?", (3, 0): "#VALUE!"}}
    # a chart sheet's BOUNDSHEET (type 2) is not a worksheet
    assert biff_error_cells(_workbook_stream([("图", first)], sheet_type=2), {"图"}) == {}


def test_biff_hostile_streams_give_fewer_cells_never_an_exception():
    cells = _boolerr(4, 2, 0x17, 1)
    good = _workbook_stream([("S", cells)])
    for cut in range(len(good)):
        assert biff_error_cells(good[:cut], {"S"}) in ({}, {"S": {(4, 2): "#REF!"}})
    # a BOUNDSHEET pointing past the end, and several names pointing at one substream
    past = BOF + _boundsheet(10**9, "S") + EOF
    assert biff_error_cells(past, {"S"}) == {}
    body = BOF + cells + EOF
    head = BOF + b"".join(_boundsheet(0, n) for n in "ABC") + EOF
    shared = BOF + b"".join(_boundsheet(len(head), n) for n in "ABC") + EOF + body
    assert biff_error_cells(shared, set("ABC")) == {n: {(4, 2): "#REF!"} for n in "ABC"}


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_biff_garbage_never_raises(noise):
    stream = _workbook_stream([("S", _boolerr(1, 1, 0x07, 1))])
    biff_error_cells(noise, {"S"})
    biff_error_cells(stream[: len(stream) // 2] + noise, {"S"})


# ---------------------------------------------------------------------------------------------
# ods: positions after repeats and covered cells, text-only errors, nested tables
# ---------------------------------------------------------------------------------------------

_ERR = 'office:value-type="string" office:string-value="" calcext:value-type="error"'


def _content(table: str, name: str = "表") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="o" xmlns:table="t" '
        'xmlns:text="x" xmlns:calcext="c"><office:body><office:spreadsheet>'
        f'<table:table table:name="{name}">{table}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    ).encode("utf-8")


def test_ods_error_positions_follow_repeats_and_covered_cells():
    table = (
        # row 0: three empty cells, then an error at D1
        '<table:table-row><table:table-cell table:number-columns-repeated="3"/>'
        f'<table:table-cell {_ERR}><text:p>#N/A</text:p></table:table-cell></table:table-row>'
        # rows 1-2: empty
        '<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="9"/></table:table-row>'
        # row 3: a merged A4:B4, its covered cell, a text-only #REF! at C4, an error repeated over D4:E4,
        # an error with a comment at F4, and text that merely starts like an error at G4
        '<table:table-row><table:table-cell table:number-columns-spanned="2" office:value-type="string"><text:p>说明</text:p>'
        '</table:table-cell><table:covered-table-cell/>'
        '<table:table-cell office:value-type="string"><text:p>#REF!</text:p></table:table-cell>'
        f'<table:table-cell table:number-columns-repeated="2" {_ERR}><text:p>Err:502</text:p></table:table-cell>'
        f'<table:table-cell {_ERR}><office:annotation><text:p>备注 #N/A</text:p></office:annotation>'
        "<text:p>#VALUE!</text:p></table:table-cell>"
        '<table:table-cell office:value-type="string"><text:p>#REF! 见说明</text:p></table:table-cell></table:table-row>'
        # rows 4-5: the same error repeated down column B
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/>'
        f'<table:table-cell {_ERR}><text:p>#DIV/0!</text:p></table:table-cell></table:table-row>'
        # row 6: a table inside a cell is not this sheet's; the cell after it is H7
        '<table:table-row><table:table-cell table:number-columns-repeated="6"/><table:table-cell>'
        f'<table:table table:name="inner"><table:table-row><table:table-cell {_ERR}><text:p>#NUM!</text:p>'
        "</table:table-cell></table:table-row></table:table></table:table-cell>"
        f'<table:table-cell {_ERR}><text:p>#NULL!</text:p></table:table-cell></table:table-row>'
    )
    assert ods_error_cells(_content(table), {"表"}) == {
        "表": {
            (0, 3): "#N/A",
            (3, 2): "#REF!",
            (3, 3): "Err:502",
            (3, 4): "Err:502",
            (3, 5): "#VALUE!",
            (4, 1): "#DIV/0!",
            (5, 1): "#DIV/0!",
            (6, 7): "#NULL!",
        }
    }
    assert ods_error_cells(_content(table), {"另一个表"}) == {}


def test_ods_without_errors_and_unclosed_cells():
    plain = '<table:table-row><table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p></table:table-cell></table:table-row>'
    assert ods_error_cells(_content(plain), {"表"}) == {}
    unclosed = f'<table:table-row><table:table-cell {_ERR}><text:p>#N/A' + " " * 20_000
    assert ods_error_cells(_content(unclosed), {"表"}) == {}


def test_ods_error_restored_in_a_whole_file():
    """The ods route end to end, without LibreOffice: a zip with a mimetype and content.xml."""
    table = f'<table:table-row><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell><table:table-cell {_ERR}><text:p>#DIV/0!</text:p></table:table-cell></table:table-row>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", _content(table))
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        )
    data = buffer.getvalue()
    workbook = load(data, "t.ods")
    restore_errors(workbook, data)
    [sheet] = workbook.sheets
    assert sheet.cells == {(0, 0): 1.0, (0, 1): "#DIV/0!"}


def _rezip(data: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == member else source.read(info))
    return out.getvalue()


@pytest.mark.office
@pytest.mark.parametrize("inside", (b"<f", b"<v>"))
def test_an_error_cell_cut_across_the_scanning_blocks_is_still_read(made, tmp_path, inside):
    """A sheet over 1 MB is scanned in blocks cut before a "<" (the second block ends at the
    last "<" before 2 MB); an error cell that straddles two blocks (its <c t="e"> in one, its
    <f> or <v> in the next) must still read as the error, not as blank."""
    import re

    data = made["xlsx"].read_bytes()
    path = ("applications", "new", "natural_person")
    at = re.compile(rb'<c r="' + layout()[path].a1.encode() + rb'"[^>]*t="e"[^>]*>(?:(?!</c>).)*#N/A', re.S)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        [(member, xml, cell)] = [(n, archive.read(n), at.search(archive.read(n))) for n in archive.namelist()
                                 if n.startswith("xl/worksheets/") and at.search(archive.read(n))]
    assert inside in cell.group(0)
    sheet_data = xml.index(b"<sheetData")
    # 2 MB falls just after the "<f>" or "<v>" of the cell
    pad = (2 << 20) - (cell.start() + cell.group(0).index(inside) + len(inside) + 1)
    noise = random.Random(0).randbytes(pad).hex().encode()  # incompressible enough for the ratio limit
    head = b"<!--" + noise[: (pad - 7) % 4096] + b"-->"
    padding = head + b"".join(b"<!--" + noise[k : k + 4089] + b"-->" for k in range(0, pad - len(head), 4096))
    assert len(padding) == pad  # comments: no cells
    target = tmp_path / "big.xlsx"
    target.write_bytes(_rezip(data, member, xml[:sheet_data] + padding + xml[sheet_data:]))
    value = read(target).values[path]
    assert (value.status, value.raw) == ("invalid", "#N/A")
