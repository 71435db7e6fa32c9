"""The verdict on a checked batch: which files go into the sum, and why the others do not.

``assess`` decides in named steps (unreadable → blank → merged workbooks → wrong year →
duplicates → errors → roster); ``Assessment`` is the batch result that knows its exit code.
``summarize`` and ``merge`` both go through it, so they decide the same way.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from typing import Iterator, Sequence

from .dates import parse_date
from .errors import ExitCode, error, message
from .form import UNIT_YEAR, key_figures
from .model import ACCEPTED, STATUS_LABELS, Digest, FileResult, Finding, Report, Status, normalise_unit_name
from .roster import load_roster
from .rules import FAILED_READING, UNREADABLE, UNTOUCHED
from .sums import sum_reports


@dataclass
class UnitRow:
    """One submitted file as the county office sees it: who, which year, merged or why not."""

    file: str
    unit: str | None
    year: int | None
    status: Status
    errors: int = 0
    warnings: int = 0
    figures: dict[str, int | float | None] = field(default_factory=dict)
    ledger_rows: int = 0  # records of the file's application ledger (台账); merge says who kept one
    previous: int | None = None  # FileResult.previous: where last year's report of the unit is

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "year": self.year,
            "file": self.file,
            "status": self.status,
            "status_label": self.status_label,
            "errors": self.errors,
            "warnings": self.warnings,
            "figures": dict(self.figures),
        }


@dataclass
class Assessment:
    """The verdict on a batch of checked files; the common core of a summary and a merge."""

    rows: list[UnitRow]
    findings: list[Finding]  # the checker's findings, unreadable and skipped files, and the batch's own
    missing: list[str]  # roster names with no submission (for the year, when one is given)
    accepted: list[Digest]  # what goes into the sum
    unreadable: list[Finding] = field(default_factory=list)  # each unreadable file's finding (FileResult.failure)
    year: int | None = None
    skipped: list[Finding] = field(default_factory=list)  # files beside the reports that are not reports
    roster_given: bool = False  # False: nobody can be "missing" — no roster was given
    year_inferred: bool = False  # True: ``year`` is the year most files have (no --year given)
    # The checked files, one per row (a failing one with its Report when return packages are
    # asked for): what the return packages are made from, without reading a file again.
    results: Sequence[FileResult] = field(default_factory=list, repr=False)

    @property
    def complete(self) -> bool:
        """True when every input file went into the sum (a published report beside its unit's
        workbook is not summed, and leaves nothing out)."""
        return all(row.accepted or row.status == "published" for row in self.rows)

    def exit_code(self, *, complete: bool = False) -> ExitCode:
        """3 when a file could not be read.  A merge (``complete``): 1 when a file was left out,
        or summed with its errors (``--include-failing``: the county total holds numbers that do
        not add up).  A summary: 1 only when no file at all can be summed (``--year 2023`` on a
        2024 inbox) — a table of nothing is no summary — else 0, as it only tabulates."""
        if self.unreadable:
            return ExitCode.UNREADABLE
        if complete:
            flawed = not self.complete or any(row.status == "merged_with_errors" for row in self.rows)
            return ExitCode.CHECK_FAILED if flawed else ExitCode.OK
        return ExitCode.CHECK_FAILED if self.rows and not any(row.accepted for row in self.rows) else ExitCode.OK

    def totals(self) -> dict[str, int | float | None]:
        """The key figures of the accepted files added up (a part one file lacks counts as 0
        there); None ("—") for a figure no accepted file has: nothing was added, so no 0 is shown."""
        summed = key_figures(sum_reports(self.accepted))
        held = {key for row in self.rows if row.accepted for key, value in row.figures.items() if value is not None}
        return {key: value if key in held else None for key, value in summed.items()}

    def to_dict(self) -> dict:
        """What a summary and a merge both report: the rows, the gaps, the totals, the findings."""
        return {
            "units": [row.to_dict() for row in self.rows],
            "missing": list(self.missing),
            "unreadable": [f.to_dict() for f in self.unreadable],
            "skipped": [f.to_dict() for f in self.skipped],
            "totals": self.totals(),
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
        }

    def counts(self) -> dict:
        by_status = {status: sum(row.status == status for row in self.rows) for status in STATUS_LABELS}
        return {
            "files": len(self.rows),
            "accepted": sum(row.accepted for row in self.rows),
            "missing": len(self.missing),
            "skipped": len(self.skipped),
            **by_status,
        }


class OfAssessment:
    """What a summary and a merge both show of their ``assessment`` (they add their own facts)."""

    assessment: Assessment

    @property
    def rows(self) -> list[UnitRow]:
        return self.assessment.rows

    @property
    def findings(self) -> list[Finding]:
        return self.assessment.findings

    @property
    def missing(self) -> list[str]:
        return self.assessment.missing

    @property
    def complete(self) -> bool:
        return self.assessment.complete


def _digest(result: FileResult) -> Digest | None:
    """What the batch kept of a file: its digest (a compacted result) or its report's."""
    if result.digest is not None:
        return result.digest
    return result.report.digest() if result.report is not None else None


