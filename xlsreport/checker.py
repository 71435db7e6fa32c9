"""Checking a report: the form's identities, input hygiene, cross-year links and plausibility.

Everything here is a pure function of values (``model.Report`` in, ``model.Finding`` out), except
``check_file``/``check`` (which call ``read``) and ``annotate`` (which writes a fresh copy through
the template writer).  Every finding names the cells *as they are in the user's own file*
(``CellValue.cell``), the official label and the arithmetic, so a clerk can find and fix it.

Why values "as read": a stored total that differs from the sum of its inputs is exactly the
mistake to report (a typed-over formula, or a cached result that was never recalculated — see
../shared/NOTES.md).  A total left blank is not an arithmetic error: it is a warning, and the
sum of its inputs stands in for it.
"""

from __future__ import annotations

import gc
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path as FsPath
from typing import Callable, Iterable, Iterator, Sequence, Union

from . import form
from .errors import InvalidData, OutputIsInput, UnreadableWorkbook, XlsreportError
from .form import IDENTITIES, LEAF_BY_PATH, PART_BY_KEY, PARTS, Identity, Path
from .roster import normalise_unit_name
from .model import CellValue, CheckResult, FileResult, Finding, Report, Severity, format_number

__all__ = [
    "RULES",
    "Rule",
    "annotate",
    "check",
    "check_file",
    "check_files",
    "check_report",
    "collect_paths",
    "finding_counts",
]


@dataclass(frozen=True)
class Rule:
    severity: Severity
    title: str


# The stable codes of every finding, with their Chinese titles.  Codes never change; titles may.
RULES: dict[str, Rule] = {
    "CAT.TOTAL": Rule("error", "主动公开分类合计与各类之和不符"),
    "T3.ROW_TOTAL": Rule("error", "依申请公开：某行总计与各类申请人之和不符"),
    "T3.COL_TOTAL": Rule("error", "依申请公开：（七）总计与各项办理结果之和不符"),
    "T3.BALANCE": Rule("error", "依申请公开：一+二 ≠ （七）总计+四"),
    "T4.ROW_TOTAL": Rule("error", "复议诉讼：总计与各项结果之和不符"),
    "VALUE.NEGATIVE": Rule("error", "数值为负数"),
    "VALUE.NOT_INTEGER": Rule("error", "件数不是整数"),
    "VALUE.INVALID": Rule("error", "应填数字处填了无法识别的内容"),
    "VALUE.TEXT_NUMBER": Rule("warning", "数字以文本形式填写（已按数字读取）"),
    "VALUE.WITH_UNIT": Rule("warning", "数字带有单位或文字（已按数字读取）"),
    "VALUE.PLACEHOLDER": Rule("warning", "以“/”“—”“无”等代替数字（按 0 计）"),
    "VALUE.BLANK": Rule("warning", "应填数字的单元格为空（按 0 计）"),
    "VALUE.TOTAL_BLANK": Rule("warning", "合计/总计未填写（按各项之和计）"),
    "PART.MISSING": Rule("warning", "文件中没有这一部分（未作检查）"),
    "FORMAT.TRIAL_2019": Rule("error", "使用的是2019年试行格式，不是现行格式"),
    "YEAR.CARRY": Rule("error", "本年“上年结转”与上年“结转下年度继续办理”不符"),
    "YEAR.IN_FORCE": Rule("warning", "现行有效件数与上年数、本年制发、本年废止对不上"),
    "YEAR.SEQUENCE": Rule("warning", "上年报告的年度不是本年度的前一年"),
    "YEAR.OTHER_UNIT": Rule("warning", "上年报告的单位名称与本年不同"),
    "PLAUS.RULES_LOCAL": Rule("warning", "非规章制定机关填报了规章"),
    "PLAUS.OTHER_OTHER": Rule("warning", "（六）其他处理“3.其他”多于其余各项办理结果之和"),
    "PLAUS.FEE_COLLECTED": Rule("warning", "实际收取的信息处理费多于收费通知金额"),
    "PLAUS.FEE_NO_NOTICE": Rule("warning", "未发出收费通知却有收费金额"),
    "PLAUS.FEE_UNPAID": Rule("warning", "有“逾期未缴费”的申请，却未发出收费通知"),
    "PLAUS.UNTOUCHED": Rule("warning", "表格似乎未填写"),
    "UNIT.NAME_MISSING": Rule("warning", "未填写单位名称"),
    "UNIT.YEAR_MISSING": Rule("warning", "未填写或无法识别报告年度"),
}

# More than this many hygiene warnings of one kind in one part become a single finding.
GROUP_ABOVE = 3
# How many cells a grouped finding lists in its message (all of them are in ``cells``).
LIST_CELLS = 10

FILE_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".et")

_FILLED = ("number", "text_number", "with_unit")
_NOT_FILLED = ("blank", "placeholder")
_SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
# The heading over every applicant column of table 三 (the first group of its columns).
_APPLICANT_HEADING = form.APPLICATIONS.grids[0].columns[0].group[0]

Previous = Union[Report, Sequence[Report], None]
Progress = Callable[[int, int, str], None]


