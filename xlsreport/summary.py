"""Who reported what: one row per submitted file, the same rows that a merge lists in 明细.

``summarize`` and ``merge`` share everything here — the key figures, the statuses, the rules for
duplicates, wrong years and roster gaps — so the summary a clerk looks at before merging is
exactly what the merged workbook will say afterwards.
"""

from __future__ import annotations

import datetime as _dt
import glob
import os
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable, Literal, Sequence

from .errors import InvalidData
from .form import LEAF_BY_PATH, NUMERIC_LEAVES, Path as FormPath, empty_data, get_path, set_path
from .model import Digest, FileResult, Finding, Report
from .roster import load_roster, normalise_unit_name


# --------------------------------------------------------------------------------------------
# Key figures: the few numbers a county office compares across its units
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    """A headline number of a report: the sum of one or more form values."""

    key: str
    label: str
    paths: tuple[FormPath, ...]
    short: str  # the column heading where the label does not fit (an 80-column terminal)

    def value(self, data: dict) -> int | float | None:
        """The figure from a report's JSON shape; None when the file does not hold that part."""
        values = [get_path(data, path) for path in self.paths]
        if any(v is None for v in values):
            return None
        return sum(values)


KEY_FIGURES: tuple[KeyFigure, ...] = (
    KeyFigure("proactive_total", "主动公开合计", (("categories", "total"),), short="主动公开"),
    KeyFigure("new_applications", "本年新收", (("applications", "new", "total"),), short="新收"),
    KeyFigure("handled_total", "办结（七）总计", (("applications", "handled_total", "total"),), short="办结"),
    KeyFigure("carried_forward", "结转下年度", (("applications", "carried_forward", "total"),), short="结转"),
    KeyFigure("review_total", "复议总计", (("review_litigation", "review", "total"),), short="复议"),
    KeyFigure(
        "litigation_total",
        "诉讼总计",
        (("review_litigation", "litigation_direct", "total"), ("review_litigation", "litigation_after_review", "total")),
        short="诉讼",
    ),
)

# Every path a key figure reads must be a value of the form: a typo here fails at import.
for _figure in KEY_FIGURES:
    for _path in _figure.paths:
        assert _path in LEAF_BY_PATH, _path


def key_figures(data: dict | None) -> dict[str, int | float | None]:
    """Every key figure of one report (or of a merged sum), by key."""
    return {figure.key: (figure.value(data) if data is not None else None) for figure in KEY_FIGURES}


# --------------------------------------------------------------------------------------------
# Statuses of a submitted file
# --------------------------------------------------------------------------------------------

Status = Literal["merged", "merged_with_errors", "failed", "duplicate", "wrong_year", "unreadable"]

STATUS_LABELS: dict[str, str] = {
    "merged": "已汇总",
    "merged_with_errors": "已汇总（含错误）",
    "failed": "未汇总（有错误）",
    "duplicate": "重复（未采用）",
    "wrong_year": "年度不符",
    "unreadable": "无法读取",
}
ACCEPTED: frozenset[str] = frozenset({"merged", "merged_with_errors"})
SEVERITY_LABELS = {"error": "错误", "warning": "提示"}

# Rules of the findings that merging itself adds (the checker's own rules are its business).
RULE_DUPLICATE = "MERGE.DUPLICATE"
RULE_WRONG_YEAR = "MERGE.YEAR"
RULE_NOT_IN_ROSTER = "MERGE.NOT_IN_ROSTER"
RULE_UNREADABLE = "UNREADABLE"


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
    findings: list[Finding]  # the checker's findings, unreadable files, and merging's own
    missing: list[str]  # roster names with no submission (for the year, when one is given)
    accepted: list[Digest]  # what goes into the sum
    unreadable: list[dict] = field(default_factory=list)  # [{file, message}]
    year: int | None = None

    @property
    def complete(self) -> bool:
        """True when every input file went into the sum."""
        return all(row.accepted for row in self.rows)

    def totals(self) -> dict[str, int | float | None]:
        """The key figures of the accepted files added up (absent parts count as 0)."""
        return key_figures(sum_reports(self.accepted))

    def to_dict(self) -> dict:
        """What a summary and a merge both report: the rows, the gaps, the totals, the findings."""
        return {
            "units": [row.to_dict() for row in self.rows],
            "missing": list(self.missing),
            "unreadable": list(self.unreadable),
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
            **by_status,
        }


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------

