"""Hostile and broken files (issue #5): every one is refused or read with a Chinese message that
tells a clerk what to do, never a traceback, never a crash, in bounded memory; a batch goes on
past them; inputs are never modified and an output never overwrites an input.

The corpus is built by ``tests/hostile.py`` (see its docstring for what each ``expect`` means).
Cases that could cost gigabytes or kill the process in a broken reader (bombs, entity attacks,
sheets of a million rows) run only in subprocesses, whose peak memory is measured with
``os.wait4`` (the ``ru_maxrss`` of that one child).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

import hostile
from hostile import CASES, CASE_BY_NAME, Case
from xlsreport.batch import check_file
from xlsreport.cli import app
from xlsreport.errors import (
    EncryptedWorkbook,
    LimitExceeded,
    OutputIsInput,
    UnreadableWorkbook,
    UnsupportedFormat,
)
from xlsreport.reading.report import read

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
MEMORY_LIMIT = 1 << 30  # bytes: "well under 1 GB"
LIGHT = [case.name for case in CASES if not case.heavy]
HEAVY = [case.name for case in CASES if case.heavy]
# Every code an UnreadableWorkbook may carry (not "INTERNAL": that is a bug of ours wrapped up).
UNREADABLE_CODES = {"UNREADABLE", "UNSUPPORTED_FORMAT", "ENCRYPTED", "LIMIT_EXCEEDED", "NOT_A_FORM"}
# The official labels of the categories (FORM.md) and the valid workbook's numbers for them.
CATEGORY_NUMBERS = {"notices": 5, "budget": 1, "final_accounts": 1, "functions": 1, "work_updates": 38, "other": 8, "total": 54}


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def strict_json(text: str):
    """JSON as any other program reads it: no NaN, no Infinity."""

    def refuse(constant: str):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    hostile.build(folder)
    return folder


@pytest.fixture(scope="module")
def valid_report():
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "valid.xlsx"
        path.write_bytes(hostile.valid_workbook())
        return read(path).to_dict()


# --------------------------------------------------------------------------------------------
# subprocesses: the real command line, its exit code and its peak memory
# --------------------------------------------------------------------------------------------


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    max_rss: int  # bytes, of this child alone


def run_measured(args: list[str], *, cwd: Path | None = None, timeout: float = 300) -> Run:
    """Run ``args``; its peak resident memory comes from wait4 on that very child.  The timeout
    only keeps a hung reader from hanging the suite; nothing here asserts a duration."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, cwd=cwd, env=env, stdin=subprocess.DEVNULL)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                   usage.ru_maxrss * 1024)


def cli(*args: str, cwd: Path | None = None) -> Run:
    return run_measured([sys.executable, "-m", "xlsreport.cli", *args], cwd=cwd)


# What the library does with one file, in a child process (a reader that aborts or swells must
# fail this test, not kill pytest).
_PROBE = r"""
import json, sys, traceback
from xlsreport.reading.report import read
from xlsreport.batch import check_file
from xlsreport.errors import XlsreportError
path = sys.argv[1]
out = {}
try:
    report = read(path)
    data = report.to_dict()
    out["read"] = {"ok": True, "categories": data.get("categories"), "applications": data.get("applications"),
                   "text": json.dumps(data, ensure_ascii=False)}
except XlsreportError as err:
    out["read"] = {"ok": False, "classes": [c.__name__ for c in type(err).__mro__], "message": err.message}
except BaseException as err:
    out["read"] = {"ok": False, "classes": ["CRASH"], "message": traceback.format_exc()}
result = check_file(path)
out["check"] = {"error_code": result.error_code, "error": result.error}
print(json.dumps(out, ensure_ascii=False))
"""


def probe(path: Path) -> tuple[dict | None, Run]:
    run = run_measured([sys.executable, "-c", _PROBE, str(path)])
    try:
        return json.loads(run.stdout.strip().splitlines()[-1]), run
    except (IndexError, ValueError):
        return None, run


# --------------------------------------------------------------------------------------------
# the base: the valid workbook really is valid, so every finding below is the mutation's
# --------------------------------------------------------------------------------------------


def test_the_valid_workbook_reads_back_its_numbers_and_checks_clean(corpus):
    result = check_file(corpus / "有效.xlsx")
    assert result.readable, result.error
    assert [f for f in result.findings if f.severity == "error"] == []
    data = result.report.to_dict()
    assert data["categories"] == CATEGORY_NUMBERS
    assert data["applications"]["new"]["natural_person"] == 3
    assert data["applications"]["carried_forward"]["natural_person"] == 1


