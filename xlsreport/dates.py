"""Years and dates as clerks type them: the one parser of 报告年度 and 填报日期.

The reader, the report model, the template writer and the batch (which resolves duplicate
submissions by 填报日期) all read years and dates here.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from functools import lru_cache

# The report years the tool takes (the template's data validation, --year of every command).
YEAR_MIN, YEAR_MAX = 2008, 2100

# Excel's day 0 (its serial 60 is the 1900-02-29 that never was; serials after it count from here).
EXCEL_EPOCH = _dt.date(1899, 12, 30)
# Serial numbers this tool takes for a date: 1954-10-04 … 2119-01-08, i.e. any plausible 填报日期.
_SERIALS = (20000, 80000)

_YEAR = re.compile(r"(\d{4})\s*年?\s*度?")
# A time after the date (a system's export: "2024-03-05 10:30:00") is allowed and dropped.
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def _text(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip()


def report_year(value: object, option: str = "--year") -> int:
    """A report year given on the command line or to the library, checked once for every command:
    a usage error (``InvalidData``, exit 2) before any file is read when it is not a year of the
    form (2008 — the 条例 took effect — to 2100)."""
    from .errors import error  # errors imports nothing of the package, but keep dates light

    year = parse_year(value)
    if year is None:
        raise error("INVALID_DATA.YEAR_FORMAT", option=option, value=value)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise error("INVALID_DATA.YEAR_RANGE", option=option, year_min=YEAR_MIN, year_max=YEAR_MAX, year=year)
    return year


def form_year(value: object) -> int | None:
    """:func:`parse_year` when it is a year of the form (``YEAR_MIN``–``YEAR_MAX``); else None:
    99999 typed into 报告年度 is no year to sum, compare or publish."""
    year = parse_year(value)
    return year if year is not None and YEAR_MIN <= year <= YEAR_MAX else None


def parse_year(value: object) -> int | None:
    """报告年度 as a number: 2024, 2024.0, "2024", "２０２４年", "2024年度" → 2024; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        match = _YEAR.fullmatch(_text(value))
        return int(match.group(1)) if match else None
    return None


def parse_date(value: object) -> _dt.date | None:
    """填报日期 as a date, whatever way it was typed; None when it is not a date.

    A date or datetime cell; an Excel serial number (45681, also as text "45681");
    "2025年1月24日", "2025.1.24", "2025/1/24", "2025-01-24", "20250124" (full-width digits too),
    with or without a time after it ("2025-01-24 10:30:00", as a system exports a date and time).
    """
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        # only short texts are remembered: a paragraph passed here must not stay in memory
        return _parse_date_text(value) if len(value) <= 40 else _parse_date_text.__wrapped__(value)
    return _serial(value)


@lru_cache(maxsize=4096)  # a ledger of thousands of rows repeats a few hundred days
def _parse_date_text(value: str) -> _dt.date | None:
    text = _text(value)
    match = _DATE.fullmatch(text) or _COMPACT.fullmatch(text)
    if match:
        try:
            return _dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
    try:
        return _serial(float(text))
    except ValueError:
        return None


def _serial(value: object) -> _dt.date | None:
    if isinstance(value, (int, float)) and _SERIALS[0] < value < _SERIALS[1] and float(value).is_integer():
        return EXCEL_EPOCH + _dt.timedelta(days=int(value))
    return None
