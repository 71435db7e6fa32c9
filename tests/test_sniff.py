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
from xlsreport.reading.report import read, read_bytes
from xlsreport.reading.sniff import MAX_FILE_BYTES, MAX_UNCOMPRESSED_BYTES, sniff

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


@pytest.mark.parametrize("name", ["报告.docx", "报告.pdf", "报告.html", "报告.xlsx"])
def test_random_bytes_under_any_name_are_told_every_format_the_tool_reads(name):
    # Word, web pages, PDF and text are read now: the message must not send the clerk back to Excel only
    noise = random.Random(11).randbytes(3000)
    with pytest.raises(UnreadableWorkbook) as info:
        read_bytes(noise, name)
    message = info.value.message
    assert message.startswith(f"文件 {name} 的内容无法识别：")
    for readable in (".xlsx", ".xls", ".ods", "WPS", "Word（.docx）", "网页（.html）", "PDF", "纯文本（.txt）"):
        assert readable in message, readable


def test_a_web_page_without_the_forms_tables_is_a_web_page_not_a_table_export():
    page = "<html><body><h1>通知</h1><p>今天下午开会。</p></body></html>".encode()
    with pytest.raises(UnsupportedFormat) as info:
        read_bytes(page, "通知.html")
    assert info.value.message.startswith("文件 通知.html 是网页（HTML），但其中没有找到年度报告的表格")
    with pytest.raises(UnsupportedFormat) as info:  # an .xls that is a web page: what systems export
        read_bytes(page, "导出.xls")
    assert "网页格式的表格（HTML，常见于系统导出的 .xls）" in info.value.message


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
    # a Word document is read as a published report (issue #12); this one has no table of the form
    body = b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>'
    docx = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": body})
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
    assert sniff(b"%PDF-1.7\n...", "a.xls").kind == "pdf"  # read as a published report (issue #12)
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


# --- issue #5: sheets are measured before calamine allocates them; DTDs are refused ----------

INBOX = Path(__file__).resolve().parents[1] / "samples" / "inbox"


