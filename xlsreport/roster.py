"""The roster: which units are expected to report, so a merge can say who has not.

A county office keeps its list of townships and departments as a text file or a spreadsheet
column.  Names are typed by hand, so they are compared after :func:`normalise_unit_name`
(full-width letters, stray and ideographic spaces do not make two units different).
"""

from __future__ import annotations

import os
from pathlib import Path

from . import form
from .errors import error
from .model import normalise_unit_name

# First-column headings that a roster spreadsheet (or text file) may start with.
_HEADERS = frozenset({"单位", "单位名称", "名称", "单位名单", "报送单位", "序号"})
# Headings over the column of names in a roster spreadsheet (a 序号 column often comes first).
_NAME_HEADERS = _HEADERS - {"序号"}
_SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})
_TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
_MAX_ROSTER_BYTES = 20 * 1024 * 1024


def _clean(names: list[str]) -> list[str]:
    """Drop blanks, a heading in the first entry, and repeats (by normalised name), keeping order."""
    out: list[str] = []
    seen: set[str] = set()
    for index, raw in enumerate(names):
        name = str(raw).strip().strip("\u3000").strip()
        key = normalise_unit_name(name)
        if not key:
            continue
        if not out and key in _HEADERS:
            continue
        if key in seen:
            continue
        seen.add(key)
        out.append(name)
    return out


def _decode(data: bytes, path: Path) -> str:
    for encoding in _TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise error("INVALID_DATA.ROSTER_ENCODING", name=path, path=str(path))


def _spreadsheet_names(data: bytes, path: Path) -> list[str]:
    """The column of names of the first sheet, read by the same guarded loader as every workbook:
    the one under a heading such as 单位名称, else the first column that is not only numbers (a
    序号 column before the names is not a list of units).  A workbook of the form itself (a
    template, a unit's report, a county workbook: stamped by the writer) is not a roster — given
    by mistake to ``template --roster`` it would become one workbook per line of its 填报说明."""
    from .errors import UnreadableWorkbook
    from .reading.producers import load

    try:
        workbook = load(data, str(path))
    except UnreadableWorkbook as exc:
        raise error("INVALID_DATA.ROSTER_SPREADSHEET", name=path, reason=exc.message, path=str(path)) from exc
    if {form.TEMPLATE_STAMP, form.MERGED_STAMP} & set(workbook.names):
        raise error("INVALID_DATA.ROSTER_IS_REPORT", name=path, path=str(path))
    if not workbook.sheets:
        return []
    cells = workbook.sheets[0].cells
    columns = sorted({col for _, col in cells})
    top = min((row for row, _ in cells), default=0)
    headed = [c for c in columns if normalise_unit_name(str(cells.get((top, c)) or "")) in _NAME_HEADERS]
    texts = [c for c in columns if any(isinstance(v, str) and not _is_number(v) for (r, col), v in cells.items()
                                       if col == c and r != top)]
    first_column = (headed or texts or columns or [0])[0]
    names: list[str] = []
    for row in sorted({r for r, c in cells if c == first_column}):
        value = cells[(row, first_column)]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        names.append("" if value is None else str(value))
    return names


def _is_number(text: str) -> bool:
    try:
        float(text.strip())
    except ValueError:
        return False
    return True


def load_roster(path: str | os.PathLike) -> list[str]:
    """The unit names of a roster file, in file order, without blanks, heading or repeats.

    A text file holds one name per line (UTF-8, with or without BOM, or GB18030 as saved by
    Chinese Windows); a spreadsheet (.xlsx/.xls/.ods) holds the names in the first column of its
    first sheet, optionally under a heading such as 单位名称.
    """
    source = Path(path)
    try:
        if source.is_dir():
            raise error("INVALID_DATA.ROSTER_IS_FOLDER", source=source, path=str(source))
        size = source.stat().st_size
        if size > _MAX_ROSTER_BYTES:
            raise error("INVALID_DATA.ROSTER_TOO_LARGE", source=source, size=size, path=str(source))
        data = source.read_bytes()
    except FileNotFoundError as exc:
        raise error("INVALID_DATA.ROSTER_NOT_FOUND", source=source, path=str(source)) from exc
    except PermissionError as exc:
        raise error("INVALID_DATA.ROSTER_NO_PERMISSION", source=source, path=str(source)) from exc
    except IsADirectoryError as exc:
        raise error("INVALID_DATA.ROSTER_IS_FOLDER", source=source, path=str(source)) from exc

    looks_like_zip_or_ole = data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if source.suffix.lower() in _SPREADSHEET_SUFFIXES or looks_like_zip_or_ole:
        raw_names = _spreadsheet_names(data, source)
    else:
        text = _decode(data, source)
        if "\x00" in text:
            raise error("INVALID_DATA.ROSTER_NOT_TEXT", source=source, path=str(source))
        raw_names = text.splitlines()
    names = _clean(raw_names)
    if not names:
        raise error("INVALID_DATA.ROSTER_EMPTY", source=source, path=str(source))
    return names
