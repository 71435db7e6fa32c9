"""The fillable workbook (填报模板), written with xlsxwriter from the form definition alone.

Why it is built this way:

* Every label, merge and position comes from :mod:`xlsreport.form`: a row added there appears here
  with no edit.  The layout is planned first as plain data (:mod:`xlsreport.writing.layout`;
  :func:`layout` says where each value sits, for the merger and the annotator) and only then
  rendered here, so the two can never disagree.
* Totals are live formulas *with* their computed results stored, so a reader that never opens the
  file in a spreadsheet application still sees the right numbers (xlsxwriter would store 0).
* Input cells are unlocked, coloured and validated; everything else is locked; sheets are protected
  without a password so a clerk cannot break a formula by accident but can still unprotect.
* The output is deterministic (fixed creation date): the committed blank template under
  ``templates/`` is compared byte for byte with a freshly generated one.
"""

from __future__ import annotations

import copy
import datetime as _dt
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any, Mapping, Sequence

from .. import form
from ..rules import ERROR_WORD, IN_FORCE, WARNING_WORD
from ..dates import YEAR_MAX, YEAR_MIN, parse_year
from ..errors import InvalidData, error
from ..form import Path
from ..model import Prefill
from .layout import (  # the plan this module renders (re-exported: callers ask the workbook where a value sits)
    _a1,
    _Cell,
    _CHECK_HEADERS,
    FONT,
    FONT_SIZE,
    _IN_FORCE_TOP,
    layout,
    LINE_HEIGHT,
    _lines,
    _list_column,
    _plan,
    PROSE_HEIGHT,
    PROSE_MAX,
    PROSE_ROW_MAX,
    _quote,
    REGISTER_HEADER_ROW,
    _Sheet,
    _sources,
    _STAMP_FORM,
    _STAMP_VERSION,
    TEMPLATE_VERSION,
    TEXT_MAX,
    _text_width,
)
from .output import atomic_output, output_suffix

TEMPLATE_FILENAME = "政府信息公开工作年度报告-填报模板.xlsx"
CREATED = _dt.datetime(2021, 1, 1)

INPUT_FILL = "#FFF2CC"
FORMULA_FILL = "#EDEDED"
ALERT_FILL = "#FFC7CE"
ALERT_FONT = "#9C0006"
ANNOTATION_FILL = "#FF8B8B"
PREFILLED_FILL = "#E2EFDA"  # a pre-filled, locked input (unit, year, last year's carry-over)

ExtraSheet = tuple[str, Sequence[str], Sequence[Sequence[Any]]]
FRONT_COLUMN_WIDTH, FRONT_TEXT_WIDTH = 28, 70  # a front sheet's columns, in character widths


@dataclass(frozen=True)
class FrontSheet:
    """A sheet placed before the form's own, the one the workbook opens on: a title, a few
    facts ("label: text"), then a table (a merged workbook's 汇总说明, an annotated copy's 请修改)."""

    name: str
    title: str
    facts: Sequence[tuple[str, str]] = ()
    header: Sequence[str] = ()
    rows: Sequence[Sequence[Any]] = ()


# --------------------------------------------------------------------------------------------
# Data: loose validation, totals
# --------------------------------------------------------------------------------------------


def _where(path: Path) -> str:
    leaf = form.LEAF_BY_PATH[path]
    return f"{leaf.part.heading}「{leaf.full_label}」（{'.'.join(path)}）"


def _clean_number(path: Path, value: Any, as_read: bool = False) -> int | float | None:
    leaf = form.LEAF_BY_PATH[path]
    if value is None:
        return None
    if as_read:  # a copy of what a unit's file holds: keep a wrong number so the clerk sees it
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        return value if ok else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise error("INVALID_DATA.NOT_A_NUMBER", where=_where(path), value=value)
    if not math.isfinite(value):
        raise error("INVALID_DATA.NOT_FINITE", where=_where(path), value=value)
    if value < 0:
        raise error("INVALID_DATA.NEGATIVE", where=_where(path), value=value)
    if leaf.kind == "count":
        if value != int(value):
            raise error("INVALID_DATA.NOT_WHOLE", where=_where(path), value=value)
        return int(value)
    return value


def _clean_year(path: Path, value: Any, as_read: bool = False) -> int | str | None:
    if value is None or value == "":
        return None
    if as_read:
        try:
            return _clean_year(path, value)
        except InvalidData:
            return str(value)  # "二〇二四年" stays as the unit wrote it
    year = parse_year(value)
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        raise error("INVALID_DATA.YEAR_OUT_OF_RANGE", where=_where(path), year_min=YEAR_MIN, year_max=YEAR_MAX, value=value)
    return year


def _clean_text(path: Path, value: Any, as_read: bool = True) -> Any:
    """A text leaf as written.  Input to validate (not ``as_read``) is held to the template's own
    data validation: 255 characters for a short text, so that a pre-filled cell is one the clerk
    could have typed (Excel would refuse the next edit of a longer one)."""
    if value is None:
        return None
    if form.LEAF_BY_PATH[path].kind == "date" and isinstance(value, (_dt.date, _dt.datetime)):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise error("INVALID_DATA.NOT_TEXT", where=_where(path), value=value)
    if len(str(value)) > PROSE_MAX:
        raise error("INVALID_DATA.TEXT_TOO_LONG", where=_where(path), length=len(str(value)), prose_max=PROSE_MAX)
    leaf = form.LEAF_BY_PATH[path]
    if not as_read and leaf.kind == "text" and leaf.part.layout != "prose" and len(str(value)) > TEXT_MAX:
        raise error("INVALID_DATA.SHORT_TEXT_TOO_LONG", where=_where(path), length=len(str(value)), text_max=TEXT_MAX)
    return str(value)


