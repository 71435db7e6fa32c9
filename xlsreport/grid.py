"""Every sheet of a workbook as plain cell values at their true coordinates.

Nothing here knows the form.  python-calamine reads xlsx/xlsm/xlsb/xls/ods from the bytes
(``from_filelike`` sniffs the content, so a misnamed file still opens) far faster than openpyxl;
an HTML table saved as .xls is read with the standard library.  Cells keep their raw value
(number, text, bool, date, error string) so that the reader can say exactly what it saw.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Iterator, Union

from .errors import EncryptedWorkbook, LimitExceeded, UnreadableWorkbook
from .sniff import MAX_CELLS_PER_SHEET, MAX_SHEETS, Sniffed, sniff

Value = Union[str, int, float, bool, _dt.date, _dt.datetime, _dt.time, _dt.timedelta]


def column_letters(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(sheet: str, row: int, col: int) -> str:
    """``Sheet1!E6`` for 0-based (5, 4): the address as the clerk sees it in the file."""
    return f"{sheet}!{column_letters(col)}{row + 1}"


@dataclass
class Sheet:
    """One sheet: its name, its position in the workbook, and its non-empty cells (0-based)."""

    name: str
    index: int
    cells: dict[tuple[int, int], Value] = field(default_factory=dict)

    def get(self, row: int, col: int) -> Value | None:
        return self.cells.get((row, col))

    def address(self, row: int, col: int) -> str:
        return cell_name(self.name, row, col)


@dataclass
class Workbook:
    """All sheets of one file, and what kind of file it was."""

    sheets: list[Sheet]
    kind: Sniffed

    def __iter__(self) -> Iterator[Sheet]:
        return iter(self.sheets)


def load(data: bytes, name: str = "") -> Workbook:
    """Sniff ``data`` and read every worksheet into a :class:`Workbook` (typed errors only)."""
    kind = sniff(data, name)
    if kind.kind == "html":
        return Workbook(_html_sheets(data, name), kind)
    return Workbook(_calamine_sheets(data, name), kind)


def _calamine_sheets(data: bytes, name: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook  # imported here: only the reader needs it

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise _calamine_error(exc, name) from exc
    worksheets = [m.name for m in metadata if "WorkSheet" in str(m.typ)]
    if len(worksheets) > MAX_SHEETS:
        raise LimitExceeded(f"文件 {name} 有 {len(worksheets)} 个工作表，超过上限 {MAX_SHEETS} 个，已拒绝读取。", path=name or None)
    sheets: list[Sheet] = []
    for index, sheet_name in enumerate(worksheets):
        try:
            raw = book.get_sheet_by_name(sheet_name)
        except Exception as exc:
            raise _calamine_error(exc, name) from exc
        if raw.height * raw.width > MAX_CELLS_PER_SHEET:
            raise LimitExceeded(
                f"文件 {name} 的工作表「{sheet_name}」有 {raw.height} 行 × {raw.width} 列，超过每表 "
                f"{MAX_CELLS_PER_SHEET} 个单元格的上限：请删除无关数据后另存再试。",
                path=name or None,
            )
        sheet = Sheet(sheet_name, index)
        if raw.start is not None:
            # calamine returns the used range only: add its offset back so that a cell is named
            # as in the user's file (the seed's total is Sheet1!E6, not A3).
            row0, col0 = raw.start
            for r, values in enumerate(raw.to_python(skip_empty_area=True)):
                for c, value in enumerate(values):
                    if value == "" or value is None:
                        continue
                    sheet.cells[(row0 + r, col0 + c)] = value
        sheets.append(sheet)
    return sheets


def _calamine_error(exc: Exception, name: str) -> UnreadableWorkbook:
    text = str(exc)
    if re.search(r"passw|encrypt|FilePass", text, re.IGNORECASE):
        return EncryptedWorkbook(
            f"文件 {name} 已加密（设置了打开密码），无法读取：请打开文件后另存为不带密码的文件再提交。",
            path=name or None,
        )
    return UnreadableWorkbook(
        f"文件 {name} 无法读取（文件已损坏或不完整：{text[:200]}）：请用 Excel 或 WPS 打开检查，另存后再试。",
        path=name or None,
    )


# ---------------------------------------------------------------------------------------------
# HTML tables saved as .xls (a common "export to Excel" of web systems)
# ---------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class _TableParser(HTMLParser):
    """Collects every <table> as rows of cell texts, honouring rowspan/colspan."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict[tuple[int, int], str]] = []
        self._stack: list[dict] = []
        self._text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append({"cells": {}, "row": -1, "col": 0, "taken": set()})
        elif not self._stack:
            return
        elif tag == "tr":
            table = self._stack[-1]
            table["row"] += 1
            table["col"] = 0
        elif tag in ("td", "th"):
            table = self._stack[-1]
            if table["row"] < 0:
                table["row"] = 0
            while (table["row"], table["col"]) in table["taken"]:
                table["col"] += 1
            spans = dict(attrs)
            table["span"] = (_int(spans.get("rowspan")), _int(spans.get("colspan")))
            self._text = []
        elif tag == "br" and self._text is not None:
            self._text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        table = self._stack[-1]
        if tag in ("td", "th") and self._text is not None:
            row, col = table["row"], table["col"]
            rowspan, colspan = table.get("span", (1, 1))
            for dr in range(rowspan):
                for dc in range(colspan):
                    table["taken"].add((row + dr, col + dc))
            text = "".join(self._text).strip("\r\n")
            if text.strip():
                table["cells"][(row, col)] = text
            table["col"] += colspan
            self._text = None
        elif tag == "table":
            self.tables.append(self._stack.pop()["cells"])

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _html_sheets(data: bytes, name: str) -> list[Sheet]:
    """One sheet holding every table of the page, stacked with a blank row between them."""
    head = data[:4096].decode("ascii", "replace").lower()
    match = re.search(r"charset=[\"']?([a-z0-9_-]+)", head)
    encodings = [match.group(1)] if match else []
    encodings += ["utf-8", "gb18030"]
    text = None
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if text is None:
        raise UnreadableWorkbook(f"文件 {name} 是网页格式，但文字编码无法识别：" "请用 Excel 或 WPS 打开后另存为 .xlsx 再试。", path=name or None)
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    sheet = Sheet("HTML", 0)
    offset = 0
    for table in parser.tables:
        height = 0
        for (r, c), value in table.items():
            sheet.cells[(offset + r, c)] = _html_value(value)
            height = max(height, r + 1)
        offset += height + 1
    if len(sheet.cells) > MAX_CELLS_PER_SHEET:
        raise LimitExceeded(f"文件 {name} 的网页表格超过 {MAX_CELLS_PER_SHEET} 个单元格，已拒绝读取。", path=name or None)
    return [sheet]


