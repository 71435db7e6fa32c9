"""Facts of the spreadsheet formats themselves (not of the form): written once, read by the sheet
producers (reading/) and the reader."""

from __future__ import annotations

import re
from functools import lru_cache

# Every error value a cell can show, as Excel shows it (and as an xlsx stores it).  #SPILL! and
# #CALC! come from Excel 365's dynamic arrays; #GETTING_DATA from cube functions.
ERROR_VALUES: tuple[str, ...] = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
)

# BIFF (.xls) error codes, [MS-XLS] 2.5.10 BErr: the formats older than #SPILL!/#CALC! know these.
BIFF_ERRORS: dict[int, str] = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}

_ALTERNATIVES = "|".join(re.escape(v) for v in ERROR_VALUES)
# An error value anywhere in a text (ods keeps only the shown text of some error cells).
ERROR_TEXT = re.compile(_ALTERNATIVES)
ERROR_BYTES = re.compile(_ALTERNATIVES.encode())
# A cell whose whole text is an error value.
ERROR_VALUE = re.compile(rf"^(?:{_ALTERNATIVES})$", re.IGNORECASE)


@lru_cache(maxsize=4096)
def column_letters(col: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """A → 0, Z → 25, AA → 26: the inverse of ``column_letters``."""
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


@lru_cache(maxsize=65536)  # the same cells are named in every workbook of a batch
def cell_name(sheet: str, row: int, col: int) -> str:
    """``Sheet1!E6`` for 0-based (5, 4): the address as the clerk sees it in the file."""
    return f"{sheet}!{column_letters(col)}{row + 1}"
