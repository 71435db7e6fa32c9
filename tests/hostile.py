"""The corpus of issue #5: broken, disguised, oversized and absurd files — built on demand.

Nothing binary is committed.  Every file is made here, into a folder the caller gives, from one
valid workbook written by ``write_template`` (or from the seed's .xls), by the smallest change
that makes it hostile: cut it, rename it, encrypt it, lie in its zip directory, inflate one
sheet to a gigabyte, put a billion-laughs DTD in its shared strings, type "约50" into an input
cell.  The whole corpus is a few megabytes on disk and builds in a couple of seconds.

``Case.expect`` says what a clerk should see:
  unreadable   refused as unreadable (``UnreadableWorkbook`` or a subclass), exit 3
  unsupported  ``UnsupportedFormat``: a real file of another kind, named as such, exit 3
  encrypted    ``EncryptedWorkbook``: the message says it has a password and must be saved without
  limit        ``LimitExceeded``: refused before it costs memory or time, exit 3
  readable     read; the numbers are those of the valid workbook it was made from
  large        absurd but harmless size: read with the right numbers, or refused by a limit
  html         an HTML table saved as .xls: read, or refused with a message that says it is HTML
  invalid      read; ``check`` finds an error at ``cells``, exit 1
"""

from __future__ import annotations

import io
import random
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Literal
from xml.sax.saxutils import escape

from oracle import CATEGORY_LABELS, SEED_CATEGORIES, valid_data  # noqa: F401  (valid_data: hostile.valid_data())

SEED_XLS = SEED_CATEGORIES  # exact copy of ../shared/seed/*-attachment-categories.xls

Expect = Literal["unreadable", "unsupported", "encrypted", "limit", "readable", "large", "html", "invalid"]

GIB = 1 << 30

# --------------------------------------------------------------------------------------------
# The valid workbook everything else is made from: oracle.valid_data(), whose numbers are chosen
# so that every identity of FORM.md holds (worked out by hand there), so a finding in a mutated
# copy is the mutation's.
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def valid_workbook() -> bytes:
    """The bytes of a filled template (``write_template`` with ``oracle.valid_data()``)."""
    import tempfile

    from xlsreport.writing.workbook import write_template

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "valid.xlsx"
        write_template(path, valid_data())
        return path.read_bytes()


@lru_cache(maxsize=None)
def input_cells() -> dict[tuple[str, ...], str]:
    """Where each input value of the valid workbook sits ("依申请公开!C7"), as the reader found it."""
    import tempfile

    from xlsreport.reading.report import read

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "valid.xlsx"
        path.write_bytes(valid_workbook())
        report = read(path)
    return {path: value.cell for path, value in report.values.items() if value.cell}


# --------------------------------------------------------------------------------------------
# Zip surgery: members in, members out; cells of a sheet replaced in its XML.
# --------------------------------------------------------------------------------------------


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (2025, 1, 20, 0, 0, 0)), content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def sheet_member(parts: dict[str, bytes], sheet: str) -> str:
    """The zip member that holds the worksheet named ``sheet``."""
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    for match in re.finditer(r"<sheet\b[^>]*>", workbook):
        tag = match.group(0)
        name = re.search(r'name="([^"]*)"', tag).group(1)
        if name == escape(sheet, {'"': "&quot;"}):
            rid = re.search(r'r:id="([^"]*)"', tag).group(1)
            rel = re.search(rf'<Relationship\b[^>]*Id="{rid}"[^>]*>', rels).group(0)
            target = re.search(r'Target="([^"]*)"', rel).group(1)
            return target.lstrip("/") if target.startswith("/xl/") else "xl/" + target
    raise KeyError(sheet)


def _split_ref(ref: str) -> tuple[str, int]:
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", ref).groups()
    return letters, int(digits)