def _prepare(
    data: Mapping[str, Any] | None, unit: str | None, year: int | str | None, as_read: bool = False
) -> tuple[dict[Path, Any], dict[Path, float], dict[Path, float]]:
    """Check ``data`` loosely; give the input values to write, the results of every formula, and
    (``as_read`` only) the totals the unit's file stated where they differ from their formula."""
    if data is not None and not isinstance(data, Mapping):
        raise error("INVALID_DATA.NOT_AN_OBJECT", type_name=type(data).__name__)
    data = dict(data or {})
    stated = data.get("form")
    if stated not in (None, form.FORM_ID):
        raise error("INVALID_DATA.FORM_ID", stated=stated, form_id=form.FORM_ID)
    for part in form.PARTS:
        node = data.get(part.key)
        if node is not None and not isinstance(node, Mapping):
            raise error("INVALID_DATA.PART_NOT_OBJECT", heading=part.heading, key=part.key, node=node)
    values: dict[Path, Any] = {}
    stated_raw: dict[Path, float] = {}
    for leaf in form.LEAVES:
        if data.get(leaf.part.key) is None:
            continue
        node: Any = data
        for key in leaf.path[:-1]:
            node = node.get(key) if isinstance(node, Mapping) else None
            if node is not None and not isinstance(node, Mapping):
                raise error("INVALID_DATA.GROUP_NOT_OBJECT", key=key, node=node, where=_where(leaf.path))
        raw = node.get(leaf.path[-1]) if isinstance(node, Mapping) else None
        if leaf.kind in ("count", "money"):
            value = _clean_number(leaf.path, raw, as_read)
        elif leaf.kind == "year":
            value = _clean_year(leaf.path, raw, as_read)
        else:
            value = _clean_text(leaf.path, raw, as_read)
        if value is None:
            continue
        if leaf.computed:
            if as_read:
                stated_raw[leaf.path] = value
        else:
            values[leaf.path] = value
    if unit is not None:
        values[("unit", "name")] = _clean_text(("unit", "name"), unit, as_read)
    if year is not None:
        values[("unit", "year")] = _clean_year(("unit", "year"), year)
    # Results of the formulas: each computed cell adds up its sources, as its formula does.  A
    # total the unit's file stated differently (as_read) is written as that number instead, so the
    # annotated copy shows the clerk the wrong total that the comment talks about.
    results: dict[Path, float] = {leaf.path: values.get(leaf.path) or 0 for leaf in form.INPUT_LEAVES}
    results.update(form.evaluate_totals(results.__getitem__, stated_raw))  # type: ignore[arg-type]
    sources = _sources()
    stated = {
        path: given
        for path, given in stated_raw.items()
        if abs(given - sum(results[src] for src in sources[path])) > 1e-9
    }
    return values, results, stated


def _register_rows(data: Mapping[str, Any] | None) -> dict[str, list[Mapping[str, Any]]]:
    """Each register's records in ``data`` (a list of objects under its key; None or absent: none)."""
    out: dict[str, list[Mapping[str, Any]]] = {}
    for register in form.REGISTERS:
        rows = (data or {}).get(register.key)
        if rows is None:
            rows = []
        if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
            raise error("INVALID_DATA.REGISTER_NOT_LIST", heading=register.heading, key=register.key)
        if len(rows) > register.capacity:
            raise error("INVALID_DATA.REGISTER_TOO_LONG", heading=register.heading, count=len(rows), sheet=register.sheet, capacity=register.capacity)
        out[register.key] = rows
    return out


def _counted(registers: Mapping[str, Sequence[Mapping[str, Any]]], year: Any) -> dict[Path, float]:
    """What the registers count to for ``year`` (the stored results of 校验's register blocks),
    with table 三's totals; {} without a year."""
    from ..register import RegisterRow, RegisterTable, count_ledger, count_published

    if not isinstance(year, int):
        return {}
    counted: dict[Path, float] = {}
    for register, count in ((form.LEDGER, count_ledger), (form.PUBLISHED, count_published)):
        rows = [RegisterRow(i + 2, {k: v for k, v in row.items() if v is not None and k != "row"})
                for i, row in enumerate(registers.get(register.key, ()))]
        table = RegisterTable(register, register.sheet, {c.key: i for i, c in enumerate(register.columns)}, rows)
        counted.update(count(table, year).counts)
    inputs = {leaf.path: counted.get(leaf.path, 0) for leaf in form.INPUT_LEAVES}
    counted.update((path, value) for path, value in form.evaluate_totals(inputs.__getitem__).items()  # type: ignore[arg-type]
                   if path[0] == form.APPLICATIONS.key and value is not None)
    return counted


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------

_BORDERED = {"block", "header", "group", "label", "note", "input", "formula", "check"}


