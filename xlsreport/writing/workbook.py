"""The fillable workbook (填报模板), written with xlsxwriter from the form definition alone.

Why it is built this way:

* Every label, merge and position comes from :mod:`xlsreport.form`: a row added there appears here
  with no edit.  The layout is planned first as plain data (:func:`layout` exposes where each value
  sits, for the merger and the annotator) and only then rendered, so the two can never disagree.
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
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any, Iterable, Mapping, NamedTuple, Sequence

from .. import form
from ..rules import ERROR_WORD, IN_FORCE, WARNING_WORD
from ..dates import YEAR_MAX, YEAR_MIN, parse_year
from ..errors import InvalidData, error
from ..form import Path
from ..model import Prefill
from ..excel import column_letters
from .output import atomic_output, output_suffix

TEMPLATE_VERSION = "1"
TEMPLATE_FILENAME = "政府信息公开工作年度报告-填报模板.xlsx"
CREATED = _dt.datetime(2021, 1, 1)
TEXT_MAX = 255
PROSE_MAX = 32767  # Excel's limit for the text of one cell: the narrative's long texts

FONT = "宋体"  # SimSun; charset 134 (GB2312) lets Excel/LibreOffice pick a CJK fallback when absent
FONT_SIZE = 11
LINE_HEIGHT = 14.5  # points per wrapped line at FONT_SIZE
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


class CellRef(NamedTuple):
    """Where the generated workbook holds one value.  ``row``/``col`` are 0-based (xlsxwriter)."""

    sheet: str
    row: int
    col: int
    a1: str

    @property
    def address(self) -> str:
        """``依申请公开!D6`` — the form a finding shows to a clerk."""
        return f"{self.sheet}!{self.a1}"


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _a1(row: int, col: int, absolute: bool = False) -> str:
    d = "$" if absolute else ""
    return f"{d}{column_letters(col)}{d}{row + 1}"


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _text_width(text: str) -> int:
    """Display width in Excel column units: CJK (and ambiguous) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def _lines(text: str, width: float) -> int:
    usable = max(width - 1.5, 2)
    return sum(max(1, math.ceil(_text_width(part) / usable)) for part in text.split("\n"))


# --------------------------------------------------------------------------------------------
# The plan: every cell of every sheet, as data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    r1: int
    c1: int
    r2: int
    c2: int
    role: str  # title | heading | block | header | group | label | note | text | hint | stamp | input | formula | check
    text: str | None = None
    path: Path | None = None
    formula: str | None = None
    # ("left"|"right"|"diff"|"ok", identity index); ("typed"|"counted", path), ("period", 0|1) or
    # ("records", register key)
    # for the register blocks of 校验: what the formula computes to, for its stored result
    check: tuple[str, Any] | None = None


@dataclass
class _Sheet:
    name: str
    cells: list[_Cell] = field(default_factory=list)
    widths: dict[int, float] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    landscape: bool = False
    repeat: tuple[int, int] | None = None
    alerts: list[tuple[str, str]] = field(default_factory=list)  # (multi_range, CF formula)
    chart: tuple[int, int, int] | None = None  # (anchor row, labels row, values row) for categories
    chart_cols: tuple[int, int] = (0, 0)
    chart_title: str = ""
    register: form.Register | None = None  # a register's sheet, rendered by _render_register
    breaks: list[int] = field(default_factory=list)  # rows a printed page starts at

    def add(self, r1: int, c1: int, role: str, text: str | None = None, *, r2: int | None = None,
            c2: int | None = None, **kw: Any) -> _Cell:
        cell = _Cell(r1, c1, r1 if r2 is None else r2, c1 if c2 is None else c2, role, text, **kw)
        self.cells.append(cell)
        return cell

    def fit_heights(self) -> None:
        """Row heights from wrapped text (Excel does not autofit merged cells)."""
        need: dict[int, float] = {}
        for cell in self.cells:
            if cell.text is None or cell.r1 != cell.r2:
                continue
            width = sum(self.widths.get(c, 9) for c in range(cell.c1, cell.c2 + 1))
            size = {"title": 16, "heading": 12}.get(cell.role, FONT_SIZE)
            height = _lines(cell.text, width * FONT_SIZE / size) * LINE_HEIGHT * size / FONT_SIZE + 5
            need[cell.r1] = max(need.get(cell.r1, 0), height)
        for cell in self.cells:
            if cell.role in ("input", "formula", "check", "label", "header") and cell.r1 == cell.r2:
                need[cell.r1] = max(need.get(cell.r1, 0), 20)
        for row, height in need.items():
            self.heights[row] = max(self.heights.get(row, 0), round(height * 4) / 4)