def _col_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def cell_xml(ref: str, value: object) -> str:
    """One ``<c>`` element as Excel writes it.  ``value``: a number, text, ``bool``, or one of
    ``("error", "#DIV/0!", "1/0")`` (an error result with its formula) / ``("literal", "NaN")``
    (a ``<v>`` that is not a number at all)."""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, tuple) and value[0] == "error":
        return f'<c r="{ref}" t="e"><f>{escape(value[2])}</f><v>{escape(value[1])}</v></c>'
    if isinstance(value, tuple) and value[0] == "literal":
        return f'<c r="{ref}"><v>{escape(value[1])}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def set_cells(data: bytes, values: dict[str, object], *, dimension: str | None = None) -> bytes:
    """A copy of the workbook ``data`` with ``{"Sheet!C7": value}`` written into its sheet XML.

    This is what a clerk typing into Excel produces, without any library re-saving the file.
    """
    parts = members(data)
    by_member: dict[str, dict[str, object]] = {}
    for address, value in values.items():
        sheet, ref = address.rsplit("!", 1)
        by_member.setdefault(sheet_member(parts, sheet), {})[ref] = value
    for member, cells in by_member.items():
        xml = parts[member].decode("utf-8")
        for ref, value in cells.items():
            xml = _put_cell(xml, ref, cell_xml(ref, value))
        if dimension is not None:
            xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', xml)
        parts[member] = xml.encode("utf-8")
    return rezip(parts)


def _put_cell(xml: str, ref: str, element: str) -> str:
    letters, row = _split_ref(ref)
    existing = re.search(rf'<c r="{ref}"(?:\s[^>]*)?(?:/>|>.*?</c>)', xml, re.S)
    if existing:
        return xml[: existing.start()] + element + xml[existing.end():]
    row_match = re.search(rf'<row r="{row}"(?:\s[^>]*)?(?:/>|>(.*?)</row>)', xml, re.S)
    if row_match:
        if row_match.group(0).endswith("/>"):
            opening = row_match.group(0)[:-2] + ">"
            return xml[: row_match.start()] + opening + element + "</row>" + xml[row_match.end():]
        body_start = row_match.start(1)
        for cell in re.finditer(r'<c r="([A-Z]+)\d+"', row_match.group(1)):
            if _col_number(cell.group(1)) > _col_number(letters):
                at = body_start + cell.start()
                return xml[:at] + element + xml[at:]
        at = row_match.end(1)
        return xml[:at] + element + xml[at:]
    for other in re.finditer(r'<row r="(\d+)"', xml):
        if int(other.group(1)) > row:
            return xml[: other.start()] + f'<row r="{row}">{element}</row>' + xml[other.start():]
    if "<sheetData/>" in xml:
        return xml.replace("<sheetData/>", f'<sheetData><row r="{row}">{element}</row></sheetData>')
    return xml.replace("</sheetData>", f'<row r="{row}">{element}</row></sheetData>')


# --------------------------------------------------------------------------------------------
# Raw zip writing, for archives whose directory lies.
# --------------------------------------------------------------------------------------------


@dataclass
class RawMember:
    name: str
    compressed: bytes  # raw deflate
    crc: int
    size: int  # the true uncompressed size
    declared: int | None = None  # what the headers claim instead (a lie), if set


def _raw_zip(entries: list[RawMember]) -> bytes:
    out = io.BytesIO()
    central = []
    for entry in entries:
        name = entry.name.encode("utf-8")
        size = entry.size if entry.declared is None else entry.declared
        offset = out.tell()
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", 20, 0x800, 8, 0, 0x5A34,
                              entry.crc, len(entry.compressed), size, len(name), 0))
        out.write(name)
        out.write(entry.compressed)
        central.append(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, 20, 0x800, 8, 0, 0x5A34,
                                   entry.crc, len(entry.compressed), size, len(name), 0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), start, 0))
    return out.getvalue()


def _deflate(content: bytes) -> RawMember:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return RawMember("", compressor.compress(content) + compressor.flush(), zlib.crc32(content), len(content))


def _raw_members(data: bytes) -> list[RawMember]:
    out = []
    for name, content in members(data).items():
        member = _deflate(content)
        member.name = name
        out.append(member)
    return out


