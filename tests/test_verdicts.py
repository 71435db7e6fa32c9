"""Every verdict true (issue #19, items 2–11): what the tool says about a file is what happened.

Expected words and numbers are typed from FORM.md, the samples' JSON data and the issue, never
taken from the code under test.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from xlsreport.cli import app

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
INBOX = SAMPLES / "inbox"
GAOLOU = "微山县高楼乡人民政府"  # the sample inbox's one failing unit (T3.BALANCE)
runner = CliRunner()


# ---- item 2: merge --include-failing --return-dir ------------------------------------------------


def test_a_unit_summed_with_errors_is_not_told_it_was_left_out(tmp_path):
    out = tmp_path / "汇总.xlsx"
    returned = tmp_path / "退回"
    result = runner.invoke(
        app,
        ["merge", str(INBOX), "--out", str(out), "--unit", "微山县", "--year", "2024", "--include-failing", "--return-dir", str(returned)],
    )
    assert out.exists(), result.output  # (its exit code is issue #19 item 13's)
    notice = (returned / GAOLOU / "退回通知.txt").read_text(encoding="utf-8-sig")
    assert "暂未计入汇总" not in notice
    assert "已按所报数字计入本次汇总" in notice


def test_a_unit_left_out_for_errors_is_told_so(tmp_path):
    returned = tmp_path / "退回"
    result = runner.invoke(
        app, ["merge", str(INBOX), "--out", str(tmp_path / "汇总.xlsx"), "--unit", "微山县", "--year", "2024", "--return-dir", str(returned)]
    )
    assert result.exit_code == 1, result.output
    notice = (returned / GAOLOU / "退回通知.txt").read_text(encoding="utf-8-sig")
    assert "暂未计入汇总" in notice and "已按所报数字计入" not in notice


# ---- item 4: a total that misses an item typed as text ------------------------------------------


def categories_workbook(path: Path, values: dict[str, object]) -> Path:
    """The 主动公开分类 part alone, labels down column A and values in column B (FORM.md labels)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row, (label, value) in enumerate(values.items(), start=1):
        sheet.cell(row, 1, label)
        sheet.cell(row, 2, value)
    book.save(path)
    return path


def test_a_total_missing_an_item_typed_as_text_names_that_item(tmp_path):
    from xlsreport.batch import check_file

    # SUM leaves "８６条" out: 5+1+1+1+8 = 16 is what the formula gave, the items are 102
    path = categories_workbook(
        tmp_path / "分类.xlsx",
        {"通知公告": 5, "财政预算": 1, "财政决算": 1, "机构职能": 1, "工作动态": "８６条", "其他": 8, "合计": 16},
    )
    [total] = [f for f in check_file(str(path)).findings if f.rule == "CAT.TOTAL"]
    assert "公式被手工改写" not in total.message
    assert "工作动态" in total.message and "８６条" in total.message and "B5" in total.message
    assert "少了 86" in total.message


def test_a_total_typed_over_still_says_so(tmp_path):
    from xlsreport.batch import check_file

    path = categories_workbook(
        tmp_path / "分类.xlsx",
        {"通知公告": 5, "财政预算": 1, "财政决算": 1, "机构职能": 1, "工作动态": 38, "其他": 8, "合计": 58},
    )
    [total] = [f for f in check_file(str(path)).findings if f.rule == "CAT.TOTAL"]
    # the message of a typed-over total is unchanged (byte for byte, as before this issue)
    assert total.message.endswith(
        "相差 4。表中的合计数与各项之和不符：可能是公式被手工改写成了数字，或保存的是未重新计算的旧结果；请核对各项后重新计算合计。"
    )


# ---- item 6: advice that fits the kind of file --------------------------------------------------