def xlsx_with_sheet_data(sheet_data: str, prolog: str = "") -> bytes:
    """A one-sheet workbook whose <sheetData> is ``sheet_data`` (no library re-saves it)."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes())) as archive:
        for name in archive.namelist():
            parts[name] = archive.read(name)
    xml = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    start, end = xml.index("<sheetData"), xml.index("</sheetData>") + len("</sheetData>")
    xml = xml[:start] + sheet_data + xml[end:]
    if prolog:  # after the XML declaration if there is one (openpyxl writes none)
        at = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
        xml = xml[:at] + prolog + xml[at:]
    parts["xl/worksheets/sheet1.xml"] = xml.encode("utf-8")
    return zip_of(parts)


def test_cells_without_r_are_counted_where_they_fall():
    # a row at 300 000 whose cells carry no reference: 300 000 rows × 2 columns > 200 000 cells
    data = xlsx_with_sheet_data('<sheetData><row r="300000"><c><v>1</v></c><c><v>2</v></c></row></sheetData>')
    with pytest.raises(LimitExceeded, match="300000"):
        read_bytes(data, "far.xlsx")


def test_formatted_empty_cells_far_away_do_not_count():
    # Excel writes <c r=".." s=".."/> for a formatted empty cell; it holds nothing to read
    data = xlsx_with_sheet_data(
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>通知公告</t></is></c></row>'
        '<row r="900000"><c r="XFD900000" s="0"/></row></sheetData>'
    )
    with pytest.raises(NotAForm):  # read, and found to hold no form: not refused by a limit
        read_bytes(data, "styled.xlsx")


def test_a_dtd_after_a_long_comment_is_still_found():
    data = xlsx_with_sheet_data("<sheetData/>", prolog="<!--" + "x" * 10000 + '--><!DOCTYPE x [<!ENTITY a "b">]>')
    with pytest.raises(UnreadableWorkbook, match="DTD"):
        read_bytes(data, "dtd.xlsx")


def ods_with(change) -> bytes:
    with zipfile.ZipFile(INBOX / "夏镇街道-2024.ods") as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts["content.xml"] = change(parts["content.xml"].decode("utf-8")).encode("utf-8")
    return zip_of(parts)


def test_ods_value_repeated_across_every_column_and_row_is_refused():
    def repeat(xml: str) -> str:
        # the first number cell, repeated 16 384 times, in its row repeated 1 000 times
        at = xml.index('office:value-type="float"')
        cell = xml.rindex("<table:table-cell", 0, at)
        row = xml.rindex("<table:table-row", 0, cell)
        xml = xml[:cell] + '<table:table-cell table:number-columns-repeated="16384"' + xml[cell + len("<table:table-cell"):]
        return xml[:row] + '<table:table-row table:number-rows-repeated="1000"' + xml[row + len("<table:table-row"):]

    with pytest.raises(LimitExceeded, match="单元格"):
        read_bytes(ods_with(repeat), "repeated.ods")


def test_the_sample_ods_with_its_million_empty_rows_reads():
    assert read(INBOX / "夏镇街道-2024.ods").to_dict()["unit"]["name"]


def test_the_xls_workbook_stream_is_found_case_insensitively_and_starts_with_a_biff8_bof():
    from xlsreport.reading.sniff import ole_stream, ole_stream_names

    data = (INBOX / "韩庄镇-2024.xls").read_bytes()
    assert "Workbook" in ole_stream_names(data)
    stream = ole_stream(data, "WORKBOOK")
    # [MS-XLS] 2.4.21: BOF record 0x0809, then the BIFF8 version 0x0600 and 0x0005 (workbook globals)
    assert stream[:2] == b"\x09\x08" and stream[4:8] == b"\x00\x06\x05\x00"
    assert ole_stream(data, "NoSuchStream") is None


def test_an_ole_stream_that_claims_more_than_the_file_is_refused_before_it_is_read():
    import hostile

    from xlsreport.reading.sniff import ole_stream

    with pytest.raises(ValueError, match="longer than the file"):
        ole_stream(hostile.ole_looping_chain(), "Workbook")


def test_xls_whose_dimensions_record_claims_an_impossible_range_is_refused():
    from xlsreport.reading.spreadsheet import check_extents

    (seed,) = glob.glob(str(SEED / "*-attachment-categories.xls"))
    data = bytearray(Path(seed).read_bytes())
    at = data.index(b"\x00\x02\x0e\x00")  # DIMENSIONS, 14 bytes: rows u32 u32, columns u16 u16
    struct.pack_into("<IIHH", data, at + 4, 0, 0x7FFFFFFF, 0, 0xFFFF)
    with pytest.raises(LimitExceeded, match="65536"):
        check_extents(bytes(data), sniff(bytes(data), "dims.xls"), "dims.xls")


def test_an_xlsb_is_refused_with_the_save_as_advice():
    import io
    import zipfile

    from xlsreport.errors import UnsupportedFormat
    from xlsreport.reading.sniff import sniff

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
        archive.writestr("xl/worksheets/sheet1.bin", b"\x81\x01\x00")
    with pytest.raises(UnsupportedFormat) as refused:
        sniff(buffer.getvalue(), "报表.xlsb")
    assert ".xlsb" in refused.value.message and "另存为" in refused.value.message


def test_an_html_page_of_huge_spans_is_refused_before_it_costs_memory():
    from xlsreport.errors import LimitExceeded
    from xlsreport.reading.producers import load

    cell = '<td rowspan="1000" colspan="1000">1</td>'
    page = ("<html><body><table><tr>" + cell * 300 + "</tr></table></body></html>").encode()
    with pytest.raises(LimitExceeded) as refused:
        load(page, "导出.xls")
    assert "导出.xls" in refused.value.message


@pytest.mark.parametrize(
    "cell",
    [
        '<c r="XFD1048576"><v>1</v></c>',
        '<c r="A1" r="XFD1048576"><v>1</v></c>',  # two references: the worst one counts
        '<c r="$XFD$1048576"><v>1</v></c>',
        '<c\tr="XFD1048576"><v>1</v></c>',
        '<c r="A1" s="0" foo="x" r="ZZ900000"><v>1</v></c>',
        '<c r="Z999"><v>1</v></c><c r="AAA1"><v>1</v></c><c r="A300000"><v>1</v></c>',
    ],
)
def test_a_sheet_is_let_through_unmeasured_only_when_every_cell_is_plainly_inside_a1_z999(cell):
    # issue #10: a form's sheets (all inside A1:Z999) skip the measuring pass; a cell spelled in
    # any other way, or anywhere else, still sends the sheet through it and past the limit
    data = xlsx_with_sheet_data(f'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>通知公告</t></is></c>{cell}</row></sheetData>')
    with pytest.raises(LimitExceeded):
        read_bytes(data, "far.xlsx")
