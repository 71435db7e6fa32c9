"""Checking a report: the form's identities, input hygiene, cross-year links and plausibility.

Everything here is a pure function of values (``model.Report`` in, ``model.Finding`` out), except
``check_file``/``check`` (which call ``read``) and ``annotate`` (which writes a fresh copy through
the template writer).  Every finding names the cells *as they are in the user's own file*
(``CellValue.cell``), the official label and the arithmetic, so a clerk can find and fix it.

Why values "as read": a stored total that differs from the sum of its inputs is exactly the
mistake to report (a typed-over formula, or a cached result that was never recalculated — see
../shared/NOTES.md).  A total left blank is not an arithmetic error: it is a warning, and the
sum of its inputs stands in for it.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from typing import Iterable, Sequence

from .dates import YEAR_MAX, YEAR_MIN, parse_year
from . import form
from .form import IDENTITIES, LEAF_BY_PATH, PART_BY_KEY, PARTS, Identity, Path
from .model import CellValue, Finding, Report, format_number, normalise_unit_name
from .narrative import copied_sections, empty_sections, narrative_findings
from .rules import LENIENT_STATUS, RULES, TOTAL_NOT_FILLED

__all__ = ["RULES", "check_report", "finding_counts", "is_rule_maker"]

# More than this many hygiene warnings of one kind in one part become a single finding.
GROUP_ABOVE = 3
# How many cells a grouped finding lists in its message (all of them are in ``cells``).
LIST_CELLS = 10

_FILLED = ("number", "text_number", "with_unit")
_NOT_FILLED = ("blank", "placeholder")
_PLAIN = (int, float)  # the classes ``CellValue.number`` gives back unchanged

# The form is fixed, so the checker's per-report loops run over plans made once at import: each
# value an identity uses (with whether it is a total), and each identity as indices into that
# list — a county's batch checks every identity of every file (issue #10).
_ID_PATHS: tuple[Path, ...] = tuple(dict.fromkeys(p for identity in IDENTITIES for p in identity.left + identity.right))
_ID_LEAVES: tuple[tuple[Path, bool], ...] = tuple((p, LEAF_BY_PATH[p].computed) for p in _ID_PATHS)
_ID_INDEX = {p: i for i, p in enumerate(_ID_PATHS)}
_ID_PLAN: tuple[tuple[Identity, str, frozenset, tuple[int, ...], tuple[int, ...]], ...] = tuple(
    (
        identity,
        identity.left[0][0],
        frozenset(identity.left + identity.right),
        tuple(_ID_INDEX[p] for p in identity.left),
        tuple(_ID_INDEX[p] for p in identity.right),
    )
    for identity in IDENTITIES
)
# (leaf, its path, its part's key, whether it counts whole things) for the value hygiene
_HYGIENE_PLAN = tuple((leaf, leaf.path, leaf.part.key, leaf.kind == "count") for leaf in form.NUMERIC_LEAVES)


# --------------------------------------------------------------------------------------------
# Small helpers: numbers, labels, cells
# --------------------------------------------------------------------------------------------


_fmt = format_number


def _equal(a: float, b: float) -> bool:
    return abs(a - b) < 1e-6


def _where(cell: CellValue | None, path: Path) -> str:
    if cell is not None and cell.cell:
        return cell.cell
    return f"（未找到：{LEAF_BY_PATH[path].full_label}）"


def _raw(cell: CellValue) -> str:
    """What the cell showed: 99999, not 99999.0; TRUE as Excel writes it, not Python's True."""
    raw = cell.raw if cell.raw is not None else cell.value
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, (int, float)):
        return format_number(raw)
    return str(raw)


def _row_label(path: Path) -> str:
    return LEAF_BY_PATH[path].row_label


def _column_label(path: Path) -> str:
    return LEAF_BY_PATH[path].column_label


def _leaf_label(path: Path) -> str:
    """The label a clerk sees on the form for one value."""
    return LEAF_BY_PATH[path].full_label


def _cell(cell: CellValue | None) -> str | None:
    return cell.cell if cell is not None else None


def _scope(path: Path) -> str:
    return PART_BY_KEY[path[0]].sheet


def _terms(values: Sequence[float], *, nonzero_above: int = 8) -> str:
    """``5+1+1+1+38+7 = 53``; long sums show only their non-zero terms."""
    total = sum(values)
    if len(values) > nonzero_above:
        shown = [v for v in values if not _equal(v, 0)]
        if not shown:
            return f"各项均为 0 = {_fmt(total)}"
        if len(shown) < len(values):
            return f"{'+'.join(_fmt(v) for v in shown)} = {_fmt(total)}（其余各项为 0）"
    return f"{'+'.join(_fmt(v) for v in values)} = {_fmt(total)}"


def _is_trial_format(report: Report) -> bool:
    ident = (report.form or "").lower()
    return ident == form.TRIAL_FORMAT_ID or (ident != form.FORM_ID and ("2019" in ident or "trial" in ident))


