"""Results are values: what was read (``Report``), what is wrong (``Finding``), per file and per batch.

Every class has ``to_dict()``; ``--json`` prints exactly that.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable, Iterable, Literal, NamedTuple

from .dates import form_year
from .errors import READ_ERROR_CODES, ExitCode
from .register import RegisterTable
from .form import FORM_ID, LEDGER, LEAVES, REGISTERS, NUMERIC_LEAVES, PARTS, UNIT_DATE, UNIT_NAME, UNIT_YEAR, Path, compute_totals, evaluate_totals, set_path
from .rules import FAILED_READING, RULES, Severity

assert READ_ERROR_CODES <= FAILED_READING, "every code of an unreadable file has its finding in rules.py"

# How a value was read from its cell.
#   number       a number (or a numeric formula result) — the normal case
#   text_number  text that clearly is a number ("５８", "　　0", "58 ") — read, with a warning
#   with_unit    a number with a unit or words around it ("58条", "251000元") — read, with a warning
#   placeholder  "/", "-", "—", "无" — not filled: 0 for the arithmetic, with a warning
#   blank        an empty input cell — 0, with a warning
#   invalid      anything else where a number belongs ("约50", "#REF!") — an error, never silently 0
#   text         a text field (unit facts)
Status = Literal["number", "text_number", "with_unit", "placeholder", "blank", "invalid", "text"]


def format_number(value: float | int | None) -> str:
    """A number as a clerk writes it: 58, not 58.0; money with its decimals; absurd sizes short."""
    if value is None:
        return "?"
    if isinstance(value, float) and not math.isfinite(value):
        return "超出范围"
    if abs(value) >= 1e15:
        return f"{value:.6g}"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` without control characters (line breaks and tabs kept): text from a submitted file
    reaches the clerk's terminal, where ESC [2J would clear the screen and ESC ]0; retitle it."""
    return _CONTROL.sub("", text)


@dataclass(frozen=True, init=False)
class CellValue:
    """One value of the form as found in the user's file, remembering where it came from."""

    path: Path
    value: int | float | str | None
    cell: str | None  # "Sheet1!E6", as the cell is in the user's file; None when absent
    status: Status = "number"
    raw: object = None  # what the cell held, for messages

    def __init__(
        self, path: Path, value: int | float | str | None, cell: str | None, status: Status = "number", raw: object = None
    ) -> None:
        # The dataclass's own __init__ of a frozen class sets each field through
        # object.__setattr__, four times slower; the reader builds ~220 of these per file.
        fields = self.__dict__
        fields["path"] = path
        fields["value"] = value
        fields["cell"] = cell
        fields["status"] = status
        fields["raw"] = raw

    @property
    def number(self) -> int | float:
        """The value for arithmetic: placeholders, blanks and invalid cells count as 0."""
        value = self.value
        if value.__class__ is float or value.__class__ is int:  # the common case first
            return value
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


class Prefill(NamedTuple):
    """What a template sent out filled into one input cell before the unit saw it (the unit's
    name, the year, last year's carry-over), and where that came from ("" for --unit/--year)."""

    value: int | float | str
    source: str = ""


