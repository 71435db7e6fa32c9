"""The narrative across the year (issue #20): sections left empty (NARR.EMPTY, in check and said
by render), text copied from last year's report (NARR.COPIED with the share), and the drafted
sentences of 一、总体情况 on the 报告正文 sheet, live formulas proved by LibreOffice.

Section names are FORM.md's: 一、总体情况, 五、存在的主要问题及改进情况, 六、其他需要报告的事项.
"""

from __future__ import annotations

import pytest

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from yearly import write_report
from xlsreport.cli import app

UNIT = "微山县西平镇人民政府"
FORWARD = [1, 0, 0, 0, 0, 2]
OVERVIEW_2023 = (
    "2023年，我镇认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息41条。"
    "收到政府信息公开申请3件，均已按期答复。"
    "我镇进一步规范政府信息公开平台建设，及时更新政府网站栏目内容。"
    "加强监督保障，将政府信息公开工作纳入年度绩效考核。"
)
# the same text a year later: only the year and the numbers changed
OVERVIEW_2024 = (
    "2024年，我镇认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息54条。"
    "收到政府信息公开申请7件，均已按期答复。"
    "我镇进一步规范政府信息公开平台建设，及时更新政府网站栏目内容。"
    "加强监督保障，将政府信息公开工作纳入年度绩效考核。"
)
REWRITTEN_2024 = (
    "2024年，我镇认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息54条。"
    "针对上年群众反映的征地补偿信息查找不便的问题，新设征地信息专栏并按月更新补偿标准和发放进度。"
    "全年组织两次业务培训，覆盖各村便民服务点的信息公开联络员共计三十余人次。"
)
OTHER = "本年度未收取信息处理费。本年度办理人大代表建议和政协提案均已按要求公开办理结果。"
PROBLEMS = "主要问题是部分栏目更新不及时。下一步将建立栏目更新台账，明确责任人。"


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def _rules(output: str, rule: str) -> list[dict]:
    return [f for item in json.loads(output)["files"] for f in item["findings"] if f["rule"] == rule]


def test_a_narrative_copied_from_last_year(tmp_path: Path) -> None:
    last = write_report(tmp_path / "2023.xlsx", UNIT, 2023, FORWARD,
                        narrative={"overview": OVERVIEW_2023, "problems": PROBLEMS, "other": OTHER})
    copied = write_report(tmp_path / "2024.xlsx", UNIT, 2024, [0] * 6, new=[1] * 6,
                          narrative={"overview": OVERVIEW_2024, "problems": "部分栏目更新仍不及时，已建立栏目更新台账并逐月检查。", "other": OTHER})
    done = _run("check", str(copied), "--previous", str(last), "--json")
    found = {f["message"].split("」")[0].split("「")[1]: f for f in _rules(done.stdout, "NARR.COPIED")}
    # 六 is the same too, but 37 characters: too short to call a copy (a "无" repeated is not one)
    assert set(found) == {"一、总体情况"}
    assert "与上年报告（2023.xlsx）相同的文字占 100%" in found["一、总体情况"]["message"]
    assert found["一、总体情况"]["severity"] == "warning"
    assert found["一、总体情况"]["cells"] == ["报告正文!B8"]
    rewritten = write_report(tmp_path / "2024b.xlsx", UNIT, 2024, [0] * 6, new=[1] * 6,
                             narrative={"overview": REWRITTEN_2024, "problems": PROBLEMS + "已完成。", "other": "本年度没有其他需要报告的事项，未收取信息处理费。"})
    done = _run("check", str(rewritten), "--previous", str(last), "--json")
    assert [f["message"] for f in _rules(done.stdout, "NARR.COPIED")] == []  # one sentence of three is last year's


def test_an_empty_overview_is_said_by_check_and_by_render(tmp_path: Path) -> None:
    workbook = write_report(tmp_path / "w.xlsx", UNIT, 2024, FORWARD, narrative={"overview": "略", "problems": PROBLEMS, "other": OTHER})
    (finding,) = _rules(_run("check", str(workbook), "--json").stdout, "NARR.EMPTY")
    assert "一、总体情况" in finding["message"] and "“略”" in finding["message"] and finding["severity"] == "warning"
    out = tmp_path / "report.docx"
    done = _run("render", str(workbook), "-o", str(out))
    assert done.exit_code == 0 and out.exists()
    said = done.stdout.index("NARR.EMPTY")
    assert said < done.stdout.index("已生成")
    # a workbook whose optional 报告正文 is left wholly blank: check has nothing to say about it, render does
    blank = write_report(tmp_path / "blank.xlsx", UNIT, 2024, FORWARD)
    assert _rules(_run("check", str(blank), "--json").stdout, "NARR.EMPTY") == []
    done = _run("render", str(blank), "-o", str(tmp_path / "blank.docx"))
    assert done.stdout.count("NARR.EMPTY") == 3


@pytest.mark.office
def test_the_drafted_sentences_are_live_formulas(tmp_path: Path) -> None:
    from libreoffice import convert

    workbook = write_report(tmp_path / "w.xlsx", UNIT, 2024, FORWARD)
    book = openpyxl.load_workbook(workbook)
    # the unit changes its numbers after the template was written: the cached results are gone
    categories = book["主动公开分类"]
    for col, n in zip("ABCDEF", (6, 1, 1, 2, 40, 9)):
        categories[f"{col}4"] = n
    review = book["复议诉讼"]
    review["A6"], review["F6"], review["M6"] = 1, 2, 1  # 复议 维持 1; 诉讼 直接起诉 维持 2; 复议后起诉 其他 1
    book.save(tmp_path / "changed.xlsx")
    recalculated = openpyxl.load_workbook(convert(tmp_path / "changed.xlsx", "xlsx", tmp_path / "lo"), data_only=True)["报告正文"]
    drafts = [row[1].value for row in recalculated.iter_rows() if str(row[0].value or "").startswith("参考文字")]
    # typed from the numbers above and those of tests.yearly.report_data: new = granted + forward
    assert drafts[0] == (
        "本年度主动公开政府信息59条，其中通知公告6条、财政预算1条、财政决算1条、机构职能2条、工作动态40条、其他9条。"
        "本年度收到政府信息公开申请9件，上年结转0件，办结6件，结转下年度继续办理3件。"
        "本年度发生政府信息公开行政复议1件、行政诉讼3件。"
    )
    assert drafts[1] == "本年度发出信息处理费收费通知0件，收费通知总金额0元，实际收取0元。"
