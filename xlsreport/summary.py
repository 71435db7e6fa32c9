"""Who reported what, in the terminal: the batch's verdict without writing anything.

``summarize`` checks and assesses exactly as ``merge`` does (``batch``), so the summary a clerk
looks at before merging is what the merged workbook will say afterwards.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Sequence

from .batch import Assessment, OfAssessment, Progress, UnitRow, check_and_assess, collect_inputs, resolve_roster
from .errors import ExitCode
from .form import KEY_FIGURES  # noqa: F401  (the terminal's columns: form.KEY_FIGURES)


@dataclass
class Summary(OfAssessment):
    """Per-unit key figures of a batch, who is missing, and the totals of what would be merged."""

    assessment: Assessment

    @property
    def units(self) -> list[UnitRow]:
        return self.assessment.rows

    @property
    def exit_code(self) -> ExitCode:
        """3 when a file could not be read, else 0 (a summary only tabulates)."""
        return self.assessment.exit_code()

    def to_dict(self) -> dict:
        return {"year": self.assessment.year, **self.assessment.to_dict()}


def summarize(
    inputs: Iterable[str | os.PathLike],
    *,
    roster: str | os.PathLike | Sequence[str] | None = None,
    year: int | None = None,
    include_failing: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Summary:
    """Check every input and tabulate it exactly as a merge would, without writing anything.

    ``year`` (optional) applies the merge's year rule; without it files of every year are listed.
    """
    names = resolve_roster(roster)
    collected = collect_inputs(inputs)
    return Summary(
        check_and_assess(collected, year=year, roster=names, include_failing=include_failing, jobs=jobs, progress=progress)
    )
