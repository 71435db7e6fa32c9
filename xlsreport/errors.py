"""Typed errors.  Each carries a Chinese message for the clerk; the CLI maps them to exit codes."""

from __future__ import annotations

import errno
from enum import IntEnum


class ExitCode(IntEnum):
    """What every command exits with (README "退出码").  A missing input is USAGE, as a mistyped option."""

    OK = 0
    CHECK_FAILED = 1  # check: a file has errors; merge: a file was left out of the sum
    USAGE = 2  # bad arguments, missing input, output exists, bad --from JSON or roster
    UNREADABLE = 3  # an input file could not be read (the others were still processed)
    INTERNAL = 4  # a bug of xlsreport
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
    PIPE_CLOSED = 141  # the reader of our output went away (`| head`): 128 + SIGPIPE, said nowhere


class XlsreportError(Exception):
    """Base of every error xlsreport raises on purpose.  ``str(err)`` is the Chinese message."""

    exit_code: ExitCode = ExitCode.USAGE
    code: str = "ERROR"

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


class UnreadableWorkbook(XlsreportError):
    """The bytes are not a workbook we can read (empty, random, truncated, wrong kind)."""

    exit_code = ExitCode.UNREADABLE
    code = "UNREADABLE"


class UnsupportedFormat(UnreadableWorkbook):
    """A real file of a kind we do not read (a Word document, a CSV, ...)."""

    code = "UNSUPPORTED_FORMAT"


class EncryptedWorkbook(UnreadableWorkbook):
    """Saved with a password to open."""

    code = "ENCRYPTED"


class LimitExceeded(UnreadableWorkbook):
    """Larger than the fixed limits (file size, uncompressed size, cells, sheets): refused, not read."""

    code = "LIMIT_EXCEEDED"


class NotAForm(UnreadableWorkbook):
    """A workbook that holds none of the form's tables."""

    code = "NOT_A_FORM"


class OutputExists(XlsreportError):
    """The output exists and --force was not given."""

    exit_code = ExitCode.USAGE
    code = "OUTPUT_EXISTS"


class OutputIsInput(XlsreportError):
    """The output path is one of the inputs: refused, so the input cannot be overwritten."""

    exit_code = ExitCode.USAGE
    code = "OUTPUT_IS_INPUT"


class OutputNotWritable(XlsreportError):
    exit_code = ExitCode.USAGE
    code = "OUTPUT_NOT_WRITABLE"


class OutputLocked(XlsreportError):
    """The output could not be replaced: on Windows, a file open in Excel or WPS (WinError 32)."""

    exit_code = ExitCode.USAGE
    code = "OUTPUT_LOCKED"


class InvalidData(XlsreportError):
    """A --from JSON or roster that does not fit the form."""

    exit_code = ExitCode.USAGE
    code = "INVALID_DATA"


# The operating system's reasons a clerk meets, said in Chinese (strerror is English).
_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOSPC: "磁盘空间已满",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "磁盘或文件夹是只读的",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "已存在同名文件",
    errno.EBUSY: "文件正被其他程序占用",
    errno.EIO: "读写磁盘时出错",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused, in Chinese for the common cases; else the system's own words."""
    return _OS_REASONS.get(exc.errno, exc.strerror or str(exc)) if exc.errno is not None else (exc.strerror or str(exc))
