#!/usr/bin/env python3
"""The year-round ledger (issue #21): a register of 5,000 applications.

    python benchmarks/bench_ledger.py [--rows 5000] [--runs 5]

Times, as whole processes (start-up included, as a clerk waits for them; medians of ``--runs``):
``xlsreport ledger REGISTER.csv -o OUT.xlsx`` (goal < 2 s) and ``xlsreport check OUT.xlsx``
(goal < 0.5 s), and in process ``read`` + ``check_report`` of the counted workbook.  The register
is a CSV as Excel saves it (UTF-8 with BOM), dates typed three ways, every outcome and applicant
type, receipts over two years around the report year.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]
YEAR = 2024


def write_register(path: Path, rows: int, seed: int = 21) -> None:
    from xlsreport import form

    rnd = random.Random(seed)
    outcomes = [w for _, w in form.LEDGER.column(form.LEDGER_OUTCOME).choices]
    applicants = [w for _, w in form.LEDGER.column(form.LEDGER_APPLICANT).choices]
    ways = (lambda d: d.isoformat(), lambda d: f"{d.year}/{d.month}/{d.day}", lambda d: f"{d.year}年{d.month}月{d.day}日")
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        out = csv.writer(handle)
        out.writerow([c.label for c in form.LEDGER.columns])
        for i in range(rows):
            received = dt.date(YEAR - 1, 7, 1) + dt.timedelta(days=rnd.randint(0, 600))
            answered = received + dt.timedelta(days=rnd.randint(0, 90)) if rnd.random() < 0.85 else None
            fee = answered is not None and rnd.random() < 0.05
            out.writerow([i + 1, rnd.choice(ways)(received), rnd.choice(applicants), f"申请公开某项信息（第{i + 1}件）",
                          rnd.choice(ways)(answered) if answered else "", rnd.choice(outcomes) if answered else "",
                          "是" if fee else "否", 100 if fee else "", 100 if fee else "", ""])


def timed(args: list[str], runs: int) -> tuple[float, float]:
    """Medians of wall time and of CPU time (user + system) of the whole process: on a shared
    machine the wall time grows with the load, the CPU time hardly."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "xlsreport.cli", *args], env=env, capture_output=True, check=False)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    from xlsreport.checker import check_report
    from xlsreport.reading.report import read

    with tempfile.TemporaryDirectory() as folder:
        register = Path(folder) / "台账.csv"
        out = Path(folder) / "年报.xlsx"
        write_register(register, options.rows)
        ledger = timed(["ledger", str(register), "-o", str(out), "--year", str(YEAR), "--unit", "某某局", "--force"], options.runs)
        check = timed(["check", str(out)], options.runs)
        read(out)  # warm-up
        inproc = []
        for _ in range(options.runs):
            started = time.perf_counter()
            findings = check_report(read(out))
            inproc.append(time.perf_counter() - started)
        errors = [f.rule for f in findings if f.severity == "error"]
        result = {
            "rows": options.rows,
            "load_average": os.getloadavg()[0],
            "ledger_s": round(ledger[0], 3), "ledger_cpu_s": round(ledger[1], 3), "ledger_goal_s": 2.0,
            "check_s": round(check[0], 3), "check_cpu_s": round(check[1], 3), "check_goal_s": 0.5,
            "read_and_check_in_process_s": round(statistics.median(inproc), 3),
            "workbook_bytes": out.stat().st_size,
            "errors_in_counted_workbook": errors,
        }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
