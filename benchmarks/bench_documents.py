#!/usr/bin/env python3
"""Time to read one published report (issue #12): a web page and a Word file (goal < 50 ms each)
and a PDF of about six pages (goal < 1 s), in process, median of several runs after a warm-up.

    python benchmarks/bench_documents.py [--pdf PATH] [--runs 9]

The web page and Word file are the table-三 documents the tests build (tests/report_documents.py),
then every real saved page of tests/data/reports (whole site pages of ~100 KB); the PDF defaults to tests/data/reports/hongze-qu-2024.pdf (5 pages, as published).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def median_ms(path: Path, runs: int) -> float:
    from xlsreport.reading.locate import clear_layout_memo
    from xlsreport.reading.report import read

    read(path)  # warm-up: imports, caches
    times = []
    for _ in range(runs):
        clear_layout_memo()  # every document searched in full, as a first file of a batch would be
        started = time.perf_counter()
        read(path)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=Path, default=ROOT / "tests" / "data" / "reports" / "hongze-qu-2024.pdf")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from oracle import table_3_numbers
    from report_documents import html_page, write_docx

    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "report.html"
        html.write_bytes(html_page(table_3_numbers()).encode("gb18030"))
        docx = write_docx(Path(folder) / "report.docx", table_3_numbers())
        rows = [("web page (html)", html, 50.0), ("Word (docx)", docx, 50.0)]
        # real saved pages (a whole site page around the report: menus, scripts, footer)
        rows += [(f"real page ({page.name})", page, 50.0) for page in sorted((ROOT / "tests" / "data" / "reports").glob("*.html"))]
        if args.pdf.exists():
            rows.append((f"PDF ({args.pdf.name})", args.pdf, 1000.0))
        for label, path, goal in rows:
            ms = median_ms(path, args.runs if goal < 1000 else max(3, args.runs // 3))
            print(f"{label:40s} {ms:8.1f} ms   goal < {goal:.0f} ms   {'ok' if ms < goal else 'MISSED'}")


if __name__ == "__main__":
    main()