def submission_date(result: FileResult | Report | Digest) -> _dt.date | None:
    """The 填报日期 of a submission as a date (``dates.parse_date``); None if unusable."""
    source = _digest(result) if isinstance(result, FileResult) else result
    if isinstance(source, Report):
        source = source.digest()
    return parse_date(source.date) if source is not None else None


def _mtime(file: str) -> float:
    try:
        return os.stat(file).st_mtime
    except OSError:
        return 0.0


def unit_label(name: str | None) -> str:
    """How a message names a unit: 单位「…」, or says that the file does not name one."""
    return f"单位「{name}」" if name else "该文件（未填单位名称）"


def _count(findings: Sequence[Finding], severity: str) -> int:
    return sum(f.severity == severity for f in findings)


class _Batch:
    """The state ``assess`` builds up, step by step: a status and the batch's own findings per file."""

    def __init__(self, results: Sequence[FileResult]) -> None:
        self.results = results
        self.status: dict[int, Status] = {}
        self.own: dict[int, list[Finding]] = {i: list(r.findings) for i, r in enumerate(results)}
        self.batch: dict[int, list[Finding]] = {i: [] for i in range(len(results))}

    def open(self) -> Iterator[tuple[int, FileResult]]:
        """The files without a status yet."""
        return ((i, r) for i, r in enumerate(self.results) if i not in self.status)

    def finding(self, index: int, rule: str, **fields: object) -> Finding:
        r = self.results[index]
        found = Finding.of(rule, file=r.file, unit=r.unit, year=r.year, **fields)
        self.batch[index].append(found)
        return found


def _mark_unreadable(b: _Batch) -> None:
    for index, result in b.open():
        if not result.readable or _digest(result) is None:
            b.status[index] = "unreadable"
            if result.readable:  # neither a report nor why not (a result made elsewhere)
                b.own[index].append(Finding.unreadable(UNREADABLE, message("UNREADABLE.NOTHING_READ"), file=result.file))


def _mark_blank(b: _Batch) -> None:
    """A blank template (PLAUS.UNTOUCHED) is nobody's report: never summed, whatever the year."""
    for index, result in b.open():
        if any(f.rule == UNTOUCHED for f in result.findings):
            b.status[index] = "blank"
            b.finding(index, "MERGE.BLANK", name=result.file)


def _mark_merged_workbooks(b: _Batch) -> None:
    """A merged workbook (``Digest.summed_units``) beside reports of units it already holds is
    left out: adding it too would count those units twice (a county workbook saved in the inbox)."""
    names = {
        normalise_unit_name(r.unit): r.unit for i, r in enumerate(b.results) if b.status.get(i) is None and r.unit
    }
    for index, result in list(b.open()):
        digest = _digest(result)
        inside = [names[key] for key in dict.fromkeys(normalise_unit_name(u) for u in digest.summed_units) if key in names]
        if not inside:  # a merged workbook alone (a city merging counties) is summed like a report
            continue
        b.status[index] = "summed_twice"
        shown = "、".join(inside[:5]) + (f" 等 {len(inside)} 个单位" if len(inside) > 5 else "")
        b.finding(index, "MERGE.SUMMED_TWICE", name=result.file, unit_label=unit_label(result.unit), units=shown)


def batch_year(results: Sequence[FileResult], year: int | None = None) -> tuple[int | None, bool]:
    """The year a batch is summed for, and whether it was inferred: ``year`` when given, else the
    year most readable files have (a sum never adds up two years).  None when no file has a year.
    Raises ``InvalidData`` (exit 2) when two years are equally common: only the clerk can choose."""
    if year is not None:
        return year, False
    counts: dict[int, int] = {}
    for result in results:
        if result.year is not None and result.readable:
            counts[result.year] = counts.get(result.year, 0) + 1
    if not counts:
        return None, False
    most = max(counts.values())
    tied = sorted(y for y, n in counts.items() if n == most)
    if len(tied) > 1:
        listed = "、".join(f"{y} 年度 {counts[y]} 个" for y in sorted(counts))
        raise error("INVALID_DATA.YEARS_TIED", listed=listed, year=tied[-1])
    return tied[0], len(counts) > 1  # "inferred" is worth saying only when the files disagree


