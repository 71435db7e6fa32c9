"""--annotate: a FRESH copy of the official form holding one file's numbers, each problem cell
highlighted with a comment.  The user's own file is never re-saved (STYLE.md 7)."""

from __future__ import annotations

import os
from pathlib import Path as FsPath

from .errors import OutputIsInput, UnreadableWorkbook
from .form import Path
from .model import FileResult
from .rules import RULES, SEVERITY_LABELS


def annotation_data(result: FileResult) -> tuple[dict, dict[Path, str]]:
    """The data and annotations for a fresh annotated copy: the unit's numbers, with each stored
    total *as the file had it* (``Report.to_dict`` keeps stated totals), so the wrong total shows
    in the copy next to its comment."""
    report = result.report
    if report is None:
        raise UnreadableWorkbook(result.error or f"{result.file} 无法读取，不能生成标注副本。", path=result.file)
    data = report.to_dict()
    notes: dict[Path, list[str]] = {}
    for finding in result.findings:
        if not RULES[finding.rule].annotated:
            continue
        for path in finding.paths:
            notes.setdefault(path, []).append(f"【{SEVERITY_LABELS[finding.severity]}】{finding.message}")
    return data, {path: "\n".join(messages) for path, messages in notes.items()}


def annotate(result: FileResult, out: str | os.PathLike, *, force: bool = False) -> FsPath:
    """Write the annotated fresh copy of a checked file (its ``FileResult`` with the report kept)."""
    target = FsPath(out)
    source = FsPath(result.file)
    try:
        same = source.exists() and target.exists() and os.path.samefile(source, target)
    except OSError:
        same = False
    if same or target.resolve() == source.resolve():
        raise OutputIsInput(f"输出文件 {target} 就是被校验的文件：为保护原文件，请另选输出文件名。", path=str(target))
    data, annotations = annotation_data(result)
    from .template import write_template

    # as_read: the copy shows the unit's numbers as its file holds them (a negative count, a wrong
    # stored total) — exactly what the comments talk about (template.write_template).
    return FsPath(write_template(target, data, annotations=annotations, force=force, as_read=True))
