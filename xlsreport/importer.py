"""``xlsreport import``: a published report (Word, web page, PDF, text — or any file ``read``
takes) → the official fillable workbook, its tables and 报告正文 filled.

A unit that has only last year's Word file gets a workbook to start from, and a clerk can turn a
unit's published page into the workbook the rest of the county sends.  The numbers are written
*as printed* (``writing.workbook.write_template(..., as_read=True)``): a total the report prints wrongly
stays wrong in the workbook, where its 校验 sheet and ``check`` show it, instead of being quietly
corrected into a number nobody published.  The report's findings are returned with the result.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from . import form
from .errors import ExitCode, error
from .model import Finding, Report
from .writing.output import atomic_output, output_suffix


@dataclass
class Imported:
    """What :func:`import_report` wrote: the workbook, the report it came from, its findings."""

    source: str
    out: FsPath
    report: Report
    findings: list[Finding] = field(default_factory=list)

    written = True  # an import always writes (the findings travel inside the workbook's 校验 sheet)
    forced = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.OK

    def to_dict(self) -> dict:
        return {
            "file": self.source,
            "out": str(self.out),
            "unit": self.report.unit,
            "year": self.report.year,
            "parts": list(self.report.parts),
            "findings": [f.to_dict() for f in self.findings],
        }


def import_report(source: str | os.PathLike, out: str | os.PathLike, *, force: bool = False) -> Imported:
    """Read ``source`` and write its numbers and narrative, as printed, into a fresh official
    workbook at ``out`` (atomic; never over ``source``; an existing ``out`` only with ``force``).

    Raises :class:`errors.InvalidData` for an ``out`` not named .xlsx (before reading anything),
    :class:`errors.UnreadableWorkbook` (and subclasses) for a file that cannot be read, and
    :class:`errors.UnsupportedFormat` for a report in the 2019 trial format, whose tables 二 and 三
    have other rows and columns than the workbook's.
    """
    from .checker import check_report
    from .reading.report import read
    from .writing.workbook import write_workbook

    name = os.fspath(source)
    output_suffix(out)
    report = read(name)
    if report.form != form.FORM_ID:
        raise error(
            "UNSUPPORTED_FORMAT.TRIAL_FORMAT_IMPORT", name=name, trial_basis=form.TRIAL_FORMAT_BASIS,
            basis=form.FORM_BASIS,
            path=name,
        )
    _refuse_overlong_text(report, name)
    findings = list(check_report(report))
    with atomic_output(out, force=force, inputs=[name]) as tmp:
        # what the workbook was sent out with stays recorded: a template sent back untouched is
        # still 未填写 after import, and a changed carry-over still PREFILL.CHANGED
        write_workbook(tmp, report.to_dict(blanks=True), as_read=True, published=report.document or report.published,
                       prefilled=report.prefilled, in_force_last_year=report.in_force_last_year)
    return Imported(name, FsPath(out), report, findings)


def _refuse_overlong_text(report: Report, name: str) -> None:
    """A text of the report longer than a workbook cell holds (Excel's 32,767 characters) cannot be
    imported: said of the file, before anything is written (the writer's own check spoke of
    "数据" as if of a --from JSON, without the file's name)."""
    from .writing.layout import PROSE_MAX

    for leaf in form.LEAVES:
        text = report.text(leaf.path) if leaf.kind == "text" else None
        if text is not None and len(text) > PROSE_MAX:
            raise error("INVALID_DATA.IMPORT_TEXT_TOO_LONG", name=name, heading=leaf.part.heading, label=leaf.full_label,
                        length=len(text), prose_max=PROSE_MAX, path=name)
