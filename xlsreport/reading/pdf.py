"""A PDF with a text layer → one sheet per table (pdfplumber), its text lines as running text.

pdfplumber (MIT) finds a table by its ruling lines and gives its cells on the table's grid: a
merged cell once, None at the positions it covers; a label wrapped inside its cell with "\\n"
(which the label search ignores, as it ignores all whitespace).  A table that runs over a page
break comes back as two tables; they are joined when the first ends its page, the second
starts the next one and both have the same number of columns — header rows the second repeats
are dropped.  Every row keeps its own page, table and row for the names of its cells
(``第3页 表2 第12行第4列``).

No OCR: a PDF without a text layer (a scan) or with its tables as pictures is refused with a
message that says so.  Pages are counted before any is read, and the time spent is checked
after every page (MAX_PDF_SECONDS).
"""

from __future__ import annotations

import re
import time

from .document import CellBudget, Rows, no_tables, table_sheet
from ..errors import LimitExceeded, UnsupportedFormat, error
from .sheet import Workbook
from .sniff import MAX_DOCUMENT_PAGES, MAX_PDF_SECONDS, Sniffed

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d+(?:\s*页)?[-—–\s]*$")
_PAGE_END = 0.25
"""A table that ends in the last quarter of its page, or starts in the first quarter of the
next, may run over the page break."""


def pdf_workbook(data: bytes, kind: Sniffed, name: str = "", container: object = None) -> Workbook:
    import io

    import pdfplumber

    started = time.monotonic()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # pdfminer raises many types for broken files  # noqa: BLE001
        raise error("UNREADABLE.PDF_CORRUPT", name=name, path=name or None) from exc
    with pdf:
        try:
            pages = pdf.pages
        except Exception as exc:  # noqa: BLE001
            raise error("UNREADABLE.PDF_CORRUPT_PAGES", name=name, path=name or None) from exc
        if len(pages) > MAX_DOCUMENT_PAGES:
            raise error("LIMIT_EXCEEDED.PDF_PAGES", name=name, pages=len(pages), limit=MAX_DOCUMENT_PAGES, path=name or None)
        budget = CellBudget(name, "PDF")
        found: list[tuple[int, int, Rows, float, float]] = []  # page, table on page, rows, top, bottom (fractions)
        lines: list[tuple[str, str]] = []
        characters = 0
        pictures = 0
        for number, page in enumerate(pages, start=1):
            try:
                characters += len(page.chars)
                pictures += len(page.images)
                tables = page.find_tables()
                for k, table in enumerate(tables, start=1):
                    budget.table()
                    rows = [list(row) for row in table.extract()]
                    budget.add(sum(len(row) for row in rows))
                    found.append((number, k, rows, table.bbox[1] / page.height, table.bbox[3] / page.height))
                text = page.extract_text() or ""
            except (LimitExceeded, UnsupportedFormat):
                raise
            except Exception as exc:  # noqa: BLE001
                raise error("UNREADABLE.PDF_CORRUPT_PAGE", name=name, number=number, path=name or None) from exc
            for i, line in enumerate(text.splitlines(), start=1):
                if line.strip() and not _PAGE_NUMBER.match(line):
                    lines.append((line.strip(), f"第{number}页 第{i}行"))
            if time.monotonic() - started > MAX_PDF_SECONDS:
                raise error(
                    "LIMIT_EXCEEDED.PDF_TIME", name=name, number=number, limit=MAX_PDF_SECONDS,
                    path=name or None,
                )
    if not characters:
        raise error("UNSUPPORTED_FORMAT.PDF_WITHOUT_TEXT", name=name, path=name or None)
    if not found:
        raise no_tables(name, "PDF 文件", "（有文字，但没有带框线的表格" + ("；表格可能是图片" if pictures else "") + "）")
    sheets = []
    for index, (rows, row_names) in enumerate(join_pages(found)):
        sheets.append(table_sheet(rows, index, row_names[0].split(" 第")[0] if row_names else f"表{index + 1}", row_names))
    return Workbook(sheets, kind, lines=tuple(lines))


def _key(row: list[str | None]) -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", "", cell or "") for cell in row)


def _is_fragment(row: list[str | None], above: list[str | None]) -> bool:
    """Is ``row`` the rest of the row ``above``, cut by the page break (Writer and WPS let a row
    break over a page unless told not to)?  It then has the same cells (a merged position only
    where ``above`` has one: a heading spanning the table is not a fragment), no number anywhere,
    and text only where ``above`` has text: the end of a wrapped label."""
    if len(row) != len(above) or not any((cell or "").strip() for cell in row):
        return False
    for cell, over in zip(row, above):
        if cell is None and over is not None:
            return False
        text = (cell or "").strip()
        if text and (_NUMBER_LIKE.match(text) or not (over or "").strip()):
            return False
    return True


def _glued(above: list[str | None], row: list[str | None]) -> list[str | None]:
    return [over if not (cell or "").strip() else f"{over}\n{cell}" for over, cell in zip(above, row)]


_NUMBER_LIKE = re.compile(r"^[\d０-９.,，/／\s-]+$")


def join_pages(found: list[tuple[int, int, Rows, float, float]]) -> list[tuple[Rows, list[str]]]:
    """Tables in document order, a table continued on the next page joined to its start; each
    with the name of every row (``第3页 表2 第12行``)."""
    joined: list[tuple[Rows, list[str], int, float]] = []  # rows, row names, last page, bottom
    for page, k, rows, top, bottom in found:
        names = [f"第{page}页 表{k} 第{r + 1}行" for r in range(len(rows))]
        width = max((len(row) for row in rows), default=0)
        if joined:
            previous, previous_names, last_page, last_bottom = joined[-1]
            previous_width = max((len(row) for row in previous), default=0)
            if (
                page == last_page + 1
                and k == 1
                and width == previous_width
                and last_bottom > 1 - _PAGE_END
                and top < _PAGE_END
            ):
                repeated = 0
                while repeated < len(rows) and repeated < len(previous) and _key(rows[repeated]) == _key(previous[repeated]):
                    repeated += 1
                rows, names = rows[repeated:], names[repeated:]
                if rows and previous and _is_fragment(rows[0], previous[-1]):
                    previous = previous[:-1] + [_glued(previous[-1], rows[0])]
                    rows, names = rows[1:], names[1:]
                joined[-1] = (previous + rows, previous_names + names, page, bottom)
                continue
        joined.append((rows, names, page, bottom))
    return [(rows, names) for rows, names, _, _ in joined]
