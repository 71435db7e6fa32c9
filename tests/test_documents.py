"""Published reports read like workbooks (issue #12): plain text (the seed), Word, web pages, PDF.

Labels come from tests/oracle.py (typed from ../shared/spec/FORM.md) and numbers from the documents themselves
(the Hongze PDF's numbers were typed from `pdftotext -layout`), never taken from the code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from libreoffice import writer_convert
from oracle import APPLICANTS, HONGZE, REPORTS, SEED_TEXT, table_3_numbers
from report_documents import TABLE_3, html_page, table_3, write_docx
from xlsreport.batch import check_file
from xlsreport.reading.document import split_sections
from xlsreport.errors import UnsupportedFormat
from xlsreport.reading.report import read, read_bytes

# ---------------------------------------------------------------------------------------------
# the seed: a published report copied as text
# ---------------------------------------------------------------------------------------------


def test_seed_text_reads_unit_year_and_every_table_zero():
    report = read(SEED_TEXT)
    assert report.unit == "微山县西平镇人民政府"
    assert report.year == 2024
    assert {"proactive", "applications", "review_litigation"} <= set(report.parts)
    numbers = {path: cell for path, cell in report.values.items() if path[0] not in ("unit", "narrative", "fee_notices")}
    assert len(numbers) == 10 + 25 * 7 + 15  # table 二, 三 and 四 all found
    # section 六 says "收取信息处理费的情况：无。" (line 427): the three fee values are 0, from there
    fees = [report.values[("fee_notices", key)] for key in ("notices_sent", "amount_notified_yuan", "amount_collected_yuan")]
    assert [(cell.value, cell.cell) for cell in fees] == [(0, "第427行")] * 3
    assert all(cell.value == 0 for cell in numbers.values())
    # "　　0" (a text report aligns its columns with ideographic spaces) is the number 0, from line 42
    rules = report.values[("proactive", "rules", "issued")]
    assert (rules.value, rules.status, rules.cell) == (0, "number", "第42行")
    # the first value of table 三 is on line 100, the last of table 四 on line 419
    assert report.values[("applications", "new", "natural_person")].cell == "第100行"
    assert report.values[("applications", "new", "total")].cell == "第106行"
    assert report.values[("review_litigation", "litigation_after_review", "total")].cell == "第419行"
    assert report.values[("unit", "name")].cell == "第1行" and report.values[("unit", "year")].cell == "第3行"


def test_seed_text_fills_the_narrative_from_its_running_text_with_line_numbers():
    report = read(SEED_TEXT)
    assert "narrative" in report.parts
    # the seed's lines 4, 8, 423 and 427 open the preamble and sections 一, 五 and 六
    assert report.values[("narrative", "preamble")].cell == "第4行"
    assert report.values[("narrative", "overview")].cell == "第8行"
    assert report.values[("narrative", "problems")].cell == "第423行"
    assert report.values[("narrative", "other")].cell == "第427行"
    assert "主动公开信息总计58条" in report.text(("narrative", "overview"))
    assert report.text(("narrative", "other")).startswith("（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况：无。")
    # no table cell is taken for the narrative: no text of table 二 in section 一
    assert "第二十条第（一）项" not in report.text(("narrative", "overview"))


def test_hongze_pdf_narrative_quotes_17_applications_while_table_3_says_95():
    # page 1 of the PDF: "…区政府办代表区政府受理政府" / "信息公开申请 17 件，均已在法定期限内予以答复。"
    # (two printed lines: 23 and 24); table 三's 一、本年新收 总计 is 95 (page 3, table 2, row 4, column 10)
    result = check_file(HONGZE)
    (finding,) = [f for f in result.findings if f.rule == "NARR.MISMATCH"]
    assert "受理政府信息公开申请17件" in finding.message
    assert "正文 17" in finding.message and "表中 95" in finding.message
    assert finding.cells == ("第1页 第23行", "第3页 表2 第4行第10列")
    assert finding.severity == "warning"


def test_seed_text_checks_without_errors_or_warnings():
    result = check_file(SEED_TEXT)
    assert result.readable
    # its narrative says 主动公开信息总计58条, but the text has no categories table to compare with;
    # in a text every number is text: no VALUE.TEXT_NUMBER for its "　　0"
    assert result.findings == []


def test_seed_sections_split_at_the_official_headings():
    lines = SEED_TEXT.read_text(encoding="utf-8").splitlines()
    sections = split_sections(lines)
    assert set(sections) == {"preamble", "overview", "problems", "other"}
    assert sections["preamble"].startswith("本报告由微山县西平镇按照")
    assert sections["overview"].startswith("2024年度，按照上级信息公开工作要求")
    assert "主动公开信息总计58条" in sections["overview"]
    assert sections["problems"].startswith("2024年，我镇政务公开工作取得了一定成效")
    assert sections["other"].startswith("（一）依据《政府信息公开信息处理费管理办法》收取信息处理费的情况：无。")
    assert "二、主动公开政府信息情况" not in sections["overview"]


# ---------------------------------------------------------------------------------------------
# Word: a document written here with python-docx, merged cells as Word merges them
# ---------------------------------------------------------------------------------------------


def test_word_table_with_merged_cells_reads_exact_numbers_pointing_into_the_document(tmp_path):
    numbers = table_3_numbers()
    report = read(write_docx(tmp_path / "报告.docx", numbers))
    assert report.unit == "某某县某某局" and report.year == 2024
    assert table_3(report) == numbers
    # row 4 of the table (一、本年新收…), column 4 (自然人): as the clerk counts in Word
    assert report.values[("applications", "new", "natural_person")].cell == "第1个表格 第4行第4列"
    assert report.values[("applications", "carried_forward", "total")].cell == f"第1个表格 第{3 + len(TABLE_3)}行第10列"
    assert not [f for f in check_file(tmp_path / "报告.docx").findings if f.severity == "error"]


def test_one_wrong_cell_in_a_word_table_is_an_error_located_in_the_document(tmp_path):
    numbers = table_3_numbers()
    numbers["granted"][0] += 1  # the row total and the column total no longer add up
    path = write_docx(tmp_path / "错.docx", numbers)
    errors = [f for f in check_file(path).findings if f.severity == "error"]
    assert errors
    assert any("第1个表格 第6行第4列" in f.cells or "第1个表格 第6行第4列" in f.message for f in errors), [f.to_dict() for f in errors]


def test_a_doc_from_word_97_is_refused_with_advice_to_save_as_docx():
    import hostile

    data = hostile.cfb({"WordDocument": b"\0" * 5000})
    with pytest.raises(UnsupportedFormat) as refused:
        read_bytes(data, "报告.doc")
    assert ".docx" in refused.value.message and "另存为" in refused.value.message


# ---------------------------------------------------------------------------------------------
# web pages: GB2312 without a declared charset, spans, &nbsp;, blank zeros, "/" for 规章
# ---------------------------------------------------------------------------------------------


def test_web_page_in_gb2312_without_charset_reads_exact_numbers(tmp_path):
    numbers = table_3_numbers()
    path = tmp_path / "report.htm"
    path.write_bytes(html_page(numbers).encode("gb2312"))
    report = read(path)
    assert report.unit == "某某区人民政府" and report.year == 2024
    assert table_3(report) == numbers
    proactive = report.values
    assert proactive[("proactive", "rules", "issued")].status == "placeholder"  # "/" for 规章
    assert proactive[("proactive", "normative_documents", "issued")].value == 12  # full-width digits
    assert proactive[("proactive", "normative_documents", "repealed")].value == 1234  # thousands separator
    assert proactive[("proactive", "fees_10k_yuan")].value == 1.234567  # 万元 with six decimals
    assert proactive[("applications", "new", "natural_person")].cell == "第2个表格 第4行第4列"


def test_numbers_padded_or_in_full_width_on_a_web_page_are_numbers_without_a_warning(tmp_path):
    numbers = table_3_numbers()
    page = html_page(numbers).replace("<td><p><span>0</span></p></td>", "<td>\u3000\u30000</td>")
    page = page.replace("<td>１２</td>", "<td>&nbsp;１２&nbsp;</td>")
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    result = check_file(path)
    assert table_3(result.report) == numbers
    assert result.report.values[("proactive", "normative_documents", "issued")].value == 12
    assert [f for f in result.findings if f.rule == "VALUE.TEXT_NUMBER"] == []


def test_zeros_left_blank_on_a_web_page_read_as_zero(tmp_path):
    numbers = table_3_numbers()
    path = tmp_path / "blank.html"
    path.write_text(html_page(numbers, blank_zeros=True), encoding="utf-8")
    report = read(path)
    assert table_3(report) == numbers
    blank = [cell for cell in report.values.values() if cell.status == "blank"]
    assert blank and all(cell.value is None for cell in blank)


# ---------------------------------------------------------------------------------------------
# PDF: the Hongze district's report as published, and a table split over two pages
# ---------------------------------------------------------------------------------------------

# typed from `pdftotext -layout hongze-qu-2024.pdf` (pages 2–4)
HONGZE_PROACTIVE = {
    ("proactive", "rules", "issued"): 0, ("proactive", "rules", "repealed"): 0, ("proactive", "rules", "in_force"): 0,
    ("proactive", "normative_documents", "issued"): 3, ("proactive", "normative_documents", "repealed"): 0,
    ("proactive", "normative_documents", "in_force"): 8,
    ("proactive", "licensing"): 9487, ("proactive", "penalties"): 2776, ("proactive", "coercive_measures"): 84,
    ("proactive", "fees_10k_yuan"): 7545,
}
# natural persons and totals; every other applicant column is 0 in the document
HONGZE_APPLICATIONS = {
    "new": 95, "carried_over": 0, "granted": 50, "partially_granted": 9, "denied.state_secret": 0,
    "denied.security_stability": 1, "denied.third_party": 0, "denied.internal_affairs": 0,
    "denied.process_information": 1, "denied.enforcement_files": 1, "denied.query_matters": 0,
    "unavailable.not_held": 31, "unavailable.needs_creation": 1, "unavailable.unclear_after_correction": 0,
    "not_processed.petitions": 1, "not_processed.repeated": 0, "not_processed.publications": 0,
    "not_processed.excessive": 0, "not_processed.confirmation": 0, "handled_total": 95, "carried_forward": 0,
}
HONGZE_REVIEW = {
    "review": (1, 1, 0, 0, 2), "litigation_direct": (1, 0, 0, 0, 1), "litigation_after_review": (2, 0, 1, 0, 3),
}


def test_hongze_pdf_as_published_reads_every_number():
    report = read(HONGZE)
    assert report.unit == "淮安市洪泽区人民政府" and report.year == 2024
    for path, value in HONGZE_PROACTIVE.items():
        assert report.values[path].value == value, path
    for row, person in HONGZE_APPLICATIONS.items():
        values = [report.values[("applications", row, c)].value for c in APPLICANTS]
        assert values == [person, 0, 0, 0, 0, 0, person], row
    for row, outcomes in HONGZE_REVIEW.items():
        keys = ("upheld", "corrected", "other", "pending", "total")
        assert tuple(report.values[("review_litigation", row, k)].value for k in keys) == outcomes, row
    # the document prints "2.其他法律行政止公开" (sic): read by its place between rows 1. and 3.,
    # with a note that points at it
    assert [report.values[("applications", "denied.prohibited_by_law", c)].value for c in APPLICANTS] == [0] * 7
    assert any("第3页 表2 第9行第3列" in note and "2.其他法律行政止公开" in note for note in report.notes)
    # （六）其他处理 is printed as one row without its three sub-rows: those are not found, not guessed
    assert ("applications", "other.other", "total") not in report.values
    # table 三 runs from page 3 to page 4: a value on page 4 is named there
    assert report.values[("applications", "handled_total", "natural_person")].cell == "第4页 表1 第9行第4列"
    assert report.values[("proactive", "licensing")].cell == "第2页 表1 第22行第2列"
    assert not [f for f in check_file(HONGZE).findings if f.severity == "error"]


@pytest.mark.office
@pytest.mark.parametrize("whole_rows", [True, False], ids=["rows-whole", "rows-broken-over-pages"])
def test_a_table_split_over_pdf_pages_is_joined(tmp_path, whole_rows):
    """Word → LibreOffice Writer → PDF, the table pushed over page breaks; by default Writer also
    breaks a row whose wrapped label is tall, leaving the label's end on the next page."""
    from libreoffice import convert

    numbers = table_3_numbers()
    source = write_docx(tmp_path / "long.docx", numbers, filler=22, whole_rows=whole_rows)
    pdf = convert(source, "pdf", tmp_path / "out")
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        pages_with_tables = [n for n, page in enumerate(document.pages, start=1) if page.find_tables()]
    assert len(pages_with_tables) >= 2, "the test needs the table to run over a page break"
    report = read(pdf)
    assert table_3(report) == numbers
    cells = {cell.cell.split(" ")[0] for path, cell in report.values.items() if path[0] == "applications"}
    assert cells == {f"第{n}页" for n in pages_with_tables}


