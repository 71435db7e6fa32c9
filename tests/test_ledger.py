"""The year-round ledger (issue #21): table 三, the fees and the categories counted from records.

Expected counts are computed here from the register the test itself makes, by FORM.md's terms
for report year Y: 一 received in Y; 二 received before Y and not answered before Y; each outcome
answered in Y with that result; 四 received by the end of Y and not answered by then.  Labels and
list wordings are typed from FORM.md, not taken from the code under test.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from libreoffice import convert
from xlsreport.checker import check_report
from xlsreport.cli import app
from xlsreport.reading.report import read
from xlsreport.writing.workbook import layout, write_template

YEAR = 2024
LEDGER_SHEET = "依申请公开台账"
LIST_SHEET = "主动公开信息清单"

# ---- typed from FORM.md ---------------------------------------------------------------------
APPLICANTS = {  # 申请人类型 → table 三 column key
    "自然人": "natural_person", "商业企业": "commercial", "科研机构": "research",
    "社会公益组织": "public_interest", "法律服务机构": "legal_services", "其他": "other_org",
}
OUTCOMES = [  # (group, label, row key): every outcome of （一）…（六）
    ("", "（一）予以公开", "granted"),
    ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "partially_granted"),
    ("（三）不予公开", "1.属于国家秘密", "denied.state_secret"),
    ("（三）不予公开", "2.其他法律行政法规禁止公开", "denied.prohibited_by_law"),
    ("（三）不予公开", "3.危及“三安全一稳定”", "denied.security_stability"),
    ("（三）不予公开", "4.保护第三方合法权益", "denied.third_party"),
    ("（三）不予公开", "5.属于三类内部事务信息", "denied.internal_affairs"),
    ("（三）不予公开", "6.属于四类过程性信息", "denied.process_information"),
    ("（三）不予公开", "7.属于行政执法案卷", "denied.enforcement_files"),
    ("（三）不予公开", "8.属于行政查询事项", "denied.query_matters"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", "unavailable.not_held"),
    ("（四）无法提供", "2.没有现成信息需要另行制作", "unavailable.needs_creation"),
    ("（四）无法提供", "3.补正后申请内容仍不明确", "unavailable.unclear_after_correction"),
    ("（五）不予处理", "1.信访举报投诉类申请", "not_processed.petitions"),
    ("（五）不予处理", "2.重复申请", "not_processed.repeated"),
    ("（五）不予处理", "3.要求提供公开出版物", "not_processed.publications"),
    ("（五）不予处理", "4.无正当理由大量反复申请", "not_processed.excessive"),
    ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", "not_processed.confirmation"),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other.no_correction"),
    ("（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other.fee_unpaid"),
    ("（六）其他处理", "3.其他", "other.other"),
]
CATEGORIES = {"通知公告": "notices", "财政预算": "budget", "财政决算": "final_accounts", "机构职能": "functions",
              "工作动态": "work_updates", "其他": "other"}
HEADER = ["编号", "申请日期", "申请人类别", "申请事项", "办结日期", "答复类型", "是否收费", "收费金额", "实收金额", "备注"]


def outcome_texts(group: str, label: str) -> list[str]:
    """Ways a register writes one outcome: the list's wording, with a space, the label alone."""
    if not group:
        return [label]
    return [f"{group}-{label}", f"{group} {label}", f"{group}{label}"]


def typed_date(when: dt.date, how: int):
    """A date as clerks type it, four ways (a real date cell being the fourth)."""
    return [when.strftime("%Y-%m-%d"), f"{when.year}/{when.month}/{when.day}", f"{when.year}年{when.month}月{when.day}日",
            dt.datetime(when.year, when.month, when.day)][how % 4]


