"""Many files at once: which inputs are reports, checking each, and the verdict on the batch.

``check``, ``summarize`` and ``merge`` all go through here, so they see the same files, say
the same thing about a missing input, and decide the same way what goes into a sum:

* ``collect_inputs``  files as named, folders recursively, globs; files in a folder that are not
  reports (a note, a photo) are *skipped and listed*, never silently dropped;
* ``check``           one ``checker.check_report`` per file (in parallel with ``jobs``), one
  unreadable file never stopping the batch;
* ``assess``          the statuses of a checked batch, in named steps (unreadable → wrong year →
  duplicates → errors → roster), and ``Assessment`` — the batch result that knows its exit code.
"""

from __future__ import annotations

import datetime as _dt
import gc
import glob
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, Literal, Sequence, Union

from .checker import check_report
from .dates import parse_date
from .errors import ExitCode, InvalidData, XlsreportError
from .form import NUMERIC_LEAVES, UNIT_YEAR, Path as FormPath, empty_data, get_path, key_figures, set_path
from .model import ACCEPTED, STATUS_LABELS, CheckResult, Digest, FileResult, Finding, Report, Status, normalise_unit_name
from .reading.producers import READ_SUFFIXES
from .roster import load_roster

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

Previous = Union[Report, Sequence[Report], None]
Progress = Callable[[int, int, str], None]


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass
class Inputs:
    """The files to read, in order, each once; and the files found beside them that are not reports."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    why: dict[Path, str] = field(default_factory=dict)  # a skipped file's kind when its suffix does not say it

    def skipped_findings(self) -> list[Finding]:
        return [
            Finding.of("INPUT.SKIPPED", file=str(p), name=str(p), kind=self.why.get(p) or p.suffix or "无扩展名")
            for p in self.skipped
        ]

    def take(self, path: Path, add: Callable[[Path], None]) -> bool:
        """Add a file found in a folder or by a glob when it is a report; list it as skipped
        otherwise.  True when added."""
        if not _is_report(path):
            self.skipped.append(path)
            return False
        if path.suffix.lower() in NOTE_SUFFIXES:
            why_not = why_not_a_report(path)
            if why_not:
                self.skipped.append(path)
                self.why[path] = f"{path.suffix}，{why_not}"
                return False
        add(path)
        return True


def why_not_a_report(path: Path) -> str | None:
    """Why the file holds no value of the form ("其中没有年度报告的表格"), or None when it does.
    A file the reader trips over counts as a report: its error is then reported like any report's."""
    from .errors import NotAForm, UnreadableWorkbook, UnsupportedFormat
    from .reading.report import read

    try:
        read(path)
    except (NotAForm, UnsupportedFormat):
        return "其中没有年度报告的表格"
    except UnreadableWorkbook:  # an unknown encoding, a binary, over the limits: not a note's text either
        return "无法作为报告读取"
    except Exception:  # noqa: BLE001 - a reader bug: let the batch report it on this file
        return None
    return None


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


def _walk(folder: Path, inputs: Inputs, add: Callable[[Path], None]) -> int:
    """Add the reports under ``folder`` (sorted, recursively); list the other files as skipped."""
    found = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if _hidden(name):
                continue
            found += inputs.take(Path(dirpath) / name, add)
    return found


def missing_input(path: str | os.PathLike) -> InvalidData:
    """The one error for an input that does not exist: a usage error (exit 2), like a mistyped option."""
    return InvalidData(f"找不到输入文件或文件夹 {os.fspath(path)}：请检查文件名和路径。", path=os.fspath(path))


def existing_file(path: str | os.PathLike) -> Path:
    """``path`` when it exists (a command that reads one file: read, --previous), else ``missing_input``."""
    if not os.path.exists(path):
        raise missing_input(path)
    return Path(path)


