"""Hostile published documents, made by code (nothing of megabytes is committed).

* good reports: :func:`good_docx`, :func:`good_html` (written by xlsreport's own renderer from a
  report whose every identity holds), :func:`good_text`, and :func:`good_pdf` — a PDF written
  here by hand, its text drawn in a font whose ToUnicode map says each code is its own Unicode
  character, its tables ruled: what pdfplumber reads from a Writer- or WPS-made PDF.
* the fixed corpus of issues #18 and #22: :data:`CORPUS` (name → function making the bytes).
* mutation recipes per format, driven by a seeded ``random.Random``: :func:`mutants`.
"""

from __future__ import annotations

import codecs
import io
import random
import re
import struct
import zipfile
import zlib
from functools import lru_cache
from typing import Callable

from xlsreport import form
from xlsreport.writing.document import build
from xlsreport.writing.outputs import write_bytes

UNIT = "微山县西平镇人民政府"
YEAR = 2024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


# ---------------------------------------------------------------------------------------------
# good reports
# ---------------------------------------------------------------------------------------------


def report_data() -> dict:
    """Every number of the form 0, except 通知公告 5 + 工作动态 3 = 合计 8 (FORM.md's categories)."""
    data: dict = {"form": form.FORM_ID}
    for leaf in form.LEAVES:
        if leaf.path[0] != "unit":
            node = data
            for key in leaf.path[:-1]:
                node = node.setdefault(key, {})
            node[leaf.path[-1]] = 0
    data["unit"] = {"name": UNIT, "year": YEAR}
    data["categories"].update(notices=5, work_updates=3, total=8)
    return data


@lru_cache(maxsize=None)
def good_docx() -> bytes:
    return write_bytes(build(report_data()), "docx")


@lru_cache(maxsize=None)
def good_html() -> bytes:
    return write_bytes(build(report_data()), "html")


def good_text() -> bytes:
    return (f"{UNIT}\n{YEAR}年政府信息公开工作年度报告\n\n一、总体情况\n\n本机关认真落实。\n\n"
            "二、主动公开政府信息情况\n\n\t信息内容\n\t本年制发件数\n\n\t规章\n\t0\n").encode("utf-8")


# ---------------------------------------------------------------------------------------------
# PDF written by hand
# ---------------------------------------------------------------------------------------------

_TO_UNICODE = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
               b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
               b"1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap "
               b"CMapName currentdict /CMap defineresource pop end end")


def pdf_text(x: float, y: float, text: str, size: float = 10) -> bytes:
    """Draw ``text`` at (x, y) in font F1: each character's code is its Unicode value."""
    return b"BT /F1 %.1f Tf %.1f %.1f Td <%s> Tj ET\n" % (size, x, y, text.encode("utf-16-be").hex().encode())


def pdf_table(x: float, top: float, rows: list[list[str]], width: float = 120, height: float = 18) -> bytes:
    """A ruled table: its grid lines and each cell's text."""
    out = bytearray(b"0.5 w\n")
    columns = max(len(row) for row in rows)
    for r in range(len(rows) + 1):
        out += b"%.1f %.1f m %.1f %.1f l S\n" % (x, top - r * height, x + columns * width, top - r * height)
    for c in range(columns + 1):
        out += b"%.1f %.1f m %.1f %.1f l S\n" % (x + c * width, top, x + c * width, top - len(rows) * height)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            out += pdf_text(x + c * width + 3, top - (r + 1) * height + 5, text, 8)
    return bytes(out)


def pdf_document(pages: list[bytes], *, page_extra: bytes = b"", compress: bool = True, trailer_extra: bytes = b"") -> bytes:
    """A PDF whose pages have the given content streams (font F1 on every page)."""
    count = len(pages)
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % (10 + 2 * i) for i in range(count)) + b"] /Count %d >>" % count,
        3: b"<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 5 0 R >>",
        4: b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Song /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
           b"/Supplement 0 >> /DW 1000 >>",
        5: _stream(_TO_UNICODE, False),
    }
    for i, content in enumerate(pages):
        objects[10 + 2 * i] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                               b"/Contents %d 0 R " % (11 + 2 * i) + page_extra + b">>")
        objects[11 + 2 * i] = _stream(content, compress)
    return assemble(objects, trailer_extra=trailer_extra)


