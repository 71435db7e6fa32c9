"""Who reported what, in the terminal: the batch's verdict without writing anything.

``summarize`` checks and assesses exactly as ``merge`` does (``batch``), so the summary a clerk
looks at before merging is what the merged workbook will say afterwards.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from .batch import Progress, check_and_assess
from .inputs import collect_inputs
from .previous import Previous, PreviousYear, previous_reports
from .verdict import Assessment, OfAssessment, UnitRow, resolve_roster
from .dates import report_year
from .errors import ExitCode
from .form import KEY_FIGURES, key_figures
from .model import Finding, Report, format_number
from .rules import NO_PREVIOUS


@dataclass(frozen=True)
class Change:
    """One unit's key figures last year and this year (``summary --previous``); ``jumps`` are the
    keys of the figures whose change passes their ``form.Jump`` thresholds."""

    unit: str | None
    file: str
    previous_file: str
    last: dict[str, int | float | None]
    now: dict[str, int | float | None]
    jumps: tuple[str, ...] = ()

    def delta(self, key: str) -> int | float | None:
        last, now = self.last.get(key), self.now.get(key)
        return None if last is None or now is None else now - last

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "file": self.file,
            "previous_file": self.previous_file,
            "figures": {
                f.key: {"previous": self.last.get(f.key), "current": self.now.get(f.key), "change": self.delta(f.key)}
                for f in KEY_FIGURES
            },
            "jumps": list(self.jumps),
        }


def _how(last: float, now: float) -> str:
    """A change in words: 由 0 增至 300；是上年的 12 倍；降为上年的 1/10."""
    if last == 0 or now == 0:
        return f"由 {format_number(last)} {'增' if now > last else '降'}至 {format_number(now)}"
    if now > last:
        return f"是上年的 {format_number(round(now / last, 1))} 倍"
    return f"降为上年的 1/{format_number(round(last / now, 1))}"


def year_on_year(rows: Sequence[UnitRow], previous: Sequence[Report]) -> tuple[list[Change], list[Finding]]:
    """Each unit's key figures against its own last-year report (``UnitRow.previous``: matched by
    normalised name when the file was checked), and a ``YEAR.JUMP`` warning for every change past
    its figure's thresholds (``form.KEY_FIGURES``)."""
    changes: list[Change] = []
    findings: list[Finding] = []
    for row in rows:
        if row.status in ("unreadable", "blank") or row.previous is None:
            continue  # a blank form (未填写) has no figures of the unit's to compare
        last_year = previous[row.previous]
        last = key_figures(last_year.digest().to_dict())
        prev_file = os.path.basename(last_year.file)
        jumps = []
        for figure in KEY_FIGURES:
            before, now = last.get(figure.key), row.figures.get(figure.key)
            if figure.jump is None or before is None or now is None or not figure.jump.flags(before, now):
                continue
            jumps.append(figure.key)
            findings.append(
                Finding.of(
                    "YEAR.JUMP",
                    file=row.file,
                    unit=row.unit,
                    year=row.year,
                    unit_label=f"单位「{row.unit}」" if row.unit else row.file,
                    figure=figure.label,
                    last=format_number(before),
                    now=format_number(now),
                    prev_file=prev_file,
                    change=_how(before, now),
                )
            )
        changes.append(Change(row.unit, row.file, last_year.file, last, dict(row.figures), tuple(jumps)))
    return changes, findings


@dataclass
class Summary(OfAssessment):
    """Per-unit key figures of a batch, who is missing, and the totals of what would be merged;
    with last year's reports, each unit's changes since then."""

    assessment: Assessment
    changes: list[Change] | None = None  # None: no --previous
    jumps: list[Finding] = field(default_factory=list)  # YEAR.JUMP warnings (also in ``findings``)

    @property
    def units(self) -> list[UnitRow]:
        return self.assessment.rows

    @property
    def no_previous(self) -> list[Finding]:
        """YEAR.NO_PREVIOUS: the units with no report last year."""
        return [f for f in self.assessment.findings if f.rule == NO_PREVIOUS]

    @property
    def exit_code(self) -> ExitCode:
        """3 when a file could not be read, 1 when no file can be summed, else 0 (``Assessment.exit_code``)."""
        return self.assessment.exit_code()

    def to_dict(self) -> dict:
        out = {"year": self.assessment.year, "year_inferred": self.assessment.year_inferred, **self.assessment.to_dict()}
        if self.changes is not None:
            out["changes"] = [c.to_dict() for c in self.changes]
        return out


def summarize(
    inputs: Iterable[str | os.PathLike],
    *,
    roster: str | os.PathLike | Sequence[str] | None = None,
    year: int | None = None,
    include_failing: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    previous: Previous | PreviousYear = None,
) -> Summary:
    """Check every input and tabulate it exactly as a merge would, without writing anything.

    ``year`` (optional) applies the merge's year rule; without it the year most files have is
    summed (``batch.batch_year``) and the others are listed as 年度不符 — never two years added up.
    ``previous`` (last year's reports, ``batch.read_previous``) adds the cross-year checks to each
    unit and the changes of its key figures since last year (``Summary.changes``).
    """
    year = report_year(year) if year is not None else None  # before any file is read
    names = resolve_roster(roster)
    collected = collect_inputs(inputs)
    last_year = previous_reports(previous)
    assessment = check_and_assess(
        collected, year=year, roster=names, include_failing=include_failing, jobs=jobs, progress=progress, previous=last_year
    )
    if previous is None:
        return Summary(assessment)
    changes, jumps = year_on_year(assessment.rows, last_year)
    assessment.findings.extend(jumps)
    return Summary(assessment, changes, jumps)
