"""Merging: many units' workbooks → one workbook that is itself the official form.

The merged file is written by the template writer with the sums as its data, so it reads back,
checks clean and can be merged again one level up (townships → county → city).  It opens on
汇总说明 (form.SHEET_OVERVIEW): the county, the year, how many units are summed, who was left out
and why, who has not reported.  Three extra sheets after the form say what went in: 明细 (one row per input file), 问题清单 (every finding), 未报送 (roster
units that sent nothing).  The rules that decide what goes in live in ``verdict.assess`` and
are shared with ``summarize``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from .batch import Progress, check_and_assess
from .inputs import collect_inputs
from .previous import Previous, PreviousYear
from .sums import sum_reports
from .verdict import Assessment, OfAssessment, UnitRow, resolve_roster
from . import form
from .dates import report_year
from .errors import ExitCode, error
from .form import (
    FORM_TITLE,
    KEY_FIGURES,
    MERGED_STAMP,
    SHEET_DETAILS,
    SHEET_FINDINGS,
    SHEET_MISSING,
    SHEET_OVERVIEW,
    UNIT_NAME,
    UNIT_YEAR,
    set_path,
)
from .model import Finding
from .writing.output import atomic_output, output_suffix, outside_input_folders
from .rules import LEAVES_OUT, SEVERITY_LABELS
from .writing.workbook import FrontSheet, write_workbook

if TYPE_CHECKING:
    from .returns import Returns, ReturnsRequest

Table = tuple[str, list[str], list[list]]


# --------------------------------------------------------------------------------------------
# The merged workbook's extra sheets (their names: form.MERGE_SHEETS)
# --------------------------------------------------------------------------------------------


_UNIT, _STATUS = "单位", "状态"  # the 明细 columns ``form.MERGED_STAMP`` spans


def details_table(rows: Sequence[UnitRow]) -> Table:
    counts = [f"{SEVERITY_LABELS[s]}数" for s in ("error", "warning")]
    header = [_UNIT, "年度", "文件", _STATUS, *counts, *(f.label for f in KEY_FIGURES)]
    body = [
        [
            row.unit or None,  # None: a blank cell, not an empty string
            row.year,
            row.file,
            row.status_label,
            row.errors,
            row.warnings,
            *(row.figures.get(f.key) for f in KEY_FIGURES),
        ]
        for row in rows
    ]
    return SHEET_DETAILS, header, body


def merged_stamp(details: Table) -> dict[str, tuple[str, int, int, int, int]]:
    """``form.MERGED_STAMP`` over the 明细 rows, from 单位 to 状态: how a later batch knows which
    units this workbook adds up already (``reading.report.summed_units``)."""
    name, header, body = details
    return {MERGED_STAMP: (name, 1, header.index(_UNIT), len(body), header.index(_STATUS))}


def findings_table(findings: Sequence[Finding]) -> Table:
    header = ["文件", "单位", "单元格", "类别", "规则", "说明"]
    body = [
        [f.file, f.unit or None, "、".join(c for c in f.cells if c) or None, SEVERITY_LABELS[f.severity], f.rule, f.message]
        for f in findings
    ]
    return SHEET_FINDINGS, header, body


def missing_table(missing: Sequence[str]) -> Table:
    return SHEET_MISSING, ["序号", "单位"], [[i, name] for i, name in enumerate(missing, start=1)]


def _why(row: UnitRow, findings: Sequence[Finding]) -> str:
    """Why a file is not simply summed: its first error (or the duplicate finding), and how many more."""
    own = [f for f in findings if f.file == row.file and (f.severity == "error" or f.rule in LEAVES_OUT)]
    if not own:
        return ""
    more = f"（另有 {len(own) - 1} 条，见“{SHEET_FINDINGS}”）" if len(own) > 1 else ""
    return own[0].message + more


def overview_sheet(unit: str, year: int, assessment: Assessment) -> FrontSheet:
    """The sheet the county workbook opens on: what it is, what is in it, who is not."""
    summed = [row for row in assessment.rows if row.accepted]
    names = [row.unit or row.file for row in summed]
    others = [row for row in assessment.rows if row.status != "merged"]
    facts = [
        ("汇总单位", unit),
        ("汇总年度", f"{year} 年度"),
        ("计入合计", f"{len(summed)} 个单位：" + "、".join(names) if names else "无"),
        ("未计入", f"{sum(not r.accepted for r in assessment.rows)} 个文件（原因见下表）"),
        ("未报送", f"{len(assessment.missing)} 个单位：" + "、".join(assessment.missing) if assessment.missing else "无（或未给出名单）"),
        *([("台账", ledger_said(summed))] if any(row.ledger_rows for row in summed) else []),
        ("本工作簿", f"其后各表是{unit}{year}年度的官方表格，数字为计入合计的各单位之和；"
                   f"“{SHEET_DETAILS}”每个文件一行，“{SHEET_FINDINGS}”列出全部问题，“{SHEET_MISSING}”列出名单中未报送的单位。"),
    ]
    rows = [[row.unit or None, row.file, row.status_label, _why(row, assessment.findings) or None] for row in others]
    rows += [[name, None, "未报送", "名单中有，未收到报表"] for name in assessment.missing]
    title = f"{unit} {year} 年度{FORM_TITLE}汇总"
    return FrontSheet(SHEET_OVERVIEW, title, facts, ("单位", "文件", "情况", "原因"), rows)


def ledger_units(rows: Sequence[UnitRow]) -> list[UnitRow]:
    """The summed units whose workbook keeps an application ledger with records."""
    return [row for row in rows if row.accepted and row.ledger_rows]


def ledger_said(rows: Sequence[UnitRow]) -> str:
    """How many summed units kept a ledger: "2 个单位按依申请公开台账填报（共 130 条记录）：甲、乙"."""
    kept = ledger_units(rows)
    names = "、".join(row.unit or row.file for row in kept)
    return f"{len(kept)} 个单位按{form.LEDGER.sheet}填报（共 {sum(r.ledger_rows for r in kept)} 条记录）" + (f"：{names}" if names else "")


@dataclass
class MergeResult(OfAssessment):
    """What a merge wrote and what it left out.  ``complete``: every input file went into the sum."""

    out: Path
    unit: str
    year: int
    assessment: Assessment
    data: dict = field(default_factory=dict)  # the merged values, in the JSON shape of the form
    returns: Returns | None = None  # the return packages written (``merge(returns=...)``)

    @property
    def exit_code(self) -> ExitCode:
        """3 when a file could not be read, 1 when a file was left out of the sum or summed with errors, else 0."""
        return self.assessment.exit_code(complete=True)

    def to_dict(self) -> dict:
        return {
            "out": str(self.out),
            "unit": self.unit,
            "year": self.year,
            "complete": self.complete,
            "ledger_units": len(ledger_units(self.assessment.rows)),
            **self.assessment.to_dict(),
            "merged": self.data,
            **({"returns": self.returns.to_dict()} if self.returns is not None else {}),
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
    progress: Progress | None = None,
    previous: Previous | PreviousYear = None,
    returns: ReturnsRequest | None = None,
) -> MergeResult:
    """Check every input, add up the accepted ones, write ``out`` as the official form.

    ``unit``/``year`` are the facts of the merged report (e.g. the county and the report year);
    files of another year, duplicates and (unless ``include_failing``) files with errors are
    left out, each with a finding.  ``previous`` (last year's reports, ``batch.read_previous``)
    adds the cross-year checks: a unit whose 上年结转 does not follow from last year fails.
    ``out`` must not be one of the inputs nor lie in an input folder (the next merge would add
    it up as a unit); an existing ``out`` is replaced only with ``force`` — both refused before
    any file is read.  With ``returns``, every unit not summed for its errors gets a return package
    (``MergeResult.returns``), made from the Report its check kept; the return folder is refused
    before any file is read, and a unit's folder that exists before ``out`` is written.
    Inputs are only read.
    """
    if not str(unit or "").strip():
        raise error("INVALID_DATA.MERGE_UNIT_MISSING")
    year = report_year(year)  # before any file is checked, not after
    names = resolve_roster(roster)  # a bad roster fails before any file is checked
    inputs = list(inputs)
    if returns is not None:
        returns.refuse_early(inputs)
    collected = collect_inputs(inputs)
    target = Path(out)
    output_suffix(target)
    outside_input_folders(target, inputs, f"输出文件 {target} ")
    with atomic_output(target, force=force, inputs=collected.files) as tmp:
        assessment = check_and_assess(
            collected, year=year, roster=names, include_failing=include_failing, jobs=jobs, progress=progress,
            previous=previous, keep_failing=returns is not None,
        )
        if returns is not None:
            returns.refuse_existing(assessment)
        data = sum_reports(assessment.accepted)
        set_path(data, UNIT_NAME, unit)
        set_path(data, UNIT_YEAR, year)
        # as_read: with --include-failing the sums may hold a unit's negative or fractional count;
        # the merged workbook shows them (its 问题清单 says why) rather than refusing to be written.
        details = details_table(assessment.rows)
        write_workbook(
            tmp,
            data,
            extra_sheets=[details, findings_table(assessment.findings), missing_table(assessment.missing)],
            as_read=True,
            front=overview_sheet(unit, year, assessment),
            stamps=merged_stamp(details),
        )
    result = MergeResult(out=target, unit=unit, year=year, assessment=assessment, data=data)
    if returns is not None:
        result.returns = returns.write_for(assessment)
    return result
