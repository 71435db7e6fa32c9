"""What the bytes are — decided by content, never by the file name.

Clerks rename files freely (an .xlsx saved as .xls, a web page saved as .xls by an export
button, a Word document attached by mistake), so the extension tells us nothing we can trust.
Everything here is a cheap look at headers and directories: nothing is inflated or parsed in
full, so a hostile or broken file is refused before it costs memory or time.  The only bytes
inflated are the first few KB of each XML member (to refuse a DTD); the helpers
:func:`inflate_chunks` and :func:`ole_stream` let :mod:`spreadsheet` scan sheets in bounded memory.

The fixed limits below are the whole policy against oversized and "bomb" files.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Iterator, Literal

from ..errors import UnreadableWorkbook, error, file_label

# A filled form is a few tens of kilobytes; the largest real reports with pictures stay well
# under a few megabytes.  Anything past these limits is refused rather than read.
MAX_FILE_BYTES = 50 * 1024 * 1024
"""Largest file accepted, as stored on disk."""
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
"""Largest total uncompressed size of the members of a zip container (xlsx, ods), as declared
in its central directory — checked before anything is inflated."""
MAX_COMPRESSION_RATIO = 200
"""Largest uncompressed/compressed ratio of one zip member (spreadsheet XML compresses ~10–30×;
a bomb compresses ~1000×).  Applied to members larger than ``RATIO_MIN_BYTES`` only."""
RATIO_MIN_BYTES = 1024 * 1024
MAX_CELLS_PER_SHEET = 200_000
"""Largest used range (rows × columns) of one sheet that is read (the form has < 1000 cells)."""
MAX_SHEETS = 200
"""Most sheets in one workbook."""
MAX_ROWS = 1_048_576
"""Rows of Excel's grid (xlsx, ods): a cell below row 1 048 576 is refused.  For .xls the BIFF8
grid applies: 65 536 rows × 256 columns."""
MAX_COLUMNS = 16_384
"""Columns of Excel's grid (A … XFD): a cell right of column XFD is refused."""
MAX_PROLOG_BYTES = 64 * 1024
"""Longest stretch of an XML member before its root element (declaration, comments) that is
looked through for a DTD; real files have ~60 bytes.  Longer is refused."""
MAX_XML_TOKEN_BYTES = 1024 * 1024
"""Longest single tag or text run in a sheet's XML (Excel caps a cell at 32 767 characters).
Longer is refused: a sheet is scanned in chunks, and a token must fit in one."""

# Published reports (issue #12): the same fixed-limit policy, for documents.
MAX_DOCUMENT_PAGES = 200
"""Most pages of a PDF that is read (a report has 5–30)."""
MAX_DOCUMENT_TABLES = 200
"""Most tables in one document (a report has 5–8)."""
MAX_DOCUMENT_CELLS = MAX_CELLS_PER_SHEET
"""Most table cells of one document, merged cells counted by the area they span."""
MAX_SPAN = 1000
"""Largest rowspan/colspan (HTML) or gridSpan (Word) honoured; larger is taken as this."""
MAX_NESTING_DEPTH = 200
"""Deepest nesting of elements (HTML, Word XML) or tables in tables that is read."""
MAX_DOCX_MEMBERS = 2000
"""Most members of a .docx zip (a report has ~20; pictures add one each)."""
MAX_PDF_SECONDS = 20.0
"""Longest time spent reading one PDF (a 6-page report takes well under a second), checked
between pages — the in-process bound where the worker's deadline cannot be had."""
MAX_DOCUMENT_SECONDS = MAX_PDF_SECONDS
"""Wall-clock deadline of the worker process that parses one published document (any format);
past it the worker is killed (:mod:`isolate`)."""
MAX_DOCUMENT_MEMORY = 1024 * 1024 * 1024
"""Address space the worker parsing one published document may add to what it started with
(``RLIMIT_AS``; where the system has none, the deadline and the limits below still hold)."""
MAX_NUMBER_DIGITS = 15
"""Most digits before the decimal point of a number printed as text (a document's numbers, a
workbook's text cells).  A count of 16 digits is no count (float keeps 15 exactly); such a value
is VALUE.INVALID with its text as printed, never 1e30 or Infinity."""
MAX_TEXT_LINES = 200_000
"""Most lines of a plain-text report that are read."""
MAX_TEXT_LINE_CHARS = 100_000
"""Longest line of a plain-text report (a report's longest paragraph has a few thousand)."""
MAX_DOCUMENT_GRID = MAX_DOCUMENT_CELLS
"""Largest grid of one document table — rows (empty ones too) × its widest row (spans and
``gridBefore`` included) — counted before the grid is built."""
MAX_DOCUMENT_PART_BYTES = 16 * 1024 * 1024
"""Largest part that is handed to a parser whole: a Word document's ``word/document.xml``
(inflated with a running count, whatever the zip directory claims), a PDF content stream after
decompression (a published report's are well under 5 MB)."""
MAX_PAGE_CHARACTERS = 30_000
"""Most characters on one PDF page (a dense A4 page of text has ~3000), counted as the page is laid out."""
MAX_PAGE_OBJECTS = 10_000
"""Most graphic objects (lines, rectangles, curves, images) on one PDF page (a page of ruled
tables has a few hundred)."""

