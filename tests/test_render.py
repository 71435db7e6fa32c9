"""xlsreport render: the filled workbook becomes the publishable report (docx and HTML).

Expectations are typed from FORM.md (the official labels and where they stand in the official
tables) and from the random data put into the workbook, never taken from the renderer.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import html as lxml_html

from libreoffice import soffice
from oracle import APPLICANTS, CATEGORY_KEYS, CATEGORY_LABELS, FEE_LABELS, ORGANISATION_LABELS, R, T3_NOTE, T4_COLUMN_LABELS, T4_OUTCOME_KEYS, random_data, t3_rows_merged
from xlsreport.cli import main
from xlsreport.writing.workbook import write_workbook

COLUMNS = APPLICANTS
RESULTS = R  # 三、本年度办理结果
# Table 三 below its three header rows: (column 0, column 1, column 2, row key), as FORM.md prints it.
T3_BODY = t3_rows_merged()
T3_NOTE = f"（{T3_NOTE}）"  # as the rendered table prints the note, in brackets
ORGS = ORGANISATION_LABELS
OUTCOMES = T4_COLUMN_LABELS
OUTCOME_KEYS = T4_OUTCOME_KEYS
UNIT = "某某县测试局"


def run(*argv: str) -> int:
    try:
        main(list(argv))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Random consistent data → template --from → render docx and html."""
    tmp = tmp_path_factory.mktemp("render")
    data = random_data(random.Random(1111), UNIT)
    data["proactive"]["fees_10k_yuan"] = 12.345678
    data["categories"]["notices"] = 7  # filled: the categories table is printed
    data["categories"]["total"] = sum(v for k, v in data["categories"].items() if k != "total")
    data["review_litigation"]["litigation_direct"] = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    data["narrative"] = {
        "preamble": "本报告依据《中华人民共和国政府信息公开条例》编制。\n统计期限为2024年1月1日至12月31日。",
        "overview": f"本年度主动公开政府信息{data['categories']['total']}条。\n（一）依申请公开\n"
        f"收到政府信息公开申请{data['applications']['new']['total']}件。",
        "problems": "一是公开意识有待提高。",
        "other": "无。",
    }
    (tmp / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    workbook = tmp / "filled.xlsx"
    assert run("template", str(workbook), "--from", str(tmp / "data.json")) == 0
    assert run("render", str(workbook), "-o", str(tmp / "report.docx")) == 0
    assert run("render", str(workbook), "-o", str(tmp / "report.html")) == 0
    return data, tmp


def docx_grid(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def html_grid(table) -> list[list[str]]:
    """The table expanded: a merged cell's text at every position it covers."""
    grid: dict[tuple[int, int], str] = {}
    for r, tr in enumerate(table.iter("tr")):
        c = 0
        for td in tr:
            if td.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            for dr in range(int(td.get("rowspan", 1))):
                for dc in range(int(td.get("colspan", 1))):
                    grid[(r + dr, c + dc)] = td.text_content().strip()
            c += int(td.get("colspan", 1))
    rows = max(r for r, _ in grid) + 1
    cols = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(cols)] for r in range(rows)]


def tables_of(rendered, kind: str) -> list[list[list[str]]]:
    _, tmp = rendered
    if kind == "docx":
        return [docx_grid(t) for t in docx.Document(tmp / "report.docx").tables]
    page = lxml_html.fromstring((tmp / "report.html").read_text(encoding="utf-8"))
    return [html_grid(t) for t in page.iter("table")]


def find(tables, first: str) -> list[list[str]]:
    return next(t for t in tables if t[0][0] == first)