def _spans(chains: Sequence[tuple[str, ...]], depth: int) -> list[tuple[int, int, int, int, str]]:
    """Merged header cells from label chains: ``(level_first, level_last, pos_first, pos_last, text)``.

    A chain's last element is its own label and reaches down to the last level; earlier elements
    are group labels, merged across neighbouring positions that share the same prefix.
    """
    out = []
    for level in range(depth):
        pos = 0
        while pos < len(chains):
            chain = chains[pos]
            if level >= len(chain):
                pos += 1
                continue
            end = pos
            if level == len(chain) - 1:
                while end + 1 < len(chains) and chains[end + 1] == chain:
                    end += 1
                out.append((level, depth - 1, pos, end, chain[level]))
            else:
                while (end + 1 < len(chains) and len(chains[end + 1]) > level + 1
                       and chains[end + 1][: level + 1] == chain[: level + 1]):
                    end += 1
                out.append((level, level, pos, end, chain[level]))
            pos = end + 1
    return out


def _leaf_role(path: Path) -> str:
    return "formula" if form.LEAF_BY_PATH[path].computed else "input"


def _grid_rows(sheet: _Sheet, part: form.Part, grid: form.Grid, top: int, width: int,
               corner: str, positions: dict[Path, tuple[int, int]]) -> int:
    """A grid with row labels on the left and a header tree above (tables 二 and 三).

    ``width`` is the number of sheet columns for the numbers; a one-column grid stretches over
    them (as 本年处理决定数量 does in the official table 二).  Returns the next free row.
    """
    row_chains = [r.group + (r.label,) for r in grid.rows]
    col_chains = [c.group + (c.label,) for c in grid.columns]
    label_cols = max(len(c) for c in row_chains)
    header_rows = max(len(c) for c in col_chains)
    span = width // len(grid.columns) if width % len(grid.columns) == 0 else 1
    data_top, data_left = top + header_rows, label_cols

    sheet.add(top, 0, "note" if "\n" in corner or len(corner) > 8 else "header", corner,
              r2=data_top - 1, c2=label_cols - 1)
    for l1, l2, p1, p2, text in _spans(col_chains, header_rows):
        sheet.add(top + l1, data_left + p1 * span, "header", text, r2=top + l2, c2=data_left + (p2 + 1) * span - 1)
    for l1, l2, p1, p2, text in _spans(row_chains, label_cols):
        role = "label" if l2 == label_cols - 1 else "group"
        sheet.add(data_top + p1, l1, role, text, r2=data_top + p2, c2=l2)
    for path, row, column in grid.paths(part.key):
        r = data_top + grid.rows.index(row)
        c = data_left + grid.columns.index(column) * span
        sheet.add(r, c, _leaf_role(path), r2=r, c2=c + span - 1, path=path)
        positions[path] = (r, c)
    return data_top + len(grid.rows)


def _grid_columns(sheet: _Sheet, part: form.Part, grid: form.Grid, top: int,
                  positions: dict[Path, tuple[int, int]]) -> int:
    """A grid laid out as one row of numbers under a header tree (table 四): each grid row is a
    group of columns, headed by its own label chain, its columns' labels underneath."""
    chains = [r.group + (r.label,) for r in grid.rows for _ in grid.columns]
    depth = max(len(c) for c in chains)
    for l1, l2, p1, p2, text in _spans(chains, depth):
        sheet.add(top + l1, p1, "header", text, r2=top + l2, c2=p2)
    label_row, value_row = top + depth, top + depth + 1
    for i, (path, row, column) in enumerate(grid.paths(part.key)):
        sheet.add(label_row, i, "header", column.label)
        sheet.add(value_row, i, _leaf_role(path), path=path)
        positions[path] = (value_row, i)
    sheet.heights[value_row] = 26
    return value_row + 1


