"""What the bytes are — decided by content, never by the file name.

Clerks rename files freely (an .xlsx saved as .xls, a web page saved as .xls by an export
button, a Word document attached by mistake), so the extension tells us nothing we can trust.
Everything here is a cheap look at headers and directories: nothing is inflated or parsed in
full, so a hostile or broken file is refused before it costs memory or time.

The fixed limits below are the whole policy against oversized and "bomb" files.
"""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import dataclass
from typing import Literal

from .errors import EncryptedWorkbook, LimitExceeded, UnreadableWorkbook, UnsupportedFormat

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

Kind = Literal["xlsx", "xlsm", "xlsb", "xls", "ods", "html"]

_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"

_SAVE_AS = "请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再试。"


@dataclass(frozen=True)
class Sniffed:
    """The kind of workbook the bytes hold, and a Chinese name for it (for messages)."""

    kind: Kind
    description: str


def sniff(data: bytes, name: str = "") -> Sniffed:
    """Say what ``data`` is, or raise a typed error that tells the clerk what it is and what to do.

    Readable kinds: xlsx/xlsm/xlsb (zip with ``xl/workbook.*``), xls (OLE2 with a Workbook
    stream), ods, and an HTML table saved with an .xls name.
    """
    size = len(data)
    if size == 0:
        raise UnreadableWorkbook(f"{_label(name)}是空文件（0 字节）：请重新导出或向报送单位索取完整文件。", path=name or None)
    if size > MAX_FILE_BYTES:
        raise LimitExceeded(
            f"{_label(name)}大小为 {size / 1024 / 1024:.1f} MB，超过上限 {MAX_FILE_BYTES // 1024 // 1024} MB："
            "年度报告表格通常只有几十 KB，请删除图片等无关内容后另存再试。",
            path=name or None,
        )
    head = data[:8]
    if head[:4] in _ZIP_MAGIC:
        return _sniff_zip(data, name)
    if head == _OLE_MAGIC:
        return _sniff_ole(data, name)
    return _sniff_text(data, name)


def _label(name: str) -> str:
    return f"文件 {name} " if name else "文件"


# ---------------------------------------------------------------------------------------------
# zip containers: xlsx, xlsm, xlsb, ods — and docx, pptx, odt, plain zip archives
# ---------------------------------------------------------------------------------------------


def _sniff_zip(data: bytes, name: str) -> Sniffed:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
        raise UnreadableWorkbook(
            f"{_label(name)}已损坏或不完整（压缩包结构无法读取，常见于下载中断或复制未完成）："
            "请重新下载，或请报送单位重新发送。",
            path=name or None,
        ) from exc
    # Sizes from the central directory: nothing has been inflated yet.
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise LimitExceeded(
            f"{_label(name)}解压后共 {total / 1024 / 1024:.0f} MB，超过上限 "
            f"{MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB：文件异常（可能是“压缩炸弹”），已拒绝读取。",
            path=name or None,
        )
    for info in infos:
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
            raise LimitExceeded(
                f"{_label(name)}中的 {info.filename} 压缩比异常（{info.file_size} 字节压缩为 {info.compress_size} 字节，"
                f"超过 {MAX_COMPRESSION_RATIO} 倍）：文件异常（可能是“压缩炸弹”），已拒绝读取。",
                path=name or None,
            )
    names = {info.filename for info in infos}
    if "mimetype" in names:
        mime = _read_small(archive, "mimetype")
        if mime.strip() == _ODS_MIME:
            return Sniffed("ods", "OpenDocument 电子表格（.ods）")
        if b"opendocument.text" in mime:
            raise UnsupportedFormat(f"{_label(name)}是 OpenDocument 文字文档（.odt），不是电子表格：请提交年度报告的 Excel 表格。", path=name or None)
        raise UnsupportedFormat(f"{_label(name)}是 OpenDocument 文档（{mime.decode('ascii', 'replace')}），不是电子表格。", path=name or None)
    if "xl/workbook.xml" in names:
        content_types = _read_small(archive, "[Content_Types].xml") if "[Content_Types].xml" in names else b""
        if b"macroEnabled" in content_types:
            return Sniffed("xlsm", "启用宏的 Excel 工作簿（.xlsm）")
        return Sniffed("xlsx", "Excel 工作簿（.xlsx）")
    if "xl/workbook.bin" in names:
        return Sniffed("xlsb", "Excel 二进制工作簿（.xlsb）")
    if "word/document.xml" in names:
        raise UnsupportedFormat(
            f"{_label(name)}是 Word 文档（.docx），不是 Excel 工作簿：请提交年度报告的 Excel 表格；"
            "如果表格只在 Word 里，请把表格复制到 Excel 或 WPS 表格中另存为 .xlsx。",
            path=name or None,
        )
    if "ppt/presentation.xml" in names:
        raise UnsupportedFormat(f"{_label(name)}是 PowerPoint 演示文稿（.pptx），不是 Excel 工作簿。", path=name or None)
    raise UnsupportedFormat(
        f"{_label(name)}是一个普通压缩包（zip），里面没有 Excel 工作簿：请解压后逐个提交其中的表格文件。",
        path=name or None,
    )


def _read_small(archive: zipfile.ZipFile, member: str, limit: int = 64 * 1024) -> bytes:
    """The start of a small member (mimetype, content types), never more than ``limit`` bytes."""
    try:
        with archive.open(member) as handle:
            return handle.read(limit)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise UnreadableWorkbook("文件已损坏或不完整（压缩包成员无法读取）：请重新下载或请报送单位重新发送。") from exc


# ---------------------------------------------------------------------------------------------
# OLE2 compound files: xls, encrypted xlsx, doc
# ---------------------------------------------------------------------------------------------