_GLOB_CHARS = re.compile(r"[*?\[]")


def _folder_files(folder: Path) -> list[Path]:
    # The checker decides which files in a folder are workbooks (suffixes, lock and hidden
    # files), so `check folder/` and `merge folder/` always see the same files.
    from .checker import collect_paths

    return [Path(p) for p in collect_paths([folder])]


def expand_inputs(inputs: Iterable[str | os.PathLike]) -> list[Path]:
    """Files named, files under folders (recursively) and files matching globs, each once.

    A file named explicitly is taken whatever its extension (the reader sniffs content); inside
    folders only workbook files are taken.  A name that matches nothing is an error rather than
    a silently smaller total.
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    files: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for item in inputs:
        path = Path(item)
        if path.is_dir():
            found = _folder_files(path)
            if not found:
                raise InvalidData(f"文件夹 {path} 中没有找到报表文件（.xlsx/.xls/.ods）。", path=str(path))
            for p in found:
                add(p)
        elif path.exists():
            add(path)
        elif _GLOB_CHARS.search(str(item)):
            matched: list[Path] = []
            for p in sorted(Path(p) for p in glob.glob(str(item), recursive=True)):
                if p.is_dir():
                    matched.extend(_folder_files(p))
                elif p.is_file() and not p.name.startswith(("~$", ".")):
                    matched.append(p)
            if not matched:
                raise InvalidData(f"没有与 {item} 匹配的报表文件。", path=str(item))
            for p in matched:
                add(p)
        else:
            raise InvalidData(f"找不到输入文件或文件夹 {path}。", path=str(path))
    if not files:
        raise InvalidData("没有给出要汇总的报表文件。")
    return files


def check_inputs(
    inputs: Iterable[str | os.PathLike], *, jobs: int = 1, progress: Callable | None = None
) -> tuple[list[Path], list[FileResult]]:
    """Expand the inputs and run the one checker over them; results in input order."""
    from . import checker  # the one checker; imported late so this module stays light

    files = expand_inputs(inputs)
    result = checker.check([str(p) for p in files], jobs=jobs, progress=progress, keep_reports=False)
    by_file = {r.file: r for r in result.files}
    ordered = [by_file.get(str(p)) for p in files]
    if any(r is None for r in ordered) or len(result.files) != len(files):
        ordered = list(result.files)  # the checker renamed paths: trust its order
    return files, ordered  # type: ignore[return-value]


# --------------------------------------------------------------------------------------------
# Deciding what goes into the sum
# --------------------------------------------------------------------------------------------

_DATE_PARTS = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def _digest(result: FileResult) -> Digest | None:
    """What the batch kept of a file: its digest (a compacted result) or its report's."""
    if result.digest is not None:
        return result.digest
    return result.report.digest() if result.report is not None else None


def submission_date(result: FileResult | Report | Digest) -> _dt.date | None:
    """The 填报日期 of a submission as a date, whatever form the clerk typed it in; None if unusable."""
    source = _digest(result) if isinstance(result, FileResult) else result
    value = source.digest().date if isinstance(source, Report) else (source.date if source else None)
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        return _dt.date(1899, 12, 30) + _dt.timedelta(days=int(value))  # an Excel serial date
    if isinstance(value, str):
        import unicodedata

        match = _DATE_PARTS.search(unicodedata.normalize("NFKC", value))
        if match:
            try:
                return _dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
        digits = unicodedata.normalize("NFKC", value).strip()
        if re.fullmatch(r"\d{8}", digits):
            try:
                return _dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
            except ValueError:
                return None
    return None


def _mtime(file: str) -> float:
    try:
        return os.stat(file).st_mtime
    except OSError:
        return 0.0


def _unit_label(name: str | None) -> str:
    """How a message names a unit: 单位「…」, or says that the file does not name one."""
    return f"单位「{name}」" if name else "该文件（未填单位名称）"


