"""The registers kept all year — the application ledger (台账) and the list of published items
(清单) — and what they count to in the form's own terms.

A register is a header row and one row per record.  Its columns are found by their header
labels (form.py declares them with the synonyms other registers use), never by position, so the
template's own sheet, a site's export and a clerk's home-made spreadsheet are read alike.
Everything here is a pure function of cell values: the reader builds a :class:`RegisterTable`
from a sheet, ``xlsreport ledger`` from a CSV or another workbook, and the checker and the
ledger command count it with :func:`count_ledger` and :func:`count_published`.

Counting follows FORM.md for report year Y (see ``form.LEDGER``): 一 received in Y; 二 received
before Y and not answered before it; each outcome of 三 answered in Y with that result; 四
received by the end of Y and not answered by then.  So 一 + 二 = （七）+ 四 holds by construction,
column by column.  A row that cannot be counted (a date that is not one, an outcome or applicant
type not in the lists, an answer before the receipt) is named with its reason, never guessed.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping, Sequence

from . import form
from .dates import parse_date
from .form import Path, Register, RegisterColumn

# ---------------------------------------------------------------------------------------------
# Comparing texts: headers and list values
# ---------------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")
_PUNCT = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "、": ".", "．": "."})
# Ordinals of the form's lists: "(三)", "三.", "1." — tolerated (and ignored) in a list value.
_ORDINALS = re.compile(r"\([一二三四五六七八九十\d]+\)|(?<![\d.])\d+\.(?!\d)|^[一二三四五六七八九十]+\.")
_PARENTHETICAL = re.compile(r"\([^()]*\)")
_SEPARATORS = re.compile(r"[-－—–_:：/|>＞]+")


def _plain(text: str) -> str:
    """NFKC, no whitespace, unified quotes and list punctuation."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).translate(_PUNCT)


@lru_cache(maxsize=4096)  # the same headers in every workbook of a batch
def header_key(text: str) -> str:
    """A header as compared: "收费金额（元）" and "收费金额 (元)" and "收费金额" are one column."""
    return _PARENTHETICAL.sub("", _plain(text)).rstrip(":")


def bare(text: str) -> str:
    """A list value without its ordinals, parentheticals and separators:
    "（三）不予公开-1.属于国家秘密" → "不予公开属于国家秘密"."""
    return _SEPARATORS.sub("", _PARENTHETICAL.sub("", _ORDINALS.sub("", _plain(text))))


def _matcher(choices: Sequence[tuple[str, str]], groups: Callable[[str], Iterable[str]] = lambda key: ()) -> Callable[[str], str | None]:
    """A list value → its key: the wording as the list has it, or its bare form, with or without
    the group words before it; a bare form that two choices share matches neither."""
    exact = {_plain(wording): key for key, wording in choices}
    loose: dict[str, set[str]] = {}
    for key, wording in choices:
        words = bare(wording)
        last = bare(wording.split("-")[-1])
        for form_of in {words, last, *(bare(g) + last for g in groups(key))}:
            loose.setdefault(form_of, set()).add(key)

    @lru_cache(maxsize=1024)  # a register repeats a handful of values thousands of times
    def match(text: str) -> str | None:
        plain = _plain(text)
        if plain in exact:
            return exact[plain]
        keys = loose.get(bare(text), set())
        return next(iter(keys)) if len(keys) == 1 else None

    return match


def _outcome_groups(key: str) -> Iterable[str]:
    row = form.row_of(form.APPLICATIONS, key)
    return row.group  # "三、本年度办理结果", "（三）不予公开": either may stand before the label


def _applicant_groups(key: str) -> Iterable[str]:
    column = next(c for c in form.APPLICATIONS.grids[0].columns if c.key == key)
    return column.group[1:]  # "法人或其他组织"


def _words(column: RegisterColumn) -> tuple[tuple[str, str], ...]:
    return column.choices + column.choice_aliases


match_outcome = _matcher(_words(form.LEDGER.column(form.LEDGER_OUTCOME)), _outcome_groups)
match_applicant = _matcher(_words(form.LEDGER.column(form.LEDGER_APPLICANT)), _applicant_groups)
match_category = _matcher(_words(form.PUBLISHED.column(form.PUBLISHED_CATEGORY)))
_MATCHERS: dict[tuple[str, str], Callable[[str], str | None]] = {
    (form.LEDGER.key, form.LEDGER_OUTCOME): match_outcome,
    (form.LEDGER.key, form.LEDGER_APPLICANT): match_applicant,
    (form.PUBLISHED.key, form.PUBLISHED_CATEGORY): match_category,
}


def choice_of(register: Register, column: str, text: str) -> str | None:
    """The key of the list value ``text`` in a register's column (None: not one of the list)."""
    return _MATCHERS[(register.key, column)](text)


