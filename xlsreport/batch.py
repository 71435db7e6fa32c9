"""Many files at once: checking each file of a batch, once, in parallel when asked.

``check``, ``summarize`` and ``merge`` all go through here, so they see the same files, say the
same thing about a missing input, and decide the same way what goes into a sum.  The jobs are
split by module:

* ``inputs``    which files a command reads (``collect_inputs``), each once;
* ``previous``  last year's reports (``--previous``), read once and matched once to each file;
* ``batch``     one ``checker.check_report`` per file (here; in parallel with ``jobs``), one
  unreadable file never stopping the batch; a file's Report kept as asked (``keep_reports``);
* ``verdict``   the statuses of a checked batch (``assess``) and ``Assessment``;
* ``sums``      adding reports up.

The names of those modules are re-exported here, as the one place a caller imports the batch from.
"""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Literal, Sequence, Union

from .checker import check_report
from .compare import Side, compare_reports, side
from .errors import XlsreportError, error, message
from .inputs import NOTE_SUFFIXES, REPORT_SUFFIXES, Inputs, Outcome, collect_inputs, existing_file, missing_input, read_outcome
from .model import CheckResult, FileResult, Finding, Report
from .rules import UNREADABLE, UNTOUCHED
from .previous import Previous, PreviousYear, match_previous, previous_reports, read_previous
from .sums import sum_reports
from .verdict import Assessment, OfAssessment, UnitRow, assess, pair_key, batch_year, resolve_roster, submission_date, unit_label

if TYPE_CHECKING:
    from .returns import ReturnsRequest

__all__ = [
    "NOTE_SUFFIXES", "REPORT_SUFFIXES", "Inputs", "collect_inputs", "existing_file", "missing_input",
    "Previous", "PreviousYear", "match_previous", "previous_reports", "read_previous",
    "sum_reports", "Assessment", "OfAssessment", "UnitRow", "assess", "batch_year", "resolve_roster", "submission_date",
    "Progress", "check", "check_file", "check_and_assess",
]

Progress = Callable[[int, int, str], None]
# Which checked files keep their Report: all, none (a Digest each: flat memory over thousands of
# files), or "failing" — those that do not pass (under ``strict``), which return packages are made of.
Keep = Union[bool, Literal["failing"]]


def _unreadable(path: str, message: str, code: str) -> FileResult:
    """A file that could not be read: one error finding with the error's code (ENCRYPTED, …) and
    message, counted by check and summary like any other."""
    return FileResult(file=path, findings=[Finding.unreadable(code, message, file=path)])


def _check_path(
    path: str,
    previous: tuple[Report, ...] = (),
    single: bool = True,
    keep_report: Keep = True,
    strict: bool = False,
    outcome: Outcome | None = None,
) -> FileResult:
    """Read (unless ``outcome`` is what reading it gave already) and check one file."""
    if outcome is None:
        outcome = read_outcome(path)
    if isinstance(outcome, XlsreportError):
        return _unreadable(path, outcome.message, outcome.code)
    if isinstance(outcome, OSError):
        return _unreadable(path, message("UNREADABLE.CANNOT_OPEN", name=path, reason=outcome.strerror or outcome), UNREADABLE)
    if isinstance(outcome, Exception):  # a reader bug must not stop a county's batch of 300 files
        internal = Finding.of("INTERNAL", file=path, name=path, error=f"{type(outcome).__name__}: {outcome}")
        return FileResult(file=path, findings=[internal])
    report = outcome
    matched = match_previous(report, previous, single)
    findings = check_report(report, previous[matched] if matched is not None else None)
    if previous and matched is None and not any(f.rule == UNTOUCHED for f in findings):  # a blank form: nothing to compare
        findings.append(
            Finding.of("YEAR.NO_PREVIOUS", file=path, unit=report.unit, year=report.year,
                       prev_source=f"共 {len(previous)} 份", unit_label=unit_label(report.unit))
        )
    result = FileResult(file=path, report=report, findings=findings, previous=matched)
    # A published report that passes here may still fail when compared with its workbook (at the
    # end of the batch): "failing" keeps its Report too, for the return package it may then need.
    if keep_report is True or keep_report == "failing" and (not result.is_valid(strict) or report.document):
        return result
    result.side = side(report)  # what pairing a published report with its workbook needs, without the Report
    return result.compact()


