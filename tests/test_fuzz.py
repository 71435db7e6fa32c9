"""Property: whatever a valid workbook is turned into — bytes changed inside its zip members,
odd values typed into its input cells, its labels garbled, its raw bytes flipped, the seed .xls
damaged — ``read()`` either returns a Report or raises one of xlsreport's own errors, and
``check_file()`` returns a FileResult whose error (if any) is one of ours, never "INTERNAL".

The library runs in a worker process: a reader that aborts (a Rust panic or a failed
allocation in calamine) or runs away must fail this test with the example, not kill pytest.
The worker's address space is capped so that a runaway allocation fails at once.

Runs are derandomized (the same 100 examples each time, so CI is stable); set FUZZ_EXAMPLES=1000
to explore with fresh random examples.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile

ROOT = Path(__file__).resolve().parents[1]
FUZZ = settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")), deadline=None, derandomize=not os.environ.get("FUZZ_EXAMPLES"), suppress_health_check=[HealthCheck.too_slow])
ADDRESS_SPACE = 4 << 30  # bytes: far above what reading a 30 KB workbook needs
ANSWER_TIMEOUT = 120  # seconds; only so a hung reader cannot hang the suite (nothing is timed)

_WORKER = r"""
import json, resource, sys, traceback
resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[1]), int(sys.argv[1])))
from xlsreport.reading.report import read
from xlsreport.batch import check_file
from xlsreport.errors import XlsreportError
for line in sys.stdin:
    path = line.rstrip("\n")
    out = {}
    try:
        report = read(path)
        report.to_dict()
        out["read"] = "ok"
    except XlsreportError as err:
        out["read"] = "own:" + type(err).__name__
    except BaseException:
        out["read"] = "FOREIGN:" + traceback.format_exc()
    try:
        result = check_file(path)
        result.to_dict()
        out["check"] = "INTERNAL:" + result.error if result.error_code == "INTERNAL" else "ok"
    except XlsreportError as err:
        out["check"] = "own:" + type(err).__name__
    except BaseException:
        out["check"] = "FOREIGN:" + traceback.format_exc()
    print(json.dumps(out), flush=True)
"""


class Worker:
    """One long-lived child process that reads and checks the files it is given."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        return subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(ADDRESS_SPACE)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
        )

    def ask(self, path: Path) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = self._start()
        self.proc.stdin.write(f"{path}\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], ANSWER_TIMEOUT)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.proc.kill()
            _, err = self.proc.communicate()
            self.proc = None
            return {"read": f"DIED: {'no answer' if not ready else 'exit'}; {err[:600]}", "check": "DIED"}
        return json.loads(line)

    def close(self) -> None:
        if self.proc is not None:
            self.proc.stdin.close()
            self.proc.wait()


@pytest.fixture(scope="module")
def worker():
    w = Worker()
    yield w
    w.close()


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def assert_only_own_errors(worker: Worker, folder: Path, data: bytes, suffix: str = ".xlsx") -> None:
    path = folder / f"mutant{suffix}"
    path.write_bytes(data)
    answer = worker.ask(path)
    assert answer["read"] == "ok" or answer["read"].startswith("own:"), answer["read"]
    assert answer["check"] == "ok" or answer["check"].startswith("own:"), answer["check"]


@lru_cache(maxsize=None)
def valid_members() -> dict[str, bytes]:
    return hostile.members(hostile.valid_workbook())


def _names() -> list[str]:
    return sorted(valid_members())


edits = st.lists(
    st.tuples(st.floats(0, 1, exclude_max=True), st.sampled_from(["replace", "insert", "delete"]), st.binary(min_size=1, max_size=16)),
    min_size=1,
    max_size=6,
)


def apply_edits(content: bytes, changes) -> bytes:
    out = bytearray(content)
    for where, how, blob in changes:
        at = int(where * max(len(out), 1))
        if how == "replace":
            out[at : at + len(blob)] = blob
        elif how == "insert":
            out[at:at] = blob
        else:
            del out[at : at + len(blob)]
    return bytes(out)


@FUZZ
@given(member=st.integers(0, 10_000), changes=edits)
def test_bytes_changed_inside_a_zip_member(worker, scratch, member, changes):
    names = _names()
    parts = dict(valid_members())
    name = names[member % len(names)]
    parts[name] = apply_edits(parts[name], changes)
    assert_only_own_errors(worker, scratch, hostile.rezip(parts))


@FUZZ
@given(changes=edits)
def test_bytes_changed_in_the_file_itself(worker, scratch, changes):
    assert_only_own_errors(worker, scratch, apply_edits(hostile.valid_workbook(), changes))


@FUZZ
@given(changes=edits)
def test_bytes_changed_in_the_seed_xls(worker, scratch, changes):
    assert_only_own_errors(worker, scratch, apply_edits(hostile.SEED_XLS.read_bytes(), changes), ".xls")


cell_values = st.one_of(
    st.integers(-(10**30), 10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(alphabet=st.sampled_from("0123456789０１２３４５６７８９.-/—无约条元 　\n%e+"), max_size=12),
    st.text(max_size=20),
    st.sampled_from(["#DIV/0!", "#REF!", "#N/A", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]).map(lambda e: ("error", e, "1/0")),
    st.sampled_from(["NaN", "inf", "-inf", "1e999", "", "0x10", "1,000", "١٢"]).map(lambda v: ("literal", v)),
)


@FUZZ
@given(data=st.data())
def test_odd_values_typed_into_input_cells(worker, scratch, data):
    cells = sorted(hostile.input_cells().values())
    chosen = data.draw(st.lists(st.sampled_from(cells), min_size=1, max_size=5, unique=True))
    values = {cell: data.draw(cell_values) for cell in chosen}
    assert_only_own_errors(worker, scratch, hostile.set_cells(hostile.valid_workbook(), values))


@FUZZ
@given(data=st.data())
def test_labels_garbled_in_the_shared_strings(worker, scratch, data):
    import re
    from xml.sax.saxutils import escape

    parts = dict(valid_members())
    xml = parts["xl/sharedStrings.xml"].decode("utf-8")
    items = list(re.finditer(r"<t(?: [^>]*)?>([^<]*)</t>", xml))
    for _ in range(data.draw(st.integers(1, 6))):
        item = items[data.draw(st.integers(0, len(items) - 1))]
        text = item.group(1)
        how = data.draw(st.sampled_from(["drop", "insert", "replace", "empty", "swap-width"]))
        if how == "drop" and text:
            at = data.draw(st.integers(0, len(text) - 1))
            text = text[:at] + text[at + 1 :]
        elif how == "insert":
            at = data.draw(st.integers(0, len(text)))
            text = text[:at] + escape(data.draw(st.text(min_size=1, max_size=3))) + text[at:]
        elif how == "replace":
            text = escape(data.draw(st.text(max_size=30)))
        elif how == "empty":
            text = ""
        else:
            text = text.translate(str.maketrans("（）、．1234567890", "()、.１２３４５６７８９０"))
        xml = xml.replace(item.group(0), item.group(0).replace(f">{item.group(1)}<", f">{text}<"), 1)
    # characters XML 1.0 cannot hold make the part unreadable, which is a case of its own
    xml = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", "", xml)
    parts["xl/sharedStrings.xml"] = xml.encode("utf-8")
    assert_only_own_errors(worker, scratch, hostile.rezip(parts))
