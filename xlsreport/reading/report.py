"""Reading a filled workbook back: bytes → sheets (:mod:`producers`) → located values → :class:`model.Report`.

The file is only ever read (never opened for writing, never re-saved).  Each value remembers the
cell it came from and how it was read, so that the checker can point into the clerk's own file
and say "Sheet1!E6 holds “58条”, read as 58" rather than silently correcting it.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
import os
import re
import unicodedata

from .. import form
from ..errors import error, file_label, os_reason
from ..dates import parse_date, parse_year
from ..excel import ERROR_VALUE, column_index
from ..form import Leaf, Path
from .producers import DOCUMENT_KINDS, load
from .sheet import Value
from .spreadsheet import restore_errors
from .locate import Location, locate
from ..register import RegisterTable, table_from_cells
from ..model import ACCEPTED, STATUS_LABELS, CellValue, Prefill, Report, printable
from .sniff import MAX_FILE_BYTES, MAX_NUMBER_DIGITS

# Cells that mean "nothing to report" rather than a number (compared after NFKC and stripping).
PLACEHOLDERS = frozenset({"/", "//", "\\", "-", "--", "—", "——", "–", "~", "无", "空", "暂无", "无数据"})
# Units and counting words clerks type after a number ("58条", "251000元", "3件").
UNITS = ("万元", "元", "条", "件", "个", "项", "次", "份", "起", "宗", "篇", "人", "家", "户", "例", "笔")

# The defined name ``writing.workbook.write_template`` stamps every workbook it writes with.  In such a
# workbook, the sheets form.py lists as holding no values are not loaded (issue #6: they cost
# ~0.8 ms per file and hold no number of the form); in any other workbook every sheet is read.
TEMPLATE_STAMP = form.TEMPLATE_STAMP
TEMPLATE_SHEETS_WITHOUT_VALUES = (form.SHEET_INSTRUCTIONS, form.SHEET_CHECKS)


def _unread(defined_names: frozenset[str]) -> tuple[str, ...]:
    return TEMPLATE_SHEETS_WITHOUT_VALUES if TEMPLATE_STAMP in defined_names else ()


_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_WITH_UNIT = re.compile(r"^(?:共|计)?([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?:" + "|".join(UNITS) + r")$")


def read(path: str | os.PathLike) -> Report:
    """Read one workbook (xlsx, xlsm, xls, ods, or an HTML table saved as .xls) or published
    report (web page, .docx, PDF with a text layer, plain text) into a Report.

    Raises only :class:`errors.UnreadableWorkbook` and its subclasses (encrypted, unsupported,
    over the limits, not a form).
    """
    name = os.fspath(path)
    try:
        size = os.path.getsize(name)
        if size > MAX_FILE_BYTES:
            # never load an oversized file into memory
            raise error(
                "LIMIT_EXCEEDED.FILE_SIZE", file=file_label(name), size_mb=size / 1024 / 1024,
                limit_mb=MAX_FILE_BYTES // 1024 // 1024,
                path=name,
            )
        with open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise error("UNREADABLE.NOT_FOUND", name=name, path=name) from exc
    except IsADirectoryError as exc:
        raise error("UNREADABLE.IS_FOLDER", name=name, path=name) from exc
    except PermissionError as exc:
        raise error("UNREADABLE.NO_PERMISSION", name=name, path=name) from exc
    except OSError as exc:
        raise error("UNREADABLE.OS_ERROR", name=name, reason=os_reason(exc), path=name) from exc
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str = "") -> Report:
    """Read a workbook held in memory; ``name`` is used for messages and ``Report.file`` only
    (its extension is ignored: the content decides).  For batch readers and worker processes."""
    workbook = load(data, name, unread=_unread)
    registers = find_registers(workbook)
    if registers:  # a register's rows repeat the form's labels (its outcome list): not the form's cells
        kept = {table.sheet for table in registers.values()}
        workbook = dataclasses.replace(workbook, sheets=[sheet for sheet in workbook.sheets if sheet.name not in kept])
    located = locate(workbook)
    if any(inline is None and (row, col) not in sheet.cells for sheet, row, col, inline in located.values.values()):
        restore_errors(workbook, data)  # an empty-looking cell may hold #REF! (calamine drops it)
    # a published report is read for its numbers: running text alone (a title, "一、总体情况 略") is not one
    if workbook.kind.kind in DOCUMENT_KINDS and located.form == form.FORM_ID and _NUMERIC_PATHS.isdisjoint(located.values):
        from .document import no_tables

        raise no_tables(name, workbook.kind.description)
    if not located.values and located.form == form.FORM_ID:  # a trial-format file is a form: say so
        raise error(
            "NOT_A_FORM.NO_TABLE", name=name, basis=form.FORM_BASIS,
            sheets=len(workbook.sheets) + len(workbook.unread),
            path=name or None,
        )
    report = Report(file=name, parts=located.parts, form=located.form, notes=list(located.notes), registers=registers)
    values = report.values
    leaves = form.LEAF_BY_PATH
    # Only the located cells are converted (issue #10); the loop is cell_value() written out,
    # since it runs ~220 times per file.
    for path, (sheet, row, col, inline) in located.values.items():
        raw = inline if inline is not None else sheet.cells.get((row, col))
        if path in _NUMERIC_PATHS:
            if type(raw) is float and math.isfinite(raw):  # the common case: calamine gives floats
                value, status = (int(raw) if raw.is_integer() and abs(raw) < 2**53 else raw), "number"
            else:
                value, status = read_number(raw)
        else:
            value, status = _read_text(leaves[path], raw)
        values[path] = CellValue(path, value, sheet.address(row, col), status, raw)
    if workbook.kind.kind in DOCUMENT_KINDS:
        report.document = True
        _narrative(report, workbook)
    elif form.PUBLISHED_STAMP in workbook.names:
        _as_published(report)
    if workbook.lines:
        _title_facts(report, workbook.lines)
    report.summed_units = summed_units(workbook)
    report.prefilled = prefilled_cells(workbook)
    report.in_force_last_year = in_force_last_year(workbook)
    return report


def _as_published(report: Report) -> None:
    """A workbook filled from a published report: a part the published format never has, left
    blank, is not in it (as it is not in the report) — not a part of blank cells."""
    report.published = True
    for part in form.PARTS:
        if part.published != "never" or part.key not in report.parts:
            continue
        cells = [report.values.get(leaf.path) for leaf in form.LEAVES if leaf.part.key == part.key and not leaf.computed]
        if all(cell is None or cell.status == "blank" for cell in cells):
            for path in [path for path in report.values if path[0] == part.key]:
                del report.values[path]
            report.parts = tuple(key for key in report.parts if key != part.key)


def find_registers(workbook) -> dict[str, RegisterTable]:
    """The registers a workbook keeps (its 台账 and 清单 sheets), by register key: a sheet whose
    name has the register's marker and whose header row has its columns."""
    if workbook.kind.kind in DOCUMENT_KINDS:
        return {}
    found: dict[str, RegisterTable] = {}
    for register in form.REGISTERS:
        for sheet in workbook.sheets:
            if register.marker not in sheet.name:
                continue
            table = table_from_cells(register, sheet.name, sheet.cells)
            if table is not None:
                found[register.key] = table
                break
    return found