def random_register(seed: int, n: int = 260) -> list[dict]:
    """Records received from two years before Y to one after it, answered within 0–120 days or
    not at all: every way across the year boundary, every outcome and applicant type."""
    rnd = random.Random(seed)
    records = []
    for i in range(n):
        received = dt.date(YEAR - 1, 9, 1) + dt.timedelta(days=rnd.randint(0, 560))
        answered = received + dt.timedelta(days=rnd.randint(0, 120)) if rnd.random() < 0.8 else None
        group, label, key = OUTCOMES[i % len(OUTCOMES)] if i < len(OUTCOMES) * 3 else rnd.choice(OUTCOMES)
        if i < len(OUTCOMES) * 3:  # every outcome answered inside the year at least three times
            received, answered = dt.date(YEAR, 1 + i % 10, 3), dt.date(YEAR, 2 + i % 10, 5 + i % 7)
        applicant = list(APPLICANTS)[i % 6] if i < 12 else rnd.choice(list(APPLICANTS))
        fee = answered is not None and rnd.random() < 0.1
        records.append({
            "serial": i + 1, "received": received, "answered": answered, "applicant": applicant,
            "outcome": (rnd.choice(outcome_texts(group, label)) if answered else None), "key": key if answered else None,
            "fee": fee, "amount": rnd.randint(1, 50) * 10 if fee else None,
        })
    records.append({"serial": n + 1, "received": dt.date(YEAR - 1, 12, 31), "answered": dt.date(YEAR, 1, 1),
                    "applicant": "自然人", "outcome": "（一）予以公开", "key": "granted", "fee": False, "amount": None})
    records.append({"serial": n + 2, "received": dt.date(YEAR, 12, 31), "answered": dt.date(YEAR + 1, 1, 1),
                    "applicant": "其他", "outcome": "（一）予以公开", "key": "granted", "fee": False, "amount": None})
    return records


def expected_counts(records: list[dict]) -> tuple[dict[tuple[str, str], int], dict[str, float]]:
    """Table 三 (row key, column key) → count, and the three fee values, by FORM.md's terms."""
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    counts: Counter = Counter()
    fees = {"notices_sent": 0, "amount_notified_yuan": 0, "amount_collected_yuan": 0}
    for rec in records:
        col = APPLICANTS[rec["applicant"]]
        got, done = rec["received"], rec["answered"]
        if start <= got <= end:
            counts[("new", col)] += 1
        if got < start and (done is None or done >= start):
            counts[("carried_over", col)] += 1
        if done is not None and start <= done <= end:
            counts[(rec["key"], col)] += 1
            if rec["fee"]:
                fees["notices_sent"] += 1
                fees["amount_notified_yuan"] += rec["amount"]
                fees["amount_collected_yuan"] += rec["amount"]
        if got <= end and (done is None or done > end):
            counts[("carried_forward", col)] += 1
    return dict(counts), fees


