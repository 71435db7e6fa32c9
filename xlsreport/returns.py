"""Return packages: what the county office sends back to each unit whose report failed.

For every unit left out for errors (or, with ``strict``, for warnings too) one folder named
after the unit, holding

* ``请修改-<原文件名>.xlsx`` — a fresh annotated copy of its report (``annotate.annotate``): the
  official workbook with its numbers, every failing cell red with a comment, opening on a sheet
  that lists the problems.  A unit that sent a published report (docx/pdf/html/text) gets the
  official workbook filled from that report, annotated the same way;
* ``退回通知.docx`` — a notice a clerk can forward as it is: to whom, which report, each
  problem with its place and arithmetic, what to do, by when.  Built as a ``writing.document.Document``
  and written by the report renderer (``writing.docx``), so it has the same GB/T 9704 page and
  fonts as a published report;
* ``退回通知.txt`` — the same notice as plain text, to paste into a message or an e-mail.

Units that pass get nothing.  Each folder is written beside its final place and renamed into it
(atomic); an existing unit folder is replaced only with ``force``, and every folder is checked
before any is written.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from .writing.annotate import annotate, problems
from .errors import error, os_reason
from .form import FORM_TITLE, SHEET_CHECKS
from .model import ACCEPTED, FileResult, Finding
from .writing.output import outside_input_folders, replace
from .writing.document import Block, Cell, Document, Table
from .rules import ERROR_WORD, SEVERITY_LABELS, WARNING_WORD

NOTICE_NAME = "退回通知"
WORKBOOK_PREFIX = "请修改-"
# What a file name may not hold on Windows, macOS or Linux (and control characters).
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_NAME_MAX = 80


@dataclass
class ReturnPackage:
    """One unit's folder: its annotated workbook, its notice (docx and text), its problems."""

    unit: str | None
    file: str
    folder: Path
    workbook: Path
    notice: Path
    notice_text: Path
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "file": self.file,
            "folder": str(self.folder),
            "workbook": str(self.workbook),
            "notice": str(self.notice),
            "notice_text": str(self.notice_text),
            "problems": len(self.findings),
        }


@dataclass
class Returns:
    """The packages written, one per failing unit (an unreadable file gets none: nothing to annotate)."""

    folder: Path
    packages: list[ReturnPackage] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "folder": str(self.folder),
            "packages": [p.to_dict() for p in self.packages],
        }


# --------------------------------------------------------------------------------------------
# The notice
# --------------------------------------------------------------------------------------------


def _date(due: _dt.date) -> str:
    return f"{due.year}年{due.month}月{due.day}日"


def _report_name(result: FileResult) -> str:
    year = result.year
    return f"{year}年{FORM_TITLE}" if year else FORM_TITLE


@dataclass(frozen=True)
class Notice:
    """The notice's words, shared by its docx and its text form."""

    title: str
    to: str
    opening: str
    findings: tuple[Finding, ...]
    steps: tuple[str, ...]
    sender: str
    issued: str  # the date the notice is written, under the sender as a letter ends

    def lines(self) -> list[str]:
        out = [self.title, "", f"{self.to}：", "", self.opening, ""]
        for i, f in enumerate(self.findings, start=1):
            out.append(f"{i}. 【{SEVERITY_LABELS[f.severity]}】{f.message}")
        out.append("")
        out += self.steps
        out += ["", *([self.sender] if self.sender else []), self.issued]
        return out

    def text(self) -> str:
        return "\r\n".join(self.lines()) + "\r\n"  # CRLF: Notepad on an older Windows shows it whole

    def document(self) -> Document:
        """As a ``writing.document.Document``: title, salutation, opening, the problems as a table, steps."""
        cells = [Cell(0, c, 1, 1, text, "head") for c, text in enumerate(("序号", "类别", "问题（位置与算式）"))]
        for i, f in enumerate(self.findings, start=1):
            cells += [
                Cell(i, 0, 1, 1, str(i), "number"),
                Cell(i, 1, 1, 1, SEVERITY_LABELS[f.severity], "number"),
                Cell(i, 2, 1, 1, f.message, "label"),
            ]
        table = Table("problems", tuple(cells), len(self.findings) + 1, 3, 1, (1.8, 1.8, 14.0))
        blocks = [
            Block("title", self.title),
            Block("paragraph", f"{self.to}：", flush="left"),
            Block("paragraph", self.opening),
            Block("table", table=table),
            *(Block("paragraph", step) for step in self.steps),
        ]
        if self.sender:
            blocks.append(Block("paragraph", self.sender, flush="right"))
        blocks.append(Block("paragraph", self.issued, flush="right"))
        return Document(self.title, tuple(blocks))


