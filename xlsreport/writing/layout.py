"""The fillable workbook's layout as plain data: every cell of every sheet, planned from the form
definition alone, before anything is rendered.

:func:`layout` says where each value of the form sits (for the reader of our own workbooks, the
merger and the annotator), :func:`sheet_plan` gives one sheet's planned cells (the published
report's tables take their geometry from it), and :mod:`xlsreport.writing.workbook` renders the
plan with xlsxwriter — so the plan and the file can never disagree.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, NamedTuple, Sequence

from .. import form
from ..dates import YEAR_MAX, YEAR_MIN
from ..excel import column_letters
from ..form import Path

TEMPLATE_VERSION = "1"
TEXT_MAX = 255
PROSE_MAX = 32767  # Excel's limit for the text of one cell: the narrative's long texts
FONT = "宋体"  # SimSun; charset 134 (GB2312) lets Excel/LibreOffice pick a CJK fallback when absent
FONT_SIZE = 11
LINE_HEIGHT = 14.5  # points per wrapped line at FONT_SIZE


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
