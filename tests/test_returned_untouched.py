"""A template sent out (issue #20) and sent back untouched is 未填写 (issue #19 item 1): an error.
`check --return-dir` gives its unit a return package; `merge --return-dir` must too — the county
clerk tells the unit it sent back an empty form, whichever command was run."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from xlsreport.cli import app
from xlsreport.writing.workbook import write_template

UNIT = "微山县高楼乡人民政府"


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    write_template(inbox / f"{UNIT}.xlsx", unit=UNIT, year=2025)  # as sent out, returned as it was
    return inbox


def test_check_and_merge_both_return_the_untouched_template_to_its_unit(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    for command, extra in (("check", []), ("merge", ["-o", str(tmp_path / "汇总.xlsx"), "--year", "2025"])):
        back = tmp_path / f"退回-{command}"
        result = CliRunner().invoke(app, [command, str(inbox), *extra, "--return-dir", str(back),
                                          "--unit", "微山县政务服务管理局"])
        assert result.exit_code == 1, (command, result.output)
        notice = back / UNIT / "退回通知.txt"
        assert notice.exists(), (command, sorted(p.name for p in back.rglob("*")) if back.exists() else None)
        text = notice.read_text(encoding="utf-8-sig")
        assert "表格未填写" in text and "暂未计入汇总" in text


def test_the_returned_copy_of_an_untouched_template_is_still_unfilled(tmp_path: Path) -> None:
    # the copy in the return package wrote 0 into every blank cell: sent back as it came, it
    # passed check with 0 errors and was summed with all zeros
    from xlsreport.checker import check_report
    from xlsreport.reading.report import read

    back = tmp_path / "退回"
    CliRunner().invoke(app, ["check", str(_inbox(tmp_path)), "--return-dir", str(back)])
    copy = next((back / UNIT).glob("请修改-*.xlsx"))
    assert [f.rule for f in check_report(read(copy))] == ["PLAUS.UNTOUCHED"]


def test_an_untouched_sent_template_is_never_rendered_even_with_publish_with_errors(tmp_path: Path) -> None:
    # #19 item 1: 未填写 is not rendered; --publish-with-errors published it as a report of zeros
    sent = _inbox(tmp_path) / f"{UNIT}.xlsx"
    page = tmp_path / "报告.html"
    result = CliRunner().invoke(app, ["render", str(sent), "-o", str(page), "--publish-with-errors"],
                                env={"COLUMNS": "200"})
    assert result.exit_code == 1 and not page.exists()
    last = result.stdout.strip().splitlines()[-1]
    assert "未填写" in last and "--publish-with-errors" not in last
    assert "NARR.EMPTY" not in result.stdout  # a blank form's empty sections are not worth a word


def test_a_wholly_blank_template_is_not_rendered_either(tmp_path: Path) -> None:
    blank = tmp_path / "空白.xlsx"
    write_template(blank)
    out = tmp_path / "report.docx"
    for extra in ([], ["--publish-with-errors"]):
        result = CliRunner().invoke(app, ["render", str(blank), "-o", str(out), *extra])
        assert result.exit_code == 1 and not out.exists()
        assert "表格未填写" in result.stdout


def test_summary_compares_no_untouched_template_with_last_year(tmp_path: Path) -> None:
    # a blank form's zeros against last year's figures were listed under 与上年相比 and raised
    # YEAR.JUMP (e.g. 66 → 0) for a unit that has not reported yet
    from xlsreport.batch import read_previous
    from xlsreport.summary import summarize

    last = tmp_path / "上年"
    last.mkdir()
    write_template(last / "高楼乡-2024.xlsx", {"categories": {"notices": 66}, "applications": {
        "new": {"natural_person": 30}, "granted": {"natural_person": 30}}}, unit=UNIT, year=2024)
    result = summarize([_inbox(tmp_path)], year=2025, previous=read_previous([last]))
    assert [row.status for row in result.assessment.rows] == ["blank"]
    assert result.changes == []
    assert "YEAR.JUMP" not in [f.rule for f in result.assessment.findings]


def _published(tmp_path: Path) -> Path:
    """The unit's own published page: a filled workbook of the same unit and year, rendered."""
    from xlsreport.publish import render

    filled = tmp_path / "已填.xlsx"
    write_template(filled, {"categories": {"notices": 7}, "applications": {
        "new": {"natural_person": 2}, "granted": {"natural_person": 2}}}, unit=UNIT, year=2025)
    page = tmp_path / "年报.html"
    render(filled, page, publish_with_errors=True)
    return page


def test_a_published_report_is_not_compared_with_an_untouched_workbook_in_a_folder(tmp_path: Path) -> None:
    # the blank form's cells are not the unit's figures: "报送的工作簿为 0" for every number was false
    from xlsreport.batch import check

    inbox = _inbox(tmp_path)
    (inbox / "年报.html").write_bytes(_published(tmp_path).read_bytes())
    result = check([inbox])
    page = next(f for f in result.files if f.file.endswith(".html"))
    assert not [f for f in page.findings if f.rule.startswith("PUBLISHED.")]


def test_against_an_untouched_workbook_is_refused_in_one_line(tmp_path: Path) -> None:
    sent = _inbox(tmp_path) / f"{UNIT}.xlsx"
    result = CliRunner().invoke(app, ["check", str(_published(tmp_path)), "--against", str(sent)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("错误：") and "未填写" in result.stderr and "PUBLISHED.NUMBER" not in result.stdout


def test_an_untouched_template_is_not_told_it_has_no_last_year_report(tmp_path: Path) -> None:
    # check's only word on a blank form is that it is blank (the cross-year checks are skipped)
    from xlsreport.batch import check, read_previous

    last = tmp_path / "上年"
    last.mkdir()
    for other in ("微山县赵庙镇人民政府", "微山县韩庄镇人民政府"):  # two: a lone one would be taken as the unit's
        write_template(last / f"{other}-2024.xlsx", {"categories": {"notices": 1}}, unit=other, year=2024)
    result = check([_inbox(tmp_path)], previous=read_previous([last]))
    assert [f.rule for f in result.files[0].findings] == ["PLAUS.UNTOUCHED"]
