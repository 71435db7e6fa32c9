"""Reading a filled workbook back: bytes → grid → located values → :class:`model.Report`.

The file is only ever read (never opened for writing, never re-saved).  Each value remembers the
cell it came from and how it was read, so that the checker can point into the clerk's own file
and say "Sheet1!E6 holds “58条”, read as 58" rather than silently correcting it.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import unicodedata

from .. import form
from ..errors import LimitExceeded, NotAForm, UnreadableWorkbook, os_reason
from ..dates import parse_date, parse_year
from ..excel import ERROR_VALUE
from ..form import Leaf, Path
from .producers import DOCUMENT_KINDS, load
from .sheet import Value
from .spreadsheet import restore_errors
from .locate import Location, locate
from ..model import ACCEPTED, STATUS_LABELS, CellValue, Report, printable
from .sniff import MAX_FILE_BYTES, MAX_NUMBER_DIGITS

# Cells that mean "nothing to report" rather than a number (compared after NFKC and stripping).
PLACEHOLDERS = frozenset({"/", "//", "\\", "-", "--", "—", "——", "–", "~", "无", "空", "暂无", "无数据"})
# Units and counting words clerks type after a number ("58条", "251000元", "3件").
UNITS = ("万元", "元", "条", "件", "个", "项", "次", "份", "起", "宗", "篇", "人", "家", "户", "例", "笔")

# The defined name ``template.write_template`` stamps every workbook it writes with.  In such a
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
            raise LimitExceeded(
                f"文件 {name} 大小为 {size / 1024 / 1024:.1f} MB，超过上限 {MAX_FILE_BYTES // 1024 // 1024} MB："
                "年度报告表格通常只有几十 KB，请删除图片等无关内容后另存再试。",
                path=name,
            )
        with open(name, "rb") as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise UnreadableWorkbook(f"找不到文件 {name}：请检查文件名和路径。", path=name) from exc
    except IsADirectoryError as exc:
        raise UnreadableWorkbook(f"{name} 是文件夹，不是文件。", path=name) from exc
    except PermissionError as exc:
        raise UnreadableWorkbook(f"没有权限读取文件 {name}：请检查文件权限，或先关闭正在打开它的程序。", path=name) from exc
    except OSError as exc:
        raise UnreadableWorkbook(f"无法读取文件 {name}（{os_reason(exc)}）。", path=name) from exc
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str = "") -> Report:
    """Read a workbook held in memory; ``name`` is used for messages and ``Report.file`` only
    (its extension is ignored: the content decides).  For batch readers and worker processes."""
    workbook = load(data, name, unread=_unread)
    located = locate(workbook)
    if any(inline is None and (row, col) not in sheet.cells for sheet, row, col, inline in located.values.values()):
        restore_errors(workbook, data)  # an empty-looking cell may hold #REF! (calamine drops it)
    # a published report is read for its numbers: running text alone (a title, "一、总体情况 略") is not one
    if workbook.kind.kind in DOCUMENT_KINDS and located.form == form.FORM_ID and _NUMERIC_PATHS.isdisjoint(located.values):
        from .document import no_tables

        raise no_tables(name, workbook.kind.description)
    if not located.values and located.form == form.FORM_ID:  # a trial-format file is a form: say so
        raise NotAForm(
            f"文件 {name} 中没有找到年度报告表格（按{form.FORM_BASIS}的栏目名称查找，"
            f"共查看了 {len(workbook.sheets) + len(workbook.unread)} 个工作表）：请确认提交的是年度报告的 Excel 表格。",
            path=name or None,
        )
    report = Report(file=name, parts=located.parts, form=located.form, notes=list(located.notes))
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
    if workbook.lines:
        _title_facts(report, workbook.lines)
    report.summed_units = summed_units(workbook)
    return report


def summed_units(workbook) -> tuple[str, ...]:
    """The units a merged workbook adds up: the 单位 of its 明细 rows that went into the sum
    (``merger.details_table``); () for a workbook without 汇总说明 and 明细 sheets."""
    sheets = {sheet.name: sheet for sheet in workbook}
    details = sheets.get(form.SHEET_DETAILS)
    if details is None or form.SHEET_OVERVIEW not in sheets:
        return ()

    header = {details.get(0, col): col for col in range(16)}
    unit_col, status_col = header.get("单位"), header.get("状态")
    if unit_col is None or status_col is None:
        return ()
    summed = {STATUS_LABELS[status] for status in ACCEPTED}
    rows = sorted({row for row, _ in details.cells} - {0})
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
    if isinstance(raw, (_dt.datetime, _dt.date)) or (leaf.kind == "date" and isinstance(raw, (int, float))):
        date = parse_date(raw)  # a date cell, or an Excel serial number that lost its date format
        if date is not None:
            return date.isoformat(), "text"
    if isinstance(raw, float):
        return str(_number(raw)), "text"
    return printable(str(raw)).strip(), "text"