def _resolve_duplicates(group: list[FileResult]) -> tuple[FileResult, list[Finding]]:
    """The newest submission of one unit for one year, and a finding for each one not used."""
    dates = [submission_date(r) for r in group]
    by_date = all(d is not None for d in dates) and len(set(dates)) > 1
    if by_date:
        ranked = sorted(group, key=lambda r: (submission_date(r), _mtime(r.file), r.file))
        basis = "填报日期"
    else:
        ranked = sorted(group, key=lambda r: (_mtime(r.file), r.file))
        basis = "文件修改时间"
    used = ranked[-1]

    def describe(r: FileResult) -> str:
        if by_date:
            return f"{r.file}（填报日期 {submission_date(r).isoformat()}）"
        stamp = _dt.datetime.fromtimestamp(_mtime(r.file)).strftime("%Y-%m-%d %H:%M:%S")
        return f"{r.file}（修改于 {stamp}）"

    findings = []
    for r in ranked[:-1]:
        findings.append(
            Finding(
                rule=RULE_DUPLICATE,
                severity="warning",
                message=(
                    f"{_unit_label(used.unit)}{used.year}年度报送了不止一份：{describe(r)} 与 {describe(used)}；"
                    f"按{basis}采用较新的 {used.file}，{r.file} 未汇总。"
                ),
                file=r.file,
                unit=r.unit,
                year=r.year,
            )
        )
    return used, findings


def _count(findings: Sequence[Finding], severity: str) -> int:
    return sum(f.severity == severity for f in findings)


def assess(
    results: Sequence[FileResult],
    *,
    year: int | None = None,
    roster: Sequence[str] | None = None,
    include_failing: bool = False,
) -> Assessment:
    """Decide for every checked file whether it goes into the sum, and why not.

    Unreadable files and files with errors are left out (files with errors are taken, marked,
    when ``include_failing``); a file for another year than ``year`` is left out; when one unit
    sent several files for a year, the newest (by 填报日期, else by file time) is used.
    """
    findings: list[Finding] = []
    status: dict[int, Status] = {}
    own: dict[int, list[Finding]] = {}

    for index, result in enumerate(results):
        own[index] = list(result.findings)
        if not result.readable or _digest(result) is None:
            status[index] = "unreadable"
            own[index].append(
                Finding(
                    rule=RULE_UNREADABLE,  # one documented code; the reason is in the message
                    severity="error",
                    message=result.error or "无法读取该文件。",
                    file=result.file,
                )
            )
    merge_findings: dict[int, list[Finding]] = {i: [] for i in range(len(results))}
    for index, result in enumerate(results):
        if index in status or year is None or result.year == year:
            continue
        status[index] = "wrong_year"
        year_cell = _digest(result).year_cell
        found = (
            f"的报告年度为 {result.year}，不是本次汇总的 {year} 年度"
            if result.year is not None
            else f"未填报告年度，无法确认是本次汇总的 {year} 年度"
        )
        merge_findings[index].append(
            Finding(
                rule=RULE_WRONG_YEAR,
                severity="error",
                message=f"{_unit_label(result.unit)}{found}：未汇总。",
                cells=(year_cell,) if year_cell else (),
                paths=(("unit", "year"),),
                file=result.file,
                unit=result.unit,
                year=result.year,
            )
        )

    groups: dict[tuple[str, int | None], list[int]] = {}
    for index, result in enumerate(results):
        if index in status:
            continue
        name = normalise_unit_name(result.unit)
        if name:  # a file without a unit name cannot be matched with another one
            groups.setdefault((name, result.year), []).append(index)
    for members in groups.values():
        if len(members) < 2:
            continue
        used, dup_findings = _resolve_duplicates([results[i] for i in members])
        by_file = {f.file: f for f in dup_findings}
        for i in members:
            if results[i] is not used:
                status[i] = "duplicate"
                merge_findings[i].append(by_file[results[i].file])

    for index, result in enumerate(results):
        if index in status:
            continue
        if _count(result.findings, "error"):
            status[index] = "merged_with_errors" if include_failing else "failed"
        else:
            status[index] = "merged"

    roster_names = list(roster or [])
    roster_keys = {normalise_unit_name(n) for n in roster_names}
    submitted = {
        normalise_unit_name(r.unit)
        for i, r in enumerate(results)
        if status[i] not in ("unreadable", "wrong_year") and r.unit
    }
    if roster_names:
        for index, result in enumerate(results):
            if status[index] in ("unreadable",) or not result.unit:
                continue
            if normalise_unit_name(result.unit) not in roster_keys:
                merge_findings[index].append(
                    Finding(
                        rule=RULE_NOT_IN_ROSTER,
                        severity="warning",
                        message=f"{_unit_label(result.unit)}不在单位名单中：请核对单位名称是否与名单一致。",
                        file=result.file,
                        unit=result.unit,
                        year=result.year,
                    )
                )
    missing = [n for n in roster_names if normalise_unit_name(n) not in submitted]

    rows: list[UnitRow] = []
    accepted: list[Digest] = []
    for index, result in enumerate(results):
        # Figures from recomputed totals, so the totals of a summary are the sum of its rows.
        digest = _digest(result)
        data = digest.to_dict() if digest is not None else None
        rows.append(
            UnitRow(
                file=result.file,
                unit=result.unit,
                year=result.year,
                status=status[index],
                errors=_count(own[index], "error"),
                warnings=_count(own[index], "warning"),
                figures=key_figures(data),
            )
        )
        if status[index] in ACCEPTED and digest is not None:
            accepted.append(digest)
        for finding in own[index] + merge_findings[index]:
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
    unreadable = [
        {"file": r.file, "message": r.error or "无法读取该文件。"} for i, r in enumerate(results) if status[i] == "unreadable"
    ]
    return Assessment(rows=rows, findings=findings, missing=missing, accepted=accepted, unreadable=unreadable, year=year)