def _sniff_ole(data: bytes, name: str) -> Sniffed:
    try:
        streams = ole_stream_names(data)
    except (ValueError, struct.error, IndexError) as exc:
        raise UnreadableWorkbook(
            f"{_label(name)}已损坏或不完整（OLE 复合文档目录无法读取）：请重新下载，或请报送单位重新发送。",
            path=name or None,
        ) from exc
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise EncryptedWorkbook(
            f"{_label(name)}已加密（设置了打开密码），无法读取：请打开文件后另存为不带密码的文件再提交。",
            path=name or None,
        )
    if "Workbook" in streams or "Book" in streams:
        return Sniffed("xls", "Excel 97-2003 工作簿（.xls）")
    if "WordDocument" in streams:
        raise UnsupportedFormat(f"{_label(name)}是 Word 97-2003 文档（.doc），不是 Excel 工作簿：请提交年度报告的 Excel 表格。", path=name or None)
    if "PowerPoint Document" in streams:
        raise UnsupportedFormat(f"{_label(name)}是 PowerPoint 演示文稿（.ppt），不是 Excel 工作簿。", path=name or None)
    raise UnsupportedFormat(f"{_label(name)}是 OLE 复合文档，但其中没有 Excel 工作簿：" + _SAVE_AS, path=name or None)


def ole_stream_names(data: bytes) -> set[str]:
    """Names of the entries in an OLE2 compound file's directory (MS-CFB), read without a library.

    Only the header, the FAT and the directory chain are touched; a broken file raises ValueError.
    """
    if len(data) < 512:
        raise ValueError("shorter than an OLE header")
    sector_shift = struct.unpack_from("<H", data, 0x1E)[0]
    if sector_shift not in (9, 12):
        raise ValueError("bad sector size")
    sector = 1 << sector_shift
    n_fat, first_dir = struct.unpack_from("<II", data, 0x2C)
    first_difat, n_difat = struct.unpack_from("<II", data, 0x44)
    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < 0xFFFFFFFA]
    seen = 0
    while first_difat < 0xFFFFFFFA and seen <= n_difat:  # rare: files > ~7 MB
        seen += 1
        entries = struct.unpack_from(f"<{sector // 4}I", data, (first_difat + 1) * sector)
        fat_sectors.extend(s for s in entries[:-1] if s < 0xFFFFFFFA)
        first_difat = entries[-1]
    fat_sectors = fat_sectors[:n_fat]
    fat: list[int] = []
    for s in fat_sectors:
        offset = (s + 1) * sector
        if offset + sector > len(data):
            raise ValueError("FAT sector past the end")
        fat.extend(struct.unpack_from(f"<{sector // 4}I", data, offset))
    names: set[str] = set()
    current, hops = first_dir, 0
    while current < 0xFFFFFFFA:
        offset = (current + 1) * sector
        if offset + sector > len(data) or hops > len(fat):
            raise ValueError("directory chain broken")
        for entry in range(offset, offset + sector, 128):
            length = struct.unpack_from("<H", data, entry + 64)[0]
            if 2 <= length <= 64:
                names.add(data[entry : entry + length - 2].decode("utf-16-le", "replace"))
        current = fat[current] if current < len(fat) else 0xFFFFFFFE
        hops += 1
    if not names:
        raise ValueError("empty directory")
    return names


# ---------------------------------------------------------------------------------------------
# everything else: HTML saved as .xls, SpreadsheetML 2003, CSV/text, PDF, random bytes
# ---------------------------------------------------------------------------------------------


def _sniff_text(data: bytes, name: str) -> Sniffed:
    head = data[:4096]
    if head.startswith(b"%PDF"):
        raise UnsupportedFormat(f"{_label(name)}是 PDF 文件，不是 Excel 工作簿：请提交年度报告的 Excel 表格原件。", path=name or None)
    if head[:4] in (b"\x89PNG", b"GIF8") or head[:3] == b"\xff\xd8\xff":
        raise UnsupportedFormat(f"{_label(name)}是图片，不是 Excel 工作簿：请提交年度报告的 Excel 表格原件。", path=name or None)
    text = _decode(head)
    if text is None:
        raise UnreadableWorkbook(
            f"{_label(name)}的内容无法识别（既不是 Excel/WPS/OpenDocument 表格，也不是文本）：文件可能已损坏，"
            "请重新下载或请报送单位重新发送。",
            path=name or None,
        )
    lowered = text.lstrip("\ufeff \t\r\n").lower()
    if lowered.startswith("mime-version") or "content-type: multipart/related" in lowered[:2000]:
        raise UnsupportedFormat(f"{_label(name)}是“单个文件网页”（.mht），不是 Excel 工作簿：" + _SAVE_AS, path=name or None)
    if "urn:schemas-microsoft-com:office:spreadsheet" in lowered and "<table" not in lowered:
        raise UnsupportedFormat(f"{_label(name)}是 Excel 2003 XML 表格（SpreadsheetML），本工具不直接读取：" + _SAVE_AS, path=name or None)
    if lowered.startswith("<") and ("<table" in lowered or "<html" in lowered or "<!doctype html" in lowered):
        return Sniffed("html", "网页格式的表格（HTML，常见于系统导出的 .xls）")
    if lowered.startswith("{\\rtf"):
        raise UnsupportedFormat(f"{_label(name)}是 RTF 文档，不是 Excel 工作簿。", path=name or None)
    first_line = lowered.splitlines()[0] if lowered else ""
    kind = "CSV 文本文件" if ("," in first_line or "\t" in first_line or "，" in first_line) else "纯文本文件"
    raise UnsupportedFormat(
        f"{_label(name)}是{kind}，不是 Excel 工作簿：请用 Excel 或 WPS 打开后“另存为” .xlsx 再试。",
        path=name or None,
    )


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