class _Formats:
    """One xlsxwriter format per distinct style (xlsxwriter needs the objects; we need them few)."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.cache: dict[tuple, Any] = {}

    def get(self, role: str, kind: str | None = None, *, annotated: bool = False, prefilled: bool = False) -> Any:
        key = (role, kind, annotated, prefilled)
        if key not in self.cache:
            props: dict[str, Any] = {"font_name": FONT, "font_size": FONT_SIZE, "font_charset": 134,
                                     "valign": "vcenter", "text_wrap": True, "locked": True}
            if role in _BORDERED:
                props["border"] = 1
            if role == "title":
                props.update(bold=True, font_size=16, align="center", text_wrap=False)
            elif role in ("heading", "block"):
                props.update(bold=True, font_size=12 if role == "heading" else FONT_SIZE, align="left")
            elif role == "header":
                props.update(bold=True, align="center")
            elif role == "group":
                props.update(align="center")
            elif role == "note":
                props.update(align="center", font_size=10)
            elif role == "hint":
                props.update(align="left", valign="top", font_size=9, font_color="#595959")
            elif role in ("label", "text", "stamp"):
                props.update(align="left", valign="vcenter" if role != "text" else "top")
            elif role == "register":  # a register's records: unlocked, every column its own format
                props.update(locked=False, text_wrap=kind == "text", valign="top", align="left" if kind != "money" else "right",
                             num_format={"date": "yyyy-mm-dd", "money": "0.00", "text": "@"}.get(kind or "", "General"))
            elif role in ("input", "formula", "check"):
                props.update(align="right" if kind not in ("text", "date") else "left", text_wrap=False)
                if role == "input" and prefilled:  # filled before it was sent out: locked
                    props.update(locked=True, bg_color=PREFILLED_FILL)
                elif role == "input":
                    props.update(locked=False, bg_color=INPUT_FILL)
                else:
                    props.update(bg_color=FORMULA_FILL)
                if kind == "prose":  # the narrative: long text, wrapped, read from the top
                    props.update(align="left", valign="top", text_wrap=True)
                props["num_format"] = {"count": "0", "money": "General", "year": "0", "text": "@", "prose": "@",
                                       "date": "yyyy-mm-dd"}.get(kind or "", "General")
                if role == "check" and kind == "ok":
                    props.update(align="center", bold=True)
                if role == "check" and kind == "date":  # a register's period: shown blank until 报告年度 is filled (not 1899-12-30)
                    props["num_format"] = "yyyy-mm-dd;;"
            if annotated:
                props["bg_color"] = ANNOTATION_FILL
            self.cache[key] = self.workbook.add_format(props)
        return self.cache[key]


_VALIDATION = {
    "count": {"validate": "integer", "criteria": ">=", "value": 0,
              "input_title": "请填写件数", "input_message": "填不小于0的整数；没有发生的填0。",
              "error_title": "件数有误", "error_message": "这里只能填写不小于0的整数（件数），不要填文字或小数。"},
    "money": {"validate": "decimal", "criteria": ">=", "value": 0,
              "input_title": "请填写金额", "input_message": f"按标签所示单位（{'或'.join(unit for _, unit in form.MONEY_UNITS)}）填不小于0的数字，可含小数；没有发生的填0。",
              "error_title": "金额有误", "error_message": "这里只能填写不小于0的数字（金额），不要填文字或单位。"},
    "year": {"validate": "integer", "criteria": "between", "minimum": YEAR_MIN, "maximum": YEAR_MAX,
             "input_title": "请填写报告年度", "input_message": f"填四位数字年份，如2024（{YEAR_MIN}—{YEAR_MAX}）。",
             "error_title": "年度有误", "error_message": f"报告年度应为{YEAR_MIN}—{YEAR_MAX}之间的四位数字，如2024。"},
    "date": {"validate": "date", "criteria": "between",
             "minimum": _dt.datetime(YEAR_MIN, 1, 1), "maximum": _dt.datetime(YEAR_MAX + 1, 12, 31),
             "input_title": "请填写填报日期", "input_message": "填日期，如2025-01-20。",
             "error_title": "日期有误", "error_message": "请填写有效日期，如2025-01-20。"},
    "text": {"validate": "length", "criteria": "<=", "value": TEXT_MAX,
             "input_title": "请填写文字", "input_message": f"填文字，不超过{TEXT_MAX}个字符。",
             "error_title": "内容过长", "error_message": f"这里最多填写{TEXT_MAX}个字符。"},
    "prose": {"validate": "length", "criteria": "<=", "value": PROSE_MAX,
              "input_title": "请填写报告正文", "input_message": "填这一部分的正文，不写标题；格内换行即分段。",
              "error_title": "内容过长", "error_message": f"一个单元格最多{PROSE_MAX}个字符，请精简。"},
}


def _write_input(ws: Any, cell: _Cell, kind: str, value: Any, fmt: Any) -> None:
    r, c = cell.r1, cell.c1
    if value is None:
        ws.write_blank(r, c, None, fmt)
    elif kind in ("count", "money", "year") and not isinstance(value, str):
        ws.write_number(r, c, value, fmt)
    elif kind == "date":
        when = value
        if isinstance(value, str):
            try:
                when = _dt.datetime.fromisoformat(value.strip())
            except ValueError:
                when = None
        if isinstance(when, _dt.date) and not isinstance(when, _dt.datetime):
            when = _dt.datetime(when.year, when.month, when.day)
        if isinstance(when, _dt.datetime):
            ws.write_datetime(r, c, when.replace(tzinfo=None), fmt)
        else:
            ws.write_string(r, c, str(value), fmt)
    else:
        ws.write_string(r, c, str(value), fmt)


def _check_value(tag: tuple[str, Any], results: dict[Path, float], counted: Mapping[Path, float] | None = None,
                 year: Any = None, registers: Mapping[str, Sequence[Mapping[str, Any]]] | None = None) -> Any:
    what, i = tag
    if what == "records":  # COUNTA over the register's area: the cells its records fill
        return sum(1 for row in (registers or {}).get(i, ()) for k, v in row.items() if k != "row" and v not in (None, ""))
    if what == "typed":
        return results.get(i, 0)
    if what == "counted":
        return (counted or {}).get(i, 0)
    if what == "period":
        return _dt.datetime(year, 12 if i else 1, 31 if i else 1) if isinstance(year, int) else 0
    identity = form.IDENTITIES[i]
    left = sum(results[p] for p in identity.left)
    right = sum(results[p] for p in identity.right)
    if what == "left":
        return left
    if what == "right":
        return right
    if what == "diff":
        return left - right
    return "✓" if round(left - right, 6) == 0 else "✗"


def _input_kind(leaf: form.Leaf) -> str:
    """The leaf's kind, or "prose" for the narrative's long texts (their own format and limit)."""
    return "prose" if leaf.part.layout == "prose" else leaf.kind


@lru_cache(maxsize=1)
def _worksheet_class() -> type:
    """xlsxwriter's worksheet, remembering how it prepared each formula text: every template
    holds the same ~1000 formulas, and xlsxwriter runs ~30 regular expressions over each one —
    a third of writing a template (300 at once for 下发, issue #20).  The output is unchanged."""
    from xlsxwriter.worksheet import Worksheet

    prepare = getattr(Worksheet, "_prepare_formula", None)
    if prepare is None:  # another xlsxwriter: nothing to remember
        return Worksheet
    prepared: dict[tuple[str, bool, bool], str] = {}

    class RememberingWorksheet(Worksheet):  # type: ignore[misc, valid-type]
        def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
            key = (formula, bool(self.use_future_functions), expand_future_functions)
            done = prepared.get(key)
            if done is None:
                done = prepared[key] = prepare(self, formula, expand_future_functions)
            return done

    return RememberingWorksheet


def _render_sheet(workbook: Any, fmts: _Formats, plan: _Sheet, values: dict[Path, Any],
                  results: dict[Path, float], stated: Mapping[Path, float], annotations: Mapping[Path, str],
                  prefilled: Mapping[Path, Prefill] = {}, counted: Mapping[Path, float] | None = None,
                  registers: Mapping[str, Sequence[Mapping[str, Any]]] | None = None) -> None:
    ws = workbook.add_worksheet(plan.name, worksheet_class=_worksheet_class())
    ws.hide_gridlines(2)
    ws.set_paper(9)
    if plan.landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")
    if plan.repeat:
        ws.repeat_rows(*plan.repeat)
    if plan.breaks:
        ws.set_h_pagebreaks(plan.breaks)
    for col, width in sorted(plan.widths.items()):
        ws.set_column(col, col, width)
    for row, height in sorted(plan.heights.items()):
        ws.set_row(row, height)

    for cell in plan.cells:
        leaf = form.LEAF_BY_PATH.get(cell.path) if cell.path else None
        kind = _input_kind(leaf) if leaf else _check_kind(cell.check)
        annotated = cell.path in annotations if cell.path else False
        locked = cell.role == "input" and cell.path in prefilled
        fmt = fmts.get(cell.role, kind, annotated=annotated, prefilled=locked)
        merged = (cell.r1, cell.c1) != (cell.r2, cell.c2)
        if merged:
            ws.merge_range(cell.r1, cell.c1, cell.r2, cell.c2, "", fmt)
        if cell.role == "input":
            assert leaf is not None
            _write_input(ws, cell, leaf.kind, values.get(leaf.path), fmt)
            if kind == "prose" and values.get(leaf.path):  # as tall as the text, up to Excel's limit
                lines = _lines(str(values[leaf.path]), plan.widths.get(cell.c1, 9))
                ws.set_row(cell.r1, min(PROSE_ROW_MAX, max(PROSE_HEIGHT, lines * LINE_HEIGHT + 5)))
            ws.data_validation(cell.r1, cell.c1, cell.r1, cell.c1, dict(_VALIDATION[kind]))
        elif cell.role == "formula":
            if cell.path in stated:  # the unit's own (wrong) total, kept visible for the comment
                ws.write_number(cell.r1, cell.c1, stated[cell.path], fmt)
            else:
                ws.write_formula(cell.r1, cell.c1, cell.formula, fmt, results[cell.path])
        elif cell.role == "check":
            assert cell.check is not None
            result = _check_value(cell.check, results, counted, values.get(form.UNIT_YEAR), registers)
            if isinstance(result, _dt.datetime):
                ws.write_formula(cell.r1, cell.c1, cell.formula, fmt, (result - _dt.datetime(1899, 12, 30)).days)
            else:
                ws.write_formula(cell.r1, cell.c1, cell.formula, fmt, result)
        elif cell.text is not None:
            ws.write_string(cell.r1, cell.c1, cell.text, fmt)
        elif not merged:
            ws.write_blank(cell.r1, cell.c1, None, fmt)
        comment = "\n".join(filter(None, (
            annotations.get(cell.path, "") if annotated else "",
            f"下发时预填，来源：{prefilled[cell.path].source}" if locked and prefilled[cell.path].source else "",
        )))
        if comment:
            ws.write_comment(cell.r1, cell.c1, comment,
                             {"author": "xlsreport", "x_scale": 2.5, "y_scale": 2, "font_name": FONT})

    alert = workbook.add_format({"bg_color": ALERT_FILL, "font_color": ALERT_FONT})
    for multi, formula in plan.alerts:
        first = multi.split(" ")[0].split(":")[0].replace("$", "")
        row, col = _parse_a1(first)
        ws.conditional_format(row, col, row, col, {"type": "formula", "criteria": formula,
                                                   "format": alert, "multi_range": multi})
    if plan.chart:
        _add_chart(workbook, ws, plan)
    ws.protect("", {"format_columns": True, "format_rows": True})


def _check_kind(tag: tuple[str, Any] | None) -> str | None:
    if tag is None:
        return None
    return {"ok": "ok", "period": "date"}.get(tag[0])


_REGISTER_FORMAT = {"serial": None, "date": "date", "choice": "text", "text": "text", "money": "money", "yesno": "text"}


def _register_validation(register: form.Register, column: form.RegisterColumn) -> dict[str, Any]:
    prompt = {"input_title": column.label[:32], "input_message": column.prompt[:255]}
    if column.kind == "date":
        return {"validate": "date", "criteria": "between",
                "minimum": _dt.datetime(YEAR_MIN - 20, 1, 1), "maximum": _dt.datetime(YEAR_MAX + 1, 12, 31),
                "error_title": "日期有误", "error_message": "请填写有效日期，如2024-03-05（不要写成文字）。", **prompt}
    if column.kind == "choice":
        col = _list_column(register, column.key)
        first = REGISTER_HEADER_ROW + 1
        source = f"={_a1(first, col, absolute=True)}:{_a1(first + len(column.choices) - 1, col, absolute=True)}"
        return {"validate": "list", "source": source, "error_title": f"{column.label}有误",
                "error_message": f"请从下拉列表中选择{column.label}。", **prompt}
    if column.kind == "yesno":
        return {"validate": "list", "source": [form.YES, form.NO], "error_title": f"{column.label}有误",
                "error_message": f"请填“{form.YES}”或“{form.NO}”。", **prompt}
    if column.kind == "money":
        return {"validate": "decimal", "criteria": ">=", "value": 0, "error_title": "金额有误",
                "error_message": f"这里只能填写不小于0的数字（{form.YUAN}），不要填文字或单位。", **prompt}
    return {"validate": "length", "criteria": "<=", "value": PROSE_MAX, "error_title": "内容过长",
            "error_message": f"一个单元格最多{PROSE_MAX}个字符。", **prompt}


def _render_register(workbook: Any, fmts: _Formats, register: form.Register, rows: Sequence[Mapping[str, Any]]) -> None:
    """A register's sheet: its header, one row per record (room for ``register.capacity``), each
    column validated (dates, drop-down lists kept in hidden columns of the same sheet), printable."""
    from ..dates import parse_date

    ws = workbook.add_worksheet(register.sheet)
    top = REGISTER_HEADER_ROW
    last = top + register.capacity
    header = fmts.get("header")
    for c, column in enumerate(register.columns):
        kind = _REGISTER_FORMAT[column.kind]
        ws.write_string(top, c, column.label, header)
        ws.set_column(c, c, column.width, fmts.get("register", kind))
        ws.data_validation(top + 1, c, last, c, _register_validation(register, column))
    listed = fmts.get("label")
    for column in (c for c in register.columns if c.choices):
        col = _list_column(register, column.key)
        ws.write_string(top, col, f"{column.label}（下拉列表）", listed)
        for r, (_, wording) in enumerate(column.choices, top + 1):
            ws.write_string(r, col, wording, listed)
        ws.set_column(col, col, 30, None, {"hidden": True})
    ws.set_row(top, 30)
    for r, row in enumerate(rows, top + 1):
        for c, column in enumerate(register.columns):
            value = row.get(column.key)
            fmt = fmts.get("register", _REGISTER_FORMAT[column.kind])
            if value is None or value == "":
                continue
            if column.kind == "date" and not isinstance(value, bool):
                when = parse_date(value)
                if when is not None:
                    ws.write_datetime(r, c, _dt.datetime(when.year, when.month, when.day), fmt)
                    continue
            if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
                ws.write_number(r, c, value, fmt)
            else:
                ws.write_string(r, c, str(value), fmt)
    ws.freeze_panes(top + 1, 0)
    ws.autofilter(top, 0, last, len(register.columns) - 1)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.repeat_rows(top, top)
    ws.set_header(f"&C{register.heading}")
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.protect("", {"format_columns": True, "format_rows": True, "autofilter": True, "sort": True})


def _parse_a1(a1: str) -> tuple[int, int]:
    letters = "".join(ch for ch in a1 if ch.isalpha())
    digits = "".join(ch for ch in a1 if ch.isdigit())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch.upper()) - 64
    return int(digits) - 1, col - 1