# --------------------------------------------------------------------------------------------
# Adding reports up
# --------------------------------------------------------------------------------------------


def _plain(number: Decimal | int) -> int | float:
    if isinstance(number, int):
        return number
    return int(number) if number == number.to_integral_value() else float(number)


def sum_reports(reports: Iterable[Report | Digest]) -> dict:
    """The numeric values of ``reports`` added up, in the JSON shape of the form.

    Each report contributes its ``to_dict(recompute=True)`` values: totals recomputed, never
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


# --------------------------------------------------------------------------------------------
# Tables of the merged workbook (and of a summary, for anyone who wants them as rows)
# --------------------------------------------------------------------------------------------

SHEET_DETAILS = "明细"
SHEET_FINDINGS = "问题清单"
SHEET_MISSING = "未报送"


def details_table(rows: Sequence[UnitRow]) -> tuple[str, list[str], list[list]]:
    header = ["单位", "年度", "文件", "状态", "错误数", "提示数", *(f.label for f in KEY_FIGURES)]
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


def findings_table(findings: Sequence[Finding]) -> tuple[str, list[str], list[list]]:
    header = ["文件", "单位", "单元格", "类别", "规则", "说明"]
    body = [
        [f.file, f.unit or None, "、".join(c for c in f.cells if c) or None, SEVERITY_LABELS.get(f.severity, f.severity), f.rule, f.message]
        for f in findings
    ]
    return SHEET_FINDINGS, header, body


def missing_table(missing: Sequence[str]) -> tuple[str, list[str], list[list]]:
    return SHEET_MISSING, ["序号", "单位"], [[i, name] for i, name in enumerate(missing, start=1)]


# --------------------------------------------------------------------------------------------
# summarize
# --------------------------------------------------------------------------------------------


@dataclass
class Summary:
    """Per-unit key figures of a batch, who is missing, and the totals of what would be merged."""

    assessment: Assessment

    @property
    def units(self) -> list[UnitRow]:
        return self.assessment.rows

    @property
    def missing(self) -> list[str]:
        return self.assessment.missing

    @property
    def findings(self) -> list[Finding]:
        return self.assessment.findings

    @property
    def complete(self) -> bool:
        return self.assessment.complete

    def to_dict(self) -> dict:
        return {"year": self.assessment.year, **self.assessment.to_dict()}


def resolve_roster(roster: str | os.PathLike | Sequence[str] | None) -> list[str] | None:
    """A roster given as a file path is loaded; a list of names is taken as it is."""
    if roster is None:
        return None
    if isinstance(roster, (str, os.PathLike)):
        return load_roster(roster)
    return list(roster)


def summarize(
    inputs: Iterable[str | os.PathLike],
    *,
    roster: str | os.PathLike | Sequence[str] | None = None,
    year: int | None = None,
    include_failing: bool = False,
    jobs: int = 1,
    progress: Callable | None = None,
) -> Summary:
    """Check every input and tabulate it exactly as a merge would, without writing anything.

    ``year`` (optional) applies the merge's year rule; without it files of every year are listed.
    """
    names = resolve_roster(roster)
    _, results = check_inputs(inputs, jobs=jobs, progress=progress)
    return Summary(assess(results, year=year, roster=names, include_failing=include_failing))