def check_file(path: str | os.PathLike, previous: Previous | PreviousYear = None, *, single: bool = True) -> FileResult:
    """Read one file and check it.  A file that cannot be read gives a finding with the error's
    code and Chinese message (``FileResult.failure``), never an exception, so a batch goes on.  ``single=False``
    matches last year's report by unit name only, as in a batch of several files."""
    return _check_path(str(path), previous_reports(previous), single)


def check(
    paths: Iterable[str | os.PathLike] | str | os.PathLike | Inputs,
    *,
    previous: Previous | PreviousYear = None,
    strict: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    keep_reports: Keep = True,
    sink: Callable[[FileResult], None] | None = None,
    returns: ReturnsRequest | None = None,
    against: str | os.PathLike | None = None,
) -> CheckResult:
    """Check files, folders and globs (``collect_inputs``; or ``Inputs`` collected already).
    One unreadable file never stops the batch; results come in the order of the inputs whatever
    ``jobs`` is.  ``previous`` (last year's report or reports) is matched to each file by unit
    name.  ``progress(done, total, path)`` is called after each file.  ``keep_reports=False``
    keeps a small ``Digest`` per file instead of its Report, so that memory stays flat over
    thousands of files (``"failing"``: the Report of a file that does not pass is kept).  With
    ``sink``, each file's result goes to ``sink`` as soon as it is checked and is not kept
    (``result.files`` stays empty; see ``model.CheckStream``).  With ``returns``, a return
    package is written for every file that does not pass (``CheckResult.returns``); its folder is
    refused before any file is read.

    A published report and a workbook of the same unit and year among the files are compared
    number by number (``compare.compare_reports``; the findings go to the published report's
    result); with a ``sink``, the published reports' results come after the workbooks'.
    ``against`` (one input only): the workbook — or published report — to compare the input
    with, whoever it names (``check PUBLISHED --against SUBMITTED``)."""
    if returns is not None:
        if sink is not None:
            raise ValueError("return packages need the checked files: no sink")
        returns.refuse_early(paths.given if isinstance(paths, Inputs) else paths)
        # one file compared --against another may fail only after its own check: keep its Report
        keep_reports = True if against is not None else keep_reports or "failing"
    inputs = collect_inputs(paths)
    files = [str(p) for p in inputs.files]
    if against is not None and len(files) != 1:
        raise error("INVALID_DATA.AGAINST_MANY", count=len(files))
    counterpart = _read_against(against) if against is not None else None
    known = {str(p): inputs.outcome(p) for p in list(inputs.read)}  # read already, to sort a folder's .txt files
    reports = previous_reports(previous)
    total = len(files)
    result = CheckResult(strict=strict, skipped=inputs.skipped_findings())
    pairs = _Pairs(sink or result.files.append, counterpart, hold=sink is not None)
    keep = pairs.keep
    parallel = jobs > 1 and total > 1
    # A report sent back from a worker process costs more to pickle than its digest to compute.
    keep_report = keep_reports if sink is None else not parallel
    worker = partial(_check_path, previous=reports, single=total == 1, keep_report=keep_report, strict=strict)
    with _retained_results() as freeze:
        settle = freeze if sink is None else _nothing  # a sink keeps nothing to freeze
        if parallel:
            from concurrent.futures import ProcessPoolExecutor  # ~11 ms of imports, only for --jobs

            workers = min(jobs, total)
            chunk = max(1, min(64, total // (workers * 4)))
            with ProcessPoolExecutor(max_workers=workers) as pool:
                # the files read already are checked here, in their place: nothing is read twice
                remote = pool.map(worker, [f for f in files if f not in known], chunksize=chunk)
                for done, path in enumerate(files, 1):
                    file_result = worker(path, outcome=known[path]) if path in known else next(remote)
                    keep(file_result)
                    settle()
                    if progress:
                        progress(done, total, file_result.file)
        else:
            for done, path in enumerate(files, 1):
                keep(worker(path, outcome=known.pop(path, None)))
                settle()
                if progress:
                    progress(done, total, path)
    pairs.close()
    if returns is not None:
        result.returns = returns.write(result.files, strict=strict)
    return result


def _read_against(path: str | os.PathLike) -> Report:
    """The file of ``--against``, read (an unreadable one stops the command: exit 3)."""
    from .reading.report import read

    existing_file(path)
    report = read(path)
    if _unfilled(report):  # its blank cells are not the unit's figures: nothing to compare with
        raise error("INVALID_DATA.AGAINST_UNFILLED", name=path)
    return report


def _unfilled(report: Report) -> bool:
    from .checker import check_report

    return not report.document and any(f.rule == UNTOUCHED for f in check_report(report))


class _Pairs:
    """Compares each published report with the workbook of the same unit and year in the batch
    (or with ``--against``).  Results go on to ``keep`` as they come; a published report's
    findings are added at the end of the batch (its workbook may come later) — with ``hold`` (a
    sink that writes each result at once) the published reports themselves wait till then.

    A file kept as a digest (summary, merge: flat memory) is compared through the small
    ``compare.Side`` its check kept: nothing is read twice."""

    def __init__(self, keep: Callable[[FileResult], None], against: Report | None = None, *, hold: bool = False) -> None:
        self.forward = keep
        self.against = against
        self.hold = hold
        self.workbooks: dict[tuple[str, int | None], Side] = {}
        self.documents: list[FileResult] = []

    def keep(self, result: FileResult) -> None:
        if self.against is not None:
            self._compare(result, self.against)
            self.forward(result)
            return
        key = pair_key(result)
        if key is not None and result.document:
            self.documents.append(result)
            if not self.hold:
                self.forward(result)
            return
        if key is not None and key not in self.workbooks and not any(f.rule == UNTOUCHED for f in result.findings):
            self.workbooks[key] = _side_of(result)  # a blank form (未填写) holds no figures of the unit's
        self.forward(result)

    def close(self) -> None:
        for result in self.documents:
            workbook = self.workbooks.get(pair_key(result))  # type: ignore[arg-type]
            if workbook is not None:
                self._compare(result, workbook)
            if self.hold:
                self.forward(result)

    @staticmethod
    def _compare(result: FileResult, other: Report | Side) -> None:
        if not result.readable:
            return
        found = [replace(f, file=result.file, unit=result.unit, year=result.year) for f in compare_reports(_side_of(result), other)]
        result.findings[:0] = found  # what the comparison was asked for comes first


def _side_of(result: FileResult) -> Side:
    """The comparable view of a checked file: made from its Report, or kept when it was compacted."""
    return result.side if result.report is None else side(result.report)


def _nothing() -> None:
    pass


@contextmanager
def _retained_results() -> Iterator[Callable[[], None]]:
    """Keep the garbage collector from rescanning the results a batch has already kept.

    Every retained ``FileResult`` holds a few hundred tracked objects; without this, each gen-2
    collection walks all of them again, which made the per-file cost grow with the batch
    (0.8 ms/file at 1000 files, 1.1 ms at 10,000).  ``settle()`` after each file moves what is
    alive into the collector's permanent generation (``gc.freeze``: constant time); collection of
    the next file's own temporaries goes on as usual.  The frozen objects are handed back to the
    collector when the batch ends, also on error.  Nothing is done when the caller froze objects
    of its own (unfreezing would release theirs too).
    """
    if gc.get_freeze_count() or not gc.isenabled():
        yield lambda: None
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


def check_and_assess(
    inputs: Inputs,
    *,
    year: int | None = None,
    roster: Sequence[str] | None = None,
    include_failing: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    previous: Previous | PreviousYear = None,
    keep_failing: bool = False,
) -> Assessment:
    """Check collected inputs (keeping digests only; with ``keep_failing``, the Reports of the
    files with errors too, for their return packages) and assess them: what summary and merge share."""
    result = check(inputs, previous=previous, jobs=jobs, progress=progress, keep_reports="failing" if keep_failing else False)
    return assess(result.files, year=year, roster=roster, include_failing=include_failing, skipped=inputs.skipped_findings())
