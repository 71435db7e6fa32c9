"""A Word document (.docx) → one sheet per table, its paragraphs as running text.

``word/document.xml`` is parsed with lxml directly (no entities resolved, no network, no DTD
loaded — and sniff has already refused any XML member with a DTD).  A table's merged cells are
laid out on the table grid as Word defines it: ``w:gridBefore`` skips columns, ``w:gridSpan``
widens a cell, ``w:vMerge`` continues the cell above (its text stays at the top-left position,
the covered positions are left empty, as in a workbook).  python-docx's ``row.cells`` would
repeat a merged cell once per column, which a label search would take for several labels.
A table inside a cell is a table of its own.

Bounded before parsing: the part is inflated with a running count (MAX_DOCUMENT_PART_BYTES,
whatever the zip directory claims) and its rows counted; each table's grid — rows, empty ones
too, × its widest row, ``gridBefore`` and spans included — is measured before it is built
(MAX_DOCUMENT_GRID).  A DTD is refused also after decoding (UTF-32 with or without a mark).
"""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from .document import CellBudget, Rows, table_sheet
from ..errors import XlsreportError, error
from .sheet import Workbook
from .sniff import (
    MAX_DOCUMENT_GRID,
    MAX_DOCUMENT_PART_BYTES,
    MAX_NESTING_DEPTH,
    MAX_SPAN,
    ZIP_ERRORS,
    Sniffed,
    ZipContainer,
    read_member,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MEMBER = "word/document.xml"
_ROW_TAG = re.compile(rb"<(?:\w+:)?tr[\s/>]")


def docx_workbook(data: bytes, kind: Sniffed, name: str = "", container: ZipContainer | None = None) -> Workbook:
    from .isolate import one_line

    try:
        archive = container.archive if container is not None else zipfile.ZipFile(io.BytesIO(data))
        xml = read_member(data, archive, archive.getinfo(_MEMBER), MAX_DOCUMENT_PART_BYTES, name)
    except (KeyError, *ZIP_ERRORS) as exc:
        raise error("UNREADABLE.DOCX_CORRUPT_MEMBER", name=name, member=_MEMBER, path=name or None) from exc
    rows = len(_ROW_TAG.findall(xml))
    if rows > MAX_DOCUMENT_GRID:  # every row is at least one position of its table's grid
        raise error("LIMIT_EXCEEDED.DOCX_GRID", name=name, rows=rows, limit=MAX_DOCUMENT_GRID, path=name or None)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(xml, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise error("UNREADABLE.DOCX_CORRUPT_BODY", name=name, reason=one_line(exc, 100), path=name or None) from exc
    info = root.getroottree().docinfo
    if info.internalDTD is not None or info.externalDTD is not None or info.doctype:
        # sniff looks at the prolog in the encodings office programs use; this is the same rule
        # after libxml2 decoded whatever the part declared (issue #22)
        raise error("UNREADABLE.DOCX_DTD", name=name, member=_MEMBER, path=name or None)
    body = root.find(f"{W}body")
    if body is None:
        raise error("UNREADABLE.DOCX_NO_BODY", name=name, path=name or None)
    budget = CellBudget(name, "Word 文档")
    tables: list[Rows] = []
    lines: list[tuple[str, str]] = []
    _walk(body, tables, lines, budget, name, 0)
    sheets = []
    for number, rows in enumerate(tables, start=1):
        row_names = [f"第{number}个表格 第{r + 1}行" for r in range(len(rows))]
        sheets.append(table_sheet(rows, number - 1, f"第{number}个表格", row_names))
    return Workbook(sheets, kind, lines=tuple(lines))


def _grid_refused(name: str, rows: int, width: int) -> XlsreportError:
    return error("LIMIT_EXCEEDED.DOCX_TABLE_GRID", name=name, rows=rows, width=width, limit=MAX_DOCUMENT_GRID, path=name or None)


def _walk(container, tables: list[Rows], lines: list[tuple[str, str]], budget: CellBudget, name: str, depth: int) -> None:
    """Body order: paragraphs become lines, tables become tables (content controls looked into)."""
    if depth > MAX_NESTING_DEPTH:
        raise error("LIMIT_EXCEEDED.DOCX_NESTING", name=name, limit=MAX_NESTING_DEPTH, path=name or None)
    for child in container:
        if child.tag == f"{W}p":
            text = paragraph_text(child).strip()
            if text:
                lines.append((text, f"第{len(lines) + 1}段"))
        elif child.tag == f"{W}tbl":
            _table(child, tables, budget, name, depth)
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}smartTag"):
            _walk(child, tables, lines, budget, name, depth + 1)


def _int(element, path: str, default: int) -> int:
    found = element.find(path)
    if found is None:
        return default
    try:
        return max(0, min(int(found.get(f"{W}val", default)), MAX_SPAN))
    except ValueError:
        return default


def _rows_of(table):
    for child in table:
        if child.tag == f"{W}tr":
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            yield from child.iter(f"{W}tr")


def _cells_of(row):
    for child in row:
        if child.tag == f"{W}tc":
            yield child
        elif child.tag in (f"{W}sdt", f"{W}customXml"):
            yield from child.iter(f"{W}tc")


def _table(table, tables: list[Rows], budget: CellBudget, name: str, depth: int) -> None:
    budget.table()
    height = width = 0
    for tr in _rows_of(table):  # the grid the table will cost, before it is built
        height += 1
        width = max(width, _int(tr, f"{W}trPr/{W}gridBefore", 0) + sum(max(1, _int(tc, f"{W}tcPr/{W}gridSpan", 1)) for tc in _cells_of(tr)))
    if height * width > MAX_DOCUMENT_GRID:
        raise _grid_refused(name, height, width)
    index = len(tables)
    tables.append([])  # numbered in document order: an outer table before the tables in it
    grid: dict[tuple[int, int], str | None] = {}
    height = 0
    for r, tr in enumerate(_rows_of(table)):
        height = r + 1
        c = _int(tr, f"{W}trPr/{W}gridBefore", 0)
        for tc in _cells_of(tr):
            span = max(1, _int(tc, f"{W}tcPr/{W}gridSpan", 1))
            budget.add(span)
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            continued = merge is not None and merge.get(f"{W}val", "continue") != "restart"
            for dc in range(span):
                grid[(r, c + dc)] = None
            if not continued:
                grid[(r, c)] = _cell_text(tc, tables, budget, name, depth)
            c += span
    width = max((c for _, c in grid), default=-1) + 1
    rows: Rows = [[None] * width for _ in range(height)]
    for (r, c), text in grid.items():
        rows[r][c] = text
    tables[index] = rows


def _cell_text(tc, tables: list[Rows], budget: CellBudget, name: str, depth: int) -> str:
    texts: list[str] = []
    for child in tc:
        if child.tag == f"{W}p":
            texts.append(paragraph_text(child))
        elif child.tag == f"{W}tbl":
            _table(child, tables, budget, name, depth + 1)
        elif child.tag == f"{W}sdt":
            for p in child.iter(f"{W}p"):
                texts.append(paragraph_text(p))
    return "\n".join(texts).strip("\n")


def paragraph_text(paragraph) -> str:
    """What a paragraph shows: its text runs (not deleted text or field codes), tabs and breaks."""
    out: list[str] = []
    for element in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr"):
        if element.tag == f"{W}t":
            out.append(element.text or "")
        elif element.tag == f"{W}tab":
            if element.getparent().tag != f"{W}tabs":  # not a tab stop of the paragraph's style
                out.append("\t")
        else:
            out.append("\n")
    return "".join(out)