@dataclass
class Report:
    """What one file holds, part by part.  ``values`` has an entry for every leaf that was found.

    Computed leaves (totals) hold what the file *stored*; ``to_dict()`` gives the totals
    recomputed from the inputs, so a stale cache or a typed-over formula never reaches the JSON.
    """

    file: str
    values: dict[Path, CellValue] = field(default_factory=dict)
    parts: tuple[str, ...] = ()  # keys of the parts the file holds
    form: str = FORM_ID
    notes: list[str] = field(default_factory=list)  # Chinese remarks about the reading itself
    # A long text read from a document's running text: where each of its lines stands
    # (offset in the text → "第2页 第5行"), so that a finding can point at the sentence.
    places: dict[Path, tuple[tuple[int, str], ...]] = field(default_factory=dict)
    # A merged workbook (xlsreport merge): the units its sums hold, from its 明细 sheet; empty for
    # a unit's own report.  A batch holding it beside those units' own files must not add twice.
    summed_units: tuple[str, ...] = ()
    document: bool = False  # read from a published report (web page, Word, PDF, text), not a workbook
    # a workbook filled from a published report (``import``): judged, like the report, by what the
    # published format holds (form.PUBLISHED_STAMP)
    published: bool = False
    # The input cells the template pre-filled (its 预填记录 sheet): not the unit's own input.
    prefilled: dict[Path, Prefill] = field(default_factory=dict)
    # Last year's 现行有效件数 the template was sent out with (table 二's row key → number, place):
    # shown beside table 二 and checked live on 校验; every fresh copy of the file keeps it.
    in_force_last_year: dict[str, Prefill] = field(default_factory=dict)
    # The registers the workbook keeps (form.REGISTERS: its 台账 and 清单 sheets), by key.
    registers: dict[str, RegisterTable] = field(default_factory=dict)

    def register_rows(self, key: str) -> int:
        """How many records the register ``key`` holds (0 when the file has no such sheet)."""
        table = self.registers.get(key)
        return len(table.rows) if table is not None else 0

    def place(self, path: Path, offset: int) -> str | None:
        """Where the character at ``offset`` of the text at ``path`` stands in the file."""
        cell = self.values.get(path)
        lines = self.places.get(path)
        if not lines:
            return cell.cell if cell else None
        return next((where for start, where in reversed(lines) if start <= offset), lines[0][1])

    def number(self, path: Path) -> int | float:
        cell = self.values.get(path)
        return cell.number if cell else 0

    def text(self, path: Path) -> str | None:
        cell = self.values.get(path)
        if cell is None or cell.value is None:
            return None
        return str(cell.value)

    @property
    def unit(self) -> str | None:
        return self.text(UNIT_NAME)

    @property
    def year(self) -> int | None:
        cell = self.values.get(UNIT_YEAR)
        return None if cell is None else form_year(cell.value)

    def stored_total(self, path: Path) -> int | float | None:
        """A total as the file states it, or None where its cell is absent, blank or a placeholder."""
        cell = self.values.get(path)
        if cell is None or cell.status in ("blank", "placeholder", "invalid"):
            return None
        return cell.number

    def digest(self) -> Digest:
        # Straight from the cells, totals in the form's evaluation order: this runs once per file
        # of every batch, so no JSON shape is built or copied here.
        numbers: dict[Path, int | float] = {}
        for leaf in NUMERIC_LEAVES:
            if not leaf.computed:
                cell = self.values.get(leaf.path)
                numbers[leaf.path] = cell.number if cell is not None else 0
        numbers.update(evaluate_totals(numbers.__getitem__))  # type: ignore[arg-type]
        year_cell = self.values.get(UNIT_YEAR)
        date_cell = self.values.get(UNIT_DATE)
        return Digest(
            unit=self.unit,
            year=self.year,
            date=date_cell.value if date_cell else None,
            year_cell=year_cell.cell if year_cell else None,
            parts=tuple(self.parts),
            numbers=tuple(numbers[leaf.path] for leaf in NUMERIC_LEAVES),
            summed_units=self.summed_units,
            document=self.document,
            ledger_rows=self.register_rows(LEDGER.key),
        )

    def to_dict(self, *, recompute: bool = False, blanks: bool = False) -> dict:
        """The JSON shape of FORM.md.  Parts the file does not hold are None; ``notes`` (only
        when there are any) says which values were read by position or guessed.

        A number cell the workbook leaves blank is 0 (the official tables have no blanks), or
        None with ``blanks=True`` — what a fresh copy of the file (annotate, import) writes, so
        that the copy is as filled as the file: a template sent back untouched stays 未填写.

        Totals are given as the file states them (the seed's attachment says 合计 58 although
        its categories add up to 54: ``check`` reports that); a total the file leaves blank is the
        sum of its inputs.  ``recompute=True`` gives every total from its inputs instead — what
        ``merge`` adds up, never trusting a stored or cached total.
        """
        data: dict = {"form": self.form}
        for part in PARTS:
            data[part.key] = {} if part.key in self.parts else None
        for leaf in LEAVES:
            if leaf.part.key not in self.parts:
                continue
            cell = self.values.get(leaf.path)
            if leaf.kind in ("count", "money"):
                value = cell.number if cell else 0
                if blanks and cell is not None and cell.status == "blank" and not leaf.computed and not self.document:
                    value = None
            else:
                value = cell.value if cell else None
                if leaf.path == UNIT_YEAR:
                    value = self.year if self.year is not None else value
            set_path(data, leaf.path, value)
        present = {k: v for k, v in data.items() if isinstance(v, dict)}
        data.update(compute_totals(present))
        for register in REGISTERS:  # a list of rows under its key; None when the file keeps none
            table = self.registers.get(register.key)
            data[register.key] = table.to_list() if table is not None else None
        if not recompute:
            for leaf in LEAVES:
                if leaf.computed and leaf.part.key in self.parts:
                    stored = self.stored_total(leaf.path)
                    if stored is not None:
                        set_path(data, leaf.path, stored)
        if self.notes:  # how a value was read, when it was read by position or guessed
            data["notes"] = list(self.notes)
        return data


