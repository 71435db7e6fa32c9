"""The published report against the workbook the county checked and summed (issue #20).

Units publish their own reports on their sites; a number changed after the check, or retyped
wrongly into Word, makes the published figures disagree with the county's total.  Here a
published report (web page, Word, PDF, text) and a workbook of the same unit and year are
compared number by number: each difference is an error naming both values and both places
(``网页 第2个表格 第5行第3列`` against ``依申请公开!D8``); a different unit or year is said first.

Either report may come first; which one is the published one is what the reader found
(``Report.document``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from . import form
from .form import LEAF_BY_PATH, NUMERIC_LEAVES, TOTAL_SOURCES
from .model import Finding, Report, format_number, normalise_unit_name, printable
from .rules import PUBLISHED_DIFFERS

_SOURCES = dict(TOTAL_SOURCES)  # each total → the values it adds up
_AT = {leaf.path: i for i, leaf in enumerate(NUMERIC_LEAVES)}

# How a place in a file is introduced, by the file's suffix (a document's place alone,
# "第2个表格 第5行第3列", does not say which file it is in).
_KIND_WORDS = {".html": "网页", ".htm": "网页", ".docx": "Word 文件", ".pdf": "PDF", ".txt": "文本"}
_PLACES: dict[tuple, tuple] = {}  # one copy of each layout's places: workbooks of one template share it


@dataclass(frozen=True)
class Side:
    """What comparing needs of one report, small enough for a batch to keep for every file (a
    county's summary or merge keeps digests, not Reports, and reads each file once): who, which
    year, and per numeric value of the form (``form.NUMERIC_LEAVES``) the number it shows — a
    total as stated, else the sum of its items — and where it stands in the file."""

    file: str
    unit: str | None
    year: int | None
    document: bool
    parts: frozenset[str]
    shown: tuple[int | float | str | None, ...]  # None: not read from the file (or a total over a value that is no number); str: no number, as printed
    places: tuple[str | None, ...]
    unit_cells: tuple[str | None, str | None]  # where the unit's name and the year were read

    def number(self, path: form.Path) -> int | float | str | None:
        return self.shown[_AT[path]]

    def place(self, path: form.Path) -> str:
        where = self.places[_AT[path]] or f"（未找到：{LEAF_BY_PATH[path].full_label}）"
        return f"{self.kind} {where}" if self.document else where

    @property
    def kind(self) -> str:
        if not self.document:
            return "工作簿"
        return _KIND_WORDS.get(Path(self.file).suffix.lower(), "发布稿")


_PATHS = tuple(leaf.path for leaf in NUMERIC_LEAVES)
_INPUTS = tuple(i for i, leaf in enumerate(NUMERIC_LEAVES) if not leaf.computed)
_TOTALS = tuple((_AT[path], tuple(_AT[source] for source in sources)) for path, sources in TOTAL_SOURCES)
_NOT_STATED = frozenset({"blank", "placeholder", "invalid"})  # Report.stored_total's cells that state nothing


def side(report: Report) -> Side:
    """The comparable view of ``report`` (see :class:`Side`).  One pass over the form's numeric
    cells: every file of a summary or merge gets one (it runs beside the digest)."""
    get = report.values.get
    cells = [get(path) for path in _PATHS]
    shown: list[int | float | str | None] = [None] * len(cells)
    for i in _INPUTS:
        cell = cells[i]
        # a value that is no number (VALUE.INVALID: "999…9" printed, "约5件") is compared as printed:
        # it differs from any number ("已发布的报告为 0" said it counted as the 0 its own finding refuses)
        shown[i] = 0 if cell is None else _printed(cell) if cell.status == "invalid" else cell.number
    for i, sources in _TOTALS:  # the form's evaluation order: a total after its items
        cell = cells[i]
        if cell is not None and cell.status not in _NOT_STATED:
            shown[i] = cell.number
        else:
            items = [shown[j] for j in sources]
            shown[i] = sum(items) if all(isinstance(item, (int, float)) for item in items) else None  # type: ignore[arg-type]
    places = tuple([cell.cell if cell is not None else None for cell in cells])
    name, year = get(form.UNIT_NAME), get(form.UNIT_YEAR)
    return Side(
        file=report.file, unit=report.unit, year=report.year, document=report.document, parts=frozenset(report.parts),
        shown=tuple([value if cell is not None else None for value, cell in zip(shown, cells)]),
        places=_PLACES.setdefault(places, places),
        unit_cells=(name.cell if name is not None else None, year.cell if year is not None else None),
    )


def _label(path: form.Path) -> str:
    return LEAF_BY_PATH[path].full_label


def order(first: Side, second: Side) -> tuple[Side, Side]:
    """(published, submitted): the document first whatever the order given."""
    if second.document and not first.document:
        return second, first
    return first, second


def compare_reports(published: Report | Side, submitted: Report | Side) -> list[Finding]:
    """Every number of ``published`` that differs from ``submitted`` (errors), after the unit and
    the year when they differ.  Only the parts both hold are compared; a total whose items
    already differ is not said again."""
    published, submitted = order(*(r if isinstance(r, Side) else side(r) for r in (published, submitted)))
    out: list[Finding] = []
    common = dict(file=published.file, unit=published.unit, year=published.year)
    pub_file, sub_file = os.path.basename(published.file), os.path.basename(submitted.file)
    if normalise_unit_name(published.unit) != normalise_unit_name(submitted.unit):
        out.append(Finding.of("PUBLISHED.UNIT", cells=_present(published.unit_cells[0], submitted.unit_cells[0]), **common,
                              published=published.unit or "（未写明）", submitted=submitted.unit or "（未填写）",
                              pub_file=pub_file, sub_file=sub_file))
    if published.year != submitted.year:
        out.append(Finding.of("PUBLISHED.YEAR", cells=_present(published.unit_cells[1], submitted.unit_cells[1]), **common,
                              published=published.year or "（未写明）", submitted=submitted.year or "（未填写）",
                              pub_file=pub_file, sub_file=sub_file))
    both = published.parts & submitted.parts
    differing: set[form.Path] = set()
    for leaf in NUMERIC_LEAVES:
        path = leaf.path
        pub, sub = published.number(path), submitted.number(path)
        if leaf.part.key not in both or pub is None or sub is None:
            continue
        if leaf.computed and differing & set(_SOURCES[path]):
            differing.add(path)
            continue
        if pub == sub if isinstance(pub, str) or isinstance(sub, str) else abs(pub - sub) < 1e-6:
            continue
        differing.add(path)
        out.append(Finding.of("PUBLISHED.NUMBER", cells=_present(published.places[_AT[path]], submitted.places[_AT[path]]),
                              paths=(path,), **common,
                              label=_label(path), published=_said(pub), pub_where=published.place(path),
                              submitted=_said(sub), sub_where=submitted.place(path),
                              pub_file=pub_file, sub_file=sub_file))
    return out


def _printed(cell) -> str:
    """An invalid value as the file printed it (the reader's raw text)."""
    return printable(str(cell.raw if cell.raw is not None else cell.value)).strip()


def _said(value: int | float | str) -> str:
    return f"“{value}”" if isinstance(value, str) else format_number(value)


def _present(*cells: str | None) -> list[str]:
    return [cell for cell in cells if cell is not None]


def agreement(findings: Sequence[Finding]) -> int:
    """How many differences ``compare_reports`` found among ``findings`` (0: they agree)."""
    return sum(f.rule in PUBLISHED_DIFFERS for f in findings)