def _add_chart(workbook: Any, ws: Any, plan: _Sheet) -> None:
    assert plan.chart is not None
    anchor, labels, values = plan.chart
    c1, c2 = plan.chart_cols
    chart = workbook.add_chart({"type": "column"})
    chart.add_series({
        "name": plan.name,
        "categories": [plan.name, labels, c1, labels, c2],
        "values": [plan.name, values, c1, values, c2],
        "data_labels": {"value": True},
        "fill": {"color": "#5B9BD5"},
    })
    chart.set_title({"name": plan.chart_title, "name_font": {"name": FONT, "size": 12}})
    chart.set_legend({"none": True})
    chart.set_x_axis({"num_font": {"name": FONT}})
    chart.set_y_axis({"num_font": {"name": FONT}, "min": 0, "major_gridlines": {"visible": True}})
    ws.insert_chart(anchor, 0, chart, {"x_scale": 1.3, "y_scale": 1.1, "object_position": 3})


def _render_extra(workbook: Any, fmts: _Formats, name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A plain table of someone else's values: every string stays text, never a formula."""
    ws = workbook.add_worksheet(name)
    head = fmts.get("header")
    body = fmts.get("label")
    widths = [_text_width(str(h)) for h in header]
    for c, text in enumerate(header):
        ws.write_string(0, c, str(text), head)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if value is None:
                ws.write_blank(r, c, None, body)
            elif isinstance(value, bool):
                ws.write_string(r, c, "是" if value else "否", body)
            elif isinstance(value, (int, float)) and math.isfinite(value):
                ws.write_number(r, c, value, body)
            else:
                ws.write_string(r, c, str(value), body)
            if c < len(widths):
                widths[c] = max(widths[c], min(_text_width(str(value or "")), 60))
            else:
                widths.append(min(_text_width(str(value or "")), 60))
    for c, width in enumerate(widths):
        ws.set_column(c, c, max(width + 2, 6))
    if header:
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(rows), 1), max(len(header) - 1, 0))
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, 0)


