"""Every sheet of a workbook as plain cell values at their true coordinates.

Nothing here knows the form.  python-calamine reads xlsx/xlsm/xls/ods from the bytes
(``from_filelike`` sniffs the content, so a misnamed file still opens) far faster than openpyxl;
published reports — web pages (also an HTML table saved as .xls), Word, PDF, plain text — are
made into the same sheets by their own producers (:mod:`producers`).  Cells keep their raw value
(number, text, bool, date, error string) so that the reader can say exactly what it saw.

calamine allocates a sheet's whole used range (and, for .xls, whatever the DIMENSIONS record
claims) at once; one stray cell at XFD1048576 makes it ask for hundreds of GB and abort the
process.  So before calamine sees a file, :func:`check_extents` learns where each sheet's cells
are from the file itself — xlsx: the ``r`` of every ``<c>`` in the sheet XML, inflated in
chunks; ods: rows and cells with their ``number-*-repeated``; xls: the cell records of the
Workbook stream — and refuses anything past the limits of :mod:`sniff`.  The ``<dimension>`` of
an xlsx is not trusted: it can lie either way.  (.xlsb is refused by sniff: its binary sheets cannot be measured first.)
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import not_
from typing import Collection, Iterator

from ..errors import LimitExceeded, UnreadableWorkbook, error, file_label
from ..excel import BIFF_ERRORS, ERROR_BYTES, ERROR_TEXT
from ..excel import column_letters
from .sheet import Sheet, Unread, Workbook
from .sniff import (
    MAX_CELLS_PER_SHEET,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEETS,
    MAX_XML_TOKEN_BYTES,
    OLE_ERRORS,
    ZIP_ERRORS,
    Sniffed,
    ZipContainer,
    inflate_chunks,
    inflate_whole,
    ole_stream,
    refuse_dtd_in,
)

def spreadsheet_workbook(data: bytes, kind: Sniffed, name: str = "", container: ZipContainer | None = None,
                         *, unread: Unread | None = None) -> Workbook:
    """Read every worksheet of a workbook (xlsx/xlsm/xls/ods) into a :class:`Workbook`.

    ``unread`` lets a caller that recognises a workbook by its defined names (xlsx/xlsm only)
    leave out sheets it knows hold nothing for it — the reader skips the instructions and checks
    sheets of workbooks written by ``writing.workbook``.  Skipped sheets are still measured against the
    limits; they are only not loaded, and are named in ``Workbook.unread``.
    """
    names: dict[str, str] = {}
    if container is not None and kind.kind in ("xlsx", "xlsm"):
        names = dict(_defined_names(container, name))
    skip: frozenset[str] = frozenset(unread(frozenset(names))) if unread is not None and names else frozenset()
    errors = check_extents(data, kind, name, container=container, unread=skip)
    sheets, skipped = _calamine_sheets(data, name, skip)
    return Workbook(sheets, kind, skipped, error_cells=errors, names=names)


_DEFINED_NAME = re.compile(rb"""<(?:[\w.\-]+:)?definedName\s[^>]*?(?<![\w.\-])name\s*=\s*["']([^"']*)["'][^>]*>([^<]*)""")


def _defined_names(container: ZipContainer, name: str) -> tuple[tuple[str, str], ...]:
    """The names defined in an xlsx workbook part (``xlsreport_form`` …) with what each refers
    to (``'明细'!$A$2:$D$7``), unescaped."""
    member = "xl/workbook.xml"
    if member not in container.names:
        return ()
    book = container.inflated.get(member)
    if book is None:
        book = b"".join(_xml_blocks(container.archive, container.archive.getinfo(member), name))
    return _names_defined(book) if len(book) <= _TARGETS_MEMO_BYTES else _names_defined.__wrapped__(book)


@lru_cache(maxsize=16)
def _names_defined(book: bytes) -> tuple[tuple[str, str], ...]:
    from html import unescape

    return tuple(
        (unescape(found.decode("utf-8", "replace")), unescape(ref.decode("utf-8", "replace")).strip())
        for found, ref in _DEFINED_NAME.findall(book)
    )


def _calamine_sheets(data: bytes, name: str, skip: frozenset[str] = frozenset()) -> tuple[list[Sheet], tuple[str, ...]]:
    from python_calamine import CalamineWorkbook  # imported here: only the reader needs it

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata
    except BaseException as exc:  # calamine raises its own error types for every broken file
        if not _calamine_failure(exc):
            raise
        raise _calamine_error(exc, name) from exc
    worksheets = [m.name for m in metadata if "WorkSheet" in str(m.typ)]
    if len(worksheets) > MAX_SHEETS:
        raise error("LIMIT_EXCEEDED.SHEETS", name=name, sheets=len(worksheets), limit=MAX_SHEETS, path=name or None)
    sheets: list[Sheet] = []
    skipped: list[str] = []
    for index, sheet_name in enumerate(worksheets):
        if sheet_name in skip:
            skipped.append(sheet_name)
            continue
        try:
            raw = book.get_sheet_by_name(sheet_name)
        except BaseException as exc:
            if not _calamine_failure(exc):
                raise
            raise _calamine_error(exc, name) from exc
        if raw.height * raw.width > MAX_CELLS_PER_SHEET:
            raise error(
                "LIMIT_EXCEEDED.SHEET_CELLS", name=name, sheet_name=sheet_name, rows=raw.height, columns=raw.width,
                limit=MAX_CELLS_PER_SHEET,
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
    return sheets, tuple(skipped)


def _calamine_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is calamine failing on a broken file: its own error types, or pyo3's
    PanicException for a Rust panic — a BaseException (``except Exception`` misses it), whose
    class exists only once a panic happened.  Seen on a damaged .xls whose compound-file
    directory olefile accepts ("range end index 120 out of range for slice of length 119")."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def _calamine_error(exc: BaseException, name: str) -> UnreadableWorkbook:
    text = str(exc)
    if re.search(r"passw|encrypt|FilePass", text, re.IGNORECASE):
        return error("ENCRYPTED.PASSWORD", file=file_label(name), path=name or None)
    return error("UNREADABLE.CALAMINE", name=name, detail=text[:200], path=name or None)


# ---------------------------------------------------------------------------------------------
# extents: where the cells are, learnt from the file before calamine allocates anything
# ---------------------------------------------------------------------------------------------

BIFF8_ROWS = 65_536
BIFF8_COLUMNS = 256
_CHUNK = 1024 * 1024


@dataclass
class _Extent:
    """The bottom-right corner of one sheet's cells with a value (0-based) and how many there are."""

    where: str  # for messages: a sheet name, or how to find the sheet
    max_row: int = -1
    max_col: int = -1
    cells: int = 0

    def add(self, row: int, col: int, count: int = 1) -> None:
        if row > self.max_row:
            self.max_row = row
        if col > self.max_col:
            self.max_col = col
        self.cells += count


