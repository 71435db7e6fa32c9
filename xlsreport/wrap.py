"""Breaking Chinese text into lines of a screen's width (display cells, not characters).

A Chinese sentence may break between any two characters, but never inside what a reader takes
in as one thing — a number (187, 1,234.5), a cell reference (J10, 依申请公开!D6), a file name
(西平镇-2024.xlsx), a document number (〔2021〕30号), an option (--return-dir), a count with its
measure word and the severity it counts ("1 个警告"; "警告 0 个") — and a line
never starts with closing punctuation (。，、）…) nor ends with an opening bracket.  Click and
rich both wrap by characters or by spaces; this module is the one place that knows the rule.
Pure Python (no rich): ``--help`` uses it too, and a cold start stays light.
"""

from __future__ import annotations

import re
import unicodedata

# Never at the start of a line: closing punctuation, Chinese and ASCII.
_CLOSING = set("。，、；：？！）」』】〕〉》”’…—．,.;:!?)]}%")
# Never at the end of a line: opening brackets.
_OPENING = set("（「『【〔〈《“‘([{")
_SUFFIXES = r"(?:xlsx|xlsm|xls|ods|docx|doc|wps|html|htm|pdf|txt|json|csv|png|jpg|md|et|mht|mhtml|rtf)"
# What is one thing to a reader, longest first: a file name or path (it may hold Chinese), a
# folder's path (known by its separator: 下发/西平镇), a document number, a sheet!cell reference,
# then any run of ASCII letters, digits and the punctuation inside numbers, ranges and options
# (1,234.5  J10  D6:D29  --return-dir  5+1+1=7).
_ATOM = re.compile(
    r"(?<![^\s，。；：、（）「」“”《》【】()\[\]—])[^\s，。；：、（）「」“”《》【】()\[\]]+\." + _SUFFIXES + r"(?![A-Za-z0-9])"
    r"|(?<![^\s，。；：、（）「」“”《》【】()\[\]—])[^\s，。；：、（）「」“”《》【】()\[\]!！]*[/\\][^\s，。；：、（）「」“”《》【】()\[\]]+"
    r"|[〔\[（(【]\d{4}[〕\]）)】]\s?\d+\s?号"
    r"|[^\s，。；：、（）「」“”《》【】()\[\]!！]{1,31}![A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?"
    r"|\d[\d,.]*\s?(?:个|件|条|行|页|份|处|格|列|项|秒)(?:错误|警告|说明)?|错误|警告|说明"
    r"|[A-Za-z0-9_.,\-+/\\:=%@#~$&*^|'\"<>]+",
    re.IGNORECASE,
)


def cells(text: str) -> int:
    """The width of ``text`` on a terminal: two cells for a wide (Chinese) character, none for a
    combining mark, one for the rest."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _atoms(text: str) -> list[tuple[int, int]]:
    """``text`` cut into (start, end) pieces that may not be broken: the ``_ATOM`` matches, each
    other character alone, closing punctuation and the spaces before a break glued to the piece
    before them, opening brackets to the piece after."""
    pieces: list[tuple[int, int]] = []
    position = 0
    for match in _ATOM.finditer(text):
        pieces += [(i, i + 1) for i in range(position, match.start())]
        pieces.append(match.span())
        position = match.end()
    pieces += [(i, i + 1) for i in range(position, len(text))]
    glued: list[list[int]] = []
    opening = False
    for start, end in pieces:
        piece = text[start:end]
        if glued and (opening or (piece[0] in _CLOSING and not text[glued[-1][1] - 1].isspace())):
            glued[-1][1] = end
        else:
            glued.append([start, end])
        opening = piece[-1] in _OPENING and not piece.isspace()
    return [(start, end) for start, end in glued]


def spans(text: str, width: int, *, first: int = 0, rest: int = 0) -> list[tuple[int, int]]:
    """Where to cut ``text`` (one paragraph, no newline) into lines: (start, end) offsets, a
    line's width at most ``width`` less its indent (``first`` cells on the first line, ``rest``
    on the others).  Spaces at a break are dropped.  A piece wider than a whole line is folded
    between characters (nothing is ever cut off): the only case where a number can break."""
    lines: list[tuple[int, int]] = []
    start: int | None = None  # the current line: text[start:end], ``used`` cells wide
    end = used = 0

    def room() -> int:
        return max(width - (rest if lines else first), 2)

    def close() -> None:
        nonlocal start
        lines.append((start, _rstrip(text, start, end)))
        start = None

    for a, b in _atoms(text):
        piece = text[a:b]
        size = cells(piece)
        if start is not None and used + size > room():
            close()
        if start is None:
            if piece.isspace() and lines:  # a line never starts with the space of a break
                continue
            start, end, used = a, a, 0
        if used + size <= room():
            end, used = b, used + size
            continue
        # alone wider than a whole line: fold it, after a path's / where one fits, else between characters
        cut = None
        for i in range(a, b):
            w = cells(text[i])
            if used + w > room() and end > start:
                if cut is None and text[i] in _CLOSING and i - 1 > start:
                    cut = i - 1  # 。 never starts a line: the character before it comes along
                if cut is not None and cut > start:
                    end = cut
                    close()
                    start, end, used = cut, i, cells(text[cut:i])
                else:
                    close()
                    start, end, used = i, i, 0
                cut = None
            end, used = i + 1, used + w
            if text[i] in "/\\":
                cut = i + 1
    if start is not None:
        close()
    return lines or [(0, 0)]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] == " ":
        end -= 1
    return end


def wrap(text: str, width: int, *, indent: str = "", hang: str = "") -> list[str]:
    """``text`` as lines no wider than ``width`` cells: the first line after ``indent``, the
    others after ``indent + hang``; each paragraph (``\\n``) on its own lines."""
    out: list[str] = []
    lead, cont = indent, indent + hang
    if cells(cont) + 2 > width:  # a screen too narrow for the indent: give it up
        lead = cont = ""
    for paragraph in text.split("\n"):
        for i, (start, end) in enumerate(spans(paragraph, width, first=cells(lead), rest=cells(cont))):
            out.append((lead if i == 0 else cont) + paragraph[start:end])
    return out
