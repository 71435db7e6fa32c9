"""The publishable report as plain data: a :class:`Document` of titled paragraphs and tables.

:func:`build` makes it from the JSON shape of the form in the official order (form.SECTIONS);
the writers of :mod:`xlsreport.writing.outputs` turn it into docx or HTML, and the return
notices are Documents too.  The tables take their geometry (labels, merged header trees, spans)
from the workbook's plan of the same form, so the published tables match the workbook cell for
cell and no label is typed twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .. import form
from ..form import Path
from ..model import format_number

GROUP_MIN_WIDTH = 11  # in the template's column units

# Roles of the template's planned cells that belong to a table, and what the report makes of them.
_TABLE_ROLES = {"block": "head", "header": "head", "group": "group", "label": "label", "note": "note",
                "input": "number", "formula": "number"}
# A narrative paragraph printed as a second-level heading: "（一）主动公开情况" or a short line
# without closing punctuation ("主动公开情况", as the seed writes its sub-headings).
_SUBHEADING = re.compile(r"^(?:（[一二三四五六七八九十]+）[^。；：:]{0,24}|[^。；：:，,（(\d]{2,16})$")


@dataclass(frozen=True)
class Cell:
    """One cell of a published table: its top-left position, its span, what it shows."""

    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    role: Literal["head", "group", "label", "note", "number"]  # label: a row's own label (left-aligned)
    path: Path | None = None


@dataclass(frozen=True)
class Table:
    key: str
    cells: tuple[Cell, ...]
    rows: int
    cols: int
    header_rows: int  # rows repeated at the top of each page the table crosses
    widths: tuple[float, ...]  # relative column widths
    caption: str = ""

    def at(self, row: int, col: int) -> Cell | None:
        """The cell that covers (row, col), merged or not."""
        for cell in self.cells:
            if cell.row <= row < cell.row + cell.rowspan and cell.col <= col < cell.col + cell.colspan:
                return cell
        return None


@dataclass(frozen=True)
class Block:
    kind: Literal["title", "heading1", "heading2", "paragraph", "caption", "table"]
    text: str = ""
    table: Table | None = None
    # A paragraph set flush instead of indented: "left" (an addressee, 顶格), "right" (a sender's
    # name under a notice); the docx writer honours it (returns' notices).
    flush: Literal["", "left", "right"] = ""


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]


# --------------------------------------------------------------------------------------------
# The document as data
# --------------------------------------------------------------------------------------------


def _number(value) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return format_number(value)


def _plan_table(part: form.Part, data: dict, caption: str = "") -> Table:
    """A part's table from the template's plan of its sheet (title and prompts left out)."""
    from .layout import sheet_plan

    plan = sheet_plan(part.sheet)
    planned = [c for c in plan.cells if c.role in _TABLE_ROLES and (c.path is None or c.path[0] == part.key)]
    top = min(c.r1 for c in planned)
    left = min(c.c1 for c in planned)
    cells = []
    for c in planned:
        text = _number(form.get_path(data, c.path)) if c.path else (c.text or "")
        cells.append(Cell(c.r1 - top, c.c1 - left, c.r2 - c.r1 + 1, c.c2 - c.c1 + 1, text, _TABLE_ROLES[c.role], c.path))
    rows = max(c.row + c.rowspan for c in cells)
    cols = max(c.col + c.colspan for c in cells)
    header_rows = plan.repeat[1] - top + 1 if plan.repeat and plan.repeat[1] >= top else 0
    # Group label columns (（三）不予公开) a little wider than in the workbook: printed at a fixed
    # size they would otherwise wrap one character per line.
    group_cols = {c.col for c in cells if c.role == "group"}
    widths = tuple(max(plan.widths.get(left + i, 9), GROUP_MIN_WIDTH if i in group_cols else 0) for i in range(cols))
    return Table(part.key, tuple(sorted(cells, key=lambda c: (c.row, c.col))), rows, cols, header_rows, widths, caption)


def _fields_table(part: form.Part, data: dict, caption: str) -> Table:
    """Labels across one row, values under them (the fee notices, printed in section 六)."""
    cells = []
    for i, f in enumerate(part.fields):
        cells.append(Cell(0, i, 1, 1, f.label, "head"))
        cells.append(Cell(1, i, 1, 1, _number(form.get_path(data, (part.key, f.key))), "number", (part.key, f.key)))
    return Table(part.key, tuple(sorted(cells, key=lambda c: (c.row, c.col))), 2, len(part.fields), 1,
                 tuple(1.0 for _ in part.fields), caption)


def _filled(part: form.Part, data: dict) -> bool:
    """A part whose inputs are not all zero (an untouched categories sheet is left out)."""
    node = data.get(part.key)
    return isinstance(node, dict) and any(
        form.get_path(data, leaf.path) for leaf in form.INPUT_LEAVES if leaf.part is part
    )


def _paragraphs(text: str | None) -> list[Block]:
    blocks = []
    for line in (text or "").splitlines():
        line = line.strip()
        if line:
            blocks.append(Block("heading2" if _SUBHEADING.match(line) else "paragraph", line))
    return blocks


def build(data: dict) -> Document:
    """The report in the official order, from the JSON shape of the form (totals as given:
    pass ``Report.to_dict(recompute=True)`` or ``form.compute_totals(data)``)."""
    unit = data.get(form.UNIT.key) or {}
    title = form.REPORT_TITLE.format(name=unit.get("name") or "", year=unit.get("year") or "")
    texts = data.get(form.NARRATIVE.key) or {}
    blocks = [Block("title", title), *_paragraphs(texts.get(form.PREAMBLE_FIELD))]
    for section in form.SECTIONS:
        blocks.append(Block("heading1", section.heading))
        blocks.extend(_paragraphs(texts.get(section.narrative) if section.narrative else None))
        for key in section.parts:
            part = form.PART_BY_KEY[key]
            if data.get(key) is None:
                continue
            if part.grids:
                blocks.append(Block("table", table=_plan_table(part, data)))
            elif part.layout == "across":  # the categories: not an official table, shown when filled
                if _filled(part, data):
                    blocks.append(Block("caption", part.heading))
                    blocks.append(Block("table", table=_plan_table(part, data, part.heading)))
            else:  # the fee notices, as a small table under 六
                caption = part.heading.partition("：")[2] or part.heading
                blocks.append(Block("caption", caption))
                blocks.append(Block("table", table=_fields_table(part, data, caption)))
    return Document(title, tuple(blocks))