TITLE = "<h1>微山县西平镇人民政府2024年政府信息公开工作年度报告</h1>"
T4_OUTCOMES = "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>"
# 表三's rows (FORM.md), each label with its group as a published table prints it in one cell
T3_ROWS = (
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "（三）不予公开1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”", "4.保护第三方合法权益",
    "5.属于三类内部事务信息", "6.属于四类过程性信息", "7.属于行政执法案卷", "8.属于行政查询事项",
    "（四）无法提供1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确",
    "（五）不予处理1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.其他",
    "（七）总计", "四、结转下年度继续办理",
)
T3_HEADER = (
    "<tr><td colspan=3 rowspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan=7>申请人情况</td></tr>"
    "<tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>"
    "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
)


def t4_table(*rows: str) -> str:
    return (
        "<h2>四、政府信息公开行政复议、行政诉讼情况</h2><table border=1>"
        "<tr><td colspan=5 rowspan=2>行政复议</td><td colspan=10>行政诉讼</td></tr>"
        "<tr><td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr>"
        f"<tr>{T4_OUTCOMES * 3}</tr>" + "".join(f"<tr>{''.join(f'<td>{v}</td>' for v in row.split(','))}</tr>" for row in rows) + "</table>"
    )


def t3_table(row_values) -> str:
    body = "".join(
        f"<tr><td colspan=3>{label}</td>{''.join(f'<td>{v}</td>' for v in row_values(label))}</tr>" for label in T3_ROWS
    )
    return f"<h2>三、收到和处理政府信息公开申请情况</h2><table border=1>{T3_HEADER}{body}</table>"


def page(tmp_path: Path, *parts: str, name: str = "报告.html") -> Path:
    path = tmp_path / name
    path.write_text(f"<html><body>{TITLE}{''.join(parts)}</body></html>", encoding="utf-8")
    return path


WORKBOOK_WORDS = ("Excel", "WPS", "公式", "重新计算")


def test_a_web_page_is_not_given_workbook_advice(tmp_path):
    from xlsreport.batch import check_file

    # 行政复议 1+0+0+0 ≠ 总计 2; every 总计 of table 三 left blank (no formula in a web page)
    path = page(
        tmp_path,
        t3_table(lambda label: ["0"] * 6 + [""]),
        t4_table("1,0,0,0,2,0,0,0,0,0,0,0,0,0,0"),
    )
    findings = check_file(str(path)).findings
    [row_total] = [f for f in findings if f.rule == "T4.ROW_TOTAL"]
    [blank] = [f for f in findings if f.rule == "VALUE.TOTAL_BLANK"]
    assert "1+0+0+0 = 1 ≠ 总计 2" in row_total.message and "相差 1" in row_total.message
    assert len(blank.cells) == 25
    for finding in (row_total, blank):
        assert not any(word in finding.message for word in WORKBOOK_WORDS), finding.message


# ---- item 7: reading notes reach read --json, check and import -----------------------------------

MISPRINT = "2.其他法律行政止公开"  # 「2.其他法律行政法规禁止公开」 misprinted, as in a real report


def misprinted_page(tmp_path: Path) -> Path:
    def row(label: str) -> list[str]:
        return ["0"] * 7

    table = t3_table(row).replace("2.其他法律行政法规禁止公开", MISPRINT)
    return page(tmp_path, table, t4_table("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"))


def test_a_label_read_by_position_is_said_by_check_read_json_and_import(tmp_path):
    import json

    path = misprinted_page(tmp_path)
    read = runner.invoke(app, ["read", str(path), "--json"])
    assert read.exit_code == 0, read.output
    notes = json.loads(read.stdout)["notes"]
    assert any("2.其他法律行政法规禁止公开" in n and MISPRINT in n and "按位置读取" in n for n in notes), notes

    check = runner.invoke(app, ["check", str(path), "--json"])
    [note] = [f for f in json.loads(check.stdout)["files"][0]["findings"] if f["rule"] == "READ.NOTE"]
    assert MISPRINT in note["message"] and note["severity"] == "warning"
    shown = runner.invoke(app, ["check", str(path)])
    assert MISPRINT in "".join(shown.stdout.split())

    imported = runner.invoke(app, ["import", str(path), "-o", str(tmp_path / "导入.xlsx"), "--json"])
    assert imported.exit_code == 0, imported.output
    assert any(f["rule"] == "READ.NOTE" and MISPRINT in f["message"] for f in json.loads(imported.stdout)["findings"])


