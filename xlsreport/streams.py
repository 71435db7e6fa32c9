"""The program's two streams on any desk: a Chinese Windows console redirected to a file writes
GBK (cp936), which lacks ✓ and ✗ — and Python raises UnicodeEncodeError on them.  The screen
degrades what the encoding lacks (✓ → √); JSON escapes it (\\u2713), losing nothing."""

from __future__ import annotations

import json
import re
import sys
from typing import Callable

DEGRADE = "xlsreport.degrade"  # the name of the codec error handler ``any_encoding`` sets


def json_writer() -> Callable[[str], object]:
    """A writer of JSON text to stdout (the stream of now: a progress bar redirects sys.stdout
    while it runs) whatever its encoding: a character the encoding lacks (✓ in GBK, a rare name
    outside GBK) is written as JSON's own \\u escape — the same string to any JSON reader,
    nothing lost.  (Non-ASCII characters stand only inside JSON strings.)"""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    if encoding.lower().replace("-", "").startswith("utf"):
        return stream.write

    def write(text: str) -> object:
        escaped = re.sub(r"[^\x00-\x7f]", lambda m: m.group() if _encodes(m.group(), encoding) else json.dumps(m.group())[1:-1], text)
        return stream.write(escaped)

    return write


def _encodes(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
        return True
    except (UnicodeEncodeError, LookupError):
        return False


# What the screen shows for a symbol the output's encoding lacks: a Chinese Windows desk writes
# redirected or piped output in GBK (cp936), which has √ × but not ✓ ✗.
_FALLBACK = {"✓": "√", "✗": "×", "✔": "√", "✘": "×", "⚠": "!", "…": "...", "•": "·"}


def _degrade(err: UnicodeError) -> tuple[str, int]:
    """The codec error handler for the screen: each character the encoding lacks becomes its
    fallback (✓ → √) when the encoding has that, else "?" — never a UnicodeEncodeError."""
    if not isinstance(err, UnicodeEncodeError):
        raise err
    out = []
    for char in err.object[err.start : err.end]:
        fallback = _FALLBACK.get(char, "?")
        out.append(fallback if _encodes(fallback, err.encoding) else "?")
    return "".join(out), err.end


def any_encoding() -> None:
    """Make stdout and stderr survive any encoding (PYTHONIOENCODING=gbk, a cp936 console
    redirected to a file): what they cannot encode degrades (``_degrade``) instead of raising."""
    import codecs

    codecs.register_error(DEGRADE, _degrade)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding and not encoding.startswith("utf") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors=DEGRADE)
            except (ValueError, OSError):  # a stream that cannot be reconfigured keeps its handler
                pass