# ---------------------------------------------------------------------------------------------
# Rows as read
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    """One record: its row number as the user sees it (1-based) and its cells by column key."""

    row: int
    cells: dict[str, Any]

    def text(self, key: str) -> str:
        value = self.cells.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, (_dt.datetime, _dt.date)):
            return value.isoformat()[:10]
        return str(value).strip()


@dataclass
class RegisterTable:
    """A register as found in a file: which sheet, where each column is, and its rows."""

    register: Register
    sheet: str
    columns: dict[str, int]  # column key → 0-based column
    rows: list[RegisterRow] = field(default_factory=list)

    def address(self, row: RegisterRow, key: str | None = None) -> str:
        from .excel import column_letters

        col = self.columns.get(key, 0) if key else min(self.columns.values(), default=0)
        return f"{self.sheet}!{column_letters(col)}{row.row}"

    def to_list(self) -> list[dict]:
        """The rows for ``read --json``: each column's value as read (dates as 2024-03-05 when
        they are dates, else the text typed), with the row number."""
        out = []
        for row in self.rows:
            item: dict[str, Any] = {"row": row.row}
            for column in self.register.columns:
                item[column.key] = _shown(column, row.cells.get(column.key))
            out.append(item)
        return out


def _shown(column: RegisterColumn, value: Any) -> Any:
    if value is None:
        return None
    if column.kind == "date":
        when = parse_date(value)
        if when is not None:
            return when.isoformat()
    if isinstance(value, float):
        return int(value) if value.is_integer() and column.kind != "money" else value
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time, _dt.timedelta)):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip() or None
    return value


HEADER_ROWS = 10  # a register's header is in its first rows (a title above it is common)
HEADER_COLUMNS = 64

Cells = Mapping[tuple[int, int], Any]  # a sheet's non-empty cells by (row, column), 0-based


def find_header(cells: Cells, register: Register) -> tuple[int, dict[str, int]] | None:
    """The header row of ``register`` among the first rows, and where each of its columns is:
    the row matching the most column labels (at least two, and the columns counting needs)."""
    names = _header_names(register)
    found: dict[int, dict[str, int]] = {}
    for (r, c), value in sorted((cell, v) for cell, v in cells.items() if cell[0] < HEADER_ROWS and cell[1] < HEADER_COLUMNS
                                and isinstance(v, str)):
        key = names.get(header_key(value))
        if key is not None:
            found.setdefault(r, {}).setdefault(key, c)
    best = max(((len(keys), -r, r) for r, keys in found.items() if len(keys) >= 2), default=None)
    if best is None or not set(_REQUIRED[register.key]) <= set(found[best[2]]):
        return None
    return best[2], found[best[2]]


@lru_cache(maxsize=None)
def _header_names(register: Register) -> dict[str, str]:
    """Every header a column of ``register`` may have, as compared, → the column's key (made once:
    every workbook of a batch has the register's sheets)."""
    names: dict[str, str] = {}
    for column in register.columns:
        for label in (column.label, *column.aliases):
            names.setdefault(header_key(label), column.key)
    return names


_REQUIRED: dict[str, tuple[str, ...]] = {
    form.LEDGER.key: (form.LEDGER_RECEIVED, form.LEDGER_APPLICANT, form.LEDGER_OUTCOME),
    form.PUBLISHED.key: (form.PUBLISHED_CATEGORY,),
}


def required_labels(register: Register) -> str:
    """The columns a register must have, as a clerk reads them ("收到日期、申请人类型、办理结果")."""
    return "、".join(register.column(key).label for key in _REQUIRED[register.key])


def read_rows(cells: Cells, header: int, columns: dict[str, int]) -> list[RegisterRow]:
    """Every row under the header with something in a column of the register other than its
    serial number (a template's pre-numbered empty rows are no records).  One pass over the
    sheet's cells: a ledger of thousands of rows is read in milliseconds."""
    key_of = {col: key for key, col in columns.items()}
    by_row: dict[int, dict[str, Any]] = {}
    for (r, c), value in cells.items():
        key = key_of.get(c)
        if key is None or r <= header or value is None or (isinstance(value, str) and not value.strip()):
            continue
        by_row.setdefault(r, {})[key] = value
    serial = form.LEDGER_SERIAL
    return [RegisterRow(r + 1, by_row[r]) for r in sorted(by_row) if len(by_row[r]) > 1 or serial not in by_row[r]]


def table_from_cells(register: Register, sheet: str, cells: Cells) -> RegisterTable | None:
    """The register in a sheet's cells, or None when no header row of it is there."""
    header = find_header(cells, register)
    if header is None:
        return None
    top, columns = header
    return RegisterTable(register, sheet, columns, read_rows(cells, top, columns))