def _render_front(workbook: Any, fmts: _Formats, front: FrontSheet) -> None:
    """The sheet a workbook opens on: title, facts, then a table whose long texts wrap."""
    ws = workbook.add_worksheet(front.name)
    ws.hide_gridlines(2)
    columns = max(len(front.header), 2)
    widths = [max(_text_width(str(h)) + 2, 8) for h in front.header] or [12, 60]
    for row in front.rows:  # the last column (the explanation) gets the room; the others wrap
        for c, value in enumerate(row[: len(widths)]):
            cap = FRONT_TEXT_WIDTH if c == len(widths) - 1 else FRONT_COLUMN_WIDTH
            widths[c] = max(widths[c], min(_text_width("" if value is None else str(value)) + 2, cap))
    widths[0] = max(widths[0], max((_text_width(label) + 2 for label, _ in front.facts), default=0))
    for c, width in enumerate(widths):
        ws.set_column(c, c, width)
    last = columns - 1
    ws.merge_range(0, 0, 0, last, front.title, fmts.get("title"))
    ws.set_row(0, 30)
    r = 2
    for label, text in front.facts:
        ws.write_string(r, 0, label, fmts.get("label"))
        span = sum(widths[1:]) if len(widths) > 1 else 60
        ws.set_row(r, max(LINE_HEIGHT + 4, _lines(text, span) * LINE_HEIGHT + 4))
        if last >= 1:
            ws.merge_range(r, 1, r, last, text, fmts.get("label"))
        else:
            ws.write_string(r, 1, text, fmts.get("label"))
        r += 1
    if front.header:
        r += 1
        for c, text in enumerate(front.header):
            ws.write_string(r, c, str(text), fmts.get("header"))
        ws.repeat_rows(r, r)
        for row in front.rows:
            r += 1
            tallest = 1
            for c, value in enumerate(row):
                fmt = fmts.get("label")
                if value is None:
                    ws.write_blank(r, c, None, fmt)
                elif isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
                    ws.write_number(r, c, value, fmt)
                else:
                    ws.write_string(r, c, str(value), fmt)
                    tallest = max(tallest, _lines(str(value), widths[c] if c < len(widths) else 10))
            ws.set_row(r, tallest * LINE_HEIGHT + 4)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.activate()