# ---------------------------------------------------------------------------------------------
# producers we did not write: LibreOffice Writer saves our web page as Word, our Word file as a web page
# ---------------------------------------------------------------------------------------------


@pytest.mark.office
def test_web_page_saved_as_word_by_libreoffice_reads_the_same(tmp_path):
    numbers = table_3_numbers()
    page = tmp_path / "page.html"
    page.write_text(html_page(numbers), encoding="utf-8")
    word = writer_convert(page, "MS Word 2007 XML", "docx", tmp_path / "out", infilter="HTML (StarWriter)")
    report = read(word)
    assert table_3(report) == numbers
    assert report.values[("proactive", "normative_documents", "repealed")].value == 1234
    assert report.values[("applications", "new", "natural_person")].cell.startswith("第2个表格 ")


@pytest.mark.office
def test_word_file_saved_as_web_page_by_libreoffice_reads_the_same(tmp_path):
    numbers = table_3_numbers()
    source = write_docx(tmp_path / "report.docx", numbers)
    page = writer_convert(source, "HTML (StarWriter)", "html", tmp_path / "out")
    report = read(page)
    assert table_3(report) == numbers
    assert report.unit == "某某县某某局" and report.year == 2024


def test_a_web_page_in_the_2019_trial_format_is_named_not_misread(tmp_path):
    page = (
        "<html><body><p>某某镇人民政府2019年政府信息公开工作年度报告</p><table>"
        "<tr><td colspan=4>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年新制作数量</td><td>本年新公开数量</td><td>对外公开总数量</td></tr>"
        "<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr>"
        "<tr><td colspan=4>第二十条第（九）项</td></tr>"
        "<tr><td>信息内容</td><td>采购项目数量</td><td colspan=2>采购总金额</td></tr>"
        "<tr><td>政府集中采购</td><td>4</td><td colspan=2>5</td></tr></table></body></html>"
    )
    path = tmp_path / "2019.html"
    path.write_text(page, encoding="utf-8")
    report = read(path)
    assert report.form == "gov-info-annual-report/2019-trial"
    assert any("2019" in note and "试行" in note for note in report.notes)
    assert ("proactive", "rules", "issued") not in report.values  # its columns differ: not misread
    assert report.unit == "某某镇人民政府" and report.year == 2019