def check_extents(
    data: bytes, kind: Sniffed, name: str = "", *, container: ZipContainer | None = None, unread: Collection[str] = ()
) -> dict[str, dict[tuple[int, int], str]] | None:
    """Refuse (LimitExceeded) a workbook a sheet of which reaches past the grid or holds more than
    MAX_CELLS_PER_SHEET cells, counted as (last row + 1) × (last column + 1) — before calamine
    tries to allocate it.  Broken containers raise UnreadableWorkbook.  Costs a regex pass over
    each sheet (well under a millisecond for a form workbook).  ``container`` (from
    :func:`sniff.sniff_container`) saves opening the zip again and inflating what sniff inflated.
    ``unread``: xlsx worksheets (by name) that will not be loaded; a member that only they use is
    not measured, since calamine never reads it (any doubt about which member a sheet uses, and
    everything is measured).

    Returns, for xlsx/xlsm, the error cells (``t="e"``) of each sheet that will be loaded, looked
    for in the same bytes and only in blocks that contain ``t="e"`` (see :func:`restore_errors`)."""
    if kind.kind in ("xlsx", "xlsm"):
        return _xlsx_extents(data, name, container, frozenset(unread))
    if kind.kind == "ods":
        _ods_extents(data, name, container)
    elif kind.kind == "xls":
        _xls_extents(data, name)


def _refuse(
    extent: _Extent, name: str, *, rows: int = MAX_ROWS, columns: int = MAX_COLUMNS, grid: str = "Excel", area: bool = True
) -> None:
    """Raise if ``extent`` is past the grid (``rows`` × ``columns``) or (``area``) the cell limit."""
    if extent.max_row < 0:
        return
    at = f"第 {extent.max_row + 1} 行、第 {extent.max_col + 1} 列"
    if extent.max_row >= rows or extent.max_col >= columns:
        raise error(
            "LIMIT_EXCEEDED.CELL_OUTSIDE_GRID", name=name, where=extent.where, at=at, grid=grid, rows=rows,
            columns=columns,
            path=name or None,
        )
    if not area:
        return
    if (extent.max_row + 1) * (extent.max_col + 1) > MAX_CELLS_PER_SHEET or extent.cells > MAX_CELLS_PER_SHEET:
        corner = f"{column_letters(extent.max_col)}{extent.max_row + 1}"
        raise error(
            "LIMIT_EXCEEDED.SHEET_EXTENT", name=name, where=extent.where, corner=corner, at=at,
            rows=extent.max_row + 1, columns=extent.max_col + 1, limit=MAX_CELLS_PER_SHEET,
            path=name or None,
        )


def _xml_blocks(archive, info, name: str, whole: bytes | None = None) -> Iterator[bytes]:
    """The inflated member in blocks that end just before a ``<``, so that no tag is cut in two;
    the first block has been checked for a DTD.  A token longer than MAX_XML_TOKEN_BYTES is refused.
    ``whole``: the member already inflated (by sniff), at most one chunk long."""
    if whole is not None and len(whole) <= _CHUNK:
        refuse_dtd_in(whole, iter(()), info.filename, name)
        if whole:
            yield whole
        return
    chunks = inflate_chunks(archive, info, name, _CHUNK)
    carry = next(chunks, b"")
    pulled: list[bytes] = []

    def more() -> Iterator[bytes]:
        for chunk in chunks:
            pulled.append(chunk)
            yield chunk

    refuse_dtd_in(carry, more(), info.filename, name)
    carry += b"".join(pulled)  # what the prolog check read is still to be scanned
    for chunk in chunks:
        buffer = carry + chunk
        cut = buffer.rfind(b"<")
        if cut <= 0:
            if len(buffer) > MAX_XML_TOKEN_BYTES:
                raise error(
                    "UNREADABLE.LONG_TOKEN", name=name, member=info.filename,
                    limit_mb=MAX_XML_TOKEN_BYTES // 1024 // 1024,
                    path=name or None,
                )
            carry = buffer
            continue
        yield buffer[:cut]
        carry = buffer[cut:]
    if carry:
        yield carry