@dataclass(frozen=True)
class Digest:
    """What a batch keeps of a report once it is checked: who, when, which parts, the numbers.

    A Report holds a CellValue per value (~90 KB); a county's or a province's batch keeps only
    this (~2 KB), so memory stays flat as the number of files grows.  ``numbers`` follow
    ``form.NUMERIC_LEAVES``, totals recomputed from the inputs (what a merge adds up).
    """

    unit: str | None
    year: int | None
    date: object  # the 填报日期 cell as read (text, number or date), for telling duplicates apart
    year_cell: str | None  # where the year was read, for a wrong-year finding
    parts: tuple[str, ...]
    numbers: tuple[int | float, ...]
    summed_units: tuple[str, ...] = ()  # Report.summed_units
    document: bool = False  # Report.document: a published report, not a workbook
    ledger_rows: int = 0  # records in the file's application ledger (台账)

    def to_dict(self) -> dict:
        """The numbers in the JSON shape (parts the file does not hold are None)."""
        data: dict = {"form": FORM_ID, **{part.key: ({} if part.key in self.parts else None) for part in PARTS}}
        for leaf, value in zip(NUMERIC_LEAVES, self.numbers):
            if leaf.part.key in self.parts:
                set_path(data, leaf.path, value)
        if "unit" in self.parts:
            data["unit"].update(name=self.unit, year=self.year)
        return data


@dataclass(frozen=True)
class Finding:
    """One thing wrong (or suspicious) in one file, saying where and showing the numbers."""

    rule: str  # stable code, e.g. "T3.BALANCE"
    severity: Severity
    message: str  # Chinese, with the arithmetic
    cells: tuple[str, ...] = ()  # "Sheet1!E20", as in the user's file
    paths: tuple[Path, ...] = ()  # the form values involved (for annotating a fresh copy)
    file: str | None = None
    unit: str | None = None
    year: int | None = None

    @classmethod
    def of(
        cls,
        rule: str,
        *,
        cells: Iterable[str | None] = (),
        paths: Iterable[Path] = (),
        file: str | None = None,
        unit: str | None = None,
        year: int | None = None,
        grouped: bool = False,
        source: str = "workbook",
        **fields: object,
    ) -> "Finding":
        """A finding of ``rule``: its severity and its message (the rule's template filled with
        ``fields``; ``grouped``: the template for many cells at once) come from ``rules.RULES``;
        ``source`` picks the rule's advice (``Rule.advice``: the kind of file, or a cause seen)."""
        definition = RULES[rule]
        message = definition.grouped_text(source, **fields) if grouped else definition.text(source, **fields)
        # what a file says (a value, a sheet's name) is quoted: never a control character of its
        return cls(rule, definition.severity, printable(message), tuple(printable(c) for c in cells if c), tuple(paths), file, unit, year)

    @classmethod
    def unreadable(cls, code: str, reason: str, *, file: str | None = None) -> "Finding":
        """The one shape of a file that could not be read: an error finding whose rule is the
        error's code (``errors``: UNREADABLE, ENCRYPTED, LIMIT_EXCEEDED …) and whose message is
        the error's Chinese message."""
        return cls.of(code, file=file, reason=reason)

    @classmethod
    def stated(cls, rule: str, message: str, *, file: str | None = None) -> "Finding":
        """A finding of ``rule`` whose message was composed already (a file's read error)."""
        return cls(rule, RULES[rule].severity, printable(message), file=file)

    @property
    def title(self) -> str:
        """The rule's short Chinese title (README 校验规则)."""
        return RULES[self.rule].title

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "unit": self.unit,
            "year": self.year,
            "severity": self.severity,
            "rule": self.rule,
            "title": self.title,
            "cells": list(self.cells),
            "message": self.message,
        }