# --------------------------------------------------------------------------------------------
# The values the identities use
# --------------------------------------------------------------------------------------------

class _Values:
    """The numbers of one report as the identities see them.

    ``true(p)`` is a value recomputed from the inputs (None when an input is unreadable), by
    ``form.evaluate_totals``.  ``used(p)`` is the number as read, except that a total left blank
    counts as its sum; with ``recomputed``, a *stale* total (stored ≠ recomputed) counts as its
    sum too.  An identity is judged on the values as read; one that fails only because of a
    stale total feeding it is a cascade of that total's own finding and is not reported again.
    """

    def __init__(self, report: Report) -> None:
        self.report = report
        values = report.values
        # = report.number, once each; a plain number is taken as it is, without the property
        self._number = {path: c.value if c.value.__class__ in _PLAIN else c.number for path, c in values.items()}
        # An input as the totals see it: an unreadable cell is None (and so is every total above
        # it), one not found is 0 — a defaultdict, so the totals look each up without a Python call.
        self._inputs: defaultdict[Path, float | None] = defaultdict(int, self._number)
        for path, cell in values.items():
            if cell.status == "invalid":
                self._inputs[path] = None
        self._true = form.evaluate_totals(self._inputs.__getitem__)
        self._used: tuple[dict[Path, float | None], dict[Path, float | None]] = ({}, {})  # identities share cells

    def _input(self, path: Path) -> float | None:
        return self._inputs.get(path, 0)

    def cell(self, path: Path) -> CellValue | None:
        return self.report.values.get(path)

    def true(self, path: Path) -> float | None:
        return self._true[path] if path in self._true else self._input(path)

    def stale(self, path: Path) -> bool:
        cell = self.cell(path)
        if not LEAF_BY_PATH[path].computed or cell is None or cell.status not in _FILLED:
            return False
        true = self.true(path)
        return true is not None and not _equal(cell.number, true)

    def used(self, path: Path, *, recomputed: bool = False) -> float | None:
        cache = self._used[recomputed]
        if path in cache:
            return cache[path]
        value = cache[path] = self._compute_used(path, recomputed)
        return value

    def _compute_used(self, path: Path, recomputed: bool) -> float | None:
        cell = self.cell(path)
        computed = LEAF_BY_PATH[path].computed
        if cell is not None and cell.status == "invalid":
            return None
        if computed and (cell is None or cell.status in _NOT_FILLED):
            return self.true(path)
        if computed and recomputed and self.stale(path):
            return self.true(path)
        return self._number.get(path, 0)

    def used_all(self) -> list[float | None]:
        """``used(p)`` of every value the identities use, in the order of ``_ID_PATHS``: one flat
        pass instead of a cached call per term (the same rules as ``_compute_used``)."""
        values, number, true = self.report.values.get, self._number, self.true
        out: list[float | None] = []
        append = out.append
        for path, computed in _ID_LEAVES:
            cell = values(path)
            if cell is None:
                append(true(path) if computed else 0)
                continue
            status = cell.status
            if status == "number" or not (status == "invalid" or computed and status in _NOT_FILLED):
                append(number[path])
            else:
                append(None if status == "invalid" else true(path))
        return out

    def sums(self, sides: Sequence[Sequence[Path]], *, recomputed: bool = False) -> list[float] | None:
        """The sum of each side; None when a value is unreadable (reported on its own)."""
        cache = self._used[recomputed]
        sums = []
        for side in sides:
            total: float = 0
            for p in side:
                v = cache[p] if p in cache else self.used(p, recomputed=recomputed)
                if v is None:
                    return None
                total += v  # the order of sum(): the same float result
            sums.append(total)
        return sums

    def holds(self, left: Sequence[Path], right: Sequence[Path], *, recomputed: bool = False) -> bool | None:
        """Whether sum(left) = sum(right); None when a value is unreadable (reported on its own)."""
        sums = self.sums((left, right), recomputed=recomputed)
        return None if sums is None else _equal(sums[0], sums[1])


# --------------------------------------------------------------------------------------------
# check_report
# --------------------------------------------------------------------------------------------


