"""What a file is, decided by its content: the right typed error, with a message that helps."""

from __future__ import annotations

import glob
import io
import random
import struct
import zipfile
from pathlib import Path

from msoffcrypto.format.ooxml import OOXMLFile  # test-only dependency (msoffcrypto-tool): the one way to make an encrypted xlsx
import openpyxl
import pytest

from xlsreport.errors import EncryptedWorkbook, LimitExceeded, NotAForm, UnreadableWorkbook, UnsupportedFormat
from xlsreport.reader import read, read_bytes
from xlsreport.sniff import MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES, sniff

SEED = Path(__file__).resolve().parent / "data"  # exact copies of ../shared/seed/*.xls


def xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.append(["通知公告", "财政预算"])
    wb.active.append([5, 1])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_workbooks_are_recognised_by_content_not_name():
    assert sniff(xlsx_bytes(), "report.xls").kind == "xlsx"
    (seed,) = glob.glob(str(SEED / "*-attachment-categories.xls"))
    assert sniff(Path(seed).read_bytes(), "report.xlsx").kind == "xls"
    ods = zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
    assert sniff(ods, "report.xlsx").kind == "ods"
    html = "<html><body><table><tr><td>通知公告</td></tr></table></body></html>".encode()
    assert sniff(html, "export.xls").kind == "html"


def test_empty_file():
    with pytest.raises(UnreadableWorkbook, match="空文件"):
        sniff(b"", "a.xlsx")


def test_random_bytes():
    noise = random.Random(7).randbytes(5000)
    with pytest.raises(UnreadableWorkbook, match="无法识别") as info:
        read_bytes(noise, "a.xlsx")
    assert type(info.value) is UnreadableWorkbook


def test_csv_named_xlsx_says_it_is_csv():
    data = "单位名称,通知公告,财政预算\n西平镇,5,1\n".encode("utf-8")
    with pytest.raises(UnsupportedFormat, match="CSV") as info:
        read_bytes(data, "a.xlsx")
    assert "另存为" in str(info.value)


def test_truncated_zip():
    data = xlsx_bytes()
    with pytest.raises(UnreadableWorkbook, match="不完整") as info:
        read_bytes(data[: len(data) // 2], "a.xlsx")
    assert type(info.value) is UnreadableWorkbook


def test_docx_named_xlsx(tmp_path):
    docx = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    path = tmp_path / "report.xlsx"
    path.write_bytes(docx)
    with pytest.raises(UnsupportedFormat, match="Word"):
        read(path)


def test_encrypted_xlsx(tmp_path):
    plain = io.BytesIO(xlsx_bytes())
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt("secret", encrypted)
    path = tmp_path / "report.xlsx"
    path.write_bytes(encrypted.getvalue())
    with pytest.raises(EncryptedWorkbook) as info:
        read(path)
    assert "加密" in str(info.value) and "不带密码" in str(info.value)


def test_zip_bomb_declared_size_is_refused_before_inflating():
    """A member whose central-directory entry declares more than the limit: refused unread."""
    data = bytearray(zip_of({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"<x/>"}))
    at = data.find(b"PK\x01\x02")  # first central directory header; uncompressed size at +24
    struct.pack_into("<I", data, at + 24, MAX_UNCOMPRESSED_BYTES + 1)
    with pytest.raises(LimitExceeded, match="压缩炸弹"):
        read_bytes(bytes(data), "bomb.xlsx")


def test_zip_bomb_compression_ratio_is_refused():
    data = zip_of({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * (8 * 1024 * 1024)})
    with pytest.raises(LimitExceeded, match="压缩比"):
        read_bytes(data, "bomb.xlsx")


def test_oversized_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.xlsx"
    with open(path, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: no 50 MB written
    with pytest.raises(LimitExceeded, match="MB"):
        read(path)


def test_other_documents_say_what_they_are():
    with pytest.raises(UnsupportedFormat, match="PDF"):
        sniff(b"%PDF-1.7\n...", "a.xls")
    with pytest.raises(UnsupportedFormat, match="压缩包"):
        sniff(zip_of({"readme.txt": b"hello"}), "a.xlsx")


def test_missing_file_and_workbook_without_the_form(tmp_path):
    with pytest.raises(UnreadableWorkbook, match="找不到文件"):
        read(tmp_path / "nope.xlsx")
    wb = openpyxl.Workbook()
    wb.active["A1"] = "会议纪要"
    wb.save(tmp_path / "other.xlsx")
    with pytest.raises(NotAForm):
        read(tmp_path / "other.xlsx")


def test_sheet_with_too_many_cells_is_refused(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "通知公告"
    wb.active["Z10000"] = 1  # a used range of 26 × 10000 cells
    wb.save(tmp_path / "wide.xlsx")
    with pytest.raises(LimitExceeded, match="单元格"):
        read(tmp_path / "wide.xlsx")
