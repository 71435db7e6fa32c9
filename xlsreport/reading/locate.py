"""Where each value of the form is in a workbook: form.py's labels matched against the grid.

Clerks move tables, insert rows, rename sheets, put everything on one sheet, break labels over
two lines and type "1、" for "1." — the meaning stays, the coordinates do not.  So nothing here
knows a coordinate: labels are compared after :func:`normalize`, a grid's value sits where its
row label's row meets its column label's column, and a labelled field's value is the nearest
non-label cell to its right (or below, when the labels stand in a row as in the seed's
attachment).  One generic mechanism, driven by form.py; no special case per file.

Cost is about linear in the number of cells: each sheet is indexed once by normalised text, and
every lookup afterwards is a dictionary hit plus a scan over a handful of candidates.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from dataclasses import dataclass, field
from typing import NamedTuple

from .. import form
from ..form import Field, Grid, Part, Path
from .sheet import Sheet, Value, Workbook

# ---------------------------------------------------------------------------------------------
# normalising labels
# ---------------------------------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
# After NFKC: （）→(), ：→:, ．→., full-width digits and letters → ASCII, ideographic space → space.
_TRANSLATE = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "、": ".",  # "1、" = "1." = "1．"; applied to both sides, so "一、" matches "一."
        "〔": "[",
        "〕": "]",
        "【": "[",
        "】": "]",
    }
)
_ORDINAL = re.compile(r"^(?:\([一二三四五六七八九十\d]+\)|[一二三四五六七八九十]+\.|\d+\.)")
_PARENTHETICAL = re.compile(r"\([^()]*\)")
LOOSE_MIN_CHARS = 4
"""Shortest label matched loosely (without its ordinal and parentheses) anywhere on a sheet:
"其他" or "总计" alone are far too common to be matched without their context."""


# Texts up to this long are remembered by normalize() and loosen(): labels and unit names recur
# in every file of a batch; a longer text (a paragraph of 报告正文, unique to its file) is not
# kept, so that the caches cannot hold a county's or a province's report texts.
CACHED_TEXT_CHARS = 200


def normalize(text: str) -> str:
    """The comparable form of a label: NFKC, no whitespace at all, unified punctuation, 合计→总计."""
    return _normalize_cached(text) if len(text) <= CACHED_TEXT_CHARS else _normalize(text)


def _normalize(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = _WHITESPACE.sub("", s).translate(_TRANSLATE)
    for word, same in form.SYNONYMS.items():
        s = s.replace(word, same)
    return s.rstrip(":")


_normalize_cached = lru_cache(maxsize=65536)(_normalize)  # the same labels recur in every file of a batch


def loosen(normalized: str) -> str:
    """A normalised label without its leading ordinal ("(七)", "1.", "三.") and parentheticals."""
    return _loosen_cached(normalized) if len(normalized) <= CACHED_TEXT_CHARS else _loosen(normalized)


def _loosen(normalized: str) -> str:
    return _PARENTHETICAL.sub("", _ORDINAL.sub("", normalized))


_loosen_cached = lru_cache(maxsize=65536)(_loosen)  # ~565 calls per file, nearly all on the form's own labels


# Every label the form knows, so that a value search never takes a neighbouring label for a value.
def _all_labels() -> set[str]:
    labels: set[str] = set(form.TRIAL_FORMAT_MARKERS)
    for part in form.PARTS:
        labels.update((part.heading, *part.heading_aliases))
        for f in part.fields:
            labels.update((f.label, *f.aliases))
        for grid in part.grids:
            labels.update((grid.heading, grid.row_header))
            for item in (*grid.rows, *grid.columns):
                labels.update((item.label, *item.group))
    return {normalize(label) for label in labels if label}


_KNOWN_LABELS = _all_labels()
_KNOWN_LOOSE = {loosen(label) for label in _KNOWN_LABELS if len(loosen(label)) >= LOOSE_MIN_CHARS}


# ---------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------

Cell = tuple[int, int]


class Location(NamedTuple):
    """Where one value is: a cell of a sheet.  ``inline`` holds the value when it shares the cell
    with its label ("单位名称：微山县西平镇人民政府").  Immutable; a named tuple rather than a
    frozen dataclass because a workbook makes ~220 of them and a frozen dataclass costs 4× more
    to build (issue #6)."""

    sheet: Sheet
    row: int
    col: int
    inline: str | None = None

    @property
    def cell(self) -> str:
        return self.sheet.address(self.row, self.col)

    @property
    def raw(self) -> Value | None:
        if self.inline is not None:
            return self.inline
        return self.sheet.get(self.row, self.col)


@dataclass
class Located:
    """The address of every value found, the parts found, and remarks about the reading."""

    values: dict[Path, Location] = field(default_factory=dict)
    parts: tuple[str, ...] = ()
    form: str = form.FORM_ID
    notes: list[str] = field(default_factory=list)


def _is_label_text(value: str) -> bool:
    norm = normalize(value)
    return bool(norm) and (norm in _KNOWN_LABELS or loosen(norm) in _KNOWN_LOOSE)


def _has_value(cells: dict[Cell, Value], cell: Cell) -> bool:
    """A non-empty cell that is not a label of the form."""
    value = cells.get(cell)
    if value is None:
        return False
    if isinstance(value, str):
        return _text_value(value)
    return True


def _is_number(value: Value | None) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# What the search looks at besides labels: a probe is (kind, cell) and its answer.  Recorded for
# the layout memo, which replays them on the next workbook (see _LayoutMemo).
_PROBES = {
    "value": _has_value,
    "present": lambda cells, cell: cell in cells,
    "number": lambda cells, cell: _is_number(cells.get(cell)),
}


class _Index:
    """One sheet's text cells by normalised and loosened text (built once: linear in cells).

    With ``probes``, every look at a cell outside the label index (has a value? is there
    anything? a number?) is recorded with its answer, for the layout memo."""

    def __init__(self, sheet: Sheet, probes: list | None = None) -> None:
        self.sheet = sheet
        self.probes = probes
        self.exact: dict[str, list[Cell]] = {}
        self.loose: dict[str, list[Cell]] = {}
        self.text: dict[Cell, str] = {}
        for cell in sorted(sheet.cells):
            value = sheet.cells[cell]
            if not isinstance(value, str):
                continue
            norm = normalize(value)
            if not norm:
                continue
            self.text[cell] = norm
            self.exact.setdefault(norm, []).append(cell)
            loose = loosen(norm)
            if len(loose) >= 2:
                self.loose.setdefault(loose, []).append(cell)

    def _probe(self, kind: str, cell: Cell) -> bool:
        answer = _PROBES[kind](self.sheet.cells, cell)
        if self.probes is not None:
            self.probes.append((self.sheet.index, kind, cell, answer))
        return answer

    def has_value(self, cell: Cell) -> bool:
        """A non-empty cell that is not a label of the form."""
        return self._probe("value", cell)

    def present(self, cell: Cell) -> bool:
        return self._probe("present", cell)

    def number(self, cell: Cell) -> bool:
        return self._probe("number", cell)


@lru_cache(maxsize=None)
def _patterns(label: str, group: tuple[str, ...] = (), aliases: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The normalised ways a label is written: alone, or with its group labels in the same cell."""
    found = [normalize(label)] + [normalize(a) for a in aliases]
    found += [normalize("".join(group[i:]) + label) for i in range(len(group))]
    return tuple(dict.fromkeys(found))


def _candidates(index: _Index, patterns: tuple[str, ...], claimed: set, *, loose: bool = True) -> list[Cell]:
    sheet_id = index.sheet.index
    cells = [c for p in patterns for c in index.exact.get(p, ()) if (sheet_id, c) not in claimed]
    if cells or not loose:
        return sorted(set(cells))
    keys = {loosen(p) for p in patterns}
    cells = [
        c for k in keys if len(k) >= LOOSE_MIN_CHARS for c in index.loose.get(k, ()) if (sheet_id, c) not in claimed
    ]
    return sorted(set(cells))


# ---------------------------------------------------------------------------------------------
# grids (tables 二, 三, 四)
# ---------------------------------------------------------------------------------------------


def _locate_grid(indexes: list[_Index], part: Part, grid: Grid, claimed: set, notes: list[str]) -> dict[Path, Location]:
    """Find a grid: the sheet with most of its row labels, then rows × columns on that sheet."""
    scored = []
    for index in indexes:
        rows = {row.key: _candidates(index, _patterns(row.label, row.group, row.aliases), claimed, loose=False) for row in grid.rows}
        count = sum(1 for cells in rows.values() if cells)
        if count:
            scored.append((count, -index.sheet.index, index, rows))
    if not scored:
        return {}
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    _, _, index, rows = scored[0]
    chosen = _choose_rows(index, grid, rows, claimed, notes)
    result = max(
        (
            _standard(index, part, grid, chosen, claimed),
            _spread(index, part, grid, chosen, claimed),
            _in_order(index, part, grid, chosen, claimed),
        ),
        key=lambda pair: _distinct(pair[0]),
    )
    values, used = result
    if not values:
        return {}
    for other in scored[1:]:
        if other[0] >= max(2, len(grid.rows) // 2):
            notes.append(f"工作表「{other[2].sheet.name}」中也有「{grid.heading}」的表格，只读取了工作表「{index.sheet.name}」。")
    claimed.update((index.sheet.index, c) for c in used)
    return values


def _choose_rows(index: _Index, grid: Grid, rows: dict[str, list[Cell]], claimed: set, notes: list[str]) -> dict[str, Cell]:
    """One cell per row label: unique matches first, then the candidate nearest to them; rows not
    matched exactly are looked for loosely between their found neighbours (the row's context),
    and a row whose neighbours stand two rows apart may be the misprinted label between them."""
    fixed = {key: cells[0] for key, cells in rows.items() if len(cells) == 1}
    anchor = sorted(r for r, _ in fixed.values())
    middle = anchor[len(anchor) // 2] if anchor else 0
    chosen: dict[str, Cell] = {}
    for key, cells in rows.items():
        if cells:
            chosen[key] = fixed.get(key) or min(cells, key=lambda c: (abs(c[0] - middle), c))
    order = [row.key for row in grid.rows]
    for i, row in enumerate(grid.rows):
        if row.key in chosen or not chosen:
            continue
        before = [chosen[k][0] for k in order[:i] if k in chosen]
        after = [chosen[k][0] for k in order[i + 1 :] if k in chosen]
        low = max(before) if before else min(after) - 40
        high = min(after) if after else max(before) + 4
        keys = {loosen(p) for p in _patterns(row.label, row.group, row.aliases)}
        sheet_id = index.sheet.index
        options = [
            c
            for k in keys
            for c in index.loose.get(k, ())
            if low < c[0] < high and (sheet_id, c) not in claimed and c not in chosen.values()
        ]
        if options:
            chosen[row.key] = min(options)
        elif before and after and high - low == 2:
            misprint = _misprinted(index, row.label, low + 1, claimed, set(chosen.values()))
            if misprint is not None:
                chosen[row.key] = misprint
                notes.append(
                    f"「{row.label}」按位置读取：它的上下两行之间的 {index.sheet.address(*misprint)} 写作"
                    f"「{index.sheet.cells[misprint]}」，与正式栏目名称不同，请核对。"
                )
    return chosen


MISPRINT_SIMILARITY = 0.75
"""How alike (difflib ratio of the normalised texts) a label must be to the official one to be
taken as it misprinted — only for a row whose neighbours are found with one row between them."""


def _misprinted(index: _Index, label: str, row: int, claimed: set, chosen: set) -> Cell | None:
    """The cell in ``row`` whose text is most like ``label`` (a misprint such as
    "2.其他法律行政止公开"), if alike enough and not a label of the form itself."""
    from difflib import SequenceMatcher

    target = normalize(label)
    best: tuple[float, Cell] | None = None
    for cell, text in index.text.items():
        if cell[0] != row or cell in chosen or (index.sheet.index, cell) in claimed or _is_label_text(text):
            continue
        ratio = SequenceMatcher(None, target, text).ratio()
        if ratio >= MISPRINT_SIMILARITY and (best is None or ratio > best[0]):
            best = (ratio, cell)
    return best[1] if best else None


def _column_cells(index: _Index, grid: Grid, claimed: set) -> dict[str, list[Cell]]:
    return {col.key: _candidates(index, _patterns(col.label, col.group), claimed) for col in grid.columns}


def _path(part: Part, grid: Grid, row_key: str, col_key: str) -> Path:
    return (part.key, row_key) if grid.flat else (part.key, row_key, col_key)


def _standard(index: _Index, part: Part, grid: Grid, rows: dict[str, Cell], claimed: set) -> tuple[dict, set]:
    """Row labels down the left, column labels across the top: each row's value is in the column
    of the nearest matching column label above it and to the right of the row label."""
    columns = _column_cells(index, grid, claimed)
    values: dict[Path, Location] = {}
    used: set[Cell] = set()
    for row_key, (r0, c0) in rows.items():
        for col_key, cells in columns.items():
            above = [c for c in cells if c[0] < r0 and c[1] > c0 and r0 - c[0] <= 60]
            if not above:
                continue
            header = max(above, key=lambda c: (c[0], -c[1]))
            values[_path(part, grid, row_key, col_key)] = Location(index.sheet, r0, header[1])
            used.update(((r0, c0), header, (r0, header[1])))
    return values, used


def _distinct(values: dict[Path, Location]) -> int:
    """How many values a reading finds in a cell of their own: two columns read from one cell
    (headers that do not stand over their values) count for nothing."""
    counts: dict[tuple[int, int, int], int] = {}
    for loc in values.values():
        key = (loc.sheet.index, loc.row, loc.col)
        counts[key] = counts.get(key, 0) + 1
    return sum(1 for loc in values.values() if counts[(loc.sheet.index, loc.row, loc.col)] == 1)


def _in_order(index: _Index, part: Part, grid: Grid, rows: dict[str, Cell], claimed: set) -> tuple[dict, set]:
    """Each row's values in the order of the grid's columns, when the row holds exactly as many
    values right of its label as the grid has columns.  For grids whose header cells do not
    stand over their values: a table copied as text keeps the order of the cells but not their
    columns (a merged header is one line wherever it was), so that order is all there is."""
    width = len(grid.columns)
    values: dict[Path, Location] = {}
    used: set[Cell] = set()
    for row_key, (r0, c0) in rows.items():
        found: list[int] = []
        for c in range(c0 + 1, c0 + 2 * width + 3):
            if index.has_value((r0, c)):
                found.append(c)
                if len(found) > width:
                    break
            elif index.present((r0, c)):
                break  # another label: the row's values have ended
        if len(found) != width:
            continue
        for column, c in zip(grid.columns, found):
            values[_path(part, grid, row_key, column.key)] = Location(index.sheet, r0, c)
            used.add((r0, c))
        used.add((r0, c0))
    if values:  # the grid's column labels above its rows are the grid's, as in _standard
        top, bottom = min(r for r, _ in rows.values()), max(r for r, _ in rows.values())
        for cells in _column_cells(index, grid, claimed).values():
            used.update(c for c in cells if top - 60 <= c[0] < bottom)
    return values, used


def _spread(index: _Index, part: Part, grid: Grid, rows: dict[str, Cell], claimed: set) -> tuple[dict, set]:
    """Row labels side by side over repeated column labels (table 四 as printed: 行政复议 over
    five outcomes, 行政诉讼 over two groups of five), values in the first row under them."""
    if len(rows) < 2 or len({c for _, c in rows.values()}) < len(rows):
        return {}, set()
    top = min(r for r, _ in rows.values())
    bottom = max(r for r, _ in rows.values())
    hits: dict[int, list[tuple[int, str]]] = {}
    for col_key, cells in _column_cells(index, grid, claimed).items():
        for r, c in cells:
            if top < r <= bottom + 4:
                hits.setdefault(r, []).append((c, col_key))
    if not hits:
        return {}, set()
    header_row = max(hits, key=lambda r: (len(hits[r]), -r))
    labels = sorted(rows.items(), key=lambda item: item[1][1])
    header = sorted(hits[header_row])
    chunks = _chunks(header)
    if len(chunks) != len(labels):
        # the column labels stand on two rows (the first group's labels span both, the others
        # stand under their group's label): each column's lowest label
        lowest: dict[int, tuple[int, str]] = {}
        for r in sorted(hits):
            for c, key in hits[r]:
                lowest[c] = (r, key)
        header = sorted((c, key) for c, (_, key) in lowest.items())
        chunks = _chunks(header)
        if len(chunks) != len(labels):
            return {}, set()
        header_row = max(r for r, _ in lowest.values())
    columns = [c for c, _ in header]
    data_row = next(
        (r for r in range(header_row + 1, header_row + 4) if any(index.has_value((r, c)) for c in columns)),
        header_row + 1,
    )
    values: dict[Path, Location] = {}
    used: set[Cell] = set(rows.values())
    for (row_key, _), chunk in zip(labels, chunks):
        for c, col_key in chunk:
            values[_path(part, grid, row_key, col_key)] = Location(index.sheet, data_row, c)
            used.update(((header_row, c), (data_row, c)))
    return values, used


# ---------------------------------------------------------------------------------------------
# labelled fields (unit facts, categories, fee notices)
# ---------------------------------------------------------------------------------------------


def _chunks(header: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Column labels left to right, cut where a column key repeats (the next group begins)."""
    chunks: list[list[tuple[int, str]]] = []
    for c, key in header:
        if not chunks or key in {k for _, k in chunks[-1]}:
            chunks.append([])
        chunks[-1].append((c, key))
    return chunks


def _locate_fields(indexes: list[_Index], part: Part, claimed: set, notes: list[str]) -> dict[Path, Location]:
    best: tuple[int, _Index, dict[str, Cell], dict[str, Location]] | None = None
    for index in indexes:
        labels, inline = _field_labels(index, part, claimed)
        found = len(labels) + len(inline)
        if found and (best is None or found > best[0]):
            best = (found, index, labels, inline)
    if best is None:
        return {}
    _, index, labels, inline = best
    if len(labels) + len(inline) < 2 and not any(len(normalize(_field(part, k).label)) >= 6 for k in (*labels, *inline)):
        return {}  # one short label alone ("其他", "网站") is not evidence of the part
    values: dict[Path, Location] = {(part.key, key): loc for key, loc in inline.items()}
    values.update(_field_values(index, part, labels))
    _unlabelled_total(index, part, labels, values, notes)
    sheet_id = index.sheet.index
    claimed.update((sheet_id, c) for c in labels.values())
    claimed.update((sheet_id, (loc.row, loc.col)) for loc in values.values())
    return values


def _field(part: Part, key: str) -> Field:
    return next(f for f in part.fields if f.key == key)


def _field_labels(index: _Index, part: Part, claimed: set) -> tuple[dict[str, Cell], dict[str, Location]]:
    """The label cell of each field on this sheet, and values written inside their label's cell."""
    candidates: dict[str, list[Cell]] = {}
    inline: dict[str, Location] = {}
    for f in part.fields:
        cells = _candidates(index, _patterns(f.label, aliases=f.aliases), claimed)
        if cells:
            candidates[f.key] = cells
        elif f.kind in ("text", "year", "date"):
            for pattern in _patterns(f.label, aliases=f.aliases):
                for cell, text in index.text.items():
                    if text.startswith(pattern + ":") and len(text) > len(pattern) + 1 and (index.sheet.index, cell) not in claimed:
                        inline[f.key] = Location(index.sheet, cell[0], cell[1], inline=_inline_value(index.sheet, cell))
                        break
                if f.key in inline:
                    break
    fixed = [cells[0] for cells in candidates.values() if len(cells) == 1]
    if fixed:
        center = (sum(r for r, _ in fixed) / len(fixed), sum(c for _, c in fixed) / len(fixed))
    else:
        center = (0.0, 0.0)
    labels = {
        key: cells[0] if len(cells) == 1 else min(cells, key=lambda c: (abs(c[0] - center[0]) + abs(c[1] - center[1]), c))
        for key, cells in candidates.items()
    }
    if len(labels) >= 3:  # a label far from all the others belongs to something else
        labels = {
            key: cell
            for key, cell in labels.items()
            if any(max(abs(cell[0] - o[0]), abs(cell[1] - o[1])) <= 12 for k, o in labels.items() if k != key)
        }
    return labels, inline


def _inline_value(sheet: Sheet, cell: Cell) -> str:
    """The value written after the colon of a label cell ("单位名称：微山县西平镇人民政府")."""
    return re.split(r"[:：]", str(sheet.cells[cell]), maxsplit=1)[1].strip()



def _first_filled(index, start: int, cells_at) -> int:
    """The first of the next six rows (or columns) after ``start`` where any of ``cells_at(n)``
    holds a value; the one right after ``start`` when none does."""
    return next((n for n in range(start + 1, start + 7) if any(index.has_value(p) for p in cells_at(n))), start + 1)

def _field_values(index: _Index, part: Part, labels: dict[str, Cell]) -> dict[Path, Location]:
    """Values below labels that stand in a row, right of labels that stand in a column, otherwise
    the nearest value right of (or else below) each label."""
    rows: dict[int, list[Cell]] = {}
    cols: dict[int, list[Cell]] = {}
    for cell in labels.values():
        rows.setdefault(cell[0], []).append(cell)
        cols.setdefault(cell[1], []).append(cell)
    values: dict[Path, Location] = {}
    sheet = index.sheet
    for key, (r, c) in labels.items():
        line_across = len(rows[r]) >= 2
        line_down = len(cols[c]) >= 2
        if line_across and not line_down:  # values in the first row below that holds any
            step = _first_filled(index, r, lambda rr: ((rr, mc) for _, mc in rows[r]))
            values[(part.key, key)] = Location(sheet, step, c)
        elif line_down and not line_across:  # values in the first column to the right that holds any
            step = _first_filled(index, c, lambda cc: ((mr, cc) for mr, _ in cols[c]))
            values[(part.key, key)] = Location(sheet, r, step)
        else:
            values[(part.key, key)] = Location(sheet, *_nearest_value(index, r, c))
    return values


def _nearest_value(index: _Index, r: int, c: int) -> Cell:
    for cells in ([(r, c + i) for i in range(1, 5)], [(r + i, c) for i in range(1, 5)]):
        for cell in cells:
            if index.present(cell):
                if index.has_value(cell):
                    return cell
                break  # another label: no value in this direction
    return (r, c + 1)


def _unlabelled_total(index: _Index, part: Part, labels: dict[str, Cell], values: dict[Path, Location], notes: list[str]) -> None:
    """A computed field without a label (the seed's 58 in E6): the number standing in line with
    the inputs' values, just before the first or after the last of them."""
    for total in (f for f in part.fields if f.computed and (part.key, f.key) not in values):
        inputs = [values[(part.key, f.key)] for f in part.fields if not f.computed and (part.key, f.key) in values]
        if len(inputs) < 2:
            continue
        if len({loc.row for loc in inputs}) == 1:
            line = inputs[0].row
            first, last = min(loc.col for loc in inputs), max(loc.col for loc in inputs)
            probes = [(line, first - i) for i in range(1, 4) if first - i >= 0] + [(line, last + i) for i in range(1, 4)]
        elif len({loc.col for loc in inputs}) == 1:
            line = inputs[0].col
            first, last = min(loc.row for loc in inputs), max(loc.row for loc in inputs)
            probes = [(last + i, line) for i in range(1, 4)] + [(first - i, line) for i in range(1, 4) if first - i >= 0]
        else:
            continue
        taken = {(loc.row, loc.col) for loc in inputs}
        for cell in probes:
            if cell not in taken and index.number(cell):
                value = index.sheet.cells[cell]
                loc = Location(index.sheet, *cell)
                values[(part.key, total.key)] = loc
                notes.append(f"「{total.label}」没有标签，取与各分类数值并列的 {loc.cell}（{_show(value)}）。")
                break


def _show(value: Value) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


# ---------------------------------------------------------------------------------------------
# the whole workbook
# ---------------------------------------------------------------------------------------------


def locate(workbook: Workbook, *, memo: bool = True) -> Located:
    """Find every value of the form in ``workbook``; say which parts are there and how it was read.

    With ``memo`` (the default), a workbook laid out exactly like one located before in this
    process is not searched again: see :class:`_LayoutMemo` for why the result is the same.
    """
    signature = _signature(workbook) if memo else None
    if signature is not None:
        hit = _MEMO.recall(workbook, signature)
        if hit is not None:
            return hit
    probes: list | None = [] if memo else None
    located = _search(workbook, probes)
    if signature is not None and probes is not None:
        _MEMO.remember(signature, probes, located)
    return located


def _search(workbook: Workbook, probes: list | None) -> Located:
    indexes = [_Index(sheet, probes) for sheet in workbook.sheets]
    located = Located()
    trial = _trial_markers(indexes)
    skipped: tuple[str, ...] = ()
    if len(trial) >= 2:
        located.form = form.TRIAL_FORMAT_ID
        skipped = form.TRIAL_FORMAT_UNREAD
        # what was seen and what it means for the reading; check's FORMAT.TRIAL_2019 quotes it
        unread = "、".join(f"「{form.PART_BY_KEY[key].heading}」" for key in skipped)
        located.notes.append(f"表中有「{'」「'.join(trial)}」等 2019 年试行格式特有的栏目；{unread}按试行格式未读取")
    claimed: set = set()
    for part in form.PARTS:
        for grid in part.grids:
            found = _locate_grid(indexes, part, grid, claimed, located.notes if part.key not in skipped else [])
            if part.key not in skipped:
                located.values.update(found)
            # a trial-format table is still located, unread: its cells are claimed, so that no
            # field of another part takes a number of it by a label it shares ("其他", "总计")
    for part in form.PARTS:
        if part.key in skipped or not part.fields:
            continue
        located.values.update(_locate_fields(indexes, part, claimed, located.notes))
    found = {path[0] for path in located.values}
    located.parts = tuple(part.key for part in form.PARTS if part.key in found)
    return located


def _trial_markers(indexes: list[_Index]) -> list[str]:
    markers = []
    for marker in form.TRIAL_FORMAT_MARKERS:
        norm = normalize(marker)
        if any(norm in index.exact for index in indexes):
            markers.append(marker)
    return markers


# ---------------------------------------------------------------------------------------------
# the layout memo (issue #6): workbooks written from one template share their label positions
# ---------------------------------------------------------------------------------------------


def _label_universe() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """Every normalised text the search can look up (exactly, loosened, or as "label:" with an
    inline value), and the trial-format markers: a cell whose text is none of these is never a
    candidate, so it cannot change where anything is found."""
    exact: set[str] = {normalize(marker) for marker in form.TRIAL_FORMAT_MARKERS}
    prefixes: list[str] = []
    for part in form.PARTS:
        for grid in part.grids:
            for item in (*grid.rows, *grid.columns):
                exact.update(_patterns(item.label, item.group, getattr(item, "aliases", ())))
        for f in part.fields:
            patterns = _patterns(f.label, aliases=f.aliases)
            exact.update(patterns)
            prefixes.extend(pattern + ":" for pattern in patterns)
    return frozenset(exact), frozenset(loosen(text) for text in exact), tuple(prefixes)


_UNIVERSE_EXACT, _UNIVERSE_LOOSE, _UNIVERSE_PREFIXES = _label_universe()

Signature = tuple[tuple[int, str, dict[Cell, str]], ...]


def _signature(workbook: Workbook) -> Signature:
    """Each sheet's position, name and label-like cells (cell → normalised text)."""
    out = []
    for sheet in workbook.sheets:
        labels: dict[Cell, str] = {}
        for cell, value in sheet.cells.items():
            if isinstance(value, str):
                norm = normalize(value)
                if norm and (norm in _UNIVERSE_EXACT or loosen(norm) in _UNIVERSE_LOOSE or norm.startswith(_UNIVERSE_PREFIXES)):
                    labels[cell] = norm
        out.append((sheet.index, sheet.name, labels))
    return tuple(out)


_SIMPLE_TYPES = frozenset({type(None), str, int, float, bool})
_NUMBER_TYPES = frozenset({int, float})
_EMPTY_TYPES = frozenset({type(None), str})


def _replay(cells: dict[Cell, Value], kind: str, answer: bool, group: frozenset[Cell]) -> bool:
    """Whether each probe ``kind`` of the cells ``group`` gets ``answer`` again: ``_PROBES``
    asked of many cells at once (the layout memo replays ~800 probes per workbook).  Decided by
    the types of the values; text is looked at cell by cell; a value of any other type falls
    back to asking each probe."""
    if kind == "present":
        return cells.keys() >= group if answer else cells.keys().isdisjoint(group)
    values = list(map(cells.get, group))
    types = set(map(type, values))
    if not types <= _SIMPLE_TYPES:
        probe = _PROBES[kind]
        return all(probe(cells, cell) == answer for cell in group)
    if kind == "number":
        return types <= _NUMBER_TYPES if answer else types.isdisjoint(_NUMBER_TYPES)
    # "value": not empty, and text only when it is not blank and not a label of the form
    if answer:
        return type(None) not in types and (str not in types or all(_text_value(v) for v in values if type(v) is str))
    return types <= _EMPTY_TYPES and not any(_text_value(v) for v in values if type(v) is str)


def _text_value(text: str) -> bool:
    return bool(text.strip()) and not _is_label_text(text)


@dataclass
class _Layout:
    signature: Signature
    probes: tuple[tuple[int, str, bool, frozenset[Cell]], ...]  # sheet index, kind, answer, cells
    values: tuple[tuple[Path, int, int, int, bool], ...]  # path, sheet index, row, col, inline?
    parts: tuple[str, ...]
    form: str


class _LayoutMemo:
    """Where the values were in workbooks located before, to skip the search for the next one.

    The search (:func:`_search`) reads a workbook in two ways only: through the label index —
    the cells whose normalised text is in :func:`_label_universe`; no other cell can become a
    candidate — and through single-cell probes (has a value? anything there? a number?) that
    decide where a value sits next to its label.  A result is remembered with both: the
    signature (every sheet's position, name and label-like cells with their text) and every
    probe with its answer.  A workbook with the same signature gives the search the same
    candidates, so it makes the same choices and asks the same probes; if they get the same
    answers, the search would return the same addresses.  Anything else — a moved table, a label
    more or less anywhere, a renamed or added sheet, text typed into a label cell, a value
    appearing where a probe found none — is a miss, and the full search runs.  Results with
    notes (which quote values) are not remembered.  Inline values ("单位名称：…") are taken from
    the new workbook's own cell.  Holds positions only, never a workbook.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self.layouts: list[_Layout] = []
        self.hits = 0
        self.misses = 0

    def recall(self, workbook: Workbook, signature: Signature) -> Located | None:
        sheets = {sheet.index: sheet for sheet in workbook.sheets}
        for position, layout in enumerate(self.layouts):
            if layout.signature != signature:
                continue
            if not all(_replay(sheets[si].cells, kind, answer, group) for si, kind, answer, group in layout.probes):
                continue
            if position:
                self.layouts.insert(0, self.layouts.pop(position))
            self.hits += 1
            located = Located(parts=layout.parts, form=layout.form)
            for path, si, row, col, inline in layout.values:
                sheet = sheets[si]
                located.values[path] = Location(sheet, row, col, _inline_value(sheet, (row, col)) if inline else None)
            return located
        self.misses += 1
        return None

    def remember(self, signature: Signature, probes: list, located: Located) -> None:
        if located.notes or not located.values:
            return
        values = tuple(
            (path, loc.sheet.index, loc.row, loc.col, loc.inline is not None) for path, loc in located.values.items()
        )
        groups: dict[tuple[int, str, bool], set[Cell]] = {}
        for si, kind, cell, answer in probes:
            groups.setdefault((si, kind, answer), set()).add(cell)
        grouped = tuple((si, kind, answer, frozenset(cells)) for (si, kind, answer), cells in groups.items())
        layout = _Layout(signature, grouped, values, located.parts, located.form)
        self.layouts.insert(0, layout)
        del self.layouts[self.size :]

    def clear(self) -> None:
        self.layouts.clear()
        self.hits = self.misses = 0


_MEMO = _LayoutMemo()


def layout_memo_stats() -> dict[str, int]:
    """How often this process's layout memo spared a search (for tests and benchmarks)."""
    return {"hits": _MEMO.hits, "misses": _MEMO.misses, "layouts": len(_MEMO.layouts)}


def clear_layout_memo() -> None:
    """Forget every remembered layout (the next workbook is searched in full)."""
    _MEMO.clear()
