"""``xlsreport ledger``: a register kept elsewhere → the official workbook, counted.

An office that keeps its applications in its own spreadsheet (or exports them from a system as
CSV) gets the official workbook with the 依申请公开台账 sheet filled from it and table 三 and the
fees typed from the counts — into a copy of its own workbook when it gives one (``into``: its
other parts kept, the file itself only read; the copy is written fresh by the template writer).
A site's export of published articles fills the 主动公开信息清单 and the categories the same way.

Columns are found by header (form.py's labels and synonyms); dates as clerks type them (the one
date parser); outcomes, applicant types and categories matched to the form's lists by their
wording, list numbers and group words tolerated.  A value that does not match is never guessed:
its row is written as typed, not counted, and listed with its row number and text.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from . import form
from .dates import parse_date, report_year
from .errors import ExitCode, error, file_label, os_reason
from .form import Register
from .model import printable
from .register import Counted, RegisterTable, choice_of, count_ledger, count_published, required_labels, table_from_cells, yes_no
from .writing.output import atomic_output, output_suffix

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
# Encodings a CSV saved by Excel or WPS on a Chinese desk comes in, tried in this order (Excel's
# "Unicode 文本" is UTF-16 with its byte order mark: told by the mark, as UTF-32 is).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
_MARKED = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


@dataclass
class Counting:
    """One register as ``ledger`` read and counted it."""

    source: str
    table: RegisterTable
    counted: Counted

    def to_dict(self) -> dict:
        return {
            "file": self.source,
            "sheet": self.table.sheet,
            "rows": len(self.table.rows),
            "counted": self.counted.counted,
            "not_counted": [{"row": row.row, "reason": reason} for row, reason in self.counted.uncountable],
            "before_year": [row.row for row in self.counted.before],
            "after_year": [row.row for row in self.counted.after],
        }


@dataclass
class LedgerResult:
    """What :func:`build` wrote: the workbook, the year, the values typed from the counts."""

    out: FsPath
    year: int
    unit: str | None
    into: str | None
    ledger: Counting | None
    published: Counting | None
    values: dict[form.Path, int | float] = field(default_factory=dict)
    # cells the counts feed that ``into`` had pre-filled when sent out (last year's carry-over):
    # kept as pre-filled, not typed from the counts
    kept: dict[form.Path, int | float | str] = field(default_factory=dict)

    @property
    def not_counted(self) -> int:
        return sum(len(c.counted.uncountable) for c in (self.ledger, self.published) if c is not None)

    @property
    def exit_code(self) -> ExitCode:
        """1 when some rows could not be counted (the workbook is written; its tables lack them)."""
        return ExitCode.CHECK_FAILED if self.not_counted else ExitCode.OK

    def to_dict(self) -> dict:
        data: dict = {}
        for path, value in self.values.items():
            form.set_path(data, path, value)
        return {
            "out": str(self.out),
            "year": self.year,
            "unit": self.unit,
            "into": self.into,
            "ledger": self.ledger.to_dict() if self.ledger else None,
            "published": self.published.to_dict() if self.published else None,
            "written": data,
            "kept_prefilled": [{"path": ".".join(path), "value": value, "counted": self.counted(path)}
                               for path, value in self.kept.items()],
        }

    def counted(self, path: form.Path) -> int | float | None:
        """The registers' count for ``path`` (None when no register feeds it)."""
        for counting in (self.ledger, self.published):
            if counting is not None and path in counting.counted.counts:
                return counting.counted.counts[path]
        return None


# ---------------------------------------------------------------------------------------------
# Reading a register from a file
# ---------------------------------------------------------------------------------------------


def _read_bytes(path: str) -> bytes:
    """The file's bytes, its size measured before they are read (a register is read whole)."""
    from .reading.sniff import MAX_FILE_BYTES

    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise error(
                    "LIMIT_EXCEEDED.FILE_SIZE", file=file_label(path), size_mb=size / 1024 / 1024,
                    limit_mb=MAX_FILE_BYTES // 1024 // 1024, path=path,
                )
            return handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise error("UNREADABLE.LEDGER_NOT_FOUND", name=path, path=path) from None
    except IsADirectoryError:
        raise error("UNREADABLE.LEDGER_IS_FOLDER", name=path, path=path) from None
    except OSError as exc:
        raise error("UNREADABLE.LEDGER_CANNOT_OPEN", name=path, reason=os_reason(exc), path=path) from None


