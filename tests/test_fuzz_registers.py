"""Hostile registers for ``ledger`` (issue #21 read through the promise of #18/#22): a CSV with a
huge line, millions of rows or cells, an encoding Excel writes (UTF-16 with its mark) or none we
know, a workbook register of a million rows — each answers exit 0, 1 or 3 with one Chinese line
naming the file, strict JSON, its bytes untouched; the large files are generated here (a sparse
file stands for one past the size limit).
"""

from __future__ import annotations

import hashlib
import json
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xlsreport.cli import app

HEADER = "收到日期,申请人类型,答复日期,办理结果"  # FORM.md 依申请公开台账 columns
RECORD = "2024-06-01,自然人,2024-06-09,（一）予以公开"


def reject(constant: str) -> None:
    raise ValueError(f"not JSON: {constant}")


def ledger(path: Path, out: Path) -> tuple[int, dict | None, str]:
    """``ledger FILE -o OUT --year 2024 --json``: exit code, its JSON (strict) or None, the reason on stderr."""
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    started = time.monotonic()
    result = CliRunner().invoke(app, ["ledger", str(path), "-o", str(out), "--year", "2024", "--json"])
    assert time.monotonic() - started < 20, path.name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before, path.name
    assert result.exit_code in (0, 1, 3), (path.name, result.exit_code, result.stderr, repr(result.exception))
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    document = json.loads(result.stdout, parse_constant=reject) if result.stdout.strip() else None
    errors = [line for line in result.stderr.splitlines() if line.startswith("错误：")]
    if result.exit_code == 3:
        assert document is None and len(errors) == 1, result.stderr
        (reason,) = errors
        assert path.name in reason and any("\u4e00" <= ch <= "\u9fff" for ch in reason.removeprefix("错误：")), reason
        return 3, None, reason
    assert not errors and document is not None, result.stderr
    return result.exit_code, document, ""


@pytest.fixture
def work(tmp_path: Path) -> Path:
    return tmp_path


def test_a_field_of_a_million_characters_is_refused_by_its_line(work):
    path = work / "长行.csv"
    path.write_text(f"{HEADER}\n{RECORD}\n2024-06-01,自然人,2024-06-09,{'x' * 1_000_000}\n", encoding="utf-8")
    code, _, reason = ledger(path, work / "out.xlsx")
    assert code == 3 and "超过 100000 个字符" in reason  # before: exit 4, csv's "field larger than field limit"
    assert not (work / "out.xlsx").exists()


def test_a_quoted_field_running_over_many_lines_is_refused_in_chinese(work):
    path = work / "引号.csv"
    path.write_text(f'{HEADER}\n{RECORD}\n2024-06-01,自然人,2024-06-09,"' + ("x" * 999 + "\n") * 200 + '"\n', encoding="utf-8")
    code, _, reason = ledger(path, work / "out.xlsx")
    assert code == 3 and "第 " in reason and "一格超过 131072 个字符" in reason


