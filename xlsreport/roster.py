"""The roster: which units are expected to report, so a merge can say who has not.

A county office keeps its list of townships and departments as a text file or a spreadsheet
column.  Names are typed by hand, so they are compared after :func:`normalise_unit_name`
(full-width letters, stray and ideographic spaces do not make two units different).
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from .errors import InvalidData
from .model import normalise_unit_name

# First-column headings that a roster spreadsheet (or text file) may start with.
_HEADERS = frozenset({"单位", "单位名称", "名称", "单位名单", "报送单位", "序号"})
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
    raise InvalidData(
        f"单位名单 {path} 无法识别文字编码：请另存为 UTF-8 或 GB18030 编码的文本文件，每行一个单位名称。",
        path=str(path),
    )


def _spreadsheet_names(data: bytes, path: Path) -> list[str]:
    """The first column of the first sheet, read by the same guarded loader as every workbook."""
    from .errors import UnreadableWorkbook
    from .reading.producers import load

    try:
        workbook = load(data, str(path))
    except UnreadableWorkbook as exc:
        raise InvalidData(f"单位名单 {path} 无法作为电子表格读取：{exc.message}", path=str(path)) from exc
    if not workbook.sheets:
        return []
    cells = workbook.sheets[0].cells
    first_column = min((col for _, col in cells), default=0)
    names: list[str] = []
    for row in sorted({r for r, c in cells if c == first_column}):
        value = cells[(row, first_column)]
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        names.append("" if value is None else str(value))
    return names


def load_roster(path: str | os.PathLike) -> list[str]:
    """The unit names of a roster file, in file order, without blanks, heading or repeats.

    A text file holds one name per line (UTF-8, with or without BOM, or GB18030 as saved by
    Chinese Windows); a spreadsheet (.xlsx/.xls/.ods) holds the names in the first column of its
    first sheet, optionally under a heading such as 单位名称.
    """
    source = Path(path)
    try:
        if source.is_dir():
            raise InvalidData(f"单位名单 {source} 是一个文件夹：请给出名单文件。", path=str(source))
        size = source.stat().st_size
        if size > _MAX_ROSTER_BYTES:
            raise InvalidData(f"单位名单 {source} 过大（{size} 字节）：请确认选择了正确的文件。", path=str(source))
        data = source.read_bytes()
    except FileNotFoundError as exc:
        raise InvalidData(f"找不到单位名单文件 {source}。", path=str(source)) from exc
    except PermissionError as exc:
        raise InvalidData(f"无权读取单位名单文件 {source}。", path=str(source)) from exc
    except IsADirectoryError as exc:
        raise InvalidData(f"单位名单 {source} 是一个文件夹：请给出名单文件。", path=str(source)) from exc

    looks_like_zip_or_ole = data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    if source.suffix.lower() in _SPREADSHEET_SUFFIXES or looks_like_zip_or_ole:
        raw_names = _spreadsheet_names(data, source)
    else:
        text = _decode(data, source)
        if "\x00" in text:
            raise InvalidData(
                f"单位名单 {source} 不是文本文件：请使用每行一个单位名称的文本文件，或第一列为单位名称的 Excel 表格。",
                path=str(source),
            )
        raw_names = text.splitlines()
    names = _clean(raw_names)
    if not names:
        raise InvalidData(f"单位名单 {source} 中没有单位名称：每行（或第一列每格）应填一个单位名称。", path=str(source))
    return names