def _fields_vertical(sheet: _Sheet, part: form.Part, top: int, positions: dict[Path, tuple[int, int]],
                     *, heading: bool = True) -> int:
    if heading:
        sheet.add(top, 0, "heading", part.heading, c2=1)
    else:
        top -= 1
    for i, f in enumerate(part.fields):
        r = top + 1 + i
        sheet.add(r, 0, "label", f.label)
        path = (part.key, f.key)
        sheet.add(r, 1, _leaf_role(path), path=path)
        positions[path] = (r, 1)
    return top + 1 + len(part.fields)


def _fields_across(sheet: _Sheet, part: form.Part, top: int, positions: dict[Path, tuple[int, int]]) -> int:
    """Labels across one row, values under them — the layout of the seed's attachment."""
    for i, f in enumerate(part.fields):
        sheet.add(top, i, "header", f.label)
        path = (part.key, f.key)
        sheet.add(top + 1, i, _leaf_role(path), path=path)
        positions[path] = (top + 1, i)
    return top + 2


PROSE_HEIGHT = 240  # points: about 14 wrapped lines of an empty input cell
PROSE_ROW_MAX = 409  # Excel's tallest row; a longer text scrolls in the formula bar


def _plan_prose(sheet: _Sheet, part: form.Part, positions: dict[Path, tuple[int, int]]) -> None:
    """Labels down column A, one large wrapped input cell each in column B, its hint under it."""
    sheet.add(0, 0, "title", part.heading, c2=1)
    sheet.add(2, 0, "text", f"以下各项是对外公布的年度报告的正文，按“{form.SECTIONS[0].heading}”等各部分分别填写"
              "（不写各部分的标题），格内换行（Excel 按 Alt+Enter，WPS 同）即分段；各表格由 xlsreport render "
              f"根据其他工作表的数字自动生成，无需在此重复。每格最多{PROSE_MAX}个字符。", c2=1)
    sheet.widths.update({0: 16, 1: 92})
    r = 4
    for f in part.fields:
        path = (part.key, f.key)
        sheet.add(r, 0, "label", f.label)
        sheet.add(r, 1, _leaf_role(path), path=path)
        sheet.heights[r] = PROSE_HEIGHT
        positions[path] = (r, 1)
        if f.hint:
            sheet.add(r + 1, 1, "hint", f.hint)
        r += 3


def _plan_part_sheet(name: str, positions: dict[Path, CellRef]) -> _Sheet:
    sheet = _Sheet(name)
    local: dict[Path, tuple[int, int]] = {}
    parts = [p for p in form.PARTS if p.sheet == name]
    if parts[0].layout == "prose":
        _plan_prose(sheet, parts[0], local)
    elif parts[0].layout == "across":
        part = parts[0]
        n = len(part.fields)
        sheet.add(0, 0, "title", part.heading, c2=n - 1)
        _fields_across(sheet, part, 2, local)
        for i, f in enumerate(part.fields):
            sheet.widths[i] = max(10, _text_width(f.label) + 4)
        others = [f for f in part.fields if not f.computed]
        if part.chart:
            sheet.chart = (5, 2, 3)
            sheet.chart_cols = (0, len(others) - 1)
            sheet.chart_title = part.chart
        sheet.repeat = (0, 2)
    elif all(p.grids == () for p in parts):
        title = parts[0].heading if len(parts) == 1 else name
        sheet.add(0, 0, "title", title, c2=1)
        r = 2
        for part in parts:
            r = _fields_vertical(sheet, part, r, local, heading=part.heading != title) + 1
        sheet.widths[0] = min(max(_text_width(f.label) for p in parts for f in p.fields) + 3, 30)
        sheet.widths[1] = 44
    else:
        (part,) = parts
        grids = part.grids
        if part.layout == "side_by_side":  # printed as one row of three column groups
            grid = grids[0]
            ncols = len(grid.rows) * len(grid.columns)
            sheet.add(0, 0, "title", part.heading, c2=ncols - 1)
            end = _grid_columns(sheet, part, grid, 2, local)
            for c in range(ncols):
                sheet.widths[c] = 9.5
            sheet.landscape = True
            sheet.repeat = (0, end - 2)
        else:
            width = max(len(g.columns) for g in grids)
            labels_depth = max(len(r.group) + 1 for g in grids for r in g.rows)
            r = 2
            header_end = None
            for grid in grids:
                block = len(grids) > 1
                if block:
                    sheet.add(r, 0, "block", grid.heading, c2=labels_depth + width - 1)
                    r += 1
                corner = grid.row_header or part.note
                start = r
                r = _grid_rows(sheet, part, grid, r, width, corner, local)
                if header_end is None:
                    header_end = start + max(len(c.group) + 1 for c in grid.columns) - 1
            sheet.add(0, 0, "title", part.heading, c2=labels_depth + width - 1)
            if labels_depth == 1:
                sheet.widths[0] = max(_text_width(row.label) for g in grids for row in g.rows) + 4
                for c in range(1, width + 1):
                    sheet.widths[c] = 16
            else:
                # Group columns stay narrow (their text wraps down the merged block); the last
                # label column takes the long official wording.
                for c in range(labels_depth - 1):
                    sheet.widths[c] = 6 if c == 0 else 9
                longest = max(_text_width(row.label) for g in grids for row in g.rows if row.group)
                sheet.widths[labels_depth - 1] = min(longest + 2, 40)
                for c in range(labels_depth, labels_depth + width):
                    sheet.widths[c] = 9.5
                sheet.repeat = (0, header_end)
            if len(grids) > 1:
                sheet.repeat = None
    sheet.heights[1] = 8
    for path, (r, c) in local.items():
        positions[path] = CellRef(name, r, c, _a1(r, c))
    return sheet