def _stream(content: bytes, compress: bool) -> bytes:
    if compress:
        packed = zlib.compress(content)
        return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def assemble(objects: dict[int, bytes], *, trailer_extra: bytes = b"", root: int = 1) -> bytes:
    """Numbered object bodies → a PDF with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number] if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R " % (size, root) + trailer_extra + b">>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def report_pdf_page() -> bytes:
    """The title and table 二 of a report, as a PDF page draws them."""
    title = pdf_text(60, 800, UNIT, 14) + pdf_text(60, 780, f"{YEAR}年政府信息公开工作年度报告", 14)
    rows = [["信息内容", "本年制发件数"], ["通知公告", "5"], ["工作动态", "3"], ["合计", "8"]]
    return title + pdf_text(60, 740, "一、总体情况", 10) + pdf_table(60, 700, rows)


@lru_cache(maxsize=None)
def good_pdf() -> bytes:
    return pdf_document([report_pdf_page()])


# ---------------------------------------------------------------------------------------------
# docx / html helpers
# ---------------------------------------------------------------------------------------------


def docx_with(document_xml: bytes, base: bytes | None = None) -> bytes:
    """``base`` (the good report) with its word/document.xml replaced."""
    source = zipfile.ZipFile(io.BytesIO(base or good_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, document_xml if info.filename == "word/document.xml" else source.read(info))
    return out.getvalue()


def wide_docx_table(rows: int, before: int = 1000, span: int = 1000) -> bytes:
    """One row 2000 columns wide (gridBefore + gridSpan), then ``rows`` empty rows."""
    row = (f'<w:tr><w:trPr><w:gridBefore w:val="{before}"/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr>'
           "<w:p/></w:tc></w:tr>")
    body = row + "<w:tr/>" * rows
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body><w:tbl>{body}</w:tbl></w:body></w:document>'.encode()


def dtd_document_xml(codec: str, bom: bool, external: bool) -> bytes:
    """The good report's document part in ``codec`` (utf-32-le/be) with a DOCTYPE declaring an
    entity that stands in table 二's 通知公告 cell (issue #22: read as a blank, exit 0, before)."""
    entity = '<!ENTITY x SYSTEM "file:///etc/passwd">' if external else '<!ENTITY x "5">'
    xml = zip_members(good_docx())["word/document.xml"].decode("utf-8")
    xml = re.sub(r"^<\?xml[^>]*\?>", "", xml).replace("<w:t>5</w:t>", "<w:t>&x;</w:t>", 1)
    name = "UTF-32" if bom else codec.upper()
    data = (f'<?xml version="1.0" encoding="{name}"?><!DOCTYPE w:document [{entity}]>' + xml).encode(codec)
    if bom:
        data = (codecs.BOM_UTF32_LE if codec.endswith("le") else codecs.BOM_UTF32_BE) + data
    return data


def lying_zip_member(size: int, claimed: int = 4096) -> bytes:
    """A docx whose word/document.xml inflates to ``size`` bytes while the zip directory (central
    and local) claims ``claimed`` — the CRC is of nothing real either."""
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode()
    block = b"a" * (1 << 20)
    packed = deflated(head, block, size // len(block))
    claimed_crc = zlib.crc32((head + block)[:claimed])  # the CRC of what the directory claims: zipfile's check passes
    members = [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", None)]
    out = bytearray()
    central = bytearray()
    for name, content in members:
        raw_name = name.encode()
        if content is None:
            body, method, crc, usize = packed, 8, claimed_crc, claimed
        else:
            body, method, crc, usize = content, 0, zlib.crc32(content), len(content)
        offset = len(out)
        out += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(body), usize, len(raw_name), 0) + raw_name + body
        central += struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, len(body), usize,
                               len(raw_name), 0, 0, 0, 0, 0, offset) + raw_name
    start = len(out)
    out += central + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), start, 0)
    return bytes(out)


