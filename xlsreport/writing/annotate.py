"""--annotate: a FRESH copy of the official form holding one file's numbers, each problem cell
highlighted with a comment.  The user's own file is never re-saved (STYLE.md 7).

The copy opens on a sheet listing its problems (form.SHEET_PROBLEMS), not on the template's
填报说明: a clerk who gets it back sees first what to fix and where.  It works the same for a
report read from a published document (docx/html/pdf/text): the copy is the official workbook
filled from the document's numbers, and each problem names the document's place too.
"""

from __future__ import annotations

import os
from pathlib import Path as FsPath

from ..errors import error
from ..form import SHEET_PROBLEMS, Path
from ..model import FileResult, Finding
from ..rules import ERROR_WORD, RULES, SEVERITY_LABELS, WARNING_WORD
from .layout import layout
from .workbook import FrontSheet

PROBLEMS_HEADER = ("序号", "类别", "本工作簿中的位置", "原文件中的位置", "问题")


def _here(finding: Finding) -> str:
    """Where the fresh copy holds the values of a finding (``依申请公开!D6``)."""
    cells = layout()
    return "、".join(dict.fromkeys(cells[p].address for p in finding.paths if p in cells))


def problems(result: FileResult, *, strict: bool = True) -> list[Finding]:
    """The findings a unit must act on: errors first, then warnings (unless ``strict`` is False)."""
    chosen = [f for f in result.findings if f.severity == "error" or strict and f.severity == "warning"]
    return sorted(chosen, key=lambda f: f.severity != "error")


def problems_sheet(result: FileResult, findings: list[Finding] | None = None) -> FrontSheet:
    """The sheet the annotated copy opens on: whose report, which file, every problem with its place."""
    report = result.report
    who = (report.unit if report else None) or "（未填单位名称）"
    year = f"{report.year}年度" if report is not None and report.year else ""
    shown = problems(result) if findings is None else findings
    errors = sum(f.severity == "error" for f in shown)
    facts = [
        ("原文件", os.path.basename(result.file)),
        ("问题", f"{errors} 个{ERROR_WORD}，{len(shown) - errors} 个{WARNING_WORD}"),
        ("怎样修改", "逐条核对下表；标红的单元格附有批注（鼠标移到单元格上即可看到）。改正后核对全部合计，重新报送。"),
    ]
    rows = [
        [i, SEVERITY_LABELS[f.severity], _here(f) or None, "、".join(f.cells) or None, f.message]
        for i, f in enumerate(shown, start=1)
    ]
    return FrontSheet(SHEET_PROBLEMS, f"{who} {year}报告：请修改以下问题", facts, PROBLEMS_HEADER, rows)


def annotation_data(result: FileResult) -> tuple[dict, dict[Path, str]]:
    """The data and annotations for a fresh annotated copy: the unit's numbers, with each stored
    total *as the file had it* (``Report.to_dict`` keeps stated totals), so the wrong total shows
    in the copy next to its comment."""
    report = result.report
    if report is None:
        if result.error:
            raise error("UNREADABLE.AS_READ", reason=result.error, path=result.file)
        raise error("UNREADABLE.ANNOTATE_NO_REPORT", file=result.file, path=result.file)
    data = report.to_dict(blanks=True)  # a blank stays blank: the copy is as filled as the file
    notes: dict[Path, list[str]] = {}
    for finding in result.findings:
        if not RULES[finding.rule].annotated:
            continue
        for path in finding.paths:
            notes.setdefault(path, []).append(f"【{SEVERITY_LABELS[finding.severity]}】{finding.message}")
    return data, {path: "\n".join(messages) for path, messages in notes.items()}


def annotate(result: FileResult, out: str | os.PathLike, *, force: bool = False, findings: list[Finding] | None = None) -> FsPath:
    """Write the annotated fresh copy of a checked file (its ``FileResult`` with the report kept).

    ``findings`` (default: all of them) are the problems its first sheet lists."""
    target = FsPath(out)
    source = FsPath(result.file)
    try:
        same = source.exists() and target.exists() and os.path.samefile(source, target)
    except OSError:
        same = False
    if same or target.resolve() == source.resolve():
        raise error("OUTPUT_IS_INPUT.ANNOTATE_SAME_FILE", target=target, path=str(target))
    data, annotations = annotation_data(result)
    from .workbook import write_template

    # as_read: the copy shows the unit's numbers as its file holds them (a negative count, a wrong
    # stored total) — exactly what the comments talk about (workbook.write_template).
    return FsPath(
        write_template(
            target, data, annotations=annotations, force=force, as_read=True, front=problems_sheet(result, findings),
            published=result.report is not None and (result.report.document or result.report.published),
            prefilled=result.report.prefilled if result.report is not None else None,
            in_force_last_year=result.report.in_force_last_year if result.report is not None else None,
        )
    )
