#!/usr/bin/env python3
"""Time of ``xlsreport template OUT_DIR --roster --year --previous`` (issue #20): N roster units,
last year's N reports in one folder (goal: N = 300 under 30 s on two cores), the whole process.

    python benchmarks/bench_sending.py [--n 300]

Last year's reports are written first (not timed) as filled workbooks; the roster lists the same
units in reverse order, so that matching by name is what finds them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    from tests.yearly import write_report

    with tempfile.TemporaryDirectory(prefix="bench-sending-") as tmp:
        folder = Path(tmp) / "2024"
        folder.mkdir()
        units = [f"第{i:04d}号乡镇人民政府" for i in range(args.n)]
        for i, unit in enumerate(units):
            write_report(folder / f"{i:04d}.xlsx", unit, 2024, [i % 3, 0, 0, 0, 0, i % 2], in_force=(0, i % 7))
        roster = Path(tmp) / "名单.txt"
        roster.write_text("\n".join(reversed(units)), encoding="utf-8")
        command = [sys.executable, "-m", "xlsreport.cli", "template", str(Path(tmp) / "下发"), "--roster", str(roster),
                   "--year", "2025", "--previous", str(folder), "--json"]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, env=env)
        wall = time.perf_counter() - started
        assert done.returncode == 0, done.stderr.decode()
        print(f"template --roster {args.n} units, --previous {args.n} files: {wall:.1f} s ({wall / args.n * 1000:.0f} ms a unit)")


if __name__ == "__main__":
    main()
