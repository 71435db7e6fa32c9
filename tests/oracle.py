"""What the tests hold to be true, typed by hand: never imported from xlsreport's form.py.

Three things live here, once for the whole suite:

* **The form's labels and keys**, typed from ``../shared/spec/FORM.md`` (the source of truth; the
  spec is not needed to run the tests).  Every other shape a test wants (the keys in order, table
  三 as a document prints it with its merged group cells, ...) is derived below from these tables,
  not typed a second time.
* **Generators of consistent data**: reports in the JSON shape of FORM.md whose every identity
  holds, built from the identities themselves (``random_data``, ``consistent_data``,
  ``seeded_data``, the hand-worked ``valid_data``, ``table_3_numbers``), and the sums a test
  expects of them (``leaves_of``, ``independent_sum``, ``expected_totals``).
* **Where the test data is**: ``tests/data`` and ``samples/``, both inside the repository, so a
  plain clone runs the suite (nothing is read from ``../shared``).

A test module imports what it needs from here (``from oracle import ...``); test modules never
import one another.
"""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

from xlsreport.model import CellValue, FileResult, Finding, Report

# ---------------------------------------------------------------------------------------------
# Where the test data is (all inside the repository)
# ---------------------------------------------------------------------------------------------

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
DATA = TESTS / "data"
REPORTS = DATA / "reports"  # real published reports, each with <name>.expected.json
SAMPLES = ROOT / "samples"
INBOX = SAMPLES / "inbox"
# the seed (exact copies of ../shared/seed): 微山县西平镇人民政府 2024 as text, and its attachment
SEED_TEXT = DATA / "000_025603475ffff513.txt"
SEED_CATEGORIES = DATA / "000_025603475ffff513-attachment-categories.xls"
SEED_TOTAL = DATA / "000_025603475ffff513-attachment-total.xls"
# 淮安市洪泽区人民政府 2024, as published (exact copy of ../shared/real/hongze-qu-2024.pdf)
HONGZE = REPORTS / "hongze-qu-2024.pdf"

# ---------------------------------------------------------------------------------------------
# The form as FORM.md prints it (labels typed from the spec, keys as the spec names them)
# ---------------------------------------------------------------------------------------------

FORM_ID = "gov-info-annual-report/2021"

UNIT = [("单位名称", "name"), ("报告年度", "year"), ("联系地址", "address"), ("联系电话", "phone"), ("网站", "website"), ("填报人", "preparer"), ("填报日期", "date")]

# Table 二: (clause, column labels, [(row label, key)]); the three columns of the first block:
T2_BLOCKS = [
    ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"], [("规章", "rules"), ("行政规范性文件", "normative_documents")]),
    ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", "licensing")]),
    ("第二十条第（六）项", ["本年处理决定数量"], [("行政处罚", "penalties"), ("行政强制", "coercive_measures")]),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", "fees_10k_yuan")]),
]
T2_COLUMN_KEYS = ["issued", "repealed", "in_force"]
T2_HEAD = "信息内容"

# The categories (the seed's attachment); the total's label:
CATEGORIES = [
    ("通知公告", "notices"),
    ("财政预算", "budget"),
    ("财政决算", "final_accounts"),
    ("机构职能", "functions"),
    ("工作动态", "work_updates"),
    ("其他", "other"),
]
CATEGORY_TOTAL = "合计"

