"""Writing outputs safely: never over an existing file without ``force``, never half-written."""

from __future__ import annotations

import errno
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from ..errors import error, os_reason

WORKBOOK_SUFFIXES = (".xlsx",)  # what every workbook xlsreport writes is (xlsxwriter)


def output_suffix(path: str | os.PathLike, suffixes: Sequence[str] = WORKBOOK_SUFFIXES, what: str = " Excel 工作簿") -> str:
    """The extension of ``path`` (lower case) when it is one of ``suffixes``; else ``InvalidData``.

    Checked before any input is read: an xlsx named ``.docx`` opens in no program, and the clerk
    would only find out when sending it on."""
    suffix = Path(path).suffix.lower()
    if suffix not in suffixes:
        wanted = " 或 ".join(("、".join(suffixes[:-1]), suffixes[-1])) if len(suffixes) > 1 else suffixes[0]
        raise error("INVALID_DATA.OUTPUT_SUFFIX", name=Path(path).name, wanted=wanted, what=what, path=str(path))
    return suffix


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def outside_input_folders(target: str | os.PathLike, inputs: Iterable[str | os.PathLike], what: str) -> None:
    """Refuse an output (``what``: "输出文件 x.xlsx", "退回文件夹 退回") inside one of the input
    folders: the next check, summary or merge of that folder would read it as a unit's report
    (a county workbook counted as a unit doubles every total)."""
    where = Path(target).resolve()
    for given in inputs:
        folder = Path(given)
        if folder.is_dir() and (where == folder.resolve() or folder.resolve() in where.parents):
            raise error("OUTPUT_IS_INPUT.IN_INPUT_FOLDER", what=what, folder=folder, path=str(target))


def check_output(path: str | os.PathLike, *, force: bool = False, inputs: Iterable[str | os.PathLike] = ()) -> Path:
    """``path`` when it may be written: not one of ``inputs``, not existing unless ``force``, not
    a folder.  ``atomic_output`` asks this; a command asks it before a long read too."""
    target = Path(path)
    for source in inputs:
        if _same_file(target, Path(source)):
            raise error("OUTPUT_IS_INPUT.OUTPUT_IS_INPUT", target=target, path=str(target))
    if target.exists() and not force:
        raise error("OUTPUT_EXISTS.OUTPUT", target=target, path=str(target))
    if target.exists() and target.is_dir():
        raise error("OUTPUT_NOT_WRITABLE.OUTPUT_IS_FOLDER", target=target, path=str(target))
    directory = target.parent if str(target.parent) else Path(".")
    reason = None
    try:
        if not directory.is_dir():
            os.stat(directory)  # the reason: missing, or a part of the path is a file
            reason = os_reason(NotADirectoryError(errno.ENOTDIR, "not a directory"))
        elif not os.access(directory, os.W_OK | os.X_OK):
            reason = os_reason(PermissionError(errno.EACCES, "permission denied"))
    except OSError as exc:
        reason = os_reason(exc)
    if reason is not None:  # said before a long read, not after it
        raise error("OUTPUT_NOT_WRITABLE.CANNOT_WRITE", directory=directory, reason=reason, path=str(target))
    return target


def replace(source: str | os.PathLike, target: str | os.PathLike, what: str = "", named: str | os.PathLike | None = None) -> None:
    """``os.replace``, where a target held open by another program is said so, not an internal
    error: on Windows a workbook open in Excel or WPS cannot be replaced (PermissionError,
    WinError 32 or 5).  The message names ``what`` ("退回文件夹 ") and ``named`` (``target``)."""
    try:
        os.replace(source, target)
    except OSError as exc:
        if not isinstance(exc, PermissionError) and exc.errno != errno.EBUSY:
            raise
        raise error("OUTPUT_LOCKED.REPLACE", what=what or "文件 ", name=named or target, path=str(named or target)) from exc


@contextmanager
def atomic_output(path: str | os.PathLike, *, force: bool = False, inputs: Iterable[str | os.PathLike] = ()) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it into place.

    Refuses an existing ``path`` unless ``force``, and a ``path`` that is one of ``inputs``.
    On any error the temporary file is removed and ``path`` is left as it was.
    """
    target = check_output(path, force=force, inputs=inputs)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise error("OUTPUT_NOT_WRITABLE.CANNOT_WRITE", directory=directory, reason=os_reason(exc), path=str(target)) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