def _mark_wrong_year(b: _Batch, year: int | None, inferred: bool = False) -> None:
    """Files of another year than the batch's, and files without a year, are never summed."""
    why = "（多数文件的年度；可用 --year 指定）" if inferred else ""
    for index, result in b.open():
        if result.year == year and year is not None:
            continue
        b.status[index] = "wrong_year"
        year_cell = _digest(result).year_cell  # type: ignore[union-attr]
        if result.year is not None:
            found = f"的报告年度为 {result.year}，不是本次汇总的 {year} 年度{why}"
        elif year is not None:
            found = f"未填报告年度，无法确认是本次汇总的 {year} 年度{why}"
        else:
            found = "未填报告年度，无法确认是哪一年度的报告"
        b.finding(index, "MERGE.YEAR", cells=(year_cell,), paths=(UNIT_YEAR,), unit_label=unit_label(result.unit), found=found)


def _mark_duplicates(b: _Batch) -> None:
    """When one unit sent several files for a year, the newest is used (by 填报日期, else by file
    time, to the second as shown); between files equally new, the file name sorting last.  (A
    workbook and a published report of one unit are no duplicates: ``_mark_published``.)"""
    groups: dict[tuple[str, int | None], list[int]] = {}
    for index, result in b.open():
        name = normalise_unit_name(result.unit)
        if name:  # a file without a unit name cannot be matched with another one
            groups.setdefault((name, result.year), []).append(index)
    for members in groups.values():
        if len(members) < 2:
            continue
        dates = {i: submission_date(b.results[i]) for i in members}
        by_date = None not in dates.values() and len(set(dates.values())) > 1
        seconds = {i: int(_mtime(b.results[i].file)) for i in members}

        def rank(i: int) -> tuple:
            return (dates[i] if by_date else 0, seconds[i], b.results[i].file)

        ranked = sorted(members, key=rank)
        top = ranked[-1]
        used = b.results[top]

        def describe(i: int) -> str:
            r = b.results[i]
            if by_date:
                return f"{r.file}（填报日期 {dates[i].isoformat()}）"  # type: ignore[union-attr]
            stamp = _dt.datetime.fromtimestamp(seconds[i]).strftime("%Y-%m-%d %H:%M:%S")
            return f"{r.file}（修改于 {stamp}）"

        def decided(i: int) -> dict[str, str]:
            """Which rule chose the used file over file ``i`` (rules.py says it): the advice's key and fields."""
            if by_date and dates[i] != dates[top]:
                return {"source": "by_date"}
            if seconds[i] != seconds[top]:
                return {"source": "same_date_by_time" if by_date else "by_time"}
            same = "填报日期和文件修改时间都相同" if dates[i] is not None and dates[i] == dates[top] else "文件修改时间相同"
            return {"source": "tie_name", "same": same}

        for i in ranked[:-1]:
            b.status[i] = "duplicate"
            b.finding(
                i,
                "MERGE.DUPLICATE",
                unit_label=unit_label(used.unit),
                used_year=used.year,
                other=describe(i),
                used=describe(top),
                used_file=used.file,
                this_file=b.results[i].file,
                **decided(i),
            )


def _mark_published(b: _Batch) -> None:
    """A unit that sent both its workbook and its published report for the year: the workbook is
    summed, the published report is not (it was compared with the workbook: ``batch._Pairs``)."""
    from .compare import agreement

    workbooks: dict[tuple[str, int | None], int] = {}
    for index, result in b.open():
        key = pair_key(result)
        if key is not None and not result.document:
            workbooks.setdefault(key, index)
    for index, result in list(b.open()):
        key = pair_key(result)
        if key is None or not result.document or key not in workbooks:
            continue
        b.status[index] = "published"
        differences = agreement(result.findings)
        said = dict(unit_label=unit_label(result.unit), used_year=result.year, workbook=b.results[workbooks[key]].file,
                    document=result.file)
        if differences:  # a warning only when there is something to look at: "一致" is said, not counted
            b.finding(index, "MERGE.PUBLISHED", agreement=f"有 {differences} 处与工作簿不符（见 PUBLISHED 各条）", **said)
        else:
            b.finding(index, "MERGE.PUBLISHED_AGREES", **said)