def write_register_xlsx(path: Path, records: list[dict]) -> Path:
    """The register as an office keeps it in its own spreadsheet (its own headers, a title row)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024年申请登记"
    ws.append(["某某局政府信息公开申请登记表"])
    ws.append(HEADER)
    for i, rec in enumerate(records):
        ws.append([rec["serial"], typed_date(rec["received"], i), rec["applicant"], f"申请{rec['serial']}号的内容",
                   typed_date(rec["answered"], i + 1) if rec["answered"] else None, rec["outcome"],
                   "是" if rec["fee"] else "否", rec["amount"], rec["amount"], None])
    wb.save(path)
    return path


def run(*args: str):
    return CliRunner().invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ledger")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return random_register(21)


@pytest.fixture(scope="module")
def built(work: Path, records: list[dict]) -> Path:
    source = write_register_xlsx(work / "登记表.xlsx", records)
    out = work / "年报.xlsx"
    result = run("ledger", source, "-o", out, "--year", YEAR, "--unit", "某某局")
    assert result.exit_code == 0, result.output
    return out


# ---- counting ------------------------------------------------------------------------------


def test_ledger_types_table_3_and_fees_as_counted_by_date(built: Path, records: list[dict]) -> None:
    counts, fees = expected_counts(records)
    data = read(built).to_dict()
    table = data["applications"]
    for _, _, row in OUTCOMES:
        for col in APPLICANTS.values():
            assert table[row][col] == counts.get((row, col), 0), (row, col)
    for row in ("new", "carried_over", "carried_forward"):
        for col in APPLICANTS.values():
            assert table[row][col] == counts.get((row, col), 0), (row, col)
        assert table[row]["total"] == sum(counts.get((row, col), 0) for col in APPLICANTS.values())
    assert data["fee_notices"] == pytest.approx(fees)
    assert sum(counts.get((row, col), 0) for _, _, row in OUTCOMES for col in APPLICANTS.values()) > 40
    assert counts.get(("carried_over", "natural_person")) and counts.get(("carried_forward", "other_org"))


def test_the_counted_workbook_passes_check(built: Path) -> None:
    result = run("check", built, "--json")
    findings = json.loads(result.stdout)["files"][0]["findings"]
    assert [f for f in findings if f["severity"] == "error"] == []
    assert result.exit_code == 0


def test_read_json_carries_the_ledger_rows(built: Path, records: list[dict]) -> None:
    data = json.loads(run("read", built, "--json").stdout)
    rows = data["ledger"]
    assert len(rows) == len(records)
    first = rows[0]
    assert first["received"] == records[0]["received"].isoformat()
    assert first["applicant"] == records[0]["applicant"]
    assert first["content"] == "申请1号的内容"
    assert data["published"] == []  # the sheet is there, with no records


def test_a_typed_cell_that_differs_from_the_ledger_is_named(work: Path, built: Path, records: list[dict]) -> None:
    counts, _ = expected_counts(records)
    data = read(built).to_dict()
    data["applications"]["granted"]["natural_person"] += 1
    changed = write_template(work / "改过.xlsx", data)
    typed = counts[("granted", "natural_person")] + 1
    cell = layout()[("applications", "granted", "natural_person")].address
    findings = [f for f in check_report(read(changed)) if f.rule == "LEDGER.T3_COUNT"]
    assert len(findings) == 1
    finding = findings[0]
    assert finding.severity == "error" and finding.cells == (cell,)
    assert f"填 {typed}" in finding.message and f"统计为 {typed - 1}" in finding.message
    assert LEDGER_SHEET in finding.message and "（一）予以公开" in finding.message and "自然人" in finding.message
    rows = re.findall(r"第(\d+)行", finding.message)
    assert rows and all(int(r) >= 2 for r in rows)


def test_an_unknown_outcome_is_named_by_row_never_guessed(work: Path) -> None:
    csv = work / "台账.csv"
    csv.write_text(
        "序号,受理日期,申请人性质,申请内容,答复时间,处理结果\n"
        "1,2024-03-01,自然人,甲,2024-03-20,1.属于国家秘密\n"
        "2,2024-04-01,商业企业,乙,2024-04-20,差不多公开了\n"
        "3,2024-05-01,其他,丙,2024-04-20,（一）予以公开\n",
        encoding="utf-8",
    )
    out = work / "未知结果.xlsx"
    result = run("ledger", csv, "-o", out, "--year", YEAR, "--unit", "某某局", "--json")
    assert result.exit_code == 1
    said = json.loads(result.stdout)
    reasons = {item["row"]: item["reason"] for item in said["ledger"]["not_counted"]}
    assert set(reasons) == {3, 4}
    assert "差不多公开了" in reasons[3] and "办理结果" in reasons[3]
    assert "早于" in reasons[4]
    assert said["written"]["applications"]["denied.state_secret"]["natural_person"] == 1
    assert said["written"]["applications"]["new"]["commercial"] == 0
    findings = [f for f in check_report(read(out)) if f.rule == "LEDGER.ROW"]
    assert [("差不多公开了" in f.message, f.cells) for f in findings] == [
        (True, (f"{LEDGER_SHEET}!A3",)), (False, (f"{LEDGER_SHEET}!A4",))]
    assert "第3行" in findings[0].message


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_csv_as_excel_saves_it(work: Path, encoding: str) -> None:
    csv = work / f"台账-{encoding}.csv"
    csv.write_bytes(
        ("收到日期,申请人类型,答复日期,办理结果\n"
         "2024/1/5,自然人,2024年2月1日,（三）不予公开-1.属于国家秘密\n"
         "2023.12.20,法律服务机构,,\n"
         "2024-06-01 09:30:00,社会公益组织,2024-06-03 16:05,（四）无法提供 3.补正后申请内容仍不明确\n").encode(encoding)
    )
    out = work / f"csv-{encoding}.xlsx"
    result = run("ledger", csv, "-o", out, "--year", YEAR, "--json")
    assert result.exit_code == 0, result.output
    table = read(out).to_dict()["applications"]
    assert table["denied.state_secret"]["natural_person"] == 1
    assert table["carried_over"]["legal_services"] == 1 and table["carried_forward"]["legal_services"] == 1
    assert table["unavailable.unclear_after_correction"]["public_interest"] == 1  # a system's date and time


def test_into_keeps_the_other_parts_and_never_touches_the_file(work: Path) -> None:
    own = write_template(work / "本单位.xlsx", {"unit": {"name": "某某镇", "year": YEAR},
                                              "categories": {"notices": 5, "budget": 1, "final_accounts": 1,
                                                             "functions": 1, "work_updates": 38, "other": 8}})
    before = own.read_bytes()
    csv = work / "into.csv"
    csv.write_text("收到日期,申请人类型,答复日期,办理结果\n2024-06-01,科研机构,2024-06-09,（一）予以公开\n", encoding="utf-8")
    out = work / "into-out.xlsx"
    assert run("ledger", csv, "-o", out, "--into", own).exit_code == 0
    assert own.read_bytes() == before
    data = read(out).to_dict()
    assert data["unit"]["name"] == "某某镇" and data["unit"]["year"] == YEAR
    assert data["categories"]["work_updates"] == 38
    assert data["applications"]["granted"]["research"] == 1
    assert run("ledger", csv, "-o", out, "--into", own).exit_code == 2  # exists: --force needed


# ---- the list of published items -----------------------------------------------------------


def test_a_list_of_40_items_against_categories_that_say_otherwise(work: Path) -> None:
    plan = {"通知公告": 7, "财政预算": 2, "财政决算": 1, "机构职能": 3, "工作动态": 20, "其他": 7}
    items = [{"title": f"{name}第{i}条", "date": f"{YEAR}-0{1 + i % 9}-1{i % 9}", "category": name}
             for name, n in plan.items() for i in range(n)]
    assert len(items) == 40
    stated = {"notices": 7, "budget": 2, "final_accounts": 1, "functions": 3, "work_updates": 18, "other": 7}
    path = write_template(work / "清单.xlsx", {"unit": {"name": "某某镇", "year": YEAR}, "categories": stated,
                                              "published": items})
    findings = [f for f in check_report(read(path)) if f.rule == "LIST.CATEGORY"]
    assert len(findings) == 1
    message = findings[0].message
    assert "工作动态" in message and "填 18" in message and "有 20 条" in message and LIST_SHEET in message
    assert findings[0].cells == (layout()[("categories", "work_updates")].address,)


def test_ledger_fills_the_list_from_a_site_export(work: Path) -> None:
    export = work / "网站导出.csv"
    export.write_text("信息标题,发布时间,所属栏目\n甲,2024-02-01,通知公告\n乙,2024-03-01,工作动态\n丙,2023-12-30,工作动态\n"
                      "丁,2024-05-01,政策解读\n", encoding="gbk")
    out = work / "清单-out.xlsx"
    result = run("ledger", "-o", out, "--published", export, "--year", YEAR, "--json")
    said = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(i["row"], "政策解读" in i["reason"]) for i in said["published"]["not_counted"]] == [(5, True)]
    data = read(out).to_dict()
    assert data["categories"]["notices"] == 1 and data["categories"]["work_updates"] == 1
    assert len(data["published"]) == 4


# ---- the rest follows -----------------------------------------------------------------------


def test_merge_says_how_many_units_kept_a_ledger(work: Path, built: Path) -> None:
    folder = work / "收件箱"
    folder.mkdir()
    (folder / "某某局.xlsx").write_bytes(built.read_bytes())
    write_template(folder / "另一局.xlsx", {"unit": {"name": "另一局", "year": YEAR}})
    result = run("merge", folder, "-o", work / "汇总.xlsx", "--unit", "某某县", "--year", YEAR, "--json")
    said = json.loads(result.stdout)
    assert said["ledger_units"] == 1
    merged = read(work / "汇总.xlsx").to_dict()
    assert merged["ledger"] == []  # the county workbook sums the tables, not the records


def test_import_of_a_workbook_carries_its_ledger(work: Path, built: Path, records: list[dict]) -> None:
    out = work / "导入.xlsx"
    assert run("import", built, "-o", out).exit_code == 0
    copied = read(out).to_dict()
    assert len(copied["ledger"]) == len(records)
    assert copied["applications"] == read(built).to_dict()["applications"]


def test_render_never_prints_the_ledger(work: Path, built: Path) -> None:
    out = work / "报告.html"
    result = run("render", built, "-o", out, "--force")
    assert out.exists(), result.output
    html = out.read_text(encoding="utf-8")
    assert "申请1号的内容" not in html and LEDGER_SHEET not in html


# ---- the workbook counts live: LibreOffice, forced to recalculate ---------------------------


def _block(ws) -> dict[tuple[str, str], float]:
    """校验's ledger block as LibreOffice computed it: (row label, applicant) → 台账 count."""
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "表三栏目")
    columns = {}
    for c, value in enumerate(rows[head]):
        if value in APPLICANTS:
            assert rows[head + 1][c] == "表中" and rows[head + 1][c + 1] == "台账"
            columns[value] = c + 1
    out = {}
    for r in rows[head + 2: head + 2 + 25]:
        for name, c in columns.items():
            out[(re.sub(r"\s+", "", r[0]), name)] = r[c]
    return out