class _Findings:
    """Collects findings, stamping each with the file, unit and year."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.items: list[Finding] = []
        self.source = "document" if report.document else "workbook"  # whose advice a rule gives

    def add(
        self,
        rule: str,
        cells: Iterable[str | None] = (),
        paths: Iterable[Path] = (),
        *,
        grouped: bool = False,
        source: str | None = None,
        **fields: object,
    ) -> None:
        report = self.report
        self.items.append(
            Finding.of(
                rule, cells=cells, paths=paths, file=report.file, unit=report.unit, year=report.year, grouped=grouped,
                source=source or self.source, **fields,
            )
        )


def check_report(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every finding for one report (and, given last year's report, the cross-year links).

    Errors first come from the form itself (format, identities, values); warnings say what
    was absent or looks implausible.  The order is stable: form order within each kind.
    """
    out = _Findings(report)
    changed = _prefill_changed(report, out)
    if _nothing_filled(report) and not changed:
        # a template sent back as it went out: nobody's report, and its blanks are not worth a word
        out.add("PLAUS.UNTOUCHED", what=_untouched_what(report))
        return out.items
    trial = _is_trial_format(report)
    if trial:
        _trial_format(report, out)  # which quotes the reader's notes
    else:
        for note in report.notes:  # a value read by position or guessed: the clerk checks it
            out.add("READ.NOTE", note=note)
    _missing_parts(report, out, skip=form.TRIAL_FORMAT_UNREAD if trial else ())
    if not trial:  # the trial format's other rows are FORMAT.TRIAL_2019's to say
        _missing_rows(report, out)
    values = _Values(report)
    _value_hygiene(report, values, out)
    _identities(report, values, out)
    _registers(report, out)
    _unit(report, out)
    _plausibility(report, values, out)
    out.items.extend(narrative_findings(report))
    out.items.extend(empty_sections(report))
    if previous is not None:
        _cross_year(report, previous, values, out)
        out.items.extend(copied_sections(report, previous))
    return out.items


def _trial_format(report: Report, out: _Findings) -> None:
    # the reader's notes say which columns gave the format away and what was left unread
    # (locate); a report built without them still says what was left unread
    unread = "、".join(f"「{PART_BY_KEY[k].heading}」" for k in form.TRIAL_FORMAT_UNREAD)
    notes = "；".join(note.rstrip("。") for note in report.notes) or f"{unread}按试行格式未读取"
    out.add("FORMAT.TRIAL_2019", trial_basis=form.TRIAL_FORMAT_BASIS, basis=form.FORM_BASIS, notes=notes)


def _missing_parts(report: Report, out: _Findings, skip: tuple[str, ...] = ()) -> None:
    for part in PARTS:
        if part.key in report.parts or part.key in skip or part.optional:
            continue
        if (report.document or report.published) and part.published != "always":
            continue  # a published report that does not say it has left nothing out
        out.add("PART.MISSING", heading=part.heading)


# The numbers of each part, for saying which of them a file does not have.
_PART_NUMBERS: dict[str, tuple[form.Leaf, ...]] = {
    part.key: tuple(leaf for leaf in form.NUMERIC_LEAVES if leaf.part.key == part.key) for part in PARTS
}


def _missing_rows(report: Report, out: _Findings) -> None:
    """A part the file holds, but without some of its rows, columns or values (a label deleted, a
    row a published report did not print): said, one finding per part — never read from a
    neighbour, never a silent 0."""
    for part in PARTS:
        if part.key not in report.parts:
            continue
        missing = [leaf for leaf in _PART_NUMBERS[part.key] if leaf.path not in report.values]
        if missing:
            out.add("ROW.MISSING", heading=part.heading, what=_describe_missing(part, missing))


def _describe_missing(part: form.Part, missing: list[form.Leaf]) -> str:
    """Whole rows first, then whole columns, then single values, in the form's labels."""
    said: list[str] = []
    left = {leaf.path for leaf in missing}
    for grid in part.grids:
        leaves = [leaf for leaf in _PART_NUMBERS[part.key] if leaf.grid is grid]
        rows = [row for row in grid.rows if all(leaf.path in left for leaf in leaves if leaf.row is row)]
        if rows:
            names = "、".join(f"「{LEAF_BY_PATH[_first(leaves, row=row)].row_label}」" for row in rows)
            said.append(("行" if len(grid.columns) > 1 else "") + names)
            left -= {leaf.path for leaf in leaves if leaf.row in rows}
        kept = [leaf for leaf in leaves if leaf.row not in rows]  # the rows that are there
        columns = [c for c in grid.columns if any(leaf.column is c for leaf in kept)]
        gone = [c for c in columns if all(leaf.path in left for leaf in kept if leaf.column is c)]
        if len(grid.columns) > 1 and gone and len(gone) < len(columns):
            said.append("栏目" + "、".join(f"「{LEAF_BY_PATH[_first(kept, column=c)].column_label}」" for c in gone))
            left -= {leaf.path for leaf in kept if leaf.column in gone}
    rest = [leaf for leaf in missing if leaf.path in left]
    if rest:
        said.append("、".join(f"「{leaf.full_label}」" for leaf in rest))
    return "；".join(said)


def _first(leaves: Iterable[form.Leaf], *, row: object = None, column: object = None) -> Path:
    return next(leaf.path for leaf in leaves if (row is None or leaf.row is row) and (column is None or leaf.column is column))