# --------------------------------------------------------------------------------------------
# each light case: library outcome, then the command line as a clerk meets it
# --------------------------------------------------------------------------------------------


def assert_clerk_message(message: str, path: Path) -> None:
    assert has_chinese(message), message
    assert path.name in message, f"the message should name the file: {message}"
    assert "Traceback" not in message


def assert_library_outcome(case: Case, path: Path, valid: dict) -> None:
    expected_error = {
        "unreadable": UnreadableWorkbook,
        "unsupported": UnsupportedFormat,
        "encrypted": EncryptedWorkbook,
        "limit": LimitExceeded,
    }.get(case.expect)
    if expected_error is not None:
        with pytest.raises(expected_error) as caught:
            read(path)
        assert_clerk_message(caught.value.message, path)
        if case.expect == "encrypted":
            # what to do: remove the password ("另存为不带密码的文件")
            assert "密码" in caught.value.message
        result = check_file(path)
        assert not result.readable
        assert result.error_code in UNREADABLE_CODES, result.error
        assert has_chinese(result.error)
        return
    if case.expect == "html":
        try:
            report = read(path)
        except UnsupportedFormat as err:  # "read it if you can, else say what it is"
            assert "HTML" in err.message or "网页" in err.message, err.message
        else:
            assert report.to_dict()["categories"] == CATEGORY_NUMBERS
        return
    report = read(path)
    if case.expect == "readable":
        if case.same_as == "seed":
            assert report.to_dict() == read(hostile.SEED_XLS).to_dict()
        else:
            assert report.to_dict() == valid
        assert check_file(path).readable
        return
    assert case.expect == "invalid"
    result = check_file(path)
    assert result.readable, result.error
    errors = [f for f in result.findings if f.severity == "error"]
    for form_path in case.paths:
        cell = hostile.cell_of(form_path)
        assert any(cell in f.cells for f in errors), f"no error at {cell}: {[f.to_dict() for f in result.findings]}"
    for finding in result.findings:
        assert has_chinese(finding.message)
        # 1e308 is shown as a number a clerk can read, not as 309 digits
        assert not re.search(r"\d{25}", finding.message), finding.message
    strict_json(json.dumps(result.to_dict(), ensure_ascii=False))
    strict_json(json.dumps(report.to_dict(), ensure_ascii=False))


@pytest.mark.parametrize("name", LIGHT)
def test_library_refuses_or_reads_each_case_with_its_own_error(corpus, valid_report, name):
    assert_library_outcome(CASE_BY_NAME[name], corpus / name, valid_report)


EXIT_READ = {"unreadable": 3, "unsupported": 3, "encrypted": 3, "limit": 3, "readable": 0, "invalid": 0}
EXIT_CHECK = {"unreadable": 3, "unsupported": 3, "encrypted": 3, "limit": 3, "invalid": 1}


@pytest.mark.parametrize("name", LIGHT)
def test_command_line_exit_code_and_chinese_message(corpus, name):
    case, path = CASE_BY_NAME[name], corpus / name
    for command, expected in (("read", EXIT_READ), ("check", EXIT_CHECK)):
        result = runner.invoke(app, [command, str(path), "--json"])
        assert "Traceback" not in result.stdout + result.stderr
        if case.expect == "html":
            assert result.exit_code in (0, 3), result.stderr
            continue
        if case.expect == "readable" and command == "check":
            assert result.exit_code in (0, 1), result.stderr  # the seed itself adds up wrong (58 vs 54)
            continue
        assert result.exit_code == expected[case.expect], (command, result.stdout, result.stderr)
        if result.exit_code == 3 and command == "read":
            assert result.stderr.startswith("错误："), result.stderr
            assert has_chinese(result.stderr)
            assert name in result.stderr
        if result.exit_code in (0, 1):
            strict_json(result.stdout)  # --json is JSON every program can parse: no Infinity, no NaN


def test_debug_shows_the_traceback_and_only_then(corpus):
    plain = runner.invoke(app, ["read", str(corpus / "empty.xlsx")])
    assert plain.exit_code == 3 and plain.exception is not None and "Traceback" not in plain.stderr
    debug = runner.invoke(app, ["--debug", "read", str(corpus / "empty.xlsx")])
    # the traceback of the UnreadableWorkbook, then the one line; the exit code stays 3 (issue #19)
    assert debug.exit_code == 3 and "Traceback" in debug.stderr and UnreadableWorkbook.__name__ in debug.stderr


def test_macros_are_not_run_and_external_links_not_followed(corpus, valid_report):
    report = read(corpus / "macro.xlsm")
    assert report.to_dict() == valid_report
    # the cached value of the external workbook (999) appears nowhere
    assert "999" not in json.dumps(report.to_dict())


