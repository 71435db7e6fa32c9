"""A report copied as plain text (the seed) → one sheet: a line is a cell, a blank line ends a row.

Copying a web page's table as text gives each cell on its own line, indented by a tab, with an
empty line between rows; a label wrapped inside its cell ("商业" / "企业") continues on a line
without the tab.  So: a line that is empty (or spaces only) ends the row; within a row every
line is the next cell, except that a line without a leading tab right after a tab-indented one
continues that cell.  A line holding only a tab is an empty cell (a merged cell's place).
Each cell is named by its line in the file (``第128行``).
"""

from __future__ import annotations

import codecs
import re

from .document import CellBudget, CellNamer, cell_value
from ..errors import error
from .sheet import Sheet, Workbook
from .sniff import MAX_TEXT_LINE_CHARS, MAX_TEXT_LINES, Sniffed

_GBK = frozenset({"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936"})
_NOT_TEXT = frozenset({"undefined", "punycode", "idna", "raw-unicode-escape", "unicode-escape", "raw_unicode_escape", "unicode_escape"})
"""Codecs Python knows that decode no real page: "undefined" raises on any byte, punycode and
the escapes turn a page into garbage without an error."""


def declared_encoding(declared: str | None) -> str | None:
    """The codec a page's charset declaration names, when Python knows it as a text encoding."""
    if not declared:
        return None
    declared = declared.strip().lower()
    if declared in _GBK:
        return "gb18030"
    try:
        info = codecs.lookup(declared)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_TEXT or declared in _NOT_TEXT:
        return None
    return info.name


def decode_text(data: bytes, name: str, declared: str | None = None) -> str:
    """The text of a file in any encoding a Chinese site or Windows uses: a BOM, then the
    declared charset (only one Python knows as a text encoding: ``charset=undefined`` or
    ``punycode`` is ignored), then UTF-8, then GB18030 (a superset of GB2312 and GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return data.decode("utf-32", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    candidates = []
    encoding = declared_encoding(declared)
    if encoding:
        candidates.append(encoding)
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeError, LookupError, ValueError, TypeError):
            continue
    raise error("UNREADABLE.TEXT_ENCODING", name=name, path=name or None)


_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
LONG_LINE = re.compile(f"(?<![^{_BREAKS}])[^{_BREAKS}]{{{MAX_TEXT_LINE_CHARS + 1}}}")
"""A line longer than the limit, looked for where lines start only (the lookbehind): without it the
search tried every position of every line — 50 MB of 250-character lines took 20 s, now 1 s."""


def text_workbook(data: bytes, kind: Sniffed, name: str = "", container: object = None) -> Workbook:
    text = decode_text(data, name)
    # measured before splitting: the lines str.splitlines() would make, and the longest
    count = sum(text.count(ch) for ch in _BREAKS) - text.count("\r\n") + 1
    if count > MAX_TEXT_LINES:
        raise error("LIMIT_EXCEEDED.TEXT_LINES", name=name, count=count, limit=MAX_TEXT_LINES, path=name or None)
    if LONG_LINE.search(text):
        raise error("LIMIT_EXCEEDED.TEXT_LINE_LENGTH", name=name, limit=MAX_TEXT_LINE_CHARS, path=name or None)
    lines = text.splitlines()
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