def decode_csv(data: bytes, name: str = "") -> list[list[str]]:
    """The rows of a CSV as Excel or WPS saves it: UTF-8 with or without BOM, or GBK (GB18030),
    or UTF-16/UTF-32 with a byte order mark; comma, tab or semicolon separated.  Measured as it
    is split: past the limits of a text file (rows, a line's length) or of a sheet (cells) it is
    refused, not read on (a register holds a few thousand records)."""
    from .reading.sniff import MAX_CELLS_PER_SHEET, MAX_TEXT_LINE_CHARS, MAX_TEXT_LINES
    from .reading.text import LONG_LINE

    marked = next((encoding for mark, encoding in _MARKED if data.startswith(mark)), None)
    text = None
    for encoding in (marked,) if marked else CSV_ENCODINGS:
        try:
            text = data.decode(encoding).removeprefix("\ufeff")
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise error("UNREADABLE.CSV_ENCODING", name=name, path=name or None)
    if LONG_LINE.search(text):
        raise error("LIMIT_EXCEEDED.CSV_LINE_LENGTH", name=name, limit=MAX_TEXT_LINE_CHARS, path=name or None)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[list[str]] = []
    cells = 0
    try:
        for row in reader:
            if len(rows) >= MAX_TEXT_LINES:
                raise error("LIMIT_EXCEEDED.CSV_ROWS", name=name, limit=MAX_TEXT_LINES, path=name or None)
            cells += sum(1 for value in row if value.strip())
            if cells > MAX_CELLS_PER_SHEET:
                raise error("LIMIT_EXCEEDED.CSV_CELLS", name=name, limit=MAX_CELLS_PER_SHEET, path=name or None)
            rows.append(row)
    except csv.Error as exc:  # a quoted field past csv's own limit (its lines each within ours) …
        from .reading.isolate import one_line

        said = str(exc)
        reason = f"一格超过 {csv.field_size_limit()} 个字符" if "field limit" in said else f"CSV 程序的原话：{one_line(said, 80)}"
        raise error("UNREADABLE.CSV_SYNTAX", name=name, line=reader.line_num, reason=reason, path=name or None) from None
    return rows


def read_register(path: str | os.PathLike, register: Register) -> RegisterTable:
    """``register`` as kept in a file of its own: a CSV, or a sheet of an xlsx/xls/ods workbook
    (the sheet whose header row has the most of its columns).  Rows are numbered as the user
    sees them (1-based, the header's row counted)."""
    name = os.fspath(path)
    data = _read_bytes(name)
    if FsPath(name).suffix.lower() in CSV_SUFFIXES:
        # control characters dropped as a workbook's are (they would reach the terminal in a reason)
        cells = {(r, c): text for r, row in enumerate(decode_csv(data, name)) for c, value in enumerate(row) if (text := printable(value)).strip()}
        table = table_from_cells(register, FsPath(name).name, cells)
        tables = [table] if table is not None else []
    else:
        from .reading.producers import DOCUMENT_KINDS, load
        from .reading.sniff import sniff

        kind = sniff(data, name)  # a published document is refused as what it is, never parsed for a register
        if kind.kind in DOCUMENT_KINDS:
            described = kind.description
            raise error("UNSUPPORTED_FORMAT.LEDGER_DOCUMENT", name=name, kind=f" {described}" if described[:1].isascii() else described, path=name)
        workbook = load(data, name)
        tables = []
        for sheet in workbook.sheets:
            found = table_from_cells(register, sheet.name, sheet.cells)
            if found is not None:
                tables.append(found)
    if not tables:
        raise error(
            "INVALID_DATA.LEDGER_NO_HEADER", name=name, heading=register.heading, required=required_labels(register),
            synonyms=_synonyms(register), path=name,
        )
    return max(tables, key=lambda t: (len(t.columns), len(t.rows)))


def _synonyms(register: Register) -> str:
    return "、".join(alias for column in register.columns for alias in column.aliases[:1])


# ---------------------------------------------------------------------------------------------
# Rows as the template writes them
# ---------------------------------------------------------------------------------------------


def template_rows(table: RegisterTable) -> list[dict]:
    """The records as the template's sheet takes them: a date that is one as a date, an
    outcome, applicant type or category that matches as the list words it, anything else as
    typed (so the clerk sees and corrects it in the workbook)."""
    register = table.register
    out = []
    for row in table.rows:
        item: dict[str, Any] = {}
        for column in register.columns:
            raw = row.cells.get(column.key)
            if raw is None:
                continue
            text = row.text(column.key)
            value: Any = raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else text
            if column.kind == "date":
                when = parse_date(raw)
                value = when.isoformat() if when is not None else text
            elif column.kind == "choice":
                value = _official(register, column.key, text)
            elif column.kind == "yesno":
                said = yes_no(text)
                value = text if said is None else (form.YES if said else form.NO)
            elif column.kind == "money" and isinstance(raw, str):
                try:
                    value = float(text.replace(",", "").removesuffix("元"))
                except ValueError:
                    value = text
            if value is not None and value != "":
                item[column.key] = value
        out.append(item)
    return out