def collect_inputs(given: Iterable[str | os.PathLike] | str | os.PathLike) -> Inputs:
    """The files to read: files as named (whatever their suffix), reports under folders
    (recursively, sorted, hidden and lock files left out) and files matching globs, each once.

    Raises ``InvalidData`` (a usage error, exit 2) for a name that matches nothing and for a
    folder or glob holding no report — a smaller total must never pass unnoticed.
    """
    if isinstance(given, (str, os.PathLike)):
        given = [given]
    inputs = Inputs()
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            inputs.files.append(path)

    for item in given:
        path = Path(item)
        if path.is_dir():
            before = len(inputs.skipped)
            if not _walk(path, inputs, add):
                raise InvalidData(f"文件夹 {path} 中没有找到报表文件（{_suffixes()}）{_passed_over(inputs, before)}。", path=str(path))
        elif path.exists():
            add(path)
        elif _GLOB_CHARS.search(str(item)):
            before = len(inputs.skipped)
            found = 0
            for match in sorted(Path(p) for p in glob.glob(str(item), recursive=True)):
                if match.is_dir():
                    found += _walk(match, inputs, add)
                elif match.is_file() and not _hidden(match.name):
                    found += inputs.take(match, add)
            if not found:
                raise InvalidData(f"没有与 {item} 匹配的报表文件（{_suffixes()}）{_passed_over(inputs, before)}。", path=str(item))
        else:
            raise missing_input(path)
    if not inputs.files:
        raise InvalidData("没有给出要处理的报表文件。")
    return inputs


# --------------------------------------------------------------------------------------------
# Checking files
# --------------------------------------------------------------------------------------------


@dataclass
class PreviousYear:
    """Last year's reports (``--previous``: files, folders, globs, workbooks and published
    reports alike), and the files among them that could not be read."""

    reports: list[Report] = field(default_factory=list)
    unreadable: list[dict] = field(default_factory=list)  # [{file, message}]
    skipped: list[Finding] = field(default_factory=list)


def read_previous(given: Iterable[str | os.PathLike] | str | os.PathLike) -> PreviousYear:
    """Read last year's submissions, collected exactly as this year's (``collect_inputs``).  A
    file that cannot be read is listed, never fatal: the other units are still compared."""
    from .reading.report import read  # imported late: the reader is heavier than the checker

    inputs = collect_inputs(given)
    out = PreviousYear(skipped=inputs.skipped_findings())
    for path in inputs.files:
        try:
            out.reports.append(read(path))
        except XlsreportError as err:
            out.unreadable.append({"file": str(path), "message": err.message})
        except OSError as err:
            out.unreadable.append({"file": str(path), "message": f"无法打开文件 {path}：{err.strerror or err}。"})
    return out


# Each of last year's names is compared with every file of this year: normalised once.
_name_key = lru_cache(maxsize=1 << 16)(normalise_unit_name)


def match_previous(report: Report | UnitRow, previous: Sequence[Report], single: bool) -> Report | None:
    """Last year's report for this unit: the one with the same name (the year before preferred);
    with one input and one previous report, that one (a renamed unit is still worth checking)."""
    if not previous:
        return None
    if single and len(previous) == 1:
        return previous[0]
    if report.unit:
        name = _name_key(report.unit)
        same = [p for p in previous if p.unit and _name_key(p.unit) == name]
        if same:
            before = [p for p in same if report.year is not None and p.year == report.year - 1]
            return (before or same)[0]
        return None
    return previous[0] if len(previous) == 1 else None


def previous_reports(previous: Previous | PreviousYear) -> tuple[Report, ...]:
    if previous is None:
        return ()
    if isinstance(previous, Report):
        return (previous,)
    if isinstance(previous, PreviousYear):
        return tuple(previous.reports)
    return tuple(previous)


def _unreadable(path: str, message: str, code: str | None) -> FileResult:
    """A file that could not be read: an UNREADABLE error finding like any other (counted by
    check and summary alike); ``error_code`` keeps the reader's reason (ENCRYPTED, …)."""
    return FileResult(file=path, findings=[Finding.of("UNREADABLE", file=path, reason=message)], error=message, error_code=code)