# --------------------------------------------------------------------------------------------
# Small helpers: numbers, labels, cells
# --------------------------------------------------------------------------------------------


_fmt = format_number


def _equal(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def _where(cell: CellValue | None, path: Path) -> str:
    if cell is not None and cell.cell:
        return cell.cell
    return f"（未找到：{LEAF_BY_PATH[path].full_label}）"


def _raw(cell: CellValue) -> str:
    raw = cell.raw if cell.raw is not None else cell.value
    return "" if raw is None else str(raw)


def _group_label(group: tuple[str, ...], label: str) -> str:
    """A row or column label with its group, without the headings above the numbers
    ("三、本年度办理结果", "申请人情况"), which every value of the block shares."""
    kept = [g for g in group if not _SECTION_HEADING.match(g) and g != _APPLICANT_HEADING]
    return " ".join(kept + [label])


def _row_label(path: Path) -> str:
    leaf = LEAF_BY_PATH[path]
    if leaf.row is None:
        return leaf.label
    return _group_label(leaf.row.group, leaf.row.label)


def _column_label(path: Path) -> str:
    leaf = LEAF_BY_PATH[path]
    if leaf.column is None:
        return leaf.label
    return _group_label(leaf.column.group, leaf.column.label)


def _leaf_label(path: Path) -> str:
    """The label a clerk sees on the form for one value."""
    leaf = LEAF_BY_PATH[path]
    if leaf.row is None or leaf.column is None:
        return leaf.label
    if leaf.grid is not None and leaf.grid.flat:
        return f"{_row_label(path)}（{leaf.column.label}）"
    return f"{_row_label(path)} × {_column_label(path)}"


def _scope(path: Path) -> str:
    return PART_BY_KEY[path[0]].sheet


def _terms(values: Sequence[float], *, nonzero_above: int = 8) -> str:
    """``5+1+1+1+38+7 = 53``; long sums show only their non-zero terms."""
    total = sum(values)
    if len(values) > nonzero_above:
        shown = [v for v in values if not _equal(v, 0)]
        if not shown:
            return f"各项均为 0 = {_fmt(total)}"
        if len(shown) < len(values):
            return f"{'+'.join(_fmt(v) for v in shown)} = {_fmt(total)}（其余各项为 0）"
    return f"{'+'.join(_fmt(v) for v in values)} = {_fmt(total)}"


def _is_trial_format(report: Report) -> bool:
    ident = (report.form or "").lower()
    return ident == form.TRIAL_FORMAT_ID or (ident != form.FORM_ID and ("2019" in ident or "trial" in ident))


# --------------------------------------------------------------------------------------------
# The values the identities use
# --------------------------------------------------------------------------------------------

# The identity that defines each computed value (the first one whose right side is that value).
_DEFINING: dict[Path, Identity] = {}
for _identity in IDENTITIES:
    if len(_identity.right) == 1 and LEAF_BY_PATH[_identity.right[0]].computed:
        _DEFINING.setdefault(_identity.right[0], _identity)


class _Values:
    """The numbers of one report as the identities see them.

    ``true(p)`` is a value recomputed from the inputs (None when an input is unreadable).
    ``used(p)`` is the number as read, except that a total left blank counts as its sum; with
    ``recomputed``, a *stale* total (stored ≠ recomputed) counts as its sum too.  An identity is
    judged on the values as read; one that fails only because of a stale total feeding it is a
    cascade of that total's own finding and is not reported again.
    """

    def __init__(self, report: Report) -> None:
        self.report = report
        self._true: dict[Path, float | None] = {}
        self._used: tuple[dict[Path, float | None], dict[Path, float | None]] = ({}, {})  # identities share cells
        self._number = {path: cell.number for path, cell in report.values.items()}  # = report.number, once each

    def cell(self, path: Path) -> CellValue | None:
        return self.report.values.get(path)

    def true(self, path: Path) -> float | None:
        if path in self._true:
            return self._true[path]
        cell = self.cell(path)
        leaf = LEAF_BY_PATH[path]
        if not leaf.computed or path not in _DEFINING:
            value: float | None = None if cell is not None and cell.status == "invalid" else self._number.get(path, 0)
        else:
            parts = [self.true(p) for p in _DEFINING[path].left]
            value = None if any(p is None for p in parts) else sum(p for p in parts if p is not None)
        self._true[path] = value
        return value

    def stale(self, path: Path) -> bool:
        cell = self.cell(path)
        if not LEAF_BY_PATH[path].computed or cell is None or cell.status not in _FILLED:
            return False
        true = self.true(path)
        return true is not None and not _equal(cell.number, true)

    def used(self, path: Path, *, recomputed: bool = False) -> float | None:
        cache = self._used[recomputed]
        if path in cache:
            return cache[path]
        value = cache[path] = self._compute_used(path, recomputed)
        return value

    def _compute_used(self, path: Path, recomputed: bool) -> float | None:
        cell = self.cell(path)
        computed = LEAF_BY_PATH[path].computed
        if cell is not None and cell.status == "invalid":
            return None
        if computed and (cell is None or cell.status in _NOT_FILLED):
            return self.true(path)
        if computed and recomputed and self.stale(path):
            return self.true(path)
        return self._number.get(path, 0)

    def holds(self, left: Sequence[Path], right: Sequence[Path], *, recomputed: bool = False) -> bool | None:
        """Whether sum(left) = sum(right); None when a value is unreadable (reported on its own)."""
        sums = []
        for side in (left, right):
            total: float = 0
            for p in side:
                v = self.used(p, recomputed=recomputed)
                if v is None:
                    return None
                total += v  # the order of sum(): the same float result
            sums.append(total)
        return _equal(sums[0], sums[1])


# --------------------------------------------------------------------------------------------
# check_report
# --------------------------------------------------------------------------------------------


class _Findings:
    """Collects findings, stamping each with the file, unit and year."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.items: list[Finding] = []

    def add(self, rule: str, message: str, cells: Iterable[str | None] = (), paths: Iterable[Path] = ()) -> None:
        self.items.append(
            Finding(
                rule=rule,
                severity=RULES[rule].severity,
                message=message,
                cells=tuple(c for c in cells if c),
                paths=tuple(paths),
                file=self.report.file,
                unit=self.report.unit,
                year=self.report.year,
            )
        )


def check_report(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every finding for one report (and, given last year's report, the cross-year links).

    Errors first come from the form itself (format, identities, values); warnings say what
    was absent or looks implausible.  The order is stable: form order within each kind.
    """
    out = _Findings(report)
    if _is_trial_format(report):
        _trial_format(report, out)
    _missing_parts(report, out, skip=form.TRIAL_FORMAT_UNREAD if _is_trial_format(report) else ())
    values = _Values(report)
    _value_hygiene(report, values, out)
    _identities(report, values, out)
    _unit(report, out)
    _plausibility(report, values, out)
    if previous is not None:
        _cross_year(report, previous, values, out)
    return out.items


def _trial_format(report: Report, out: _Findings) -> None:
    notes = "；".join(report.notes)
    unread = "、".join(f"「{PART_BY_KEY[k].heading}」" for k in form.TRIAL_FORMAT_UNREAD)
    out.add(
        "FORMAT.TRIAL_2019",
        f"这是2019年试行格式（{form.TRIAL_FORMAT_BASIS}，用于2019、2020年度报告），"
        f"不是现行格式{form.FORM_BASIS}：两者栏目不同，{unread}按试行格式未读取；"
        f"请改用现行格式填报。" + (f"（{notes}）" if notes else ""),
    )


def _missing_parts(report: Report, out: _Findings, skip: tuple[str, ...] = ()) -> None:
    for part in PARTS:
        if part.key not in report.parts and part.key not in skip and not part.optional:
            out.add("PART.MISSING", f"文件中没有「{part.heading}」部分，未作检查。")


def _value_hygiene(report: Report, values: _Values, out: _Findings) -> None:
    """Errors for values that cannot be right; warnings (grouped per part) for values read leniently."""
    lenient: dict[tuple[str, str], list[tuple[Path, CellValue, str]]] = {}
    for leaf in form.NUMERIC_LEAVES:
        if leaf.part.key not in report.parts:
            continue
        cell = report.values.get(leaf.path)
        if cell is None:
            continue
        status = cell.status
        if status == "number" and not cell.number < 0 and not (leaf.kind == "count" and isinstance(cell.value, float)):
            continue  # the common case: nothing to say, so no label is built (issue #6)
        whole = leaf.kind == "count"
        if cell.status == "invalid":
            wanted = "非负整数" if whole else "非负数"
            out.add(
                "VALUE.INVALID",
                f"{_where(cell, leaf.path)}「{_leaf_label(leaf.path)}」：读到“{_raw(cell)}”，不是数字，不能当作 0；请填写{wanted}。",
                [cell.cell],
                [leaf.path],
            )
            continue
        if cell.status in _FILLED:
            number = cell.number
            if number < 0:
                out.add(
                    "VALUE.NEGATIVE",
                    f"{_where(cell, leaf.path)}「{_leaf_label(leaf.path)}」：{_fmt(number)} 是负数，应不小于 0。",
                    [cell.cell],
                    [leaf.path],
                )
            if whole and isinstance(number, float) and not number.is_integer():
                out.add(
                    "VALUE.NOT_INTEGER",
                    f"{_where(cell, leaf.path)}「{_leaf_label(leaf.path)}」：{_fmt(number)} 不是整数，件数应为整数。",
                    [cell.cell],
                    [leaf.path],
                )
        rule = {
            "text_number": "VALUE.TEXT_NUMBER",
            "with_unit": "VALUE.WITH_UNIT",
            "placeholder": "VALUE.PLACEHOLDER",
            "blank": "VALUE.BLANK",
        }.get(cell.status)
        if rule is None:
            continue
        if leaf.computed and rule in ("VALUE.PLACEHOLDER", "VALUE.BLANK"):
            rule = "VALUE.TOTAL_BLANK"
        true = values.true(leaf.path) if leaf.computed else None
        detail = {
            "VALUE.TEXT_NUMBER": f"读到文本“{_raw(cell)}”，已按数字 {_fmt(cell.number)} 读取",
            "VALUE.WITH_UNIT": f"读到“{_raw(cell)}”，已按数字 {_fmt(cell.number)} 读取（单位已在表头，单元格只填数字）",
            "VALUE.PLACEHOLDER": f"填的是“{_raw(cell)}”，按未填写（0）计",
            "VALUE.BLANK": "未填写，按 0 计",
            "VALUE.TOTAL_BLANK": (
                f"未填写（{'“' + _raw(cell) + '”' if cell.status == 'placeholder' else '空白'}），按各项之和 {_fmt(true)} 计"
            ),
        }[rule]
        lenient.setdefault((leaf.part.key, rule), []).append((leaf.path, cell, detail))
    for (part_key, rule), items in lenient.items():
        if len(items) <= GROUP_ABOVE:
            for path, cell, detail in items:
                out.add(rule, f"{_where(cell, path)}「{_leaf_label(path)}」：{detail}。", [cell.cell], [path])
            continue
        cells = [c.cell for _, c, _ in items if c.cell]
        shown = "、".join(_where(c, p) for p, c, _ in items[:LIST_CELLS])
        more = f" 等共 {len(items)} 个单元格" if len(items) > LIST_CELLS else f"（共 {len(items)} 个单元格）"
        what = {
            "VALUE.TEXT_NUMBER": "数字以文本形式填写（如“{raw}”），已按数字读取",
            "VALUE.WITH_UNIT": "数字带有单位或文字（如“{raw}”），已按数字读取",
            "VALUE.PLACEHOLDER": "以“{raw}”等代替数字，按未填写（0）计",
            "VALUE.BLANK": "应填数字的单元格为空，按 0 计",
            "VALUE.TOTAL_BLANK": "合计/总计未填写，按各项之和计",
        }[rule].format(raw=_raw(items[0][1]))
        out.add(rule, f"{PART_BY_KEY[part_key].sheet}：{what}：{shown}{more}。", cells, [p for p, _, _ in items])


def _identities(report: Report, values: _Values, out: _Findings) -> None:
    reported: set[Path] = set()  # totals already reported as wrong: once per cell
    unbalanced_input = False  # an input column's balance failed: the 总计 column's follows from it
    for identity in IDENTITIES:
        part = identity.left[0][0]
        if part not in report.parts:
            continue
        if not any(p in report.values for p in identity.left + identity.right):
            continue
        balance = identity.rule.endswith("BALANCE")
        if not balance:
            total_cell = values.cell(identity.right[0])
            if total_cell is None or total_cell.status not in _FILLED or identity.right[0] in reported:
                continue  # not found, not filled (a warning already), unreadable (an error already)
        if values.holds(identity.left, identity.right) in (True, None):
            continue
        # Judged with the stored totals that feed it recomputed: if it holds now, the fault is
        # one of those totals, which its own identity reports.  The total under test stays as read.
        if balance:
            cascade = values.holds(identity.left, identity.right, recomputed=True)
        else:
            total = values.used(identity.right[0])
            left = [values.used(p, recomputed=True) for p in identity.left]
            cascade = None if any(v is None for v in left) else _equal(sum(v for v in left if v is not None), total or 0)
        if cascade:
            continue
        if balance:
            column = LEAF_BY_PATH[identity.right[0]].column
            if column is not None and column.computed and unbalanced_input:
                continue  # one mistake, one finding (as YEAR.CARRY)
            unbalanced_input = unbalanced_input or not (column is not None and column.computed)
            _balance(identity, values, out)
            continue
        total_path = identity.right[0]
        total_cell = values.cell(total_path)
        assert total_cell is not None
        numbers = [values.used(p) or 0 for p in identity.left]
        reported.add(total_path)
        out.add(
            identity.rule,
            _total_message(identity, numbers, total_cell.number, total_cell),
            [total_cell.cell] + [c.cell for c in (values.cell(p) for p in identity.left) if c is not None],
            [total_path],
        )


_STALE_NOTE = "表中的合计数与各项之和不符：可能是公式被手工改写成了数字，或保存的是未重新计算的旧结果；请核对各项后重新计算合计"


def _total_message(identity: Identity, numbers: list[float], stored: float, cell: CellValue) -> str:
    path = identity.right[0]
    where = _where(cell, path)
    scope = _scope(path)
    if identity.rule == "CAT.TOTAL":
        head = f"{scope}：{_terms(numbers)} ≠ {LEAF_BY_PATH[path].label} {_fmt(stored)}（{where}）"
    elif identity.rule.endswith("COL_TOTAL"):
        head = (
            f"{scope}「{_column_label(path)}」列：各项办理结果之和 {_terms(numbers)} ≠ "
            f"{_row_label(path)} {_fmt(stored)}（{where}）"
        )
    else:  # a row total
        head = f"{scope}「{_row_label(path)}」：{_terms(numbers)} ≠ {_column_label(path)} {_fmt(stored)}（{where}）"
    return f"{head}，相差 {_fmt(abs(sum(numbers) - stored))}。{_STALE_NOTE}。"


def _balance(identity: Identity, values: _Values, out: _Findings) -> None:
    (new, carried_over), (handled, carried_forward) = identity.left, identity.right
    paths = (new, carried_over, handled, carried_forward)
    a, b, c, d = (values.used(p) or 0 for p in paths)
    cells = [values.cell(p) for p in paths]
    column = _column_label(handled)
    where = "；".join(f"{_row_label(p)} {_where(cell, p)}" for cell, p in zip(cells, paths))
    n1, n2, n3, n4 = (form.ordinal(form.LEAF_BY_PATH[p].row.label) for p in paths)  # 一, 二, （七）总计, 四
    out.add(
        identity.rule,
        f"{_scope(handled)}「{column}」列：{n1}+{n2} = {_fmt(a)}+{_fmt(b)} = {_fmt(a + b)}，"
        f"{n3}+{n4} = {_fmt(c)}+{_fmt(d)} = {_fmt(c + d)}，相差 {_fmt(abs(a + b - c - d))}。"
        f"{form.APPLICATIONS.note.strip('（）')}（{where}）。",
        [cell.cell if cell else None for cell in cells],
        paths,
    )


def _unit(report: Report, out: _Findings) -> None:
    if "unit" not in report.parts or _untouched(report):
        return  # an absent part is PART.MISSING; an untouched form is PLAUS.UNTOUCHED
    name_cell = report.values.get(("unit", "name"))
    if not (report.unit or "").strip():
        out.add(
            "UNIT.NAME_MISSING",
            f"未填写{form.UNIT.fields[0].label}" + (f"（{name_cell.cell}）" if name_cell and name_cell.cell else "") + "：汇总时无法识别是哪个单位的报告。",
            [name_cell.cell if name_cell else None],
            [("unit", "name")],
        )
    year_cell = report.values.get(("unit", "year"))
    if report.year is None:
        where = f"（{year_cell.cell}）" if year_cell and year_cell.cell else ""
        read = f"读到“{_raw(year_cell)}”，无法识别为年份" if year_cell and year_cell.value not in (None, "") else "未填写"
        out.add(
            "UNIT.YEAR_MISSING",
            f"{form.UNIT.fields[1].label}{where}{read}：请填写四位数的年份，如 2024。",
            [year_cell.cell if year_cell else None],
            [("unit", "year")],
        )


def _untouched(report: Report) -> bool:
    if "applications" not in report.parts or (report.unit or "").strip() or report.year is not None:
        return False
    return all(_equal(report.number(leaf.path), 0) for leaf in form.NUMERIC_LEAVES if leaf.part.key == "applications")


def is_rule_maker(name: str) -> bool:
    """Whether a unit's name could be a 规章-making body (FORM.md: provincial and districted-city
    governments; State Council departments make 部门规章).  Errs on the side of "could be": a
    county-level city's 市人民政府 cannot be told from a districted city's by its name."""
    name = re.sub(r"\s+", "", name)
    if name.startswith(form.NATIONAL_UNIT_PREFIXES):
        return True
    if name.endswith(form.NATIONAL_UNIT_SUFFIXES) and not any(h in name for h in form.LOCAL_UNIT_HINTS + ("省", "市", "州")):
        return True
    for hint in form.RULE_MAKING_HINTS:
        if name.endswith(hint):
            rest = name[: -len(hint)].replace("自治区", "")  # 广西壮族自治区南宁市 is a city
            return not any(local in rest for local in form.LOCAL_UNIT_HINTS)
    return False


def _looks_local(name: str) -> bool:
    """A township, county or district unit, or a department (which never makes 规章 itself)."""
    name = re.sub(r"\s+", "", name)
    return any(h in name for h in form.LOCAL_UNIT_HINTS) or name.endswith(form.DEPARTMENT_SUFFIXES)


def _plausibility(report: Report, values: _Values, out: _Findings) -> None:
    parts = report.parts
    name = (report.unit or "").strip()
    if "proactive" in parts and name and not is_rule_maker(name) and _looks_local(name):
        rules = [("proactive", form.RULES_ROW, c.key) for c in form.PROACTIVE.grids[0].columns]
        nonzero = [p for p in rules if report.number(p) > 0]
        if nonzero:
            cells = [values.cell(p) for p in nonzero]
            shown = "，".join(f"{_leaf_label(p)} {_fmt(report.number(p))}（{_where(c, p)}）" for p, c in zip(nonzero, cells))
            out.add(
                "PLAUS.RULES_LOCAL",
                f"「{name}」填报了规章：{shown}。只有省、自治区、直辖市和设区的市、自治州人民政府（及国务院部门）"
                f"制定规章；乡镇、县级单位和政府部门制发的应填在「{form.row_of(form.PROACTIVE, form.NORMATIVE_ROW).label}」一行。",
                [c.cell for c in cells if c],
                nonzero,
            )
    if "applications" in parts:
        _other_other(report, values, out)
        if _untouched(report):
            out.add(
                "PLAUS.UNTOUCHED",
                "表格似乎未填写：依申请公开各项均为 0，单位名称和报告年度也为空。是否交错了文件（空白模板）？",
            )
    if "fee_notices" in parts:
        _fees(report, values, out)


def _other_other(report: Report, values: _Values, out: _Findings) -> None:
    grid = form.APPLICATIONS.grids[0]
    total_col = next(c.key for c in grid.columns if c.computed)
    results = form.row_of(form.APPLICATIONS, form.HANDLED_TOTAL_ROW).group[:1]  # 三、本年度办理结果
    outcomes = [r.key for r in grid.rows if r.group[:1] == results and not r.computed]
    other_path = ("applications", form.OTHER_OUTCOME_ROW, total_col)
    other = values.true(other_path)
    named = [values.true(("applications", key, total_col)) for key in outcomes if key != form.OTHER_OUTCOME_ROW]
    if other is None or any(v is None for v in named):
        return
    named_sum = sum(v for v in named if v is not None)
    if other > named_sum:
        cell = values.cell(other_path)
        out.add(
            "PLAUS.OTHER_OTHER",
            f"{_scope(other_path)}「{_row_label(other_path)}」共 {_fmt(other)} 件（{_where(cell, other_path)}），"
            f"多于其余各项办理结果之和 {_fmt(named_sum)} 件：请核对能否归入予以公开、不予公开、无法提供、不予处理等具体情形。",
            [cell.cell if cell else None],
            [other_path],
        )


def _fees(report: Report, values: _Values, out: _Findings) -> None:
    sent_p, notified_p, collected_p = (("fee_notices", f.key) for f in form.FEE_NOTICES.fields)
    sent, notified, collected = (report.number(p) for p in (sent_p, notified_p, collected_p))
    label = {p: LEAF_BY_PATH[p].label for p in (sent_p, notified_p, collected_p)}

    def where(p: Path) -> str:
        return _where(values.cell(p), p)

    def cell(p: Path) -> str | None:
        c = values.cell(p)
        return c.cell if c else None

    if collected > notified and not _equal(collected, notified):
        out.add(
            "PLAUS.FEE_COLLECTED",
            f"信息处理费：{label[collected_p]} {_fmt(collected)}（{where(collected_p)}）"
            f"多于{label[notified_p]} {_fmt(notified)}（{where(notified_p)}）。",
            [cell(collected_p), cell(notified_p)],
            [collected_p, notified_p],
        )
    if _equal(sent, 0) and (notified > 0 or collected > 0):
        amounts = [p for p in (notified_p, collected_p) if report.number(p) > 0]
        shown = "，".join(f"{label[p]} {_fmt(report.number(p))}（{where(p)}）" for p in amounts)
        out.add(
            "PLAUS.FEE_NO_NOTICE",
            f"信息处理费：{label[sent_p]}为 0（{where(sent_p)}），却有{shown}。",
            [cell(sent_p)] + [cell(p) for p in amounts],
            [sent_p, *amounts],
        )
    if "applications" in report.parts and _equal(sent, 0):
        grid = form.APPLICATIONS.grids[0]
        total_col = next(c.key for c in grid.columns if c.computed)
        unpaid_p = ("applications", form.FEE_UNPAID_ROW, total_col)
        unpaid = values.true(unpaid_p) or 0
        if unpaid > 0:
            out.add(
                "PLAUS.FEE_UNPAID",
                f"{_scope(unpaid_p)}「{_row_label(unpaid_p)}」共 {_fmt(unpaid)} 件（{where(unpaid_p)}），"
                f"但{label[sent_p]}为 0（{where(sent_p)}）：没有收费通知，就不会有逾期未缴费。",
                [cell(unpaid_p), cell(sent_p)],
                [unpaid_p, sent_p],
            )


def _cross_year(report: Report, previous: Report, values: _Values, out: _Findings) -> None:
    prev_values = _Values(previous)
    prev_file = os.path.basename(previous.file) if previous.file else "上年文件"

    def prev_where(path: Path) -> str:
        cell = previous.values.get(path)
        return f"[{prev_file}]{cell.cell}" if cell and cell.cell else f"[{prev_file}]（未找到：{_leaf_label(path)}）"

    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        out.add(
            "YEAR.SEQUENCE",
            f"作为上年报告给出的 {prev_file} 是 {previous.year} 年度的，本报告是 {report.year} 年度：应为 {report.year - 1} 年度，跨年度核对可能无意义。",
        )
    if report.unit and previous.unit and _norm(report.unit) != _norm(previous.unit):
        out.add("YEAR.OTHER_UNIT", f"上年报告 {prev_file} 的单位是「{previous.unit}」，本报告是「{report.unit}」：请确认是同一单位。")

    if "applications" in report.parts and "applications" in previous.parts:
        grid = form.APPLICATIONS.grids[0]
        failed_input = False
        for column in grid.columns:
            if column.computed and failed_input:
                continue  # the total column differs because an input column does: said already
            this_p = ("applications", form.CARRIED_OVER_ROW, column.key)
            prev_p = ("applications", form.CARRIED_FORWARD_ROW, column.key)
            this_n, prev_n = values.used(this_p), prev_values.used(prev_p)
            if this_n is None or prev_n is None or _equal(this_n, prev_n):
                continue
            failed_input = failed_input or not column.computed
            this_cell = values.cell(this_p)
            out.add(
                "YEAR.CARRY",
                f"{_scope(this_p)}「{_column_label(this_p)}」列：本年{_row_label(this_p)} {_fmt(this_n)}"
                f"（{_where(this_cell, this_p)}）≠ 上年{_row_label(prev_p)} {_fmt(prev_n)}（{prev_where(prev_p)}），"
                f"相差 {_fmt(abs(this_n - prev_n))}。",
                [this_cell.cell if this_cell else None],  # last year's cell is named in the message
                [this_p],
            )

    if "proactive" in report.parts and "proactive" in previous.parts:
        grid = form.PROACTIVE.grids[0]
        issued_c, repealed_c, in_force_c = (c.key for c in grid.columns)
        for row in grid.rows:
            p = lambda col: ("proactive", row.key, col)  # noqa: E731
            last_cell = previous.values.get(p(in_force_c))
            if last_cell is None or last_cell.status not in _FILLED:
                continue  # last year's 现行有效件数 not given: nothing to compare with
            last = last_cell.number
            issued, repealed, now = (report.number(p(c)) for c in (issued_c, repealed_c, in_force_c))
            expected = last + issued - repealed
            if _equal(expected, now):
                continue
            cells = [values.cell(p(c)) for c in (in_force_c, issued_c, repealed_c)]
            out.add(
                "YEAR.IN_FORCE",
                f"{_scope(p(in_force_c))}「{row.label}」：上年现行有效 {_fmt(last)}（{prev_where(p(in_force_c))}）"
                f"+ 本年制发 {_fmt(issued)} − 本年废止 {_fmt(repealed)} = {_fmt(expected)}，"
                f"但本年现行有效件数为 {_fmt(now)}（{_where(cells[0], p(in_force_c))}），相差 {_fmt(abs(expected - now))}"
                f"（修订等情形可能造成差异，请核对）。",
                [c.cell if c else None for c in cells],
                [p(in_force_c), p(issued_c), p(repealed_c)],
            )


_norm = normalise_unit_name  # the one normaliser: roster, duplicates, previous year


# --------------------------------------------------------------------------------------------
# Files and batches
# --------------------------------------------------------------------------------------------


def _match_previous(report: Report, previous: Sequence[Report], single: bool) -> Report | None:
    """Last year's report for this unit: the one with the same name (the year before preferred);
    with one input and one previous report, that one (a renamed unit is still worth checking)."""
    if not previous:
        return None
    if single and len(previous) == 1:
        return previous[0]
    if report.unit:
        same = [p for p in previous if p.unit and _norm(p.unit) == _norm(report.unit)]
        if same:
            before = [p for p in same if report.year is not None and p.year == report.year - 1]
            return (before or same)[0]
        return None
    return previous[0] if len(previous) == 1 else None


def _as_reports(previous: Previous) -> tuple[Report, ...]:
    if previous is None:
        return ()
    if isinstance(previous, Report):
        return (previous,)
    return tuple(previous)


def _read(path: str) -> Report:
    from .reader import read  # imported late: the reader is heavier than the checker

    return read(path)


def _check_path(path: str, previous: tuple[Report, ...] = (), single: bool = True, keep_report: bool = True) -> FileResult:
    try:
        report = _read(path)
    except XlsreportError as err:
        return FileResult(file=path, error=err.message, error_code=err.code)
    except OSError as err:
        return FileResult(file=path, error=f"无法打开文件 {path}：{err.strerror or err}。", error_code="UNREADABLE")
    except Exception as err:  # a reader bug must not stop a county's batch of 300 files
        return FileResult(
            file=path,
            error=f"读取 {path} 时发生内部错误（{type(err).__name__}: {err}），这是 xlsreport 的缺陷，请报告。",
            error_code="INTERNAL",
        )
    findings = check_report(report, _match_previous(report, previous, single))
    result = FileResult(file=path, report=report, findings=findings)
    return result if keep_report else result.compact()


def check_file(path: str | os.PathLike, previous: Previous = None) -> FileResult:
    """Read one file and check it.  A file that cannot be read gives ``FileResult.error``
    (Chinese message and code), never an exception, so a batch goes on."""
    return _check_path(str(path), _as_reports(previous), True)


def _hidden(path: FsPath) -> bool:
    return path.name.startswith((".", "~$"))


def collect_paths(paths: Iterable[str | os.PathLike]) -> list[str]:
    """The workbooks to check: files as given, folders searched recursively (sorted) for
    spreadsheet files, skipping Office lock files (~$...) and hidden files and folders."""
    found: list[str] = []
    for given in paths:
        root = FsPath(given)
        if root.is_dir():
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    candidate = FsPath(dirpath) / name
                    if not _hidden(candidate) and candidate.suffix.lower() in FILE_SUFFIXES:
                        found.append(str(candidate))
        else:
            found.append(str(root))  # a file named explicitly is checked (or said to be unreadable)
    return found


def check(
    paths: Iterable[str | os.PathLike] | str | os.PathLike,
    *,
    previous: Previous = None,
    strict: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    keep_reports: bool = True,
) -> CheckResult:
    """Check files and folders.  One unreadable file never stops the batch; results come in the
    order of the inputs whatever ``jobs`` is.  ``previous`` (last year's report or reports) is
    matched to each file by unit name.  ``progress(done, total, path)`` is called after each file.
    ``keep_reports=False`` keeps a small ``Digest`` per file instead of its Report, so that memory
    stays flat over thousands of files (what the CLI, summary and merge use).
    Raises ``InvalidData`` when the inputs name no workbook at all (an empty folder)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    files = collect_paths(paths)
    if not files:
        given = "、".join(str(p) for p in paths) or "（无）"
        raise InvalidData(f"{given} 中没有找到工作簿（.xlsx、.xlsm、.xls、.ods、.et）：请检查路径。")
    worker_keep = keep_reports
    reports = _as_reports(previous)
    single = len(files) == 1
    total = len(files)
    result = CheckResult(strict=strict)
    worker = partial(_check_path, previous=reports, single=single, keep_report=worker_keep)
    with _retained_results() as settle:
        if jobs > 1 and total > 1:
            from concurrent.futures import ProcessPoolExecutor  # ~11 ms of imports, only for --jobs

            workers = min(jobs, total)
            chunk = max(1, min(64, total // (workers * 4)))
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for done, file_result in enumerate(pool.map(worker, files, chunksize=chunk), 1):
                    result.files.append(file_result)
                    settle()
                    if progress:
                        progress(done, total, file_result.file)
        else:
            for done, path in enumerate(files, 1):
                result.files.append(worker(path))
                settle()
                if progress:
                    progress(done, total, path)
    return result


@contextmanager
def _retained_results() -> Iterator[Callable[[], None]]:
    """Keep the garbage collector from rescanning the results a batch has already kept.

    Every retained ``FileResult`` holds a few hundred tracked objects; without this, each gen-2
    collection walks all of them again, which made the per-file cost grow with the batch
    (0.8 ms/file at 1000 files, 1.1 ms at 10,000).  ``settle()`` after each file moves what is
    alive into the collector's permanent generation (``gc.freeze``: constant time); collection of
    the next file's own temporaries goes on as usual.  The frozen objects are handed back to the
    collector when the batch ends, also on error.  Nothing is done when the caller froze objects
    of its own (unfreezing would release theirs too).
    """
    if gc.get_freeze_count() or not gc.isenabled():
        yield lambda: None
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()



def finding_counts(result: CheckResult | FileResult | Iterable[Finding]) -> dict[str, int]:
    """How many findings of each rule, in the order of ``RULES`` (only rules that occurred)."""
    if isinstance(result, CheckResult):
        findings: Iterable[Finding] = (f for file in result.files for f in file.findings)
    elif isinstance(result, FileResult):
        findings = result.findings
    else:
        findings = result
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    order = list(RULES)
    return dict(sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))


# --------------------------------------------------------------------------------------------
# --annotate
# --------------------------------------------------------------------------------------------

# Leniently read values are written as proper numbers in the fresh copy: nothing to point at there.
_NOT_ANNOTATED = ("VALUE.TEXT_NUMBER", "VALUE.WITH_UNIT", "PART.MISSING")


def annotation_data(result: FileResult) -> tuple[dict, dict[Path, str]]:
    """The data and annotations for a fresh annotated copy: the unit's numbers, with each stored
    total *as the file had it* (``Report.to_dict`` keeps stated totals), so the wrong total shows
    in the copy next to its comment."""
    report = result.report
    if report is None:
        raise UnreadableWorkbook(result.error or f"{result.file} 无法读取，不能生成标注副本。", path=result.file)
    data = report.to_dict()
    notes: dict[Path, list[str]] = {}
    for finding in result.findings:
        if finding.rule in _NOT_ANNOTATED:
            continue
        mark = "错误" if finding.severity == "error" else "提示"
        for path in finding.paths:
            notes.setdefault(path, []).append(f"【{mark}】{finding.message}")
    return data, {path: "\n".join(messages) for path, messages in notes.items()}


def annotate(result: FileResult, out: str | os.PathLike, *, force: bool = False) -> FsPath:
    """Write a FRESH copy of the official form holding this file's numbers, each problem cell
    highlighted with a comment.  The user's own file is never re-saved (STYLE.md 7)."""
    target = FsPath(out)
    source = FsPath(result.file)
    try:
        same = source.exists() and target.exists() and os.path.samefile(source, target)
    except OSError:
        same = False
    if same or target.resolve() == source.resolve():
        raise OutputIsInput(f"输出文件 {target} 就是被校验的文件：为保护原文件，请另选输出文件名。", path=str(target))
    data, annotations = annotation_data(result)
    from .template import write_template

    # as_read: the copy shows the unit's numbers as its file holds them (a negative count, a wrong
    # stored total) — exactly what the comments talk about (template.write_template).
    return FsPath(write_template(target, data, annotations=annotations, force=force, as_read=True))