def prefilled_cells(workbook) -> dict[Path, Prefill]:
    """What a template sent out pre-filled (its hidden ``form.SHEET_PREFILLED`` sheet, written by
    ``workbook.write_template``): input paths → value and source; {} for any other file."""
    sheet = next((s for s in workbook.sheets if s.name == form.SHEET_PREFILLED), None)
    if sheet is None:
        return {}
    out: dict[Path, Prefill] = {}
    for row in sorted({r for r, _ in sheet.cells} - {0}):
        key, value, source = sheet.get(row, 0), sheet.get(row, 1), sheet.get(row, 2)
        path = tuple(str(key).split(".")) if isinstance(key, str) else ()
        leaf = form.LEAF_BY_PATH.get(path)
        value = _prefilled_value(leaf, value) if leaf is not None and not leaf.computed else None
        if value is None:
            continue
        out[path] = Prefill(value, printable(str(source or ""))[:_SOURCE_CHARS])
    return out


_SOURCE_CHARS = 255
"""Longest source a record keeps (the writer's is a file name and a cell: "上年.xlsx 依申请公开!C32")."""


def _prefilled_value(leaf: Leaf, value: Value | None) -> int | float | str | None:
    """A recorded value as the writer records it for ``leaf`` (a finite number for a count or an
    amount, a year for the year, text for text), else None: a record changed by hand to a date,
    TRUE or 1e309 is no prefill to hold the cell to (it was a TypeError, exit 4)."""
    if leaf.kind in ("count", "money", "year"):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return None
        if float(value).is_integer() and abs(value) <= 2**53:
            return int(value)
        return None if leaf.kind == "year" else value
    return printable(value) if isinstance(value, str) else None