# ---------------------------------------------------------------------------------------------
# The ledger, counted
# ---------------------------------------------------------------------------------------------

_YES = frozenset({"是", "有", "y", "yes", "√", "✓", "1", "true", "已发", "已发出", "发出"})
_NO = frozenset({"否", "无", "n", "no", "×", "0", "false", "未发", "未发出", "不收费"})


@lru_cache(maxsize=256)
def yes_no(text: str) -> bool | None:
    """是/否 as clerks type it (有/无, √/×, Y/N…); None for anything else, "" included."""
    said = _plain(text).lower()
    return True if said in _YES else False if said in _NO and said else None


def _money(value: Any) -> float | None:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) and value >= 0 else None
    text = _plain(str(value)).replace(",", "").removesuffix("元")
    if text in ("", "/", "-", "无"):
        return 0.0
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


@dataclass(frozen=True)
class Application:
    """One ledger row as counted: its dates, column and outcome keys, fees, and why it cannot
    be counted (empty when it can)."""

    row: RegisterRow
    received: _dt.date | None
    answered: _dt.date | None
    applicant: str | None
    outcome: str | None
    fee_notice: bool
    fee_amount: float
    fee_collected: float
    problems: tuple[str, ...]


def _label(key: str) -> str:
    return form.LEDGER.column(key).label


def interpret(row: RegisterRow) -> Application:
    """A ledger row's values in the form's terms, with every reason it cannot be counted."""
    problems: list[str] = []

    def date(key: str, required: bool) -> _dt.date | None:
        raw = row.cells.get(key)
        if raw is None:
            if required:
                problems.append(f"未填{_label(key)}")
            return None
        when = parse_date(raw)
        if when is None:
            problems.append(f"{_label(key)}“{row.text(key)}”不是日期")
        return when

    def choice(key: str, match: Callable[[str], str | None], required: bool) -> str | None:
        raw = row.text(key)
        if not raw:
            if required:
                problems.append(f"未填{_label(key)}")
            return None
        found = match(raw)
        if found is None:
            problems.append(f"{_label(key)}“{raw}”不在列表中")
        return found

    received = date(form.LEDGER_RECEIVED, True)
    answered = date(form.LEDGER_ANSWERED, False)
    applicant = choice(form.LEDGER_APPLICANT, match_applicant, True)
    outcome = choice(form.LEDGER_OUTCOME, match_outcome, False)
    if received and answered and answered < received:
        problems.append(f"{_label(form.LEDGER_ANSWERED)} {answered} 早于{_label(form.LEDGER_RECEIVED)} {received}")
    if answered is not None and not row.text(form.LEDGER_OUTCOME):
        problems.append(f"有{_label(form.LEDGER_ANSWERED)}而未填{_label(form.LEDGER_OUTCOME)}")
    if row.cells.get(form.LEDGER_ANSWERED) is None and row.text(form.LEDGER_OUTCOME):
        problems.append(f"有{_label(form.LEDGER_OUTCOME)}而未填{_label(form.LEDGER_ANSWERED)}")
    notice_text = row.text(form.LEDGER_FEE_NOTICE)
    notice = yes_no(notice_text) if notice_text else False
    if notice is None:
        problems.append(f"{_label(form.LEDGER_FEE_NOTICE)}“{row.text(form.LEDGER_FEE_NOTICE)}”应为“{form.YES}”或“{form.NO}”")
    amounts = []
    for key in (form.LEDGER_FEE_AMOUNT, form.LEDGER_FEE_COLLECTED):
        amount = _money(row.cells.get(key))
        if amount is None:
            problems.append(f"{_label(key)}“{row.text(key)}”不是不小于 0 的金额")
        amounts.append(amount or 0.0)
    return Application(row, received, answered, applicant, outcome, bool(notice), amounts[0], amounts[1], tuple(problems))


@dataclass
class Counted:
    """What a register counts to for one report year: the value of each path it feeds, the rows
    behind each, the rows that cannot be counted (with why), and the rows outside the year."""

    year: int
    counts: dict[Path, int | float]
    rows: dict[Path, list[RegisterRow]]
    uncountable: list[tuple[RegisterRow, str]] = field(default_factory=list)
    before: list[RegisterRow] = field(default_factory=list)  # handled wholly before the year
    after: list[RegisterRow] = field(default_factory=list)  # received (published) after it
    counted: int = 0  # rows counted in the year
    # what made a row fall before and after the year: ("已办结", "收到") for applications
    done: tuple[str, str] = ("已办结", "收到")

    def outside(self) -> str:
        """The rows not counted for being outside the year, said as information ("" when none)."""
        said = []
        if self.before:
            said.append(f"{len(self.before)} 行在 {self.year} 年以前{self.done[0]}")
        if self.after:
            said.append(f"{len(self.after)} 行在 {self.year} 年以后{self.done[1]}")
        return "，".join(said)