def _official(register: Register, key: str, text: str) -> str:
    choice = choice_of(register, key, text)
    return dict(register.column(key).choices)[choice] if choice is not None else text


# ---------------------------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------------------------


def build(
    source: str | os.PathLike | None,
    out: str | os.PathLike,
    *,
    into: str | os.PathLike | None = None,
    unit: str | None = None,
    year: int | str | None = None,
    published: str | os.PathLike | None = None,
    force: bool = False,
) -> LedgerResult:
    """Read the ledger ``source`` (and the list ``published``), count them for the report year
    and write the official workbook to ``out`` with the registers filled and table 三, the fees
    (and the categories) typed from the counts — into a fresh copy of ``into`` when given.

    The year is ``year``, else the one ``into`` states; without either: ``InvalidData``.
    Raises ``OutputExists`` unless ``force``; never writes over an input.
    """
    from .writing.workbook import write_workbook

    if source is None and published is None:
        raise error("INVALID_DATA.LEDGER_NOTHING_GIVEN")
    output_suffix(out)
    base: dict = {}
    prefilled: dict = {}  # what ``into`` was sent out with (its 预填记录): kept, locked, never typed over
    in_force: dict = {}  # and last year's 现行有效件数 beside table 二
    into_name = os.fspath(into) if into is not None else None
    if into_name is not None:
        from .reading.report import read

        report = read(into_name)
        if report.document:
            raise error("UNSUPPORTED_FORMAT.LEDGER_INTO_DOCUMENT", name=into_name, path=into_name)
        base = report.to_dict(blanks=True)  # a copy: what the file leaves blank stays blank
        prefilled, in_force = dict(report.prefilled), dict(report.in_force_last_year)
        unit = unit if unit is not None else report.unit
        year = year if year is not None else report.year
    if year is None:
        raise error("INVALID_DATA.LEDGER_NO_YEAR")
    the_year = report_year(year)
    data = {key: value for key, value in base.items() if value is not None}
    data["unit"] = {**(data.get("unit") or {}), "year": the_year, **({"name": unit} if unit is not None else {})}
    values: dict[form.Path, int | float] = {}
    counted_ledger = counted_list = None
    inputs = [p for p in (source, published) if p is not None]
    if source is not None:
        table = read_register(source, form.LEDGER)
        counted = count_ledger(table, the_year)
        counted_ledger = Counting(os.fspath(source), table, counted)
        data[form.LEDGER.key] = template_rows(table)
        _type(data, form.APPLICATIONS, counted.counts, values, prefilled)
        _type(data, form.FEE_NOTICES, counted.counts, values, prefilled)
    if published is not None:
        table = read_register(published, form.PUBLISHED)
        counted = count_published(table, the_year)
        counted_list = Counting(os.fspath(published), table, counted)
        data[form.PUBLISHED.key] = template_rows(table)
        _type(data, form.CATEGORIES, counted.counts, values, prefilled)
    with atomic_output(out, force=force, inputs=[os.fspath(p) for p in inputs] + ([into_name] if into_name else [])) as tmp:
        write_workbook(tmp, data, as_read=True, prefilled=prefilled, in_force_last_year=in_force)
    kept = {path: fill.value for path, fill in prefilled.items() if path in values_counted(counted_ledger, counted_list)}
    return LedgerResult(FsPath(out), the_year, unit, into_name, counted_ledger, counted_list, values, kept)


def values_counted(*countings: Counting | None) -> set[form.Path]:
    return {path for c in countings if c is not None for path in c.counted.counts}


def _type(data: dict, part: form.Part, counts: dict[form.Path, int | float], values: dict,
          prefilled: dict | None = None) -> None:
    """Every input of ``part`` the register feeds set from the counts; the part's totals left to
    the template's formulas (a total the workbook stated is not kept over new numbers).  A cell
    pre-filled when the workbook was sent out (last year's carry-over) keeps that value: it is
    last year's published figure, and check says where the ledger disagrees
    (LEDGER.CARRY_PREFILLED)."""
    node = data.get(part.key) or {}
    data[part.key] = node
    for leaf in form.LEAVES:
        if leaf.part is not part:
            continue
        if leaf.computed:
            form.set_path(data, leaf.path, None)
        elif leaf.path in (prefilled or {}):
            continue
        elif leaf.path in counts:
            form.set_path(data, leaf.path, counts[leaf.path])
            values[leaf.path] = counts[leaf.path]
