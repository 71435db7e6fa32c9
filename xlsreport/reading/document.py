"""Published reports — web pages, Word files, PDFs, plain text — as the same grid as a workbook.

A unit publishes its report as a document: the six sections of running text with the tables
of the form between them.  Each format has a producer that turns the document's tables into
:class:`sheet.Sheet` cells at their true grid positions (merged cells at their top-left cell,
the others left empty, as a workbook has them), so that :func:`locate.locate` reads a document
exactly as it reads a workbook: by the form's labels, with no copy of them here.

* :mod:`html` — a saved web page (also an HTML table saved as .xls), via lxml;
* :mod:`docx` — a Word document's ``word/document.xml``, via lxml;
* :mod:`pdf` — a PDF's text layer, via pdfplumber (a table that runs over a page is joined);
* :mod:`text` — a report copied as plain text (the seed): a line is a cell, a blank line
  ends a row.

Each cell is named as the clerk finds it in their document (``Sheet.namer``):
``第3页 表2 第12行第4列`` (PDF), ``第2个表格 第12行第4列`` (Word, web page), ``第128行`` (text).
The running text outside the tables is kept as ``Workbook.lines``, from which
:func:`report_title` takes the unit's name and year and :func:`split_sections` the narrative.
All limits are those of :mod:`sniff` and are checked before or while a parser works, never after.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from .. import form
from ..errors import UnsupportedFormat, error
from .sheet import Sheet, Value
from .sniff import MAX_DOCUMENT_CELLS, MAX_DOCUMENT_TABLES, MAX_NUMBER_DIGITS

Rows = list[list["str | None"]]
"""A table as rows of cell texts on its grid; None where a merged cell covers the position."""


# ---------------------------------------------------------------------------------------------
# tables → sheets
# ---------------------------------------------------------------------------------------------


class RowNamer:
    """Names a cell of a document table: the row's own name (which page, table and row it came
    from — rows of a joined table keep theirs) and the column."""

    def __init__(self, rows: Sequence[str]) -> None:
        self.rows = tuple(rows)

    def __call__(self, row: int, col: int) -> str:
        prefix = self.rows[row] if 0 <= row < len(self.rows) else f"第{row + 1}行"
        return f"{prefix}第{col + 1}列"


class CellNamer:
    """Names a cell by a map (the text producer: each cell is a line of the file)."""

    def __init__(self, names: dict[tuple[int, int], str], fallback: str = "") -> None:
        self.names = names
        self.fallback = fallback

    def __call__(self, row: int, col: int) -> str:
        return self.names.get((row, col)) or f"{self.fallback}第{row + 1}行第{col + 1}列"


def table_sheet(rows: Rows, index: int, sheet_name: str, row_names: Sequence[str]) -> Sheet:
    """A sheet holding one table's cells (texts made values by :func:`cell_value`)."""
    sheet = Sheet(sheet_name, index, namer=RowNamer(row_names))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text is None:
                continue
            value = cell_value(text)
            if value != "":
                sheet.cells[(r, c)] = value
    return sheet


class CellBudget:
    """Counts table cells (a merged cell by the area it spans) and tables of one document, and
    refuses the document the moment it passes the limits — while the producer builds its grid."""

    def __init__(self, name: str, what: str) -> None:
        self.name = name
        self.what = what
        self.cells = 0
        self.tables = 0

    def table(self) -> None:
        self.tables += 1
        if self.tables > MAX_DOCUMENT_TABLES:
            raise error(
                "LIMIT_EXCEEDED.DOCUMENT_TABLES", name=self.name, what=self.what, limit=MAX_DOCUMENT_TABLES,
                path=self.name or None,
            )

    def add(self, count: int) -> None:
        self.cells += count
        if self.cells > MAX_DOCUMENT_CELLS:
            raise error(
                "LIMIT_EXCEEDED.DOCUMENT_CELLS", name=self.name, what=self.what, limit=MAX_DOCUMENT_CELLS,
                path=self.name or None,
            )


# A number as a document prints it: digits, perhaps thousands separators and decimals.
_PRINTED_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")


