"""The sheet model every producer fills and :mod:`locate` reads: a workbook's or a document's
sheets as plain cell values at their true coordinates, nothing form-specific."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Callable, Collection, Iterator, Union

from ..excel import cell_name
from .sniff import Sniffed

Value = Union[str, int, float, bool, _dt.date, _dt.datetime, _dt.time, _dt.timedelta]


@dataclass
class Sheet:
    """One sheet: its name, its position in the workbook, and its non-empty cells (0-based).

    ``namer`` names a cell as the user finds it in their file.  A workbook's sheets leave it
    unset (``Sheet1!E6``); a document's producer sets it, so that a finding says
    ``第3页 表2 第12行第4列`` or ``第128行`` (see :mod:`document`)."""

    name: str
    index: int
    cells: dict[tuple[int, int], Value] = field(default_factory=dict)
    namer: Callable[[int, int], str] | None = field(default=None, repr=False, compare=False)

    def get(self, row: int, col: int) -> Value | None:
        return self.cells.get((row, col))

    def address(self, row: int, col: int) -> str:
        if self.namer is not None:
            return self.namer(row, col)
        return cell_name(self.name, row, col)


@dataclass
class Workbook:
    """All sheets of one file, and what kind of file it was."""

    sheets: list[Sheet]
    kind: Sniffed
    unread: tuple[str, ...] = ()
    """Worksheets the caller chose not to read (see :func:`load`): measured, never loaded."""
    lines: tuple[tuple[str, str], ...] = ()
    """A document's running text outside its tables, line by line with where each line is
    (``("2024年政府信息公开工作年度报告", "第3行")``); empty for a workbook."""
    error_cells: dict[str, dict[tuple[int, int], str]] | None = None
    """xlsx/xlsm: the error cells (``t="e"``) of each loaded sheet, found in the bytes the extents
    pass already held (issue #10), waiting for :func:`restore_errors`; None when not scanned."""
    names: dict[str, str] = field(default_factory=dict)
    """xlsx/xlsm: the workbook's defined names, each with the reference it names
    (``{"xlsreport_merged": "'明细'!$A$2:$D$7"}``); empty for other formats."""

    def __iter__(self) -> Iterator[Sheet]:
        return iter(self.sheets)


Unread = Callable[[frozenset[str]], Collection[str]]
"""Given a workbook's defined names, the worksheets not worth reading (for :func:`load`)."""