# --------------------------------------------------------------------------------------------
# heavy cases: in a child process, with its memory measured
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", HEAVY)
def test_heavy_case_is_refused_or_read_in_bounded_memory(corpus, valid_report, name):
    case, path = CASE_BY_NAME[name], corpus / name
    outcome, run = probe(path)
    assert run.returncode == 0 and outcome is not None, f"the reader died (exit {run.returncode}): {run.stderr[:800]}"
    assert run.max_rss < MEMORY_LIMIT, f"{run.max_rss / 2**20:.0f} MB"
    got = outcome["read"]
    assert "CRASH" not in got.get("classes", []), got["message"]
    if case.expect == "limit":
        assert not got["ok"] and "LimitExceeded" in got["classes"], got
    elif case.expect == "unreadable":
        assert not got["ok"] and "UnreadableWorkbook" in got["classes"], got
    elif case.expect == "readable":
        assert got["ok"], got
        assert got["categories"] == valid_report["categories"]
        assert got["applications"] == valid_report["applications"]
    elif case.expect == "large":  # the form's numbers, or refused by a fixed limit
        if got["ok"]:
            assert got["categories"] == valid_report["categories"]
            assert got["applications"] == valid_report["applications"]
        else:
            assert "LimitExceeded" in got["classes"], got
    if not got["ok"]:
        assert has_chinese(got["message"]) and name in got["message"], got["message"]
        assert outcome["check"]["error_code"] in UNREADABLE_CODES, outcome["check"]
    # the external entity of xxe.xlsx never brings /etc/passwd into what was read
    assert "root:" not in json.dumps(outcome, ensure_ascii=False)

    run = cli("read", str(path))
    assert run.max_rss < MEMORY_LIMIT, f"{run.max_rss / 2**20:.0f} MB"
    assert "Traceback" not in run.stderr + run.stdout
    assert run.returncode == (0 if got["ok"] else 3), (run.returncode, run.stderr[:800])
    if run.returncode == 3:
        assert run.stderr.startswith("错误：") and has_chinese(run.stderr), run.stderr


# --------------------------------------------------------------------------------------------
# batches: one bad file never stops the others; inputs are never modified
# --------------------------------------------------------------------------------------------


def test_check_of_the_whole_corpus_reports_every_file_and_modifies_none(corpus):
    before = snapshot(corpus)
    run = cli("check", str(corpus), "--json")
    assert run.returncode == 3, f"exit {run.returncode}: {run.stderr[:800]}"
    assert run.max_rss < MEMORY_LIMIT, f"{run.max_rss / 2**20:.0f} MB"
    assert "Traceback" not in run.stderr
    result = strict_json(run.stdout)
    by_name = {Path(f["file"]).name: f for f in result["files"]}
    assert set(by_name) == {case.name for case in CASES}
    for case in CASES:
        entry = by_name[case.name]
        if case.expect in ("unreadable", "unsupported", "encrypted", "limit"):
            [finding] = entry["findings"]  # one shape: a finding with the error's code and message
            assert finding["rule"] in UNREADABLE_CODES and finding["severity"] == "error", entry
            assert has_chinese(finding["message"])
        elif case.expect == "invalid":
            assert entry["valid"] is False and "error" not in entry, entry
        elif case.expect == "readable" and case.same_as == "valid":
            assert entry["valid"] is True, entry
    assert snapshot(corpus) == before


