"""Last year's reports (``--previous``): read once, and matched once to each of this year's files."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable, Sequence, Union

from .errors import XlsreportError, message
from .inputs import collect_inputs
from .model import Finding, Report, normalise_unit_name
from .rules import UNREADABLE

Previous = Union[Report, Sequence[Report], None]


@dataclass
class PreviousYear:
    """Last year's reports (``--previous``: files, folders, globs, workbooks and published
    reports alike), and the files among them that could not be read."""

    reports: list[Report] = field(default_factory=list)
    unreadable: list[Finding] = field(default_factory=list)  # each unreadable file's finding
    skipped: list[Finding] = field(default_factory=list)


def read_previous(given: Iterable[str | os.PathLike] | str | os.PathLike) -> PreviousYear:
    """Read last year's submissions, collected exactly as this year's (``collect_inputs``), each
    file once.  A file that cannot be read is listed, never fatal: the other units are still
    compared."""
    inputs = collect_inputs(given)
    out = PreviousYear(skipped=inputs.skipped_findings())
    for path in inputs.files:
        outcome = inputs.outcome(path)
        if isinstance(outcome, Report):
            out.reports.append(outcome)
        elif isinstance(outcome, XlsreportError):
            out.unreadable.append(Finding.unreadable(outcome.code, outcome.message, file=str(path)))
        elif isinstance(outcome, OSError):
            reason = message("UNREADABLE.CANNOT_OPEN", name=path, reason=outcome.strerror or outcome)
            out.unreadable.append(Finding.unreadable(UNREADABLE, reason, file=str(path)))
        else:  # a reader bug: the command's internal error, as before
            raise outcome
    return out


# Each of last year's names is compared with every file of this year: normalised once.
_name_key = lru_cache(maxsize=1 << 16)(normalise_unit_name)


_INDEX: list = [None, {}]  # [the sequence indexed, its index]: a batch matches every file against one


def _previous_by_name(previous: Sequence[Report]) -> dict[str, list[int]]:
    """Where last year's reports are, by normalised unit name, in their order: a dict lookup per
    file instead of a scan of all of last year's (a province's 3000 × 3000 was quadratic)."""
    if _INDEX[0] is previous:
        return _INDEX[1]
    index: dict[str, list[int]] = {}
    for i, p in enumerate(previous):
        if p.unit:
            index.setdefault(_name_key(p.unit), []).append(i)
    if isinstance(previous, tuple):  # kept only for what cannot change under it
        _INDEX[:] = [previous, index]
    return index


def preference(last: Report, year: int | None) -> tuple[bool, bool]:
    """How one of last year's reports of a unit ranks (lower first): the year before ``year``, then
    a workbook before a published report — of a unit with both, the workbook is what the county
    checked and summed (merge's MERGE.PUBLISHED), so last year's figures are taken from it."""
    return (year is None or last.year != year - 1, last.document)


def match_previous(report: Report, previous: Sequence[Report], single: bool) -> int | None:
    """Where in ``previous`` last year's report for this unit is: the one with the same name (the
    year before preferred); with one input and one previous report, that one (a renamed unit is
    still worth checking).  None when last year has no report of the unit.  Done once a file, by
    the check (``FileResult.previous``); summary's year-on-year changes take it from there."""
    if not previous:
        return None
    if single and len(previous) == 1:
        return 0
    if report.unit:
        same = _previous_by_name(previous).get(_name_key(report.unit), [])
        if same:
            return min(same, key=lambda i: preference(previous[i], report.year))  # the first of the best
        return None
    return 0 if len(previous) == 1 else None


def previous_reports(previous: Previous | PreviousYear) -> tuple[Report, ...]:
    if previous is None:
        return ()
    if isinstance(previous, Report):
        return (previous,)
    if isinstance(previous, PreviousYear):
        return tuple(previous.reports)
    return tuple(previous)