def _check_extra_sheets(extra_sheets: Sequence[ExtraSheet]) -> None:
    seen = {name.lower() for name in form.SHEETS}
    for item in extra_sheets:
        name = item[0]
        bad = set("[]:*?/\\") & set(name)
        if not name or len(name) > 31 or bad or name.startswith("'") or name.endswith("'"):
            raise error("INVALID_DATA.SHEET_NAME", name=name)
        if name.lower() in seen:
            raise error("INVALID_DATA.SHEET_NAME_TWICE", name=name)
        seen.add(name.lower())


def write_template(
    out: str | os.PathLike,
    data: Mapping[str, Any] | None = None,
    *,
    unit: str | None = None,
    year: int | str | None = None,
    force: bool = False,
    annotations: Mapping[Path, str] | None = None,
    extra_sheets: Sequence[ExtraSheet] | None = None,
    as_read: bool = False,
    front: FrontSheet | None = None,
    published: bool = False,
    prefilled: Mapping[Path, Prefill] | None = None,
    in_force_last_year: Mapping[str, Prefill] | None = None,
) -> FsPath:
    """Write the fillable workbook to ``out`` and return its path.

    ``data`` (the JSON shape of FORM.md; parts may be missing or None) pre-fills the input cells;
    totals are always formulas, stored with the values they compute to.  ``unit``/``year``
    override the unit facts.  ``annotations`` marks cells (red fill and a Chinese comment), e.g.
    the findings of ``check --annotate``; ``extra_sheets`` appends plain tables after 校验;
    ``front`` is a sheet put first, which the workbook opens on.
    ``prefilled`` (and ``unit``/``year``, unless ``as_read``) are input cells filled before the
    template is sent out: written (where ``data`` gives no other value), locked, their
    ``source`` in a comment, and recorded on a hidden sheet (``form.SHEET_PREFILLED``) so that
    the reader knows them (``Report.prefilled``): a workbook sent back with nothing else filled
    is 未填写.
    ``in_force_last_year`` (table 二's row key → last year's 现行有效件数 and where it was read)
    is written beside table 二, and the 校验 sheet compares 上年现行有效 + 本年制发 − 本年废止
    with 现行有效 live (a 警告, as ``YEAR.IN_FORCE`` is: amendments can move it).
    ``as_read``: ``data`` is what a unit's file holds, not input to validate — negative or
    fractional counts and an unreadable year are written as they are, and a total the file
    states differently from its sum is written as that number (an annotated copy must show the
    mistake it comments on).  ``published``: ``data`` was read from a published report; the
    workbook says so (``form.PUBLISHED_STAMP``), so that it is judged as that report was.
    Raises ``InvalidData`` for data that does not fit the form or an ``out`` not named .xlsx, and
    ``OutputExists`` when ``out`` exists and ``force`` is not given.  Written to a temporary file
    and renamed into place.
    """
    output_suffix(out)
    with atomic_output(out, force=force) as tmp:
        write_workbook(tmp, data, unit=unit, year=year, annotations=annotations, extra_sheets=extra_sheets,
                       as_read=as_read, front=front, published=published, prefilled=prefilled,
                       in_force_last_year=in_force_last_year)
    return FsPath(out)


def write_workbook(
    path: str | os.PathLike,
    data: Mapping[str, Any] | None = None,
    *,
    unit: str | None = None,
    year: int | str | None = None,
    annotations: Mapping[Path, str] | None = None,
    extra_sheets: Sequence[ExtraSheet] | None = None,
    as_read: bool = False,
    front: FrontSheet | None = None,
    stamps: Mapping[str, tuple[str, int, int, int, int]] | None = None,
    published: bool = False,
    prefilled: Mapping[Path, Prefill] | None = None,
    in_force_last_year: Mapping[str, Prefill] | None = None,
) -> None:
    """Render the workbook into ``path`` as it is (no existence check, no rename): for callers
    that manage the output themselves inside ``output.atomic_output`` (``merge``).  ``stamps``:
    defined names the caller stamps the workbook with, each naming a range of one of its sheets
    (sheet, first row, first column, last row, last column; 0-based) — ``form.MERGED_STAMP``."""
    import xlsxwriter  # heavy-ish; only needed when a workbook is actually written

    record = _prefill_record(prefilled, unit, year, as_read)
    values, results, stated = _prepare(_with_prefilled(data, record), unit, year, as_read)
    registers = _register_rows(data)
    counted = _counted(registers, values.get(form.UNIT_YEAR))
    annotations = dict(annotations or {})
    unknown = [p for p in annotations if p not in form.LEAF_BY_PATH]
    if unknown:
        raise error("INVALID_DATA.ANNOTATION_PATHS", paths=', '.join('.'.join(p) for p in unknown))
    extra = list(extra_sheets or ())
    _check_extra_sheets(extra + ([(front.name, (), ())] if front else []) + ([(form.SHEET_PREFILLED, (), ())] if record or in_force_last_year else []))
    sheets, _ = _plan()

    workbook = xlsxwriter.Workbook(str(path), {
        "in_memory": True,  # no temporary file per part: half the time of a template (issue #20, 300 at once)
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_format_properties": {"font_name": FONT, "font_size": FONT_SIZE},
    })
    try:
        workbook.set_properties({
            "title": f"{form.FORM_TITLE}填报模板",
            "subject": form.FORM_BASIS,
            "author": "xlsreport",
            "comments": f"{form.FORM_ID}，模板版本 {TEMPLATE_VERSION}",
            "created": CREATED,
        })
        workbook.set_custom_property(form.TEMPLATE_STAMP, form.FORM_ID)
        workbook.set_custom_property("xlsreport_template_version", TEMPLATE_VERSION)
        fmts = _Formats(workbook)
        if front is not None:
            _render_front(workbook, fmts, front)
        for plan in sheets:
            if plan.register is not None:
                _render_register(workbook, fmts, plan.register, registers[plan.register.key])
            else:
                _render_sheet(workbook, fmts, plan, values, results, stated, annotations, record, counted, registers)
        _render_drafts(workbook, fmts, results)
        if in_force_last_year:
            _render_in_force(workbook, fmts, in_force_last_year, values)
        for name, header, rows in extra:
            _render_extra(workbook, fmts, name, header, rows)
        if record or in_force_last_year:
            _render_prefilled(workbook, record, in_force_last_year or {})
        stamp = _quote(form.SHEET_INSTRUCTIONS)
        workbook.define_name(form.TEMPLATE_STAMP, f"={stamp}!{_a1(*_STAMP_FORM, absolute=True)}")
        workbook.define_name("xlsreport_version", f"={stamp}!{_a1(*_STAMP_VERSION, absolute=True)}")
        for name, (sheet, r0, c0, r1, c1) in (stamps or {}).items():
            workbook.define_name(name, f"={_quote(sheet)}!{_a1(r0, c0, absolute=True)}:{_a1(r1, c1, absolute=True)}")
        if published:
            workbook.define_name(form.PUBLISHED_STAMP, f"={stamp}!{_a1(*_STAMP_FORM, absolute=True)}")
    finally:
        workbook.close()