def _ranges(refs: Iterable[CellRef], *, absolute: bool, sheet_prefix: bool) -> list[str]:
    """Compress cells into contiguous column or row runs: ``D8:D28`` rather than 21 references."""
    by_sheet: dict[str, list[CellRef]] = {}
    for ref in refs:
        by_sheet.setdefault(ref.sheet, []).append(ref)
    out: list[str] = []
    for sheet, cells in by_sheet.items():
        prefix = _quote(sheet) + "!" if sheet_prefix else ""
        points = {(c.row, c.col) for c in cells}
        used: set[tuple[int, int]] = set()
        runs: list[tuple[int, int, int, int]] = []
        for row, col in sorted(points, key=lambda p: (p[1], p[0])):
            if (row, col) in used:
                continue
            end = row
            while (end + 1, col) in points and (end + 1, col) not in used:
                end += 1
            if end > row:
                runs.append((row, col, end, col))
                used.update((r, col) for r in range(row, end + 1))
        for row, col in sorted(points - used):
            if (row, col) in used:
                continue
            end = col
            while (row, end + 1) in points and (row, end + 1) not in used:
                end += 1
            runs.append((row, col, row, end))
            used.update((row, c) for c in range(col, end + 1))
        for r1, c1, r2, c2 in sorted(runs):
            a = _a1(r1, c1, absolute)
            out.append(prefix + (a if (r1, c1) == (r2, c2) else f"{a}:{_a1(r2, c2, absolute)}"))
    return out


def _sum(refs: Sequence[CellRef], home: str, *, absolute: bool = False) -> str:
    cross = any(r.sheet != home for r in refs)
    return "SUM(" + ",".join(_ranges(refs, absolute=absolute, sheet_prefix=cross)) + ")"


def _sources() -> dict[Path, tuple[Path, ...]]:
    """For each computed value, the values its formula adds up."""
    return dict(form.TOTAL_SOURCES)


