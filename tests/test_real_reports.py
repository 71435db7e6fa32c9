"""Real published reports (tests/data/reports/) read exactly as typed by hand from the documents.

Each ``<name>.expected.json`` beside a document was typed from that document (see the README
there); none comes from xlsreport.  Every part the expectation holds must be read, every part it
gives as null must be absent, and every number must be the printed one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from oracle import HONGZE, REPORTS
from xlsreport import form
from xlsreport.batch import check_file
from xlsreport.cli import app
from xlsreport.reading.report import read

# the documents: every saved page there, and the Hongze PDF
DOCUMENTS = sorted(REPORTS.glob("*.html")) + [HONGZE]


def expectation(document: Path) -> dict:
    return json.loads((REPORTS / f"{document.name.rsplit('.', 1)[0]}.expected.json").read_text(encoding="utf-8"))


def leaves(node: object, path: tuple[str, ...] = ()):
    """(path, value) of every value under ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    else:
        yield path, node


def test_every_expectation_has_its_document_and_every_document_its_expectation():
    documents = {path.name.rsplit(".", 1)[0] for path in DOCUMENTS}
    expectations = {path.name.removesuffix(".expected.json") for path in REPORTS.glob("*.expected.json")}
    assert documents == expectations


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_a_real_report_reads_every_number_as_printed(document):
    expected = expectation(document)
    report = read(document)
    data = report.to_dict()
    assert report.form == expected["form"]
    assert report.unit == expected["unit"]["name"] and report.year == expected["unit"]["year"]
    held = {key for key in expected if key not in ("form", "notes", "unit") and expected[key] is not None}
    statistics = {part.key for part in form.PARTS} - {"unit", form.NARRATIVE.key}
    assert set(report.parts) & statistics == held
    compared = 0
    for key in held:
        for path, value in leaves(expected[key], (key,)):
            assert form.get_path(data, path) == value, (path, value, form.get_path(data, path))
            compared += 1
    assert compared >= 15  # at least table 四 in every document


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_a_real_report_gives_its_narrative(document):
    report = read(document)
    assert report.text(("narrative", "preamble")), "the opening paragraph"
    assert report.text(("narrative", "other")), "section 六"
    # the site around a saved page (links, footer) is not part of it
    assert "友情链接" not in report.text(("narrative", "other"))


def test_the_2019_trial_format_page_is_named_and_its_tables_2_and_3_are_not_misread():
    page = REPORTS / "shanghai-bgt-2019.html"
    result = check_file(page)
    (trial,) = [f for f in result.findings if f.rule == "FORMAT.TRIAL_2019"]
    assert "国办公开办函〔2019〕60号" in trial.message
    report = result.report
    assert "proactive" not in report.parts and "applications" not in report.parts
    assert "categories" not in report.parts  # its table 三's 其他/总计 cells are not taken for another part


def test_pingtan_2025_unpaid_fees_without_fee_notices_warn_at_both_places():
    # table 三 (the page's 2nd table), row 25 = （六）2.逾期未缴费, column 10 = 总计, printed 2;
    # section 六 is the article's 16th paragraph: "2025年，无收取信息处理费情况。"
    result = check_file(REPORTS / "pingtan-2025.html")
    (fee,) = [f for f in result.findings if f.rule == "PLAUS.FEE_UNPAID"]
    assert fee.cells == ("第2个表格 第25行第10列", "正文第16段")
    assert "共 2 件" in fee.message
    assert result.report.values[("fee_notices", "notices_sent")].raw == "无收取信息处理费"


def test_the_hongze_pdf_has_no_error_and_only_its_narrative_disagrees():
    result = check_file(HONGZE)
    assert not [f for f in result.findings if f.severity == "error"]
    assert [f.rule for f in result.findings if f.rule.startswith("NARR")] == ["NARR.MISMATCH"]


def test_last_years_published_page_as_previous_compares_across_years():
    # README of tests/data/reports: 2024's 四 is all 0 = 2025's 二 (match); 现行有效 行政规范性文件:
    # 2024 printed 440, 2025 issued 58 and repealed 45 → 453 expected, 546 printed: a warning
    result = CliRunner().invoke(
        app, ["check", str(REPORTS / "pingtan-2025.html"), "--previous", str(REPORTS / "pingtan-2024.html"), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    findings = json.loads(result.stdout)["files"][0]["findings"]
    rules = [f["rule"] for f in findings]
    assert not [f for f in findings if f["severity"] == "error"]
    drift = [f for f in findings if "453" in f["message"] and "546" in f["message"]]
    assert drift and drift[0]["severity"] == "warning", rules