Kind = Literal["xlsx", "xlsm", "xlsb", "xls", "ods", "html", "docx", "pdf", "text"]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"

READABLE = "Excel、WPS、OpenDocument 表格（.xlsx、.xls、.ods）和 Word（.docx）、网页（.html）、PDF、纯文本（.txt）格式的年度报告"
"""Every format the tool reads, as a clerk is told when a file is none of them."""

# Everything zipfile and zlib raise on corrupt or unsupported data (zlib.error for an invalid
# deflate stream, NotImplementedError for an unknown compression method, RuntimeError for an
# encrypted member, BadZipFile for a bad CRC or header, EOFError/struct.error when cut short).
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
)
_XML_SUFFIXES = (".xml", ".rels", ".vml", ".rdf")
# What olefile raises on a broken or hostile compound file: OleFileError (an OSError) for the
# defects it names, and plain Python errors where a damaged structure trips it up.
OLE_ERRORS: tuple[type[BaseException], ...] = (OSError, ValueError, struct.error, IndexError, KeyError, TypeError, RecursionError)


@dataclass(frozen=True)
class Sniffed:
    """The kind of workbook the bytes hold, and a Chinese name for it (for messages)."""

    kind: Kind
    description: str


@dataclass
class ZipContainer:
    """A zip workbook as :func:`sniff_container` opened it, handed on so that :mod:`spreadsheet` neither
    parses the zip directory again nor inflates a small sheet twice (issue #6).

    ``inflated`` holds members that sniff read whole to look for a DTD (the workbook part with
    its relationships, each at most ``WHOLE_MEMBER_BYTES``, together at most ``WHOLE_TOTAL_BYTES``):
    their CRC has been checked and their prolog looked at.  Worksheets are inflated by :mod:`spreadsheet`,
    once, as it measures them (:func:`inflate_whole`).
    """

    archive: zipfile.ZipFile
    names: set[str]
    inflated: dict[str, bytes]


WHOLE_MEMBER_BYTES = 1024 * 1024
"""Largest member sniff inflates whole for :mod:`spreadsheet` (its own scanning chunk)."""
WHOLE_TOTAL_BYTES = 8 * 1024 * 1024
"""Most bytes sniff keeps inflated for :mod:`spreadsheet`; past this, members are inflated again later."""
_WHOLE_NAMES = frozenset({"xl/workbook.xml", "xl/_rels/workbook.xml.rels"})
_SHEETS_PREFIX = "xl/worksheets/"
_NEVER_PARSED = ("docProps/", "customXml/", "xl/theme/", "xl/charts/", "xl/drawings/", "xl/media/", "xl/printerSettings/")
"""xlsx parts no reader of ours hands to a parser (calamine reads the workbook part, its
relationships, the shared strings, the styles and the sheets it is asked for)."""


def _dtd_looked_at_elsewhere(member: str) -> bool:
    """An xlsx member whose DTD is not sniff's business: a worksheet is looked at by :mod:`spreadsheet` as it
    is read (``spreadsheet._xml_blocks``, the only pass that inflates it), so a sheet that is never loaded
    is never inflated; a part in :data:`_NEVER_PARSED` is parsed by nobody, so a DTD in it can
    change nothing that is read (issue #10: a third of sniff's time went to such members)."""
    return member.startswith(_NEVER_PARSED) or member.startswith(_SHEETS_PREFIX)