def _plan_instructions() -> _Sheet:
    sheet = _Sheet(form.SHEET_INSTRUCTIONS)
    sheet.widths.update({0: 8, 1: 16, 2: 80})
    sheet.add(0, 0, "title", f"{form.FORM_TITLE}　填报模板", c2=2)
    sheet.add(2, 0, "stamp", "表式标识", c2=1)
    sheet.add(2, 2, "stamp", form.FORM_ID)
    sheet.add(3, 0, "stamp", "模板版本", c2=1)
    sheet.add(3, 2, "stamp", TEMPLATE_VERSION)
    sheet.add(4, 0, "stamp", "依据", c2=1)
    sheet.add(4, 2, "stamp", form.FORM_BASIS)
    input_sheets = "、".join(f"“{s}”" for s in dict.fromkeys(p.sheet for p in form.PARTS))
    steps = [
        f"本模板按{form.FORM_BASIS}制作，统计期限为报告年度1月1日至12月31日。",
        f"请依次填写{input_sheets}各工作表。",
        f"浅黄色单元格是填报项，请直接输入；其余单元格（标签、灰色的{'和'.join(reversed(form.TOTAL_WORDS))}）已锁定。",
        "".join(f"“{word}”" for word in form.TOTAL_WORDS) + "由公式自动计算，无需填写。",
        "件数填不小于0的整数；金额填不小于0的数字（"
        + "，".join(f"{what}以{unit}为单位" for what, unit in form.MONEY_UNITS)
        + "）。没有发生的请填0，不要填“/”“无”“—”等文字。",
        f"报告年度填{YEAR_MIN}—{YEAR_MAX}之间的四位数字；填报日期填日期，如2025-01-20。",
        f"“{form.LEDGER.sheet}”“{form.PUBLISHED.sheet}”可选：全年逐件登记收到的申请、逐条登记发布的信息（日期填日期，"
        "类型、结果、类别从下拉列表中选择）；“校验”工作表下方按报告年度统计它们，与表三、信息处理费、分类所填逐格对照，"
        "不一致的标红。",
        f"“{form.NARRATIVE.sheet}”是对外公布的年度报告的正文，可选：填写后 xlsreport render 可生成完整的年度报告（Word 或网页）。",
        "工作表保护未设密码，仅为防止误改公式；请勿改动表格结构和标签文字，否则汇总程序可能无法读取。",
        f"填完后请查看“{form.SHEET_CHECKS}”工作表：每条规则显示✓为通过，✗为不通过，"
        "不通过时相关单元格标红，请核对后再报送。",
    ]
    sheet.add(6, 0, "heading", "填报步骤", c2=2)
    r = 7
    for i, step in enumerate(steps, 1):
        sheet.add(r, 0, "text", f"{i}.")
        sheet.add(r, 1, "text", step, c2=2)
        r += 1
    r += 1
    sheet.add(r, 0, "heading", f"校验规则（“{form.SHEET_CHECKS}”工作表逐条检查）", c2=2)
    r += 1
    sheet.add(r, 0, "header", "序号")
    sheet.add(r, 1, "header", "规则代码")
    sheet.add(r, 2, "header", "内容")
    for i, identity in enumerate(form.IDENTITIES, 1):
        r += 1
        sheet.add(r, 0, "label", str(i))
        sheet.add(r, 1, "label", identity.rule)
        sheet.add(r, 2, "label", identity.title)
    sheet.heights[1] = 8
    return sheet


_STAMP_FORM = (2, 2)
_STAMP_VERSION = (3, 2)
_CHECK_HEADERS = ("序号", "规则代码", "校验内容", "左边之和", "右边之和", "差额", "结果")


_IN_FORCE_TOP = 3 + len(form.IDENTITIES) + 1  # 校验's cross-year block: its heading row, then a row per in-force row
_IN_FORCE_ROWS = 1 + len(form.grid_of(form.PROACTIVE, form.RULES_ROW).rows)


def _plan_checks(positions: dict[Path, CellRef]) -> _Sheet:
    sheet = _Sheet(form.SHEET_CHECKS)
    name = sheet.name
    ncol = len(_CHECK_HEADERS)
    sheet.add(0, 0, "title", f"{name}（✓ 通过，✗ 不通过）", c2=ncol - 1)
    for c, text in enumerate(_CHECK_HEADERS):
        sheet.add(2, c, "header", text)
    sheet.widths.update({0: 6, 1: 14, 2: 60, 3: 10, 4: 10, 5: 8, 6: 7})
    first = 3
    for i, identity in enumerate(form.IDENTITIES):
        r = first + i
        left = [positions[p] for p in identity.left]
        right = [positions[p] for p in identity.right]
        sheet.add(r, 0, "label", str(i + 1))
        sheet.add(r, 1, "label", identity.rule)
        sheet.add(r, 2, "label", identity.title)
        d, e, f = _a1(r, 3), _a1(r, 4), _a1(r, 5)
        sheet.add(r, 3, "check", formula="=" + _sum(left, name), check=("left", i))
        sheet.add(r, 4, "check", formula="=" + _sum(right, name), check=("right", i))
        sheet.add(r, 5, "check", formula=f"={d}-{e}", check=("diff", i))
        sheet.add(r, 6, "check", formula=f'=IF(ROUND({f},6)=0,"✓","✗")', check=("ok", i))
    last = first + len(form.IDENTITIES) - 1
    sheet.alerts.append((f"A{first + 1}:{column_letters(ncol - 1)}{last + 1}", f'=${column_letters(ncol - 1)}{first + 1}="✗"'))
    # rows kept under the identities for the cross-year block of a template sent out with last
    # year's figures (_render_in_force), then the register blocks on pages of their own
    after = last + 2 + _IN_FORCE_ROWS + 1
    sheet.breaks.append(after)
    r = _plan_ledger_block(sheet, positions, after)
    sheet.breaks.append(r + 1)
    _plan_published_block(sheet, positions, r + 1)
    sheet.repeat = (0, 2)
    sheet.heights[1] = 8
    sheet.landscape = True
    return sheet