# The standard sentences of the report's text, next to its inputs on the 报告正文 sheet (issue
# #20): text and form values, which become one live formula of "&" and N() only (what Excel,
# WPS and LibreOffice all have), so that a unit can copy numbers that agree with its tables.
# A tuple of paths is their sum.
_T3, _T4 = form.APPLICATIONS.key, form.REVIEW_LITIGATION.key
DRAFTS: dict[str, tuple[tuple[str | Path | tuple[Path, ...], ...], ...]] = {
    "overview": (
        ("本年度主动公开政府信息", ("categories", "total"), "条，其中通知公告", ("categories", "notices"), "条、财政预算",
         ("categories", "budget"), "条、财政决算", ("categories", "final_accounts"), "条、机构职能", ("categories", "functions"),
         "条、工作动态", ("categories", "work_updates"), "条、其他", ("categories", "other"), "条。"),
        ("本年度收到政府信息公开申请", (_T3, "new", "total"), "件，上年结转", (_T3, form.CARRIED_OVER_ROW, "total"),
         "件，办结", (_T3, form.HANDLED_TOTAL_ROW, "total"), "件，结转下年度继续办理", (_T3, form.CARRIED_FORWARD_ROW, "total"), "件。"),
        ("本年度发生政府信息公开行政复议", (_T4, "review", "total"), "件、行政诉讼",
         ((_T4, "litigation_direct", "total"), (_T4, "litigation_after_review", "total")), "件。"),
    ),
    "other": (
        ("本年度发出信息处理费收费通知", ("fee_notices", "notices_sent"), "件，收费通知总金额",
         ("fee_notices", "amount_notified_yuan"), "元，实际收取", ("fee_notices", "amount_collected_yuan"), "元。"),
    ),
}
DRAFTS_LABEL = "参考文字（按各表数字自动生成，随表格更新；可复制到上面的格中，粘贴为“值”后再修改）"


def _draft(sentences: Sequence[Sequence[Any]], results: Mapping[Path, float], home: str) -> tuple[str, str]:
    """(formula, its result now) of one field's standard sentences."""
    cells = layout()

    def ref(path: Path) -> str:
        cell = cells[path]
        return f"N({_quote(cell.sheet) + '!' if cell.sheet != home else ''}{cell.a1})"

    terms: list[str] = []
    text = ""
    for i, sentence in enumerate(sentences):
        for piece in sentence:
            if isinstance(piece, str):
                terms.append('"' + piece.replace('"', '""') + '"')
                text += piece
            else:
                paths = piece if isinstance(piece[0], tuple) else (piece,)
                terms.append("(" + "+".join(ref(p) for p in paths) + ")" if len(paths) > 1 else ref(paths[0]))
                from ..model import format_number

                text += format_number(sum(results.get(p, 0) for p in paths))
    return "=" + "&".join(terms), text


def _render_drafts(workbook: Any, fmts: _Formats, results: Mapping[Path, float]) -> None:
    """Under each narrative input that has them (below its hint, never in its own row: the
    reader takes a label's value from the right), its standard sentences as a live formula."""
    part = form.NARRATIVE
    cells = layout()
    sheet = workbook.get_worksheet_by_name(part.sheet)
    for key, sentences in DRAFTS.items():
        cell = cells[(part.key, key)]
        row = cell.row + 2
        formula, text = _draft(sentences, results, part.sheet)
        sheet.write_string(row, cell.col - 1, DRAFTS_LABEL, fmts.get("hint"))
        sheet.write_formula(row, cell.col, formula, fmts.get("formula", "prose"), text)
        sheet.set_row(row, max(3, _lines(text, 92)) * LINE_HEIGHT + 6)


PREFILLED_HEADER = ("位置", "预填内容", "来源")
IN_FORCE_LAST_YEAR_LABEL = "上年现行有效"  # its source in a comment; never the official label (the reader matches those)