def sniff(data: bytes, name: str = "") -> Sniffed:
    """Say what ``data`` is, or raise a typed error that tells the clerk what it is and what to do.

    Readable kinds: xlsx/xlsm (zip with ``xl/workbook.xml``), xls (OLE2 with a Workbook
    stream), ods, and published reports: a web page (HTML, also one saved with an .xls name),
    a Word document (.docx), a PDF and plain text (read by their producers, :mod:`producers`).
    """
    return _sniff(data, name, keep=False)[0]


def sniff_container(data: bytes, name: str = "") -> tuple[Sniffed, ZipContainer | None]:
    """:func:`sniff`, and for a zip workbook the opened container, so that a reader that goes on
    to read the file (:func:`producers.load`) reuses what sniff already parsed and inflated.  Same
    checks, same errors, in the same order as :func:`sniff`."""
    return _sniff(data, name, keep=True)


def _sniff(data: bytes, name: str, *, keep: bool) -> tuple[Sniffed, ZipContainer | None]:
    size = len(data)
    if size == 0:
        raise error("UNREADABLE.EMPTY", file=_label(name), path=name or None)
    if size > MAX_FILE_BYTES:
        raise error(
            "LIMIT_EXCEEDED.FILE_SIZE", file=_label(name), size_mb=size / 1024 / 1024,
            limit_mb=MAX_FILE_BYTES // 1024 // 1024,
            path=name or None,
        )
    head = data[:8]
    if head[:4] in _ZIP_MAGIC:
        return _sniff_zip(data, name, keep)
    if head == _OLE_MAGIC:
        return _sniff_ole(data, name), None
    return _sniff_text(data, name), None


_label = file_label  # how a message names the file (errors.file_label)


# ---------------------------------------------------------------------------------------------
# zip containers: xlsx, xlsm, xlsb, ods — and docx, pptx, odt, plain zip archives
# ---------------------------------------------------------------------------------------------


def _sniff_zip(data: bytes, name: str, keep: bool) -> tuple[Sniffed, ZipContainer]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except ZIP_ERRORS as exc:
        raise error("UNREADABLE.CORRUPT_ZIP", file=_label(name), path=name or None) from exc
    # Sizes from the central directory: nothing has been inflated yet.
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise error(
            "LIMIT_EXCEEDED.UNCOMPRESSED", file=_label(name), size_mb=total / 1024 / 1024,
            limit_mb=MAX_UNCOMPRESSED_BYTES // 1024 // 1024,
            path=name or None,
        )
    for info in infos:
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise error(
                "LIMIT_EXCEEDED.COMPRESSION_RATIO", file=_label(name), member=info.filename, size=info.file_size,
                compressed=info.compress_size, limit=MAX_COMPRESSION_RATIO,
                path=name or None,
            )
    names = {info.filename for info in infos}
    container = ZipContainer(archive, names, {})
    if "mimetype" in names:
        mime = _read_small(archive, "mimetype", name)
        if mime.strip() == _ODS_MIME:
            _refuse_dtd(archive, infos, name, data=data)
            return Sniffed("ods", "OpenDocument 电子表格（.ods）"), container
        if b"opendocument.text" in mime:
            raise error("UNSUPPORTED_FORMAT.ODT", file=_label(name), path=name or None)
        raise error("UNSUPPORTED_FORMAT.OPENDOCUMENT_OTHER", file=_label(name), mime=mime.decode('ascii', 'replace'), path=name or None)
    if "xl/workbook.xml" in names:
        content_types = _read_small(archive, "[Content_Types].xml", name, data=data) if "[Content_Types].xml" in names else b""
        seen = {"[Content_Types].xml": content_types} if len(content_types) < 64 * 1024 else {}  # read whole already
        looked_at = [info for info in infos if not _dtd_looked_at_elsewhere(info.filename)]
        _refuse_dtd(archive, looked_at, name, container.inflated if keep else None, seen, data)
        if b"macroEnabled" in content_types:
            return Sniffed("xlsm", "启用宏的 Excel 工作簿（.xlsm）"), container
        return Sniffed("xlsx", "Excel 工作簿（.xlsx）"), container
    if "xl/workbook.bin" in names:
        # Its sheets are binary records that cannot be measured before the parser sizes them, so
        # the limits could not be enforced; and nobody needs xlsb for a form of a few hundred cells.
        raise error("UNSUPPORTED_FORMAT.XLSB", file=_label(name), path=name or None)
    if "word/document.xml" in names:
        if len(infos) > MAX_DOCX_MEMBERS:
            raise error(
                "LIMIT_EXCEEDED.DOCX_MEMBERS", file=_label(name), members=len(infos), limit=MAX_DOCX_MEMBERS,
                path=name or None,
            )
        _refuse_dtd(archive, infos, name, data=data)
        return Sniffed("docx", "Word 文档（.docx）"), container
    if "ppt/presentation.xml" in names:
        raise error("UNSUPPORTED_FORMAT.PPTX", file=_label(name), readable=READABLE, path=name or None)
    raise error("UNSUPPORTED_FORMAT.ZIP", file=_label(name), path=name or None)