def test_hongze_pdf_running_text_splits_into_the_narrative_sections():
    from xlsreport.reading.producers import load

    workbook = load(HONGZE.read_bytes(), HONGZE.name)
    sections = split_sections([text for text, _ in workbook.lines])
    assert sections["preamble"].startswith("本报告由淮安市洪泽区人民政府办公室根据")
    assert "主动发布各类政府信息 2428 条" in sections["overview"]
    assert sections["problems"].startswith("2024 年，全区政府信息公开工作虽取得一定成绩")
    assert "全年收取政府信息公开信息处理费 0 元" in sections["other"]
    assert "-4-" not in sections["problems"]  # page numbers (page 4 ends inside section 五) are not text


# ---------------------------------------------------------------------------------------------
# .txt in a folder: a report saved as text is read, a note beside it is listed as skipped
# ---------------------------------------------------------------------------------------------


def test_a_folder_reads_a_report_saved_as_text_and_skips_a_note(tmp_path):
    import json

    from typer.testing import CliRunner

    from xlsreport.cli import app

    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    shutil.copy(SEED_TEXT, inbox / "西平镇-2024.txt")
    (inbox / "说明.txt").write_text("各单位请于1月31日前报送年度报告。\n联系人：张三\n", encoding="utf-8")
    (inbox / "名单.txt").write_bytes("西平镇人民政府\n韩庄镇人民政府\n".encode("gb18030"))
    result = CliRunner().invoke(app, ["check", str(inbox), "--json"])
    assert result.exit_code == 0, result.stderr  # the seed text checks without errors
    out = json.loads(result.stdout)
    assert [Path(f["file"]).name for f in out["files"]] == ["西平镇-2024.txt"]
    assert out["files"][0]["unit"] == "微山县西平镇人民政府"
    skipped = {Path(f["file"]).name: f for f in out["skipped"]}
    assert set(skipped) == {"说明.txt", "名单.txt"}
    assert all(f["rule"] == "INPUT.SKIPPED" and "没有年度报告的表格" in f["message"] for f in skipped.values())
    # named on the command line, the same note is an error: the clerk asked for it to be read
    named = CliRunner().invoke(app, ["check", str(inbox / "说明.txt")])
    assert named.exit_code == 3
    assert "说明.txt" in named.stderr + named.stdout and "Traceback" not in named.stderr