# merge --include-failing: the unit is in the county total with its numbers as they are
_SUMMED_WITH_ERRORS = "已按所报数字计入本次汇总（标注为含错误），改正后请重新报送，汇总将按改正后的数字更新。"
_PUBLISHED_BESIDE = "汇总采用的是你单位报送的工作簿，这份已发布的报告未计入汇总；请改正已发布的报告，使之与工作簿一致。"


def notice(
    result: FileResult,
    findings: Sequence[Finding],
    workbook_name: str,
    *,
    due: _dt.date | None = None,
    sender: str | None = None,
    issued: _dt.date | None = None,
    summed: bool = False,
    published_beside: bool = False,
) -> Notice:
    """The notice for one failing unit: to whom, which report, each problem, what to do, by when;
    signed by ``sender`` when known, and dated ``issued`` (today unless given).  ``summed``: the
    unit's numbers went into the county total although they have errors (merge
    --include-failing) — the notice says so instead of "not summed"; ``published_beside``: a
    published report whose unit's workbook was summed instead (merge)."""
    unit = result.unit or "（未填单位名称的报送单位）"
    report = _report_name(result)
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    counted = "、".join(x for x in (f"{errors} 个{ERROR_WORD}" if errors else "", f"{warnings} 个需要核对的{WARNING_WORD}" if warnings else "") if x)
    opening = (
        f"你单位报送的{report}（文件“{Path(result.file).name}”）经校验，发现以下 {counted}，"
        + (_PUBLISHED_BESIDE if published_beside else _SUMMED_WITH_ERRORS if errors and summed
           else "暂未计入汇总。" if errors else "请核对。")
        + "每条问题写明了所在位置和算式："
    )
    steps = [
        f"请打开随本通知退回的工作簿“{workbook_name}”：它首先显示问题清单，出问题的单元格标为红色并附有批注。"
        f"请逐条核对改正，检查全部合计与勾稽关系（工作簿的“{SHEET_CHECKS}”表全部为 ✓），再重新报送该工作簿。",
    ]
    if result.report is not None and result.report.document:  # a published report, as the reader found by content
        steps.append(
            "你单位报送的是已发布的报告文本，工作簿中的数字是按报告中的表格填入的，括号中的位置（如“第2个表格 第12行第4列”）"
            "指报告中的表格；请在工作簿中改正后报送，并同步更正已发布的报告。"
        )
    steps.append(f"请于{_date(due)}前重新报送。" if due else "请尽快改正后重新报送。")
    return Notice(
        title=f"关于退回修改{report}的通知",
        to=unit,
        opening=opening,
        findings=tuple(findings),
        steps=tuple(steps),
        sender=sender or "",
        issued=_date(issued or _dt.date.today()),
    )


# --------------------------------------------------------------------------------------------
# Writing the packages
# --------------------------------------------------------------------------------------------


def folder_name(unit: str | None, file: str) -> str:
    """A folder name for a unit: its name (or the file's name), safe on every file system."""
    name = _UNSAFE.sub("_", (unit or Path(file).stem).strip()).strip(" .")
    return name[:_NAME_MAX] or "未填单位名称"


def _names(results: Sequence) -> list[str]:
    """Distinct folder names, in order: a second file of the same name gets its file's name added."""
    names: list[str] = []
    for result in results:
        name = folder_name(result.unit, result.file)
        if name in names:
            name = folder_name(f"{name}-{Path(result.file).stem}", result.file)
        while name in names:
            name += "_"
        names.append(name)
    return names


