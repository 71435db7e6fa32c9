"""The checker as a clerk relies on it: each broken identity is found at the right cell, with the
arithmetic shown; values read leniently are warned about; last year's report is compared; the
plausibility rules fire when they should and only then; a batch survives an unreadable file.

Keys, labels and identities are typed from ../shared/spec/FORM.md (tests/oracle.py), not taken from form.py.
Reports are built directly (the reader has its own tests); a few tests go end to end through read().
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oracle import (
    APPLICANT_COLUMNS, APPLICANTS, CATEGORY_KEYS, SEED_CATEGORIES, T3_KEYS, T3_OUTCOMES, T4_GROUP_KEYS, T4_OUTCOMES,
)
from xlsreport.writing.annotate import annotation_data
from xlsreport.batch import check, check_file, collect_inputs
from xlsreport.checker import check_report, finding_counts
from xlsreport.model import CellValue, Report

# --- the form, typed from FORM.md (tests/oracle.py) ----------------------------------------

T3_INPUT_COLUMNS = APPLICANT_COLUMNS
T3_COLUMNS = APPLICANTS
T3_ROWS = T3_KEYS
T4_GROUPS = T4_GROUP_KEYS

# --- where the values sit in our made-up user's file ----------------------------------------

T3_LETTERS = dict(zip(T3_COLUMNS, "CDEFGHI"))
T3_ROW_NUMBER = {row: 7 + i for i, row in enumerate(T3_ROWS)}  # 一 on row 7, (七)总计 on 30, 四 on 31


def t3_cell(row: str, column: str) -> str:
    return f"依申请公开!{T3_LETTERS[column]}{T3_ROW_NUMBER[row]}"


CAT_CELL = {key: f"主动公开分类!{letter}3" for key, letter in zip(CATEGORY_KEYS + ["total"], "BCDEFGH")}
T4_CELL = {
    (group, outcome): f"复议诉讼!{'BCDEFGHIJKLMNOP'[5 * g + o]}5"
    for g, group in enumerate(T4_GROUPS)
    for o, outcome in enumerate(T4_OUTCOMES + ["total"])
}
PROACTIVE_CELL = {
    ("rules", "issued"): "主动公开!B4", ("rules", "repealed"): "主动公开!C4", ("rules", "in_force"): "主动公开!D4",
    ("normative_documents", "issued"): "主动公开!B5", ("normative_documents", "repealed"): "主动公开!C5",
    ("normative_documents", "in_force"): "主动公开!D5",
    ("licensing",): "主动公开!B8", ("penalties",): "主动公开!B10", ("coercive_measures",): "主动公开!B11",
    ("fees_10k_yuan",): "主动公开!B13",
}
FEE_CELL = {"notices_sent": "基本信息!B10", "amount_notified_yuan": "基本信息!B11", "amount_collected_yuan": "基本信息!B12"}
ALL_PARTS = ("unit", "proactive", "categories", "applications", "review_litigation", "fee_notices")

# A consistent township report; each column of table 三 balances (一+二 = 七+四).
T3_INPUTS = {
    "natural_person": {"new": 12, "carried_over": 3, "granted": 5, "partially_granted": 2, "denied.third_party": 1,
                       "unavailable.not_held": 3, "not_processed.repeated": 1, "other.other": 1, "carried_forward": 2},
    "commercial": {"new": 4, "granted": 3, "partially_granted": 1},
    "research": {},
    "public_interest": {"new": 1, "granted": 1},
    "legal_services": {"new": 2, "carried_over": 1, "granted": 1, "unavailable.needs_creation": 1, "carried_forward": 1},
    "other_org": {"carried_over": 1, "not_processed.petitions": 1},
}


def cv(path, value, cell, status="number", raw=None) -> CellValue:
    return CellValue(tuple(path), value, cell, status, raw if raw is not None else value)


def make_report(
    *,
    name="微山县西平镇人民政府",
    year=2024,
    categories=(5, 1, 1, 1, 38, 12),
    category_total=None,
    t3=None,
    t4=((1, 1, 0, 1), (1, 0, 0, 0), (0, 0, 0, 0)),
    rules=(0, 0, 0),
    normative=(3, 1, 20),
    fees=(0, 0, 0),
    parts=ALL_PARTS,
    file="西平镇-2024.xlsx",
) -> Report:
    """A report whose every stored total is computed here, independently of the package."""
    values: dict = {}

    def put(path, value, cell):
        values[tuple(path)] = cv(path, value, cell)

    put(("unit", "name"), name, "基本信息!B2")
    put(("unit", "year"), year, "基本信息!B3")
    for key, n in zip(CATEGORY_KEYS, categories):
        put(("categories", key), n, CAT_CELL[key])
    put(("categories", "total"), sum(categories) if category_total is None else category_total, CAT_CELL["total"])

    inputs = T3_INPUTS if t3 is None else t3
    grid = {(row, col): inputs.get(col, {}).get(row, 0) for row in T3_ROWS for col in T3_INPUT_COLUMNS}
    for col in T3_INPUT_COLUMNS:
        grid[("handled_total", col)] = sum(grid[(row, col)] for row in T3_OUTCOMES)
    for row in T3_ROWS:
        grid[(row, "total")] = sum(grid[(row, col)] for col in T3_INPUT_COLUMNS)
    for (row, col), n in grid.items():
        put(("applications", row, col), n, t3_cell(row, col))

    for group, numbers in zip(T4_GROUPS, t4):
        for outcome, n in zip(T4_OUTCOMES, numbers):
            put(("review_litigation", group, outcome), n, T4_CELL[(group, outcome)])
        put(("review_litigation", group, "total"), sum(numbers), T4_CELL[(group, "total")])

    for row, numbers in (("rules", rules), ("normative_documents", normative)):
        for column, n in zip(("issued", "repealed", "in_force"), numbers):
            put(("proactive", row, column), n, PROACTIVE_CELL[(row, column)])
    for key, n in (("licensing", 120), ("penalties", 45), ("coercive_measures", 2), ("fees_10k_yuan", 0)):
        put(("proactive", key), n, PROACTIVE_CELL[(key,)])
    for key, n in zip(FEE_CELL, fees):
        put(("fee_notices", key), n, FEE_CELL[key])

    values = {p: v for p, v in values.items() if p[0] in parts}
    return Report(file=file, values=values, parts=tuple(parts))


def changed(report: Report, path, value, status="number", raw=None) -> Report:
    """A copy of ``report`` with one cell holding something else (same cell address)."""
    path = tuple(path)
    values = dict(report.values)
    old = values[path]
    values[path] = cv(path, value, old.cell, status, raw)
    return Report(file=report.file, values=values, parts=report.parts, form=report.form)


def errors(findings):
    return [f for f in findings if f.severity == "error"]


def warnings(findings):
    return [f for f in findings if f.severity == "warning"]


def rules(findings):
    return sorted(f.rule for f in findings)


# --- a consistent report --------------------------------------------------------------------


def test_a_consistent_report_has_no_findings_at_all():
    assert check_report(make_report()) == []


def test_every_finding_names_file_unit_and_year():
    report = changed(make_report(), ("categories", "total"), 57)
    (finding,) = check_report(report)
    assert (finding.file, finding.unit, finding.year) == ("西平镇-2024.xlsx", "微山县西平镇人民政府", 2024)
    assert finding.to_dict()["cells"][0] == "主动公开分类!H3"


# --- identities, broken one at a time -------------------------------------------------------

# (rule, the stored total we disturb, the cell that must be named) — one entry per identity of FORM.md
# whose total can be disturbed on its own.  (七)总计 × 总计 closes both its row and its column and is
# tested separately below.
TOTAL_BREAKS = (
    [("CAT.TOTAL", ("categories", "total"), "主动公开分类!H3")]
    + [("T3.ROW_TOTAL", ("applications", row, "total"), t3_cell(row, "total")) for row in T3_ROWS]
    + [("T3.COL_TOTAL", ("applications", "handled_total", col), t3_cell("handled_total", col)) for col in T3_INPUT_COLUMNS]
    + [("T4.ROW_TOTAL", ("review_litigation", g, "total"), T4_CELL[(g, "total")]) for g in T4_GROUPS]
)


@pytest.mark.parametrize("rule, path, cell", TOTAL_BREAKS, ids=[f"{r}:{'.'.join(p[1:])}" for r, p, _ in TOTAL_BREAKS])
def test_a_wrong_stored_total_is_one_error_pointing_at_that_total(rule, path, cell):
    report = make_report()
    stored = report.values[path].value
    findings = check_report(changed(report, path, stored + 1))
    (error,) = errors(findings)  # one wrong cell, one error: no cascade through the balance
    assert error.rule == rule
    assert error.cells[0] == cell
    assert path in error.paths
    assert f"{cell}" in error.message
    assert f"≠" in error.message and str(stored + 1) in error.message
    assert warnings(findings) == []


def test_the_grand_total_of_table_3_is_reported_once():
    path = ("applications", "handled_total", "total")
    report = make_report()
    findings = check_report(changed(report, path, report.values[path].value + 2))
    (error,) = errors(findings)
    assert error.rule in ("T3.ROW_TOTAL", "T3.COL_TOTAL")
    assert error.cells[0] == "依申请公开!I30"


@pytest.mark.parametrize("column", T3_INPUT_COLUMNS)
def test_a_column_that_does_not_balance_names_its_four_cells(column):
    # one more application carried forward, with the row total kept right: only the balance breaks
    report = make_report()
    report = changed(report, ("applications", "carried_forward", column), report.values[("applications", "carried_forward", column)].value + 1)
    report = changed(report, ("applications", "carried_forward", "total"), report.values[("applications", "carried_forward", "total")].value + 1)
    found = errors(check_report(report))
    # one mistake, one finding: the 总计 column is off only because this column is
    (mine,) = found
    assert mine.rule == "T3.BALANCE"
    assert list(mine.cells) == [t3_cell(row, column) for row in ("new", "carried_over", "handled_total", "carried_forward")]


def test_a_wrong_input_cell_is_pinned_by_its_row_and_its_column():
    path = ("applications", "granted", "commercial")
    report = make_report()
    found = errors(check_report(changed(report, path, report.values[path].value + 1)))
    assert rules(found) == ["T3.COL_TOTAL", "T3.ROW_TOTAL"]
    assert {f.cells[0] for f in found} == {"依申请公开!D30", "依申请公开!I9"}  # they cross at D9
    assert all("依申请公开!D9" in f.cells for f in found)


# --- the arithmetic a clerk reads ---------------------------------------------------------


def test_category_message_shows_the_sum_and_the_stored_total():
    report = make_report(categories=(5, 1, 1, 1, 38, 7), category_total=58)
    (error,) = check_report(report)
    expected_sum = 5 + 1 + 1 + 1 + 38 + 7
    assert error.rule == "CAT.TOTAL"
    assert f"主动公开分类：5+1+1+1+38+7 = {expected_sum} ≠ 合计 58（主动公开分类!H3）" in error.message
    assert "公式" in error.message  # says why a stored total can differ: typed over, or a stale cache


def test_balance_message_shows_both_sides_and_the_difference():
    t3 = {"natural_person": {"new": 12, "carried_over": 3, "granted": 13, "carried_forward": 1}}
    found = errors(check_report(make_report(t3=t3)))
    (error,) = found  # 自然人 only: the 总计 column follows from it and is not reported again
    assert error.cells[0] == "依申请公开!C7"
    left, right = 12 + 3, 13 + 1
    assert error.rule == "T3.BALANCE"
    assert f"依申请公开「自然人」列：一+二 = 12+3 = {left}，（七）总计+四 = 13+1 = {right}，相差 {left - right}" in error.message


def test_row_total_message_names_the_official_row_label():
    path = ("applications", "denied.state_secret", "total")
    report = changed(make_report(), path, 4)
    (error,) = check_report(report)
    assert "（三）不予公开 1.属于国家秘密" in error.message
    assert "≠ 总计 4（依申请公开!I11）" in error.message


def test_column_total_message_shows_the_non_zero_outcomes():
    path = ("applications", "handled_total", "natural_person")
    (error,) = check_report(changed(make_report(), path, 14))
    outcomes = [5, 2, 1, 3, 1, 1]  # the natural person's non-zero outcomes, in form order
    assert f"{'+'.join(map(str, outcomes))} = {sum(outcomes)}" in error.message
    assert "（七）总计 14（依申请公开!C30）" in error.message


def test_review_group_message():
    path = ("review_litigation", "litigation_direct", "total")
    (error,) = check_report(changed(make_report(), path, 3))
    assert error.rule == "T4.ROW_TOTAL"
    assert "未经复议直接起诉" in error.message and "1+0+0+0 = 1 ≠ 总计 3（复议诉讼!K5）" in error.message


# --- totals not filled, values read leniently ---------------------------------------------


def test_a_blank_total_is_a_warning_and_counts_as_its_sum():
    report = changed(make_report(), ("categories", "total"), None, "blank", "")
    findings = check_report(report)
    assert errors(findings) == []
    (warning,) = findings
    assert warning.rule == "VALUE.TOTAL_BLANK" and warning.cells == ("主动公开分类!H3",)
    assert str(5 + 1 + 1 + 1 + 38 + 12) in warning.message


def test_a_placeholder_grand_total_does_not_break_the_balance():
    report = changed(make_report(), ("applications", "handled_total", "total"), None, "placeholder", "/")
    findings = check_report(report)
    assert errors(findings) == []
    assert rules(findings) == ["VALUE.TOTAL_BLANK"] and "“/”" in findings[0].message


def test_negative_fraction_and_unreadable_counts_are_errors_naming_the_cell():
    report = make_report()
    report = changed(report, ("proactive", "licensing"), -3)
    report = changed(report, ("proactive", "penalties"), 4.5)
    report = changed(report, ("review_litigation", "review", "upheld"), "约50", "invalid", "约50")
    found = {f.rule: f for f in errors(check_report(report))}
    assert set(found) == {"VALUE.NEGATIVE", "VALUE.NOT_INTEGER", "VALUE.INVALID"}  # no arithmetic on unknowns
    assert found["VALUE.NEGATIVE"].cells == ("主动公开!B8",) and "行政许可" in found["VALUE.NEGATIVE"].message
    assert found["VALUE.NOT_INTEGER"].cells == ("主动公开!B10",) and "4.5" in found["VALUE.NOT_INTEGER"].message
    assert found["VALUE.INVALID"].cells == ("复议诉讼!B5",) and "约50" in found["VALUE.INVALID"].message


def test_money_may_have_decimals():
    report = changed(make_report(), ("proactive", "fees_10k_yuan"), 1.234567)
    assert check_report(report) == []


@pytest.mark.parametrize(
    "status, raw, value, rule",
    [("text_number", "　　0", 0, "VALUE.TEXT_NUMBER"), ("with_unit", "45件", 45, "VALUE.WITH_UNIT"),
     ("placeholder", "—", None, "VALUE.PLACEHOLDER"), ("blank", "", None, "VALUE.BLANK")],
)
def test_lenient_reads_are_warnings_naming_the_cell_and_what_was_read(status, raw, value, rule):
    path = ("proactive", "penalties")
    report = make_report()
    if value is None:  # blank or placeholder penalties: 0 for the arithmetic
        report = changed(report, path, value, status, raw)
    else:
        report = changed(report, path, value, status, raw)
    (finding,) = check_report(report)
    # a blank is what the official table means by 0: said, not a warning (issue #19 item 11)
    severity = "info" if status == "blank" else "warning"
    assert (finding.rule, finding.severity, finding.cells) == (rule, severity, ("主动公开!B10",))
    if raw:
        assert raw in finding.message


def test_many_blanks_in_one_part_become_one_warning_listing_the_first_ten():
    report = make_report(t3={})
    blank_rows = T3_OUTCOMES[:14]
    for row in blank_rows:
        report = changed(report, ("applications", row, "natural_person"), None, "blank", "")
    findings = check_report(report)
    (warning,) = [f for f in findings if f.rule == "VALUE.BLANK"]
    assert len(warning.cells) == 14
    shown = [t3_cell(row, "natural_person") for row in blank_rows]
    assert "、".join(shown[:10]) in warning.message
    assert shown[10] not in warning.message and "14" in warning.message
    assert errors(findings) == []


# --- parts, format, unit ------------------------------------------------------------------


def test_missing_parts_are_warnings_and_the_rest_is_checked():
    report = make_report(parts=("categories", "applications"))
    report = changed(report, ("categories", "total"), 50)
    findings = check_report(report)
    missing = [f for f in findings if f.rule == "PART.MISSING"]
    headings = ["基本信息", "二、主动公开政府信息情况", "四、政府信息公开行政复议、行政诉讼情况", "六、其他需要报告的事项"]
    assert len(missing) == 4
    for heading in headings:
        assert any(heading in f.message for f in missing)
    assert rules(errors(findings)) == ["CAT.TOTAL"]


def test_trial_format_is_an_error_saying_so():
    report = make_report()
    report.form = "gov-info-annual-report/2019-trial"
    found = [f for f in check_report(report) if f.rule == "FORMAT.TRIAL_2019"]
    assert len(found) == 1 and found[0].severity == "error"
    assert "2019年试行格式" in found[0].message and "国办公开办函〔2019〕60号" in found[0].message


def test_unit_name_and_year_missing_are_warnings():
    report = changed(make_report(), ("unit", "name"), None, "text", "")
    report = changed(report, ("unit", "year"), "去年", "text", "去年")
    found = {f.rule: f for f in check_report(report)}
    assert set(found) == {"UNIT.NAME_MISSING", "UNIT.YEAR_MISSING"}
    assert found["UNIT.NAME_MISSING"].cells == ("基本信息!B2",)
    assert "去年" in found["UNIT.YEAR_MISSING"].message


# --- across years -------------------------------------------------------------------------


def last_year(**kwargs) -> Report:
    # last year's 四 must equal this year's 二: natural person 3, legal services 1, other org 1
    t3 = {"natural_person": {"new": 3, "carried_forward": 3}, "legal_services": {"new": 1, "carried_forward": 1},
          "other_org": {"new": 1, "carried_forward": 1}}
    defaults = dict(year=2023, t3=t3, normative=(2, 0, 18), file="西平镇-2023.xlsx")
    defaults.update(kwargs)
    return make_report(**defaults)


def test_consistent_years_give_no_findings():
    assert check_report(make_report(), last_year()) == []


def test_carried_over_differs_from_last_years_carried_forward():
    previous = last_year(t3={"natural_person": {"new": 5, "carried_forward": 5}, "legal_services": {"new": 1, "carried_forward": 1},
                             "other_org": {"new": 1, "carried_forward": 1}})
    found = [f for f in check_report(make_report(), previous)]
    (carry,) = found  # the natural-person column; its total follows from it and is not said twice
    assert carry.rule == "YEAR.CARRY" and carry.severity == "error"
    assert carry.cells == ("依申请公开!C8",)  # cells are this file's; last year's is in the message
    assert "[西平镇-2023.xlsx]依申请公开!C31" in carry.message
    assert "3" in carry.message and "5" in carry.message and "相差 2" in carry.message


def test_in_force_that_does_not_follow_is_a_warning():
    previous = last_year(normative=(2, 0, 30))  # 30 + 3 − 1 = 32 ≠ 20
    (finding,) = check_report(make_report(), previous)
    assert finding.rule == "YEAR.IN_FORCE" and finding.severity == "warning"
    assert "行政规范性文件" in finding.message and str(30 + 3 - 1) in finding.message
    assert finding.cells[0] == "主动公开!D5"


def test_previous_report_of_the_wrong_year_is_a_warning():
    findings = check_report(make_report(), last_year(year=2022))
    assert rules(findings) == ["YEAR.SEQUENCE"]


# --- plausibility -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, fires",
    [("微山县西平镇人民政府", True), ("微山县人民政府", True), ("济宁市任城区人民政府", True), ("济宁市教育局", True),
     ("山东省人民政府", False), ("济宁市人民政府", False), ("广西壮族自治区人民政府", False), ("生态环境部", False)],
)
def test_rules_reported_by_a_unit_that_makes_none(name, fires):
    findings = check_report(make_report(name=name, rules=(1, 0, 1)))
    found = [f for f in findings if f.rule == "PLAUS.RULES_LOCAL"]
    assert bool(found) == fires
    if fires:
        assert found[0].cells == ("主动公开!B4", "主动公开!D4") and name in found[0].message


def test_a_township_with_no_rules_is_fine():
    assert check_report(make_report(name="微山县西平镇人民政府", rules=(0, 0, 0))) == []


def test_other_other_larger_than_every_named_outcome():
    many_other = {"natural_person": {"new": 10, "granted": 2, "other.other": 8}}
    findings = check_report(make_report(t3=many_other))
    (finding,) = findings
    assert finding.rule == "PLAUS.OTHER_OTHER" and finding.cells == (t3_cell("other.other", "total"),)
    assert "8" in finding.message and "2" in finding.message
    balanced = {"natural_person": {"new": 10, "granted": 5, "other.other": 5}}
    assert check_report(make_report(t3=balanced)) == []


@pytest.mark.parametrize(
    "fees, expected",
    [((2, 100, 150), ["PLAUS.FEE_COLLECTED"]), ((0, 100, 0), ["PLAUS.FEE_NO_NOTICE"]),
     ((0, 0, 50), ["PLAUS.FEE_COLLECTED", "PLAUS.FEE_NO_NOTICE"]), ((2, 100, 100), []), ((0, 0, 0), [])],
)
def test_fee_plausibility(fees, expected):
    assert rules(check_report(make_report(fees=fees))) == expected


def test_unpaid_fee_without_any_notice():
    t3 = {"natural_person": {"new": 2, "granted": 1, "other.fee_unpaid": 1}}
    (finding,) = check_report(make_report(t3=t3, fees=(0, 0, 0)))
    assert finding.rule == "PLAUS.FEE_UNPAID"
    assert set(finding.cells) == {t3_cell("other.fee_unpaid", "total"), "基本信息!B10"}
    assert check_report(make_report(t3=t3, fees=(1, 10, 0))) == []


def test_an_untouched_form():
    report = make_report(t3={}, t4=((0,) * 4,) * 3)
    report = changed(report, ("unit", "name"), None, "text", "")
    report = changed(report, ("unit", "year"), None, "text", "")
    assert rules(check_report(report)) == ["PLAUS.UNTOUCHED"]
    assert check_report(make_report(t3={})) == []  # all zeros but named and dated: a unit with no requests


# --- files and batches --------------------------------------------------------------------


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    shutil.copy(SEED_CATEGORIES, folder / "a-西平镇.xls")
    (folder / "b-garbage.xlsx").write_bytes(b"this is not a workbook at all")
    shutil.copy(SEED_CATEGORIES, folder / "c-again.xls")
    (folder / "~$a-西平镇.xls").write_bytes(b"lock file")
    (folder / ".hidden.xlsx").write_bytes(b"hidden")
    (folder / "notes.txt").write_text("not a spreadsheet", encoding="utf-8")
    (folder / "sub").mkdir()
    shutil.copy(SEED_CATEGORIES, folder / "sub" / "d-copy.xls")
    return folder


def test_folders_are_searched_for_workbooks_skipping_lock_and_hidden_files(inbox):
    inputs = collect_inputs([inbox])
    names = [Path(p).relative_to(inbox).as_posix() for p in inputs.files]
    assert names == ["a-西平镇.xls", "b-garbage.xlsx", "c-again.xls", "sub/d-copy.xls"]
    assert [p.name for p in inputs.skipped] == ["notes.txt"]  # listed, not silently dropped


def test_an_unreadable_file_does_not_stop_the_batch(inbox):
    seen = []
    result = check([inbox], progress=lambda done, total, path: seen.append((done, total)))
    assert [Path(f.file).name for f in result.files] == ["a-西平镇.xls", "b-garbage.xlsx", "c-again.xls", "d-copy.xls"]
    garbage = result.files[1]
    assert not garbage.readable and garbage.error and garbage.error_code
    assert all(f.readable for i, f in enumerate(result.files) if i != 1)
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert result.counts["unreadable"] == 1 and not result.valid


def test_check_file_turns_a_read_error_into_a_result(tmp_path):
    result = check_file(tmp_path / "does-not-exist.xlsx")
    assert not result.readable and result.error and result.report is None


def test_two_processes_give_the_same_result_as_one(inbox):
    one = check([inbox], jobs=1).to_dict()
    two = check([inbox, SEED_CATEGORIES], jobs=2).to_dict()
    assert two["files"][:4] == one["files"]
    assert two["files"][4]["file"] == str(SEED_CATEGORIES)


def test_finding_counts_by_rule():
    report = changed(make_report(), ("categories", "total"), 1)
    report = changed(report, ("proactive", "licensing"), None, "blank", "")
    assert finding_counts(check_report(report)) == {"CAT.TOTAL": 1, "VALUE.BLANK": 1}


# --- end to end through read(): the seed ------------------------------------------------


def test_the_seed_attachment_is_read_and_its_own_total_does_not_add_up():
    # The seed's six categories are 5, 1, 1, 1, 38, 8 and its total is 58 (FORM.md).  Those six add
    # up to 54, not 58: the published attachment itself fails its identity, and the check says so.
    result = check_file(SEED_CATEGORIES)
    assert result.readable, result.error
    assert result.report.number(("categories", "total")) == 58
    (error,) = errors(result.findings)
    assert error.rule == "CAT.TOTAL"
    total_cell = result.report.values[("categories", "total")].cell
    assert f"5+1+1+1+38+8 = {5 + 1 + 1 + 1 + 38 + 8} ≠ 合计 58（{total_cell}）" in error.message
    # every part but the categories is missing; the total, which has no label, was taken by position
    assert [f.rule for f in warnings(result.findings)] == ["READ.NOTE"] + ["PART.MISSING"] * 5


@pytest.fixture(scope="module")
def seed_with_other_7(tmp_path_factory) -> Path:
    """The seed attachment with 其他 = 7 (the total stays 58), saved by LibreOffice as .xls."""
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    from libreoffice import convert

    sheet = CalamineWorkbook.from_path(str(SEED_CATEGORIES)).get_sheet_by_name("Sheet1")
    rows = sheet.to_python(skip_empty_area=False)
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value != "":
                ws.cell(r, c, value)
    other = next((r, c) for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1) if v == "其他")
    assert ws.cell(other[0] + 2, other[1]).value == 8  # values sit two rows under their labels
    ws.cell(other[0] + 2, other[1], 7)
    folder = tmp_path_factory.mktemp("seed7")
    source = folder / "seed-other-7.xlsx"
    wb.save(source)
    return convert(source, "xls", folder / "out")


@pytest.mark.office
def test_a_seed_copy_with_other_7_names_the_total_and_shows_the_sum(seed_with_other_7):
    result = check_file(seed_with_other_7)
    assert result.readable, result.error
    (error,) = errors(result.findings)
    assert error.rule == "CAT.TOTAL"
    total_cell = result.report.values[("categories", "total")].cell
    assert total_cell.endswith("!E6")
    assert f"5+1+1+1+38+7 = 53 ≠ 合计 58（{total_cell}）" in error.message


@pytest.mark.office
def test_annotated_copy_holds_the_stored_wrong_total_and_a_comment(seed_with_other_7, tmp_path):
    from openpyxl import load_workbook

    from xlsreport.writing.annotate import annotate

    result = check_file(seed_with_other_7)
    data, notes = annotation_data(result)
    assert data["categories"]["total"] == 58  # as the file had it, not the recomputed 53
    assert data["categories"]["other"] == 7
    assert list(notes) == [("categories", "total")]
    out = annotate(result, tmp_path / "annotated.xlsx")
    wb = load_workbook(out)
    comments = [c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert any("5+1+1+1+38+7 = 53" in text for text in comments)
    with pytest.raises(Exception) as excinfo:
        annotate(result, out)  # exists: refused without force
    assert "已存在" in str(excinfo.value)


# --- end to end through the official template, recalculated by LibreOffice ------------------


@pytest.fixture(scope="module")
def recalculated_forms(tmp_path_factory) -> dict[str, Path]:
    """The consistent report written into the official template, and a copy in which the clerk
    typed 99 over the 合计 formula of the categories; both opened and saved by LibreOffice."""
    from openpyxl import load_workbook

    from libreoffice import convert
    from xlsreport.writing.workbook import write_template

    folder = tmp_path_factory.mktemp("forms")
    clean = write_template(folder / "clean.xlsx", make_report().to_dict())
    wb = load_workbook(clean)
    typed_over = None
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if ws.title == "主动公开分类" and isinstance(cell.value, str) and cell.value.startswith("=SUM("):
                    typed_over = f"{ws.title}!{cell.coordinate}"
                    cell.value = 99
    assert typed_over is not None
    wb.save(folder / "typed-over.xlsx")
    out = folder / "lo"
    return {
        "clean": convert(Path(clean), "xlsx", out),
        "typed-over": convert(folder / "typed-over.xlsx", "xlsx", out),
        "typed-over cell": Path(typed_over),
    }


@pytest.mark.office
def test_a_filled_official_form_checks_clean_after_recalculation(recalculated_forms):
    result = check_file(recalculated_forms["clean"])
    assert result.readable, result.error
    assert result.findings == []


@pytest.mark.office
def test_a_total_typed_over_in_the_official_form_is_the_error(recalculated_forms):
    result = check_file(recalculated_forms["typed-over"])
    cell = str(recalculated_forms["typed-over cell"])
    (error,) = result.findings
    assert error.rule == "CAT.TOTAL" and error.cells[0] == cell
    assert f"5+1+1+1+38+12 = {5 + 1 + 1 + 1 + 38 + 12} ≠ 合计 99（{cell}）" in error.message


def test_the_package_functions_stay_functions_after_their_modules_are_imported():
    import importlib

    import xlsreport

    for module in ("reading", "reading.report", "writing", "writing.workbook", "checker", "merger", "summary", "publish"):
        importlib.import_module(f"xlsreport.{module}")
    from xlsreport import check, read

    assert check([SEED_CATEGORIES]).counts["files"] == 1
    assert read(SEED_CATEGORIES).to_dict()["categories"]["other"] == 8
    assert callable(xlsreport.merge) and callable(xlsreport.summarize) and callable(xlsreport.render)


def test_star_import_of_the_checker_gives_its_public_names():
    names: dict = {}
    exec("from xlsreport.checker import *", names)
    assert callable(names["check_report"]) and callable(names["finding_counts"]) and "CAT.TOTAL" in names["RULES"]