# --------------------------------------------------------------------------------------------
# Registers: their sheets, and their counts beside the form's cells on 校验
# --------------------------------------------------------------------------------------------

REGISTER_HEADER_ROW = 0  # the header row of a register's sheet; its records start on the next


def register_range(register: form.Register, key: str) -> str:
    """A register column's bounded range, as other sheets refer to it: '依申请公开台账'!$B$2:$B$5001
    (never a whole column: the template stays light in every spreadsheet program)."""
    col = column_letters([c.key for c in register.columns].index(key))
    first, last = REGISTER_HEADER_ROW + 2, REGISTER_HEADER_ROW + 1 + register.capacity
    return f"{_quote(register.sheet)}!${col}${first}:${col}${last}"


def _list_column(register: form.Register, key: str) -> int:
    """The hidden column of the register's sheet that holds the drop-down list of column ``key``."""
    lists = [c.key for c in register.columns if c.choices]
    return len(register.columns) + 1 + lists.index(key)


def register_choice_cell(register: form.Register, key: str, choice: str) -> str:
    """The cell of the hidden list holding one choice's wording (a COUNTIFS criterion refers to
    it rather than repeating the wording in every formula)."""
    keys = [k for k, _ in register.column(key).choices]
    row = REGISTER_HEADER_ROW + 1 + keys.index(choice)
    return f"{_quote(register.sheet)}!{_a1(row, _list_column(register, key), absolute=True)}"


def _period(sheet: _Sheet, positions: dict[Path, CellRef], row: int, label: str,
            register: form.Register) -> tuple[str, str, str]:
    """The report year's first and last day, from 基本信息's 报告年度 (a live formula), and how
    many cells the register fills (its block marks nothing red while the register is empty: a
    unit that keeps no register — or whose template came with last year's carry-over — is not
    shown differences it has no reason to look at)."""
    year = positions[form.UNIT_YEAR]
    ref = f"{_quote(year.sheet)}!{_a1(year.row, year.col, absolute=True)}"
    sheet.add(row, 0, "label", label, c2=2)
    sheet.add(row, 3, "check", formula=f"=IFERROR(DATE({ref},1,1),0)", check=("period", 0))
    sheet.add(row, 4, "check", formula=f"=IFERROR(DATE({ref},12,31),0)", check=("period", 1))
    first, last = REGISTER_HEADER_ROW + 2, REGISTER_HEADER_ROW + 1 + register.capacity
    area = f"{_quote(register.sheet)}!$A${first}:${column_letters(len(register.columns) - 1)}${last}"
    sheet.add(row, 5, "label", "已填记录的格数")
    sheet.add(row, 6, "check", formula=f"=COUNTA({area})", check=("records", register.key))
    return _a1(row, 3, absolute=True), _a1(row, 4, absolute=True), _a1(row, 6, absolute=True)


def _typed(sheet: _Sheet, positions: dict[Path, CellRef], row: int, col: int, path: Path) -> str:
    ref = positions[path]
    sheet.add(row, col, "check", formula=f"={_quote(ref.sheet)}!{ref.a1}", check=("typed", path))
    return _a1(row, col)