@dataclass
class FileResult:
    """The check of one file: its report (None when unreadable) and its findings — for a file
    that could not be read, one finding with the error's code and message (``failure``)."""

    file: str
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    digest: Digest | None = None  # kept instead of the report in a batch (see compact)
    previous: int | None = None  # where last year's report of the unit is among --previous (matched once)
    side: object = None  # compare.Side: kept with the digest, to pair a published report with its workbook

    @property
    def unit(self) -> str | None:
        source = self.report or self.digest
        return source.unit if source else None

    @property
    def document(self) -> bool:
        """Read from a published report (web page, Word, PDF, text), not a workbook."""
        source = self.report or self.digest
        return bool(source and source.document)

    @property
    def year(self) -> int | None:
        source = self.report or self.digest
        return source.year if source else None

    def compact(self) -> "FileResult":
        """Keep the digest, drop the report: what a batch of thousands of files can afford."""
        if self.report is not None:
            self.digest = self.report.digest()
            self.report = None
        return self

    @property
    def failure(self) -> Finding | None:
        """Why the file could not be read: its finding of ``rules.FAILED_READING``; None when read."""
        return next((f for f in self.findings if f.rule in FAILED_READING), None)

    @property
    def error(self) -> str | None:
        """The Chinese reason the file could not be read (``failure``'s message), or None."""
        failure = self.failure
        return failure.message if failure is not None else None

    @property
    def error_code(self) -> str | None:
        """The code of the error that kept the file from being read (``failure``'s rule), or None."""
        failure = self.failure
        return failure.rule if failure is not None else None

    @property
    def readable(self) -> bool:
        return self.failure is None

    def errors(self, strict: bool = False) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error" or strict and f.severity == "warning"]

    def is_valid(self, strict: bool = False) -> bool:
        return self.readable and not self.errors(strict)

    def to_dict(self, strict: bool = False) -> dict:
        out = {
            "file": self.file,
            "unit": self.unit,
            "year": self.year,
            "valid": self.is_valid(strict),
            "findings": [f.to_dict() for f in self.findings],
        }
        return out


