"""A PDF with a text layer → one sheet per table (pdfplumber), its text lines as running text.

pdfplumber (MIT) finds a table by its ruling lines and gives its cells on the table's grid: a
merged cell once, None at the positions it covers; a label wrapped inside its cell with "\\n"
(which the label search ignores, as it ignores all whitespace).  A table that runs over a page
break comes back as two tables; they are joined when the first ends its page, the second
starts the next one and both have the same number of columns — header rows the second repeats
are dropped.  Every row keeps its own page, table and row for the names of its cells
(``第3页 表2 第12行第4列``).

No OCR: a PDF without a text layer (a scan) or with its tables as pictures is refused with a
message that says so; one encrypted with a password to open is said to be encrypted.

Hostile files (issues #18, #22) — the worker process around this module (:mod:`isolate`) is the
last line; before it: page objects are counted in the bytes and the page tree walked before any
page is laid out (MAX_DOCUMENT_PAGES); a page's content streams are inflated with a running count
before pdfminer inflates them whole (MAX_DOCUMENT_PART_BYTES), and a /Contents that is the page
itself is a cycle; characters and drawn objects are counted as pdfminer lays the page out
(MAX_PAGE_CHARACTERS, MAX_PAGE_OBJECTS); a page without a usable MediaBox (missing, a name,
NaN, 1e308, ±1e9) is read on A4 — the text is still there; any other failure of pdfminer on a
page is that page's answer.  The time spent is also checked after every page (MAX_PDF_SECONDS).
"""

from __future__ import annotations

import io
import math
import re
import time
import zlib

import pdfplumber
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdfpage import PDFPage

from .document import CellBudget, Rows, no_tables, table_sheet
from ..errors import LimitExceeded, UnreadableWorkbook, error
from .sheet import Workbook
from .sniff import (
    MAX_DOCUMENT_PAGES,
    MAX_DOCUMENT_PART_BYTES,
    MAX_PAGE_CHARACTERS,
    MAX_PAGE_OBJECTS,
    MAX_PDF_SECONDS,
    Sniffed,
)

_PAGE_NUMBER = re.compile(r"^[-—–\s]*(?:第\s*)?\d+(?:\s*页)?[-—–\s]*$")
_PAGE_END = 0.25
"""A table that ends in the last quarter of its page, or starts in the first quarter of the
next, may run over the page break."""
_A4 = [0, 0, 595.28, 841.89]
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z0-9])")
_LARGEST_BOX = 14_400 * 75
"""Largest page coordinate taken as true (the PDF reference's 200 inches, times the largest
/UserUnit a viewer honours); past it a box is a mistake or an attack, and A4 stands in."""
_BOXES = ("MediaBox", "CropBox", "TrimBox", "BleedBox", "ArtBox")


class _Refused(Exception):
    """A limit met inside pdfminer's interpreter, carried out past pdfplumber's wrapping."""

    def __init__(self, error: UnreadableWorkbook) -> None:
        super().__init__(error.message)
        self.error = error