def _read_small(archive: zipfile.ZipFile, member: str, name: str = "", limit: int = 64 * 1024, data: bytes | None = None) -> bytes:
    """The start of a small member (mimetype, content types), never more than ``limit`` bytes."""
    if data is not None:
        info = archive.getinfo(member)
        head = _inflate_plain(data, info, min(limit, info.file_size))
        if head is not None:
            return head
    try:
        with archive.open(member) as handle:
            return handle.read(limit)
    except ZIP_ERRORS as exc:
        raise _broken_member(member, name) from exc


def _broken_member(member: str, name: str) -> UnreadableWorkbook:
    return error("UNREADABLE.CORRUPT_MEMBER", file=_label(name), member=member, path=name or None)


def inflate_chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str = "", size: int = 1024 * 1024) -> Iterator[bytes]:
    """The inflated bytes of one member, ``size`` at a time, so that a sheet is scanned in bounded
    memory.  zipfile stops at the size the directory declares (which :func:`sniff` has bounded)
    and checks the CRC at the end; every error of corrupt data becomes UnreadableWorkbook."""
    try:
        with archive.open(info) as handle:
            while True:
                chunk = handle.read(size)
                if not chunk:
                    return
                yield chunk
    except ZIP_ERRORS as exc:
        raise _broken_member(info.filename, name) from exc


def refuse_dtd_in(head: bytes, more: Iterator[bytes], member: str, name: str = "") -> None:
    """Raise if the XML that starts with ``head`` (``more`` gives the bytes after it, read only
    when needed) declares a DTD before its root element.

    Excel, WPS and LibreOffice never write a DTD; a DTD in a workbook is an entity attack
    ("billion laughs", external entities) that the reader would otherwise skip silently, reading
    the attacked cell as blank.  Only the prolog is looked at (bounded by MAX_PROLOG_BYTES).
    """
    buffer = head
    while True:
        verdict = _prolog_verdict(_as_ascii_xml(buffer))
        if verdict == "dtd":
            word = member.startswith("word/")  # a .docx part: its programs are Word's
            raise error("UNREADABLE.DTD", file=_label(name), member=member, program='Word、WPS' if word else 'Excel、WPS', app='Word' if word else 'Excel', path=name or None)
        if verdict == "ok":
            return
        if len(buffer) >= MAX_PROLOG_BYTES:
            raise error(
                "UNREADABLE.LONG_PROLOG", file=_label(name), member=member, limit_kb=MAX_PROLOG_BYTES // 1024,
                path=name or None,
            )
        chunk = next(more, b"")
        if not chunk:
            return  # the member ends inside its prolog: no root, no DTD; the reader will say it is broken
        buffer += chunk


def _as_ascii_xml(head: bytes) -> bytes:
    """UTF-16 and UTF-32 XML (allowed, never written by office programs) as UTF-8, so one scan
    serves all: with or without a byte-order mark, either byte order (issue #22: a DOCTYPE in
    UTF-32 was not seen)."""
    utf32 = _utf32(head)
    if utf32:
        return head[: len(head) // 4 * 4].decode(utf32, "replace").lstrip("\ufeff").encode("utf-8")
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) > 1 and (head[0] == 0) != (head[1] == 0)):
        encoding = "utf-16-be" if head[:2] == b"\xfe\xff" or head[:1] == b"\0" else "utf-16-le"
        return head[: len(head) // 2 * 2].decode(encoding, "replace").encode("utf-8")
    return head


def _utf32(head: bytes) -> str | None:
    """"utf-32-le"/"utf-32-be" when ``head`` is UTF-32 (by its mark, or by the NULs around an
    ASCII first character, as XML's own autodetection does), else None."""
    if head[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return "utf-32-le" if head[:1] == b"\xff" else "utf-32-be"
    if len(head) >= 4 and head[1:4] == b"\0\0\0" and head[0]:
        return "utf-32-le"
    if len(head) >= 4 and head[:3] == b"\0\0\0" and head[3]:
        return "utf-32-be"
    return None


def _prolog_verdict(buffer: bytes) -> str:
    """"dtd", "ok" (the root element is reached first) or "more" (the prolog goes on)."""
    pos = 0
    while True:
        lt = buffer.find(b"<", pos)
        if lt < 0 or lt + 4 > len(buffer):
            return "more"
        if buffer.startswith(b"<?", lt):
            end = buffer.find(b"?>", lt + 2)
            if end < 0:
                return "more"
            pos = end + 2
        elif buffer.startswith(b"<!--", lt):
            end = buffer.find(b"-->", lt + 4)
            if end < 0:
                return "more"
            pos = end + 3
        elif buffer.startswith(b"<!", lt):  # <!DOCTYPE, <!ENTITY, or anything else a parser would take as DTD
            return "dtd"
        else:
            return "ok"


def _refuse_dtd(
    archive: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    name: str,
    keep: dict[str, bytes] | None = None,
    seen: dict[str, bytes] | None = None,
    data: bytes | None = None,
) -> None:
    """Refuse a DTD in any XML member of ``infos``.  With ``keep``, the workbook part and its
    relationships (which :mod:`spreadsheet` reads whole anyway) are inflated whole here and kept, looked at
    4 KB at a time exactly as the others; one that fails to inflate whole is looked at as before,
    so errors do not change."""
    budget = WHOLE_TOTAL_BYTES
    for info in infos:
        member = info.filename
        if not (member.lower().endswith(_XML_SUFFIXES) and info.file_size):
            continue
        if seen and member in seen and len(seen[member]) == info.file_size and archive.getinfo(member) is info:
            # inflated whole by the caller (the entry a read by name gives, should a name repeat)
            whole = seen[member]
            refuse_dtd_in(whole[:4096], (whole[at : at + 4096] for at in range(4096, len(whole), 4096)), member, name)
            continue
        if (
            keep is not None
            and info.file_size <= min(WHOLE_MEMBER_BYTES, budget)
            and member in _WHOLE_NAMES
            and archive.getinfo(member) is info  # the entry spreadsheet reads by name, should a name repeat
        ):
            whole = _inflate_plain(data, info, info.file_size) if data is not None else None
            if whole is None:
                try:
                    whole = _read_declared(archive, info)
                except ZIP_ERRORS:
                    whole = None  # broken: the chunked look below meets it where it met it before
            if whole is not None:
                refuse_dtd_in(whole[:4096], (whole[at : at + 4096] for at in range(4096, len(whole), 4096)), member, name)
                keep[member] = whole
                budget -= len(whole)
                continue
        head = _member_head(data, info) if data is not None else None
        if head is not None:
            refuse_dtd_in(head, iter(()), member, name)  # the member's whole prolog is in head
            continue
        chunks = inflate_chunks(archive, info, name, 4096)
        refuse_dtd_in(next(chunks, b""), chunks, member, name)


def _read_declared(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """``archive.read(info)`` in 1 MB reads: zipfile's one-call read inflates up to 2 GB before it
    cuts the result to the declared size, however small the directory says the member is."""
    with archive.open(info) as handle:
        return b"".join(iter(lambda: handle.read(1024 * 1024), b""))


_LOCAL_HEADER = struct.Struct("<4s2xHH4xIIIHH")  # signature, flags, method, crc, sizes, name and extra lengths
_HEAD_BYTES = 4096


def _member_head(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The first 4 KB of an ordinary member whose prolog ends inside them (see
    :func:`_inflate_plain`), or None: the caller then takes zipfile's path, as before."""
    head = _inflate_plain(data, info, min(_HEAD_BYTES, info.file_size))
    if head is None or _prolog_verdict(_as_ascii_xml(head)) == "more":
        return None  # unusual, or a long prolog: zipfile's path reads on, as before
    return head


def read_member(data: bytes, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, name: str = "", what: str = "") -> bytes:
    """A whole member, inflated with a running count and stopped at ``limit`` bytes whatever the
    zip directory claims (issue #22: a directory that says a few KB for a member that inflates
    to 2 GB).  The plain case is inflated straight from ``data`` (as :func:`_inflate_plain`);
    any other goes through zipfile in 1 MB reads (zipfile stops at the declared size, which is
    then bounded).  Over the limit: LimitExceeded naming it; corrupt: UnreadableWorkbook."""
    over = error("LIMIT_EXCEEDED.MEMBER_SIZE", file=_label(name), what=what, filename=info.filename, limit_mb=limit // 1024 // 1024, path=name or None)
    if info.file_size > limit:
        raise over
    body = _plain_body(data, info)
    if body is not None:
        inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
        try:
            out = inflater.decompress(body, limit + 1) if inflater is not None else bytes(body[: limit + 1])
        except zlib.error as exc:
            raise _broken_member(info.filename, name) from exc
        if len(out) > limit:
            raise over
        if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
            raise _broken_member(info.filename, name)
        return out
    chunks = []
    size = 0
    for chunk in inflate_chunks(archive, info, name):
        size += len(chunk)
        if size > limit:
            raise over
        chunks.append(chunk)
    return b"".join(chunks)


def _plain_body(data: bytes, info: zipfile.ZipInfo) -> memoryview | None:
    """The compressed bytes of an ordinary member (see :func:`_inflate_plain`), or None."""
    try:
        signature, flags, method, _crc, _csize, _usize, name_len, extra_len = _LOCAL_HEADER.unpack_from(data, info.header_offset)
    except struct.error:
        return None
    raw_name = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace")
    start = info.header_offset + 30
    if (
        signature != b"PK\x03\x04"
        or flags & 0x61
        or info.flag_bits & 0x61
        or method != info.compress_type
        or method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        or data[start : start + name_len] != raw_name
    ):
        return None
    start += name_len + extra_len
    return memoryview(data)[start : start + info.compress_size]


def inflate_whole(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A whole ordinary member of the zip ``data``, its CRC checked (see :func:`_inflate_plain`);
    None when it is not ordinary, and the caller reads it through zipfile, errors and all."""
    return _inflate_plain(data, info, info.file_size)


def _inflate_plain(data: bytes, info: zipfile.ZipInfo, want: int) -> bytes | None:
    """The first ``want`` inflated bytes of an ordinary member, straight from ``data`` with zlib:
    what zipfile would give, without building a reader per member (issue #10: a workbook has
    about 14 members, and zipfile's reader costs more than inflating a small one).

    Only for the plain case — a local header that agrees with the central directory, stored or
    deflated, not encrypted, not patched, ``want`` bytes actually there — else None, and the
    caller takes zipfile's path, which raises exactly what it raised before.  A member inflated
    to its end here has its CRC checked, as zipfile checks it at the end of a read."""
    if want <= 0:
        return None
    body = _plain_body(data, info)
    if body is None:
        return None
    method = info.compress_type
    try:
        if method == zipfile.ZIP_STORED:
            out = bytes(body[:want])
        else:  # deflated: _plain_body takes only stored or deflated members
            out = zlib.decompressobj(-15).decompress(body, want)
    except zlib.error:
        return None
    if len(out) != want or (want == info.file_size and zlib.crc32(out) != info.CRC):
        return None
    return out


# ---------------------------------------------------------------------------------------------
# OLE2 compound files: xls, encrypted xlsx, doc
# ---------------------------------------------------------------------------------------------


def _sniff_ole(data: bytes, name: str) -> Sniffed:
    try:
        streams = ole_stream_names(data)
    except OLE_ERRORS as exc:
        raise error("UNREADABLE.CORRUPT_OLE", file=_label(name), path=name or None) from exc
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise error("ENCRYPTED.PASSWORD", file=_label(name), path=name or None)
    if "Workbook" in streams or "Book" in streams:
        return Sniffed("xls", "Excel 97-2003 工作簿（.xls）")
    if "WordDocument" in streams:
        raise error("UNSUPPORTED_FORMAT.DOC", file=_label(name), path=name or None)
    if "PowerPoint Document" in streams:
        raise error("UNSUPPORTED_FORMAT.PPT", file=_label(name), readable=READABLE, path=name or None)
    raise error("UNSUPPORTED_FORMAT.OLE_OTHER", file=_label(name), path=name or None)


def ole_stream_names(data: bytes) -> set[str]:
    """Names of the entries (streams and storages, at any depth) of an OLE2 compound file's
    directory, read with olefile.  A broken file raises one of :data:`OLE_ERRORS`."""
    ole = _open_ole(data)
    try:
        names = {part for path in ole.listdir(streams=True, storages=True) for part in path}
    finally:
        ole.close()
    if not names:
        raise ValueError("empty directory")
    return names


def ole_stream(data: bytes, stream: str) -> bytes | None:
    """The bytes of the stream called ``stream`` (compared case-insensitively, as MS-CFB does;
    a stream at the root first) in an OLE2 compound file, or None when there is none.

    Read with olefile, which bounds every chain by the sectors the file has (a looping chain
    cannot make it read more); a stream whose directory entry claims more bytes than the file
    has is refused before olefile reads it.  A broken file raises one of :data:`OLE_ERRORS`.
    """
    ole = _open_ole(data)
    try:
        wanted = stream.casefold()
        paths = [path for path in ole.listdir(streams=True, storages=False) if path[-1].casefold() == wanted]
        if not paths:
            return None
        path = min(paths, key=len)  # the root's own stream before one inside a storage
        if ole.get_size(path) > len(data):
            raise ValueError("stream longer than the file")
        return ole.openstream(path).read()
    finally:
        ole.close()


def _open_ole(data: bytes):
    import olefile  # imported here: only .xls files need it

    if len(data) < 512:  # olefile would take shorter bytes for a file name
        raise ValueError("shorter than an OLE header")
    return olefile.OleFileIO(data)


# ---------------------------------------------------------------------------------------------
# everything else: HTML saved as .xls, SpreadsheetML 2003, CSV/text, PDF, random bytes
# ---------------------------------------------------------------------------------------------


# A fragment of a page (a CMS's stored article body) starts with an ordinary element, its table
# further down than the 4 KB looked at.
_HTML_START = re.compile(r"<(?:head|body|meta|title|p|div|span|section|article|center|font|h[1-6]|br|strong)[\s>/]")


def _sniff_text(data: bytes, name: str) -> Sniffed:
    head = data[:4096]
    if b"%PDF-" in head[:1024]:  # the PDF header may follow a little junk
        return Sniffed("pdf", "PDF 文件")
    if head[:4] in (b"\x89PNG", b"GIF8") or head[:3] == b"\xff\xd8\xff":
        raise error("UNSUPPORTED_FORMAT.IMAGE", file=_label(name), readable=READABLE, path=name or None)
    text = _decode(head)
    if text is None:
        raise error("UNREADABLE.UNKNOWN_CONTENT", file=_label(name), readable=READABLE, path=name or None)
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith("mime-version") or "content-type: multipart/related" in lowered[:2000]:
        raise error("UNSUPPORTED_FORMAT.MHT", file=_label(name), path=name or None)
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered and "<table" not in lowered:
        raise error("UNSUPPORTED_FORMAT.SPREADSHEETML", file=_label(name), path=name or None)
    if lowered.startswith("<") and ("<table" in lowered or "<html" in lowered or "<!doctype html" in lowered or _HTML_START.match(lowered)):
        # the content decides the kind; the name only how it is described (a system's .xls export)
        return Sniffed("html", "网页格式的表格（HTML，常见于系统导出的 .xls）" if name.lower().endswith(".xls") else "网页（HTML）")
    if lowered.startswith("{\\rtf"):
        raise error("UNSUPPORTED_FORMAT.RTF", file=_label(name), path=name or None)
    first_line = lowered.splitlines()[0] if lowered else ""
    if "," in first_line or "\t" in first_line:
        raise error("UNSUPPORTED_FORMAT.CSV", file=_label(name), path=name or None)
    return Sniffed("text", "纯文本文件")  # a published report copied as text, like the seed


def _decode(head: bytes) -> str | None:
    """The head of the file as text, or None when it is clearly binary."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) // 2 * 2].decode("utf-16", "replace")
    elif b"\x00" in head:
        return None
    else:
        for encoding in ("utf-8", "gb18030"):
            try:
                text = head.decode(encoding)
                break
            except UnicodeDecodeError as exc:
                if exc.start > len(head) - 4:  # a multibyte character cut by the 4 KB window
                    text = head[: exc.start].decode(encoding)
                    break
        else:
            return None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > max(2, len(text) // 100):
        return None
    return text
