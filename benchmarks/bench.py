#!/usr/bin/env python3
"""Benchmark of ``xlsreport check`` against the cost of merely opening the files (issue #6).

Why this exists: a county collects a few hundred workbooks, a province ten thousand.  The number
that matters is how close ``check`` gets to the unavoidable cost of reading the bytes, and how far
it stays from the naive way (openpyxl) — measured in ONE run on the SAME files, so machines and
disks cancel out and only ratios are compared against the targets.

What one run does (``python benchmarks/bench.py --n 1000``):

1. builds (or reuses) a corpus of N filled workbooks from seeded random consistent data
   (``form.empty_data`` / ``set_path`` / ``compute_totals`` → ``writing.workbook.write_template``),
   cached under ``benchmarks/results/corpus-n{N}-seed{S}/``;
2. times as whole processes (``subprocess``; peak memory from ``os.wait4`` and a /proc sampler):
   ``xlsreport check DIR --json`` (``--jobs 1`` and ``--jobs J``), the inflate-only floor
   (open each zip, inflate every member), the naive way (``openpyxl.load_workbook`` + every cell,
   on a subset, scaled), and ``xlsreport merge``;
3. per-file medians from in-process loops (floor, naive, ``read``, ``check``), start-up
   (``--help``, one-file check, ``-X importtime``), a cProfile of the check, the per-file cost at
   several corpus sizes (``--scaling``), and a projection to a province and the country;
   ``xlsreport render`` of one workbook to .docx and to .html (whole processes, alternated), their
   ratio, and the imports of the docx render;
4. prints a summary and writes everything to a JSON file (``--out``).

The harness imports only the standard library in its own process (plus ``xlsreport.form`` and
``xlsreport.writing.workbook`` in the generator workers), so its own start-up never pollutes a timing.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RESULTS = ROOT / "benchmarks" / "results"
SCHEMA = "xlsreport-bench/1"
# Bump when make_data changes, so that cached corpora are rebuilt.
GENERATOR_VERSION = 1
ALL_STAGES = ("check", "jobs", "floor", "naive", "inproc", "merge", "startup", "profile", "scaling", "render")

# Targets of issues #6 and #10, as ratios measured in one run.  The ratios to the floor and to
# naive openpyxl are taken on the realistic corpus (every file carries a few findings); the clean
# corpus of issue #6 is measured beside it and reported, without a target of its own.
TARGET_CHECK_OVER_FLOOR = 4.0  # issue #10 (moonshot 3); issue #6 asked ≤ 5 of the clean corpus
TARGET_NAIVE_OVER_CHECK = 20.0
TARGET_PEAK_MB = 150.0
TARGET_FLATNESS = 1.3  # marginal per-file cost at the largest N / at the smallest N
TARGET_JOBS_CPU = 1.6  # CPU-seconds per wall-second with --jobs 2: "uses both cores"
TARGET_MERGE_OVER_CHECK = 2.0
TARGET_ONE_FILE_S = 0.26  # one-file check from a cold start (a new process), issue #10
TARGET_DOCX_OVER_HTML = 3.0  # `render W out.docx` / `render W out.html`, whole processes, issue #17

# Modules that must not be imported just to print --help (NOTES.md: pandas alone costs 350 ms).
HEAVY_MODULES = ("openpyxl", "xlsxwriter", "python_calamine", "rich", "pandas", "numpy", "pydantic", "defusedxml")


# --------------------------------------------------------------------------------------------
# The corpus: seeded random consistent data → write_template
# --------------------------------------------------------------------------------------------

_PLACES = ("东风", "红旗", "向阳", "新华", "永安", "太平", "长乐", "富民", "兴隆", "和平", "清河", "湖东")
_DEPARTMENTS = ("财政局", "教育局", "人力资源和社会保障局", "自然资源和规划局", "住房和城乡建设局", "市场监督管理局")
_SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴")
_GIVEN = ("敏", "静", "伟", "芳", "磊", "洋", "娟", "强", "军", "霞")


def _unit_name(rng: random.Random, index: int) -> tuple[str, str]:
    """A unique unit name of a realistic kind; the kind decides which numbers are plausible."""
    place = rng.choice(_PLACES)
    kind = rng.choices(("township", "street", "department", "city"), weights=(50, 15, 30, 5))[0]
    county = f"基准{index:05d}县"
    if kind == "township":
        return kind, f"{county}{place}镇人民政府"
    if kind == "street":
        return kind, f"{county}{place}街道办事处"
    if kind == "department":
        return kind, f"{county}{rng.choice(_DEPARTMENTS)}"
    return kind, f"基准{index:05d}市人民政府"


def _small(rng: random.Random, mean: float, p_zero: float = 0.0) -> int:
    """A non-negative count, mostly small, sometimes large: how published reports look."""
    if rng.random() < p_zero:
        return 0
    return int(rng.expovariate(1.0 / mean)) if mean > 0 else 0


def make_data(seed: int, index: int, realistic: bool = False) -> dict:
    """The JSON shape of FORM.md for workbook ``index`` of corpus ``seed``: random, varied, consistent.

    Every identity of the form holds (totals come from ``compute_totals``; the balance of table 三
    is built in), no plausibility warning is provoked on purpose, so ``check`` reports the corpus
    valid and the benchmark measures the normal path.  ``realistic`` (issue #10) makes the file
    look like what a county really collects: still valid, but carrying a few findings — the fee
    fields left blank where no fee was charged (one VALUE.BLANK line), and, in about one file in three, a plausibility
    note (a township or department reporting 规章).  Deterministic in (seed, index) alone, so
    file i is the same in every corpus of the same seed, whatever N or the number of workers.
    """
    from xlsreport.form import APPLICATIONS, CATEGORIES, REVIEW_LITIGATION, compute_totals, empty_data, set_path

    rng = random.Random(f"xlsreport-bench:{seed}:{index}")
    data = empty_data()
    kind, name = _unit_name(rng, index)
    data["unit"].update(
        name=name,
        year=2024,
        address=f"{name[:8]}{rng.choice(_PLACES)}路{rng.randint(1, 300)}号",
        phone=f"0537-{rng.randint(2000000, 8999999)}",
        website="http://www.example.gov.cn/",
        preparer=rng.choice(_SURNAMES) + rng.choice(_GIVEN),
        date=f"2025-01-{rng.randint(2, 28):02d}",
    )

    # Table 二: only cities make 规章 (FORM.md plausibility rule).
    if kind == "city":
        issued, repealed = _small(rng, 3), _small(rng, 2)
        set_path(data, ("proactive", "rules", "issued"), issued)
        set_path(data, ("proactive", "rules", "repealed"), repealed)
        set_path(data, ("proactive", "rules", "in_force"), issued + _small(rng, 40))
    issued = _small(rng, 4, p_zero=0.4)
    set_path(data, ("proactive", "normative_documents", "issued"), issued)
    set_path(data, ("proactive", "normative_documents", "repealed"), _small(rng, 1, p_zero=0.6))
    set_path(data, ("proactive", "normative_documents", "in_force"), issued + _small(rng, 20, p_zero=0.2))
    for key, mean in (("licensing", 120), ("penalties", 25), ("coercive_measures", 2)):
        set_path(data, ("proactive", key), _small(rng, mean, p_zero=0.3))
    if rng.random() < 0.5:
        set_path(data, ("proactive", "fees_10k_yuan"), round(rng.uniform(0, 60), rng.randint(0, 6)))

    # Categories: six inputs, total computed.
    for f in CATEGORIES.fields:
        if not f.computed:
            set_path(data, ("categories", f.key), _small(rng, 60 if f.key == "work_updates" else 6, p_zero=0.1))

    # Section 六 fees first: an unpaid-fee outcome only where fee notices were sent.
    fees_sent = rng.random() < 0.08
    if fees_sent:
        notices = rng.randint(1, 4)
        notified = notices * rng.choice((50, 100, 200, 350))
        set_path(data, ("fee_notices", "notices_sent"), notices)
        set_path(data, ("fee_notices", "amount_notified_yuan"), notified)
        set_path(data, ("fee_notices", "amount_collected_yuan"), rng.randint(0, notified))

    # Table 三: per column, outcomes, then 四 (carried forward) and 二 (carried over), then 一 so
    # that 一 + 二 = （七） + 四 holds exactly.
    grid = APPLICATIONS.grids[0]
    columns = [c.key for c in grid.columns if not c.computed]
    outcomes = [r.key for r in grid.rows if r.group and not r.computed]
    weights = [30 if k == "granted" else 8 if k.startswith(("partially", "unavailable.not_held")) else 1 for k in outcomes]
    # No "其他" outcome (it must never exceed every named outcome), no unpaid fee without a notice.
    excluded = {"other.other"} | (set() if fees_sent else {"other.fee_unpaid"})
    weights = [0 if k in excluded else w for k, w in zip(outcomes, weights)]
    scale = {"township": 2, "street": 3, "department": 12, "city": 60}[kind]
    for column in columns:
        if rng.random() > (0.85 if column == "natural_person" else 0.15):
            continue
        handled = _small(rng, scale if column == "natural_person" else scale / 4)
        counts = dict.fromkeys(outcomes, 0)
        for key in rng.choices(outcomes, weights=weights, k=handled) if handled else ():
            counts[key] += 1
        for key, n in counts.items():
            set_path(data, ("applications", key, column), n)
        forward = _small(rng, 1, p_zero=0.7)
        over = min(handled + forward, _small(rng, 1, p_zero=0.7))
        set_path(data, ("applications", "carried_forward", column), forward)
        set_path(data, ("applications", "carried_over", column), over)
        set_path(data, ("applications", "new", column), handled + forward - over)

    # Table 四: mostly empty; a handful of cases for departments and cities.
    if kind in ("department", "city") or rng.random() < 0.1:
        for row in REVIEW_LITIGATION.grids[0].rows:
            for column in REVIEW_LITIGATION.grids[0].columns:
                if not column.computed:
                    set_path(data, ("review_litigation", row.key, column.key), _small(rng, 0.7, p_zero=0.6))
    data = compute_totals(data)
    if realistic:
        if not fees_sent:  # clerks leave the fee block blank rather than typing 0
            for key in ("notices_sent", "amount_notified_yuan", "amount_collected_yuan"):
                set_path(data, ("fee_notices", key), None)
            set_path(data, ("proactive", "fees_10k_yuan"), None)
        if kind != "city" and rng.random() < 0.35:
            set_path(data, ("proactive", "rules", "issued"), rng.randint(1, 3))
            data = compute_totals(data)
    return data


def _generate_chunk(directory: str, seed: int, indices: Sequence[int], realistic: bool = False) -> None:
    from xlsreport.writing.workbook import write_template

    for index in indices:
        write_template(Path(directory) / corpus_file_name(index), make_data(seed, index, realistic))


def corpus_file_name(index: int) -> str:
    return f"unit-{index:05d}.xlsx"


def _fingerprint() -> str:
    """What the corpus depends on besides (N, seed): the generator and the template writer."""
    digest = hashlib.sha256(f"generator:{GENERATOR_VERSION}".encode())
    for name in ("form.py", "writing/workbook.py"):
        path = ROOT / "xlsreport" / name
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def corpus_kind(realistic: bool) -> str:
    return "realistic-" if realistic else ""


def ensure_corpus(n: int, seed: int, results: Path, workers: int, realistic: bool = False) -> dict:
    """The directory of N workbooks for ``seed``: reused when cached, else generated in parallel.

    Files are deterministic in (seed, index), so a cached corpus of the same seed with more files
    donates its first N files as hard links instead of writing them again.  ``realistic``: the
    files carry warnings (see :func:`make_data`), in ``corpus-realistic-n{N}-seed{S}/``.
    """
    fingerprint = _fingerprint()
    target = results / f"corpus-{corpus_kind(realistic)}n{n}-seed{seed}"
    manifest_path = target / "manifest.json"
    info = {"dir": str(target), "n": n, "seed": seed, "realistic": realistic, "fingerprint": fingerprint}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("fingerprint") == fingerprint and manifest.get("n") == n:
            return {**info, "cached": True, "generate_s": 0.0, **_corpus_size(target)}
        _say(f"corpus {target.name}: form.py/writing/workbook.py changed since it was built, rebuilding")
    if target.exists():
        shutil.rmtree(target)
    results.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=results))
    started = time.perf_counter()
    donor = _donor_corpus(n, seed, results, fingerprint, realistic)
    if donor is not None:
        for index in range(n):
            os.link(donor / corpus_file_name(index), staging / corpus_file_name(index))
        how = f"hard links from {donor.name}"
    else:
        workers = max(1, workers)
        chunks = [list(range(n))[k::workers * 4] for k in range(workers * 4)]
        chunks = [c for c in chunks if c]
        if workers == 1 or n < 20:
            for chunk in chunks:
                _generate_chunk(str(staging), seed, chunk, realistic)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for future in [pool.submit(_generate_chunk, str(staging), seed, c, realistic) for c in chunks]:
                    future.result()
        how = f"generated with {workers} worker(s)"
    elapsed = time.perf_counter() - started
    (staging / "manifest.json").write_text(json.dumps({**info, "how": how}, ensure_ascii=False))
    # The manifest is not a workbook; check/merge are pointed at the directory, so keep it hidden
    # from them by name: they read only workbook extensions (a .json is ignored).
    os.replace(staging, target)
    _say(f"corpus {target.name}: {how} in {elapsed:.1f} s")
    return {**info, "cached": False, "how": how, "generate_s": round(elapsed, 3), **_corpus_size(target)}


def _donor_corpus(n: int, seed: int, results: Path, fingerprint: str, realistic: bool = False) -> Path | None:
    for candidate in sorted(results.glob(f"corpus-{corpus_kind(realistic)}n*-seed{seed}")):
        try:
            manifest = json.loads((candidate / "manifest.json").read_text())
        except (OSError, ValueError):
            continue
        if manifest.get("fingerprint") == fingerprint and manifest.get("n", 0) >= n:
            return candidate
    return None


def _corpus_size(directory: Path) -> dict:
    files = sorted(directory.glob("*.xlsx"))
    sizes = [f.stat().st_size for f in files]
    return {"files": len(files), "bytes_total": sum(sizes), "bytes_median": statistics.median(sizes) if sizes else 0}


# --------------------------------------------------------------------------------------------
# Running a measured process
# --------------------------------------------------------------------------------------------


def _tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants now (Linux /proc), 0 when gone."""
    page = os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/statm") as fh:
                total += int(fh.read().split()[1]) * page
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as fh:
                    stack.extend(int(x) for x in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def _busy_cpu_s() -> float | None:
    """CPU-seconds the whole machine has spent busy since boot (/proc/stat), None off Linux."""
    try:
        with open("/proc/stat") as fh:
            fields = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


PYCACHE = DEFAULT_RESULTS / "pycache"  # under --results-dir once a run starts (run_benchmark)


def _child_env() -> dict[str, str]:
    """The environment of a measured process: the checkout first on PYTHONPATH, and its bytecode
    compiled once and cached (under ``results/pycache``), as an installed package has it.  A
    PYTHONDONTWRITEBYTECODE in the caller's environment would otherwise make every measured
    process compile xlsreport from source again (~0.1 s on this machine, all of it start-up)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def run_measured(cmd: Sequence[str], *, stdout_path: Path | None = None, cwd: Path = ROOT) -> dict:
    """Run ``cmd`` as a whole process; wall time, CPU time and peak memory of it and its children.

    ``maxrss_mb`` comes from ``os.wait4`` (the largest single process of the tree, as the kernel
    counts it, i.e. RUSAGE_CHILDREN for this one child); ``tree_peak_mb`` sums the tree's resident
    memory, sampled every 20 ms from /proc, which is what --jobs N really occupies.
    """
    env = _child_env()
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    err_file = tempfile.TemporaryFile()
    try:
        busy_before = _busy_cpu_s()
        started = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err_file, cwd=cwd, env=env)
        peak = [0]
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_rss_bytes(proc.pid))
                stop.wait(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        busy_after = _busy_cpu_s()
        stop.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err_file.seek(0)
        stderr = err_file.read().decode("utf-8", "replace")
    finally:
        err_file.close()
        if stdout_path:
            out.close()
    cpu = usage.ru_utime + usage.ru_stime
    # Other processes' CPU during the run, in cores: a shared machine shows up here, not as noise.
    foreign = max(0.0, (busy_after - busy_before - cpu) / wall) if busy_before is not None and wall else None
    return {
        "wall_s": wall,
        "cpu_s": cpu,
        "foreign_cores": foreign,
        "maxrss_mb": usage.ru_maxrss / 1024,  # Linux reports KiB
        "tree_peak_mb": peak[0] / 2**20,
        "returncode": proc.returncode,
        "stderr_tail": stderr[-2000:],
    }


def _python(*args: str) -> list[str]:
    return [sys.executable, *args]


def _xlsreport(*args: str) -> list[str]:
    return _python("-m", "xlsreport.cli", *args)


# Child programs: stdlib + the library under measurement only; each prints a JSON object.
FLOOR_PROGRAM = r"""
import json, sys, time, zipfile, os
paths = sorted(os.path.join(sys.argv[1], f) for f in os.listdir(sys.argv[1]) if f.endswith(".xlsx"))
times, inflated = [], 0
for p in paths:
    t = time.perf_counter()
    with zipfile.ZipFile(p) as z:
        for info in z.infolist():
            inflated += len(z.read(info))
    times.append(time.perf_counter() - t)
json.dump({"files": len(paths), "per_file_s": times, "inflated_bytes": inflated}, sys.stdout)
"""

NAIVE_PROGRAM = r"""
import json, sys, time, os
t0 = time.perf_counter()
import openpyxl
import_s = time.perf_counter() - t0
paths = sorted(os.path.join(sys.argv[1], f) for f in os.listdir(sys.argv[1]) if f.endswith(".xlsx"))[: int(sys.argv[2])]
times, cells = [], 0
for p in paths:
    t = time.perf_counter()
    wb = openpyxl.load_workbook(p)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
    wb.close()
    times.append(time.perf_counter() - t)
json.dump({"files": len(paths), "per_file_s": times, "cells": cells, "import_s": import_s}, sys.stdout)
"""

INPROC_PROGRAM = r"""
import json, sys, time, os
from pathlib import Path
t0 = time.perf_counter()
import xlsreport  # the public API, whatever module defines it
read, check = xlsreport.read, xlsreport.check
import_s = time.perf_counter() - t0
paths = sorted(Path(sys.argv[1]).glob("*.xlsx"))
read_s, check_s = [], []
for p in paths:
    t = time.perf_counter(); read(p); read_s.append(time.perf_counter() - t)
import pickle
pickle_s, unpickle_s, pickle_bytes = [], [], []
for p in paths:
    t = time.perf_counter(); result = check([p]); check_s.append(time.perf_counter() - t)
    # What --jobs ships from a worker to the parent per file: the parent unpickles it serially.
    t = time.perf_counter(); blob = pickle.dumps(result.files[0]); pickle_s.append(time.perf_counter() - t)
    t = time.perf_counter(); pickle.loads(blob); unpickle_s.append(time.perf_counter() - t)
    pickle_bytes.append(len(blob))
json.dump({"files": len(paths), "read_per_file_s": read_s, "check_per_file_s": check_s, "import_s": import_s,
           "pickle_per_file_s": pickle_s, "unpickle_per_file_s": unpickle_s, "pickle_bytes": pickle_bytes}, sys.stdout)
"""


def _child_json(cmd: Sequence[str], scratch: Path, name: str) -> tuple[dict, dict]:
    stdout_path = scratch / f"{name}.json"
    run = run_measured(cmd, stdout_path=stdout_path)
    if run["returncode"] != 0:
        raise BenchError(f"{name}: exit {run['returncode']}\n{run['stderr_tail']}")
    return run, json.loads(stdout_path.read_text(encoding="utf-8"))


class BenchError(RuntimeError):
    """A measured command failed; the stage records the message instead of a number."""


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 4)


def _summary_of_runs(runs: list[dict], files: int) -> dict:
    """Median over repeats of a whole-process run, per file and in total; peak memory = worst run."""
    wall = _median([r["wall_s"] for r in runs])
    cpu = _median([r["cpu_s"] for r in runs])
    return {
        "repeats": len(runs),
        "files": files,
        "wall_s": round(wall, 4),
        "walls_s": [round(r["wall_s"], 4) for r in runs],
        "cpu_s": round(cpu, 4),
        "per_file_ms": _ms(wall / files) if files else None,
        "cpu_per_wall": round(cpu / wall, 3) if wall else None,
        "foreign_cores": round(_median([r["foreign_cores"] for r in runs if r["foreign_cores"] is not None]), 2)
        if any(r["foreign_cores"] is not None for r in runs) else None,
        "maxrss_mb": round(max(r["maxrss_mb"] for r in runs), 1),
        "tree_peak_mb": round(max(r["tree_peak_mb"] for r in runs), 1),
        # The sampler can miss a short-lived peak, wait4 cannot; wait4 cannot sum a tree, the sampler can.
        "peak_mb": round(max(max(r["tree_peak_mb"], r["maxrss_mb"]) for r in runs), 1),
        "returncodes": sorted({r["returncode"] for r in runs}),
    }


def _check_cmd(path: Path, jobs: int) -> list[str]:
    return _xlsreport("check", str(path), "--json", "--jobs", str(jobs))


def _run_check(path: Path, jobs: int, scratch: Path, name: str, *, parse: bool = False) -> tuple[dict, dict | None]:
    """One measured `xlsreport check PATH --json`; exit 0 (valid) or 1 (findings) both count.

    ``parse``: the JSON it wrote, parsed (else None).  Only when asked: the parsed output of
    10,000 files holds ~110 MB in this harness, and a child started afterwards reports the
    harness's memory as its own peak (``subprocess`` starts children with vfork, and Linux carries
    the high-water mark across exec)."""
    stdout_path = scratch / f"{name}.json"
    run = run_measured(_check_cmd(path, jobs), stdout_path=stdout_path)
    if run["returncode"] not in (0, 1):
        raise BenchError(f"{name}: exit {run['returncode']}\n{run['stderr_tail']}")
    if not parse:
        return run, None
    try:
        parsed = json.loads(stdout_path.read_text(encoding="utf-8"))
    except ValueError:
        parsed = None
    return run, parsed


# --------------------------------------------------------------------------------------------
# Stages
# --------------------------------------------------------------------------------------------


def stage_startup(corpus: Path, scratch: Path, repeat: int) -> dict:
    """How long a clerk waits for `--help` and for a one-file check, and which modules that loads."""
    one = sorted(corpus.glob("*.xlsx"))[0]
    _run_check(one, 1, scratch, "startup-warm-up")  # bytecode compiled and cached before timing
    help_runs = [run_measured(_xlsreport("--help")) for _ in range(max(repeat, 5))]
    check_runs = [_run_check(one, 1, scratch, "startup-check-one")[0] for _ in range(max(repeat, 5))]
    bare_runs = [run_measured(_python("-c", "pass")) for _ in range(max(repeat, 5))]
    return {
        "python_bare_ms": _ms(_median([r["wall_s"] for r in bare_runs])),
        "help_ms": _ms(_median([r["wall_s"] for r in help_runs])),
        "help_maxrss_mb": round(max(r["maxrss_mb"] for r in help_runs), 1),
        "check_one_file_ms": _ms(_median([r["wall_s"] for r in check_runs])),
        "check_one_file_maxrss_mb": round(max(r["maxrss_mb"] for r in check_runs), 1),
        "importtime_help": _importtime(_xlsreport("--help"), scratch),
        "importtime_check_one_file": _importtime(_check_cmd(one, 1), scratch),
    }


def _importtime(cmd: list[str], scratch: Path, top: int = 12) -> dict:
    """`python -X importtime`: total import time, the costliest top-level imports, heavy modules loaded."""
    cmd = [cmd[0], "-X", "importtime", *cmd[1:]]
    proc = subprocess.run(cmd, cwd=ROOT, env=_child_env(), capture_output=True, text=True)
    rows = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        rows.append(_parse_importtime(line))
    top_level = [r for r in rows if not r[0].startswith(" ")]
    loaded = {r[0].strip().split(".")[0] for r in rows}
    return {
        "total_ms": round(sum(r[2] for r in top_level) / 1000, 1),
        "top": [{"module": n.strip(), "cumulative_ms": round(c / 1000, 1)} for n, _, c in sorted(top_level, key=lambda r: -r[2])[:top]],
        "heavy_loaded": sorted(m for m in HEAVY_MODULES if m in loaded),
    }


def _parse_importtime(line: str) -> tuple[str, int, int]:
    """(name, self µs, cumulative µs) from "import time:   234 |   567 |   package.module".

    The name keeps its indentation beyond the single separating space: nesting depth.
    """
    self_us, cumulative_us, name = line[len("import time:"):].split("|", 2)
    return name[1:] if name.startswith(" ") else name, int(self_us), int(cumulative_us)


def stage_render(corpus: Path, scratch: Path, repeat: int) -> dict:
    """`xlsreport render W -o out.docx` against `-o out.html` on the same workbook (issue #17).

    Whole processes, alternated run by run so that drift hits both alike; `--force` because the
    output is overwritten each run (the corpus's workbooks carry warnings only, no errors)."""
    one = sorted(corpus.glob("*.xlsx"))[0]
    runs: dict[str, list[dict]] = {"docx": [], "html": []}

    def render(kind: str) -> dict:
        run = run_measured(_xlsreport("render", str(one), "-o", str(scratch / f"render.{kind}"), "--force"))
        if run["returncode"] != 0:
            raise BenchError(f"render {kind}: exit {run['returncode']}\n{run['stderr_tail']}")
        return run

    render("docx"), render("html")  # warm-up: bytecode and page cache
    for _ in range(max(repeat, 5)):
        for kind in ("docx", "html"):
            runs[kind].append(render(kind))
    out = {kind: {"wall_ms": _ms(_median([r["wall_s"] for r in measured])),
                  "walls_ms": [_ms(r["wall_s"]) for r in measured],
                  "maxrss_mb": round(max(r["maxrss_mb"] for r in measured), 1),
                  "foreign_cores": round(_median([r["foreign_cores"] for r in measured if r["foreign_cores"] is not None]), 2)
                  if any(r["foreign_cores"] is not None for r in measured) else None}
           for kind, measured in runs.items()}
    out["workbook"] = one.name
    out["importtime_docx"] = _importtime(_xlsreport("render", str(one), "-o", str(scratch / "render-importtime.docx"), "--force"), scratch)
    return out


def stage_profile(corpus: Path, scratch: Path, top: int = 25) -> dict:
    """cProfile of the whole `check DIR --json` process (jobs 1): where the time goes."""
    prof = scratch / "check.prof"
    cmd = _python("-m", "cProfile", "-o", str(prof), "-m", "xlsreport.cli", "check", str(corpus), "--json")
    run = run_measured(cmd, stdout_path=scratch / "profile-check.json")
    if not prof.exists():
        raise BenchError(f"profile: no output\n{run['stderr_tail']}")
    stats = pstats.Stats(str(prof))
    total = stats.total_tt

    def rows(key: str, limit: int | None = top) -> list[dict]:
        ordered = sorted(stats.stats.items(), key=lambda kv: -(kv[1][3] if key == "cumulative" else kv[1][2]))
        out = []
        for (filename, line, function), (_cc, calls, tottime, cumtime, _callers) in ordered[:limit]:
            out.append(
                {
                    "function": f"{_short(filename)}:{line}({function})",
                    "calls": calls,
                    "tottime_s": round(tottime, 4),
                    "cumtime_s": round(cumtime, 4),
                    "share_of_total": round((cumtime if key == "cumulative" else tottime) / total, 3) if total else None,
                }
            )
        return out

    # Own time grouped by source file: which module to optimise, independent of call structure.
    by_file: dict[str, float] = {}
    for (filename, _line, function), (_cc, _calls, tottime, _cum, _callers) in stats.stats.items():
        if filename == "~":  # a builtin: name it by the method, e.g. CalamineWorkbook.get_sheet_by_name
            key = "builtin:" + function.strip("<>").replace("method ", "").replace("built-in ", "")
        else:
            key = _short(filename)
        by_file[key] = by_file.get(key, 0.0) + tottime
    own = sorted(by_file.items(), key=lambda kv: -kv[1])[:top]
    # Cumulative view inside the package only: the wrappers (runpy, typer, click) say nothing.
    ours = [r for r in rows("cumulative", limit=None)
            if r["function"].startswith("xlsreport/") and not r["function"].startswith("xlsreport/cli.py")][:top]
    return {"profile_file": str(prof), "profiled_total_s": round(total, 3), "wall_s": round(run["wall_s"], 3),
            "top_cumulative": ours, "top_tottime": rows("tottime"),
            "own_time_by_file": [{"file": k, "tottime_s": round(v, 4), "share_of_total": round(v / total, 3) if total else None} for k, v in own]}


def _short(filename: str) -> str:
    for marker in ("site-packages/", "dist-packages/", str(ROOT) + "/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


def _inproc_summary(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "median_ms": _ms(_median(ordered)),
        "p90_ms": _ms(ordered[int(0.9 * (len(ordered) - 1))]) if ordered else None,
        "max_ms": _ms(ordered[-1]) if ordered else None,
    }


def run_benchmark(args: argparse.Namespace) -> dict:
    """Every stage, in one run on the same files; failures of one stage are recorded, not fatal."""
    global PYCACHE
    results = Path(args.results_dir)
    PYCACHE = results / "pycache"
    stages = set(args.stages)
    scaling = sorted({*args.scaling}) if "scaling" in stages else []
    workers = os.cpu_count() or 1

    # The largest corpus first, so that the smaller ones are hard links into it.  Every stage runs
    # on the realistic corpus; the clean one (issue #6's, no findings) is measured beside it.
    corpora = {}
    for n in sorted({args.n, *scaling}, reverse=True):
        corpora[n] = ensure_corpus(n, args.seed, results, workers, realistic=True)
    corpus = Path(corpora[args.n]["dir"])
    clean_info = ensure_corpus(args.n, args.seed, results, workers) if {"check", "floor"} <= stages else None
    clean = Path(clean_info["dir"]) if clean_info else None
    scratch = results / "runs" / f"n{args.n}-seed{args.seed}"
    scratch.mkdir(parents=True, exist_ok=True)
    # Compile the library once into the bytecode cache the measured processes use (_child_env).
    subprocess.run(_python("-m", "compileall", "-q", str(ROOT / "xlsreport")), env=_child_env(), cwd=ROOT, check=False)

    report: dict[str, Any] = {
        "schema": SCHEMA,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": _machine(),
        "params": {"n": args.n, "seed": args.seed, "jobs": args.jobs, "naive_subset": min(args.naive_subset, args.n),
                   "repeat": args.repeat, "scaling": scaling, "stages": sorted(stages)},
        "corpus": corpora[args.n],
        "corpus_clean": clean_info,
        "runs": {},
        "errors": {},
    }
    runs = report["runs"]

    def attempt(name: str, fn) -> None:
        if name not in stages:
            return
        _say(f"stage {name} …")
        try:
            fn()
        except BenchError as err:
            report["errors"][name] = str(err)
            _say(f"stage {name} FAILED: {str(err).splitlines()[0]}")

    # Warm the page cache once, untimed, so that no stage pays the first read from disk.
    run_measured(_python("-c", FLOOR_PROGRAM, str(corpus)))
    if clean is not None:
        run_measured(_python("-c", FLOOR_PROGRAM, str(clean)))

    # (a) check and (b) floor, interleaved repeat by repeat so drift hits both alike; the clean
    # corpus's check and floor in the same rounds.
    check_runs, floor_runs, floor_inner, jobs_runs = [], [], [], []
    clean_check_runs, clean_floor_runs = [], []
    check_counts: dict | None = None  # of the first check's JSON; the rest of it is not kept

    def measure_core() -> None:
        nonlocal check_counts
        for _ in range(args.repeat):
            if "floor" in stages:
                run, out = _child_json(_python("-c", FLOOR_PROGRAM, str(corpus)), scratch, "floor")
                floor_runs.append(run)
                floor_inner.extend(out["per_file_s"])
            if "check" in stages:
                run, parsed = _run_check(corpus, 1, scratch, "check-jobs1", parse=check_counts is None)
                check_runs.append(run)
                if check_counts is None and parsed is not None:
                    check_counts = parsed.get("counts") or {}
                del parsed
            if "jobs" in stages and args.jobs > 1:
                jobs_runs.append(_run_check(corpus, args.jobs, scratch, f"check-jobs{args.jobs}")[0])
            if clean is not None:
                clean_floor_runs.append(_child_json(_python("-c", FLOOR_PROGRAM, str(clean)), scratch, "floor-clean")[0])
                clean_check_runs.append(_run_check(clean, 1, scratch, "check-clean")[0])

    try:
        _say("stage check/floor/jobs …")
        measure_core()
    except BenchError as err:
        report["errors"]["check"] = str(err)
        _say(f"stage check FAILED: {str(err).splitlines()[0]}")
    if check_runs:
        runs["check"] = _summary_of_runs(check_runs, args.n)
        if check_counts is not None:
            runs["check"]["result_counts"] = check_counts
    if floor_runs:
        runs["floor"] = _summary_of_runs(floor_runs, args.n)
        runs["floor"]["inproc_per_file"] = _inproc_summary(floor_inner)
    if jobs_runs:
        runs["check_jobs"] = {"jobs": args.jobs, **_summary_of_runs(jobs_runs, args.n)}
    if clean_check_runs:
        runs["check_clean"] = _summary_of_runs(clean_check_runs, args.n)
        runs["floor_clean"] = _summary_of_runs(clean_floor_runs, args.n)

    def naive() -> None:
        subset = min(args.naive_subset, args.n)
        run, out = _child_json(_python("-c", NAIVE_PROGRAM, str(corpus), str(subset)), scratch, "naive")
        runs["naive"] = {**_summary_of_runs([run], subset), "scaled_to_n_s": round(run["wall_s"] / subset * args.n, 2),
                         "inproc_per_file": _inproc_summary(out["per_file_s"]), "import_ms": _ms(out["import_s"])}

    def inproc() -> None:
        run, out = _child_json(_python("-c", INPROC_PROGRAM, str(corpus)), scratch, "inproc")
        runs["inproc"] = {"files": out["files"], "import_ms": _ms(out["import_s"]),
                          "read_per_file": _inproc_summary(out["read_per_file_s"]),
                          "check_per_file": _inproc_summary(out["check_per_file_s"]),
                          "result_pickle_per_file": _inproc_summary(out["pickle_per_file_s"]),
                          "result_unpickle_per_file": _inproc_summary(out["unpickle_per_file_s"]),
                          "result_pickle_bytes_median": _median(out["pickle_bytes"]),
                          "maxrss_mb": round(run["maxrss_mb"], 1)}

    def merge() -> None:
        out_path = scratch / "merged.xlsx"
        merge_runs = []
        for _ in range(args.repeat):
            cmd = _xlsreport("merge", str(corpus), "-o", str(out_path), "--unit", "基准县", "--year", "2024",
                             "--force", "--json", "--jobs", "1")
            run = run_measured(cmd, stdout_path=scratch / "merge.json")
            if run["returncode"] not in (0, 1):
                raise BenchError(f"merge: exit {run['returncode']}\n{run['stderr_tail']}")
            merge_runs.append(run)
        runs["merge"] = {**_summary_of_runs(merge_runs, args.n), "output_bytes": out_path.stat().st_size if out_path.exists() else None}

    def startup() -> None:
        report["startup"] = stage_startup(corpus, scratch, args.repeat)

    def profile() -> None:
        report["profile"] = stage_profile(corpus, scratch)

    def render() -> None:
        report["render"] = stage_render(corpus, scratch, args.repeat)

    def scale() -> None:
        one = sorted(corpus.glob("*.xlsx"))[0]
        for n in scaling:  # the page cache warmed for every size, untimed
            run_measured(_python("-c", FLOOR_PROGRAM, str(corpora[n]["dir"])))
        # Round by round, every size once per round (the one-file run included), so that the
        # machine's drift over minutes (±20 % here) hits every size alike, as for check/floor.
        rounds = max(args.repeat, 3)
        fixed_runs: list[float] = []
        by_n: dict[int, list[dict]] = {n: [] for n in scaling}
        for _ in range(rounds):
            fixed_runs.append(_run_check(one, 1, scratch, "scaling-one")[0]["wall_s"])
            for n in scaling:
                by_n[n].append(_run_check(Path(corpora[n]["dir"]), 1, scratch, f"scaling-n{n}")[0])
        fixed = _median(fixed_runs)
        points = []
        for n in scaling:
            measured = by_n[n]
            wall = _median([m["wall_s"] for m in measured])
            points.append({"n": n, "wall_s": round(wall, 3), "per_file_ms": _ms(wall / n),
                           "marginal_per_file_ms": _ms(max(wall - fixed, 0.0) / max(n - 1, 1)),
                           "peak_mb": round(max(max(m["maxrss_mb"], m["tree_peak_mb"]) for m in measured), 1)})
        marginal = [p["marginal_per_file_ms"] for p in points if p["marginal_per_file_ms"] > 0]
        report["scaling"] = {"fixed_one_file_s": round(fixed, 3), "points": points,
                             "flatness": round(max(marginal) / min(marginal), 3) if len(marginal) >= 2 else None}

    for name, fn in (("naive", naive), ("inproc", inproc), ("merge", merge), ("startup", startup),
                     ("profile", profile), ("scaling", scale), ("render", render)):
        attempt(name, fn)

    report["ratios"], report["targets"] = _ratios_and_targets(report)
    report["projection"] = _projection(report)
    report["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    return report


def _ratios_and_targets(report: dict) -> tuple[dict, dict]:
    runs = report["runs"]
    per = {k: v.get("per_file_ms") for k, v in runs.items() if isinstance(v, dict) and "per_file_ms" in v}

    def ratio(a: str, b: str) -> float | None:
        return round(per[a] / per[b], 2) if per.get(a) and per.get(b) else None

    ratios = {
        "check_over_floor": ratio("check", "floor"),
        "naive_over_check": ratio("naive", "check"),
        "clean_check_over_floor": ratio("check_clean", "floor_clean"),
        "clean_naive_over_check": ratio("naive", "check_clean"),
        "merge_over_check": ratio("merge", "check"),
        "jobs_speedup": ratio("check", "check_jobs"),
        "jobs_cpu_per_wall": runs.get("check_jobs", {}).get("cpu_per_wall"),
    }
    rendered = report.get("render") or {}
    ratios["render_docx_over_html"] = (round(rendered["docx"]["wall_ms"] / rendered["html"]["wall_ms"], 2)
                                       if rendered.get("docx") and rendered.get("html") else None)
    inproc, floor = runs.get("inproc"), runs.get("floor")
    if inproc and floor:  # the same ratio without interpreter start-up and imports
        ratios["inproc_check_over_floor_median"] = round(
            inproc["check_per_file"]["median_ms"] / floor["inproc_per_file"]["median_ms"], 2)
    if inproc and runs.get("naive"):
        ratios["inproc_naive_over_check_median"] = round(
            runs["naive"]["inproc_per_file"]["median_ms"] / inproc["check_per_file"]["median_ms"], 2)
    scaled = [p["peak_mb"] for p in (report.get("scaling") or {}).get("points", [])]
    peak = max([runs[k]["peak_mb"] for k in ("check", "check_jobs") if k in runs] + scaled or [0]) or None
    one_file = report.get("startup", {}).get("check_one_file_ms")

    def target(value: float | None, goal: str, met) -> dict:
        return {"goal": goal, "value": value, "met": None if value is None else bool(met(value))}

    flat = report.get("scaling", {}).get("flatness")
    targets = {
        "check_within_4x_floor": target(ratios["check_over_floor"], f"≤ {TARGET_CHECK_OVER_FLOOR}", lambda v: v <= TARGET_CHECK_OVER_FLOOR),
        "check_20x_faster_than_naive": target(ratios["naive_over_check"], f"≥ {TARGET_NAIVE_OVER_CHECK}", lambda v: v >= TARGET_NAIVE_OVER_CHECK),
        "peak_memory_mb": target(peak, f"< {TARGET_PEAK_MB}", lambda v: v < TARGET_PEAK_MB),
        "per_file_flat": target(flat, f"≤ {TARGET_FLATNESS}", lambda v: v <= TARGET_FLATNESS),
        "jobs_uses_both_cores": target(ratios["jobs_cpu_per_wall"], f"≥ {TARGET_JOBS_CPU}", lambda v: v >= TARGET_JOBS_CPU),
        "merge_within_2x_check": target(ratios["merge_over_check"], f"≤ {TARGET_MERGE_OVER_CHECK}", lambda v: v <= TARGET_MERGE_OVER_CHECK),
        "one_file_check_s": target(round(one_file / 1000, 3) if one_file else None, f"≤ {TARGET_ONE_FILE_S}",
                                   lambda v: v <= TARGET_ONE_FILE_S),
        "render_docx_within_3x_html": target(ratios["render_docx_over_html"], f"≤ {TARGET_DOCX_OVER_HTML}",
                                             lambda v: v <= TARGET_DOCX_OVER_HTML),
    }
    return ratios, targets


def _projection(report: dict) -> dict:
    """On paper: a province (10^4) and the country (10^5) on one 16-core machine.

    Per-file cost is the marginal cost measured here at --jobs 1; parallel efficiency is the
    measured --jobs speed-up divided by the jobs used, assumed to hold up to 16 cores (optimistic
    if the work is memory- or disk-bound; reading 10^5 files from a cold disk is not modelled).
    """
    runs = report["runs"]
    check = runs.get("check")
    if not check:
        return {}
    scaling = report.get("scaling") or {}
    points = scaling.get("points") or []
    per_file_s = (points[-1]["marginal_per_file_ms"] / 1000) if points else check["per_file_ms"] / 1000
    fixed_s = scaling.get("fixed_one_file_s") or report.get("startup", {}).get("check_one_file_ms", 0) / 1000
    jobs = runs.get("check_jobs", {}).get("jobs")
    speedup = report["ratios"].get("jobs_speedup")
    efficiency = min(1.0, speedup / jobs) if speedup and jobs else 1.0
    out = {"per_file_ms": round(per_file_s * 1000, 3), "fixed_s": round(fixed_s, 3),
           "parallel_efficiency": round(efficiency, 3), "cores": 16}
    for label, n in (("county_300", 300), ("province_1e4", 10_000), ("country_1e5", 100_000)):
        single = fixed_s + n * per_file_s
        out[label] = {"files": n, "one_core_s": round(single, 1),
                      "sixteen_cores_s": round(fixed_s + n * per_file_s / (16 * efficiency), 1)}
    return out


def _machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model, "loadavg_at_start": [round(x, 2) for x in os.getloadavg()], "python": platform.python_version(),
            "platform": platform.platform(), "bytecode": f"cached in {PYCACHE} (PYTHONPYCACHEPREFIX)"}


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def format_summary(report: dict) -> str:
    """The few lines a person reads: per-file medians, ratios, memory, targets."""
    runs, lines = report["runs"], []
    p = report["params"]
    lines.append(f"xlsreport benchmark: N={p['n']} seed={p['seed']} jobs={p['jobs']} on {report['machine']['cpus']} CPU(s)")
    lines.append("  realistic corpus (a few warnings per file, --json written to a file); clean corpus beside it:")
    for key, title in (("floor", "floor (inflate only)"), ("check", "check --jobs 1"), ("check_jobs", f"check --jobs {p['jobs']}"),
                       ("naive", f"naive openpyxl ({p['naive_subset']} files)"), ("merge", "merge --jobs 1"),
                       ("floor_clean", "clean: floor"), ("check_clean", "clean: check --jobs 1")):
        if key in runs:
            r = runs[key]
            lines.append(f"  {title:<30} {r['per_file_ms']:8.3f} ms/file  wall {r['wall_s']:7.2f} s  "
                         f"cpu/wall {r['cpu_per_wall']:.2f}  others {r['foreign_cores']} cores  peak {r['peak_mb']:.0f} MB (largest process {r['maxrss_mb']:.0f} MB)")
    if "inproc" in runs:
        i = runs["inproc"]
        lines.append(f"  in-process medians: read {i['read_per_file']['median_ms']:.3f} ms, check {i['check_per_file']['median_ms']:.3f} ms"
                     f" (p90 {i['check_per_file']['p90_ms']:.3f}), floor {runs.get('floor', {}).get('inproc_per_file', {}).get('median_ms')} ms,"
                     f" naive {runs.get('naive', {}).get('inproc_per_file', {}).get('median_ms')} ms;"
                     f" FileResult pickle {i['result_pickle_per_file']['median_ms']:.3f} + unpickle"
                     f" {i['result_unpickle_per_file']['median_ms']:.3f} ms, {i['result_pickle_bytes_median'] / 1024:.1f} KiB")
    lines.append("  ratios: " + ", ".join(f"{k}={v}" for k, v in report["ratios"].items()))
    if "startup" in report:
        s = report["startup"]
        lines.append(f"  start-up: python {s['python_bare_ms']:.0f} ms, --help {s['help_ms']:.0f} ms "
                     f"(heavy: {', '.join(s['importtime_help']['heavy_loaded']) or 'none'}), one-file check {s['check_one_file_ms']:.0f} ms")
    if report.get("render"):
        r = report["render"]
        lines.append(f"  render one workbook: docx {r['docx']['wall_ms']:.0f} ms, html {r['html']['wall_ms']:.0f} ms"
                     f" (ratio {report['ratios']['render_docx_over_html']})")
    if report.get("scaling"):
        pts = ", ".join(f"{q['n']}: {q['per_file_ms']:.3f} ({q['marginal_per_file_ms']:.3f}, peak {q['peak_mb']:.0f} MB)"
                        for q in report["scaling"]["points"])
        lines.append(f"  scaling, ms/file (marginal, peak): {pts}; flatness {report['scaling']['flatness']}")
    if "profile" in report:
        lines.append("  profile (cumulative, top 8 inside xlsreport):")
        for row in report["profile"]["top_cumulative"][:8]:
            lines.append(f"    {row['cumtime_s']:7.3f} s {row['share_of_total']:6.1%}  {row['function']}")
        lines.append("  profile (own time by file, top 8):")
        for row in report["profile"]["own_time_by_file"][:8]:
            lines.append(f"    {row['tottime_s']:7.3f} s {row['share_of_total']:6.1%}  {row['file']}")
    for name, t in report["targets"].items():
        mark = {True: "met", False: "MISSED", None: "n/a"}[t["met"]]
        lines.append(f"  target {name:<28} {t['goal']:<7} value {t['value']}  {mark}")
    proj = report.get("projection") or {}
    if proj:
        lines.append(f"  projection (16 cores, efficiency {proj['parallel_efficiency']}): province 10^4 "
                     f"{proj['province_1e4']['sixteen_cores_s']} s, country 10^5 {proj['country_1e5']['sixteen_cores_s']} s")
    for name, message in report["errors"].items():
        lines.append(f"  stage {name} failed: {message.splitlines()[0]}")
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="workbooks in the corpus (default 1000)")
    parser.add_argument("--seed", type=int, default=2024, help="seed of the random data (default 2024)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="--jobs for the parallel check (default: CPU count)")
    parser.add_argument("--naive-subset", type=int, default=100, help="files opened with openpyxl, scaled to N (default 100)")
    parser.add_argument("--scaling", type=lambda s: [int(x) for x in s.split(",") if x], default=[100, 1000],
                        help="corpus sizes for the flatness check, e.g. 100,1000,10000 (default 100,1000)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of each whole-process timing; medians are reported")
    parser.add_argument("--stages", type=lambda s: [x for x in s.split(",") if x], default=list(ALL_STAGES),
                        help=f"comma-separated subset of {','.join(ALL_STAGES)}")
    parser.add_argument("--results-dir", default=str(DEFAULT_RESULTS), help="cache of corpora and run outputs (gitignored)")
    parser.add_argument("--out", default=None, help="JSON file to write (default: RESULTS/bench-n{N}-seed{S}.json)")
    args = parser.parse_args(argv)
    unknown = set(args.stages) - set(ALL_STAGES)
    if unknown:
        parser.error(f"unknown stage(s): {', '.join(sorted(unknown))}")
    if args.n < 1 or args.repeat < 1 or args.naive_subset < 1 or any(n < 1 for n in args.scaling):
        parser.error("--n, --repeat, --naive-subset and --scaling sizes must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    report = run_benchmark(args)
    out = Path(args.out) if args.out else Path(args.results_dir) / f"bench-n{args.n}-seed{args.seed}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(format_summary(report))
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