def deflated(head: bytes, block: bytes, count: int, wrapped: bool = False) -> bytes:
    """``head`` then ``count`` times ``block``, deflated — in the time of one block: after a full
    flush the compressor starts afresh, so every further block compresses to the same bytes.
    ``wrapped``: with zlib's header and checksum (a PDF's FlateDecode), else raw (a zip member)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    body = first + again * (count - 1) + packer.flush()
    if not wrapped:
        return body
    checksum = zlib.adler32(head)
    for _ in range(count):
        checksum = zlib.adler32(block, checksum)
    return b"\x78\xda" + body + struct.pack(">I", checksum)


def html_page(body: str, head: str = "") -> bytes:
    return f"<html><head>{head}</head><body>{body}</body></html>".encode()


# ---------------------------------------------------------------------------------------------
# the fixed corpus of issues #18 and #22
# ---------------------------------------------------------------------------------------------


def _pdf_page_dict(extra: bytes, media: bytes = b"/MediaBox [0 0 595 842] ") -> bytes:
    """The good report's page with its MediaBox replaced (and ``extra`` added)."""
    data = good_pdf()
    return data.replace(b"/MediaBox [0 0 595 842] ", media + extra, 1)


def _reassembled(objects_of: Callable[[dict[int, bytes]], None]) -> bytes:
    objects = _objects(good_pdf())
    objects_of(objects)
    return assemble(objects)


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in re.finditer(rb"(\d+) 0 obj\n(.*?)\nendobj\n", pdf, re.S)}


def _self_contents(objects: dict[int, bytes]) -> None:
    objects[10] = objects[10].replace(b"/Contents 11 0 R", b"/Contents 10 0 R")


def _self_length(objects: dict[int, bytes]) -> None:
    objects[11] = re.sub(rb"/Length \d+", b"/Length 11 0 R", objects[11], count=1)


def _parent_loop(objects: dict[int, bytes]) -> None:
    # the page inherits its MediaBox and Resources through a Pages node that is its own parent
    objects[2] = b"<< /Type /Pages /Kids [10 0 R] /Count 1 /Parent 2 0 R >>"
    objects[10] = objects[10].replace(b"/MediaBox [0 0 595 842] ", b"").replace(b"/Parent 2 0 R", b"/Parent 10 0 R")


def _xref_stream_index(count: int = 1_000_000_000) -> bytes:
    """A PDF whose cross-reference stream declares /Index [0 count]."""
    body = bytearray(b"%PDF-1.5\n")
    offset1 = len(body)
    body += b"1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    entries = b"\x00\x00\x00\xff" + b"\x01" + struct.pack(">H", offset1) + b"\x00"
    offset2 = len(body)
    body += (b"2 0 obj\n<< /Type /XRef /Size %d /Index [0 %d] /W [1 2 1] /Root 1 0 R /Length %d >>\nstream\n"
             % (count, count, len(entries)) + entries + b"\nendstream\nendobj\n")
    body += b"startxref\n%d\n%%%%EOF\n" % offset2
    return bytes(body)


def _many_pages(count: int) -> bytes:
    """``count`` pages sharing one small content stream (a few bytes a page)."""
    kids = b" ".join(b"%d 0 R" % (10 + i) for i in range(count))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [" + kids + b"] /Count %d /MediaBox [0 0 595 842] >>" % count,
        3: _stream(b"BT ET", False),
    }
    for i in range(count):
        objects[10 + i] = b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"
    return assemble(objects)