def test_ten_million_rows_are_refused_before_they_are_kept(work):
    empty = work / "空行.csv"
    empty.write_text(f"{HEADER}\n{RECORD}\n" + "\n" * 10_000_000, encoding="utf-8")
    code, _, reason = ledger(empty, work / "a.xlsx")
    assert code == 3 and "超过 200000 行" in reason  # before: 800 MB, and the workbook written
    ones = work / "一格.csv"
    ones.write_text(f"{HEADER}\n{RECORD}\n" + "1\n" * 250_000, encoding="utf-8")
    code, _, reason = ledger(ones, work / "b.xlsx")
    assert code == 3 and "超过 200000 行" in reason or "超过 200000 个" in reason
    cells = work / "单元格.csv"
    cells.write_text(f"{HEADER}\n{RECORD}\n" + "1,2,3,4\n" * 60_000, encoding="utf-8")
    code, _, reason = ledger(cells, work / "c.xlsx")
    assert code == 3 and "单元格超过 200000 个" in reason


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(work):
    path = work / "巨大.csv"
    with open(path, "wb") as handle:
        handle.write(f"{HEADER}\n{RECORD}\n".encode())
        handle.truncate(51 * 1024 * 1024)  # sparse: 51 MB on paper (1M rows took 25 s and 1.2 GB before)
    code, _, reason = ledger(path, work / "out.xlsx")
    assert code == 3 and "超过上限 50 MB" in reason


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_unicode_text_as_excel_saves_it_is_read_by_its_mark(work, encoding):
    """Excel's "Unicode 文本" is UTF-16 with a byte order mark, tab separated."""
    path = work / f"unicode-{encoding}.txt"
    path.write_bytes((HEADER.replace(",", "\t") + "\r\n" + RECORD.replace(",", "\t") + "\r\n").encode(encoding))
    code, document, _ = ledger(path, work / f"{encoding}.xlsx")
    assert code == 0 and document["ledger"]["counted"] == 1


def test_an_encoding_without_a_mark_that_is_neither_utf8_nor_gbk_is_said(work):
    path = work / "utf-16-le.csv"
    path.write_bytes(f"{HEADER}\n{RECORD}\n".encode("utf-16-le"))
    code, _, reason = ledger(path, work / "out.xlsx")
    assert code == 3 and "不是 UTF-8 或 GBK" in reason


def test_control_characters_of_a_csv_do_not_reach_the_output(work):
    path = work / "控制字符.csv"
    path.write_bytes(f"{HEADER}\n{RECORD}\n2024-07-01,自\x1b[2J然人,2024-07-02,（一）予以公开\n".encode())
    code, document, _ = ledger(path, work / "out.xlsx")
    (row,) = document["ledger"]["not_counted"]  # "自[2J然人" is no applicant type: listed, not guessed
    assert code == 1 and row["row"] == 3 and "自[2J然人" in row["reason"]
    assert "\x1b" not in json.dumps(document, ensure_ascii=False)


def _xlsx_register(rows: int) -> bytes:
    """A workbook whose 依申请公开台账 sheet has ``rows`` records after its header (rows without
    numbers, shared strings: as small as such a file can be)."""
    import io

    strings = HEADER.split(",") + RECORD.split(",")
    head = "".join(f'<c t="s"><v>{i}</v></c>' for i in range(4))
    record = ("<row>" + "".join(f'<c t="s"><v>{i}</v></c>' for i in range(4, 8)) + "</row>").encode()
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                   '<sheet name="依申请公开台账" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                   f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        z.writestr("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}">' + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>")
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData><row>{head}</row>'.encode()
                   + record * rows + b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_a_workbook_register_of_a_million_rows_is_refused_by_a_limit(work):
    small = work / "台账.xlsx"
    small.write_bytes(_xlsx_register(3))
    code, document, _ = ledger(small, work / "small-out.xlsx")
    assert code == 0 and document["ledger"]["counted"] == 3  # the builder makes a register the ledger reads
    path = work / "百万行.xlsx"
    path.write_bytes(_xlsx_register(1_000_000))
    code, _, reason = ledger(path, work / "out.xlsx")
    assert code == 3 and "拒绝读取" in reason  # the compression ratio here; the sheet's 200,000 cells when less repetitive


# ---------------------------------------------------------------------------------------------
# a hostile 预填记录 (the hidden sheet a template sent out records what it pre-filled in)
# ---------------------------------------------------------------------------------------------

CARRIED = ("applications", "carried_over", "natural_person")  # 二、上年结转 × 自然人


