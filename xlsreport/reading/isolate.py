"""A hard boundary around the third-party parsers of published documents.

pdfplumber/pdfminer, lxml and python-docx are not written for hostile input, and a limit checked
between pages cannot stop a loop or an allocation inside one call.  So a document's producer
runs in a child process with an operating-system limit on its address space and a wall-clock
deadline enforced from outside: when the child runs past the deadline it is killed, when it
runs out of memory it dies or raises MemoryError, and either way the caller gets the ordinary
unreadable answer (:class:`~xlsreport.errors.LimitExceeded`, exit 3) — the rest of a batch goes on.

* POSIX with ``fork`` (Linux, the BSDs): the child is forked from the reading process (a batch's
  own process, or each ``--jobs`` worker: the boundary is per document, wherever it is read), so it
  starts with the parser already imported and costs a few milliseconds; ``RLIMIT_AS`` caps what
  it may add to the address space it was born with (MAX_DOCUMENT_MEMORY).
* Elsewhere (Windows; macOS, where fork is unsafe with system frameworks; a process with
  threads): a ``spawn`` child with the deadline only — Windows has no ``RLIMIT_AS``, and the
  in-parser limits (pages, characters, cells, sizes) are then the only bound on memory.

The child's chatter (pdfminer's logging, library warnings) is captured and handed back: it goes
to the ``xlsreport`` logger at debug level (shown with ``--debug``), never to the terminal.
"""

from __future__ import annotations

import logging
import os
import pickle
import sys
import time
import traceback
import warnings
from typing import Any, Callable

from ..errors import XlsreportError, error
from .sniff import MAX_DOCUMENT_MEMORY, MAX_DOCUMENT_SECONDS

log = logging.getLogger("xlsreport.documents")

_MEMORY_EXIT = 75
"""The child's exit status when it ran out of memory and could not even say so through the pipe."""
_inside = False
"""True in a child: a producer that calls another does not fork again."""
last_peak_mb = 0.0
"""Peak resident memory (MB) of the last forked worker, as the system measured it (for --debug
and for the tests that hold a document to the 1 GB promise)."""
_CHATTY = ("pdfminer", "pdfplumber", "pypdfium2", "PIL", "docx", "lxml")


def isolated(function: Callable[..., Any], args: tuple, name: str, what: str) -> Any:
    """``function(*args)`` in a child process under the memory limit and the deadline; its result
    or its error (an :class:`XlsreportError` comes back as itself; any other exception of a parser
    becomes UnreadableWorkbook naming ``what`` — "PDF 文件", "网页" …)."""
    if _inside:
        return _captured(function, args, name, what)
    started = time.monotonic()
    if forks():
        outcome = _forked(function, args)
        log.debug("%s: worker %.0f ms, peak %.0f MB", name, (time.monotonic() - started) * 1000, last_peak_mb)
    else:
        outcome = _spawned(function, args)
    return _answer(outcome, name, what)


def forks() -> bool:
    """Will :func:`isolated` fork (the child then shares this process's objects) rather than spawn?"""
    import threading

    return hasattr(os, "fork") and sys.platform != "darwin" and threading.active_count() == 1


def _captured(function: Callable[..., Any], args: tuple, name: str, what: str) -> Any:
    """Run in this process with the chatter captured (the child's body; also a nested call)."""
    return _answer(_run(function, args), name, what)


class _Chatter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(f"{record.name}: {record.getMessage()}")
        except Exception:  # noqa: BLE001 - a broken log record is only chatter
            pass