@pytest.mark.office
def test_libreoffice_recalculates_the_ledger_block_to_the_same_counts(work: Path, built: Path, records: list[dict]) -> None:
    counts, _ = expected_counts(records)
    # openpyxl keeps no formula results: LibreOffice has nothing to show but what it computes
    uncached = work / "无缓存.xlsx"
    openpyxl.load_workbook(built).save(uncached)
    recalculated = convert(uncached, "xlsx", work / "lo")
    block = _block(openpyxl.load_workbook(recalculated, data_only=True)["校验"])
    labels = {"new": "一、本年新收政府信息公开申请数量", "carried_over": "二、上年结转政府信息公开申请数量",
              "carried_forward": "四、结转下年度继续办理"}
    labels.update({row: group + label for group, label, row in OUTCOMES})
    for row, label in labels.items():
        for name, col in APPLICANTS.items():
            assert block[(label, name)] == counts.get((row, col), 0), (row, name)


# ---- the command as a clerk meets it -------------------------------------------------------


def test_ledger_has_chinese_help_naming_its_exit_codes() -> None:
    result = CliRunner().invoke(app, ["ledger", "--help"], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    # the help wraps at 80 columns whatever COLUMNS says (issue #19 item 21): compared without the breaks
    assert "0已生成，1已生成但有记录无法统计，2用法错误，3文件无法读取" in "".join(result.stdout.split())


def test_usage_errors_are_one_chinese_line(work: Path) -> None:
    missing = run("ledger", work / "不存在.csv", "-o", work / "x.xlsx", "--year", YEAR)
    assert missing.exit_code == 2 and missing.stderr.startswith("错误：找不到输入文件或文件夹 ")
    csv = work / "无年度.csv"
    csv.write_text("收到日期,申请人类型,办理结果\n2024-01-01,自然人,\n", encoding="utf-8")
    no_year = run("ledger", csv, "-o", work / "x.xlsx")
    assert no_year.exit_code == 2 and "--year" in no_year.stderr and "Traceback" not in no_year.stderr
    no_header = work / "无表头.csv"
    no_header.write_text("甲,乙\n1,2\n", encoding="utf-8")
    result = run("ledger", no_header, "-o", work / "x.xlsx", "--year", YEAR)
    assert result.exit_code == 2 and "收到日期、申请人类型、办理结果" in result.stderr
    assert not (work / "x.xlsx").exists()


# ---- the template's sheets -----------------------------------------------------------------

LEDGER_COLUMNS = ["序号", "收到日期", "申请人类型", "申请内容", "答复日期", "办理结果", "是否发出收费通知", "收费金额（元）",
                  "实收金额（元）", "备注"]


def _list_values(ws, dv) -> list[str]:
    """The values a drop-down list offers: an inline list or a range of the same sheet."""
    source = dv.formula1.strip('"')
    if "$" not in source:
        return source.split(",")
    first, last = source.replace("$", "").lstrip("=").split(":")
    return [row[0].value for row in ws[first:last]]


def test_the_template_keeps_a_ledger_and_a_list_with_their_lists(work: Path) -> None:
    blank = write_template(work / "空白.xlsx")
    wb = openpyxl.load_workbook(blank)
    names = wb.sheetnames
    assert names.index(LEDGER_SHEET) == names.index("依申请公开") + 1
    assert names.index(LIST_SHEET) == names.index("主动公开分类") + 1
    ws = wb[LEDGER_SHEET]
    assert [c.value for c in ws[1]][: len(LEDGER_COLUMNS)] == LEDGER_COLUMNS
    assert ws.protection.sheet and ws.freeze_panes == "A2" and ws.print_title_rows
    by_column = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            assert rng.min_row == 2 and rng.max_row >= 3001  # room for a few thousand records
            by_column[LEDGER_COLUMNS[rng.min_col - 1]] = dv
        assert dv.prompt and dv.error and dv.showErrorMessage
    assert by_column["收到日期"].type == "date" and by_column["答复日期"].type == "date"
    assert sorted(_list_values(ws, by_column["申请人类型"])) == sorted(APPLICANTS)
    outcomes = _list_values(ws, by_column["办理结果"])
    # every outcome of （一）…（六） in FORM.md (21: the "20" miscounts), no （七）总计
    assert len(outcomes) == len(OUTCOMES) == 21 == len(set(outcomes))
    assert {re.sub(r"-", "", o) for o in outcomes} == {group + label for group, label, _ in OUTCOMES}
    assert set(_list_values(ws, by_column["是否发出收费通知"])) == {"是", "否"}
    lws = wb[LIST_SHEET]
    assert [c.value for c in lws[1]][:3] == ["标题", "发布日期", "类别"]
    category = next(dv for dv in lws.data_validations.dataValidation if dv.type == "list")
    assert sorted(_list_values(lws, category)) == sorted(CATEGORIES)


def test_the_checks_sheet_counts_over_bounded_ranges_only(work: Path) -> None:
    blank = write_template(work / "空白2.xlsx")
    ws = openpyxl.load_workbook(blank)["校验"]
    formulas = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    counting = [f for f in formulas if "COUNTIFS" in f or "SUMIFS" in f]
    assert len(counting) == 24 * 6 + 3 + 6  # every input cell of table 三 (24 rows × 6), the fees, the categories
    for formula in counting:
        assert not re.search(r"![$]?[A-Z]+:[$]?[A-Z]+\b", formula), formula  # no whole-column reference
        assert re.search(r"\$[A-Z]+\$2:\$[A-Z]+\$\d{4}", formula), formula
    assert all("{" not in f for f in formulas)  # no array formula


def test_output_piped_on_a_chinese_windows_desk_is_gbk(work: Path) -> None:
    import os
    import subprocess
    import sys

    csv = work / "gbk输出.csv"
    csv.write_text("收到日期,申请人类型,答复日期,办理结果\n2024-03-01,自然人,2024-03-02,（一）予以公开\n"
                   "2024-03-01,自然人,2024-03-02,无法归类\n", encoding="gbk")
    env = {**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-m", "xlsreport.cli", "ledger", str(csv), "-o", str(work / "gbk.xlsx"),
                           "--year", str(YEAR)], capture_output=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr.decode("gbk", "replace")
    shown = done.stdout.decode("gbk")
    assert "第3行" in shown and "无法归类" in shown and "（一）予以公开" in shown


@pytest.mark.office
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_a_register_saved_as_xls_or_ods_counts_the_same(work: Path, built: Path, fmt: str) -> None:
    saved = convert(work / "登记表.xlsx", fmt, work / f"as-{fmt}")
    out = work / f"from-{fmt}.xlsx"
    assert run("ledger", saved, "-o", out, "--year", YEAR, "--unit", "某某局").exit_code == 0
    assert read(out).to_dict()["applications"] == read(built).to_dict()["applications"]
