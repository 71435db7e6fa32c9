"""``xlsreport render``: check a report, then write it as the publishable 年度报告 (docx or HTML).

The document itself is built by :mod:`xlsreport.writing.document` and written by the writers of
:mod:`xlsreport.writing.outputs`; this module decides whether it may be written: it checks the
report first and writes nothing when the check finds what blocks publishing (errors, no unit or
year), unless ``publish_with_errors``; ``force`` only allows replacing an existing output.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from .errors import ExitCode, error
from .model import Finding, Report
from .rules import NARR_EMPTY, RULES, UNTOUCHED
from .writing.document import build
from .writing.output import atomic_output, output_suffix
from .writing.outputs import FORMATS, Format, write_bytes


@dataclass
class Rendered:
    """What :func:`render` did: the output (None when nothing was written) and the check's findings."""

    out: FsPath | None
    format: Format
    findings: list[Finding] = field(default_factory=list)
    forced: bool = False  # written although the check found what blocks publishing
    unfilled: bool = False  # a template sent back untouched (PLAUS.UNTOUCHED): never rendered

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def blocking(self) -> list[Finding]:
        """The findings that keep the report from being published (``rules.Rule.blocks_publishing``)."""
        return [f for f in self.findings if blocks_publishing(f)]

    @property
    def written(self) -> bool:
        return self.out is not None

    @property
    def exit_code(self) -> ExitCode:
        """1 when the check's findings kept the report from being written, else 0."""
        return ExitCode.OK if self.written else ExitCode.CHECK_FAILED

    def to_dict(self) -> dict:
        return {
            "out": str(self.out) if self.out else None,
            "format": self.format,
            "written": self.written,
            "forced": self.forced,
            "unfilled": self.unfilled,
            "findings": [f.to_dict() for f in self.findings],
        }


def output_format(out: str | os.PathLike, fmt: str | None = None) -> Format:
    """``fmt`` when given, else the output's extension (.docx, .html, .htm)."""
    if fmt is not None:
        if fmt not in FORMATS.values():
            raise error("INVALID_DATA.RENDER_FORMAT", fmt=fmt)
        return fmt  # type: ignore[return-value]
    return FORMATS[output_suffix(out, tuple(FORMATS), "年度报告（Word 文档或网页）")]


def render(source: str | os.PathLike | Report, out: str | os.PathLike, *, force: bool = False,
           fmt: str | None = None, publish_with_errors: bool = False) -> Rendered:
    """Check ``source`` (a workbook path or a read Report) and write its report to ``out``.

    With errors — or a warning that the report would not say whose or which year's it is (a blank
    template: ``rules.Rule.blocks_publishing``) — nothing is written (``Rendered.out`` is None)
    unless ``publish_with_errors``, which renders anyway (``Rendered.forced``).  ``force`` only
    allows replacing an existing ``out``: two decisions, never taken by one switch.  Other warnings never stop it.  ``fmt`` ("docx" or "html") defaults to ``out``'s extension.  The output is atomic
    and never one of the inputs.
    """
    kind = output_format(out, fmt)
    if isinstance(source, Report):
        report, inputs = source, ([source.file] if source.file else [])
    else:
        from .reading.report import read

        report, inputs = read(source), [source]
    from .checker import check_report

    from .narrative import empty_sections

    checked = check_report(report)
    if any(f.rule == UNTOUCHED for f in checked):
        # nobody's report (issue #19 item 1): nothing to publish, whatever the options say
        return Rendered(None, kind, checked, unfilled=True)
    # a section left empty goes out empty: said before writing, whether or not the rest was written
    findings = [f for f in checked if f.rule != NARR_EMPTY] + empty_sections(report, publishing=True)
    blocked = any(blocks_publishing(f) for f in findings)
    if blocked and not publish_with_errors:
        return Rendered(None, kind, findings)
    payload = write_bytes(build(report.to_dict(recompute=True)), kind)
    with atomic_output(out, force=force, inputs=inputs) as tmp:
        tmp.write_bytes(payload)
    return Rendered(FsPath(out), kind, findings, forced=blocked)


def blocks_publishing(finding: Finding) -> bool:
    rule = RULES.get(finding.rule)
    return finding.severity == "error" or (rule is not None and rule.blocks_publishing)