def _run(function: Callable[..., Any], args: tuple) -> tuple:
    """("ok", result, chatter) | ("error", exception, chatter, traceback) | ("memory", …) — never raises."""
    chatter = _Chatter()
    loggers = [logging.getLogger(n) for n in _CHATTY]
    saved = [(lg.handlers[:], lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.handlers[:] = [chatter]
        lg.propagate = False
        lg.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result: tuple = ("ok", function(*args))
            except MemoryError:
                result = ("memory", None)
            except XlsreportError as exc:  # ours: comes back as itself
                result = ("error", exc, "".join(traceback.format_exception(exc)))
            except BaseException as exc:  # noqa: BLE001 - every failure of a parser is an answer
                if isinstance(exc, (KeyboardInterrupt, SystemExit)) and not _inside:
                    raise
                # a third party's exception travels as words: its class may not survive pickling
                foreign = ("recursion" if isinstance(exc, RecursionError) else type(exc).__name__, str(exc))
                result = ("error", foreign, "".join(traceback.format_exception(exc)))
        chatter.lines.extend(f"{w.category.__name__}: {w.message}" for w in caught)
    finally:
        for lg, (handlers, propagate, level) in zip(loggers, saved):
            lg.handlers[:] = handlers
            lg.propagate = propagate
            lg.setLevel(level)
    return (*result, chatter.lines)


def _answer(outcome: tuple, name: str, what: str) -> Any:
    status, value, *rest = outcome
    what = f" {what}" if what[:1].isascii() else what  # "是 PDF 文件", "是网页（HTML）"
    chatter = rest[-1] if rest else []
    for line in chatter[:200]:
        log.debug("%s: %s", name, line)
    if status == "ok":
        return value
    if status == "memory":
        raise error("LIMIT_EXCEEDED.DOCUMENT_MEMORY", name=name, what=what, limit_mb=MAX_DOCUMENT_MEMORY // 1024 // 1024, path=name or None)
    if status == "timeout":
        raise error("LIMIT_EXCEEDED.DOCUMENT_TIME", name=name, what=what, seconds=MAX_DOCUMENT_SECONDS, path=name or None)
    if status == "died":
        raise error("UNREADABLE.DOCUMENT_WORKER", name=name, what=what, value=value, path=name or None)
    if len(rest) > 1 and rest[0]:  # "error": the traceback, for --debug
        log.debug("%s: %s", name, rest[0])
    if isinstance(value, XlsreportError):
        raise value
    kind, text = value
    if kind == "recursion":
        raise error("UNREADABLE.DOCUMENT_RECURSION", name=name, what=what, path=name or None)
    reason = one_line(f"{kind}: {text}" if text else kind, 80)
    raise error("UNREADABLE.DOCUMENT_PARSER", name=name, what=what, reason=reason, path=name or None)


def one_line(text: str, limit: int = 100) -> str:
    """A third party's message (libxml2's has newlines and trailing blanks) as one short line."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# fork (POSIX): a child born with the parser imported
# ---------------------------------------------------------------------------------------------


def _forked(function: Callable[..., Any], args: tuple) -> tuple:
    import select
    import signal

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(function, args, write_end)
    os.close(write_end)
    deadline = time.monotonic() + MAX_DOCUMENT_SECONDS
    chunks: list[bytes] = []
    timed_out = False
    finished = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_end], [], [], left)
            if not ready:
                continue
            chunk = os.read(read_end, 1 << 20)
            if not chunk:
                finished = True
                break
            chunks.append(chunk)
    finally:
        os.close(read_end)
        if not finished:  # past the deadline, or the caller interrupted (Ctrl-C): the child goes too
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        _, status, usage = os.wait4(pid, 0)
    global last_peak_mb
    last_peak_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    if timed_out:
        return ("timeout", None, [])
    if chunks:
        try:
            return pickle.loads(b"".join(chunks))
        except Exception:  # noqa: BLE001 - cut short: the child died while writing
            pass
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == _MEMORY_EXIT:
        return ("memory", None, [])
    if os.WIFSIGNALED(status):
        return ("died", f"信号 {os.WTERMSIG(status)}", [])
    return ("died", f"退出码 {os.waitstatus_to_exitcode(status)}", [])


def _child(function: Callable[..., Any], args: tuple, write_end: int) -> None:
    global _inside
    code = 0
    try:
        _inside = True
        _limit_memory()
        outcome = _run(function, args)
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - a result that does not pickle: say what it was
            payload = pickle.dumps(("error", (type(exc).__name__, str(exc)), "", outcome[-1]))
        view = memoryview(payload)
        while view:
            view = view[os.write(write_end, view) :]
    except MemoryError:
        code = _MEMORY_EXIT
    except BaseException:  # noqa: BLE001 - nothing may escape a forked child
        code = 1
    finally:
        os._exit(code)  # no atexit handlers, no flushing of the parent's buffers


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:
        return
    try:
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + MAX_DOCUMENT_MEMORY, resource.RLIM_INFINITY))
    except (ValueError, OSError):
        pass  # a lower hard limit of the system's own, or none possible: the deadline still holds


def _address_space() -> int:
    """The child's address space at birth (its parent's): the limit is on what parsing adds."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 512 * 1024 * 1024


# ---------------------------------------------------------------------------------------------
# spawn (Windows, macOS, a threaded process): the deadline only
# ---------------------------------------------------------------------------------------------


def _spawned(function: Callable[..., Any], args: tuple) -> tuple:
    """A fresh interpreter (``python -c``, not multiprocessing: no re-import of the caller's main
    module), the work and its answer pickled through its standard input and output."""
    import subprocess

    payload = pickle.dumps((function, args), protocol=pickle.HIGHEST_PROTOCOL)
    code = "from xlsreport.reading.isolate import _serve; _serve()"
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    try:
        child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, creationflags=flags)
    except OSError as exc:
        return ("died", f"无法启动：{exc.strerror or exc}", [])
    try:
        out, _ = child.communicate(payload, timeout=MAX_DOCUMENT_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return ("timeout", None, [])
    if out:
        try:
            return pickle.loads(out)
        except Exception:  # noqa: BLE001 - cut short: the child died while writing
            pass
    if child.returncode == _MEMORY_EXIT:
        return ("memory", None, [])
    return ("died", f"退出码 {child.returncode}", [])


def _serve() -> None:
    """The spawned child's body: read the work from stdin, write the outcome to stdout."""
    global _inside
    _inside = True
    _limit_memory() if hasattr(os, "fork") else None
    try:
        function, args = pickle.loads(sys.stdin.buffer.read())
        payload = pickle.dumps(_run(function, args), protocol=pickle.HIGHEST_PROTOCOL)
        sys.stdout.buffer.write(payload)
        sys.stdout.buffer.flush()
    except MemoryError:
        os._exit(_MEMORY_EXIT)