def _plan_ledger_block(sheet: _Sheet, positions: dict[Path, CellRef], top: int) -> int:
    """Table 三 and the fees as the ledger counts them, beside what the form holds, cell by cell:
    COUNTIFS and SUMIFS over bounded ranges (functions Excel, WPS and LibreOffice share), each
    pair red when they differ.  Returns the next free row."""
    ledger = form.LEDGER
    grid = form.APPLICATIONS.grids[0]
    rng = {c.key: register_range(ledger, c.key) for c in ledger.columns}
    received, answered = rng[form.LEDGER_RECEIVED], rng[form.LEDGER_ANSWERED]
    applicant, outcome = rng[form.LEDGER_APPLICANT], rng[form.LEDGER_OUTCOME]
    last_col = 2 + 2 * len(grid.columns)
    sheet.add(top, 0, "block", f"“{ledger.sheet}”核对：台账中的记录按日期统计的件数（“台账”）与表三、信息处理费所填（“表中”）"
              "逐格对照，不一致的标红（台账没有记录时不标）。", c2=last_col)
    start, end, records = _period(sheet, positions, top + 1, "统计期间（报告年度1月1日至12月31日）", ledger)
    head = top + 2
    sheet.add(head, 0, "header", "表三栏目", r2=head + 1, c2=2)
    for j, column in enumerate(grid.columns):
        c = 3 + 2 * j
        sheet.add(head, c, "header", column.label, c2=c + 1)
        sheet.add(head + 1, c, "header", "表中")
        sheet.add(head + 1, c + 1, "header", "台账")
    first = head + 2
    for i, row in enumerate(grid.rows):
        r = first + i
        sheet.add(r, 0, "label", form.LEAF_BY_PATH[(form.APPLICATIONS.key, row.key, grid.columns[0].key)].row_label, c2=2)
        for j, column in enumerate(grid.columns):
            c = 3 + 2 * j
            path = (form.APPLICATIONS.key, row.key, column.key)
            _typed(sheet, positions, r, c, path)
            if column.computed or row.computed:
                if column.computed:
                    cells = [_a1(r, 4 + 2 * k) for k, other in enumerate(grid.columns) if not other.computed]
                else:
                    members = [k for k, other in enumerate(grid.rows) if other.group[:1] == row.group[:1] and not other.computed]
                    cells = [_a1(first + k, c + 1) for k in members]
                formula = f"=SUM({','.join(cells)})"
            else:
                who = f"{applicant},{register_choice_cell(ledger, form.LEDGER_APPLICANT, column.key)}"
                if row.key == form.LEDGER_NEW_ROW:
                    formula = f'=COUNTIFS({received},">="&{start},{received},"<="&{end},{who})'
                elif row.key == form.CARRIED_OVER_ROW:
                    formula = (f'=COUNTIFS({received},"<"&{start},{who},{answered},"")'
                               f'+COUNTIFS({received},"<"&{start},{who},{answered},">="&{start})')
                elif row.key == form.CARRIED_FORWARD_ROW:
                    formula = (f'=COUNTIFS({received},"<="&{end},{who},{answered},"")'
                               f'+COUNTIFS({received},"<="&{end},{who},{answered},">"&{end})')
                else:
                    what = register_choice_cell(ledger, form.LEDGER_OUTCOME, row.key)
                    formula = f'=COUNTIFS({answered},">="&{start},{answered},"<="&{end},{who},{outcome},{what})'
            sheet.add(r, c + 1, "check", formula=formula, check=("counted", path))
    r = first + len(grid.rows)
    for path, key in form.LEDGER_FEES:
        sheet.add(r, 0, "label", f"信息处理费：{form.LEAF_BY_PATH[path].label}", c2=2)
        _typed(sheet, positions, r, 3, path)
        in_year = f'{answered},">="&{start},{answered},"<="&{end}'
        if key == form.LEDGER_FEE_NOTICE:
            formula = f'=COUNTIFS({in_year},{rng[key]},"{form.YES}")'
        else:
            formula = f"=SUMIFS({rng[key]},{in_year})"
        sheet.add(r, 4, "check", formula=formula, check=("counted", path))
        r += 1
    for j in range(len(grid.columns)):
        a, b = column_letters(3 + 2 * j), column_letters(4 + 2 * j)
        sheet.alerts.append((f"{a}{first + 1}:{b}{first + len(grid.rows)}", f"=AND({records}>0,ROUND(${a}{first + 1}-${b}{first + 1},6)<>0)"))
    sheet.alerts.append((f"D{first + len(grid.rows) + 1}:E{r}",
                         f"=AND({records}>0,ROUND($D{first + len(grid.rows) + 1}-$E{first + len(grid.rows) + 1},6)<>0)"))
    for c in range(7, last_col + 1):
        sheet.widths.setdefault(c, 7)
    return r


