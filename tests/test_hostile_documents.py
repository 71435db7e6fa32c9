"""Broken and malicious published reports (docx, html, pdf, text): each gets a typed error with a
Chinese message — never a traceback, never a hang, never a file read from the disk."""

from __future__ import annotations

import io
import zipfile

import pytest

from xlsreport.errors import LimitExceeded, UnreadableWorkbook, UnsupportedFormat
from xlsreport.reading.report import read_bytes
from xlsreport.reading.sniff import MAX_DOCX_MEMBERS

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def docx_of(document_xml: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document_xml)
        for member, data in (extra or {}).items():
            archive.writestr(member, data)
    return buffer.getvalue()


def table_xml(cells: str) -> str:
    return f'<?xml version="1.0"?><w:document {W}><w:body><w:tbl><w:tr>{cells}</w:tr></w:tbl></w:body></w:document>'


def one_page_pdf(content: bytes) -> bytes:
    """A minimal PDF with one page whose content stream is ``content`` (no fonts: no text)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


CASES = {
    # name: (bytes, expected error type, a word the message must hold)
    "truncated.docx": (docx_of(table_xml("<w:tc><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc>"))[:150], UnreadableWorkbook, "损坏"),
    "broken-xml.docx": (docx_of('<?xml version="1.0"?><w:document ' + W + "><w:body><w:tbl>"), UnreadableWorkbook, "Word"),
    "xxe.docx": (
        docx_of('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + table_xml("<w:tc><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:tc>")[21:]),
        UnreadableWorkbook,
        "DTD",
    ),
    "laughs.docx": (
        docx_of('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' + table_xml("<w:tc><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:tc>")[21:]),
        UnreadableWorkbook,
        "DTD",
    ),
    "many-members.docx": (
        docx_of(table_xml("<w:tc/>"), {f"word/media/{i}.png": b"" for i in range(MAX_DOCX_MEMBERS + 1)}),
        LimitExceeded,
        "部件",
    ),
    "huge-gridspan.docx": (
        docx_of(table_xml('<w:tc><w:tcPr><w:gridSpan w:val="999999999"/></w:tcPr><w:p/></w:tc>' * 400)),
        LimitExceeded,
        "单元格",
    ),
    "no-tables.docx": (
        docx_of(f'<?xml version="1.0"?><w:document {W}><w:body><w:p><w:r><w:t>某县2024年政府信息公开工作年度报告</w:t></w:r></w:p></w:body></w:document>'),
        UnsupportedFormat,
        "表格",
    ),
    "entities.html": (
        b'<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body><table><tr><td>&x;</td></tr></table></body></html>',
        UnreadableWorkbook,
        "实体",
    ),
    "deep.html": (b"<html><body>" + b"<div>" * 5000 + b"<table><tr><td>1</td></tr></table></body></html>", UnreadableWorkbook, "网页"),
    "spans.html": (
        b"<html><body><table>" + b'<tr><td rowspan="1000" colspan="1000">1</td></tr>' * 400 + b"</table></body></html>",
        LimitExceeded,
        "单元格",
    ),
    "many-tables.html": (b"<html><body>" + b"<table><tr><td>1</td></tr></table>" * 300 + b"</body></html>", LimitExceeded, "表格"),
    "no-form.html": (b"<html><body><table><tr><td>hello</td></tr></table></body></html>", UnsupportedFormat, "表格"),
    "truncated.pdf": (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", UnreadableWorkbook, "PDF"),
    "garbage.pdf": (b"%PDF-1.7\n" + bytes(range(256)) * 40, UnreadableWorkbook, "PDF"),
    "scan.pdf": (one_page_pdf(b"0 0 m 100 100 l S"), UnsupportedFormat, "文字识别"),
    "no-form.txt": ("这是一封信。\n\n请查收。\n".encode("utf-8"), UnsupportedFormat, "表格"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_hostile_document_gets_a_typed_chinese_message(name):
    data, expected, word = CASES[name]
    with pytest.raises(expected) as refused:
        read_bytes(data, name)
    message = refused.value.message
    assert name in message and word in message, message
    assert "Traceback" not in message


def test_command_line_gives_exit_3_without_traceback(tmp_path):
    from typer.testing import CliRunner

    from xlsreport.cli import app

    runner = CliRunner()
    for name in ("xxe.docx", "spans.html", "scan.pdf"):
        path = tmp_path / name
        path.write_bytes(CASES[name][0])
        result = runner.invoke(app, ["check", str(path), "--json"])
        assert result.exit_code == 3, (name, result.stdout, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr
