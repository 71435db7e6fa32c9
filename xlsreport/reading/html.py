"""A web page (a saved report page, or an HTML table saved as .xls by an export button) → sheets.

Parsed by lxml's HTML parser with the network off and comments and processing instructions
dropped; a page that declares entities (``<!ENTITY``, looked for in the decoded text, whatever
the encoding) is refused before parsing, and the
libxml2 HTML parser never fetches or expands a DTD.  Every ``<table>`` becomes one sheet, its
rowspan/colspan laid out on a span-aware grid of our own (a merged cell's text at its top-left
position, the positions it covers left empty, as in a workbook); a table inside a cell is a
table of its own, not part of the cell's text.  Spans are counted against the document's cell
budget as they are laid out, so a page of 1000 × 1000 spans is refused before it costs memory;
the rows of the page are counted before parsing, and each table's grid (rows, empty ones too,
× its widest row) before it is built.
"""

from __future__ import annotations

import re

from lxml import etree, html

from .document import CellBudget, Rows, section_headings, table_sheet
from .text import decode_text
from ..errors import XlsreportError, error
from .sheet import Workbook
from .sniff import MAX_DOCUMENT_GRID, MAX_NESTING_DEPTH, MAX_SPAN, Sniffed

_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_ENTITY = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "center", "blockquote", "pre"})
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "title"})


def html_workbook(data: bytes, kind: Sniffed, name: str = "", container: object = None) -> Workbook:
    from .isolate import one_line

    declared = _CHARSET.search(data[:4096])
    text = decode_text(data, name, declared.group(1).decode("ascii") if declared else None)
    if _ENTITY.search(text):  # looked for in the decoded text: whatever the page's encoding
        raise error("UNREADABLE.HTML_ENTITY", name=name, path=name or None)
    rows = sum(text.count(tag) for tag in ("<tr", "<TR", "<Tr", "<tR"))  # (<track> too: stricter only)
    if rows > MAX_DOCUMENT_GRID:  # every row is at least one position of its table's grid
        raise error("LIMIT_EXCEEDED.HTML_GRID", name=name, rows=rows, limit=MAX_DOCUMENT_GRID, path=name or None)
    text = _XML_DECLARATION.sub("", text, count=1)
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True, huge_tree=False)
    try:
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise error("UNREADABLE.HTML_UNPARSABLE", name=name, reason=one_line(exc, 100), path=name or None) from exc
    _refuse_deep(root, name)
    budget = CellBudget(name, "网页")
    sheets = []
    largest, size = None, 0
    for number, table in enumerate(root.iter("table"), start=1):
        budget.table()
        rows = table_rows(table, budget, name)
        row_names = [f"第{number}个表格 第{r + 1}行" for r in range(len(rows))]
        sheets.append(table_sheet(rows, number - 1, f"第{number}个表格", row_names))
        cells = sum(1 for row in rows for text in row if text is not None)
        if cells > size:
            largest, size = table, cells
    lines = _headings(root) + [(line, f"正文第{i}段") for i, line in enumerate(_article_text(root, largest), start=1)]
    return Workbook(sheets, kind, lines=tuple(lines))


def _grid_refused(name: str, rows: int, width: int) -> XlsreportError:
    return error("LIMIT_EXCEEDED.HTML_TABLE_GRID", name=name, rows=rows, width=width, limit=MAX_DOCUMENT_GRID, path=name or None)


def _article_text(root, largest) -> list[str]:
    """The running text of the report itself, without the site around it (menus, links, the
    footer): the text of the smallest element that holds the largest table (table 三) and as
    many of the report's section headings as the whole page does."""
    body = root.find("body")
    if body is None:
        body = root
    whole = _running_text(body)
    wanted = section_headings(whole)
    if largest is None or not wanted:
        return whole
    node = largest.getparent()
    while node is not None and node is not body:
        text = _running_text(node)
        if section_headings(text) >= wanted:
            return text
        node = node.getparent()
    return whole


def _refuse_deep(root, name: str) -> None:
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_NESTING_DEPTH:
            raise error("LIMIT_EXCEEDED.HTML_NESTING", name=name, limit=MAX_NESTING_DEPTH, path=name or None)
        stack.extend((child, depth + 1) for child in element)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def table_rows(table, budget: CellBudget, name: str = "") -> Rows:
    """The table's cells on their grid: each cell's text at its top-left position, None where a
    rowspan/colspan covers a position.  The grid — rows, empty ones too, × the widest row —
    is measured before it is built (MAX_DOCUMENT_GRID)."""
    grid: dict[tuple[int, int], str | None] = {}
    rows = table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")
    height = len(rows)
    width = max((sum(_span(cell.get("colspan")) for cell in tr.xpath("./td|./th")) for tr in rows), default=0)
    if height * width > MAX_DOCUMENT_GRID:
        raise _grid_refused(name, height, width)
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.xpath("./td|./th"):
            while (r, c) in grid:
                c += 1
            rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
            rowspan = min(rowspan, max(1, len(rows) - r))  # a span past the last row covers nothing
            budget.add(rowspan * colspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = None
            grid[(r, c)] = cell_text(cell)
            height = max(height, r + rowspan)
            c += colspan
    width = max((c for _, c in grid), default=-1) + 1
    out: Rows = [[None] * width for _ in range(height)]
    for (r, c), text in grid.items():
        out[r][c] = text
    return out


def cell_text(element) -> str:
    """The text of a cell as it shows: <br>, <p> and <div> break lines; a nested table, scripts
    and styles are left out."""
    parts: list[str] = []
    _collect(element, parts, top=True)
    return "".join(parts).strip("\r\n")


def _collect(element, parts: list[str], top: bool = False) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if not top and (tag == "table" or tag in _SKIP):
        if element.tail:
            parts.append(element.tail)
        return
    if tag in _BLOCK and not top:
        parts.append("\n")
    if element.text:
        parts.append(element.text)
    for child in element:
        _collect(child, parts)
    if tag in _BLOCK and not top:
        parts.append("\n")
    if not top and element.tail:
        parts.append(element.tail)


def _running_text(element) -> list[str]:
    """The element's text outside its tables, one line per paragraph."""
    parts: list[str] = []
    _collect(element, parts, top=True)
    return [line.strip(" \t\xa0\u3000") for line in "".join(parts).splitlines() if line.strip(" \t\xa0\u3000")]


def _headings(root) -> list[tuple[str, str]]:
    """The page's title and top headings first: a report page's title is usually there, below
    the site's menus."""
    found: list[tuple[str, str]] = []
    for tag in ("h1", "h2"):
        for element in root.iter(tag):
            text = cell_text(element).replace("\n", "").strip()
            if text:
                found.append((text, f"标题（{tag}）"))
    for element in root.iter("title"):
        text = (element.text or "").strip()
        if text:
            found.append((text, "网页标题"))
    return found