def _value_hygiene(report: Report, values: _Values, out: _Findings) -> None:
    """Errors for values that cannot be right; warnings (grouped per part) for values read leniently."""
    lenient: dict[tuple[str, str], list[tuple[Path, CellValue, dict]]] = {}
    parts, found = report.parts, report.values.get
    for leaf, path, part_key, whole in _HYGIENE_PLAN:
        if part_key not in parts:
            continue
        cell = found(path)
        if cell is None:
            continue
        status = cell.status
        if status == "number":
            value = cell.value
            kind = value.__class__
            if (kind is int or kind is float and not whole) and not value < 0:
                continue  # the common case, tested without the ``number`` property
            if not cell.number < 0 and not (whole and isinstance(value, float)):
                continue  # the common case: nothing to say, so no label is built (issue #6)
        at = {"where": _where(cell, leaf.path), "label": _leaf_label(leaf.path)}
        if status == "invalid":
            out.add("VALUE.INVALID", [cell.cell], [leaf.path], raw=_raw(cell), wanted="非负整数" if whole else "非负数", **at)
            continue
        if status in _FILLED:
            number = cell.number
            if number < 0:
                out.add("VALUE.NEGATIVE", [cell.cell], [leaf.path], number=_fmt(number), **at)
            if whole and isinstance(number, float) and not number.is_integer():
                out.add("VALUE.NOT_INTEGER", [cell.cell], [leaf.path], number=_fmt(number), **at)
        rule = LENIENT_STATUS.get(status)
        if rule is None:
            continue
        raw, number = f"{_raw(cell)}", _fmt(cell.number)
        if leaf.computed and status in _NOT_FILLED:
            rule = TOTAL_NOT_FILLED
            raw = f"“{_raw(cell)}”" if status == "placeholder" else "空白"
            number = _fmt(values.true(leaf.path))
        lenient.setdefault((leaf.part.key, rule), []).append((leaf.path, cell, {"raw": raw, "number": number, **at}))
    for (part_key, rule), items in lenient.items():
        if rule == LENIENT_STATUS["blank"]:
            continue  # said once for the whole file, below
        _lenient(out, part_key, rule, items)
    blanks = [item for (_, rule), items in lenient.items() if rule == LENIENT_STATUS["blank"] for item in items]
    if blanks:  # what the form means by 0: said once for the file, however many
        _lenient(out, "", LENIENT_STATUS["blank"], blanks, group_above=1)


def _lenient(
    out: _Findings, part_key: str, rule: str, items: list[tuple[Path, CellValue, dict]], *, group_above: int = GROUP_ABOVE
) -> None:
    """One finding per cell, or one for them all (listing the first ``LIST_CELLS``) when many."""
    if len(items) <= group_above:
        for path, cell, fields in items:
            out.add(rule, [cell.cell], [path], **fields)
        return
    more = f" 等共 {len(items)} 个单元格" if len(items) > LIST_CELLS else f"（共 {len(items)} 个单元格）"
    out.add(
        rule,
        [c.cell for _, c, _ in items],
        [p for p, _, _ in items],
        grouped=True,
        sheet=PART_BY_KEY[part_key].sheet if part_key else "",
        raw=_raw(items[0][1]),
        listed="、".join(_where(c, p) for p, c, _ in items[:LIST_CELLS]),
        more=more,
    )


def _identities(report: Report, values: _Values, out: _Findings) -> None:
    reported: set[Path] = set()  # totals already reported as wrong: once per cell
    unbalanced_input = False  # an input column's balance failed: the 总计 column's follows from it
    parts, found = report.parts, report.values.keys()
    used = values.used_all()
    for identity, part_key, paths, left_at, right_at in _ID_PLAN:
        if part_key not in parts or found.isdisjoint(paths):
            continue
        balance = identity.kind == "balance"
        if not balance:
            total_cell = values.cell(identity.right[0])
            if total_cell is None or total_cell.status not in _FILLED or identity.right[0] in reported:
                continue  # not found, not filled (a warning already), unreadable (an error already)
        # sum(left) = sum(right) on the values as read, added in order as ``_Values.sums`` does
        left_sum: float = 0
        right_sum: float = 0
        for i in left_at:
            v = used[i]
            if v is None:
                break
            left_sum += v
        else:
            for i in right_at:
                v = used[i]
                if v is None:
                    break
                right_sum += v
            else:
                if _equal(left_sum, right_sum):
                    continue
        if v is None:
            continue  # an unreadable value: reported on its own
        # Judged with the stored totals that feed it recomputed: if it holds now, the fault is
        # one of those totals, which its own identity reports.  The total under test stays as read.
        if balance:
            cascade = values.holds(identity.left, identity.right, recomputed=True)
        else:
            total = values.used(identity.right[0])
            left = [values.used(p, recomputed=True) for p in identity.left]
            cascade = None if any(v is None for v in left) else _equal(sum(v for v in left if v is not None), total or 0)
        if cascade:
            continue
        if balance:
            column = LEAF_BY_PATH[identity.right[0]].column
            if column is not None and column.computed and unbalanced_input:
                continue  # one mistake, one finding (as YEAR.CARRY)
            unbalanced_input = unbalanced_input or not (column is not None and column.computed)
            _balance(identity, values, out)
            continue
        total_path = identity.right[0]
        total_cell = values.cell(total_path)
        assert total_cell is not None
        numbers = [values.used(p) or 0 for p in identity.left]
        reported.add(total_path)
        cause = _text_ignored(identity.left, values, total_cell.number) if not report.document else {}
        out.add(
            identity.rule,
            [total_cell.cell] + [c.cell for c in (values.cell(p) for p in identity.left) if c is not None],
            [total_path],
            scope=_scope(total_path),
            row=_row_label(total_path),
            column=_column_label(total_path),
            terms=_terms(numbers),
            stored=_fmt(total_cell.number),
            where=_where(total_cell, total_path),
            diff=_fmt(abs(sum(numbers) - total_cell.number)),
            **cause,
        )


