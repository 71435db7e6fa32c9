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
from pathlib import Path
from typing import Sequence

from . import form
from .form import LEAF_BY_PATH, NUMERIC_LEAVES, TOTAL_SOURCES
from .model import Finding, Report, format_number, normalise_unit_name

_SOURCES = dict(TOTAL_SOURCES)  # each total → the values it adds up

# How a place in a file is introduced, by the file's suffix (a document's place alone,
# "第2个表格 第5行第3列", does not say which file it is in).
_KIND_WORDS = {".html": "网页", ".htm": "网页", ".docx": "Word 文件", ".pdf": "PDF", ".txt": "文本"}


def _kind(report: Report) -> str:
    if not report.document:
        return "工作簿"
    return _KIND_WORDS.get(Path(report.file).suffix.lower(), "发布稿")


def _place(report: Report, path: form.Path) -> str:
    cell = report.values.get(path)
    where = cell.cell if cell is not None and cell.cell else f"（未找到：{LEAF_BY_PATH[path].full_label}）"
    return f"{_kind(report)} {where}" if report.document else where


def _shown(report: Report, path: form.Path) -> int | float:
    """The number the report shows: a total as stated (a blank total: the sum of its items)."""
    stated = report.stored_total(path) if LEAF_BY_PATH[path].computed else None
    if stated is not None:
        return stated
    if LEAF_BY_PATH[path].computed:
        return sum(_shown(report, source) for source in _SOURCES[path])
    return report.number(path)


def _label(path: form.Path) -> str:
    return LEAF_BY_PATH[path].full_label


def order(first: Report, second: Report) -> tuple[Report, Report]:
    """(published, submitted): the document first whatever the order given."""
    if second.document and not first.document:
        return second, first
    return first, second


def compare_reports(published: Report, submitted: Report) -> list[Finding]:
    """Every number of ``published`` that differs from ``submitted`` (errors), after the unit and
    the year when they differ.  Only the parts both hold are compared; a total whose items
    already differ is not said again."""
    published, submitted = order(published, submitted)
    out: list[Finding] = []
    common = dict(file=published.file, unit=published.unit, year=published.year)
    pub_file, sub_file = os.path.basename(published.file), os.path.basename(submitted.file)
    if normalise_unit_name(published.unit) != normalise_unit_name(submitted.unit):
        out.append(Finding.of("PUBLISHED.UNIT", cells=_cells(published, submitted, form.UNIT_NAME), **common,
                              published=published.unit or "（未写明）", submitted=submitted.unit or "（未填写）",
                              pub_file=pub_file, sub_file=sub_file))
    if published.year != submitted.year:
        out.append(Finding.of("PUBLISHED.YEAR", cells=_cells(published, submitted, form.UNIT_YEAR), **common,
                              published=published.year or "（未写明）", submitted=submitted.year or "（未填写）",
                              pub_file=pub_file, sub_file=sub_file))
    both = set(published.parts) & set(submitted.parts)
    differing: set[form.Path] = set()
    for leaf in NUMERIC_LEAVES:
        path = leaf.path
        if leaf.part.key not in both or path not in published.values or path not in submitted.values:
            continue
        if leaf.computed and differing & set(_SOURCES[path]):
            differing.add(path)
            continue
        pub, sub = _shown(published, path), _shown(submitted, path)
        if abs(pub - sub) < 1e-6:
            continue
        differing.add(path)
        out.append(Finding.of("PUBLISHED.NUMBER", cells=_cells(published, submitted, path), paths=(path,), **common,
                              label=_label(path), published=format_number(pub), pub_where=_place(published, path),
                              submitted=format_number(sub), sub_where=_place(submitted, path),
                              pub_file=pub_file, sub_file=sub_file))
    return out


def _cells(published: Report, submitted: Report, path: form.Path) -> Sequence[str | None]:
    cells = [report.values[path].cell for report in (published, submitted) if path in report.values]
    return cells


def agreement(findings: Sequence[Finding]) -> int:
    """How many differences ``compare_reports`` found among ``findings`` (0: they agree)."""
    return sum(f.rule in COMPARE_RULES for f in findings)


COMPARE_RULES = frozenset({"PUBLISHED.UNIT", "PUBLISHED.YEAR", "PUBLISHED.NUMBER"})