def _inflating_sheet(xml: bytes, padding: int) -> RawMember:
    """The sheet ``xml`` with ``padding`` bytes of whitespace before ``<sheetData`` — still valid
    XML — compressed by repeating one full-flushed 1 MiB block (a deflate stream may do that), so
    a gigabyte costs a megabyte and milliseconds to make."""
    at = xml.index(b"<sheetData")
    head, tail = xml[:at], xml[at:]
    chunk = b" " * (1 << 20)
    assert padding % len(chunk) == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = [compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)]
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    body.extend([block] * (padding // len(chunk)))
    body.append(compressor.compress(tail) + compressor.flush())
    crc = zlib.crc32(head)
    for _ in range(padding // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    return RawMember("", b"".join(body), crc, len(head) + padding + len(tail))


def bomb(data: bytes, sheet: str, *, padding: int = GIB, lie: bool = False) -> bytes:
    """The workbook with ``sheet`` inflating to ``padding`` more bytes; ``lie``: the headers claim
    a harmless size (3× the compressed size), so only inflating tells the truth."""
    entries = _raw_members(data)
    target = sheet_member(members(data), sheet)
    for i, entry in enumerate(entries):
        if entry.name == target:
            swollen = _inflating_sheet(members(data)[target], padding)
            swollen.name = target
            if lie:
                swollen.declared = 3 * len(swollen.compressed)
            entries[i] = swollen
    return _raw_zip(entries)


def declared_bomb(data: bytes, sheet: str, declared: int = 0xFFFFFF00) -> bytes:
    """The workbook, unchanged, but its headers claim ``sheet`` inflates to ~4 GB."""
    entries = _raw_members(data)
    target = sheet_member(members(data), sheet)
    for entry in entries:
        if entry.name == target:
            entry.declared = declared
    return _raw_zip(entries)


# --------------------------------------------------------------------------------------------
# XML entity attacks
# --------------------------------------------------------------------------------------------

LAUGHS_DTD = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)
XXE_DTD = '<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def with_dtd(data: bytes, member: str, dtd: str, entity: str, replace_text: str) -> bytes:
    """The workbook with ``dtd`` in ``member`` and the first ``replace_text`` there made ``&entity;``."""
    parts = members(data)
    xml = parts[member].decode("utf-8")
    declaration_end = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
    xml = xml[:declaration_end] + dtd + xml[declaration_end:]
    if replace_text not in xml:
        raise ValueError(f"{replace_text!r} not in {member}")
    xml = xml.replace(replace_text, f"&{entity};", 1)
    parts[member] = xml.encode("utf-8")
    return rezip(parts)


# --------------------------------------------------------------------------------------------
# Macros, external links, many sheets
# --------------------------------------------------------------------------------------------


def with_macros_and_links(data: bytes) -> bytes:
    """An .xlsm: a vbaProject.bin (an OLE file with a VBA-looking stream) and an external link
    to a workbook on another machine.  A reader must take the values and run or fetch nothing."""
    parts = members(data)
    vba = cfb({"VBA": b"Attribute VB_Name = \"ThisWorkbook\"\r\nSub Workbook_Open()\r\nShell \"calc.exe\"\r\nEnd Sub\r\n"})
    parts["xl/vbaProject.bin"] = vba
    parts["xl/externalLinks/externalLink1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/></sheetNames>'
        '<sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>999</v></cell></row></sheetData>'
        "</sheetDataSet></externalBook></externalLink>"
    ).encode("utf-8")
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
        'Target="file:///\\\\10.0.0.1\\share\\other.xlsx" TargetMode="External"/></Relationships>'
    ).encode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    rels = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
        '<Relationship Id="rIdExt1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/externalLink" '
        'Target="externalLinks/externalLink1.xml"/></Relationships>',
    )
    parts["xl/_rels/workbook.xml.rels"] = rels.encode("utf-8")
    workbook = parts["xl/workbook.xml"].decode("utf-8")
    workbook = workbook.replace("</sheets>", '</sheets><externalReferences><externalReference r:id="rIdExt1"/></externalReferences>', 1)
    parts["xl/workbook.xml"] = workbook.encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    types = types.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    types = types.replace(
        "</Types>",
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        '<Override PartName="/xl/externalLinks/externalLink1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
    )
    parts["[Content_Types].xml"] = types.encode("utf-8")
    return rezip(parts)


