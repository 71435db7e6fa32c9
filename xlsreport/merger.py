"""Merging: many units' workbooks → one workbook that is itself the official form.

The merged file is written by the template writer with the sums as its data, so it reads back,
checks clean and can be merged again one level up (townships → county → city).  Three extra
sheets say what went in: 明细 (one row per input file), 问题清单 (every finding), 未报送 (roster
units that sent nothing).  The rules that decide what goes in live in ``summary.assess`` and
are shared with ``summarize``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

from .errors import InvalidData
from .model import Finding
from .output import atomic_output
from .template import YEAR_MAX, YEAR_MIN, write_workbook
from .summary import (
    Assessment,
    UnitRow,
    assess,
    check_inputs,
    details_table,
    expand_inputs,
    findings_table,
    missing_table,
    resolve_roster,
    sum_reports,
)


@dataclass
class MergeResult:
    """What a merge wrote and what it left out.  ``complete``: every input file went into the sum."""

    out: Path
    unit: str
    year: int
    assessment: Assessment
    data: dict = field(default_factory=dict)  # the merged values, in the JSON shape of the form

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

    def to_dict(self) -> dict:
        return {
            "out": str(self.out),
            "unit": self.unit,
            "year": self.year,
            "complete": self.complete,
            **self.assessment.to_dict(),
            "merged": self.data,
        }


def merge(
    inputs: Iterable[str | os.PathLike],
    out: str | os.PathLike,
    *,
    unit: str,
    year: int,
    roster: str | os.PathLike | Sequence[str] | None = None,
    include_failing: bool = False,
    jobs: int = 1,
    force: bool = False,
    progress: Callable | None = None,
) -> MergeResult:
    """Check every input, add up the accepted ones, write ``out`` as the official form.

    ``unit``/``year`` are the facts of the merged report (e.g. the county and the report year);
    files of another year, duplicates and (unless ``include_failing``) files with errors are
    left out, each with a finding.  ``out`` must not be one of the inputs; an existing ``out``
    is replaced only with ``force``.  Inputs are only read.
    """
    if not str(unit or "").strip():
        raise InvalidData("请给出汇总单位名称（例如：某某县人民政府）。")
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise InvalidData(f"报告年度应为四位数字年份，收到的是 {year!r}。") from exc
    if not YEAR_MIN <= year <= YEAR_MAX:  # before any file is checked, not after
        raise InvalidData(f"报告年度应在 {YEAR_MIN}—{YEAR_MAX} 之间，收到的是 {year}。")
    names = resolve_roster(roster)  # a bad roster fails before any file is checked
    files = expand_inputs(inputs)
    target = Path(out)
    with atomic_output(target, force=force, inputs=files) as tmp:
        _, results = check_inputs(files, jobs=jobs, progress=progress)
        assessment = assess(results, year=year, roster=names, include_failing=include_failing)
        data = sum_reports(assessment.accepted)
        data["unit"]["name"] = unit
        data["unit"]["year"] = year
        # as_read: with --include-failing the sums may hold a unit's negative or fractional count;
        # the merged workbook shows them (its 问题清单 says why) rather than refusing to be written.
        write_workbook(
            tmp,
            data,
            extra_sheets=[
                details_table(assessment.rows),
                findings_table(assessment.findings),
                missing_table(assessment.missing),
            ],
            as_read=True,
        )
    return MergeResult(out=target, unit=unit, year=year, assessment=assessment, data=data)