# xlsx: the common case (every <c> written as Excel, WPS, LibreOffice and xlsxwriter write it:
# r first, then only s/t/cm/vm/ph) is measured with C-level passes (a few hundred microseconds
# for a form workbook); anything else goes through a tag-by-tag walk that follows calamine (a
# cell without r comes after the previous one, in the row of the last <row>).
_CELL_ANY = re.compile(rb'<c(?: r="([A-Z]{1,3})(\d{1,7})"(?: (?:s|t|cm|vm|ph)="[^"<>/:]*")*(/?)>|([\s/>]))')
_PREFIXED_CELL = re.compile(rb":c[\s/>]")
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(c|row)(?=[\s/>])((?:\s+[^\s=>/]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
_R_ATTR = re.compile(rb"""(?<![\w.\-])(?:[\w.\-]+:)?r\s*=\s*["']\$?([A-Za-z]*)\$?(\d*)""")


def _col_number(letters: bytes) -> int:
    """0-based column of ``letters`` (b"A" → 0), capped past the grid so absurd refs stay cheap."""
    if len(letters) > 3:
        return MAX_COLUMNS
    col = 0
    for ch in letters.upper():
        col = col * 26 + ch - 64
    return col - 1


# A sheet every cell tag of which is a plain one (as _CELL_ANY's first branch) inside A1:Z999 and
# not of type "e" cannot pass any limit and holds no error value: nothing to measure, nothing to
# restore.  One search for a tag that is anything else — no group, no list, no tuple per cell —
# where measuring builds four values per cell and the error scan looks again (issue #10).
_SMALL_GRID = "A1:Z999"
_SMALL_GRID_CELLS = 26 * 999
_NOT_IN_SMALL_GRID = re.compile(
    rb'<c(?=[\s/>])(?! r="[A-Z]\d{1,3}"(?: (?:s|cm|vm|ph)="[^"<>/:]*"| t="(?!e")[^"<>/:]*")*/?>)'
)
assert _SMALL_GRID_CELLS <= MAX_CELLS_PER_SHEET


def _xlsx_small(block: bytes) -> bool:
    """True if every cell tag in ``block`` is a plain one inside :data:`_SMALL_GRID`, none of type
    ``e`` (a form's sheets, filled in); False sends the block to the error scan and to
    :func:`_xlsx_fast`, which measures."""
    return _NOT_IN_SMALL_GRID.search(block) is None and _PREFIXED_CELL.search(block) is None


def _xlsx_fast(block: bytes, extent: _Extent) -> bool:
    """Measure ``block`` if every cell tag in it is a plain one; False (nothing measured) if not.

    One regex pass finds every ``<c`` tag: a plain one (``r`` first, then only s/t/cm/vm/ph with
    values free of ``"<>/:``, single spaces, as office programs write them) yields its column
    letters, row digits and closing slash; any other yields its fourth group, and the block goes
    to the walk.  The rest runs in C (zip, compress, set, max) — no Python step per cell."""
    found = _CELL_ANY.findall(block)
    if _PREFIXED_CELL.search(block):
        return False
    if not found:
        return True
    letters, digits, closed, odd = zip(*found)
    if any(odd):
        return False
    if any(closed):  # formatted empty cells (<c r="B1" s="1"/>) hold nothing and take no room
        keep = list(map(not_, closed))
        digits = tuple(compress(digits, keep))
        letters = tuple(compress(letters, keep))
    if digits:
        widest = max(set(letters), key=lambda text: (len(text), text))
        extent.add(max(map(int, set(digits))) - 1, _col_number(widest), len(digits))
    return True


class _XlsxWalk:
    """Tag by tag, for sheets the fast path cannot vouch for (and for sheets over one chunk)."""

    def __init__(self) -> None:
        self.row = -1
        self.col = -1

    def feed(self, block: bytes, extent: _Extent) -> None:
        for kind, attrs, closed in _TAG.findall(block):
            refs = _R_ATTR.findall(attrs)
            if kind == b"row":
                digits = refs[-1][1] if refs else b""
                self.row = (int(digits) if len(digits) < 9 else MAX_ROWS + 1) - 1 if digits else self.row + 1
                self.col = -1
                continue
            spots = [(int(d) - 1 if len(d) < 9 else MAX_ROWS, _col_number(l)) for l, d in refs if l and d]
            if spots:
                self.col = spots[-1][1]
            else:
                self.col += 1
                spots = [(self.row, self.col)]
            if not closed:
                for row, col in spots:  # every r the tag carries: more than one is hostile, take the worst
                    extent.add(row, col)


_SHEET_RID = re.compile(rb"""<(?:[\w.\-]+:)?sheet\s[^>]*?(?<![\w.\-])(?:[\w.\-]+:)?id\s*=\s*["']([^"']*)["']""")
_RELATIONSHIP = re.compile(rb"<(?:[\w.\-]+:)?Relationship\s[^>]*>")
_REL_ID = re.compile(rb"""(?<![\w.\-])Id\s*=\s*["']([^"']*)["']""")
_REL_TARGET = re.compile(rb"""(?<![\w.\-])Target\s*=\s*["']([^"']*)["']""")


def _xlsx_sheet_members(
    archive,
    names: set[str],
    name: str,
    inflated: dict[str, bytes] | None = None,
    unread: frozenset[str] = frozenset(),
    sheets_of: dict[str, list[str]] | None = None,
) -> list[str]:
    """Members calamine may read as worksheets: the targets of the relationships the workbook's
    <sheet> elements name (as calamine resolves them, and normalised), and xl/worksheets/* —
    less the members only ``unread`` sheets use (see :func:`_unread_members`).  ``sheets_of``
    is filled with member → names of the loaded sheets whose relationship targets it (the
    target as calamine resolves it), for the error cells."""
    inflated = inflated or {}
    found = {n for n in names if n.startswith("xl/worksheets/") and not n.endswith(".rels") and not n.endswith("/")}
    rels = "xl/_rels/workbook.xml.rels"
    if rels in names:
        book_member = "xl/workbook.xml"
        book = b"".join(_xml_blocks(archive, archive.getinfo(book_member), name, inflated.get(book_member)))
        text = b"".join(_xml_blocks(archive, archive.getinfo(rels), name, inflated.get(rels)))
        frozen_names = frozenset(names)
        if len(book) + len(text) <= _TARGETS_MEMO_BYTES:
            targets, skipped, mapped = _sheet_targets(book, text, frozen_names, unread)
        else:
            targets, skipped, mapped = _sheet_targets.__wrapped__(book, text, frozen_names, unread)
        found = (found | targets) - skipped
        if sheets_of is not None:
            for member, sheet_names in mapped:
                sheets_of.setdefault(member, []).extend(sheet_names)
    found.discard("xl/workbook.xml")
    return sorted(found)


# Workbooks written from one template have the same workbook part and relationships, so what
# they say is worked out once (a pure function of the bytes; only small parts are remembered).
_TARGETS_MEMO_BYTES = 64 * 1024


@lru_cache(maxsize=16)
def _sheet_targets(
    book: bytes, rels: bytes, names: frozenset[str], unread: frozenset[str]
) -> tuple[frozenset[str], frozenset[str], tuple[tuple[str, tuple[str, ...]], ...]]:
    """From the workbook part and its relationships: the members the <sheet> elements lead to,
    the members only ``unread`` sheets use, and member → names of the loaded sheets."""
    import posixpath

    ids = set(_SHEET_RID.findall(book))
    found: set[str] = set()
    by_rid: dict[bytes, set[str]] = {}
    for relationship in _RELATIONSHIP.findall(rels):
        rid, target = _REL_ID.search(relationship), _REL_TARGET.search(relationship)
        if not rid or not target or rid.group(1) not in ids:
            continue
        path = target.group(1).decode("utf-8", "replace")
        for candidate in (path.lstrip("/"), "xl/" + path, posixpath.normpath("xl/" + path), posixpath.normpath(path.lstrip("/"))):
            if candidate in names:
                found.add(candidate)
                by_rid.setdefault(rid.group(1), set()).add(candidate)
    skipped = _unread_members(book, by_rid, unread) if unread else set()
    sheets_of: dict[str, list[str]] = {}
    _map_sheets(book, rels, unread, sheets_of)
    return frozenset(found), frozenset(skipped), tuple((member, tuple(n)) for member, n in sheets_of.items())


def _map_sheets(book: bytes, rels: bytes, unread: frozenset[str], sheets_of: dict[str, list[str]]) -> None:
    """member → loaded sheet names, each sheet's member taken from its relationship's Target."""
    from html import unescape

    targets: dict[bytes, str] = {}
    for relationship in _RELATIONSHIP.findall(rels):
        rid, target = _REL_ID.search(relationship), _REL_TARGET.search(relationship)
        if rid and target:
            path = unescape(target.group(1).decode("utf-8", "replace"))
            targets.setdefault(rid.group(1), path.lstrip("/") if path.startswith("/") else "xl/" + path)
    for element in _SHEET_ELEMENT.findall(book):
        sheet_names, rids = _SHEET_NAME_ATTR.findall(element), _ID_ATTR.findall(element)
        if not sheet_names or not rids:
            continue
        sheet_name = unescape(sheet_names[0].decode("utf-8", "replace"))
        member = targets.get(rids[-1])
        if member and sheet_name not in unread:
            sheets_of.setdefault(member, []).append(sheet_name)


_SHEET_ELEMENT = re.compile(rb"<(?:[\w.\-]+:)?sheet\s[^>]*>")
_SHEET_NAME_ATTR = re.compile(rb"""(?<![\w.\-])(?:[\w.\-]+:)?name\s*=\s*["']([^"']*)["']""")
_ID_ATTR = re.compile(rb"""(?<![\w.\-])(?:[\w.\-]+:)?id\s*=\s*["']([^"']*)["']""")


def _unread_members(book: bytes, by_rid: dict[bytes, set[str]], unread: frozenset[str]) -> set[str]:
    """Members that only sheets named in ``unread`` lead to.  Empty (measure everything) unless
    every <sheet> element has exactly one name and one relationship id, and every id leads to a
    member: then the sheets that are loaded are known to read none of the returned members."""
    from html import unescape

    skipped: set[str] = set()
    kept: set[str] = set()
    for element in _SHEET_ELEMENT.findall(book):
        sheet_names, rids = _SHEET_NAME_ATTR.findall(element), _ID_ATTR.findall(element)
        if len(sheet_names) != 1 or len(rids) != 1 or not by_rid.get(rids[0]):
            return set()
        sheet_name = unescape(sheet_names[0].decode("utf-8", "replace"))
        (skipped if sheet_name in unread else kept).update(by_rid[rids[0]])
    return skipped - kept


def _xlsx_sheet_name(archive, member: str) -> str:
    """「Sheet1」 for a worksheet member, for the message (only when refusing)."""
    try:
        book = archive.read("xl/workbook.xml").decode("utf-8", "replace")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - a message detail; the member name will do
        return f"工作表（{member}）"
    for rel in re.finditer(r"<Relationship\b[^>]*>", rels):
        target = re.search(r'Target="([^"]*)"', rel.group(0))
        rid = re.search(r'Id="([^"]*)"', rel.group(0))
        if target and rid and member.endswith(target.group(1).lstrip("/").removeprefix("xl/")):
            sheet = re.search(rf'<sheet\b[^>]*name="([^"]*)"[^>]*r:id="{re.escape(rid.group(1))}"', book)
            if sheet:
                from html import unescape

                return f"工作表「{unescape(sheet.group(1))}」"
    return f"工作表（{member}）"


def _open_zip(data: bytes, name: str, container: ZipContainer | None) -> ZipContainer:
    """The container sniff opened, or the zip opened again (when check_extents is called alone)."""
    if container is not None:
        return container
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except ZIP_ERRORS as exc:  # sniff opened it already; only a changed mind of zipfile gets here
        raise error("UNREADABLE.CORRUPT_ZIP_SHORT", name=name, path=name or None) from exc
    return ZipContainer(archive, names, {})


def _xlsx_extents(
    data: bytes, name: str, container: ZipContainer | None = None, unread: frozenset[str] = frozenset()
) -> dict[str, dict[tuple[int, int], str]]:
    opened = _open_zip(data, name, container)
    archive = opened.archive
    sheets_of: dict[str, list[str]] = {}
    errors: dict[str, dict[tuple[int, int], str]] = {}
    for member in _xlsx_sheet_members(archive, opened.names, name, opened.inflated, unread, sheets_of):
        info = archive.getinfo(member)
        extent = _Extent(member)
        walk: _XlsxWalk | None = None
        wanted = sheets_of.get(member)
        scan = _ErrorScan() if wanted else None
        whole = opened.inflated.get(member)
        if whole is None and info.file_size <= _CHUNK:
            whole = inflate_whole(data, info)  # the one inflation of this sheet before calamine's
        for block in _xml_blocks(archive, info, name, whole):
            single = walk is None and info.file_size <= _CHUNK  # the whole sheet is this one block
            if single and _xlsx_small(block):
                continue  # inside A1:Z999, no cell of type "e": nothing to measure, no error to find
            if scan is not None:
                scan.feed(block)
            if single and _xlsx_fast(block, extent):
                continue
            walk = walk or _XlsxWalk()
            walk.feed(block, extent)
            _refuse_named(extent, name, archive, member)
        _refuse_named(extent, name, archive, member)
        if scan is not None and scan.found:
            for sheet_name in wanted or ():
                errors.setdefault(sheet_name, {}).update(scan.found)
    return errors


def _refuse_named(extent: _Extent, name: str, archive, member: str) -> None:
    try:
        _refuse(extent, name)
    except LimitExceeded:
        extent.where = _xlsx_sheet_name(archive, member)
        _refuse(extent, name)
        raise


# ods: rows and cells with their repeat counts; only cells with a value (or content) take room —
# LibreOffice ends every sheet with a million repeated empty rows, which calamine does not expand.
_ODS_TAG = re.compile(
    rb"<(/?)(?:[A-Za-z_][\w.\-]*:)?(table|table-row|table-cell|covered-table-cell)(?=[\s/>])"
    rb"((?:\s+[^\s=>/]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>"
)
_ODS_REPEAT = re.compile(rb"""(?:[\w.\-]+:)?number-(rows|columns)-repeated\s*=\s*["']\s*(\d+)""")
_ODS_NAME = re.compile(rb"""(?<![\w.\-])(?:[\w.\-]+:)?name\s*=\s*"([^"]*)\"""")



def _ods_repeat(kind: bytes, attrs: bytes) -> int:
    """How many rows (for a row) or columns (for a cell) an ODS element stands for, bounded."""
    repeat = 1
    for axis, count in _ODS_REPEAT.findall(attrs):
        if (axis == b"rows") == (kind == b"table-row"):
            repeat = min(int(count), MAX_ROWS + MAX_COLUMNS) if len(count) < 10 else MAX_ROWS + MAX_COLUMNS
    return repeat


def _ods_step(frame: list, kind: bytes, repeat: int) -> int | None:
    """Move a table frame [.., next row, this row, its repeat, next column] past a row (None) or
    a cell (its column)."""
    if kind == b"table-row":
        frame[2], frame[3] = frame[1], repeat
        frame[1] += repeat
        frame[4] = 0
        return None
    col = frame[4]
    frame[4] += repeat
    return col

def _ods_extents(data: bytes, name: str, container: ZipContainer | None = None) -> None:
    from html import unescape

    try:
        archive = _open_zip(data, name, container).archive
        info = archive.getinfo("content.xml")
    except KeyError:
        return  # calamine will say the file is broken
    except ZIP_ERRORS as exc:
        raise error("UNREADABLE.CORRUPT_ZIP_SHORT", name=name, path=name or None) from exc
    # one frame per open <table:table> (a table may sit inside a cell): extent, next row, this
    # row's first index and repeat, next column
    stack: list[list] = []
    for block in _xml_blocks(archive, info, name):
        for end, kind, attrs, closed in _ODS_TAG.findall(block):
            if kind == b"table":
                if end:
                    if stack:
                        _refuse(stack.pop()[0], name)
                elif not closed:
                    label = _ODS_NAME.search(attrs)
                    where = f"工作表「{unescape(label.group(1).decode('utf-8', 'replace'))}」" if label else "工作表"
                    stack.append([_Extent(where), 0, 0, 1, 0])
                continue
            if end or not stack:
                continue
            frame = stack[-1]
            repeat = _ods_repeat(kind, attrs)
            col = _ods_step(frame, kind, repeat)
            if col is None:
                continue
            if not closed or b"value" in attrs:
                extent = frame[0]
                extent.add(frame[2] + frame[3] - 1, col + repeat - 1, frame[3] * repeat)
                _refuse(extent, name)
    for frame in stack:
        _refuse(frame[0], name)


# xls (BIFF8, and BIFF5's "Book"): the records that place a value, each starting with row and
# column (u16, u16); MULRK/MULBLANK end with their last column.  Blank cells (BLANK, MULBLANK)
# take no room in calamine's range but must still lie inside the grid.
_BIFF_VALUE = frozenset({0x0006, 0x0206, 0x0406, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E})
_BIFF_BLANK = frozenset({0x0201})
_BIFF_MULRK, _BIFF_MULBLANK, _BIFF_DIMENSIONS, _BIFF_BOF = 0x00BD, 0x00BE, 0x0200, 0x0809


def _xls_extents(data: bytes, name: str) -> None:
    streams = []
    for stream_name in ("Workbook", "Book"):
        try:
            stream = ole_stream(data, stream_name)
        except OLE_ERRORS as exc:
            raise error("UNREADABLE.CORRUPT_OLE_STREAM", name=name, stream_name=stream_name, path=name or None) from exc
        if stream is not None:
            streams.append(stream)
    for stream in streams:
        _biff_extents(stream, name)


def _biff_extents(stream: bytes, name: str) -> None:
    unpack = struct.unpack_from
    sheet = 0
    extent = _Extent("第 1 个工作表")
    beyond = _Extent("第 1 个工作表")  # blank cells: only the grid applies
    pos, end = 0, len(stream)
    while pos + 4 <= end:
        rtype, length = unpack("<HH", stream, pos)
        body = pos + 4
        pos = body + length
        if pos > end:
            break  # cut short: calamine will say so
        if rtype in _BIFF_VALUE and length >= 4:
            row, col = unpack("<HH", stream, body)
            extent.add(row, col)
        elif rtype == _BIFF_MULRK and length >= 6:
            row, first = unpack("<HH", stream, body)
            last = unpack("<H", stream, pos - 2)[0]
            extent.add(row, max(first, last), max(last - first + 1, 1))
        elif (rtype in _BIFF_BLANK and length >= 4) or (rtype == _BIFF_MULBLANK and length >= 6):
            row, col = unpack("<HH", stream, body)
            beyond.add(row, max(col, unpack("<H", stream, pos - 2)[0]) if rtype == _BIFF_MULBLANK else col, 0)
        elif rtype == _BIFF_DIMENSIONS and length >= 10:
            # calamine reserves this range up front: it must lie inside the BIFF8 grid
            if length >= 14:
                first_row, end_row, first_col, end_col = unpack("<IIHH", stream, body)
            else:
                first_row, end_row, first_col, end_col = unpack("<HHHH", stream, body)
            if first_row > end_row or first_col > end_col:  # never written; a reader would count backwards
                beyond.add(BIFF8_ROWS, BIFF8_COLUMNS, 0)
            elif end_row > BIFF8_ROWS or end_col > BIFF8_COLUMNS:
                beyond.add(end_row - 1, end_col - 1, 0)
        elif rtype == _BIFF_BOF:
            _refuse(extent, name, rows=BIFF8_ROWS, columns=BIFF8_COLUMNS, grid="Excel 97-2003（.xls）")
            _refuse(beyond, name, rows=BIFF8_ROWS, columns=BIFF8_COLUMNS, grid="Excel 97-2003（.xls）")
            where = f"第 {sheet} 个工作表" if sheet else "工作簿全局区"
            sheet += 1
            extent, beyond = _Extent(where), _Extent(where)
    _refuse(extent, name, rows=BIFF8_ROWS, columns=BIFF8_COLUMNS, grid="Excel 97-2003（.xls）")
    _refuse(beyond, name, rows=BIFF8_ROWS, columns=BIFF8_COLUMNS, grid="Excel 97-2003（.xls）")


# ---------------------------------------------------------------------------------------------
# error values (#REF!, #DIV/0!) — python-calamine returns them as "" (seen with 0.9.1 on xlsx,
# xls and ods), which would make a broken formula look like a blank cell.  Each format is read
# again, by a targeted scan, only when a caller asks (the reader: when a located value came back
# empty), and only cells calamine left empty are filled.
# ---------------------------------------------------------------------------------------------


def restore_errors(workbook: Workbook, data: bytes) -> None:
    """Put the error values (``#DIV/0!``, ``#N/A`` …) calamine dropped back into ``workbook``.

    xlsx/xlsm (from ``Workbook.error_cells``, found while the extents were measured: no second
    pass), xls (BIFF8) and ods; other kinds are left as they are.  Only cells missing from
    ``workbook`` are filled, so a value calamine did read is never replaced.  Never raises for a
    damaged file (calamine has read it already; a part that cannot be scanned is skipped).
    """
    kind = workbook.kind.kind
    if kind in ("xlsx", "xlsm"):
        found = workbook.error_cells
        if found is None:  # a Workbook not made by load(): measure (and so scan) it now
            try:
                found = check_extents(data, workbook.kind, "", unread=workbook.unread) or {}
            except UnreadableWorkbook:  # LimitExceeded included; load() would have refused it
                found = {}
        _fill_empty(workbook, found)
    elif kind == "xls":
        _restore_xls_errors(workbook, data)
    elif kind == "ods":
        _restore_ods_errors(workbook, data)


# xlsx: a cell of type "e" holds an error value, its text in <v> — visible in the raw XML, so it
# is looked for only in blocks that contain t="e" (a file without errors costs one find per block).
_ERROR_CELL = re.compile(rb'<c\b([^>]*\bt\s*=\s*["\']e["\'][^>]*)(?<!/)>(.*?)</c>', re.DOTALL)
_REF = re.compile(rb'\br\s*=\s*["\']\$?([A-Z]{1,3})\$?(\d{1,7})["\']')
_V = re.compile(rb"<v>([^<]*)</v>")
_CELL_OPEN = re.compile(rb"<c[\s>]")


class _ErrorScan:
    """The ``t="e"`` cells of one sheet's XML, fed block by block as the extents pass reads it.
    A cell cut between two blocks (only past the first chunk) is carried to the next one."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, int], str] = {}
        self._carry = b""

    def feed(self, block: bytes) -> None:
        text = self._carry + block if self._carry else block
        self._carry = b""
        if (b'"e"' not in text and b"'e'" not in text) or not _HAS_ERROR_TYPE.search(text):
            return  # the usual case: two literal finds, no regex
        end = 0
        for match in _ERROR_CELL.finditer(text):
            end = match.end()
            ref = _REF.search(match.group(1))
            value = _V.search(match.group(2))
            if ref and value:
                row, col = int(ref.group(2)) - 1, _col_number(ref.group(1))
                if row < MAX_ROWS and col < MAX_COLUMNS:
                    self.found[(row, col)] = unescape_xml(value.group(1))
        last = None
        for last in _CELL_OPEN.finditer(text, end):
            pass
        if last is not None and b"</c>" not in text[last.start():] and len(text) - last.start() <= MAX_XML_TOKEN_BYTES:
            if _HAS_ERROR_TYPE.search(text, last.start()):
                self._carry = text[last.start():]


_HAS_ERROR_TYPE = re.compile(rb"""\bt\s*=\s*["']e["']""")


def unescape_xml(raw: bytes) -> str:
    from html import unescape

    return unescape(raw.decode("utf-8", "replace"))


# xls: BOOLERR (a constant error) and FORMULA (a formula whose cached result is an error) records
# of each worksheet's substream, which its BOUNDSHEET record locates in the Workbook stream.
# Codes as in [MS-XLS] 2.5.10 BErr, shown as Excel shows them (and as an xlsx stores them).
_BIFF_FORMULA, _BIFF_BOOLERR, _BIFF_BOUNDSHEET, _BIFF_EOF = 0x0006, 0x0205, 0x0085, 0x000A


def _fill_empty(workbook: Workbook, found: dict[str, dict[tuple[int, int], str]]) -> None:
    """Put error texts found by a format's own scan into the cells calamine left empty."""
    by_name = {sheet.name: sheet for sheet in workbook.sheets}
    for sheet_name, errors in found.items():
        cells = by_name[sheet_name].cells
        for position, text in errors.items():
            cells.setdefault(position, text)


def _restore_xls_errors(workbook: Workbook, data: bytes) -> None:
    try:
        stream = ole_stream(data, "Workbook")
    except OLE_ERRORS:
        return
    if stream is None:  # BIFF5 ("Book") names its sheets in a code page: not worth guessing
        return
    _fill_empty(workbook, biff_error_cells(stream, frozenset(s.name for s in workbook.sheets)))


def biff_error_cells(stream: bytes, sheets: Collection[str]) -> dict[str, dict[tuple[int, int], str]]:
    """For each worksheet named in ``sheets``, the cells of a BIFF8 Workbook ``stream`` that hold
    an error value, as Excel shows it (``{(row, col): "#DIV/0!"}``, 0-based).

    Written for hostile input: every record is bounded by the stream, each sheet is scanned at
    most once (so at most len(sheets) passes), and an unknown error code is left out rather
    than guessed.  A truncated or nonsensical stream gives fewer cells, never an exception."""
    unpack = struct.unpack_from
    end = len(stream)
    offsets: dict[str, int] = {}
    pos = 0
    while pos + 4 <= end:  # the globals substream, up to its EOF
        rtype, length = unpack("<HH", stream, pos)
        body = pos + 4
        pos = body + length
        if pos > end or rtype == _BIFF_EOF:
            break
        if rtype != _BIFF_BOUNDSHEET or length < 8:
            continue
        offset, _state, sheet_type, chars, flags = unpack("<IBBBB", stream, body)
        if sheet_type != 0:  # 0 is a worksheet (or dialog sheet); charts and macros hold no values
            continue
        raw = stream[body + 8 : pos]
        name = raw[: 2 * chars].decode("utf-16-le", "replace") if flags & 1 else raw[:chars].decode("latin-1")
        if name in sheets and name not in offsets:
            offsets[name] = offset
    # Substreams do not overlap: each is scanned only up to where the next one starts, so all
    # scans together read the stream at most once, whatever the BOUNDSHEET records claim.
    starts = sorted(set(offsets.values()))
    limits = {start: min(following, end) for start, following in zip(starts, starts[1:] + [end])}
    found: dict[str, dict[tuple[int, int], str]] = {}
    for offset, limit in limits.items():
        errors: dict[tuple[int, int], str] = {}
        pos = offset
        if pos + 4 > limit or unpack("<H", stream, pos)[0] != _BIFF_BOF:
            continue
        while pos + 4 <= limit:
            rtype, length = unpack("<HH", stream, pos)
            body = pos + 4
            pos = body + length
            if pos > limit or rtype == _BIFF_EOF:
                break
            if rtype == _BIFF_BOOLERR and length >= 8:
                row, col, _xf, value, is_error = unpack("<HHHBB", stream, body)
                text = BIFF_ERRORS.get(value) if is_error == 1 else None
            elif rtype == _BIFF_FORMULA and length >= 14:
                row, col = unpack("<HH", stream, body)
                result = stream[body + 6 : body + 14]
                text = BIFF_ERRORS.get(result[2]) if result[6:8] == b"\xff\xff" and result[0] == 0x02 else None
            else:
                continue
            if text is not None:
                errors[(row, col)] = text
        if errors:
            for name, start in offsets.items():
                if start == offset:
                    found[name] = errors
    return found


# ods: a cell LibreOffice marks ``calcext:value-type="error"``, or whose shown text is an error
# value (other producers keep only the text), at its position after every repeat and covered cell.
_ODS_ERROR_TEXT = ERROR_TEXT
_ODS_ERROR_BYTES = ERROR_BYTES  # literal prefix: fast
_ODS_CELL_WINDOW = 8192
_ODS_ERROR_TYPE = re.compile(rb"""(?:[\w.\-]+:)?value-type\s*=\s*["']error["']""")
_XML_TAG = re.compile(rb"<[^>]*>")
_ODS_ANNOTATION = re.compile(rb"<(?:[\w.\-]+:)?annotation\b.*?</(?:[\w.\-]+:)?annotation>", re.DOTALL)


def _restore_ods_errors(workbook: Workbook, data: bytes) -> None:
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        content = b"".join(_xml_blocks(archive, archive.getinfo("content.xml"), ""))
    except Exception:  # noqa: BLE001 - calamine read it; a part that will not open is skipped
        return
    _fill_empty(workbook, ods_error_cells(content, frozenset(s.name for s in workbook.sheets)))


def ods_error_cells(content: bytes, sheets: Collection[str]) -> dict[str, dict[tuple[int, int], str]]:
    """For each sheet (``table:table``) named in ``sheets``, the cells of an ods ``content.xml``
    that hold an error value (``{(row, col): "#DIV/0!"}``, 0-based), positions counted as
    calamine counts them (``number-rows-repeated``/``number-columns-repeated``, covered cells).

    A file without any error costs one regex search.  Repeats are bounded by the extents
    :func:`check_extents` accepted; a table inside a cell is skipped, as calamine skips it."""
    from html import unescape

    if b'"error"' not in content and b"'error'" not in content and not _ODS_ERROR_BYTES.search(content):
        return {}
    found: dict[str, dict[tuple[int, int], str]] = {}
    # one frame per open table: its name (None when nested or not wanted), next row, this row's
    # first index and repeat, next column
    stack: list[list] = []
    for match in _ODS_TAG.finditer(content):
        end, kind, attrs, closed = match.groups()
        if kind == b"table":
            if end:
                if stack:
                    stack.pop()
            elif not closed:
                label = _ODS_NAME.search(attrs)
                name = unescape(label.group(1).decode("utf-8", "replace")) if label and not stack else None
                stack.append([name if name in sheets else None, 0, 0, 1, 0])
            continue
        if end or not stack or stack[-1][0] is None:
            continue
        frame = stack[-1]
        repeat = _ods_repeat(kind, attrs)
        col = _ods_step(frame, kind, repeat)
        if col is None:
            continue
        if closed:
            continue
        flagged = _ODS_ERROR_TYPE.search(attrs) is not None
        if not flagged and b"#" not in content[match.end() : match.end() + 200]:
            continue  # cheap: the shown text cannot be an error value
        # the cell's content, up to its end tag: looked for within a bounded window, so that a
        # file of unclosed cells cannot make this quadratic
        close = content.find(b"table-cell>", match.end(), match.end() + _ODS_CELL_WINDOW)
        inner = content[match.end() : content.rfind(b"<", match.end(), close)] if close >= 0 else b""
        if not inner or b"table-cell" in inner or b"table:table" in inner:
            continue
        shown = _ODS_ANNOTATION.sub(b"", inner)  # a comment is not what the cell shows
        text = unescape(_XML_TAG.sub(b"", shown).decode("utf-8", "replace")).strip()
        if not text or not (flagged or _ODS_ERROR_TEXT.fullmatch(text)):
            continue
        if frame[3] * repeat > MAX_CELLS_PER_SHEET:
            continue  # check_extents refuses this; never expand it here
        errors = found.setdefault(frame[0], {})
        for r in range(frame[2], frame[2] + frame[3]):
            for c in range(col, col + repeat):
                errors[(r, c)] = text
    return found