def _text_ignored(items: Sequence[Path], values: _Values, stored: float) -> dict[str, object]:
    """The cause a checker can see when a workbook's total misses exactly its items typed as
    text ("８６条"): a SUM formula leaves text out, so the total was computed, not typed over.
    The advice and fields to say so; {} when that is not what happened."""
    text = [(p, c) for p, c in ((p, values.cell(p)) for p in items) if c is not None and c.status in ("text_number", "with_unit")]
    if not text:
        return {}
    ignored = sum(c.number for _, c in text)
    summed = sum(values.used(p) or 0 for p in items) - ignored
    if _equal(ignored, 0) or not _equal(summed, stored):
        return {}
    cells = "、".join(f"「{_leaf_label(p)}」{_where(c, p)}（“{_raw(c)}”）" for p, c in text)
    return {"source": "text_ignored", "text_cells": cells, "ignored": _fmt(ignored)}


def _balance(identity: Identity, values: _Values, out: _Findings) -> None:
    """sum(left) ≠ sum(right) of two sides of named rows (一 + 二 = （七）总计 + 四), any length."""
    paths = identity.left + identity.right
    numbers = {p: values.used(p) or 0 for p in paths}
    left_sum, right_sum = (sum(numbers[p] for p in side) for side in (identity.left, identity.right))
    head = identity.right[0]

    def names(side: tuple[Path, ...]) -> str:
        return "+".join(form.ordinal(LEAF_BY_PATH[p].row.label) if LEAF_BY_PATH[p].row else LEAF_BY_PATH[p].label for p in side)

    def terms(side: tuple[Path, ...]) -> str:
        return "+".join(_fmt(numbers[p]) for p in side)

    cells = [values.cell(p) for p in paths]
    out.add(
        identity.rule,
        [_cell(c) for c in cells],
        paths,
        scope=_scope(head),
        column=_column_label(head),
        left_names=names(identity.left),
        right_names=names(identity.right),
        left_terms=terms(identity.left),
        right_terms=terms(identity.right),
        left_sum=_fmt(left_sum),
        right_sum=_fmt(right_sum),
        diff=_fmt(abs(left_sum - right_sum)),
        note=PART_BY_KEY[head[0]].note.strip("（）"),
        where="；".join(f"{_row_label(p)} {_where(c, p)}" for c, p in zip(cells, paths)),
    )


# The first rows that cannot be counted are each a finding; the rest one finding listing them.
ROWS_NAMED = 20


def _registers(report: Report, out: _Findings) -> None:
    """The tables against the registers the workbook keeps: table 三 and the fees against the
    application ledger, the categories against the list of published items — each cell whose
    typed value differs from the count, and each record that cannot be counted.  A workbook
    whose registers hold no rows is checked as before."""
    from .register import count_ledger, count_published, rows_said

    for register, count, part, rules in (
        (form.LEDGER, count_ledger, form.APPLICATIONS.key, ("LEDGER.T3_COUNT", "LEDGER.ROW")),
        (form.PUBLISHED, count_published, form.CATEGORIES.key, ("LIST.CATEGORY", "LIST.ROW")),
    ):
        table = report.registers.get(register.key)
        if table is None or not table.rows:
            continue
        if report.year is None:
            year_cell = report.values.get(form.UNIT_YEAR)
            out.add("LEDGER.NO_YEAR", [_cell(year_cell)], sheet=table.sheet, count=len(table.rows),
                    label=LEAF_BY_PATH[form.UNIT_YEAR].label + _in_parens(year_cell))
            continue
        counted = count(table, report.year)
        period = f"{report.year}年"
        for path, value in counted.counts.items():
            if path[0] not in report.parts:
                continue
            cell = report.values.get(path)
            typed = cell.number if cell is not None else 0
            if _equal(typed, value):
                continue
            rows = rows_said(table, counted.rows[path])
            fill = report.prefilled.get(path)
            if fill is not None and not isinstance(fill.value, str):
                # last year's carry-over, locked when sent out: last year's published figure stands
                # (PREFILL.CHANGED says it when the cell no longer holds it); the ledger is what to correct
                out.add("LEDGER.CARRY_PREFILLED", [_cell(cell)], [path], where=_where(cell, path), label=_leaf_label(path),
                        typed=_fmt(fill.value), source_text=f"来源：{fill.source}" if fill.source else "下发模板时预填",
                        count=_fmt(value), sheet=table.sheet, period=period, rows=rows)
                continue
            rule = rules[0] if path[0] == part else "LEDGER.FEE"
            out.add(rule, [_cell(cell)], [path], where=_where(cell, path), label=_leaf_label(path), typed=_fmt(typed),
                    count=_fmt(value), sheet=table.sheet, period=period, rows=rows)
        for i, (row, reason) in enumerate(counted.uncountable):
            if i == ROWS_NAMED:
                rest = counted.uncountable[ROWS_NAMED:]
                listed = "、".join(f"第{r.row}行" for r, _ in rest[:LIST_CELLS])
                more = f" 等（共 {len(rest)} 行）" if len(rest) > LIST_CELLS else ""
                out.add(rules[1], [table.address(r) for r, _ in rest], grouped=True, sheet=table.sheet, count=len(rest),
                        listed=listed, more=more)
                break
            serial = row.text(form.LEDGER_SERIAL) if register is form.LEDGER else ""
            out.add(rules[1], [table.address(row)], where=table.address(row), row=row.row,
                    serial=f"，序号 {serial}" if serial else "", reason=reason)