def _html_value(text: str) -> Value:
    """HTML has no cell types: a plain ASCII number is a number, everything else stays text."""
    stripped = text.strip()
    if _NUMBER.match(stripped):
        number = float(stripped)
        return int(number) if number.is_integer() and "." not in stripped else number
    return text


# ---------------------------------------------------------------------------------------------
# error values (#REF!, #DIV/0!) — python-calamine returns them as "" (seen with 0.9.1 on xlsx,
# xls and ods), which would make a broken formula look like a blank cell.
# ---------------------------------------------------------------------------------------------

_ERROR_CELL = re.compile(r'<c\b([^>]*\bt="e"[^>]*)>(.*?)</c>', re.DOTALL)
_REF = re.compile(r'\br="([A-Z]+)(\d+)"')
_V = re.compile(r"<v>([^<]*)</v>")


def restore_xlsx_errors(workbook: Workbook, data: bytes) -> None:
    """Put the error values of an xlsx/xlsm back into ``workbook`` (where calamine left them out).

    Called only when a located value came back empty, so the common file pays nothing.  The
    sheet XML is scanned with a regex: the zip was size-checked by :func:`sniff.sniff`.
    """
    import zipfile

    from defusedxml import ElementTree

    if workbook.kind.kind not in ("xlsx", "xlsm"):
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except Exception:  # noqa: BLE001 - calamine read it; a missing extra is not worth failing for
        return
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    by_name = {sheet.name: sheet for sheet in workbook.sheets}
    for element in book.iter():
        if not element.tag.endswith("}sheet"):
            continue
        sheet = by_name.get(element.get("name", ""))
        rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rid, "")
        if sheet is None or not target:
            continue
        member = target.lstrip("/") if target.startswith("/") else "xl/" + target
        try:
            xml = archive.read(member).decode("utf-8", "replace")
        except Exception:  # noqa: BLE001
            continue
        for match in _ERROR_CELL.finditer(xml):
            ref = _REF.search(match.group(1))
            value = _V.search(match.group(2))
            if ref and value:
                col = 0
                for ch in ref.group(1):
                    col = col * 26 + ord(ch) - 64
                sheet.cells.setdefault((int(ref.group(2)) - 1, col - 1), value.group(1))