def pair_key(result: FileResult) -> tuple[str, int | None] | None:
    """Who and which year a readable file is for: its workbook and published report pair up by it."""
    name = normalise_unit_name(result.unit)
    return (name, result.year) if name and result.readable else None


def _mark_errors(b: _Batch, include_failing: bool) -> None:
    for index, result in b.open():
        if _count(result.findings, "error"):
            b.status[index] = "merged_with_errors" if include_failing else "failed"
        else:
            b.status[index] = "merged"


def _roster_gaps(b: _Batch, roster: Sequence[str]) -> list[str]:
    """Units not in the roster get a finding; roster names nobody sent are returned."""
    if not roster:
        return []
    roster_keys = {normalise_unit_name(n) for n in roster}
    for index, result in enumerate(b.results):
        if b.status[index] not in ("unreadable", "blank", "summed_twice") and result.unit and normalise_unit_name(result.unit) not in roster_keys:
            b.finding(index, "MERGE.NOT_IN_ROSTER", unit_label=unit_label(result.unit))
    submitted = {
        normalise_unit_name(r.unit) for i, r in enumerate(b.results) if b.status[i] not in ("unreadable", "wrong_year", "blank", "summed_twice") and r.unit
    }
    return [n for n in roster if normalise_unit_name(n) not in submitted]


def assess(
    results: Sequence[FileResult],
    *,
    year: int | None = None,
    roster: Sequence[str] | None = None,
    include_failing: bool = False,
    skipped: Sequence[Finding] = (),
) -> Assessment:
    """Decide for every checked file whether it goes into the sum, and why not.

    Unreadable files, blank templates and files with errors are left out (files with errors are
    taken, marked, when ``include_failing``); a file for another year than ``year`` — without
    ``year``, the year most files have (``batch_year``) — or without a year is left out; when one
    unit sent several files for a year, the newest (by 填报日期, else by file time) is used.
    """
    b = _Batch(results)
    _mark_unreadable(b)
    _mark_blank(b)
    _mark_merged_workbooks(b)
    year, inferred = batch_year([r for i, r in enumerate(results) if i not in b.status], year)
    _mark_wrong_year(b, year, inferred)
    _mark_published(b)
    _mark_duplicates(b)
    _mark_errors(b, include_failing)
    missing = _roster_gaps(b, list(roster or []))

    rows: list[UnitRow] = []
    accepted: list[Digest] = []
    findings: list[Finding] = list(skipped)
    for index, result in enumerate(results):
        # Figures from recomputed totals, so the totals of a summary are the sum of its rows.
        digest = _digest(result)
        rows.append(
            UnitRow(
                file=result.file,
                unit=result.unit,
                year=result.year,
                status=b.status[index],
                # every finding said of the file counts, the batch's own too (MERGE.YEAR is an error)
                errors=_count(b.own[index] + b.batch[index], "error"),
                warnings=_count(b.own[index] + b.batch[index], "warning"),
                figures=key_figures(digest.to_dict() if digest is not None else None),
                ledger_rows=digest.ledger_rows if digest is not None else 0,
                previous=result.previous,
            )
        )
        if b.status[index] in ACCEPTED and digest is not None:
            accepted.append(digest)
        for finding in b.own[index] + b.batch[index]:
            if finding.file is None or finding.unit is None:
                finding = Finding(
                    rule=finding.rule,
                    severity=finding.severity,
                    message=finding.message,
                    cells=finding.cells,
                    paths=finding.paths,
                    file=finding.file or result.file,
                    unit=finding.unit or result.unit,
                    year=finding.year if finding.year is not None else result.year,
                )
            findings.append(finding)
    unreadable = [
        next(f for f in b.own[i] if f.rule in FAILED_READING) for i in range(len(results)) if b.status[i] == "unreadable"
    ]
    return Assessment(
        rows=rows, findings=findings, missing=missing, accepted=accepted, unreadable=unreadable, year=year, skipped=list(skipped),
        roster_given=roster is not None, year_inferred=inferred, results=results,
    )


def resolve_roster(roster: str | os.PathLike | Sequence[str] | None) -> list[str] | None:
    """A roster given as a file path is loaded; a list of names is taken as it is."""
    if roster is None:
        return None
    if isinstance(roster, (str, os.PathLike)):
        return load_roster(roster)
    return list(roster)