# ---- item 11: a clerk who types only the non-zero numbers ----------------------------------------


def only_nonzero_workbook(path: Path) -> Path:
    """The official workbook as a clerk fills it typing only the numbers that are not 0 (the
    formulas' results stored, as Excel stores them)."""
    from xlsreport.writing.workbook import write_workbook

    write_workbook(
        path,
        {
            "unit": {"name": "微山县高楼乡人民政府", "year": 2024, "date": "2025-01-20"},
            "proactive": {"licensing": 12},
            "categories": {"notices": 5, "work_updates": 38},
            # 一 3 + 二 0 = （七）总计 2 + 四 1, all from 自然人
            "applications": {"new": {"natural_person": 3}, "granted": {"natural_person": 2}, "carried_forward": {"natural_person": 1}},
            "review_litigation": {"review": {"upheld": 1}},
            "fee_notices": {},
        },
    )
    return path


def test_blank_cells_of_a_filled_workbook_count_as_zero_said_once_not_as_warnings(tmp_path):
    import json

    path = only_nonzero_workbook(tmp_path / "高楼乡.xlsx")
    result = runner.invoke(app, ["check", str(path), "--strict", "--json"])
    assert result.exit_code == 0, result.stdout
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert [f["rule"] for f in findings] == ["VALUE.BLANK"]
    [blank] = findings
    assert blank["severity"] == "info"
    # FORM.md: 表二 10 inputs (6 rows, the first two ×3) − 1 filled, 分类 6 − 2, 表三 24 rows
    # (not （七）总计) × 6 − 3, 表四 3 × 4 − 1, 六 3 fees: every blank cell of the file in one finding
    assert len(blank["cells"]) == (10 - 1) + (6 - 2) + (24 * 6 - 3) + (12 - 1) + 3
    assert json.loads(result.stdout)["counts"]["warnings"] == 0


# ---- item 10: a workbook imported from a published report ----------------------------------------

REPORTS = Path(__file__).resolve().parent / "data" / "reports"


def test_a_workbook_imported_from_a_clean_published_report_checks_clean(tmp_path):
    import json

    # pingtan-2024: every identity holds (tests/data/reports/pingtan-2024.expected.json); the
    # published format has no 主动公开分类 breakdown, so the workbook has none to leave blank
    source = REPORTS / "pingtan-2024.html"
    assert runner.invoke(app, ["check", str(source), "--strict"]).exit_code == 0
    out = tmp_path / "平潭.xlsx"
    assert runner.invoke(app, ["import", str(source), "-o", str(out)]).exit_code == 0
    checked = runner.invoke(app, ["check", str(out), "--strict", "--json"])
    assert checked.exit_code == 0, checked.stdout
    assert json.loads(checked.stdout)["counts"]["warnings"] == 0
    read = json.loads(runner.invoke(app, ["read", str(out), "--json"]).stdout)
    assert read["categories"] is None
    assert read["applications"]["new"]["total"] == 218  # 全年办理政府信息公开申请218件


def test_a_template_workbook_with_the_categories_left_blank_still_holds_them(tmp_path):
    import json

    path = only_nonzero_workbook(tmp_path / "高楼乡.xlsx")
    read = json.loads(runner.invoke(app, ["read", str(path), "--json"]).stdout)
    assert read["categories"]["total"] == 5 + 38


# ---- item 8: two files of one unit with the same time ------------------------------------------


def duplicate_messages(folder: Path) -> list[str]:
    from xlsreport.summary import summarize

    result = summarize([str(folder)])
    return [f.message for f in result.assessment.findings if f.rule == "MERGE.DUPLICATE"]