def cell_value(text: str) -> Value:
    """A document has no cell types: every number in it is text, so a text that is a number as
    printed is a number — whatever pads it (spaces, the web's &nbsp;, the ideographic spaces a
    text report aligns its columns with: "　　0"), in full-width digits ("１２") or with thousands
    separators ("1,234").  A workbook's number stored as text is worth a warning; a document's
    is not.  Anything else stays text, for the reader to read and to warn about ("58条", "/")."""
    printed = unicodedata.normalize("NFKC", text).strip()  # NFKC: "　" and &nbsp; are spaces, "１" is 1
    if _PRINTED_NUMBER.match(printed) and _digits(printed) <= MAX_NUMBER_DIGITS:  # longer: no count, stays text
        number = float(printed.replace(",", ""))
        return int(number) if number.is_integer() and "." not in printed else number
    return text.strip("\r\n") if printed else ""


def _digits(printed: str) -> int:
    return sum(ch.isdigit() for ch in printed.split(".", 1)[0])


def no_tables(name: str, what: str, hint: str = "") -> UnsupportedFormat:
    """The document holds no table of the form (its tables may be pictures)."""
    return error("UNSUPPORTED_FORMAT.DOCUMENT_WITHOUT_TABLES", name=name, what=what, hint=hint, path=name or None)


# ---------------------------------------------------------------------------------------------
# the title: unit name and year
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Title:
    """The unit and year a report's title names, and where (``第1行``, ``第1段``…)."""

    name: str
    year: int
    name_at: str
    year_at: str
    text: str


def _title_patterns() -> tuple[re.Pattern[str], ...]:
    # built from form.REPORT_TITLE, never retyped: "{name}{year}年政府信息公开工作年度报告" — and
    # the same with the year first ("2019年上海市人民政府办公厅政府信息公开工作年度报告"), as
    # many units print it
    template = _squeeze(form.REPORT_TITLE)
    pieces = [p for p in re.split(r"(\{name\}|\{year\}年)", template) if p]
    year_first = ["{year}年", *[p for p in pieces if p != "{year}年"]]
    out = []
    for order in (pieces, year_first):
        regex = ""
        for piece in order:
            if piece == "{name}":
                regex += r"(?P<name>.{2,60}?)"
            elif piece == "{year}年":
                regex += r"(?P<year>(?:19|20)\d\d)年度?"  # "2024年度政府信息公开工作年度报告" is common too
            else:  # a title often drops 工作: "…2023年政府信息公开年度报告"
                regex += re.escape(piece).replace("工作", "(?:工作)?")
        out.append(re.compile(regex))  # anything may follow: "…年度报告_某某区人民政府网"
    return tuple(out)


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


_TITLES = _title_patterns()
TITLE_LINES = 12
"""How many non-empty lines at the top of a document are looked at for its title."""


def report_title(lines: Sequence[tuple[str, str]]) -> Title | None:
    """The unit name and year in the report's title (form.REPORT_TITLE), found among the first
    non-empty lines; the title may be broken over two or three lines (the seed's unit name
    stands on the line above "2024年政府信息公开工作年度报告")."""
    top = [(text, where) for text, where in lines if text.strip()][:TITLE_LINES]
    for start in range(len(top)):
        for size in (1, 2, 3):
            window = top[start : start + size]
            if len(window) < size:
                break
            joined = "".join(_squeeze(text) for text, _ in window)
            match = next((m for m in (pattern.match(joined) for pattern in _TITLES) if m), None)
            if not match:
                continue
            name = match.group("name").strip("：:，,")
            year = match.group("year")
            year_at = next((where for text, where in window if year in _squeeze(text)), window[-1][1])
            return Title(name, int(year), window[0][1], year_at, "".join(text.strip() for text, _ in window))
    return None


# ---------------------------------------------------------------------------------------------
# the narrative: the preamble and the six sections
# ---------------------------------------------------------------------------------------------


def _heading_key(text: str) -> str:
    return _squeeze(text).replace("、", ".").rstrip("：:")


def section_headings(lines: Sequence[str]) -> int:
    """How many of form.SECTIONS' headings stand as lines of ``lines`` (a page's article is the
    part of it that holds them all)."""
    keys = {_heading_key(line) for line in lines}
    return sum(1 for section in form.SECTIONS if any(_heading_key(h) in keys for h in (section.heading, *section.heading_aliases)))