def pdf_workbook(data: bytes, kind: Sniffed, name: str = "", container: object = None) -> Workbook:
    started = time.monotonic()
    visible = sum(1 for _ in zip(range(MAX_DOCUMENT_PAGES + 1), _PAGE_OBJECT.finditer(data)))
    if visible > MAX_DOCUMENT_PAGES:
        # page objects in plain sight, counted before pdfminer parses a page tree whose /Kids alone
        # may be 750,000 tokens (pages packed in object streams are counted from the tree below)
        raise _too_many(name, None)
    pdf = _open(data, name)  # never closed by pdfplumber's close(): it lays out every page of the tree
    pages = _pages(pdf, name)
    budget = CellBudget(name, "PDF")
    found: list[tuple[int, int, Rows, float, float]] = []  # page, table on page, rows, top, bottom (fractions)
    lines: list[tuple[str, str]] = []
    characters = 0
    pictures = 0
    doctop = 0.0
    for number, page_obj in enumerate(pages, start=1):
        try:
            _check_streams(page_obj, name, number)
            page = _BoundedPage(pdf, page_obj, number, doctop, name)
            doctop += page.height
            characters += len(page.chars)
            pictures += len(page.images)
            tables = page.find_tables()
            for k, table in enumerate(tables, start=1):
                budget.table()
                rows = [list(row) for row in table.extract()]
                budget.add(sum(len(row) for row in rows))
                found.append((number, k, rows, table.bbox[1] / page.height, table.bbox[3] / page.height))
            text = page.extract_text() or ""
        except UnreadableWorkbook:
            raise
        except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for a broken page
            refused = _refusal(exc)
            if refused is not None:
                raise refused from exc
            raise error("UNREADABLE.PDF_CORRUPT_PAGE", name=name, number=number, reason=_why(exc), path=name or None) from exc
        for i, line in enumerate(text.splitlines(), start=1):
            if line.strip() and not _PAGE_NUMBER.match(line):
                lines.append((line.strip(), f"第{number}页 第{i}行"))
        if time.monotonic() - started > MAX_PDF_SECONDS:
            raise error("LIMIT_EXCEEDED.PDF_TIME", name=name, number=number, seconds=MAX_PDF_SECONDS, path=name or None)
    if not characters:
        raise error("UNSUPPORTED_FORMAT.PDF_WITHOUT_TEXT", name=name, path=name or None)
    if not found:
        raise no_tables(name, "PDF 文件", "（有文字，但没有带框线的表格" + ("；表格可能是图片" if pictures else "") + "）")
    sheets = []
    for index, (rows, row_names) in enumerate(join_pages(found)):
        sheets.append(table_sheet(rows, index, row_names[0].split(" 第")[0] if row_names else f"表{index + 1}", row_names))
    return Workbook(sheets, kind, lines=tuple(lines))


def _open(data: bytes, name: str) -> "pdfplumber.PDF":
    try:
        return pdfplumber.PDF(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for broken files
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc.__cause__ or exc
        if type(cause).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning") or _encrypted(data):
            raise error("ENCRYPTED.PDF", name=name, path=name or None) from exc
        raise error("UNREADABLE.PDF_CORRUPT", name=name, reason=_why(cause), path=name or None) from exc


def _encrypted(data: bytes) -> bool:
    return re.search(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)", data[-65536:]) is not None


def _why(exc: BaseException) -> str:
    """A short technical hint of what pdfminer met (English, as the library says it), one line."""
    from .isolate import one_line

    cause = exc.args[0] if isinstance(exc, Exception) and exc.args and isinstance(exc.args[0], BaseException) else exc
    text = str(cause)
    return one_line(f"{type(cause).__name__}: {text}" if text else type(cause).__name__, 60)


def _refusal(exc: BaseException) -> UnreadableWorkbook | None:
    """The limit or refusal hidden in a chain of wrapped exceptions (pdfplumber wraps pdfminer's)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, _Refused):
            return exc.error
        if isinstance(exc, RecursionError):
            return None
        nested = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc.__cause__ or exc.__context__
        exc, seen = nested, seen + 1
    return None


def _pages(pdf: "pdfplumber.PDF", name: str) -> list:
    """The pages of the page tree, counted before any is laid out (a file of 250,000 one-line
    pages is refused in milliseconds); each page's boxes made sane."""
    doc = pdf.doc
    try:
        catalog = doc.catalog
        tree = resolve1(catalog.get("Pages")) if isinstance(catalog, dict) else None
        declared = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
    except Exception as exc:  # noqa: BLE001
        raise _broken_tree(name, exc) from exc
    if not isinstance(tree, dict):
        raise error("UNREADABLE.PDF_NO_PAGES", name=name, path=name or None)
    if isinstance(declared, int) and declared > MAX_DOCUMENT_PAGES:
        raise _too_many(name, declared)
    pages = []
    try:
        for page in _SanePage.create_pages(doc):
            pages.append(page)
            if len(pages) > MAX_DOCUMENT_PAGES:
                raise _too_many(name, None)
    except LimitExceeded:
        raise
    except Exception as exc:  # noqa: BLE001
        raise _broken_tree(name, exc) from exc
    if not pages:
        raise error("UNREADABLE.PDF_EMPTY_PAGES", name=name, path=name or None)
    for page in pages:
        _sane_boxes(page)
    return pages


class _SanePage(PDFPage):
    """pdfminer's page, whose boxes are never an exception: a box that is no box is A4 (MediaBox)
    or the MediaBox (CropBox), as :func:`_sane_boxes` then makes the attributes say too; a /Rotate
    that is no number is 0."""

    def __init__(self, doc, pageid, attrs, label) -> None:
        attrs = resolve1(attrs)
        if isinstance(attrs, dict):
            attrs = dict(attrs)
            try:
                rotate = resolve1(attrs.get("Rotate", 0))
            except Exception:  # noqa: BLE001
                rotate = 0
            if not (isinstance(rotate, int) and not isinstance(rotate, bool) and rotate % 90 == 0 and abs(rotate) < 3600):
                attrs["Rotate"] = 0
        super().__init__(doc, pageid, attrs, label)

    def _parse_mediabox(self, value):
        return tuple(_box(value) or _A4)

    def _parse_cropbox(self, value, mediabox):
        box = _box(value)
        return tuple(box) if box else mediabox


def _too_many(name: str, count: int | None) -> LimitExceeded:
    if count is None:
        return error("LIMIT_EXCEEDED.PDF_PAGE_TREE", name=name, limit=MAX_DOCUMENT_PAGES, path=name or None)
    return error("LIMIT_EXCEEDED.PDF_PAGES", name=name, count=count, limit=MAX_DOCUMENT_PAGES, path=name or None)


def _broken_tree(name: str, exc: BaseException) -> UnreadableWorkbook:
    what = "对象循环引用" if isinstance(exc, RecursionError) else _why(exc)
    return error("UNREADABLE.PDF_CORRUPT_PAGES", name=name, what=what, path=name or None)


def _box(value: object) -> list[float] | None:
    try:
        box = [resolve1(v) for v in resolve1(value)]
    except Exception:  # noqa: BLE001 - a name, a number, a loop: no box
        return None
    if len(box) != 4 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in box):
        return None
    if not all(math.isfinite(v) and abs(v) <= _LARGEST_BOX for v in box):
        return None
    x0, y0, x1, y1 = min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])
    return [x0, y0, x1, y1] if x1 - x0 >= 1 and y1 - y0 >= 1 else None