def same_time(*paths: Path) -> None:
    import os

    for path in paths:
        os.utime(path, (1_735_000_000, 1_735_000_000))


def test_a_workbook_and_its_published_report_of_equal_times_are_no_duplicates_the_workbook_is_summed(tmp_path):
    """Neither is called "较新": the workbook is summed by rule (issue #20), the published
    report is compared with it and said so."""
    import shutil

    from xlsreport.summary import summarize

    workbook = tmp_path / "西平镇-2024.xlsx"
    shutil.copy(INBOX / "西平镇-2024.xlsx", workbook)
    document = tmp_path / "西平镇-2024年报.docx"
    rendered = runner.invoke(app, ["render", str(workbook), "-o", str(document)])
    assert document.exists(), rendered.output
    same_time(workbook, document)
    assert duplicate_messages(tmp_path) == []
    findings = summarize([str(tmp_path)]).assessment.findings
    [message] = [f.message for f in findings if f.rule == "MERGE.PUBLISHED_AGREES"]  # said, not a warning: they agree
    assert [f.severity for f in findings if f.rule.startswith("MERGE.PUBLISHED")] == ["info"]
    assert "较新" not in message
    assert f"报送的工作簿 {workbook}" in message and f"已发布的报告 {document}" in message and "汇总采用工作簿" in message


def test_equal_times_of_two_workbooks_say_the_file_name_decided(tmp_path):
    import shutil

    first, second = tmp_path / "西平镇-2024（一）.xlsx", tmp_path / "西平镇-2024（二）.xlsx"
    for path in (first, second):
        shutil.copy(INBOX / "西平镇-2024.xlsx", path)
    same_time(first, second)
    [message] = duplicate_messages(tmp_path)
    # two copies of one workbook: the same 填报日期 and the same time
    assert "较新的" not in message and "填报日期和文件修改时间都相同" in message and "按文件名顺序" in message


def test_a_newer_file_is_still_called_newer(tmp_path):
    import os
    import shutil

    old, new = tmp_path / "西平镇-旧.xlsx", tmp_path / "西平镇-新.xlsx"
    for path in (old, new):
        shutil.copy(INBOX / "西平镇-2024.xlsx", path)
    os.utime(old, (1_735_000_000, 1_735_000_000))
    os.utime(new, (1_735_000_060, 1_735_000_060))
    [message] = duplicate_messages(tmp_path)
    assert f"按文件修改时间采用较新的 {new}，{old} 未汇总。" in message


# ---- item 9: summary's status column ---------------------------------------------------------


def inbox_with_a_broken_file_and_one_of_2023(tmp_path: Path) -> Path:
    import shutil

    from xlsreport.writing.workbook import write_workbook

    folder = tmp_path / "收件箱"
    shutil.copytree(INBOX, folder)
    (folder / "坏文件.xlsx").write_bytes(b"PK\x03\x04 cut short")
    write_workbook(
        folder / "某乡-2023.xlsx",
        {"unit": {"name": "微山县某乡人民政府", "year": 2023}, "applications": {"new": {"natural_person": 1}, "granted": {"natural_person": 1}}},
    )
    return folder


def test_a_file_of_another_year_counts_its_year_error_in_the_row(tmp_path):
    import json

    folder = inbox_with_a_broken_file_and_one_of_2023(tmp_path)
    data = json.loads(runner.invoke(app, ["summary", str(folder), "--year", "2024", "--json"]).stdout)
    [row] = [r for r in data["units"] if r["unit"] == "微山县某乡人民政府"]
    year_errors = [f for f in data["findings"] if f["rule"] == "MERGE.YEAR" and f["unit"] == "微山县某乡人民政府"]
    assert row["status"] == "wrong_year" and len(year_errors) == 1
    assert row["errors"] == 1  # the MERGE.YEAR error said below the table