def _plan_published_block(sheet: _Sheet, positions: dict[Path, CellRef], top: int) -> int:
    """The categories as the list of published items counts them (items published in the report
    year, or without a date), beside the 主动公开分类 sheet's numbers."""
    listed = form.PUBLISHED
    category, when = register_range(listed, form.PUBLISHED_CATEGORY), register_range(listed, form.PUBLISHED_DATE)
    sheet.add(top, 0, "block", f"“{listed.sheet}”核对：清单中按类别统计的条数（“清单”）与“{form.CATEGORIES.sheet}”所填"
              "（“表中”）对照，不一致的标红（清单没有记录时不标）。", c2=6)
    start, end, records = _period(sheet, positions, top + 1, "统计期间（报告年度1月1日至12月31日）", listed)
    head = top + 2
    sheet.add(head, 0, "header", "类别", c2=2)
    sheet.add(head, 3, "header", "表中")
    sheet.add(head, 4, "header", "清单")
    first = head + 1
    for i, (key, label) in enumerate(listed.column(form.PUBLISHED_CATEGORY).choices):
        r = first + i
        path = (form.CATEGORIES.key, key)
        sheet.add(r, 0, "label", label, c2=2)
        _typed(sheet, positions, r, 3, path)
        what = f"{category},{register_choice_cell(listed, form.PUBLISHED_CATEGORY, key)}"
        sheet.add(r, 4, "check", check=("counted", path),
                  formula=f'=COUNTIFS({what},{when},">="&{start},{when},"<="&{end})+COUNTIFS({what},{when},"")')
    last = first + len(listed.column(form.PUBLISHED_CATEGORY).choices)
    sheet.alerts.append((f"D{first + 1}:E{last}", f"=AND({records}>0,ROUND($D{first + 1}-$E{first + 1},6)<>0)"))
    return last


@lru_cache(maxsize=1)
def _plan() -> tuple[tuple[_Sheet, ...], dict[Path, CellRef]]:
    positions: dict[Path, CellRef] = {}
    part_sheets = {name: _plan_part_sheet(name, positions)
                   for name in dict.fromkeys(part.sheet for part in form.PARTS)}
    # Formulas of computed values, and the red alert of every identity on its own sheet.
    for sheet in part_sheets.values():
        sheet.cells = [
            _Cell(c.r1, c.c1, c.r2, c.c2, c.role, c.text, c.path,
                  "=" + _sum([positions[p] for p in _sources()[c.path]], sheet.name))
            if c.role == "formula" else c
            for c in sheet.cells
        ]
    for identity in form.IDENTITIES:
        refs = [positions[p] for p in identity.left + identity.right]
        home = refs[0].sheet
        if any(r.sheet != home for r in refs):
            continue  # conditional formats cannot portably reach other sheets; 校验 still shows it
        left = _sum([positions[p] for p in identity.left], home, absolute=True)
        right = _sum([positions[p] for p in identity.right], home, absolute=True)
        multi = " ".join(_ranges(refs, absolute=False, sheet_prefix=False))
        part_sheets[home].alerts.append((multi, f"=ROUND({left}-{right},6)<>0"))
    registers = {register.sheet: _Sheet(register.sheet, register=register) for register in form.REGISTERS}
    ordered = [part_sheets.get(name) or registers[name] for name in form.SHEETS[1:-1]]
    sheets = [_plan_instructions(), *ordered, _plan_checks(positions)]
    for sheet in sheets:
        sheet.fit_heights()
    missing = [leaf.path for leaf in form.LEAVES if leaf.path not in positions]
    assert not missing, f"form leaves without a cell: {missing}"
    return tuple(sheets), positions


def sheet_plan(name: str) -> _Sheet:
    """The planned cells of one sheet: the same table geometry for writers that print the form
    elsewhere (the published report)."""
    return next(sheet for sheet in _plan()[0] if sheet.name == name)


def layout() -> dict[Path, CellRef]:
    """For every leaf path of ``form.LEAVES``, the cell of the generated workbook that holds it.

    Pure (no file is written); the merger and the annotator use it to find values in a workbook
    that this module wrote.
    """
    return dict(_plan()[1])


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