def n(value) -> str:
    return str(value)


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_table_two_in_its_four_blocks(rendered, kind):
    data, _ = rendered
    p = data["proactive"]
    t = find(tables_of(rendered, kind), "第二十条第（一）项")
    assert t[0] == ["第二十条第（一）项"] * 4
    assert t[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert t[2] == ["规章", "0", "0", "0"]
    nd = p["normative_documents"]
    assert t[3] == ["行政规范性文件", n(nd["issued"]), n(nd["repealed"]), n(nd["in_force"])]
    assert t[4] == ["第二十条第（五）项"] * 4
    assert t[5] == ["信息内容"] + ["本年处理决定数量"] * 3
    assert t[6] == ["行政许可"] + [n(p["licensing"])] * 3
    assert t[7] == ["第二十条第（六）项"] * 4
    assert t[8] == ["信息内容"] + ["本年处理决定数量"] * 3
    assert t[9] == ["行政处罚"] + [n(p["penalties"])] * 3
    assert t[10] == ["行政强制"] + [n(p["coercive_measures"])] * 3
    assert t[11] == ["第二十条第（八）项"] * 4
    assert t[12] == ["信息内容"] + ["本年收费金额（单位：万元）"] * 3
    assert t[13] == ["行政事业性收费"] + ["12.345678"] * 3
    assert len(t) == 14


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_table_three_header_tree_and_every_number(rendered, kind):
    data, _ = rendered
    t = find(tables_of(rendered, kind), T3_NOTE)
    assert [row[:3] for row in t[:3]] == [[T3_NOTE] * 3] * 3  # the note spans 3 columns × 3 rows
    assert t[0][3:] == ["申请人情况"] * 7
    assert t[1][3:] == ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert t[2][3:] == ["自然人"] + ORGS + ["总计"]
    assert len(t) == 3 + len(T3_BODY) == 28
    for r, (c0, c1, c2, key) in enumerate(T3_BODY, start=3):
        values = data["applications"][key]
        assert t[r] == [c0, c1, c2] + [n(values[c]) for c in COLUMNS], key
    assert sum(row[0] == RESULTS for row in t) == 22


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_table_four_header_rows_over_fifteen_numbers(rendered, kind):
    data, _ = rendered
    t = find(tables_of(rendered, kind), "行政复议")
    assert t[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    assert t[1] == ["行政复议"] * 5 + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert t[2] == OUTCOMES * 3
    rl = data["review_litigation"]
    expected = [n(rl[g][k]) for g in ("review", "litigation_direct", "litigation_after_review") for k in OUTCOME_KEYS]
    assert t[3] == expected
    assert t[3][5:10] == ["0"] * 5  # zeros printed as 0, never blank or "/"


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_categories_and_fee_notices_tables(rendered, kind):
    data, _ = rendered
    tables = tables_of(rendered, kind)
    cat = find(tables, "通知公告")
    c = data["categories"]
    assert cat == [CATEGORY_LABELS, [n(c[k]) for k in (*CATEGORY_KEYS, "total")]]
    fees = find(tables, "发出收费通知的件数")
    f = data["fee_notices"]
    assert fees[0] == FEE_LABELS
    assert fees[1] == [n(f["notices_sent"]), re.sub(r"\.0$", "", n(f["amount_notified_yuan"])),
                       re.sub(r"\.0$", "", n(f["amount_collected_yuan"]))]


def test_docx_sections_in_official_order_with_narrative(rendered):
    data, tmp = rendered
    paragraphs = [p.text for p in docx.Document(tmp / "report.docx").paragraphs if p.text]
    assert paragraphs[0] == f"{UNIT}2024年政府信息公开工作年度报告"
    assert paragraphs[1] == "本报告依据《中华人民共和国政府信息公开条例》编制。"
    headings = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    positions = [paragraphs.index(h) for h in headings]
    assert positions == sorted(positions)
    assert paragraphs[positions[0] + 1] == f"本年度主动公开政府信息{data['categories']['total']}条。"
    assert paragraphs[positions[4] + 1] == "一是公开意识有待提高。"


def test_docx_page_fonts_and_repeating_headers(rendered):
    _, tmp = rendered
    document = docx.Document(tmp / "report.docx")
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    body = document.element.body
    cjk = re.compile(r"[\u4e00-\u9fff]")
    runs = [r for r in body.iter(qn("w:r")) if cjk.search("".join(t.text or "" for t in r.iter(qn("w:t"))))]
    assert runs
    for run_ in runs:  # every Chinese run names its East Asian font
        fonts = run_.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts is not None and fonts.get(qn("w:eastAsia")), "".join(t.text for t in run_.iter(qn("w:t")))
    title = next(r for r in runs if "年度报告" in "".join(t.text for t in r.iter(qn("w:t"))))
    rpr = title.find(qn("w:rPr"))
    assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "44"  # 22 pt, 2号
    heading = next(r for r in runs if "".join(t.text for t in r.iter(qn("w:t"))) == "一、总体情况")
    assert heading.find(qn("w:rPr") + "/" + qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"
    sub = next(r for r in runs if "".join(t.text for t in r.iter(qn("w:t"))) == "（一）依申请公开")
    assert sub.find(qn("w:rPr") + "/" + qn("w:rFonts")).get(qn("w:eastAsia")).startswith("楷体")
    t3 = next(t for t in document.tables if t.rows[0].cells[0].text == T3_NOTE)
    repeated = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in t3.rows]
    assert repeated[:4] == [True, True, True, False]
    footer = section.footer._element.xml
    assert "PAGE" in footer


def test_docx_is_deterministic(rendered, tmp_path):
    _, tmp = rendered
    assert run("render", str(tmp / "filled.xlsx"), "-o", str(tmp_path / "again.docx")) == 0
    assert (tmp_path / "again.docx").read_bytes() == (tmp / "report.docx").read_bytes()


def test_html_is_one_fragment_without_scripts(rendered):
    _, tmp = rendered
    page = lxml_html.fromstring((tmp / "report.html").read_text(encoding="utf-8"))
    body = page.find("body")
    assert len(body) == 1 and body[0].tag == "div"
    assert not list(page.iter("script")) and "<script" not in (tmp / "report.html").read_text(encoding="utf-8")
    assert body[0].find("h1").text_content() == f"{UNIT}2024年政府信息公开工作年度报告"


@pytest.mark.office
def test_docx_converts_to_pdf_with_the_tables_in_its_text(rendered, tmp_path):
    data, tmp = rendered
    profile = Path(tempfile.mkdtemp(prefix="xlsreport-lo-"))
    try:
        subprocess.run([soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                        "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(tmp_path), str(tmp / "report.docx")],
                       capture_output=True, timeout=180, check=True)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for label in ["政府信息公开工作年度报告", "第二十条第（一）项", "行政规范性文件", "申请人情况", "法人或其他组织",
                  "一、本年新收政府信息公开申请数量", "1.属于国家秘密", "（七）总计", "四、结转下年度继续办理",
                  "未经复议直接起诉", "复议后起诉", "12.345678"]:
        assert label in flat, label


def test_failing_workbook_is_refused_unless_forced(tmp_path, capsys):
    data = random_data(random.Random(7), UNIT)
    data["categories"]["total"] = sum(v for k, v in data["categories"].items() if k != "total") + 3
    workbook = tmp_path / "wrong.xlsx"
    write_workbook(workbook, data, as_read=True)  # the stated total is kept: it no longer adds up
    out = tmp_path / "report.docx"
    assert run("render", str(workbook), "-o", str(out)) == 1
    assert not out.exists() and not list(tmp_path.glob(".report.docx*"))
    shown = capsys.readouterr().out
    assert "CAT.TOTAL" in shown and "未生成" in shown
    assert run("render", str(workbook), "-o", str(out), "--publish-with-errors") == 0
    assert out.exists()
    assert "--publish-with-errors" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("template_args", "reason"),
    [
        # a blank template (PLAUS.UNTOUCHED) is never rendered, not even with --publish-with-errors
        # (issue #19 item 1: 未填写 is not rendered): tests/test_returned_untouched.py
        (["--unit", "微山县西平镇人民政府"], "不能发布（未填写或无法识别报告年度）"),
        (["--year", "2024"], "不能发布（未填写单位名称）"),
    ],
)
def test_a_report_that_would_not_say_whose_or_which_year_is_not_published(tmp_path, capsys, template_args, reason):
    # the title would read "年政府信息公开工作年度报告" with no unit or year: never published by accident
    workbook = tmp_path / "w.xlsx"
    if template_args:  # one number typed in: a unit's report (pre-filled and untouched is 未填写)
        filled = tmp_path / "filled.json"
        filled.write_text('{"categories": {"notices": 1}}', encoding="utf-8")
        template_args = [*template_args, "--from", str(filled)]
    assert run("template", str(workbook), *template_args) == 0
    out = tmp_path / "report.docx"
    assert run("render", str(workbook), "-o", str(out)) == 1
    assert not out.exists()
    assert f"✗ {reason}，未生成 {out}" in capsys.readouterr().out
    assert run("render", str(workbook), "-o", str(out), "--publish-with-errors") == 0
    assert out.exists()
    assert f"! {reason}，按 --publish-with-errors 仍生成了 {out}" in capsys.readouterr().out


def test_existing_output_is_not_overwritten_without_force(rendered, capsys):
    _, tmp = rendered
    before = (tmp / "report.html").read_bytes()
    assert run("render", str(tmp / "filled.xlsx"), "-o", str(tmp / "report.html")) == 2
    assert "已存在" in capsys.readouterr().err
    assert (tmp / "report.html").read_bytes() == before


def test_narrative_mismatch_is_a_warning_that_does_not_stop_render(tmp_path, capsys):
    data = random_data(random.Random(3), UNIT)
    data["categories"] = {"notices": 5, "budget": 1, "final_accounts": 1, "functions": 1, "work_updates": 38,
                          "other": 8, "total": 54}
    data["narrative"] = {"overview": "2024年度，西平镇主动公开信息总计58条，公开内容主要涵盖财政预算。"}
    (tmp_path / "d.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert run("template", str(tmp_path / "w.xlsx"), "--from", str(tmp_path / "d.json")) == 0
    capsys.readouterr()
    assert run("render", str(tmp_path / "w.xlsx"), "-o", str(tmp_path / "r.html")) == 0
    shown = capsys.readouterr().out
    finding = next(line for line in shown.splitlines() if "NARR.MISMATCH" in line)
    assert finding.lstrip().startswith("[警告]")  # a warning: shown, and the report is written
    assert "主动公开信息总计58条" in finding and "正文 58，表中 54" in finding


def test_narrative_sheet_in_the_template_round_trips(rendered):
    import openpyxl

    from xlsreport.reading.report import read

    data, tmp = rendered
    wb = openpyxl.load_workbook(tmp / "filled.xlsx")
    ws = wb["报告正文"]
    labels = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for label, key in [("开头段落（编制依据、统计期限、查阅和联系方式）", "preamble"), ("一、总体情况", "overview"),
                       ("五、存在的主要问题及改进情况", "problems"), ("六、其他需要报告的事项", "other")]:
        value = ws.cell(row=labels[label].row, column=labels[label].column + 1)
        assert value.value == data["narrative"][key]
        assert value.alignment.wrap_text and not value.protection.locked
    limits = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert limits == {"32767"}  # Excel's limit for one cell, not the 255 of short texts
    assert read(tmp / "filled.xlsx").to_dict()["narrative"] == data["narrative"]


def test_a_narrative_longer_than_a_cell_is_refused(tmp_path, capsys):
    (tmp_path / "d.json").write_text(json.dumps({"narrative": {"overview": "字" * 32768}}), encoding="utf-8")
    assert run("template", str(tmp_path / "w.xlsx"), "--from", str(tmp_path / "d.json")) == 2
    assert "32768" in capsys.readouterr().err and not (tmp_path / "w.xlsx").exists()