def test_a_folder_holding_only_notes_is_a_usage_error(tmp_path):
    from xlsreport.batch import collect_inputs
    from xlsreport.errors import InvalidData

    (tmp_path / "说明.txt").write_text("请于1月底前报送", encoding="utf-8")
    with pytest.raises(InvalidData, match="没有找到报表文件"):
        collect_inputs([tmp_path])


def test_a_word_file_without_the_forms_tables_in_a_folder_is_unreadable_not_skipped(tmp_path):
    # a report whose tables are pictures must not pass as a skipped note
    import docx

    from xlsreport.batch import check

    document = docx.Document()
    document.add_paragraph("某某镇人民政府2024年政府信息公开工作年度报告")
    document.add_paragraph("（表格为图片）")
    document.save(tmp_path / "某某镇.docx")
    shutil.copy(SEED_TEXT, tmp_path / "西平镇.txt")
    result = check([tmp_path])
    assert [Path(f.file).name for f in result.files] == ["某某镇.docx", "西平镇.txt"]
    assert not result.files[0].readable and "表格" in result.files[0].error
    assert result.skipped == []


def test_a_binary_or_undecodable_txt_in_a_folder_is_skipped_with_its_reason(tmp_path):
    from xlsreport.batch import collect_inputs

    shutil.copy(SEED_TEXT, tmp_path / "西平镇.txt")
    (tmp_path / "导出.txt").write_bytes(bytes(range(256)) * 40)  # not text at all
    inputs = collect_inputs([tmp_path])
    assert [p.name for p in inputs.files] == ["西平镇.txt"]
    (finding,) = inputs.skipped_findings()
    assert "导出.txt" in finding.message and "无法作为报告读取" in finding.message


