#!/usr/bin/env python3
"""Time to read one published report (issue #12): a web page and a Word file (goal < 50 ms each)
and a PDF of about six pages (goal < 1 s), in process, median of several runs after a warm-up.

    python benchmarks/bench_documents.py [--pdf PATH] [--runs 9]
    python benchmarks/bench_documents.py --hostile [--source DIR] [--cap 25]

``--hostile`` (issues #18/#22) measures whole processes instead: every document of the hostile
corpus (tests/document_mutants.py) through ``xlsreport read --json`` — wall time and peak memory
of the process tree (the document worker included) — and prints the slowest and the largest of
each format; then a one-file PDF ``check`` (median of 5) and a folder of 100 good reports
(docx, web page, PDF, text).  ``--source DIR`` runs the xlsreport found in DIR (e.g. an export
of the code before the worker boundary: ``git archive e7fcd18 | tar -x -C /tmp/before``), each
run capped at ``--cap`` seconds and 4 GB of address space (a run stopped there is shown as such).

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


CAP_BYTES = 4 << 30


def process(source: Path, args: list[str], cap: float) -> tuple[float, float, int | str]:
    """Wall seconds, peak resident MB of the whole process tree, and the exit code (or why it
    was stopped) of ``xlsreport *args`` run from ``source``."""
    import os
    import resource
    import subprocess

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))

    code = f"import sys; sys.path.insert(0, {str(source)!r}); from xlsreport.cli import main; main()"
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=limit)
    stopped = None
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() - started > cap:
            child.kill()
            stopped = f"stopped at {cap:.0f} s"
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    err = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    result: int | str = stopped or child.returncode
    if child.returncode == 4 or "MemoryError" in err:
        result = f"{child.returncode} ({'MemoryError' if 'MemoryError' in err else 'internal error'})"
    return seconds, usage.ru_maxrss / 1024, result


def hostile(source: Path, cap: float) -> None:
    import document_mutants as mutants

    with tempfile.TemporaryDirectory() as folder:
        rows = []
        for name, make in mutants.CORPUS.items():
            path = Path(folder) / name
            path.write_bytes(make())
            seconds, mb, code = process(source, ["read", str(path), "--json"], cap)
            path.unlink()
            rows.append((name.rsplit(".", 1)[1], name, seconds, mb, code))
            print(f"  {name:36s} {seconds:7.2f} s {mb:8.0f} MB   exit {code}", flush=True)
        print()
        for kind in ("pdf", "docx", "html", "txt"):
            of = [r for r in rows if r[0] == kind]
            slow = max(of, key=lambda r: r[2])
            big = max(of, key=lambda r: r[3])
            print(f"{kind:5s} slowest {slow[1]:32s} {slow[2]:6.2f} s {slow[3]:6.0f} MB exit {slow[4]}")
            print(f"{kind:5s} largest {big[1]:32s} {big[2]:6.2f} s {big[3]:6.0f} MB exit {big[4]}")
        pdf = Path(folder) / "report.pdf"
        pdf.write_bytes(mutants.good_pdf())
        runs = [process(source, ["check", str(pdf)], cap) for _ in range(5)]
        print(f"one-file PDF check: median {statistics.median(r[0] for r in runs) * 1000:.0f} ms, {max(r[1] for r in runs):.0f} MB")
        inbox = Path(folder) / "inbox"
        inbox.mkdir()
        goods = [(".docx", mutants.good_docx()), (".html", mutants.good_html()), (".pdf", mutants.good_pdf()), (".txt", mutants.good_text())]
        for i in range(100):
            suffix, data = goods[i % 4]
            (inbox / f"report-{i:03d}{suffix}").write_bytes(data)
        for jobs in ("1", "2"):
            seconds, mb, code = process(source, ["check", str(inbox), "--json", "--jobs", jobs], cap * 10)
            print(f"100-document folder, --jobs {jobs}: {seconds:.2f} s, {mb:.0f} MB, exit {code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdf", type=Path, default=ROOT / "tests" / "data" / "reports" / "hongze-qu-2024.pdf")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--hostile", action="store_true", help="whole-process time and memory of the hostile corpus")
    parser.add_argument("--source", type=Path, default=ROOT, help="the xlsreport source tree to run (--hostile)")
    parser.add_argument("--cap", type=float, default=25.0, help="seconds before a run is stopped (--hostile)")
    args = parser.parse_args()
    if args.hostile:
        hostile(args.source.resolve(), args.cap)
        return
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
