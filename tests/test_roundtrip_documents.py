"""Round trips through published reports (issue #12): random consistent data → workbook
(``template --from``) → ``render`` Word and web page → ``read`` gives exactly the numbers; the same
after LibreOffice Writer — a producer we did not write — saved the Word file as PDF and the web page
as Word.  And what a clerk relies on in a published report: a narrative number that differs from
table 三 is named with both numbers, one wrong cell is an error pointing into the document, and last
year's published report works as ``--previous``.

Expectations come from the random data put in, never from the reader.
"""

from __future__ import annotations

import json
import random
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from libreoffice import writer_convert
from oracle import leaves_of, random_data
from xlsreport import form
from xlsreport.batch import check_file
from xlsreport.cli import app
from xlsreport.publish import render
from xlsreport.reading.report import read

UNIT = "某某县交通运输局"
runner = CliRunner()


def workbook_of(data: dict, folder: Path, name: str) -> Path:
    """The workbook a clerk fills, made as a clerk's tool would: ``template --from`` with the data."""
    source = folder / f"{name}.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = folder / f"{name}.xlsx"
    result = runner.invoke(app, ["template", str(out), "--from", str(source)])
    assert result.exit_code == 0, result.stderr
    return out


def numbers_of(data: dict) -> dict[tuple, object]:
    """Every number of the data, by path (unit facts and text left out)."""
    return {path: value for path, value in leaves_of(data).items() if path in form.LEAF_BY_PATH and form.LEAF_BY_PATH[path].kind in ("count", "money")}


def read_numbers(path: Path) -> dict[tuple, object]:
    report = read(path)
    data = report.to_dict()
    return {path: form.get_path(data, path) for path in numbers_of(DATA)}


DATA = random_data(random.Random(1212), UNIT)
NEW = DATA["applications"]["new"]["total"]
DATA["narrative"] = {
    "preamble": "本报告依据《中华人民共和国政府信息公开条例》编制。",
    "overview": f"2024年，本局收到政府信息公开申请{NEW}件，均已按期答复。",
    "problems": "个别答复文书不够规范。",
    "other": "本年度未收取信息处理费。",
}


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("published")
    workbook = workbook_of(DATA, folder, "filled")
    files = {"xlsx": workbook}
    for kind in ("docx", "html"):
        rendered = render(workbook, folder / f"report.{kind}")
        assert rendered.written and not rendered.errors
        files[kind] = folder / f"report.{kind}"
    files["pdf"] = writer_convert(files["docx"], "writer_pdf_Export", "pdf", folder / "pdf")
    files["html-docx"] = writer_convert(files["html"], "MS Word 2007 XML", "docx", folder / "lo", infilter="HTML (StarWriter)")
    return files


@pytest.mark.office
@pytest.mark.parametrize("kind", ["docx", "html", "pdf", "html-docx"])
def test_a_rendered_report_reads_back_exactly_the_numbers_put_in(published, kind):
    report = read(published[kind])
    assert report.unit == UNIT and report.year == 2024
    assert read_numbers(published[kind]) == numbers_of(DATA)


@pytest.mark.office
@pytest.mark.parametrize("kind", ["docx", "html", "pdf"])
def test_a_rendered_report_carries_its_narrative_and_checks_clean(published, kind):
    report = read(published[kind])
    assert f"收到政府信息公开申请{NEW}件" in re.sub(r"\s+", "", report.text(("narrative", "overview")))
    assert report.text(("narrative", "problems")) == "个别答复文书不够规范。"
    findings = check_file(published[kind]).findings
    assert not [f for f in findings if f.severity == "error"], [f.message for f in findings]
    assert not [f for f in findings if f.rule == "NARR.MISMATCH"]


def test_a_narrative_quoting_another_number_of_applications_names_both(tmp_path):
    data = json.loads(json.dumps(DATA))
    data["narrative"]["overview"] = f"2024年，本局收到政府信息公开申请{NEW + 7}件，均已按期答复。"
    workbook = workbook_of(data, tmp_path, "w")
    render(workbook, tmp_path / "r.docx")
    (finding,) = [f for f in check_file(tmp_path / "r.docx").findings if f.rule == "NARR.MISMATCH"]
    assert f"正文 {NEW + 7}，表中 {NEW}" in finding.message
    # the sentence's paragraph, counted as a reader of the Word file counts (paragraphs with text)
    import docx

    paragraphs = [p.text for p in docx.Document(tmp_path / "r.docx").paragraphs if p.text.strip()]
    at = next(i for i, text in enumerate(paragraphs, start=1) if f"申请{NEW + 7}件" in text)
    assert finding.cells[0] == f"第{at}段"
    assert any(cell.startswith("第") and "个表格" in cell for cell in finding.cells[1:])


@pytest.mark.office
def test_one_wrong_cell_in_a_published_table_is_an_error_at_its_page_table_row_and_column(published, tmp_path):
    import docx

    document = docx.Document(published["docx"])
    (number, table, r) = next(
        (n, t, i)
        for n, t in enumerate(document.tables, start=1)
        for i, row in enumerate(t.rows)
        if row.cells[0].text == "一、本年新收政府信息公开申请数量"
    )
    natural = table.rows[r].cells[3]  # columns: three label columns, then 自然人
    printed = DATA["applications"]["new"]["natural_person"] + 10
    natural.paragraphs[0].runs[0].text = str(printed)
    wrong = tmp_path / "wrong.docx"
    document.save(wrong)
    word = f"第{number}个表格 第{r + 1}行第4列"
    errors = [f for f in check_file(wrong).findings if f.severity == "error"]
    assert errors and all(word in f.cells for f in errors), [(f.rule, f.cells) for f in errors]
    # the same file as Writer's PDF: the cell is on a page, in the n-th table of that page
    pdf = writer_convert(wrong, "writer_pdf_Export", "pdf", tmp_path / "pdf")
    errors = [f for f in check_file(pdf).findings if f.severity == "error"]
    assert errors
    places = {cell for f in errors for cell in f.cells if cell.endswith(f"第{r + 1}行第4列")}
    (place,) = places
    page = int(re.match(r"第(\d+)页 表\d+ ", place).group(1))
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True).stdout
    assert "本年新收" in re.sub(r"\s+", "", text) and str(printed) in text


def test_last_years_published_report_works_as_previous(tmp_path):
    last = random_data(random.Random(2023), UNIT, year=2023)
    last_docx = tmp_path / "2023.docx"
    render(workbook_of(last, tmp_path, "2023"), last_docx)
    this = random_data(random.Random(2024), UNIT, year=2024)
    carried = dict(last["applications"]["carried_forward"])  # this year's 二 = last year's 四 …
    carried["natural_person"] += 1  # … except one column
    carried["total"] += 1
    this["applications"]["carried_over"] = carried
    this_xlsx = workbook_of(this, tmp_path, "2024")
    result = runner.invoke(app, ["check", str(this_xlsx), "--previous", str(last_docx), "--json"])
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert result.exit_code == 1
    (carry,) = [f for f in findings if f["rule"] == "YEAR.CARRY" and "「自然人」" in f["message"]]
    # last year's cell, found here in the Word file by its label: the row 四、结转下年度继续办理, column 自然人
    import docx

    (number, r) = next(
        (n, i)
        for n, t in enumerate(docx.Document(last_docx).tables, start=1)
        for i, row in enumerate(t.rows)
        if row.cells[0].text == "四、结转下年度继续办理"
    )
    assert f"[2023.docx]第{number}个表格 第{r + 1}行第4列" in carry["message"]
    assert "相差 1" in carry["message"]