def test_an_unreadable_file_is_not_said_to_lack_a_year(tmp_path):
    folder = inbox_with_a_broken_file_and_one_of_2023(tmp_path)
    text = runner.invoke(app, ["summary", str(folder), "--year", "2024"], env={"COLUMNS": "200"}).stdout
    [head] = [line for line in text.splitlines() if "坏文件.xlsx" in line and "无法读取" in line and not line.startswith("无法读取")]
    assert "未填年度" not in head


# ---- item 5: a number is tied to what its sentence counts -----------------------------------


def narrated_page(tmp_path: Path, sentence: str, review: str) -> Path:
    """一、总体情况 with ``sentence``; table 三 with 4 new applications of 自然人, all granted;
    table 四 with the 行政复议 group ``review`` (5 numbers) and no lawsuits."""

    def row(label: str) -> list[str]:
        four = label.startswith(("一、", "三、本年度办理结果（一）", "（七）"))
        return (["4"] + ["0"] * 5 + ["4"]) if four else ["0"] * 7

    overview = f"<h2>一、总体情况</h2><p>本年度收到政府信息公开申请4件。{sentence}</p>"
    return page(tmp_path, overview, t3_table(row), t4_table(review + ",0,0,0,0,0,0,0,0,0,0"))


def mismatches(path: Path) -> list:
    from xlsreport.batch import check_file

    return [f for f in check_file(str(path)).findings if f.rule == "NARR.MISMATCH"]


SENTENCE = "未收到因政府信息公开提出的行政复议、行政诉讼的申请。"


def test_no_reviews_or_lawsuits_is_not_read_as_no_applications(tmp_path):
    assert mismatches(narrated_page(tmp_path, SENTENCE, "0,0,0,0,0")) == []


def test_no_reviews_or_lawsuits_is_compared_with_table_four(tmp_path):
    [finding] = mismatches(narrated_page(tmp_path, SENTENCE, "1,0,0,0,1"))  # one review, upheld
    assert "行政复议" in finding.message and "正文 0，表中 1" in finding.message
    assert "本年新收" not in finding.message


def test_no_applications_is_still_compared_with_the_new_applications(tmp_path):
    [finding] = mismatches(narrated_page(tmp_path, "未收到政府信息公开申请。", "0,0,0,0,0"))
    assert "正文 0，表中 4" in finding.message


# ---- item 3: a row or column whose label is gone is said missing, never read from a neighbour ----


def test_rows_and_a_column_deleted_from_a_workbook_are_said_missing(tmp_path):
    import openpyxl

    full = only_nonzero_workbook(tmp_path / "完整.xlsx")
    book = openpyxl.load_workbook(full)
    sheet = book["依申请公开"]
    # the official workbook's 依申请公开 sheet: （七）总计 in row 29, 四、结转下年度继续办理 in row 30
    # (its 自然人 value 1 in D30), the 总计 column J
    assert sheet["B29"].value == "（七）总计" and sheet["A30"].value == "四、结转下年度继续办理" and sheet["J4"].value == "总计"
    sheet.delete_rows(29)
    sheet["A29"] = None  # the 四 label gone with it: its row of numbers stands unlabelled
    sheet.delete_cols(10)
    cut = tmp_path / "删行.xlsx"
    book.save(cut)

    from xlsreport.batch import check_file

    result = check_file(str(cut))
    [missing] = [f for f in result.findings if f.rule == "ROW.MISSING"]
    for label in ("（七）总计", "四、结转下年度继续办理", "总计"):
        assert f"「{label}」" in missing.message
    assert missing.severity == "warning"
    # the unlabelled row (自然人 1) is not taken for any row
    assert result.report.number(("applications", "carried_forward", "natural_person")) == 0
    assert ("applications", "carried_forward", "natural_person") not in result.report.values