def _sane_boxes(page) -> None:
    """A page without a usable MediaBox (missing, two numbers, a name, NaN, 1e308, ±1e9) is read
    on an A4 page: the text is still there.  The other boxes are dropped when unusable; /UserUnit
    and a /Rotate that is no multiple of 90 are ignored (they change how a page shows, not what it says)."""
    attrs = page.attrs
    media = _box(attrs.get("MediaBox")) or _A4
    attrs["MediaBox"] = media
    page.mediabox = media
    for key in _BOXES[1:]:
        if key in attrs and _box(attrs[key]) is None:
            del attrs[key]
    attrs.pop("UserUnit", None)
    try:
        rotate = resolve1(attrs.get("Rotate", 0))
    except Exception:  # noqa: BLE001
        rotate = 0
    attrs["Rotate"] = rotate if isinstance(rotate, int) and not isinstance(rotate, bool) and rotate % 90 == 0 and abs(rotate) < 3600 else 0
    page.rotate = attrs["Rotate"] % 360


def _check_streams(page, name: str, number: int) -> None:
    """Refuse a page whose content streams (and the forms they draw) inflate past
    MAX_DOCUMENT_PART_BYTES — inflated here with a running count, before pdfminer inflates them
    whole — or refer to themselves."""
    seen: set[int] = set()
    todo: list[tuple[object, bool]] = [(page.attrs.get("Contents"), True)]  # (object, part of /Contents)
    resources = page.resources if isinstance(page.resources, dict) else {}
    try:
        xobjects = resolve1(resources.get("XObject"))
        if isinstance(xobjects, dict):
            todo.extend((xobject, False) for xobject in xobjects.values())
    except Exception:  # noqa: BLE001 - a broken resource dictionary: pdfminer will say so
        pass
    total = 0
    visited = 0
    while todo and visited < 10_000:
        item, contents = todo.pop()
        visited += 1
        if isinstance(item, PDFObjRef):
            if item.objid in seen:  # drawn twice, or an array that holds itself: measured once
                continue
            seen.add(item.objid)
            try:
                item = item.resolve()
            except Exception:  # noqa: BLE001 - pdfminer will say what is wrong with it
                continue
        if isinstance(item, list):
            todo.extend((element, contents) for element in item)
        elif isinstance(item, PDFStream):
            total += _inflated_size(item, MAX_DOCUMENT_PART_BYTES - total + 1)
            if total > MAX_DOCUMENT_PART_BYTES:
                raise error("LIMIT_EXCEEDED.PDF_CONTENT_SIZE", name=name, number=number, limit_mb=MAX_DOCUMENT_PART_BYTES // 1024 // 1024, path=name or None)
        elif isinstance(item, dict) and contents:
            raise _cycle(name, number)  # /Contents must be streams: a dictionary there is the page itself (or worse)


def _cycle(name: str, number: int) -> UnreadableWorkbook:
    return error("UNREADABLE.PDF_CONTENT_CYCLE", name=name, number=number, path=name or None)


def _inflated_size(stream: PDFStream, limit: int) -> int:
    """How many bytes the stream inflates to, counting no further than ``limit``."""
    try:
        raw = stream.rawdata if stream.rawdata is not None else stream.data
        filters = stream.get_filters()
    except Exception:  # noqa: BLE001
        return 0
    if raw is None:
        return 0
    names = [getattr(f, "name", f) for f, _ in filters]
    if not names or names[0] not in ("FlateDecode", "Fl"):
        return len(raw)
    inflater = zlib.decompressobj()
    size = 0
    try:
        size = len(inflater.decompress(raw, limit))
        while inflater.unconsumed_tail and size < limit:
            size += len(inflater.decompress(inflater.unconsumed_tail, limit - size))
    except zlib.error:
        return size
    return size


class _CountingDevice(PDFPageAggregatorWithMarkedContent):
    """pdfplumber's layout device, counting as the interpreter draws: a page past
    MAX_PAGE_CHARACTERS or MAX_PAGE_OBJECTS is stopped there, not after it is laid out."""

    def __init__(self, *args, file_name: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.file_name = file_name
        self.characters = 0
        self.objects = 0

    def render_char(self, *args, **kwargs):
        self.characters += 1
        if self.characters > MAX_PAGE_CHARACTERS:
            raise _Refused(error("LIMIT_EXCEEDED.PDF_PAGE_CHARACTERS", name=self.file_name, number=self.pageno, limit=MAX_PAGE_CHARACTERS, path=self.file_name or None))
        return super().render_char(*args, **kwargs)

    def _drawn(self) -> None:
        self.objects += 1
        if self.objects > MAX_PAGE_OBJECTS:
            raise _Refused(error("LIMIT_EXCEEDED.PDF_PAGE_OBJECTS", name=self.file_name, number=self.pageno, limit=MAX_PAGE_OBJECTS, path=self.file_name or None))

    def paint_path(self, *args, **kwargs):
        self._drawn()
        return super().paint_path(*args, **kwargs)

    def render_image(self, *args, **kwargs):
        self._drawn()
        return super().render_image(*args, **kwargs)


class _BoundedPage(Page):
    """A pdfplumber page laid out by :class:`_CountingDevice`."""

    def __init__(self, pdf, page_obj, number: int, doctop: float, file_name: str) -> None:
        super().__init__(pdf, page_obj, page_number=number, initial_doctop=doctop)
        self.file_name = file_name

    @property
    def layout(self):
        if hasattr(self, "_layout"):
            return self._layout
        device = _CountingDevice(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams, file_name=self.file_name)
        interpreter = PDFPageInterpreter(self.pdf.rsrcmgr, device)
        try:
            interpreter.process_page(self.page_obj)
        except _Refused as refused:
            raise refused.error from None
        self._layout = device.get_result()
        return self._layout


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