def _unit(report: Report, out: _Findings) -> None:
    if "unit" not in report.parts or _untouched(report):
        return  # an absent part is PART.MISSING; an untouched form is PLAUS.UNTOUCHED
    name_cell = report.values.get(form.UNIT_NAME)
    if not (report.unit or "").strip():
        out.add(
            "UNIT.NAME_MISSING",
            [_cell(name_cell)],
            [form.UNIT_NAME],
            label=LEAF_BY_PATH[form.UNIT_NAME].label,
            where=_in_parens(name_cell),
        )
    year_cell = report.values.get(form.UNIT_YEAR)
    if report.year is None:
        out.add(
            "UNIT.YEAR_MISSING",
            [_cell(year_cell)],
            [form.UNIT_YEAR],
            label=LEAF_BY_PATH[form.UNIT_YEAR].label,
            where=_in_parens(year_cell),
            found=_year_found(year_cell),
        )


def _year_found(cell: CellValue | None) -> str:
    if cell is None or cell.value in (None, ""):
        return "未填写"
    if parse_year(cell.value) is not None:  # a number, but no year of the form
        return f"读到“{_raw(cell)}”，不在 {YEAR_MIN}—{YEAR_MAX} 年之间"
    return f"读到“{_raw(cell)}”，无法识别为年份"


def _in_parens(cell: CellValue | None) -> str:
    return f"（{cell.cell}）" if cell is not None and cell.cell else ""


def _register_rows(report: Report) -> bool:
    return any(table.rows for table in report.registers.values())


def _untouched(report: Report) -> bool:
    if "applications" not in report.parts or (report.unit or "").strip() or report.year is not None:
        return False
    if _register_rows(report):
        return False
    return all(_equal(report.number(leaf.path), 0) for leaf in form.NUMERIC_LEAVES if leaf.part.key == "applications")


def _nothing_filled(report: Report) -> bool:
    """No input cell of the workbook holds anything but what the template pre-filled (a blank
    template, or one sent out with the unit, the year and last year's carry-over filled in).
    Records typed into a register (台账, 清单) are the unit's own input: such a workbook is filled."""
    if report.document or _register_rows(report):
        return False
    prefilled, leaves = report.prefilled, LEAF_BY_PATH
    inputs = 0
    for path, cell in report.values.items():  # stops at the first filled cell: a report's first few
        if leaves[path].computed or path in prefilled:
            continue
        if cell.status != "blank":
            return False
        inputs += 1
    return inputs > 0


def _untouched_what(report: Report) -> str:
    if not report.prefilled:
        return "所有填报项都是空的"
    shown = "、".join(dict.fromkeys(_prefill_label(p) for p in report.prefilled))
    return f"除下发时预填的{shown}外，没有填写任何内容"


def _prefill_label(path: Path) -> str:
    leaf = LEAF_BY_PATH[path]
    if leaf.part.grids:
        return _row_label(path)
    return leaf.label


def _prefill_changed(report: Report, out: _Findings) -> bool:
    """A pre-filled (locked) number — last year's carry-over — that the returned workbook holds
    changed: the unit had to unprotect the sheet to do it.  Unit name and year are judged by the
    rules of their own (a batch's year and roster)."""
    changed = False
    for path, fill in report.prefilled.items():
        cell = report.values.get(path)
        if cell is None or LEAF_BY_PATH[path].kind not in ("count", "money") or isinstance(fill.value, str):
            continue
        if cell.status != "blank" and _equal(cell.number, fill.value):
            continue
        changed = True
        out.add(
            "PREFILL.CHANGED",
            [_cell(cell)],
            [path],
            where=_where(cell, path),
            label=_leaf_label(path),
            prefilled=_fmt(fill.value),
            source_text=f"来源：{fill.source}" if fill.source else "下发模板时预填",
            found=_raw(cell) if cell.status != "blank" else "空白",
        )
    return changed