def test_a_published_report_lacks_only_the_official_tables_it_leaves_out(tmp_path):
    # The official report format has tables 二 to 五 but no category breakdown, and states the
    # fees of section 六 in words if at all: a web page with tables 二 and 三 lacks table 四 only.
    path = tmp_path / "report.html"
    path.write_text(html_page(table_3_numbers()), encoding="utf-8")
    missing = [f.message for f in check_file(path).findings if f.rule == "PART.MISSING"]
    assert len(missing) == 1 and "四、政府信息公开行政复议、行政诉讼情况" in missing[0]


def test_the_real_published_reports_have_no_missing_part_warnings():
    for path in (HONGZE, SEED_TEXT, REPORTS / "pingtan-2024.html", REPORTS / "shuyang-fgj-2023.html"):
        assert not [f for f in check_file(path).findings if f.rule == "PART.MISSING"], path


def test_a_text_report_with_its_title_and_headings_but_no_tables_is_unreadable(tmp_path):
    # only running text ("一、总体情况 略"): neither a valid report nor a unit to sum, and import
    # must not turn it into a workbook of zeros
    from typer.testing import CliRunner

    from xlsreport.cli import app

    text = tmp_path / "某局.txt"
    text.write_text("微山县某局2024年政府信息公开工作年度报告\n\n一、总体情况\n\n略\n", encoding="utf-8")
    result = check_file(text)
    assert not result.readable and "没有找到年度报告的表格" in result.error
    runner = CliRunner()
    assert runner.invoke(app, ["check", str(text)]).exit_code == 3
    imported = runner.invoke(app, ["import", str(text), "-o", str(tmp_path / "某局.xlsx")])
    assert imported.exit_code == 3 and not (tmp_path / "某局.xlsx").exists()