def split_sections(lines: Sequence[str]) -> dict[str, str]:
    """The running text of a report split at the headings of form.SECTIONS (aliases included):
    ``{"preamble": …, "overview": …, "problems": …, "other": …}`` — the keys of form.NARRATIVE's
    fields.  The preamble is the text between the title and the first heading; a section's text
    runs to the next heading.  Headings must come in the official order; a section not found is
    left out.  Pure: no file, no form part is touched."""
    placed = narrative_passages([(line, str(i)) for i, line in enumerate(lines)])
    return {key: passage.text for key, passage in placed.items()}


@dataclass(frozen=True)
class Passage:
    """One field of the narrative as found in a document: its text (paragraphs joined by line
    breaks), where it starts, and where each of its lines stands (offset in ``text`` → place)."""

    text: str
    where: str
    places: tuple[tuple[int, str], ...]


def narrative_passages(lines: Sequence[tuple[str, str]], *, visual_lines: bool = False) -> dict[str, Passage]:
    """:func:`split_sections` with places: each NARRATIVE field's :class:`Passage`.

    ``visual_lines``: the lines are a page's printed lines (a PDF), so a paragraph runs over
    several of them; they are joined into one line — a sentence quoted from the text must not
    be cut by the page's right margin — and a paragraph ends where a line ends a sentence
    (。！？：；) or the next line starts a numbered item (（一）, 1., 一是)."""
    headings = [{_heading_key(h) for h in (section.heading, *section.heading_aliases)} for section in form.SECTIONS]
    texts: list[list[tuple[str, str]]] = [[] for _ in range(len(form.SECTIONS) + 1)]
    found = [False] * len(form.SECTIONS)
    current = 0  # 0: preamble; i: section i-1
    title = report_title(lines)
    skip_until = -1
    if title is not None:
        top = [i for i, (line, _) in enumerate(lines) if line.strip()][:TITLE_LINES]
        skip_until = max((i for i in top if _squeeze(lines[i][0]) and _squeeze(lines[i][0]) in _squeeze(title.text)), default=-1)
    for i, (line, where) in enumerate(lines):
        if i <= skip_until:
            continue
        key = _heading_key(line)
        hit = next((n for n in range(current, len(form.SECTIONS)) if key in headings[n]), None) if key else None
        if hit is not None:
            current = hit + 1
            found[hit] = True
            continue
        if line.strip():
            texts[current].append((line.strip(), where))
    result: dict[str, Passage] = {}
    keys = [form.PREAMBLE_FIELD] + [section.narrative if found[n] else None for n, section in enumerate(form.SECTIONS)]
    for key, kept in zip(keys, texts):
        if key and kept:
            result[key] = _passage(kept, visual_lines)
    return result


_SENTENCE_END = tuple("。！？：；!?:;")
_ITEM_START = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|[一二三四五六七八九十]+是)")


def _passage(kept: list[tuple[str, str]], visual_lines: bool) -> Passage:
    text = ""
    places: list[tuple[int, str]] = []
    for line, where in kept:
        if text and not (visual_lines and not text.endswith(_SENTENCE_END) and not _ITEM_START.match(line)):
            text += "\n"
        places.append((len(text), where))
        text += line
    return Passage(text, kept[0][1], tuple(places))


# ---------------------------------------------------------------------------------------------
# section 六: "no information-processing fee" said in words
# ---------------------------------------------------------------------------------------------

# Section 六 states the fees in a sentence, and almost always that there were none: "无收取信息
# 处理费情况", "未发生收费情况", "收取信息处理费的情况：无", "全年收取…信息处理费 0 元".  Such a
# sentence is all three fee_notices values 0 (FORM.md: "无" — all three 0).  A sentence naming
# an amount is not read: the amounts and the count of notices are then not all in it.
_NO_FEE = re.compile(
    r"(?:未|没有|无|不存在|不)(?:发生|收取|产生)[^。；;\n\d]{0,10}?(?:收费|信息处理费)"
    r"|收取[^。；;\n\d]{0,20}?信息处理费[^。；;\n\d]{0,8}?(?:[:：]\s*无|(?<!\d)0\s*元)"
)


def no_fee_statement(text: str) -> re.Match[str] | None:
    """The sentence of section 六 saying that no information-processing fee was charged, if any."""
    return _NO_FEE.search(unicodedata.normalize("NFKC", text))