def is_rule_maker(name: str) -> bool:
    """Whether a unit's name could be a 规章-making body (FORM.md: provincial and districted-city
    governments; State Council departments make 部门规章).  Errs on the side of "could be": a
    county-level city's 市人民政府 cannot be told from a districted city's by its name."""
    name = re.sub(r"\s+", "", name)
    if name.startswith(form.NATIONAL_UNIT_PREFIXES):
        return True
    if name.endswith(form.NATIONAL_UNIT_SUFFIXES) and not any(h in name for h in form.LOCAL_UNIT_HINTS + ("省", "市", "州")):
        return True
    for hint in form.RULE_MAKING_HINTS:
        if name.endswith(hint):
            rest = name[: -len(hint)].replace("自治区", "")  # 广西壮族自治区南宁市 is a city
            return not any(local in rest for local in form.LOCAL_UNIT_HINTS)
    return False


def _looks_local(name: str) -> bool:
    """A township, county or district unit, or a department (which never makes 规章 itself)."""
    name = re.sub(r"\s+", "", name)
    return any(h in name for h in form.LOCAL_UNIT_HINTS) or name.endswith(form.DEPARTMENT_SUFFIXES)


def _plausibility(report: Report, values: _Values, out: _Findings) -> None:
    parts = report.parts
    name = (report.unit or "").strip()
    if "proactive" in parts and name and not is_rule_maker(name) and _looks_local(name):
        grid = form.grid_of(form.PROACTIVE, form.RULES_ROW)
        rules = [p for p, row, _ in grid.paths(form.PROACTIVE.key) if row.key == form.RULES_ROW]
        nonzero = [p for p in rules if report.number(p) > 0]
        if nonzero:
            cells = [values.cell(p) for p in nonzero]
            out.add(
                "PLAUS.RULES_LOCAL",
                [_cell(c) for c in cells],
                nonzero,
                this_unit=name,
                shown="，".join(f"{_leaf_label(p)} {_fmt(report.number(p))}（{_where(c, p)}）" for p, c in zip(nonzero, cells)),
                normative=form.row_of(form.PROACTIVE, form.NORMATIVE_ROW).label,
            )
    if "applications" in parts:
        _other_other(report, values, out)
        if _untouched(report):
            out.add("PLAUS.UNTOUCHED", what="依申请公开各项均为 0，单位名称和报告年度也为空")
    if "fee_notices" in parts:
        _fees(report, values, out)


def _total_column(grid: form.Grid) -> str:
    return next(c.key for c in grid.columns if c.computed)


def _other_other(report: Report, values: _Values, out: _Findings) -> None:
    grid = form.grid_of(form.APPLICATIONS, form.OTHER_OUTCOME_ROW)
    total_col = _total_column(grid)
    results = form.row_of(form.APPLICATIONS, form.HANDLED_TOTAL_ROW).group[:1]  # 三、本年度办理结果
    outcomes = [r.key for r in grid.rows if r.group[:1] == results and not r.computed]
    other_path = ("applications", form.OTHER_OUTCOME_ROW, total_col)
    other = values.true(other_path)
    named = [values.true(("applications", key, total_col)) for key in outcomes if key != form.OTHER_OUTCOME_ROW]
    if other is None or any(v is None for v in named):
        return
    named_sum = sum(v for v in named if v is not None)
    if other > named_sum:
        cell = values.cell(other_path)
        out.add(
            "PLAUS.OTHER_OTHER",
            [_cell(cell)],
            [other_path],
            scope=_scope(other_path),
            row=_row_label(other_path),
            other=_fmt(other),
            where=_where(cell, other_path),
            named=_fmt(named_sum),
        )


def _fees(report: Report, values: _Values, out: _Findings) -> None:
    sent_p, notified_p, collected_p = form.FEES_SENT, form.FEES_NOTIFIED, form.FEES_COLLECTED
    sent, notified, collected = (report.number(p) for p in (sent_p, notified_p, collected_p))

    def said(p: Path, name: str) -> dict[str, str]:
        return {f"{name}_label": LEAF_BY_PATH[p].label, f"{name}_where": _where(values.cell(p), p)}

    def cell(p: Path) -> str | None:
        return _cell(values.cell(p))

    if collected > notified and not _equal(collected, notified):
        out.add(
            "PLAUS.FEE_COLLECTED",
            [cell(collected_p), cell(notified_p)],
            [collected_p, notified_p],
            collected=_fmt(collected),
            notified=_fmt(notified),
            **said(collected_p, "collected"),
            **said(notified_p, "notified"),
        )
    if _equal(sent, 0) and (notified > 0 or collected > 0):
        amounts = [p for p in (notified_p, collected_p) if report.number(p) > 0]
        shown = "，".join(f"{LEAF_BY_PATH[p].label} {_fmt(report.number(p))}（{_where(values.cell(p), p)}）" for p in amounts)
        out.add("PLAUS.FEE_NO_NOTICE", [cell(sent_p)] + [cell(p) for p in amounts], [sent_p, *amounts], shown=shown, **said(sent_p, "sent"))
    if "applications" in report.parts and _equal(sent, 0):
        unpaid_p = ("applications", form.FEE_UNPAID_ROW, _total_column(form.grid_of(form.APPLICATIONS, form.FEE_UNPAID_ROW)))
        unpaid = values.true(unpaid_p) or 0
        if unpaid > 0:
            out.add(
                "PLAUS.FEE_UNPAID",
                [cell(unpaid_p), cell(sent_p)],
                [unpaid_p, sent_p],
                scope=_scope(unpaid_p),
                row=_row_label(unpaid_p),
                unpaid=_fmt(unpaid),
                where=_where(values.cell(unpaid_p), unpaid_p),
                **said(sent_p, "sent"),
            )