def _heavy_text(characters: int) -> bytes:
    line = pdf_text(10, 400, "一" * 1000, 1)
    return pdf_document([line * (characters // 1000)])


def _heavy_rectangles(count: int) -> bytes:
    return pdf_document([b"0 0 1 1 re S\n" * count])


def _flate_bomb(size: int) -> bytes:
    block = b" " * (1 << 20)
    packed = deflated(b"BT ET\n", block, size // len(block), wrapped=True)
    objects = _objects(good_pdf())
    objects[11] = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    return assemble(objects)


def _encrypted_pdf() -> bytes:
    """Encrypted with a user password (RC4 40-bit, standard handler): the trailer's /Encrypt."""
    objects = _objects(good_pdf())
    objects[20] = (b"<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 "
                   b"/O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>")
    return assemble(objects, trailer_extra=b"/Encrypt 20 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ")


def _thirty_nines() -> bytes:
    rows = [["信息内容", "本年制发件数"], ["通知公告", "9" * 30], ["工作动态", "3"], ["合计", "8"]]
    page = pdf_text(60, 800, UNIT, 14) + pdf_text(60, 780, f"{YEAR}年政府信息公开工作年度报告", 14) + pdf_table(60, 700, rows, width=250)
    return pdf_document([page])


def _flipped(data: bytes, count: int, seed: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(count):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _html_wide_empty_rows(rows: int, tables: int = 1) -> bytes:
    table = "<table><tr><td colspan=\"1000\">1</td></tr>" + "<tr>" * rows + "</table>"
    return html_page(table * tables)


def _html_entity(codec: str) -> bytes:
    page = ('<!DOCTYPE html [<!ENTITY x "5">]><html><head><meta charset="' + codec + '"></head>'
            "<body><table><tr><td>通知公告</td><td>&x;</td></tr></table></body></html>")
    data = page.encode(codec)
    return (codecs.BOM_UTF16_LE if codec == "utf-16-le" else b"") + data


def _charset(declared: str) -> bytes:
    return good_html().replace(b"<head>", f'<head><meta charset="{declared}">'.encode(), 1)


def _big_honest_document(size: int) -> bytes:
    """A document part of ``size`` bytes that compresses only ~2× (hex digits: no bomb)."""
    text = random.Random(22).randbytes(size // 2).hex()
    return (f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode() + text.encode()
            + b"</w:t></w:r></w:p></w:body></w:document>")


def _libxml2_newline() -> bytes:
    xml = f'<?xml version="1.0"?>\n<w:document xmlns:w="{W_NS}">\n<w:body>\n<w:p>\n</w:body>'.encode()
    return docx_with(xml)


CORPUS: dict[str, Callable[[], bytes]] = {
    # issue #18: hangs
    "self-contents.pdf": lambda: _reassembled(_self_contents),
    "xref-index-1e9.pdf": _xref_stream_index,
    "colspan-million-rows.html": lambda: _html_wide_empty_rows(1_000_000),
    "190-tables-50000-rows.html": lambda: _html_wide_empty_rows(50_000, 190),
    # issue #18: memory
    "gridspan-2m-rows.docx": lambda: docx_with(wide_docx_table(2_000_000)),
    "gridspan-140k-rows.docx": lambda: docx_with(wide_docx_table(140_000)),  # under the ratio check: the grid refuses it
    "gridspan-100k-rows.html": lambda: _html_wide_empty_rows(100_000),
    # issue #18: internal errors
    "no-mediabox.pdf": lambda: _pdf_page_dict(b"", b""),
    "two-number-mediabox.pdf": lambda: _pdf_page_dict(b"", b"/MediaBox [0 842] "),
    "named-mediabox.pdf": lambda: _pdf_page_dict(b"", b"/MediaBox /A4 "),
    "nan-mediabox.pdf": lambda: _pdf_page_dict(b"", b"/MediaBox [0 0 nan 842] "),
    "1e308-mediabox.pdf": lambda: _pdf_page_dict(b"", b"/MediaBox [0 0 1e308 1e308] "),
    "1e9-mediabox.pdf": lambda: _pdf_page_dict(b"", b"/MediaBox [-1000000000 -1000000000 1000000000 1000000000] "),
    "userunit-1e9.pdf": lambda: _pdf_page_dict(b"/UserUnit 1000000000 "),
    "self-length.pdf": lambda: _reassembled(_self_length),
    "parent-loop.pdf": lambda: _reassembled(_parent_loop),
    "100-flipped-bytes.pdf": lambda: _flipped(good_pdf(), 100, 18),
    "charset-undefined.html": lambda: _charset("undefined"),
    "charset-punycode.html": lambda: _charset("punycode"),
    "charset-base64.html": lambda: _charset("base64"),
    # issue #18: numbers
    "thirty-nines.pdf": _thirty_nines,
    # issue #22
    **{f"dtd-{codec}{'-bom' if bom else ''}-{'external' if external else 'internal'}.docx":
       (lambda codec=codec, bom=bom, external=external: docx_with(dtd_document_xml(codec, bom, external)))
       for codec in ("utf-32-le", "utf-32-be") for bom in (False, True) for external in (False, True)},
    "entity-utf-16.html": lambda: _html_entity("utf-16-le"),
    "entity-gb18030.html": lambda: _html_entity("gb18030"),
    "lying-zip-1gb.docx": lambda: lying_zip_member(1 << 30),
    "3m-characters.pdf": lambda: _heavy_text(3_000_000),
    "250k-rectangles.pdf": lambda: _heavy_rectangles(250_000),
    "250k-pages.pdf": lambda: _many_pages(250_000),
    "document-xml-30mb.docx": lambda: docx_with(_big_honest_document(30 << 20)),
    "flate-bomb-1gb.pdf": lambda: _flate_bomb(1 << 30),
    "encrypted.pdf": _encrypted_pdf,
    "libxml2-newline.docx": _libxml2_newline,
    # text
    "ten-million-lines.txt": lambda: (good_text() + b"\n" * 10_000_000),
    "one-long-line.txt": lambda: (good_text() + b"x" * 40_000_000),
}

EXPECTED: dict[str, tuple[int, str]] = {}
"""Filled by the test module: case → (exit code, a word of the reason)."""


# ---------------------------------------------------------------------------------------------
# mutation recipes
# ---------------------------------------------------------------------------------------------


def _flip(rng: random.Random, data: bytes) -> bytes:
    return _flipped(data, rng.randrange(1, 200), rng.randrange(1 << 30))


def _delete_span(rng: random.Random, data: bytes) -> bytes:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randrange(1, 2000):]


def _truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _pdf_recipes() -> list[Callable[[random.Random, bytes], bytes]]:
    def structure_deletion(rng: random.Random, data: bytes) -> bytes:
        objects = _objects(data)
        victim = rng.choice([n for n in objects if n != 1])
        del objects[victim]
        return assemble(objects)

    def self_reference(rng: random.Random, data: bytes) -> bytes:
        objects = _objects(data)
        number = rng.choice(sorted(objects))
        refs = re.findall(rb"\d+ 0 R", objects[number])
        if refs:
            objects[number] = objects[number].replace(rng.choice(refs), b"%d 0 R" % number, 1)
        return assemble(objects)

    def huge_declaration(rng: random.Random, data: bytes) -> bytes:
        value = rng.choice([b"999999999999", b"-1", b"1e308", b"nan", b"0", b"4294967296"])
        key = rng.choice([b"/Count", b"/Length", b"/DW", b"/Size"])
        return re.sub(key + rb" \d+", key + b" " + value, data, count=1)

    def box(rng: random.Random, data: bytes) -> bytes:
        value = rng.choice([b"[]", b"[0 0]", b"[0 0 0 0]", b"/Letter", b"[0 0 -595 -842]", b"[(a) (b) (c) (d)]", b"[0 0 1e400 1]"])
        return data.replace(b"[0 0 595 842]", value, 1)

    return [_flip, _delete_span, _truncate, structure_deletion, self_reference, huge_declaration, box]


def zip_members(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {info.filename: archive.read(info) for info in archive.infolist()}


def _members_or_none(data: bytes) -> dict[str, bytes] | None:
    """The members, or None when an earlier recipe left no readable zip (the next then passes)."""
    try:
        members = zip_members(data)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, KeyError, OSError, NotImplementedError):
        return None
    return members if "word/document.xml" in members else None


def _rezip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def _docx_recipes() -> list[Callable[[random.Random, bytes], bytes]]:
    def on_document(change: Callable[[random.Random, bytes], bytes]) -> Callable[[random.Random, bytes], bytes]:
        def recipe(rng: random.Random, data: bytes) -> bytes:
            members = _members_or_none(data)
            if members is None:
                return data
            members["word/document.xml"] = change(rng, members["word/document.xml"])
            return _rezip(members)

        recipe.__name__ = change.__name__
        return recipe

    def delete_element(rng: random.Random, xml: bytes) -> bytes:
        tags = [m.start() for m in re.finditer(rb"<w:(?:tbl|tr|tc|p|body)[ >]", xml)]
        if not tags:
            return xml
        start = rng.choice(tags)
        return xml[:start] + xml[xml.find(b">", start) + 1:]

    def spans(rng: random.Random, xml: bytes) -> bytes:
        value = rng.choice([b"0", b"-5", b"1000", b"999999999999", b"x"])
        what = rng.choice([b"gridSpan", b"gridBefore", b"vMerge"])
        return re.sub(rb'<w:gridSpan w:val="\d+"/>', b'<w:' + what + b' w:val="' + value + b'"/>', xml, count=rng.randrange(1, 20))

    def empty_rows(rng: random.Random, xml: bytes) -> bytes:
        return xml.replace(b"</w:tbl>", b"<w:tr/>" * rng.randrange(1, 50_000) + b"</w:tbl>", 1)

    def encoding(rng: random.Random, xml: bytes) -> bytes:
        codec = rng.choice(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "gb18030"])
        text = xml.decode("utf-8", "replace").replace('encoding="UTF-8"', f'encoding="{codec}"', 1)
        if rng.random() < 0.5:
            text = text.replace("?>", "?><!DOCTYPE w:document>", 1)
        return text.encode(codec)

    def drop_member(rng: random.Random, data: bytes) -> bytes:
        members = _members_or_none(data)
        if members is None:
            return data
        del members[rng.choice(sorted(members))]
        return _rezip(members)

    return [_flip, _delete_span, _truncate, on_document(delete_element), on_document(spans), on_document(empty_rows),
            on_document(encoding), on_document(_flip), drop_member]


def _html_recipes() -> list[Callable[[random.Random, bytes], bytes]]:
    def spans(rng: random.Random, data: bytes) -> bytes:
        value = rng.choice([b"1000", b"0", b"-1", b"99999999999999999999", b"1e9", b"x"])
        return re.sub(rb"<td", b'<td rowspan="' + value + b'" colspan="' + value + b'"', data, count=rng.randrange(1, 30))

    def empty_rows(rng: random.Random, data: bytes) -> bytes:
        return data.replace(b"</table>", b"<tr></tr>" * rng.randrange(1, 100_000) + b"</table>", 1)

    def encoding(rng: random.Random, data: bytes) -> bytes:
        declared = rng.choice(["undefined", "punycode", "base64", "rot13", "utf-7", "gb2312", "utf-32", "big5", "x-user-defined"])
        page = data.replace(b"<head>", f'<head><meta charset="{declared}">'.encode(), 1)
        if rng.random() < 0.3:
            page = page.decode("utf-8", "replace").encode(rng.choice(["gb18030", "utf-16", "utf-32"]))
        return page

    def delete_tags(rng: random.Random, data: bytes) -> bytes:
        tag = rng.choice([b"</td>", b"</tr>", b"</table>", b"<tr>", b"<table"])
        return data.replace(tag, b"", rng.randrange(1, 200))

    def nesting(rng: random.Random, data: bytes) -> bytes:
        return data.replace(b"<body>", b"<body>" + b"<table><tr><td>" * rng.randrange(1, 400), 1)

    return [_flip, _delete_span, _truncate, spans, empty_rows, encoding, delete_tags, nesting]


def _text_recipes() -> list[Callable[[random.Random, bytes], bytes]]:
    def lines(rng: random.Random, data: bytes) -> bytes:
        return data + rng.choice([b"\n", b"\t\n", b"\r", b"\x0b"]) * rng.randrange(1, 300_000)

    def long_line(rng: random.Random, data: bytes) -> bytes:
        return data + b"\t" + b"9" * rng.randrange(1, 300_000)

    def encoding(rng: random.Random, data: bytes) -> bytes:
        return data.decode("utf-8", "replace").encode(rng.choice(["gb18030", "utf-16", "utf-32", "big5", "utf-16-be"]), "replace")

    return [_flip, _delete_span, _truncate, lines, long_line, encoding]


RECIPES: dict[str, tuple[Callable[[], bytes], list[Callable[[random.Random, bytes], bytes]]]] = {
    "pdf": (good_pdf, _pdf_recipes()),
    "docx": (good_docx, _docx_recipes()),
    "html": (good_html, _html_recipes()),
    "txt": (good_text, _text_recipes()),
}


def mutants(seed: int, per_format: int) -> list[tuple[str, bytes]]:
    """``per_format`` mutants of each format's good report, one or two recipes each, seeded."""
    rng = random.Random(seed)
    out = []
    for suffix, (good, recipes) in RECIPES.items():
        for i in range(per_format):
            data = good()
            chosen = rng.sample(recipes, rng.choice([1, 1, 2]))
            for recipe in chosen:
                data = recipe(rng, data)
            out.append((f"{suffix}-{i:03d}-{'+'.join(r.__name__.strip('_') for r in chosen)}.{suffix}", data))
    return out