def failing(results: Iterable[FileResult], *, strict: bool = False) -> list[FileResult]:
    """The readable files that must go back: with errors (with ``strict``, with warnings too)."""
    return [r for r in results if r.readable and not r.is_valid(strict)]


def check_return_dir(out_dir: str | os.PathLike, inputs: Iterable[str | os.PathLike] = ()) -> None:
    """What can be refused before any file is read: a return "folder" that is a file, or one inside
    an input folder (``ReturnsRequest.refuse_early``, which ``check`` and ``merge`` call first)."""
    target_dir = Path(out_dir)
    if target_dir.exists() and not target_dir.is_dir():
        raise error("OUTPUT_NOT_WRITABLE.RETURN_DIR_IS_FILE", target_dir=target_dir, path=str(target_dir))
    outside_input_folders(target_dir, inputs, f"退回文件夹 {target_dir} ")


def refuse_existing_packages(returned: Sequence, out_dir: str | os.PathLike, *, force: bool = False) -> list[str]:
    """The folder names of the units ``returned`` (FileResults or a batch's UnitRows: their
    ``unit`` and ``file``); ``OutputExists`` when one exists already and ``force`` is not given —
    raised before anything is written (a merge asks this before writing its workbook)."""
    target_dir = Path(out_dir)
    names = _names(returned)
    existing = [target_dir / n for n in names if (target_dir / n).exists()]
    if existing and not force:
        listed = "、".join(str(p) for p in existing)
        raise error("OUTPUT_EXISTS.RETURN_FOLDERS", listed=listed, path=str(existing[0]))
    return names


def returned_rows(rows: Iterable, *, strict: bool = False) -> list:
    """The rows of a merge (or summary) whose units get a return package: not summed for errors,
    or summed with errors (--include-failing), or a published report with errors beside the workbook
    that was summed, or a template sent out to the unit and sent back unfilled (as ``check``
    returns it); with ``strict`` summed with warnings too."""
    return [
        row for row in rows
        if row.status == "failed"
        or row.status == "blank" and row.unit  # 未填写: the unit the template was sent to is told
        or row.status == "published" and row.errors  # a published report that disagrees with the workbook summed
        or row.status in ACCEPTED and (row.errors or strict and row.warnings)
    ]