def _check_path(path: str, previous: tuple[Report, ...] = (), single: bool = True, keep_report: bool = True) -> FileResult:
    from .reading.report import read  # imported late: the reader is heavier than the checker

    try:
        report = read(path)
    except XlsreportError as err:
        return _unreadable(path, err.message, err.code)
    except OSError as err:
        return _unreadable(path, f"无法打开文件 {path}：{err.strerror or err}。", "UNREADABLE")
    except Exception as err:  # a reader bug must not stop a county's batch of 300 files
        internal = Finding.of("INTERNAL", file=path, name=path, error=f"{type(err).__name__}: {err}")
        return FileResult(file=path, findings=[internal], error=internal.message, error_code=internal.rule)
    last_year = match_previous(report, previous, single)
    findings = check_report(report, last_year)
    if previous and last_year is None:
        findings.append(
            Finding.of("YEAR.NO_PREVIOUS", file=path, unit=report.unit, year=report.year,
                       prev_source=f"共 {len(previous)} 份", unit_label=_unit_label(report.unit))
        )
    result = FileResult(file=path, report=report, findings=findings)
    return result if keep_report else result.compact()


def check_file(path: str | os.PathLike, previous: Previous | PreviousYear = None, *, single: bool = True) -> FileResult:
    """Read one file and check it.  A file that cannot be read gives ``FileResult.error``
    (Chinese message and code), never an exception, so a batch goes on.  ``single=False``
    matches last year's report by unit name only, as in a batch of several files."""
    return _check_path(str(path), previous_reports(previous), single)