def in_force_last_year(workbook) -> dict[str, Prefill]:
    """Last year's 现行有效件数 a template was sent out with (its 预填记录 rows keyed
    ``form.IN_FORCE_RECORD`` + table 二's row key): row key → number and source."""
    sheet = next((s for s in workbook.sheets if s.name == form.SHEET_PREFILLED), None)
    if sheet is None:
        return {}
    rows = {row.key for row in form.grid_of(form.PROACTIVE, form.RULES_ROW).rows}
    out: dict[str, Prefill] = {}
    for row in sorted({r for r, _ in sheet.cells} - {0}):
        key, value, source = sheet.get(row, 0), sheet.get(row, 1), sheet.get(row, 2)
        if not (isinstance(key, str) and key.startswith(form.IN_FORCE_RECORD)):
            continue
        row_key = key[len(form.IN_FORCE_RECORD):]
        counted = _prefilled_value(form.LEAF_BY_PATH[(form.PROACTIVE.key, row_key, form.IN_FORCE_COLUMN)], value) if row_key in rows else None
        if isinstance(counted, (int, float)):
            out[row_key] = Prefill(counted, printable(str(source or ""))[:_SOURCE_CHARS])
    return out


_RANGE = re.compile(r"^=?(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'!]+))!\$?(?P<c0>[A-Z]{1,3})\$?(?P<r0>\d{1,7})"
                    r":\$?(?P<c1>[A-Z]{1,3})\$?(?P<r1>\d{1,7})$")


def summed_units(workbook) -> tuple[str, ...]:
    """The units a merged workbook adds up: the stamp ``form.MERGED_STAMP`` that ``merge`` writes
    names its 明细 rows from 单位 (first column) to 状态 (last column); the units of the rows that
    went into the sum.  () for a workbook without the stamp."""
    found = _RANGE.match(workbook.names.get(form.MERGED_STAMP, ""))
    if found is None:
        return ()
    name = found["plain"] or found["quoted"].replace("''", "'")
    details = next((sheet for sheet in workbook if sheet.name == name), None)
    if details is None:
        return ()
    unit_col, status_col = column_index(found["c0"]), column_index(found["c1"])
    first, last = int(found["r0"]) - 1, int(found["r1"]) - 1
    summed = {STATUS_LABELS[status] for status in ACCEPTED}
    rows = sorted({row for row, _ in details.cells if first <= row <= last})
    return tuple(
        str(details.get(row, unit_col)).strip()
        for row in rows
        if details.get(row, status_col) in summed and details.get(row, unit_col) not in (None, "")
    )


def _narrative(report: Report, workbook) -> None:
    """A document's narrative is its running text split at the section headings, never a cell
    of its tables (where a heading line next to a paragraph would look like a label and value)."""
    from .document import narrative_passages

    part = form.NARRATIVE.key
    for path in [path for path in report.values if path[0] == part]:
        del report.values[path]
    passages = narrative_passages(workbook.lines, visual_lines=workbook.kind.kind == "pdf")
    for key, passage in passages.items():
        path = (part, key)
        report.values[path] = CellValue(path, passage.text, passage.where, "text", passage.text)
        report.places[path] = passage.places
    _fees_in_words(report)
    held = {path[0] for path in report.values}
    report.parts = tuple(p.key for p in form.PARTS if p.key in held)