def _render_in_force(workbook: Any, fmts: _Formats, last: Mapping[str, Prefill], values: Mapping[Path, Any]) -> None:
    """Last year's 现行有效件数 one column right of table 二, and a live 警告 row per 规章 /
    行政规范性文件 under the 校验 sheet's identities: 上年 + 本年制发 − 本年废止 against 现行有效."""
    cells = layout()
    part = form.PROACTIVE.key
    keys = (form.ISSUED_COLUMN, form.REPEALED_COLUMN, form.IN_FORCE_COLUMN)
    rows = [row for row in form.grid_of(form.PROACTIVE, form.RULES_ROW).rows if row.key in last]
    if not rows:
        return
    home = cells[(part, rows[0].key, form.IN_FORCE_COLUMN)]
    sheet = workbook.get_worksheet_by_name(home.sheet)
    column = home.col + 2  # a blank column between: the official table stays as it is printed
    sheet.set_column(column, column, 20)
    sheet.write_string(home.row - 1, column, IN_FORCE_LAST_YEAR_LABEL, fmts.get("header"))
    checks = workbook.get_worksheet_by_name(form.SHEET_CHECKS)
    top = _IN_FORCE_TOP
    checks.merge_range(top, 0, top, len(_CHECK_HEADERS) - 1, f"跨年度核对（{WARNING_WORD}，不是{ERROR_WORD}：修订等情形可能造成差异）", fmts.get("block"))
    for i, row in enumerate(rows):
        issued, repealed, in_force = (cells[(part, row.key, k)] for k in keys)
        fill = last[row.key]
        sheet.write_number(in_force.row, column, fill.value, fmts.get("formula", "count"))
        if fill.source:
            sheet.write_comment(in_force.row, column, f"来源：{fill.source}", {"author": "xlsreport", "x_scale": 2.5, "font_name": FONT})
        r = top + 1 + i
        last_ref = f"{_quote(home.sheet)}!{_a1(in_force.row, column)}"
        ref = lambda c: f"{_quote(c.sheet)}!{c.a1}"  # noqa: E731
        number = lambda c: values.get(c) or 0  # noqa: E731
        left = fill.value + number((part, row.key, form.ISSUED_COLUMN)) - number((part, row.key, form.REPEALED_COLUMN))
        right = number((part, row.key, form.IN_FORCE_COLUMN))
        checks.write_string(r, 0, f"{len(form.IDENTITIES) + 1 + i}", fmts.get("label"))
        checks.write_string(r, 1, IN_FORCE, fmts.get("label"))
        checks.write_string(r, 2, f"{row.label}：上年现行有效 + 本年制发 − 本年废止 = 本年现行有效", fmts.get("label"))
        checks.write_formula(r, 3, f"={last_ref}+{ref(issued)}-{ref(repealed)}", fmts.get("check"), left)
        checks.write_formula(r, 4, f"={ref(in_force)}", fmts.get("check"), right)
        checks.write_formula(r, 5, f"={_a1(r, 3)}-{_a1(r, 4)}", fmts.get("check"), left - right)
        checks.write_formula(r, 6, f'=IF(ROUND({_a1(r, 5)},6)=0,"✓","{WARNING_WORD}")', fmts.get("check", "ok"),
                             "✓" if round(left - right, 6) == 0 else WARNING_WORD)


def _prefill_record(prefilled: Mapping[Path, Prefill] | None, unit: str | None, year: int | str | None,
                    as_read: bool) -> dict[Path, Prefill]:
    """The input cells filled before sending out: ``prefilled`` and (a template, not a copy of a
    unit's file) the ``unit``/``year`` given.  Only input cells can be pre-filled."""
    record: dict[Path, Prefill] = {}
    if not as_read:
        if unit is not None:
            record[form.UNIT_NAME] = Prefill(str(unit))
        if year is not None:
            record[form.UNIT_YEAR] = Prefill(_clean_year(form.UNIT_YEAR, year))  # type: ignore[arg-type]
    for path, fill in (prefilled or {}).items():
        leaf = form.LEAF_BY_PATH.get(path)
        if leaf is None or leaf.computed:
            raise error("INVALID_DATA.PREFILL_PATH", path_shown='.'.join(path))
        record[path] = fill if isinstance(fill, Prefill) else Prefill(fill)
    return record


def _with_prefilled(data: Mapping[str, Any] | None, record: Mapping[Path, Prefill]) -> Mapping[str, Any] | None:
    """``data`` with the pre-filled values where it gives none (a unit's own value wins: an
    annotated copy shows the changed carry-over it comments on)."""
    if not record:
        return data
    out = copy.deepcopy(dict(data or {}))
    for path, fill in record.items():
        node: Any = out.get(path[0])
        if node is None:
            node = out[path[0]] = {}
        for key in path[1:-1]:
            node = node.setdefault(key, {}) if isinstance(node, dict) else None
        if isinstance(node, dict) and node.get(path[-1]) is None:
            node[path[-1]] = fill.value
    return out


def _render_prefilled(workbook: Any, record: Mapping[Path, Prefill], in_force: Mapping[str, Prefill] = {}) -> None:
    """The hidden 预填记录 sheet: one row per pre-filled cell (dotted path, value, source), then
    last year's 现行有效件数 (``form.IN_FORCE_RECORD`` + row key), so a fresh copy keeps them."""
    ws = workbook.add_worksheet(form.SHEET_PREFILLED)
    for c, text in enumerate(PREFILLED_HEADER):
        ws.write_string(0, c, text)
    rows = [(".".join(path), fill) for path, fill in record.items()]
    rows += [(form.IN_FORCE_RECORD + key, fill) for key, fill in in_force.items()]
    for r, (key, fill) in enumerate(rows, 1):
        ws.write_string(r, 0, key)
        if isinstance(fill.value, (int, float)) and not isinstance(fill.value, bool):
            ws.write_number(r, 1, fill.value)
        else:
            ws.write_string(r, 1, str(fill.value))
        ws.write_string(r, 2, fill.source[:TEXT_MAX])
    ws.hide()
    ws.protect("")


def regenerate_committed(root: str | os.PathLike = ".") -> FsPath:
    """Rewrite ``templates/`` + TEMPLATE_FILENAME (the blank workbook the repository ships)."""
    target = FsPath(root) / "templates" / TEMPLATE_FILENAME
    target.parent.mkdir(parents=True, exist_ok=True)
    return write_template(target, force=True)


if __name__ == "__main__":  # python -m xlsreport.template
    print(regenerate_committed())
