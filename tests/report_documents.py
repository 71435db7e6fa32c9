"""Published reports the tests make: table 三 as a Word file and as a web page, and table 三 as read.

The documents are laid out as FORM.md prints table 三 (labels from tests/oracle.py); the numbers
are whatever the test passes, usually ``oracle.table_3_numbers()``.  Used by the document tests,
the import tests and benchmarks/bench_documents.py.
"""

from __future__ import annotations

from pathlib import Path

from oracle import APPLICANTS, ORGANISATION_LABELS, t3_rows_filled

# table 三 as FORM.md prints it: (group, sub-group, label, key)
TABLE_3 = tuple(t3_rows_filled())


def table_3(report) -> dict[str, list]:
    """Table 三 as read, in the shape of ``oracle.table_3_numbers()`` (blank cells as 0)."""
    return {key: [report.number(("applications", key, c)) for c in APPLICANTS] for *_, key in TABLE_3}


def write_docx(path: Path, numbers: dict[str, list[int]], *, filler: int = 0, whole_rows: bool = False) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("某某县某某局")
    document.add_paragraph("2024年政府信息公开工作年度报告")
    document.add_paragraph("一、总体情况")
    for i in range(filler):
        document.add_paragraph(f"第{i + 1}段正文。" * 8)
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    table = document.add_table(rows=3 + len(TABLE_3), cols=10)
    table.style = "Table Grid"
    table.cell(0, 0).merge(table.cell(2, 2)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    table.cell(0, 3).merge(table.cell(0, 9)).text = "申请人情况"
    table.cell(1, 3).merge(table.cell(2, 3)).text = "自然人"
    table.cell(1, 4).merge(table.cell(1, 8)).text = "法人或其他组织"
    table.cell(1, 9).merge(table.cell(2, 9)).text = "总计"
    for c, label in enumerate(ORGANISATION_LABELS, start=4):
        table.cell(2, c).text = label
    first = {}
    for r, (group, sub, label, key) in enumerate(TABLE_3, start=3):
        if sub is None:
            table.cell(r, 0).merge(table.cell(r, 2)).text = group
        elif label is None:
            table.cell(r, 1).merge(table.cell(r, 2)).text = sub
        else:
            table.cell(r, 2).text = label
            first.setdefault(sub, r)
        first.setdefault(group, r)
        for c, value in enumerate(numbers[key], start=3):
            table.cell(r, c).text = str(value)
    last = {}
    for r, (group, sub, label, _) in enumerate(TABLE_3, start=3):
        last[group] = r
        if label is not None:
            last[sub] = r
    group = "三、本年度办理结果"
    table.cell(first[group], 0).merge(table.cell(last[group], 0)).text = group
    for sub in ("（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"):
        table.cell(first[sub], 1).merge(table.cell(last[sub], 1)).text = sub
    from docx.oxml import OxmlElement

    if whole_rows:  # no row breaks over a page ("允许跨页断行" off)
        for row in table.rows:
            row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    document.add_paragraph("五、存在的主要问题及改进情况")
    document.add_paragraph("没有。")
    document.save(path)
    return path


def html_page(numbers: dict[str, list[int]], *, blank_zeros: bool = False) -> str:
    rows = [
        "<tr><td colspan=3 rowspan=3><p>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</p></td>"
        "<td colspan=7><span>申请人情况</span></td></tr>",
        "<tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>",
        "<tr><td>商业<br>企业</td><td>科研<br>机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>",
    ]
    spans = {"三、本年度办理结果": 22, "（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}
    opened: set[str] = set()
    for group, sub, label, key in TABLE_3:
        cells = ""
        if sub is None:
            cells += f"<td colspan=3>{group}</td>"
        else:
            if group not in opened:
                opened.add(group)
                cells += f"<td rowspan={spans[group]}>{group}</td>"
            if label is None:
                cells += f"<td colspan=2>{sub}</td>"
            else:
                if sub not in opened:
                    opened.add(sub)
                    cells += f"<td rowspan={spans[sub]}>{sub}</td>"
                cells += f"<td>{label}</td>"
        for value in numbers[key]:
            shown = "&nbsp;" if blank_zeros and value == 0 else f"<p><span>{value}</span></p>"
            cells += f"<td>{shown}</td>"
        rows.append(f"<tr>{cells}</tr>")
    table_2 = (
        "<table><tr><td colspan=4>第二十条第（一）项</td></tr>"
        "<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>"
        "<tr><td>规章</td><td>/</td><td>/</td><td>/</td></tr>"
        "<tr><td>行政规范性文件</td><td>１２</td><td>1,234</td><td>5</td></tr>"
        "<tr><td colspan=4>第二十条第（八）项</td></tr>"
        "<tr><td>信息内容</td><td colspan=3>本年收费金额（单位：万元）</td></tr>"
        "<tr><td>行政事业性收费</td><td colspan=3>1.234567</td></tr></table>"
    )
    return (
        "<html><head><title>某某区人民政府2024年政府信息公开工作年度报告_某某区人民政府</title></head><body>"
        "<div class=nav>首页 &gt; 政务公开</div><h1>某某区人民政府2024年政府信息公开工作年度报告</h1>"
        "<p>一、总体情况</p><p>正文。</p><p>二、主动公开政府信息情况</p>" + table_2 +
        "<p>三、收到和处理政府信息公开申请情况</p><table border=1>" + "".join(rows) + "</table></body></html>"
    )