def _cross_year(report: Report, previous: Report, values: _Values, out: _Findings) -> None:
    prev_values = _Values(previous)
    prev_file = os.path.basename(previous.file) if previous.file else "上年文件"

    def prev_where(path: Path) -> str:
        cell = previous.values.get(path)
        return f"[{prev_file}]{cell.cell}" if cell and cell.cell else f"[{prev_file}]（未找到：{_leaf_label(path)}）"

    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        out.add("YEAR.SEQUENCE", prev_file=prev_file, prev_year=previous.year, this_year=report.year, expected=report.year - 1)
    if report.unit and previous.unit and _norm(report.unit) != _norm(previous.unit):
        out.add("YEAR.OTHER_UNIT", prev_file=prev_file, prev_unit=previous.unit, this_unit=report.unit)

    if "applications" in report.parts and "applications" in previous.parts:
        grid = form.grid_of(form.APPLICATIONS, form.CARRIED_OVER_ROW)
        failed_input = False
        for column in grid.columns:
            if column.computed and failed_input:
                continue  # the total column differs because an input column does: said already
            this_p = ("applications", form.CARRIED_OVER_ROW, column.key)
            prev_p = ("applications", form.CARRIED_FORWARD_ROW, column.key)
            this_n, prev_n = values.used(this_p), prev_values.used(prev_p)
            if this_n is None or prev_n is None or _equal(this_n, prev_n):
                continue
            fill = report.prefilled.get(this_p)
            if fill is not None and not column.computed and not isinstance(fill.value, str) and _equal(fill.value, prev_n):
                failed_input = True  # sent out holding last year's figure: PREFILL.CHANGED says it, once
                continue
            failed_input = failed_input or not column.computed
            this_cell = values.cell(this_p)
            out.add(
                "YEAR.CARRY",
                [_cell(this_cell)],  # last year's cell is named in the message
                [this_p],
                scope=_scope(this_p),
                column=_column_label(this_p),
                row=_row_label(this_p),
                this=_fmt(this_n),
                where=_where(this_cell, this_p),
                prev_row=_row_label(prev_p),
                prev=_fmt(prev_n),
                prev_where=prev_where(prev_p),
                diff=_fmt(abs(this_n - prev_n)),
            )

    if "proactive" in report.parts and "proactive" in previous.parts:
        grid = form.grid_of(form.PROACTIVE, form.RULES_ROW)  # 规章、规范性文件: 制发、废止、现行有效
        keys = (form.IN_FORCE_COLUMN, form.ISSUED_COLUMN, form.REPEALED_COLUMN)
        for row in grid.rows:
            in_force_p, issued_p, repealed_p = (("proactive", row.key, c) for c in keys)
            last_cell = previous.values.get(in_force_p)
            if last_cell is None or last_cell.status not in _FILLED:
                continue  # last year's 现行有效件数 not given: nothing to compare with
            last = last_cell.number
            now, issued, repealed = (report.number(p) for p in (in_force_p, issued_p, repealed_p))
            expected = last + issued - repealed
            if _equal(expected, now):
                continue
            cells = [values.cell(p) for p in (in_force_p, issued_p, repealed_p)]
            out.add(
                "YEAR.IN_FORCE",
                [_cell(c) for c in cells],
                [in_force_p, issued_p, repealed_p],
                scope=_scope(in_force_p),
                row=row.label,
                in_force_label=LEAF_BY_PATH[in_force_p].column_label,
                issued_label=LEAF_BY_PATH[issued_p].column_label,
                repealed_label=LEAF_BY_PATH[repealed_p].column_label,
                last=_fmt(last),
                prev_where=prev_where(in_force_p),
                issued=_fmt(issued),
                repealed=_fmt(repealed),
                expected=_fmt(expected),
                now=_fmt(now),
                where=_where(cells[0], in_force_p),
                diff=_fmt(abs(expected - now)),
            )


def finding_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each rule, in the order of ``RULES`` (only rules that occurred)."""
    counts: dict[str, int] = {}
    for finding in findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    order = {code: i for i, code in enumerate(RULES)}
    return dict(sorted(counts.items(), key=lambda kv: order.get(kv[0], len(order))))


_norm = normalise_unit_name  # the one normaliser: roster, duplicates, previous year