def check(
    paths: Iterable[str | os.PathLike] | str | os.PathLike,
    *,
    previous: Previous | PreviousYear = None,
    strict: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    keep_reports: bool = True,
    sink: Callable[[FileResult], None] | None = None,
) -> CheckResult:
    """Check files, folders and globs (``collect_inputs``).  One unreadable file never stops the
    batch; results come in the order of the inputs whatever ``jobs`` is.  ``previous`` (last
    year's report or reports) is matched to each file by unit name.  ``progress(done, total,
    path)`` is called after each file.  ``keep_reports=False`` keeps a small ``Digest`` per file
    instead of its Report, so that memory stays flat over thousands of files.  With ``sink``,
    each file's result goes to ``sink`` as soon as it is checked and is not kept
    (``result.files`` stays empty; see ``model.CheckStream``)."""
    inputs = collect_inputs(paths)
    files = [str(p) for p in inputs.files]
    reports = previous_reports(previous)
    total = len(files)
    result = CheckResult(strict=strict, skipped=inputs.skipped_findings())
    keep = sink or result.files.append
    parallel = jobs > 1 and total > 1
    # A report sent back from a worker process costs more to pickle than its digest to compute.
    keep_report = keep_reports if sink is None else not parallel
    worker = partial(_check_path, previous=reports, single=total == 1, keep_report=keep_report)
    with _retained_results() as freeze:
        settle = freeze if sink is None else _nothing  # a sink keeps nothing to freeze
        if parallel:
            from concurrent.futures import ProcessPoolExecutor  # ~11 ms of imports, only for --jobs

            workers = min(jobs, total)
            chunk = max(1, min(64, total // (workers * 4)))
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for done, file_result in enumerate(pool.map(worker, files, chunksize=chunk), 1):
                    keep(file_result)
                    settle()
                    if progress:
                        progress(done, total, file_result.file)
        else:
            for done, path in enumerate(files, 1):
                keep(worker(path))
                settle()
                if progress:
                    progress(done, total, path)
    return result


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


# --------------------------------------------------------------------------------------------
# The verdict on a batch
# --------------------------------------------------------------------------------------------

@dataclass
class UnitRow:
    """One submitted file as the county office sees it: who, which year, merged or why not."""

    file: str
    unit: str | None
    year: int | None
    status: Status
    errors: int = 0
    warnings: int = 0
    figures: dict[str, int | float | None] = field(default_factory=dict)
    ledger_rows: int = 0  # records of the file's application ledger (台账); merge says who kept one

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "year": self.year,
            "file": self.file,
            "status": self.status,
            "status_label": self.status_label,
            "errors": self.errors,
            "warnings": self.warnings,
            "figures": dict(self.figures),
        }


@dataclass
class Assessment:
    """The verdict on a batch of checked files; the common core of a summary and a merge."""

    rows: list[UnitRow]
    findings: list[Finding]  # the checker's findings, unreadable and skipped files, and the batch's own
    missing: list[str]  # roster names with no submission (for the year, when one is given)
    accepted: list[Digest]  # what goes into the sum
    unreadable: list[dict] = field(default_factory=list)  # [{file, message}]
    year: int | None = None
    skipped: list[Finding] = field(default_factory=list)  # files beside the reports that are not reports
    roster_given: bool = False  # False: nobody can be "missing" — no roster was given
    year_inferred: bool = False  # True: ``year`` is the year most files have (no --year given)

    @property
    def complete(self) -> bool:
        """True when every input file went into the sum."""
        return all(row.accepted for row in self.rows)

    def exit_code(self, *, complete: bool = False) -> ExitCode:
        """3 when a file could not be read; with ``complete`` (a merge), 1 when a file was left out."""
        if self.unreadable:
            return ExitCode.UNREADABLE
        return ExitCode.CHECK_FAILED if complete and not self.complete else ExitCode.OK

    def totals(self) -> dict[str, int | float | None]:
        """The key figures of the accepted files added up (a part one file lacks counts as 0
        there); None ("—") for a figure no accepted file has: nothing was added, so no 0 is shown."""
        summed = key_figures(sum_reports(self.accepted))
        held = {key for row in self.rows if row.accepted for key, value in row.figures.items() if value is not None}
        return {key: value if key in held else None for key, value in summed.items()}

    def to_dict(self) -> dict:
        """What a summary and a merge both report: the rows, the gaps, the totals, the findings."""
        return {
            "units": [row.to_dict() for row in self.rows],
            "missing": list(self.missing),
            "unreadable": list(self.unreadable),
            "skipped": [f.to_dict() for f in self.skipped],
            "totals": self.totals(),
            "counts": self.counts(),
            "findings": [f.to_dict() for f in self.findings],
        }

    def counts(self) -> dict:
        by_status = {status: sum(row.status == status for row in self.rows) for status in STATUS_LABELS}
        return {
            "files": len(self.rows),
            "accepted": sum(row.accepted for row in self.rows),
            "missing": len(self.missing),
            "skipped": len(self.skipped),
            **by_status,
        }


class OfAssessment:
    """What a summary and a merge both show of their ``assessment`` (they add their own facts)."""

    assessment: Assessment

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


def _digest(result: FileResult) -> Digest | None:
    """What the batch kept of a file: its digest (a compacted result) or its report's."""
    if result.digest is not None:
        return result.digest
    return result.report.digest() if result.report is not None else None


def submission_date(result: FileResult | Report | Digest) -> _dt.date | None:
    """The 填报日期 of a submission as a date (``dates.parse_date``); None if unusable."""
    source = _digest(result) if isinstance(result, FileResult) else result
    if isinstance(source, Report):
        source = source.digest()
    return parse_date(source.date) if source is not None else None


def _mtime(file: str) -> float:
    try:
        return os.stat(file).st_mtime
    except OSError:
        return 0.0


def _unit_label(name: str | None) -> str:
    """How a message names a unit: 单位「…」, or says that the file does not name one."""
    return f"单位「{name}」" if name else "该文件（未填单位名称）"


def _count(findings: Sequence[Finding], severity: str) -> int:
    return sum(f.severity == severity for f in findings)


class _Batch:
    """The state ``assess`` builds up, step by step: a status and the batch's own findings per file."""

    def __init__(self, results: Sequence[FileResult]) -> None:
        self.results = results
        self.status: dict[int, Status] = {}
        self.own: dict[int, list[Finding]] = {i: list(r.findings) for i, r in enumerate(results)}
        self.batch: dict[int, list[Finding]] = {i: [] for i in range(len(results))}

    def open(self) -> Iterator[tuple[int, FileResult]]:
        """The files without a status yet."""
        return ((i, r) for i, r in enumerate(self.results) if i not in self.status)

    def finding(self, index: int, rule: str, **fields: object) -> Finding:
        r = self.results[index]
        found = Finding.of(rule, file=r.file, unit=r.unit, year=r.year, **fields)
        self.batch[index].append(found)
        return found


def _mark_unreadable(b: _Batch) -> None:
    for index, result in b.open():
        if not result.readable or _digest(result) is None:
            b.status[index] = "unreadable"
            if not any(f.rule in ("UNREADABLE", "INTERNAL") for f in result.findings):  # a result made elsewhere
                rule = "INTERNAL" if result.error_code == "INTERNAL" else "UNREADABLE"  # the reason is in the message
                b.own[index].append(Finding.stated(rule, result.error or "无法读取该文件。", file=result.file))


def _mark_blank(b: _Batch) -> None:
    """A blank template (PLAUS.UNTOUCHED) is nobody's report: never summed, whatever the year."""
    for index, result in b.open():
        if any(f.rule == "PLAUS.UNTOUCHED" for f in result.findings):
            b.status[index] = "blank"
            b.finding(index, "MERGE.BLANK", name=result.file)


def _mark_merged_workbooks(b: _Batch) -> None:
    """A merged workbook (``Digest.summed_units``) beside reports of units it already holds is
    left out: adding it too would count those units twice (a county workbook saved in the inbox)."""
    names = {
        normalise_unit_name(r.unit): r.unit for i, r in enumerate(b.results) if b.status.get(i) is None and r.unit
    }
    for index, result in list(b.open()):
        digest = _digest(result)
        inside = [names[key] for key in dict.fromkeys(normalise_unit_name(u) for u in digest.summed_units) if key in names]
        if not inside:  # a merged workbook alone (a city merging counties) is summed like a report
            continue
        b.status[index] = "summed_twice"
        shown = "、".join(inside[:5]) + (f" 等 {len(inside)} 个单位" if len(inside) > 5 else "")
        b.finding(index, "MERGE.SUMMED_TWICE", name=result.file, unit_label=_unit_label(result.unit), units=shown)


def batch_year(results: Sequence[FileResult], year: int | None = None) -> tuple[int | None, bool]:
    """The year a batch is summed for, and whether it was inferred: ``year`` when given, else the
    year most readable files have (a sum never adds up two years).  None when no file has a year.
    Raises ``InvalidData`` (exit 2) when two years are equally common: only the clerk can choose."""
    if year is not None:
        return year, False
    counts: dict[int, int] = {}
    for result in results:
        if result.year is not None and result.readable:
            counts[result.year] = counts.get(result.year, 0) + 1
    if not counts:
        return None, False
    most = max(counts.values())
    tied = sorted(y for y, n in counts.items() if n == most)
    if len(tied) > 1:
        listed = "、".join(f"{y} 年度 {counts[y]} 个" for y in sorted(counts))
        raise InvalidData(f"这些文件分属不同年度（{listed}），无法确定汇总哪一年：请用 --year 指定报告年度，如 --year {tied[-1]}。")
    return tied[0], len(counts) > 1  # "inferred" is worth saying only when the files disagree


def _mark_wrong_year(b: _Batch, year: int | None, inferred: bool = False) -> None:
    """Files of another year than the batch's, and files without a year, are never summed."""
    why = "（多数文件的年度；可用 --year 指定）" if inferred else ""
    for index, result in b.open():
        if result.year == year and year is not None:
            continue
        b.status[index] = "wrong_year"
        year_cell = _digest(result).year_cell  # type: ignore[union-attr]
        if result.year is not None:
            found = f"的报告年度为 {result.year}，不是本次汇总的 {year} 年度{why}"
        elif year is not None:
            found = f"未填报告年度，无法确认是本次汇总的 {year} 年度{why}"
        else:
            found = "未填报告年度，无法确认是哪一年度的报告"
        b.finding(index, "MERGE.YEAR", cells=(year_cell,), paths=(UNIT_YEAR,), unit_label=_unit_label(result.unit), found=found)


def _mark_duplicates(b: _Batch) -> None:
    """When one unit sent several files for a year, the newest is used (by 填报日期, else by file time)."""
    groups: dict[tuple[str, int | None], list[int]] = {}
    for index, result in b.open():
        name = normalise_unit_name(result.unit)
        if name:  # a file without a unit name cannot be matched with another one
            groups.setdefault((name, result.year), []).append(index)
    for members in groups.values():
        if len(members) < 2:
            continue
        dates = {i: submission_date(b.results[i]) for i in members}
        by_date = None not in dates.values() and len(set(dates.values())) > 1
        if by_date:
            ranked = sorted(members, key=lambda i: (dates[i], _mtime(b.results[i].file), b.results[i].file))
        else:
            ranked = sorted(members, key=lambda i: (_mtime(b.results[i].file), b.results[i].file))
        used = b.results[ranked[-1]]

        def describe(i: int) -> str:
            r = b.results[i]
            if by_date:
                return f"{r.file}（填报日期 {dates[i].isoformat()}）"  # type: ignore[union-attr]
            stamp = _dt.datetime.fromtimestamp(_mtime(r.file)).strftime("%Y-%m-%d %H:%M:%S")
            return f"{r.file}（修改于 {stamp}）"

        for i in ranked[:-1]:
            b.status[i] = "duplicate"
            b.finding(
                i,
                "MERGE.DUPLICATE",
                unit_label=_unit_label(used.unit),
                used_year=used.year,
                other=describe(i),
                used=describe(ranked[-1]),
                basis="填报日期" if by_date else "文件修改时间",
                used_file=used.file,
                this_file=b.results[i].file,
            )


def _mark_errors(b: _Batch, include_failing: bool) -> None:
    for index, result in b.open():
        if _count(result.findings, "error"):
            b.status[index] = "merged_with_errors" if include_failing else "failed"
        else:
            b.status[index] = "merged"


def _roster_gaps(b: _Batch, roster: Sequence[str]) -> list[str]:
    """Units not in the roster get a finding; roster names nobody sent are returned."""
    if not roster:
        return []
    roster_keys = {normalise_unit_name(n) for n in roster}
    for index, result in enumerate(b.results):
        if b.status[index] not in ("unreadable", "blank", "summed_twice") and result.unit and normalise_unit_name(result.unit) not in roster_keys:
            b.finding(index, "MERGE.NOT_IN_ROSTER", unit_label=_unit_label(result.unit))
    submitted = {
        normalise_unit_name(r.unit) for i, r in enumerate(b.results) if b.status[i] not in ("unreadable", "wrong_year", "blank", "summed_twice") and r.unit
    }
    return [n for n in roster if normalise_unit_name(n) not in submitted]


def assess(
    results: Sequence[FileResult],
    *,
    year: int | None = None,
    roster: Sequence[str] | None = None,
    include_failing: bool = False,
    skipped: Sequence[Finding] = (),
) -> Assessment:
    """Decide for every checked file whether it goes into the sum, and why not.

    Unreadable files, blank templates and files with errors are left out (files with errors are
    taken, marked, when ``include_failing``); a file for another year than ``year`` — without
    ``year``, the year most files have (``batch_year``) — or without a year is left out; when one
    unit sent several files for a year, the newest (by 填报日期, else by file time) is used.
    """
    b = _Batch(results)
    _mark_unreadable(b)
    _mark_blank(b)
    _mark_merged_workbooks(b)
    year, inferred = batch_year([r for i, r in enumerate(results) if i not in b.status], year)
    _mark_wrong_year(b, year, inferred)
    _mark_duplicates(b)
    _mark_errors(b, include_failing)
    missing = _roster_gaps(b, list(roster or []))

    rows: list[UnitRow] = []
    accepted: list[Digest] = []
    findings: list[Finding] = list(skipped)
    for index, result in enumerate(results):
        # Figures from recomputed totals, so the totals of a summary are the sum of its rows.
        digest = _digest(result)
        rows.append(
            UnitRow(
                file=result.file,
                unit=result.unit,
                year=result.year,
                status=b.status[index],
                errors=_count(b.own[index], "error"),
                warnings=_count(b.own[index], "warning"),
                figures=key_figures(digest.to_dict() if digest is not None else None),
                ledger_rows=digest.ledger_rows if digest is not None else 0,
            )
        )
        if b.status[index] in ACCEPTED and digest is not None:
            accepted.append(digest)
        for finding in b.own[index] + b.batch[index]:
            if finding.file is None or finding.unit is None:
                finding = Finding(
                    rule=finding.rule,
                    severity=finding.severity,
                    message=finding.message,
                    cells=finding.cells,
                    paths=finding.paths,
                    file=finding.file or result.file,
                    unit=finding.unit or result.unit,
                    year=finding.year if finding.year is not None else result.year,
                )
            findings.append(finding)
    unreadable = [{"file": r.file, "message": r.error or "无法读取该文件。"} for i, r in enumerate(results) if b.status[i] == "unreadable"]
    return Assessment(
        rows=rows, findings=findings, missing=missing, accepted=accepted, unreadable=unreadable, year=year, skipped=list(skipped),
        roster_given=roster is not None, year_inferred=inferred,
    )


def check_and_assess(
    inputs: Inputs,
    *,
    year: int | None = None,
    roster: Sequence[str] | None = None,
    include_failing: bool = False,
    jobs: int = 1,
    progress: Progress | None = None,
    previous: Previous | PreviousYear = None,
) -> Assessment:
    """Check collected inputs (keeping digests only) and assess them: what summary and merge share."""
    result = check(inputs.files, previous=previous, jobs=jobs, progress=progress, keep_reports=False)
    return assess(result.files, year=year, roster=roster, include_failing=include_failing, skipped=inputs.skipped_findings())


def resolve_roster(roster: str | os.PathLike | Sequence[str] | None) -> list[str] | None:
    """A roster given as a file path is loaded; a list of names is taken as it is."""
    if roster is None:
        return None
    if isinstance(roster, (str, os.PathLike)):
        return load_roster(roster)
    return list(roster)


# --------------------------------------------------------------------------------------------
# Adding reports up
# --------------------------------------------------------------------------------------------


def _plain(number: Decimal | int) -> int | float:
    if isinstance(number, int):
        return number
    return int(number) if number == number.to_integral_value() else float(number)


def sum_reports(reports: Iterable[Report | Digest]) -> dict:
    """The numeric values of ``reports`` added up, in the JSON shape of the form.

    Each report contributes its recomputed values (``Digest``): totals from their inputs, never
    a stale cached formula result.  Parts a file does not hold count as 0.  Money is added in
    decimal so that 0.1 + 0.2 万元 is 0.3, not 0.30000000000000004.
    """
    sums: dict[FormPath, Decimal | int] = {leaf.path: 0 for leaf in NUMERIC_LEAVES}
    for report in reports:
        data = (report.digest() if isinstance(report, Report) else report).to_dict()
        for leaf in NUMERIC_LEAVES:
            value = get_path(data, leaf.path)
            if value is None or isinstance(value, bool):
                continue
            if leaf.kind == "money" or isinstance(value, float) and not float(value).is_integer():
                sums[leaf.path] = Decimal(sums[leaf.path]) + Decimal(str(value))
            else:
                sums[leaf.path] = sums[leaf.path] + int(value)
    out = empty_data()
    for path, total in sums.items():
        set_path(out, path, _plain(total))
    return out