def test_merge_of_a_folder_with_broken_files_sums_the_good_ones(corpus, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for case in CASES:
        if case.expect != "readable" and case.expect != "invalid":
            shutil.copy2(corpus / case.name, inbox / case.name)
    (inbox / "西平镇.xlsx").write_bytes(hostile.valid_workbook())
    other = hostile.valid_data()
    other["unit"]["name"] = "微山县韩庄镇人民政府"
    other["categories"] = {"notices": 10, "budget": 2, "final_accounts": 2, "functions": 3, "work_updates": 70, "other": 1, "total": 88}
    from xlsreport.writing.workbook import write_template

    write_template(inbox / "韩庄镇.xlsx", other)
    before = snapshot(inbox)
    out = tmp_path / "out" / "微山县汇总.xlsx"
    out.parent.mkdir()
    run = cli("merge", str(inbox), "--out", str(out), "--unit", "微山县", "--year", "2024", "--json")
    assert "Traceback" not in run.stderr, run.stderr
    assert run.max_rss < MEMORY_LIMIT, f"{run.max_rss / 2**20:.0f} MB"
    # the merged workbook was written, and the unreadable inputs make the exit code 3 as in check
    assert out.exists(), run.stderr[:800]
    assert run.returncode == 3, (run.returncode, run.stderr[:800])
    result = strict_json(run.stdout)
    expected = {key: CATEGORY_NUMBERS[key] + other["categories"][key] for key in CATEGORY_NUMBERS}
    assert result["merged"]["categories"] == expected
    assert read(out).to_dict()["categories"] == expected
    unreadable = {Path(entry["file"]).name for entry in result["unreadable"]}
    assert {"empty.xlsx", "encrypted.xlsx", "bomb-genuine.xlsx", "report.docx.xlsx"} <= unreadable
    assert snapshot(inbox) == before


# --------------------------------------------------------------------------------------------
# file names: spaces, Chinese, a leading dash
# --------------------------------------------------------------------------------------------


@pytest.fixture
def named_files(tmp_path, monkeypatch):
    (tmp_path / "-x.xlsx").write_bytes(hostile.valid_workbook())
    other = hostile.valid_data()
    other["unit"]["name"] = "微山县 韩庄镇人民政府"
    from xlsreport.writing.workbook import write_template

    write_template(tmp_path / "2024年 韩庄镇 年报.xlsx", other)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_leading_dash_file_is_read_after_double_dash_or_as_dot_slash(named_files):
    before = snapshot(named_files)
    for args in (["check", "--", "-x.xlsx"], ["check", "./-x.xlsx"], ["read", "--json", "--", "-x.xlsx"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
    # without "--" it is an unknown option: a usage error (2), not a traceback
    result = runner.invoke(app, ["check", "-x.xlsx"])
    assert result.exit_code == 2 and "Traceback" not in result.stdout + result.stderr
    assert snapshot(named_files) == before


def test_names_with_spaces_and_chinese_read_check_and_merge(named_files):
    name = "2024年 韩庄镇 年报.xlsx"
    result = runner.invoke(app, ["read", name, "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == read(named_files / name).to_dict()
    assert runner.invoke(app, ["check", name]).exit_code == 0
    result = runner.invoke(app, ["merge", "--out", "汇总 结果.xlsx", "--unit", "微山县", "--year", "2024", "--json", "--", "-x.xlsx", name])
    assert result.exit_code == 0, result.stderr
    assert read(named_files / "汇总 结果.xlsx").to_dict()["categories"]["total"] == 2 * CATEGORY_NUMBERS["total"]


# --------------------------------------------------------------------------------------------
# outputs: never over an input, never half-written into a read-only folder
# --------------------------------------------------------------------------------------------


@pytest.fixture
def one_input(tmp_path, monkeypatch):
    path = tmp_path / "西平镇.xlsx"
    path.write_bytes(hostile.valid_workbook())
    monkeypatch.chdir(tmp_path)
    return path


@pytest.mark.parametrize("spelling", ["same", "dot-slash", "absolute", "hardlink", "symlink"])
@pytest.mark.parametrize("force", [False, True])
def test_merge_refuses_an_output_that_is_an_input(one_input, spelling, force):
    out = {
        "same": "西平镇.xlsx",
        "dot-slash": "./西平镇.xlsx",
        "absolute": str(one_input),
    }.get(spelling)
    if spelling == "hardlink":
        os.link(one_input, one_input.parent / "link.xlsx")
        out = "link.xlsx"
    if spelling == "symlink":
        os.symlink(one_input, one_input.parent / "link.xlsx")
        out = "link.xlsx"
    before = snapshot(one_input.parent)
    args = ["merge", "西平镇.xlsx", "--out", out, "--unit", "微山县", "--year", "2024"] + (["--force"] if force else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("错误：") and "输出" in result.stderr
    assert snapshot(one_input.parent) == before
    with pytest.raises(OutputIsInput):
        from xlsreport.merger import merge

        merge([one_input], one_input.parent / out, unit="微山县", year=2024, force=True)
    assert snapshot(one_input.parent) == before


def test_annotate_refuses_to_write_over_its_input(one_input):
    before = snapshot(one_input.parent)
    for force in ([], ["--force"]):
        result = runner.invoke(app, ["check", "西平镇.xlsx", "--annotate", "./西平镇.xlsx", *force])
        assert result.exit_code == 2, (result.stdout, result.stderr)
        assert result.stderr.startswith("错误：") and has_chinese(result.stderr)
    assert snapshot(one_input.parent) == before


def test_template_refuses_to_write_over_an_existing_workbook(one_input):
    before = snapshot(one_input.parent)
    result = runner.invoke(app, ["template", "西平镇.xlsx"])
    assert result.exit_code == 2 and "--force" in result.stderr
    assert snapshot(one_input.parent) == before


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nobody may write into — root included (an immutable folder when we are root)."""
    folder = tmp_path / "只读"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)
    try:
        with pytest.raises(OSError):
            (folder / "probe").write_bytes(b"")
        yield folder
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
        folder.chmod(0o755)


@pytest.mark.parametrize("command", ["merge", "template", "annotate"])
def test_a_read_only_output_folder_is_a_chinese_usage_error(one_input, read_only_folder, command):
    out = str(read_only_folder / "结果.xlsx")
    args = {
        "merge": ["merge", "西平镇.xlsx", "--out", out, "--unit", "微山县", "--year", "2024"],
        "template": ["template", out],
        "annotate": ["check", "西平镇.xlsx", "--annotate", out],
    }[command]
    before = snapshot(one_input.parent)
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith("错误：") and has_chinese(result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert list(read_only_folder.iterdir()) == []
    assert snapshot(one_input.parent) == before


def test_a_dtd_is_refused_where_a_parser_reads_and_only_there():
    """A DTD is refused in every part that is parsed — shared strings, styles, the workbook part and
    each worksheet that is read — and ignored in parts nothing parses (the theme, the chart, the
    document properties, the 填报说明 sheet the reader skips): they cannot change a value read, and
    not inflating them is a third of the cost of looking (issue #10)."""
    valid = hostile.valid_workbook()
    parts = hostile.members(valid)
    expected = {path: value.value for path, value in read_bytes_named(valid).values.items()}

    def with_dtd_in(member: str) -> bytes:
        changed = dict(parts)
        xml = changed[member].decode("utf-8")
        at = xml.index("?>") + 2 if xml.startswith("<?xml") else 0
        changed[member] = (xml[:at] + hostile.XXE_DTD + xml[at:]).encode("utf-8")
        return hostile.rezip(changed)

    instructions = hostile.sheet_member(parts, "填报说明")
    for member in ("xl/theme/theme1.xml", "xl/charts/chart1.xml", "docProps/core.xml", instructions):
        report = read_bytes_named(with_dtd_in(member))
        assert {path: value.value for path, value in report.values.items()} == expected, member
    for member in ("xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml", hostile.sheet_member(parts, "依申请公开")):
        with pytest.raises(UnreadableWorkbook, match="DTD"):
            read_bytes_named(with_dtd_in(member))


def read_bytes_named(data: bytes):
    from xlsreport.reading.report import read_bytes

    return read_bytes(data, "dtd.xlsx")


def test_control_characters_from_a_submitted_file_never_reach_the_terminal(tmp_path):
    """A unit name carrying ESC [2J (clear the screen) and ESC ]0;…BEL (retitle the window): read
    without them, and no finding, table or line printed for it holds a control character."""
    from xlsreport.writing.workbook import write_template

    data = hostile.valid_data()
    data["unit"]["name"] = "微山县高楼乡\x1b[2J\x1b]0;pwned\x07人民政府"
    data["applications"]["new"]["natural_person"] += 1  # an error to print
    path = tmp_path / "escape.xlsx"
    write_template(path, data)
    assert read(path).unit == "微山县高楼乡[2J]0;pwned人民政府"
    runner = CliRunner()
    for args in (["check", str(path)], ["summary", str(path)], ["check", str(path), "--json"]):
        output = runner.invoke(app, args).stdout
        assert "高楼乡" in output and not any(ch in output for ch in "\x1b\x07\x9b"), args


def test_a_year_outside_the_forms_years_is_no_year_to_sum_or_publish(tmp_path):
    # 99999 in 报告年度: said with its cell and the years the form takes; render refuses it
    from xlsreport.writing.workbook import write_template

    data = hostile.valid_data()
    path = tmp_path / "year.xlsx"
    write_template(path, data)
    import openpyxl

    book = openpyxl.load_workbook(path)
    cell = hostile.input_cells()[("unit", "year")]
    sheet, address = cell.split("!")
    book[sheet][address] = 99999
    book.save(path)
    result = check_file(path)
    assert result.year is None
    (finding,) = [f for f in result.findings if f.rule == "UNIT.YEAR_MISSING"]
    assert "读到“99999”，不在 2008—2100 年之间" in finding.message and finding.cells == (cell,)
    rendered = CliRunner().invoke(app, ["render", str(path), "-o", str(tmp_path / "报告.html")])
    assert rendered.exit_code == 1 and not (tmp_path / "报告.html").exists()