# Table 三: the applicant columns (the last is the total), their two group headings, the note.
T3_COLUMNS = [
    ("自然人", "natural_person"),
    ("商业企业", "commercial"),
    ("科研机构", "research"),
    ("社会公益组织", "public_interest"),
    ("法律服务机构", "legal_services"),
    ("其他", "other_org"),
    ("总计", "total"),
]
T3_COLUMN_GROUPS = ["申请人情况", "法人或其他组织"]
T3_NOTE = "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"
R = "三、本年度办理结果"
# (column A text, column B text, column C text, key): the official merged layout of table 三 —
# a group's label only on its first row.
T3_ROWS = [
    ("一、本年新收政府信息公开申请数量", None, None, "new"),
    ("二、上年结转政府信息公开申请数量", None, None, "carried_over"),
    (R, "（一）予以公开", None, "granted"),
    (None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, "partially_granted"),
    (None, "（三）不予公开", "1.属于国家秘密", "denied.state_secret"),
    (None, None, "2.其他法律行政法规禁止公开", "denied.prohibited_by_law"),
    (None, None, "3.危及“三安全一稳定”", "denied.security_stability"),
    (None, None, "4.保护第三方合法权益", "denied.third_party"),
    (None, None, "5.属于三类内部事务信息", "denied.internal_affairs"),
    (None, None, "6.属于四类过程性信息", "denied.process_information"),
    (None, None, "7.属于行政执法案卷", "denied.enforcement_files"),
    (None, None, "8.属于行政查询事项", "denied.query_matters"),
    (None, "（四）无法提供", "1.本机关不掌握相关政府信息", "unavailable.not_held"),
    (None, None, "2.没有现成信息需要另行制作", "unavailable.needs_creation"),
    (None, None, "3.补正后申请内容仍不明确", "unavailable.unclear_after_correction"),
    (None, "（五）不予处理", "1.信访举报投诉类申请", "not_processed.petitions"),
    (None, None, "2.重复申请", "not_processed.repeated"),
    (None, None, "3.要求提供公开出版物", "not_processed.publications"),
    (None, None, "4.无正当理由大量反复申请", "not_processed.excessive"),
    (None, None, "5.要求行政机关确认或重新出具已获取信息", "not_processed.confirmation"),
    (None, "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other.no_correction"),
    (None, None, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other.fee_unpaid"),
    (None, None, "3.其他", "other.other"),
    (None, "（七）总计", None, "handled_total"),
    ("四、结转下年度继续办理", None, None, "carried_forward"),
]

# Table 四: (key, label) of the three groups under their two headings, the five columns of each.
T4_GROUPS = [("review", "行政复议"), ("litigation_direct", "未经复议直接起诉"), ("litigation_after_review", "复议后起诉")]
T4_LITIGATION = "行政诉讼"
T4_COLUMNS = [("结果维持", "upheld"), ("结果纠正", "corrected"), ("其他结果", "other"), ("尚未审结", "pending"), ("总计", "total")]

# Section 六: the information-processing fees.
FEES = [("发出收费通知的件数", "notices_sent"), ("收费通知总金额（元）", "amount_notified_yuan"), ("实际收取的总金额（元）", "amount_collected_yuan")]

# ---- the same tables in the shapes tests use (derived, not retyped) --------------------------

UNIT_LABELS = [label for label, _ in UNIT]
FEE_LABELS = [label for label, _ in FEES]
FEE_KEYS = [key for _, key in FEES]
T2_LABELS = ([clause for clause, _, _ in T2_BLOCKS] + [T2_HEAD]
             + [label for _, _, rows in T2_BLOCKS for label, _ in rows]
             + list(dict.fromkeys(label for _, columns, _ in T2_BLOCKS for label in columns)))
CATEGORY_KEYS = [key for _, key in CATEGORIES]  # the six inputs, without the total
CATEGORY_LABELS = [label for label, _ in CATEGORIES] + [CATEGORY_TOTAL]
APPLICANT_COLUMNS = [key for _, key in T3_COLUMNS[:-1]]  # the six inputs, without 总计
APPLICANTS = [key for _, key in T3_COLUMNS]  # with "total"
ORGANISATION_LABELS = [label for label, _ in T3_COLUMNS[1:-1]]  # under 法人或其他组织
T3_COLUMN_LABELS = [T3_COLUMN_GROUPS[0], T3_COLUMNS[0][0], T3_COLUMN_GROUPS[1], *ORGANISATION_LABELS, T3_COLUMNS[-1][0]]
T3_KEYS = [key for *_, key in T3_ROWS]  # the 25 rows in order
T3_OUTCOMES = T3_KEYS[T3_KEYS.index("granted"):T3_KEYS.index("handled_total")]  # the 21 that add to （七）总计
RESULT_ROWS = T3_OUTCOMES
T4_GROUP_KEYS = [key for key, _ in T4_GROUPS]
T4_OUTCOMES = [key for _, key in T4_COLUMNS[:-1]]  # without the total
T4_OUTCOME_KEYS = [key for _, key in T4_COLUMNS]  # with "total"
T4_COLUMN_LABELS = [label for label, _ in T4_COLUMNS]
T4_LABELS = [T4_GROUPS[0][1], T4_LITIGATION, T4_GROUPS[1][1], T4_GROUPS[2][1], *T4_COLUMN_LABELS]


def t3_rows_filled() -> list[tuple[str, str | None, str | None, str]]:
    """Table 三 with every row's group and sub-group written out: (group, sub-group, label, key).

    A row with no sub-group (一、…, 二、…, 四、…) has (group, None, None); a sub-group without
    numbered rows (（一）, （二）, （七）) has (group, sub-group, None)."""
    rows, group, sub = [], None, None
    for a, b, c, key in T3_ROWS:
        if a:
            group, sub = a, None
        if b:
            sub = b
        rows.append((group, sub, c, key))
    return rows


def t3_rows_with_groups() -> list[tuple[str, str | None]]:
    """Table 三's row labels top to bottom as the template prints them, each group label once,
    as a row of its own without a key: (label, key or None)."""
    rows: list[tuple[str, str | None]] = []
    for a, b, c, key in T3_ROWS:
        if a and (b or c):
            rows.append((a, None))
        if b and c:
            rows.append((b, None))
        rows.append((c or b or a, key))
    return rows


def t3_rows_merged() -> list[tuple[str, str, str, str]]:
    """Table 三's body as a grid of three label columns, a merged label repeated in every column it
    spans: (column 0, column 1, column 2, key)."""
    out = []
    for group, sub, label, key in t3_rows_filled():
        if sub is None:
            out.append((group, group, group, key))
        elif label is None:
            out.append((group, sub, sub, key))
        else:
            out.append((group, sub, label, key))
    return out


# ---------------------------------------------------------------------------------------------
# Generators of consistent data (the JSON shape of FORM.md, every identity holding)
# ---------------------------------------------------------------------------------------------


def random_data(rng: random.Random, name: str, year: int = 2024, date: str | None = None) -> dict:
    """A report that satisfies every identity of FORM.md, built from the identities themselves."""
    small = lambda: rng.choice([0, 0, 1, 2, 3, rng.randint(0, 60)])  # noqa: E731
    apps: dict = {}
    for row in RESULT_ROWS:
        apps[row] = {c: small() for c in APPLICANT_COLUMNS}
    apps["other.other"] = {c: rng.choice([0, 0, 1]) for c in APPLICANT_COLUMNS}  # "3.其他" stays small
    apps["handled_total"] = {c: sum(apps[r][c] for r in RESULT_ROWS) for c in APPLICANT_COLUMNS}
    apps["carried_forward"] = {c: small() for c in APPLICANT_COLUMNS}
    apps["carried_over"] = {
        c: rng.randint(0, apps["handled_total"][c] + apps["carried_forward"][c]) for c in APPLICANT_COLUMNS
    }
    apps["new"] = {
        c: apps["handled_total"][c] + apps["carried_forward"][c] - apps["carried_over"][c] for c in APPLICANT_COLUMNS
    }
    for row in apps.values():
        row["total"] = sum(row[c] for c in APPLICANT_COLUMNS)
    categories = {k: rng.randint(0, 80) for k in CATEGORY_KEYS}
    categories["total"] = sum(categories.values())
    review = {}
    for group in T4_GROUP_KEYS:
        review[group] = {k: small() for k in T4_OUTCOMES}
        review[group]["total"] = sum(review[group].values())
    # Plausible fees (section 六): a notice for every unpaid-fee case, collected ≤ notified.
    unpaid = sum(apps["other.fee_unpaid"].values())
    sent = unpaid + rng.choice([0, 0, 1, 2])
    notified = round(sent * rng.choice([10, 12.5, 30.25]), 2)
    fee_notices = {"notices_sent": sent, "amount_notified_yuan": notified,
                   "amount_collected_yuan": round(notified * rng.choice([0, 0.5, 1]), 2)}  # fmt: skip
    return {
        "form": FORM_ID,
        "unit": {"name": name, "year": year, "address": "某地", "phone": "0537-0000000", "website": None,
                 "preparer": "张三", "date": date},
        "proactive": {
            "rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_documents": {k: rng.randint(0, 9) for k in ("issued", "repealed", "in_force")},
            "licensing": rng.randint(0, 500), "penalties": rng.randint(0, 50), "coercive_measures": rng.randint(0, 5),
            "fees_10k_yuan": rng.choice([0, 0.1, 0.2, 1.25, round(rng.uniform(0, 30), 6)]),
        },
        "categories": categories,
        "applications": apps,
        "review_litigation": review,
        "fee_notices": fee_notices,
    }  # fmt: skip


def consistent_data(numbers: list[int | float]) -> dict:
    """A filled form whose totals obey FORM.md's identities; inputs taken from ``numbers`` in turn."""
    it = iter(numbers)
    proactive: dict = {}
    for _, columns, rows in T2_BLOCKS:
        for _, key in rows:
            if len(columns) == 3:
                proactive[key] = {c: next(it) for c in T2_COLUMN_KEYS}
            else:
                proactive[key] = next(it)
    categories = {key: next(it) for _, key in CATEGORIES}
    categories["total"] = sum(categories.values())
    applications: dict = {}
    input_rows = [key for *_, key in T3_ROWS if key not in ("handled_total",)]
    for key in input_rows:
        row = {c: next(it) for _, c in T3_COLUMNS[:-1]}
        row["total"] = sum(row.values())
        applications[key] = row
    applications["handled_total"] = {
        c: sum(applications[k][c] for k in T3_OUTCOMES) for _, c in T3_COLUMNS
    }
    review: dict = {}
    for key, _ in T4_GROUPS:
        group = {c: next(it) for _, c in T4_COLUMNS[:-1]}
        group["total"] = sum(group.values())
        review[key] = group
    fees = {key: next(it) for _, key in FEES}
    return {
        "form": FORM_ID,
        "unit": {"name": "微山县西平镇人民政府", "year": 2024, "address": "微山县西平镇县乡公路111号",
                 "phone": "0537-8341001", "website": "http://www.weishan.gov.cn/", "preparer": "张三", "date": "2025-01-20"},
        "proactive": proactive,
        "categories": categories,
        "applications": applications,
        "review_litigation": review,
        "fee_notices": fees,
    }


def distinct_data() -> dict:
    """Every input a different number, so a value read from a neighbouring cell cannot pass."""
    return consistent_data(list(range(1, 400)))


def seeded_data(seed: int) -> dict:
    """A report whose every identity holds, small random counts from ``seed``; the unit name is a
    formula-looking text (a filled template must show it as text, never run it)."""
    rnd = random.Random(seed)
    apps: dict = {}
    for key in T3_OUTCOMES + ["carried_forward", "carried_over"]:
        apps[key] = {c: rnd.randint(0, 9) for c in APPLICANT_COLUMNS}
    apps["new"] = {}
    for c in APPLICANT_COLUMNS:
        handled = sum(apps[k][c] for k in T3_OUTCOMES)
        apps["carried_over"][c] = min(apps["carried_over"][c], handled)
        apps["new"][c] = handled + apps["carried_forward"][c] - apps["carried_over"][c]
    cats = {k: rnd.randint(0, 60) for k in CATEGORY_KEYS}
    return {
        "form": FORM_ID,
        "unit": {"name": "=HYPERLINK(\"http://x.invalid\",\"微山县西平镇人民政府\")", "year": 2024,
                 "address": "微山县西平镇县乡公路111号", "phone": "0537-8341001", "website": "http://www.weishan.gov.cn/",
                 "preparer": "张三", "date": "2025-01-20"},
        "proactive": {"rules": {"issued": 0, "repealed": 1, "in_force": 2},
                      "normative_documents": {"issued": 3, "repealed": 0, "in_force": 17},
                      "licensing": 120, "penalties": 4, "coercive_measures": 0, "fees_10k_yuan": 25.100123},
        "categories": cats,
        "applications": apps,
        "review_litigation": {g: {o: rnd.randint(0, 5) for o in T4_OUTCOMES} for g in T4_GROUP_KEYS},
        "fee_notices": {"notices_sent": 2, "amount_notified_yuan": 300, "amount_collected_yuan": 150.5},
    }


def valid_data() -> dict:
    """A township's report in the JSON shape of FORM.md, every identity holding (worked by hand).

    natural_person: new 3 + carried_over 1 = handled (granted 2 + not_held 1) 3 + carried_forward 1.
    commercial:     new 1 + 0 = handled (partially_granted 1) 1 + 0.
    categories:     5 + 1 + 1 + 1 + 38 + 8 = 54.   review: 1 upheld + 1 pending = 2.
    """
    applications = {row: dict.fromkeys(APPLICANT_COLUMNS, 0) for row in T3_KEYS}
    applications["new"].update(natural_person=3, commercial=1)
    applications["carried_over"].update(natural_person=1)
    applications["granted"].update(natural_person=2)
    applications["partially_granted"].update(commercial=1)
    applications["unavailable.not_held"].update(natural_person=1)
    applications["handled_total"].update(natural_person=3, commercial=1)
    applications["carried_forward"].update(natural_person=1)
    for row in applications.values():
        row["total"] = sum(row.values())
    outcome = {"upheld": 0, "corrected": 0, "other": 0, "pending": 0, "total": 0}
    return {
        "form": FORM_ID,
        "unit": {"name": "微山县西平镇人民政府", "year": 2024, "address": "微山县西平镇县乡公路111号",
                 "phone": "0537-8341001", "website": "http://www.weishan.gov.cn/", "preparer": "张三",
                 "date": "2025-01-20"},
        "proactive": {
            "rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_documents": {"issued": 2, "repealed": 1, "in_force": 10},
            "licensing": 120, "penalties": 15, "coercive_measures": 2, "fees_10k_yuan": 0.35,
        },
        "categories": {"notices": 5, "budget": 1, "final_accounts": 1, "functions": 1,
                       "work_updates": 38, "other": 8, "total": 54},
        "applications": applications,
        "review_litigation": {
            "review": {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2},
            "litigation_direct": dict(outcome),
            "litigation_after_review": dict(outcome),
        },
        "fee_notices": {"notices_sent": 0, "amount_notified_yuan": 0, "amount_collected_yuan": 0},
    }


def table_3_numbers() -> dict[str, list[int]]:
    """Table 三 alone, consistent: row r, column c (inputs) = (3r + c) mod 5; totals summed; the
    seven numbers of a row in the order of ``APPLICANTS``."""
    rows: dict[str, list[int]] = {}
    for r, key in enumerate(T3_KEYS):
        if key in ("handled_total", "new", "carried_over", "carried_forward"):
            continue
        inputs = [(r * 3 + c) % 5 for c in range(6)]
        rows[key] = inputs + [sum(inputs)]
    handled = [sum(rows[k][c] for k in rows) for c in range(7)]
    rows["handled_total"] = handled
    rows["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    rows["carried_over"] = [2, 0, 1, 0, 0, 0, 3]
    rows["new"] = [handled[c] + rows["carried_forward"][c] - rows["carried_over"][c] for c in range(7)]
    return rows


# ---------------------------------------------------------------------------------------------
# What a test expects of such data
# ---------------------------------------------------------------------------------------------


def leaves_of(data: dict, prefix: tuple = ()) -> dict[tuple, object]:
    """Every value of ``data`` by its path, ``form`` left out."""
    out: dict = {}
    for key, value in data.items():
        if key == "form":
            continue
        if isinstance(value, dict):
            out.update(leaves_of(value, prefix + (key,)))
        else:
            out[prefix + (key,)] = value
    return out


def independent_sum(datas: list[dict]) -> dict[tuple, object]:
    """Every number summed over ``datas`` (exact decimals), unit facts left out."""
    total: dict[tuple, object] = {}
    for data in datas:
        for path, value in leaves_of(data).items():
            if path[0] == "unit":
                continue
            total[path] = total.get(path, Decimal(0)) + Decimal(str(value))
    return total


def expected_totals(inputs: dict[tuple, float]) -> dict[tuple, float]:
    """Every total, from FORM.md's identities over the given input values."""
    get = lambda *p: inputs.get(p, 0) or 0  # noqa: E731
    out: dict[tuple, float] = {}
    for key in T3_KEYS:
        if key != "handled_total":
            out[("applications", key, "total")] = sum(get("applications", key, c) for c in APPLICANT_COLUMNS)
    for c in APPLICANT_COLUMNS:
        out[("applications", "handled_total", c)] = sum(get("applications", k, c) for k in T3_OUTCOMES)
    out[("applications", "handled_total", "total")] = sum(out[("applications", "handled_total", c)] for c in APPLICANT_COLUMNS)
    for g in T4_GROUP_KEYS:
        out[("review_litigation", g, "total")] = sum(get("review_litigation", g, o) for o in T4_OUTCOMES)
    out[("categories", "total")] = sum(get("categories", k) for k in CATEGORY_KEYS)
    return out


# ---------------------------------------------------------------------------------------------
# Such data as the library's values, without a reader (for the rules of batch, merge, summary)
# ---------------------------------------------------------------------------------------------


def report_of(data: dict, file: str) -> Report:
    values = {
        path: CellValue(path, value, f"表!A{i}", "text" if path[0] == "unit" else "number")
        for i, (path, value) in enumerate(leaves_of(data).items(), start=1)
    }
    return Report(file=file, values=values, parts=tuple(k for k, v in data.items() if isinstance(v, dict)))


def result_of(data: dict, file: str, findings: list[Finding] = ()) -> FileResult:
    return FileResult(file=file, report=report_of(data, file), findings=list(findings))