def _place(staged: Path, target: Path, force: bool) -> None:
    """Move a finished folder into place; an existing one (with ``force``) only once the new one is complete."""
    if target.exists():
        if not force:  # appeared while we were writing
            raise error("OUTPUT_EXISTS.RETURN_FOLDER", target=target, path=str(target))
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        try:
            replace(target, old / target.name, "退回文件夹 ", named=target)  # a file in it open in Excel or WPS
        except BaseException:
            shutil.rmtree(old, ignore_errors=True)
            raise
        os.replace(staged, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        replace(staged, target, "退回文件夹 ")


def write_returns(
    results: Sequence[FileResult],
    out_dir: str | os.PathLike,
    *,
    strict: bool = False,
    due: _dt.date | None = None,
    sender: str | None = None,
    force: bool = False,
    inputs: Iterable[str | os.PathLike] = (),
    summed: Iterable[str] = (),
) -> Returns:
    """Write a return package for every failing file among ``results`` into ``out_dir``.

    ``results`` are checked files with their Reports (``batch.check``; a command passes a
    ``ReturnsRequest`` to ``check`` or ``merge`` instead, which keep the Reports of the failing
    files).  Raises ``OutputExists`` before writing anything when a unit's folder exists and
    ``force`` is not given, and ``OutputIsInput`` when ``out_dir`` lies in one of the input
    folders ``inputs`` (the next check would read the returned workbooks as reports).
    ``summed``: the files whose numbers a merge added to the total despite their errors
    (--include-failing); their notices say so.
    """
    request = ReturnsRequest(Path(out_dir), due=due, sender=sender, force=force)
    request.refuse_early(inputs)
    return request.write(results, strict=strict, summed=summed)


@dataclass(frozen=True)
class ReturnsRequest:
    """``--return-dir``: a return package for every unit that does not pass, into ``folder``.

    Passed to ``batch.check`` and ``merger.merge``, which refuse the folder before any file is
    read (``refuse_early``), keep the Reports of the failing files as they check them, and write
    the packages from those (``write``, ``write_for``) — no file is read a second time."""

    folder: Path
    due: _dt.date | None = None
    sender: str | None = None  # who signs the notices (merge: the county)
    force: bool = False  # replace a unit's folder that exists

    def refuse_early(self, inputs: Iterable[str | os.PathLike] = ()) -> None:
        """Before any file is read: the folder is no file and lies in no input folder."""
        check_return_dir(self.folder, inputs)

    def refuse_existing(self, assessment) -> None:
        """Before a merge writes its workbook: no unit's folder exists (unless ``force``)."""
        refuse_existing_packages(returned_rows(assessment.rows), self.folder, force=self.force)

    def write_for(self, assessment) -> Returns:
        """The packages of the units a merge did not sum for errors (``returned_rows``)."""
        returned = returned_rows(assessment.rows)
        rows = set(map(id, returned))
        summed = [row.file for row in returned if row.status in ACCEPTED]  # --include-failing
        beside = [row.file for row in returned if row.status == "published"]
        chosen = [r for row, r in zip(assessment.rows, assessment.results) if id(row) in rows]
        return self.write(chosen, summed=summed, published_beside=beside)

    def write(self, results: Sequence[FileResult], *, strict: bool = False, summed: Iterable[str] = (),
              published_beside: Iterable[str] = ()) -> Returns:
        """A package for each file among ``results`` that does not pass (with ``strict``, warnings
        fail too); each file's Report is the one its check kept."""
        target_dir = self.folder
        chosen = failing(results, strict=strict)
        missing = [r.file for r in chosen if r.report is None]
        if missing:  # a programming error: the check was not asked to keep them
            raise ValueError(f"return packages need the checked reports, not digests: {missing[0]}")
        names = refuse_existing_packages(chosen, target_dir, force=self.force)
        try:
            target_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise error("OUTPUT_NOT_WRITABLE.RETURN_DIR", target_dir=target_dir, reason=os_reason(exc), path=str(target_dir)) from exc

        summed_files, beside = frozenset(summed), frozenset(published_beside)
        out = Returns(target_dir)
        for name, result in zip(names, chosen):
            out.packages.append(self._package(result, name, strict, summed=result.file in summed_files,
                                              published_beside=result.file in beside))
        return out

    def _package(self, result: FileResult, name: str, strict: bool, summed: bool = False,
                 published_beside: bool = False) -> ReturnPackage:
        target_dir = self.folder
        shown = problems(result, strict=strict)
        workbook_name = f"{WORKBOOK_PREFIX}{folder_name(None, result.file)}.xlsx"
        words = notice(result, shown, workbook_name, due=self.due, sender=self.sender, summed=summed,
                       published_beside=published_beside)
        staged = Path(tempfile.mkdtemp(prefix=f".{name}.", suffix=".tmp", dir=target_dir))
        try:
            annotate(result, staged / workbook_name, findings=shown)
            from .writing.docx import docx_bytes

            (staged / f"{NOTICE_NAME}.docx").write_bytes(docx_bytes(words.document()))
            (staged / f"{NOTICE_NAME}.txt").write_text(words.text(), encoding="utf-8-sig")
            os.chmod(staged, 0o755)
            folder = target_dir / name
            _place(staged, folder, self.force)
        except BaseException:
            shutil.rmtree(staged, ignore_errors=True)
            raise
        return ReturnPackage(
            unit=result.unit,
            file=result.file,
            folder=folder,
            workbook=folder / workbook_name,
            notice=folder / f"{NOTICE_NAME}.docx",
            notice_text=folder / f"{NOTICE_NAME}.txt",
            findings=shown,
        )


def parse_due(text: str | None) -> _dt.date | None:
    """``--due``: a date as a clerk types it (``dates.parse_date``); a usage error otherwise."""
    if text is None:
        return None
    from .dates import parse_date

    due = parse_date(text)
    if due is None:
        raise error("INVALID_DATA.DUE_DATE", text=text)
    return due
