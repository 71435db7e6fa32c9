"""Numbers quoted in the report's text against the tables (NARR.MISMATCH).

The seed township's report says "主动公开信息总计58条" while its categories add up to 54
(5 + 1 + 1 + 1 + 38 + 8): the one real mismatch we know, typed here from the document.
"""

from __future__ import annotations

from pathlib import Path

from xlsreport.model import CellValue, Report
from xlsreport.narrative import narrative_findings, quoted_numbers
from xlsreport.reading.report import read

ROOT = Path(__file__).resolve().parents[1]
SEED_TEXT = ROOT / "tests" / "data" / "000_025603475ffff513.txt"


def report(texts: dict[str, str], numbers: dict[tuple, int]) -> Report:
    values = {("narrative", k): CellValue(("narrative", k), v, f"报告正文!B{i}", "text") for i, (k, v) in enumerate(texts.items(), 5)}
    for path, value in numbers.items():
        values[path] = CellValue(path, value, "表!A1")
    parts = ("unit", "proactive", "categories", "applications", "review_litigation", "fee_notices", "narrative")
    return Report(file="x.xlsx", values=values, parts=parts)


def test_seed_text_quotes_58_where_its_categories_add_to_54():
    xiping = read(ROOT / "samples" / "inbox" / "西平镇-2024.xlsx")
    assert "主动公开信息总计58条" in xiping.values[("narrative", "overview")].value
    findings = narrative_findings(xiping)
    assert [f.rule for f in findings] == ["NARR.MISMATCH"]
    (finding,) = findings
    assert finding.severity == "warning"
    assert "“主动公开信息总计58条”" in finding.message
    assert "正文 58" in finding.message and "表中 54" in finding.message
    assert "主动公开分类!G4" in finding.cells and "主动公开分类" in finding.message
    # "我镇未收到依申请公开的信息申请" = 0, and the table's 一 is 0: no finding for it.
    assert not any("未收到" in f.message for f in findings)


def test_seed_text_quotes():
    overview = SEED_TEXT.read_text(encoding="utf-8")
    found = [(q.words, q.number, q.paths) for q in quoted_numbers({"overview": overview})]
    assert ("主动公开信息总计58条", 58, (("categories", "total"),)) in found
    assert ("未收到依申请公开的信息申请", 0, (("applications", "new", "total"),)) in found


def test_each_pattern_against_its_table_value():
    text = ("本年度收到政府信息公开申请12件，上年结转3件，办结13件，结转下年度2件。"
            "发生行政复议1件、行政诉讼2件。依据《条例》第二十条主动公开。")
    numbers = {
        ("applications", "new", "natural_person"): 10,  # 12 quoted
        ("applications", "carried_over", "natural_person"): 3,
        ("applications", "granted", "natural_person"): 13,  # （七）总计 is recomputed from the outcomes
        ("applications", "carried_forward", "natural_person"): 0,  # 2 quoted
        ("review_litigation", "review", "upheld"): 1,
        ("review_litigation", "litigation_direct", "pending"): 1,
        ("review_litigation", "litigation_after_review", "upheld"): 0,  # 1 + 0 ≠ 2 quoted
    }
    findings = narrative_findings(report({"overview": text}, numbers))
    messages = [f.message for f in findings]
    assert len(messages) == 3, messages
    assert "“收到政府信息公开申请12件”" in messages[0] and "正文 12，表中 10" in messages[0]
    assert "“结转下年度2件”" in messages[1] and "正文 2，表中 0" in messages[1]
    assert "“行政诉讼2件”" in messages[2] and "正文 2，表中 1" in messages[2]
    assert all(f.cells[0] == "报告正文!B5" for f in findings)


def test_not_received_is_zero():
    numbers = {("applications", "new", "natural_person"): 4}
    (finding,) = narrative_findings(report({"overview": "2024年，我镇未收到政府信息公开申请。"}, numbers))
    assert "正文 0，表中 4" in finding.message


def test_full_width_digits_and_no_narrative():
    numbers = {("categories", "notices"): 3}
    (finding,) = narrative_findings(report({"other": "主动公开政府信息５条。"}, numbers))
    assert "正文 5，表中 3" in finding.message
    without = report({}, numbers)
    without.parts = tuple(p for p in without.parts if p != "narrative")
    assert narrative_findings(without) == []
