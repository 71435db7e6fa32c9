"""Counting the files a command opens (issue #17: each input file opened once per command).

One interpreter audit hook sees every open of a file by Python code (``open``, ``Path.read_bytes``,
``zipfile``) whatever module does it.  While counting, each open of a file under the watched
folders is appended to a log file opened before the command starts: the worker processes of
``--jobs`` and of the document boundary (forked on Linux) inherit the hook and the descriptor, so
every process's opens land in one list.  Hooks cannot be removed: outside ``count_opens`` this one
counts nothing.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, TypeVar

_log: list[int] = []  # the descriptor the opens are appended to, while counting
_watched: list[Path] = []

T = TypeVar("T")


def _audit(event: str, args: tuple) -> None:
    if event != "open" or not _log or not isinstance(args[0], (str, bytes, Path)):
        return
    try:
        path = Path(args[0].decode() if isinstance(args[0], bytes) else args[0]).resolve()
    except (OSError, ValueError):
        return
    if any(folder in path.parents for folder in _watched):
        os.write(_log[0], (str(path) + "\n").encode("utf-8"))


sys.addaudithook(_audit)


def count_opens(folders: Iterable[Path], log: Path, run: Callable[[], T]) -> tuple[Counter, T]:
    """``run()``'s result and how often each file under ``folders`` was opened meanwhile (by path)."""
    log.write_bytes(b"")
    _log[:] = [os.open(log, os.O_WRONLY | os.O_APPEND)]
    _watched[:] = [Path(folder).resolve() for folder in folders]
    try:
        result = run()
    finally:
        os.close(_log.pop())
        _watched.clear()
    return Counter(Path(line) for line in log.read_text(encoding="utf-8").splitlines()), result