def test_a_published_report_with_one_other_handling_row_says_which_rows_it_lacks(tmp_path):
    from xlsreport.batch import check_file

    single = t3_table(lambda label: ["0"] * 7)
    three = (
        "（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
    )
    zeros = "".join(f"<td>{v}</td>" for v in ["0"] * 7)
    rows = [f"<tr><td colspan=3>{label}</td>{zeros}</tr>" for label in three]
    assert all(row in single for row in rows)
    single = single.replace("".join(rows), f"<tr><td colspan=3>（六）其他处理</td>{zeros}</tr>")
    path = page(tmp_path, single, t4_table("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"))
    [missing] = [f for f in check_file(str(path)).findings if f.rule == "ROW.MISSING"]
    assert "三、收到和处理政府信息公开申请情况" in missing.message
    for label in ("1.申请人无正当理由逾期不补正", "2.申请人逾期未按收费通知要求缴纳费用", "3.其他"):
        assert label in missing.message


def test_a_complete_workbook_lacks_no_row(tmp_path):
    from xlsreport.batch import check_file

    assert [f for f in check_file(str(only_nonzero_workbook(tmp_path / "完整.xlsx"))).findings if f.rule == "ROW.MISSING"] == []


def test_two_blank_cells_in_two_parts_are_one_line(tmp_path):
    from xlsreport import form
    from xlsreport.batch import check_file
    from xlsreport.writing.workbook import write_workbook

    data: dict = {"unit": {"name": "微山县高楼乡人民政府", "year": 2024}}
    left_blank = {("proactive", "licensing"), ("applications", "new", "commercial")}
    for leaf in form.INPUT_LEAVES:
        if leaf.kind in ("count", "money") and leaf.path not in left_blank:
            form.set_path(data, leaf.path, 0)
    write_workbook(tmp_path / "两格.xlsx", data)
    findings = check_file(str(tmp_path / "两格.xlsx")).findings
    [blank] = [f for f in findings if f.rule == "VALUE.BLANK"]
    assert len(blank.cells) == 2 and blank.severity == "info"
    assert [f for f in findings if f.severity != "info"] == []


def test_a_published_report_without_the_rules_row_says_so(tmp_path):
    from xlsreport.batch import check_file

    def block(clause: str, header: str, *rows: str) -> str:
        return f"<tr><td colspan=4>{clause}</td></tr><tr><td>信息内容</td>{header}</tr>" + "".join(rows)

    three = "<td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td>"
    decisions = "<td colspan=3>本年处理决定数量</td>"
    table = (
        "<h2>二、主动公开政府信息情况</h2><table border=1>"
        + block("第二十条第（一）项", three, "<tr><td>行政规范性文件</td><td>2</td><td>0</td><td>9</td></tr>")  # no 规章 row
        + block("第二十条第（五）项", decisions, "<tr><td>行政许可</td><td colspan=3>12</td></tr>")
        + block("第二十条第（六）项", decisions, "<tr><td>行政处罚</td><td colspan=3>3</td></tr>", "<tr><td>行政强制</td><td colspan=3>0</td></tr>")
        + block("第二十条第（八）项", "<td colspan=3>本年收费金额（单位：万元）</td>", "<tr><td>行政事业性收费</td><td colspan=3>0</td></tr>")
        + "</table>"
    )
    result = check_file(str(page(tmp_path, table)))
    assert result.report.number(("proactive", "normative_documents", "in_force")) == 9
    assert result.report.number(("proactive", "licensing")) == 12
    [missing] = [f for f in result.findings if f.rule == "ROW.MISSING"]
    assert "二、主动公开政府信息情况" in missing.message and "「规章」" in missing.message
    assert "行政规范性文件" not in missing.message


def test_an_annotated_copy_marks_no_blank_cell(tmp_path):
    import openpyxl

    path = only_nonzero_workbook(tmp_path / "高楼乡.xlsx")
    out = tmp_path / "标注.xlsx"
    runner.invoke(app, ["check", str(path), "--annotate", str(out)])
    book = openpyxl.load_workbook(out)
    commented = [f"{sheet.title}!{cell.coordinate}" for sheet in book for row in sheet.iter_rows() for cell in row if cell.comment]
    assert commented == []