def with_many_sheets(data: bytes, count: int) -> bytes:
    """The workbook with ``count`` more (empty) sheets after its own."""
    parts = members(data)
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
    ).encode("utf-8")
    tags, rels, types = [], [], []
    for i in range(count):
        parts[f"xl/worksheets/extra{i}.xml"] = sheet
        tags.append(f'<sheet name="附{i}" sheetId="{10000 + i}" r:id="rIdX{i}"/>')
        rels.append(
            f'<Relationship Id="rIdX{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/extra{i}.xml"/>'
        )
        types.append(
            f'<Override PartName="/xl/worksheets/extra{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].decode("utf-8").replace("</sheets>", "".join(tags) + "</sheets>", 1).encode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = (
        parts["xl/_rels/workbook.xml.rels"].decode("utf-8").replace("</Relationships>", "".join(rels) + "</Relationships>").encode("utf-8")
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].decode("utf-8").replace("</Types>", "".join(types) + "</Types>").encode("utf-8")
    return rezip(parts)


# --------------------------------------------------------------------------------------------
# OLE compound files (MS-CFB), written by hand: an encrypted workbook without msoffcrypto
# --------------------------------------------------------------------------------------------

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_MINI_CUTOFF = 4096


def cfb(streams: dict[str, bytes]) -> bytes:
    """A version-3 compound file holding ``streams`` at its root.

    Streams shorter than the 4096-byte mini-stream cutoff are padded up to it, so every stream
    lives in ordinary sectors and no mini stream is needed (readers take the declared size).
    """
    sector = 512
    bodies = [(name, content.ljust(_MINI_CUTOFF, b"\0")) for name, content in streams.items()]
    n_dir = -(-(len(bodies) + 1) // 4)
    stream_sectors = [-(-len(body) // sector) for _, body in bodies]
    n_data = n_dir + sum(stream_sectors)
    n_fat = 1
    while n_fat * (sector // 4) < n_fat + n_data:
        n_fat += 1
    fat = [_FATSECT] * n_fat
    first_dir = len(fat)
    fat.extend(list(range(first_dir + 1, first_dir + n_dir)) + [_END])
    starts = []
    for count in stream_sectors:
        start = len(fat)
        starts.append(start)
        fat.extend(list(range(start + 1, start + count)) + [_END])
    fat.extend([_FREE] * (n_fat * (sector // 4) - len(fat)))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return struct.pack(
            "<64sHBBIII16sIQQIQ", encoded.ljust(64, b"\0"), len(encoded), kind, 1,
            _NOSTREAM, right, child, b"\0" * 16, 0, 0, 0, start, size,
        )

    directory = [entry("Root Entry", 5, _NOSTREAM, 1 if bodies else _NOSTREAM, _END, 0)]
    for i, (name, body) in enumerate(bodies):
        right = i + 2 if i + 1 < len(bodies) else _NOSTREAM
        directory.append(entry(name, 2, right, _NOSTREAM, starts[i], len(body)))
    empty = struct.pack("<64sHBBIII16sIQQIQ", b"\0" * 64, 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM,
                        b"\0" * 16, 0, 0, 0, 0, 0)
    directory.extend([empty] * (n_dir * 4 - len(directory)))

    difat = list(range(n_fat)) + [_FREE] * (109 - n_fat)
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
        0, n_fat, first_dir, 0, _MINI_CUTOFF, _END, 0, _END, 0,
    ) + struct.pack("<109I", *difat)
    body = struct.pack(f"<{len(fat)}I", *fat) + b"".join(directory)
    body += b"".join(content.ljust(count * sector, b"\0") for (_, content), count in zip(bodies, stream_sectors))
    return header + body


def ole_looping_chain(size: int = 40 * 1024 * 1024) -> bytes:
    """A compound file whose Workbook stream's FAT chain points at itself and whose directory
    entry claims ``size`` bytes: a reader that follows the chain up to the claimed size reads
    one sector over and over into tens of megabytes (or, with a larger claim, gigabytes)."""
    data = bytearray(cfb({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00" + b"\0" * 12}))
    first_dir = struct.unpack_from("<I", data, 0x30)[0]
    entry = 512 + first_dir * 512 + 128  # the entry after Root Entry
    start = struct.unpack_from("<I", data, entry + 116)[0]
    struct.pack_into("<I", data, 512 + 4 * start, start)  # FAT[start] = start (the FAT is sector 0)
    struct.pack_into("<Q", data, entry + 120, size)
    return bytes(data)


def encrypted_handmade(seed: int = 7) -> bytes:
    """What Excel writes for "password to open" (agile encryption): an OLE file whose streams are
    EncryptionInfo and EncryptedPackage.  The ciphertext is random bytes: nobody can decrypt it,
    and a reader must not need to in order to say what it is."""
    rng = random.Random(seed)
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">'
        '<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" '
        'cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/>'
        "</encryption>"
    ).encode("utf-8")
    package = struct.pack("<Q", 9000) + rng.randbytes(9008)
    return cfb({"EncryptionInfo": info, "EncryptedPackage": package})


def encrypted_real(data: bytes, password: str = "xlsreport") -> bytes | None:
    """``data`` encrypted by msoffcrypto-tool exactly as Excel would; None when it is not installed."""
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return None
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


# --------------------------------------------------------------------------------------------
# Other kinds of file dressed as workbooks
# --------------------------------------------------------------------------------------------


def docx() -> bytes:
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ).encode("utf-8"),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            "<w:p><w:r><w:t>微山县西平镇人民政府2024年政府信息公开工作年度报告</w:t></w:r></w:p></w:body></w:document>"
        ).encode("utf-8"),
    }
    return rezip(parts)


CATEGORY_VALUES = (5, 1, 1, 1, 38, 8, 54)


def html_table() -> bytes:
    """The categories as a government system's "export to Excel" writes them: an HTML table in
    GB2312 with an .xls name."""
    head = "".join(f"<td>{label}</td>" for label in CATEGORY_LABELS)
    values = "".join(f"<td>{value}</td>" for value in CATEGORY_VALUES)
    page = (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
        '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
        "<table border=1><tr><td colspan=7>主动公开政府信息分类统计</td></tr>"
        f"<tr>{head}</tr><tr>{values}</tr></table></body></html>"
    )
    return page.encode("gb2312")


# --------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str  # file name in the corpus folder
    expect: Expect
    why: str
    paths: tuple[tuple[str, ...], ...] = ()  # for "invalid": the form values a finding must point at
    heavy: bool = False  # may cost real memory or time in a broken reader: run it in a subprocess only
    same_as: str = "valid"  # for "readable": "valid" (the valid workbook) or "seed" (the seed's .xls)


_NOTICES = ("categories", "notices")
_BUDGET = ("categories", "budget")
_NEW_PERSON = ("applications", "new", "natural_person")
_GRANTED_PERSON = ("applications", "granted", "natural_person")
_LICENSING = ("proactive", "licensing")
_PENALTIES = ("proactive", "penalties")
_UPHELD = ("review_litigation", "review", "upheld")

CASES: tuple[Case, ...] = (
    Case("有效.xlsx", "readable", "the valid workbook itself, beside the broken ones"),
    Case("empty.xlsx", "unreadable", "0 bytes"),
    Case("random.xlsx", "unreadable", "4 KB of random bytes"),
    Case("random-zip-magic.xlsx", "unreadable", "random bytes after a zip signature"),
    Case("random-ole-magic.xls", "unreadable", "random bytes after an OLE signature"),
    Case("notes.xlsx", "unsupported", "a text file named .xlsx"),
    Case("报表.xlsx", "unsupported", "a CSV (GBK, as Excel on Chinese Windows saves it) named .xlsx"),
    Case("truncated.xlsx", "unreadable", "the valid workbook cut in half (an interrupted download)"),
    Case("truncated-end.xlsx", "unreadable", "the valid workbook without its last 100 bytes (the zip directory)"),
    Case("truncated.xls", "unreadable", "the seed .xls cut after 3000 bytes"),
    Case("report.docx.xlsx", "unsupported", "a Word document renamed .xlsx"),
    Case("archive.xlsx", "unsupported", "a zip of CSV files, no workbook"),
    Case("export.xls", "html", "an HTML table (GB2312) saved as .xls by an export button"),
    Case("xlsx-named.xls", "readable", "a real .xlsx named .xls"),
    Case("seed-named.xlsx", "readable", "the seed's real .xls named .xlsx", same_as="seed"),
    Case("encrypted.xlsx", "encrypted", "encrypted by msoffcrypto-tool as Excel does (hand-made if it is absent)"),
    Case("encrypted-handmade.xlsx", "encrypted", "an OLE file with EncryptionInfo/EncryptedPackage streams"),
    Case("ole-looping-chain.xls", "unreadable", "an OLE Workbook stream whose chain loops and claims 40 MB", heavy=True),
    Case("macro.xlsm", "readable", "vbaProject.bin and an external link to another machine"),
    Case("bomb-declared.xlsx", "limit", "zip directory claims a sheet inflates to ~4 GB", heavy=True),
    Case("bomb-genuine.xlsx", "limit", "a sheet that really inflates to 1 GiB (honest sizes)", heavy=True),
    Case("bomb-lying.xlsx", "unreadable", "a sheet that inflates to 1 GiB while its headers claim ~3 MB", heavy=True),
    Case("laughs-strings.xlsx", "unreadable", "billion-laughs DTD in xl/sharedStrings.xml", heavy=True),
    Case("laughs-sheet.xlsx", "unreadable", "billion-laughs DTD in a worksheet", heavy=True),
    Case("xxe.xlsx", "unreadable", "an external entity (file:///etc/passwd) in the shared strings", heavy=True),
    Case("million-rows.xlsx", "large", "one stray note at A1000000", heavy=True),
    Case("last-cell.xlsx", "large", "one stray value at XFD1048576, the last cell of a sheet", heavy=True),
    Case("lying-dimension.xlsx", "readable", "sheet dimension claims A1:XFD1048576; the cells are the form's", heavy=True),
    Case("many-sheets.xlsx", "large", "3000 extra empty sheets", heavy=True),
    Case("wide-cell.xls", "limit", "the seed .xls with its total (an RK record) moved to row 1025, column 65281 —"
         " a 5 KB file whose used range is 66 million cells (found by test_fuzz)", heavy=True),
    Case("bad-deflate.xlsx", "unreadable", "[Content_Types].xml whose deflate data is invalid (found by test_fuzz)"),
    Case("huge-number.xlsx", "invalid", "1e308 as a count", (_NOTICES,)),
    Case("overflow.xlsx", "invalid", "two counts of 1e308 whose sum overflows to inf", (_NOTICES, _BUDGET)),
    Case("negative.xlsx", "invalid", "a negative count", (_NEW_PERSON,)),
    Case("fraction.xlsx", "invalid", "a fractional count", (_LICENSING,)),
    Case("div0.xlsx", "invalid", "=1/0 (#DIV/0!) in an input cell", (_GRANTED_PERSON,)),
    Case("ref.xlsx", "invalid", "#REF! in an input cell", (_PENALTIES,)),
    Case("approx.xlsx", "invalid", "约50 typed as a count", (_UPHELD,)),
    Case("nan.xlsx", "invalid", "a <v>NaN</v> that no spreadsheet writes", (_LICENSING,)),
    Case("boolean.xlsx", "invalid", "TRUE where a count belongs", (_NEW_PERSON,)),
)
CASE_BY_NAME = {case.name: case for case in CASES}


def cell_of(path: tuple[str, ...]) -> str:
    """The address of a form value in the valid workbook ("依申请公开!D6")."""
    return input_cells()[path]


def _sheet(path: tuple[str, ...]) -> str:
    return cell_of(path).rsplit("!", 1)[0]


def content(name: str) -> bytes:
    """The bytes of the case called ``name``."""
    valid = valid_workbook()
    rng = random.Random(name)
    apps = _sheet(_NEW_PERSON)
    cats = _sheet(_NOTICES)
    makers = {
        "有效.xlsx": lambda: valid,
        "empty.xlsx": lambda: b"",
        "random.xlsx": lambda: rng.randbytes(4096),
        "random-zip-magic.xlsx": lambda: b"PK\x03\x04" + rng.randbytes(4096),
        "random-ole-magic.xls": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(4096),
        "notes.xlsx": lambda: "微山县西平镇2024年主动公开信息58条。\n请查收。\n".encode("utf-8"),
        "报表.xlsx": lambda: (",".join(CATEGORY_LABELS) + "\r\n" + ",".join(map(str, CATEGORY_VALUES)) + "\r\n").encode("gbk"),
        "truncated.xlsx": lambda: valid[: len(valid) // 2],
        "truncated-end.xlsx": lambda: valid[:-100],
        "truncated.xls": lambda: SEED_XLS.read_bytes()[:3000],
        "report.docx.xlsx": docx,
        "archive.xlsx": lambda: rezip({"a.csv": b"1,2\n", "b.csv": b"3,4\n"}),
        "export.xls": html_table,
        "xlsx-named.xls": lambda: valid,
        "seed-named.xlsx": lambda: SEED_XLS.read_bytes(),
        "encrypted.xlsx": lambda: encrypted_real(valid) or encrypted_handmade(seed=8),
        "encrypted-handmade.xlsx": encrypted_handmade,
        "ole-looping-chain.xls": ole_looping_chain,
        "macro.xlsm": lambda: with_macros_and_links(valid),
        "bomb-declared.xlsx": lambda: declared_bomb(valid, apps),
        "bomb-genuine.xlsx": lambda: bomb(valid, apps),
        "bomb-lying.xlsx": lambda: bomb(valid, apps, lie=True),
        "laughs-strings.xlsx": lambda: with_dtd(valid, "xl/sharedStrings.xml", LAUGHS_DTD, "lol9", "通知公告"),
        "laughs-sheet.xlsx": lambda: with_dtd(
            set_cells(valid, {cell_of(_NOTICES): "x"}), sheet_member(members(valid), cats), LAUGHS_DTD, "lol9",
            '<t xml:space="preserve">x</t>',
        ),
        "xxe.xlsx": lambda: with_dtd(valid, "xl/sharedStrings.xml", XXE_DTD, "xxe", "通知公告"),
        "million-rows.xlsx": lambda: set_cells(valid, {f"{apps}!A1000000": "备注：以上数据已核对"}, dimension="A1:J1000000"),
        "last-cell.xlsx": lambda: set_cells(valid, {f"{apps}!XFD1048576": 1}, dimension="A1:XFD1048576"),
        "lying-dimension.xlsx": lambda: _lying_dimension(valid, apps),
        "many-sheets.xlsx": lambda: with_many_sheets(valid, 3000),
        "wide-cell.xls": _wide_cell_xls,
        "bad-deflate.xlsx": lambda: _bad_deflate(valid),
        "huge-number.xlsx": lambda: set_cells(valid, {cell_of(_NOTICES): 1e308}),
        "overflow.xlsx": lambda: set_cells(valid, {cell_of(_NOTICES): 1e308, cell_of(_BUDGET): 1e308}),
        "negative.xlsx": lambda: set_cells(valid, {cell_of(_NEW_PERSON): -3}),
        "fraction.xlsx": lambda: set_cells(valid, {cell_of(_LICENSING): 2.5}),
        "div0.xlsx": lambda: set_cells(valid, {cell_of(_GRANTED_PERSON): ("error", "#DIV/0!", "1/0")}),
        "ref.xlsx": lambda: set_cells(valid, {cell_of(_PENALTIES): ("error", "#REF!", "#REF!+1")}),
        "approx.xlsx": lambda: set_cells(valid, {cell_of(_UPHELD): "约50"}),
        "nan.xlsx": lambda: set_cells(valid, {cell_of(_LICENSING): ("literal", "NaN")}),
        "boolean.xlsx": lambda: set_cells(valid, {cell_of(_NEW_PERSON): True}),
    }
    return makers[name]()


def build(folder: Path, names: Iterable[str] | None = None) -> dict[str, Path]:
    """Write the cases (all, or those named) into ``folder``; return their paths by name."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name in names or CASE_BY_NAME:
        path = folder / name
        path.write_bytes(content(name))
        out[name] = path
    return out


def _lying_dimension(valid: bytes, sheet: str) -> bytes:
    parts = members(valid)
    member = sheet_member(parts, sheet)
    xml = parts[member].decode("utf-8")
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:XFD1048576"/>', xml)
    parts[member] = xml.encode("utf-8")
    return rezip(parts)


def _wide_cell_xls() -> bytes:
    """The seed .xls with the RK record of its total (E6: row 5, column 4) moved far out."""
    seed = SEED_XLS.read_bytes()
    record = b"\x7e\x02\x0a\x00" + struct.pack("<HH", 5, 4)  # RK, length 10, row 5, col 4
    at = seed.index(record)
    return seed[: at + 4] + struct.pack("<HH", 1024, 0xFF00) + seed[at + 8 :]


def _bad_deflate(valid: bytes) -> bytes:
    """A well-formed zip whose first member ([Content_Types].xml) starts with a deflate block of
    the reserved type 3: every inflater stops with an error at once."""
    entries = _raw_members(valid)
    entries[0].compressed = b"\x07" + entries[0].compressed[1:]
    return _raw_zip(entries)
