"""The files a command reads: files as named, folders recursively, globs — each once.

``collect_inputs`` is where ``check``, ``summary``, ``merge`` and ``--previous`` find their
files.  Files in a folder that are not reports (a note, a photo) are *skipped and listed*, never
silently dropped.  A file whose suffix is mostly something else (a .txt) is read to see whether
it holds the form; what that reading gave (the Report, or the error) is kept in
``Inputs.read``, so that the check does not read the file a second time.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Union

from .errors import InvalidData, NotAForm, UnreadableWorkbook, UnsupportedFormat, error
from .model import Finding, Report
from .reading.producers import READ_SUFFIXES

# The suffixes of files taken from a folder as reports (a file named explicitly is read whatever
# its name: the content decides): those of the producer table, and
# Formats a report arrives in but the tool cannot read (.doc, WPS 文字 .wps, .rtf, a single-file
# web page .mht) are listed too: such a file is then reported as unreadable with sniff's
# "另存为 …" advice (exit 3) — skipped as "not a report", the unit would look as if it never reported.
REPORT_SUFFIXES: tuple[str, ...] = READ_SUFFIXES + (".doc", ".wps", ".rtf", ".mht", ".mhtml")
# Of those, the suffixes whose files in a folder are mostly something else — a .txt beside the
# reports is a note (说明.txt) far more often than a report saved as text (the seed).  Such a
# file found in a folder or by a glob is taken only when its content holds the form; otherwise
# it is listed as skipped like a photo.  A file named explicitly is read and its error reported.
# .docx/.html/.pdf are not among them: a Word file or PDF without a table of the form is usually
# a report whose tables are pictures, and a report must never pass as "skipped".
NOTE_SUFFIXES: tuple[str, ...] = (".txt",)

Outcome = Union[Report, Exception]  # what reading a file gave


@dataclass
class Inputs:
    """The files to read, in order, each once; and the files found beside them that are not reports."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    why: dict[Path, str] = field(default_factory=dict)  # a skipped file's kind when its suffix does not say it
    # What reading a file to sort it gave (a .txt: a note or a report?), its Report or the
    # exception: the check takes it from here instead of reading the file again.
    read: dict[Path, Outcome] = field(default_factory=dict)
    given: list[str | os.PathLike] = field(default_factory=list)  # as named (folders: no output may go in them)
    _seen: set[Path] = field(default_factory=set, repr=False)  # resolved paths of ``files``

    def add(self, path: Path) -> bool:
        """Add a file to read unless it is in already (by its resolved path).  True when added."""
        key = path.resolve()
        if key in self._seen:
            return False
        self._seen.add(key)
        self.files.append(path)
        return True

    def outcome(self, path: Path) -> Outcome:
        """What reading ``path`` gives: the outcome kept when it was sorted, else read now."""
        kept = self.read.pop(path, None)
        return kept if kept is not None else read_outcome(path)

    def skipped_findings(self) -> list[Finding]:
        return [
            Finding.of("INPUT.SKIPPED", file=str(p), name=str(p), kind=self.why.get(p) or p.suffix or "无扩展名")
            for p in self.skipped
        ]

    def take(self, path: Path) -> bool:
        """Add a file found in a folder or by a glob when it is a report; list it as skipped
        otherwise.  True when added."""
        if not _is_report(path):
            self.skipped.append(path)
            return False
        outcome: Outcome | None = None
        if path.suffix.lower() in NOTE_SUFFIXES and path.resolve() not in self._seen:
            outcome = read_outcome(path)
            why_not = why_not_a_report(outcome)
            if why_not:
                self.skipped.append(path)
                self.why[path] = f"{path.suffix}，{why_not}"
                return False
        if self.add(path) and outcome is not None:
            self.read[path] = outcome
        return True


def read_outcome(path: str | os.PathLike) -> Outcome:
    """``read(path)``, or the exception it raised (kept: the batch reports it on this file)."""
    from .reading.report import read  # imported late: the reader is heavier than the batch

    try:
        return read(path)
    except Exception as err:  # noqa: BLE001 - every outcome is the batch's to report
        return err