def _fees_in_words(report: Report) -> None:
    """Section 六 saying in words that no fee was charged gives the three fee values 0, pointing
    at that sentence — unless the document has them in a table."""
    from .document import no_fee_statement

    fees = form.FEE_NOTICES
    other = (form.NARRATIVE.key, "other")
    text = report.text(other)
    if not text or any(path[0] == fees.key for path in report.values):
        return
    match = no_fee_statement(text)
    if match is None:
        return
    where = report.place(other, match.start())
    for f in fees.fields:
        path = (fees.key, f.key)
        report.values[path] = CellValue(path, 0, where, "number", match.group(0))


def _title_facts(report: Report, lines: tuple[tuple[str, str], ...]) -> None:
    """A published report names its unit and year in its title, not in labelled cells."""
    from .document import report_title

    title = report_title(lines)
    if title is None:
        return
    name_path, year_path = form.UNIT_NAME, form.UNIT_YEAR
    unit = name_path[0]
    if name_path not in report.values:
        report.values[name_path] = CellValue(name_path, printable(title.name), title.name_at, "text", title.text)
    if year_path not in report.values:
        report.values[year_path] = CellValue(year_path, title.year, title.year_at, "text", title.text)
    if unit not in report.parts:
        report.parts = tuple(part.key for part in form.PARTS if part.key == unit or part.key in report.parts)


_NUMERIC = frozenset({"count", "money"})
_NUMERIC_PATHS = frozenset(leaf.path for leaf in form.NUMERIC_LEAVES)  # read_bytes: one set lookup a cell


def cell_value(leaf: Leaf, location: Location) -> CellValue:
    """How the value at ``location`` reads for ``leaf`` (see ``model.Status``)."""
    raw = location.raw
    if leaf.kind in _NUMERIC:
        value, status = read_number(raw)
    else:
        value, status = _read_text(leaf, raw)
    return CellValue(leaf.path, value, location.cell, status, raw)


def read_number(raw: Value | None) -> tuple[int | float | str | None, str]:
    """(value, status) for a cell where a number belongs.  Anything unclear is ``invalid``."""
    if type(raw) is float and math.isfinite(raw):  # the common case first: calamine gives floats
        return _number(raw), "number"
    if raw is None:
        return None, "blank"
    if isinstance(raw, bool):
        return None, "invalid"
    if isinstance(raw, (int, float)):
        if isinstance(raw, float) and not math.isfinite(raw):
            return None, "invalid"
        return _number(raw), "number"
    if not isinstance(raw, str):  # dates, times, durations
        return None, "invalid"
    text = unicodedata.normalize("NFKC", raw).strip()
    text = re.sub(r"\s+", "", text)
    if not text:
        return None, "blank"
    if ERROR_VALUE.match(text):
        return None, "invalid"
    if text in PLACEHOLDERS:
        return None, "placeholder"
    if _NUMBER.match(text):
        return (_number(float(text.replace(",", ""))), "text_number") if _countable(text) else (None, "invalid")
    match = _WITH_UNIT.match(text)
    if match:
        return (_number(float(match.group(1).replace(",", ""))), "with_unit") if _countable(match.group(1)) else (None, "invalid")
    return None, "invalid"


def _countable(printed: str) -> bool:
    """Few enough digits to be a count (MAX_NUMBER_DIGITS): 30 nines are no number of the form."""
    return sum(ch.isdigit() for ch in printed.split(".", 1)[0]) <= MAX_NUMBER_DIGITS


def _number(value: int | float) -> int | float:
    """Whole numbers as int (58.0 → 58) so that JSON shows 58; fractions stay float."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _read_text(leaf: Leaf, raw: Value | None) -> tuple[int | float | str | None, str]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, "blank"
    if leaf.kind == "year":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return _number(raw), "text"
        year = parse_year(raw)
        return (year if year is not None else str(raw).strip()), "text"
    if isinstance(raw, (_dt.datetime, _dt.date)) or leaf.kind == "date":
        # a date cell, an Excel serial number that lost its date format, or a date typed as text
        # (2025年1月24日, 2025.1.24): one shape, ISO, whenever the date is understood
        date = parse_date(raw)
        if date is not None:
            return date.isoformat(), "text"
    if isinstance(raw, float):
        return str(_number(raw)), "text"
    return printable(str(raw)).strip(), "text"
