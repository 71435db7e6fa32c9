"""A report copied as plain text (the seed) → one sheet: a line is a cell, a blank line ends a row.

Copying a web page's table as text gives each cell on its own line, indented by a tab, with an
empty line between rows; a label wrapped inside its cell ("商业" / "企业") continues on a line
without the tab.  So: a line that is empty (or spaces only) ends the row; within a row every
line is the next cell, except that a line without a leading tab right after a tab-indented one
continues that cell.  A line holding only a tab is an empty cell (a merged cell's place).
Each cell is named by its line in the file (``第128行``).
"""

from __future__ import annotations

from .document import CellBudget, CellNamer, cell_value
from ..errors import error
from .sheet import Sheet, Workbook
from .sniff import MAX_TEXT_LINES, Sniffed


def decode_text(data: bytes, name: str, declared: str | None = None) -> str:
    """The text of a file in any encoding a Chinese site or Windows uses: a BOM, then the
    declared charset, then UTF-8, then GB18030 (a superset of GB2312 and GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    candidates = []
    if declared:
        declared = declared.lower()
        candidates.append("gb18030" if declared in ("gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936") else declared)
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise error("UNREADABLE.TEXT_ENCODING", name=name, path=name or None)


def text_workbook(data: bytes, kind: Sniffed, name: str = "", container: object = None) -> Workbook:
    text = decode_text(data, name)
    lines = text.splitlines()
    if len(lines) > MAX_TEXT_LINES:
        raise error("LIMIT_EXCEEDED.TEXT_LINES", name=name, lines=len(lines), limit=MAX_TEXT_LINES, path=name or None)
    budget = CellBudget(name, "文本")
    sheet = Sheet("正文", 0)
    names: dict[tuple[int, int], str] = {}
    texts: dict[tuple[int, int], str] = {}
    row, col = 0, -1
    previous_tabbed = False
    running: list[tuple[str, str]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip(" \u3000\xa0") and "\t" not in line:  # a blank line: the row ends
            if col >= 0:
                row, col = row + 1, -1
            previous_tabbed = False
            continue
        tabbed = line.startswith("\t")
        if line.strip():
            running.append((line.strip(), f"第{number}行"))
        if previous_tabbed and not tabbed and col >= 0:  # a wrapped label goes on in its cell
            texts[(row, col)] = texts.get((row, col), "") + "\n" + line.strip()
            continue
        col += 1
        budget.add(1)
        names[(row, col)] = f"第{number}行"
        if line.strip():
            texts[(row, col)] = line
        previous_tabbed = tabbed
    for cell, raw in texts.items():
        value = cell_value(raw.strip("\t"))
        if value != "":
            sheet.cells[cell] = value
    sheet.namer = CellNamer(names)
    return Workbook([sheet], kind, lines=tuple(running))