def why_not_a_report(outcome: Outcome) -> str | None:
    """Why a file read for sorting holds no value of the form ("其中没有年度报告的表格"), or None
    when it does.  A file the reader trips over counts as a report: its error is then reported
    like any report's."""
    if isinstance(outcome, (NotAForm, UnsupportedFormat)):
        return "其中没有年度报告的表格"
    if isinstance(outcome, UnreadableWorkbook):  # an unknown encoding, a binary, over the limits: not a note's text either
        return "无法作为报告读取"
    return None  # a report, or a reader bug: let the batch report it on this file


_GLOB_CHARS = re.compile(r"[*?\[]")


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))  # hidden files and Office lock files (~$...)


def _is_report(path: Path) -> bool:
    return path.suffix.lower() in REPORT_SUFFIXES


def _suffixes() -> str:
    return "、".join(REPORT_SUFFIXES)


def _passed_over(inputs: Inputs, since: int) -> str:
    """"：其中只有 p.jpg、说明.txt（均不是报表）" — the files found but not taken, so that a
    clerk sees what is there (a report saved under an unexpected name is recognised at once)."""
    found = inputs.skipped[since:]
    if not found:
        return ""
    shown = "、".join(str(p) for p in found[:10]) + (f" 等 {len(found)} 个文件" if len(found) > 10 else "")
    return f"：其中只有 {shown}（不是报表，已跳过）"


def _walk(folder: Path, inputs: Inputs) -> int:
    """Add the reports under ``folder`` (sorted, recursively); list the other files as skipped."""
    found = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if _hidden(name):
                continue
            found += inputs.take(Path(dirpath) / name)
    return found


def missing_input(path: str | os.PathLike) -> InvalidData:
    """The one error for an input that does not exist: a usage error (exit 2), like a mistyped option."""
    return error("INVALID_DATA.INPUT_NOT_FOUND", name=os.fspath(path), path=os.fspath(path))


def existing_file(path: str | os.PathLike) -> Path:
    """``path`` when it is an existing file (a command that reads one file: read, render,
    import), else ``missing_input``; a folder is a usage error too (exit 2), said with the commands
    that do take folders."""
    if not os.path.exists(path):
        raise missing_input(path)
    if os.path.isdir(path):
        raise error("INVALID_DATA.FOLDER_FOR_ONE_FILE", name=os.fspath(path), path=os.fspath(path))
    return Path(path)


def collect_inputs(given: Iterable[str | os.PathLike] | str | os.PathLike | Inputs) -> Inputs:
    """The files to read: files as named (whatever their suffix), reports under folders
    (recursively, sorted, hidden and lock files left out) and files matching globs, each once.

    Raises ``InvalidData`` (a usage error, exit 2) for a name that matches nothing and for a
    folder or glob holding no report — a smaller total must never pass unnoticed.
    """
    if isinstance(given, Inputs):  # collected already: each file is looked at once
        return given
    if isinstance(given, (str, os.PathLike)):
        given = [given]
    inputs = Inputs(given=list(given))
    for item in inputs.given:
        path = Path(item)
        if path.is_dir():
            before = len(inputs.skipped)
            if not _walk(path, inputs):
                raise error("INVALID_DATA.FOLDER_WITHOUT_REPORTS", name=path, suffixes=_suffixes(), found=_passed_over(inputs, before), path=str(path))
        elif path.exists():
            inputs.add(path)
        elif _GLOB_CHARS.search(str(item)):
            before = len(inputs.skipped)
            found = 0
            for match in sorted(Path(p) for p in glob.glob(str(item), recursive=True)):
                if match.is_dir():
                    found += _walk(match, inputs)
                elif match.is_file() and not _hidden(match.name):
                    found += inputs.take(match)
            if not found:
                raise error("INVALID_DATA.GLOB_WITHOUT_REPORTS", item=item, suffixes=_suffixes(), found=_passed_over(inputs, before), path=str(item))
        else:
            raise missing_input(path)
    if not inputs.files:
        raise error("INVALID_DATA.NO_INPUT")
    return inputs