def _sent_back(path: Path, records: list[tuple], *, carried: int = 2) -> Path:
    """A template sent out with 上年结转 × 自然人 pre-filled as ``carried`` (and 本年新收 1 filled by
    the unit), its 预填记录 given ``records`` after the writer's own rows (openpyxl: a fixture)."""
    import openpyxl

    from xlsreport.model import Prefill
    from xlsreport.writing.workbook import write_template

    write_template(path, {"applications": {"new": {"natural_person": 1}}}, unit="某某局", year=2024,
                   prefilled={CARRIED: Prefill(carried, "上年.xlsx 依申请公开!D30")})
    book = openpyxl.load_workbook(path)
    sheet = book["预填记录"]
    first = sheet.max_row + 1
    for row, record in enumerate(records, start=first):
        for column, value in enumerate(record, start=1):
            sheet.cell(row, column, value)
    book.save(path)
    return path


def _check(path: Path, *extra: str) -> tuple[int, dict]:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    result = CliRunner().invoke(app, ["check", str(path), "--json", *extra])
    assert result.exit_code in (0, 1, 3), (result.exit_code, result.stderr, repr(result.exception))
    assert "内部错误" not in result.stderr, result.stderr
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    return result.exit_code, json.loads(result.stdout, parse_constant=reject)


def _prefill_findings(document: dict) -> list[str]:
    return [f["message"] for f in document["files"][0]["findings"] if f["rule"] == "PREFILL.CHANGED"]


@pytest.mark.parametrize("value", [__import__("datetime").datetime(2024, 1, 1), True, "abc", float("nan")],
                         ids=["date", "TRUE", "text", "nan"])
def test_a_record_of_the_wrong_type_is_no_prefill(work, value):
    """The record changed by hand to a date (a TypeError: exit 4 before), TRUE ("预填的是 True"),
    text: not what the writer records for a count, so the writer's own record stands."""
    path = _sent_back(work / "预填.xlsx", [(".".join(CARRIED), value, "手改")])
    code, document = _check(path)
    assert code == 1 and _prefill_findings(document) == []
    out = work / "标注.xlsx"
    code, _ = _check(path, "--annotate", str(out))
    assert code == 1 and out.exists()


def test_a_record_that_holds_the_cell_to_another_number_is_said_with_a_short_source(work):
    path = _sent_back(work / "预填.xlsx", [(".".join(CARRIED), 7, "来源" * 20_000)])
    code, document = _check(path)
    (message,) = _prefill_findings(document)
    assert code == 1 and "下发时预填的是 7" in message and "报回的是 2" in message and len(message) < 600


def test_records_of_places_not_in_the_form_are_passed_over(work):
    path = _sent_back(work / "预填.xlsx", [("../../etc/passwd", 3, ""), ("unit", 3, ""), ("applications", 5, ""),
                                           ("applications.total.total", 5, ""), (12345, 3, ""), ("", 1, 2),
                                           ("unit.name", 12345, "")])
    code, document = _check(path)
    assert code == 1 and _prefill_findings(document) == []
    assert document["files"][0]["unit"] == "某某局"


def test_a_record_of_a_hundred_thousand_rows_is_refused_by_the_sheet_limit(work):
    path = _sent_back(work / "预填.xlsx", [(".".join(CARRIED), n, "") for n in range(100_000)])
    code, document = _check(path)
    (finding,) = document["files"][0]["findings"]
    assert code == 3 and finding["rule"] == "LIMIT_EXCEEDED" and "预填记录" in finding["message"]


@pytest.mark.parametrize("name,said", [("3m-characters.pdf", "是 PDF 文件，不是表格"), ("lying-zip-1gb.docx", "是 Word 文档（.docx），不是表格"),
                                       ("colspan-million-rows.html", "是网页（HTML），不是表格")])
def test_a_hostile_published_document_given_as_a_register_is_refused_as_what_it_is(work, name, said):
    """Refused by its kind before any parser sees it (it was parsed whole, then refused — or
    refused for its page's characters; "是Word 文档" lacked its space)."""
    import document_mutants as mutants

    path = work / name
    path.write_bytes(mutants.CORPUS[name]())
    code, _, reason = ledger(path, work / "out.xlsx")
    assert code == 3 and said in reason