def ledger_paths() -> tuple[Path, ...]:
    """Every value the ledger feeds: table 三's input cells and the three fee values."""
    grid = form.APPLICATIONS.grids[0]
    cells = tuple(path for path, row, column in grid.paths(form.APPLICATIONS.key) if not (row.computed or column.computed))
    return cells + tuple(path for path, _ in form.LEDGER_FEES)


LEDGER_PATHS = ledger_paths()


def count_ledger(table: RegisterTable, year: int) -> Counted:
    """The ledger counted for report ``year`` (see the module's docstring)."""
    part = form.APPLICATIONS.key
    start, end = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
    counts: dict[Path, int | float] = {path: 0 for path in LEDGER_PATHS}
    behind: dict[Path, list[RegisterRow]] = {path: [] for path in LEDGER_PATHS}
    result = Counted(year, counts, behind)

    def add(path: Path, row: RegisterRow, amount: int | float = 1) -> None:
        counts[path] += amount
        behind[path].append(row)

    for row in table.rows:
        app = interpret(row)
        if app.problems:
            result.uncountable.append((row, "；".join(app.problems)))
            continue
        assert app.received is not None and app.applicant is not None
        column = app.applicant
        if app.received > end:
            result.after.append(row)
            continue
        if app.answered is not None and app.answered < start:
            result.before.append(row)
            continue
        result.counted += 1
        if app.received >= start:
            add((part, form.LEDGER_NEW_ROW, column), row)
        else:
            add((part, form.CARRIED_OVER_ROW, column), row)
        if app.answered is not None and app.answered <= end:
            assert app.outcome is not None
            add((part, app.outcome, column), row)
            for path, key in form.LEDGER_FEES:
                amount = {form.LEDGER_FEE_NOTICE: int(app.fee_notice), form.LEDGER_FEE_AMOUNT: app.fee_amount,
                          form.LEDGER_FEE_COLLECTED: app.fee_collected}[key]
                if amount:
                    add(path, row, amount)
        else:
            add((part, form.CARRIED_FORWARD_ROW, column), row)
    for path in (p for p, _ in form.LEDGER_FEES if p[1] != "notices_sent"):
        counts[path] = _round_money(counts[path])
    return result


def _round_money(value: float) -> int | float:
    value = round(value, 2)
    return int(value) if float(value).is_integer() else value


def count_published(table: RegisterTable, year: int) -> Counted:
    """The list of published items counted for report ``year``: each category's items published
    in the year (rows without a date are counted in the year: a list is usually the year's)."""
    part = form.CATEGORIES.key
    paths = tuple((part, key) for key, _ in form.PUBLISHED.column(form.PUBLISHED_CATEGORY).choices)
    counts: dict[Path, int | float] = {path: 0 for path in paths}
    behind: dict[Path, list[RegisterRow]] = {path: [] for path in paths}
    result = Counted(year, counts, behind, done=("发布", "发布"))
    for row in table.rows:
        problems = []
        raw = row.text(form.PUBLISHED_CATEGORY)
        category = match_category(raw) if raw else None
        if not raw:
            problems.append(f"未填{form.PUBLISHED.column(form.PUBLISHED_CATEGORY).label}")
        elif category is None:
            problems.append(f"{form.PUBLISHED.column(form.PUBLISHED_CATEGORY).label}“{raw}”不在列表中")
        raw_date = row.cells.get(form.PUBLISHED_DATE)
        when = parse_date(raw_date) if raw_date is not None else None
        if raw_date is not None and when is None:
            problems.append(f"{form.PUBLISHED.column(form.PUBLISHED_DATE).label}“{row.text(form.PUBLISHED_DATE)}”不是日期")
        if problems:
            result.uncountable.append((row, "；".join(problems)))
            continue
        if when is not None and when.year < year:
            result.before.append(row)
        elif when is not None and when.year > year:
            result.after.append(row)
        else:
            result.counted += 1
            counts[(part, category)] += 1  # type: ignore[index]
            behind[(part, category)].append(row)  # type: ignore[index]
    return result


def rows_said(table: RegisterTable, rows: Sequence[RegisterRow], limit: int = 5) -> str:
    """The first few rows as a clerk finds them: "第5行（序号 3）、第9行 …等 12 行"."""
    if not rows:
        return "没有相应的行"
    said = []
    for row in rows[:limit]:
        serial = row.text(form.LEDGER_SERIAL) if table.register is form.LEDGER else ""
        said.append(f"第{row.row}行" + (f"（序号 {serial}）" if serial else ""))
    more = f"等，共 {len(rows)} 行" if len(rows) > limit else f"，共 {len(rows)} 行"
    return "、".join(said) + more