@dataclass
class Tally:
    """The counts of a checked batch, added up file by file (``CheckResult.counts``, ``CheckStream``)."""

    strict: bool = False
    files: int = 0
    valid: int = 0
    unreadable: int = 0
    errors: int = 0
    warnings: int = 0

    def add(self, result: FileResult) -> None:
        self.files += 1
        self.valid += result.is_valid(self.strict)
        self.unreadable += not result.readable
        for finding in result.findings:
            self.errors += finding.severity == "error"
            self.warnings += finding.severity == "warning"

    @property
    def all_valid(self) -> bool:
        return self.valid == self.files

    @property
    def exit_code(self) -> ExitCode:
        """3 when a file could not be read, 1 when a file has errors (warnings too with strict), else 0."""
        if self.unreadable:
            return ExitCode.UNREADABLE
        return ExitCode.OK if self.all_valid else ExitCode.CHECK_FAILED

    def counts(self, skipped: int) -> dict:
        return {
            "files": self.files,
            "valid": self.valid,
            "unreadable": self.unreadable,
            "skipped": skipped,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass
class CheckResult:
    """The check of a batch: one result per file, and the files beside them that are not reports."""

    files: list[FileResult] = field(default_factory=list)
    strict: bool = False
    skipped: list[Finding] = field(default_factory=list)  # INPUT.SKIPPED, one per file
    returns: object = None  # returns.Returns: the return packages written (check --return-dir)

    def tally(self) -> Tally:
        tally = Tally(self.strict)
        for file in self.files:
            tally.add(file)
        return tally

    @property
    def valid(self) -> bool:
        return all(f.is_valid(self.strict) for f in self.files)

    @property
    def exit_code(self) -> ExitCode:
        """3 when a file could not be read, 1 when a file has errors (warnings too with strict), else 0."""
        return self.tally().exit_code

    @property
    def counts(self) -> dict:
        return self.tally().counts(len(self.skipped))

    def to_dict(self) -> dict:
        out = {
            "files": [f.to_dict(self.strict) for f in self.files],
            "skipped": [f.to_dict() for f in self.skipped],
            "valid": self.valid,
            "counts": self.counts,
        }
        if self.returns is not None:
            out["returns"] = self.returns.to_dict()  # type: ignore[attr-defined]
        return out


class CheckStream:
    """``CheckResult.to_dict()`` as JSON written file by file, for a batch of any size.

    Call it with each ``FileResult`` as it is checked (``batch.check(sink=...)``): its entry is
    written at once and only the counts are kept, so memory does not grow with the batch.
    ``close(skipped)`` writes the rest.  The text is exactly ``json.dumps(result.to_dict(),
    ensure_ascii=False, indent=2)`` of the same batch.
    """

    def __init__(self, write: Callable[[str], object], *, strict: bool = False) -> None:
        self._write = write
        self.tally = Tally(strict)

    def __call__(self, result: FileResult) -> None:
        # JSON strings never hold a raw newline, so indenting an entry is indenting its lines.
        entry = json.dumps(result.to_dict(self.tally.strict), ensure_ascii=False, indent=2).replace("\n", "\n    ")
        self._write(('{\n  "files": [\n    ' if not self.tally.files else ",\n    ") + entry)
        self.tally.add(result)

    def close(self, skipped: Iterable[Finding] = ()) -> ExitCode:
        """The skipped files, the verdict and the counts; the batch's exit code."""
        skipped = [f.to_dict() for f in skipped]
        rest = {"skipped": skipped, "valid": self.tally.all_valid, "counts": self.tally.counts(len(skipped))}
        text = json.dumps(rest, ensure_ascii=False, indent=2)  # "{\n  ...\n}"
        self._write(('{\n  "files": [],\n' if not self.tally.files else "\n  ],\n") + text[2:])
        return self.tally.exit_code


# The verdict on a unit's file in a batch, as its status; statuses summed into the county total.
Status = Literal["merged", "merged_with_errors", "failed", "duplicate", "published", "wrong_year", "blank", "summed_twice", "unreadable"]

STATUS_LABELS: dict[str, str] = {
    "merged": "已汇总",
    "merged_with_errors": "已汇总（含错误）",
    "failed": "未汇总（有错误）",
    "duplicate": "重复（未采用）",
    "published": "发布稿（已与工作簿核对，汇总用工作簿）",
    "wrong_year": "年度不符",
    "blank": "未填写（空白表格）",
    "summed_twice": "汇总表（所含单位另有报表，未采用）",
    "unreadable": "无法读取",
}
ACCEPTED: frozenset[str] = frozenset({"merged", "merged_with_errors"})


def normalise_unit_name(name: str | None) -> str:
    """The form of a unit name used to compare names typed by different people.

    NFKC folds full-width letters, digits and punctuation to their half-width forms (and the
    ideographic space to a plain one); every kind of whitespace is then removed, because a
    name like "微山县　西平镇人民政府" is the same unit as "微山县西平镇人民政府".
    """
    if name is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(name))
    return "".join(ch for ch in folded if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc"))
