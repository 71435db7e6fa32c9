"""The desk a clerk sits at (issue #19, items 12–15, 17–24): exit codes that mean one thing with or
without --debug, decisions said in the README, one stream for data and one for talk with the
verdict last, return notices that say who sends them and by when, Chinese help and messages that
fit the screen without cutting a number in two, GBK output, files held open by Excel."""

from __future__ import annotations

import datetime
import errno
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xlsreport.cli import app, main

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
INBOX = ROOT / "samples" / "inbox"
CLEAN = INBOX / "人力资源和社会保障局-2024.xlsx"  # 0 errors, 0 warnings
FAILING = INBOX / "高楼乡-2024.xlsx"  # 1 error: 自然人 column 4 ≠ 3
SEED_CATEGORIES = Path(__file__).resolve().parent / "data" / "000_025603475ffff513-attachment-categories.xls"
COMMANDS = ["template", "read", "check", "merge", "summary", "render", "import"]
LOCKED = "文件正被其他程序打开，请关闭后重试"


def cells(text: str) -> int:
    """Columns a line takes on a terminal (a Chinese character two), measured here, not by the code under test."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def run_main(capsys, *argv: str) -> tuple[int, str, str]:
    """The program as installed (``xlsreport.cli:main``): exit code, stdout, stderr."""
    with pytest.raises(SystemExit) as done:
        main(list(argv))
    out = capsys.readouterr()
    return int(done.value.code), out.out, out.err


def garbage(tmp_path: Path) -> Path:
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"this is no workbook at all")
    return path


def last_line(text: str) -> str:
    return [line for line in text.splitlines() if line.strip()][-1]


# --- 12: --debug changes words, never exit codes, and is taken anywhere ----------------------


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_keeps_usage_and_unreadable_exit_codes_wherever_it_stands(capsys, tmp_path, where):
    def argv(*args: str) -> list[str]:
        return ["--debug", *args] if where == "before" else [*args, "--debug"]

    code, _, err = run_main(capsys, *argv("check", str(tmp_path / "没有这个文件.xlsx")))
    assert code == 2 and "Traceback" in err and "错误：找不到输入文件或文件夹" in err
    code, _, err = run_main(capsys, *argv("read", str(garbage(tmp_path))))
    assert code == 3 and "Traceback" in err and err.rstrip().splitlines()[-1].startswith("错误：")
    code, _, err = run_main(capsys, *argv("check", str(CLEAN)))
    assert code == 0 and "没有选项" not in err
    code, out, _ = run_main(capsys, "--debug")  # alone, as `xlsreport` alone: the help
    assert code == 0 and out.startswith("用法：")


# --- 13: decisions, each documented ----------------------------------------------------------


@pytest.mark.parametrize("command", ["read", "render"])
def test_a_folder_given_to_a_one_file_command_is_a_usage_error(tmp_path, command):
    args = [command, str(INBOX)] + (["-o", str(tmp_path / "r.docx")] if command == "render" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "是一个文件夹" in result.stderr and "check" in result.stderr


def test_merge_that_sums_failing_units_exits_1_and_says_so(tmp_path):
    out = tmp_path / "县.xlsx"
    result = runner.invoke(app, ["merge", str(INBOX), "-o", str(out), "--unit", "微山县", "--year", "2024", "--include-failing"])
    assert out.exists()  # written, as asked
    assert result.exit_code == 1  # but the county total holds 高楼乡's numbers that do not add up
    assert "按 --include-failing 计入了合计" in result.stdout.replace("\n", "")


def test_summary_with_nothing_of_the_year_to_sum_exits_1(tmp_path):
    result = runner.invoke(app, ["summary", str(INBOX), "--year", "2023"])
    assert result.exit_code == 1
    assert "0 个可以汇总" in result.stdout.replace("\n", "")
    assert runner.invoke(app, ["summary", str(INBOX), "--year", "2024"]).exit_code == 0


def test_the_readme_exit_code_table_says_the_decisions():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = {int(m.group(1)): m.group(2) for m in re.finditer(r"^\| (\d+) \| (.*) \|$", readme, flags=re.M)}
    assert "--include-failing" in table[1] and "summary" in table[1]
    assert "read" in table[2] and "文件夹" in table[2] and "--due" in table[2] and LOCKED in table[2]
    assert "--debug" in readme[readme.index("| 退出码 |") - 400:readme.index("| 退出码 |")]


# --- 14: --force overwrites; publishing a failing report is its own decision -----------------


def test_render_force_only_overwrites_and_publish_with_errors_publishes(tmp_path):
    out = tmp_path / "报告.docx"
    out.write_bytes(b"old")
    assert runner.invoke(app, ["render", str(FAILING), "-o", str(out), "--force"]).exit_code == 1
    assert out.read_bytes() == b"old"  # --force did not publish a report with errors
    result = runner.invoke(app, ["render", str(FAILING), "-o", str(out), "--force", "--publish-with-errors"])
    assert result.exit_code == 0 and out.read_bytes() != b"old"
    assert "--publish-with-errors" in result.stdout
    fresh = tmp_path / "新.docx"
    assert runner.invoke(app, ["render", str(FAILING), "-o", str(fresh), "--publish-with-errors"]).exit_code == 0
    assert runner.invoke(app, ["render", str(CLEAN), "-o", str(fresh), "--force"]).exit_code == 0  # overwrite


# --- 15: no annotated copy of a file with nothing to annotate --------------------------------


def test_annotate_on_a_clean_file_writes_nothing_and_says_so(tmp_path):
    out = tmp_path / "标注.xlsx"
    result = runner.invoke(app, ["check", str(CLEAN), "--annotate", str(out)])
    assert result.exit_code == 0
    assert not out.exists() and not list(tmp_path.iterdir())
    assert "未发现问题" in result.stderr and "未生成标注副本" in result.stderr
    failing = runner.invoke(app, ["check", str(FAILING), "--annotate", str(out)])
    assert failing.exit_code == 1 and out.exists() and "已生成标注副本" in failing.stderr


# --- 17: data on stdout, talk on stderr, the verdict last ------------------------------------


def test_template_says_what_it_wrote_on_stdout_like_render_import_and_merge(tmp_path):
    result = runner.invoke(app, ["template", str(tmp_path / "t.xlsx")])
    assert result.exit_code == 0 and "已生成" in result.stdout and "已生成" not in result.stderr


def test_the_verdict_is_the_last_line_after_skipped_files_and_written_folders(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for name in ("西平镇-2024.xlsx", "高楼乡-2024.xlsx"):
        shutil.copy(INBOX / name, inbox / name)
    (inbox / "说明.txt").write_text("请于1月底前报送", encoding="utf-8")
    result = runner.invoke(app, ["check", str(inbox), "--return-dir", str(tmp_path / "退回")])
    assert "已跳过 1 个不是报表的文件" in result.stderr and "已生成退回文件夹" in result.stderr
    assert last_line(result.output).startswith("校验未通过。")
    summary = runner.invoke(app, ["summary", str(inbox)])
    assert last_line(summary.output).startswith("共 2 个文件")
    merged = runner.invoke(app, ["merge", str(inbox), "-o", str(tmp_path / "县.xlsx"), "--unit", "微山县", "--year", "2024"])
    assert last_line(merged.output).startswith("已写出")
    annotated = runner.invoke(app, ["check", str(FAILING), "--annotate", str(tmp_path / "a.xlsx")])
    assert "已生成标注副本" in annotated.stderr and last_line(annotated.output).startswith("校验未通过。")


# --- 18: return notices: a sender, a due date that makes sense, no option silently ignored ---


def test_check_return_notice_is_signed_by_unit(tmp_path):
    due = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    result = runner.invoke(app, ["check", str(FAILING), "--return-dir", str(tmp_path / "退回"), "--unit", "微山县人民政府办公室", "--due", due])
    assert result.exit_code == 1 and "早于今天" not in result.stderr
    (notice,) = (tmp_path / "退回").glob("*/退回通知.txt")
    text = notice.read_text(encoding="utf-8-sig")
    assert "微山县人民政府办公室" in text.splitlines()[-2]  # the letter's signature, above its date


def test_a_due_date_in_the_past_is_said(tmp_path):
    result = runner.invoke(app, ["check", str(FAILING), "--return-dir", str(tmp_path / "退回"), "--due", "2020-03-31"])
    assert result.exit_code == 1
    assert "--due 2020-03-31 早于今天" in result.stderr


@pytest.mark.parametrize(
    "args",
    [["check", str(FAILING), "--due", "2099-03-31"], ["check", str(FAILING), "--unit", "微山县"],
     ["merge", str(INBOX), "-o", "OUT", "--unit", "微山县", "--year", "2024", "--due", "2099-03-31"]],
)
def test_return_options_without_return_dir_are_a_usage_error(tmp_path, args):
    out = tmp_path / "x.xlsx"
    result = runner.invoke(app, [str(out) if a == "OUT" else a for a in args])
    assert result.exit_code == 2 and "--return-dir" in result.stderr
    assert not out.exists()


# --- 19: the template's own limits; one shape of date --------------------------------------


def test_template_unit_longer_than_the_cells_validation_is_refused(tmp_path):
    result = runner.invoke(app, ["template", str(tmp_path / "t.xlsx"), "--unit", "单" * 256])
    assert result.exit_code == 2 and "255" in result.stderr and "256" in result.stderr
    assert not (tmp_path / "t.xlsx").exists()
    assert runner.invoke(app, ["template", str(tmp_path / "t.xlsx"), "--unit", "单" * 255]).exit_code == 0


@pytest.mark.parametrize("typed", ["2025年1月24日", "2025.1.24", "2025/1/24"])
def test_read_json_gives_a_typed_date_as_iso(tmp_path, typed):
    from xlsreport.writing.workbook import write_template

    path = write_template(tmp_path / "w.xlsx", {"unit": {"name": "微山县西平镇人民政府", "year": 2024, "date": typed}})
    result = runner.invoke(app, ["read", str(path), "--json"])
    assert json.loads(result.stdout)["unit"]["date"] == "2025-01-24"


# --- 20, 21: Chinese words, Chinese help that fits ------------------------------------------


def test_a_mistyped_command_is_answered_in_chinese(capsys):
    code, _, err = run_main(capsys, "chek", "x")
    assert code == 2
    assert err.startswith("错误：没有命令 chek（是不是 check？）")
    assert "Did you mean" not in err and "'" not in err
    code, _, err = run_main(capsys, "check", str(CLEAN), "--strcit")
    assert code == 2 and err.startswith("错误：没有选项 --strcit（是不是 --strict？）")


ENGLISH = re.compile(r"Show this message|\[required\]|\[default|<path>|<str>|<int|\{|Usage|Options|Arguments|Commands|TEXT|INTEGER|PATH")


@pytest.mark.parametrize("width", [60, 80, 200])
@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_chinese_and_fits_the_screen(command, width):
    for flag in ("-h", "--help"):
        result = runner.invoke(app, [*([command] if command else []), flag], env={"COLUMNS": str(width)})
        assert result.exit_code == 0, result.output
        assert not ENGLISH.search(result.stdout), ENGLISH.search(result.stdout)
        assert result.stdout.startswith("用法：")
        widest = max(cells(line) for line in result.stdout.splitlines())
        assert widest <= min(width, 80), (widest, result.stdout)


def test_main_help_describes_every_command_and_read_render_take_published_reports():
    text = runner.invoke(app, ["-h"]).stdout
    description = text.split("命令：")[0]
    for command in COMMANDS:
        assert f"（{command}）" in description.replace("\n", "").replace(" ", "")
    for command in ("read", "render"):
        assert "已发布的报告" in "".join(runner.invoke(app, [command, "-h"]).stdout.split())


# --- 22: wrapping keeps what is read as one thing whole -------------------------------------

WHOLE = ["187", "J10", "依申请公开!D29", "〔2021〕30号", "西平镇-2024.xlsx", "1,234.5", "--return-dir"]


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_wrapping_never_splits_a_number_a_cell_a_file_or_a_document_number(width):
    from xlsreport.wrap import wrap

    for lead in range(0, 70):
        for word in WHOLE:
            text = "收" * lead + f"相差：{word}。后面还有一句话，" + "字" * 30
            lines = wrap(text, width, indent="   ", hang="  ")
            assert all(cells(line) <= width for line in lines)
            assert any(word in line for line in lines), (word, lines)
            assert not any(line.strip().startswith(("。", "，")) for line in lines), lines
            assert "".join(line.strip() for line in lines) == text
        folded = wrap("收" * lead + "一个很长的文件名" * 12 + ".xlsx。", width)  # wider than a line: folded, 。 not alone
        assert not any(line.startswith("。") for line in folded), folded


@pytest.fixture(scope="module")
def failing_inbox(tmp_path_factory) -> Path:
    """Workbooks whose totals are off by different amounts, under names of different lengths: the
    findings' numbers and cell references fall at many places of a line."""
    from xlsreport.writing.workbook import write_workbook

    folder = tmp_path_factory.mktemp("desk") / "一个相当长的收件箱文件夹名称用来挤占行宽以便文件名落在行尾附近"
    folder.mkdir()
    base = json.loads((ROOT / "samples" / "data" / "高楼乡-2024.json").read_text(encoding="utf-8"))
    for k in range(20):
        data = json.loads(json.dumps(base))
        data["categories"]["other"] += 100 + 37 * k  # the stated 合计 stays: CAT.TOTAL
        data["categories"]["work_updates"] += 9 ** (k % 5)  # numbers of 1 to 4 digits shift what follows
        data["applications"]["new"]["natural_person"] += 183 + 11 * k  # the stated 总计 stays: T3 identities
        write_workbook(folder / f"{'乡' * k}{'x' * (k % 3)}单位{k}-2024.xlsx", data, as_read=True)
    shutil.copy(SEED_CATEGORIES, folder / "西平镇附件.xls")
    return folder


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_check_on_a_screen_keeps_every_number_and_cell_whole(failing_inbox, width, monkeypatch):
    monkeypatch.chdir(failing_inbox.parent)  # the same paths, so the same lines, on every machine
    folder = failing_inbox.name
    piped = runner.invoke(app, ["check", str(folder)]).stdout
    screen = runner.invoke(app, ["check", str(folder)], env={"COLUMNS": str(width)}).stdout
    assert all(cells(line) <= width for line in screen.splitlines())
    tokens = lambda text: Counter(t for line in text.splitlines() for t in re.findall(r"[A-Za-z]*\d+", line))
    assert tokens(screen) == tokens(piped)
    assert not any(line.strip().startswith(("。", "，", "）")) for line in screen.splitlines())


# --- 23: a Chinese Windows desk: GBK output, files held open by Excel ------------------------


def _cli(args: list[str], encoding: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    env.pop("COLUMNS", None)
    return subprocess.run([sys.executable, "-m", "xlsreport.cli", *args], capture_output=True, cwd=cwd, env=env, timeout=300)


@pytest.mark.parametrize("encoding", ["gbk", "cp936"])
def test_every_command_works_with_gbk_output(tmp_path, encoding):
    inbox = tmp_path / "收件箱"
    shutil.copytree(INBOX, inbox)
    runs = {
        "check": ["check", str(inbox)],
        "summary": ["summary", str(inbox)],
        "merge": ["merge", str(inbox), "-o", str(tmp_path / "县.xlsx"), "--unit", "微山县", "--year", "2024"],
        "check --json": ["check", str(inbox), "--json"],
        "read": ["read", str(inbox / "西平镇-2024.xlsx")],
        "template": ["template", str(tmp_path / "模板.xlsx")],
        "render": ["render", str(FAILING), "-o", str(tmp_path / "报告.docx")],
        "import": ["import", str(ROOT / "samples" / "seed" / "西平镇-2024-年度报告.txt"), "-o", str(tmp_path / "导入.xlsx")],
        "help": ["check", "-h"],
    }
    for name, args in runs.items():
        proc = _cli(args, encoding, tmp_path)
        out, err = proc.stdout.decode("gbk"), proc.stderr.decode("gbk")  # strict: every byte is GBK
        assert proc.returncode in (0, 1), (name, proc.returncode, err)
        assert "内部错误" not in err and "Traceback" not in err, (name, err)
        if name in ("check", "summary", "merge"):
            for unit in ("微山县高楼乡人民政府", "微山县西平镇人民政府", "微山县夏镇街道办事处"):
                assert unit[3:] in out, (name, unit)
        if name == "check":
            assert "√" in out and "×" in out and "✓" not in out
        if name == "check --json":
            assert json.loads(out)["counts"]["files"] == 6


def _locked(*args, **kwargs):
    raise PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。", "x", 32)


def test_outputs_held_open_by_excel_are_said_in_chinese(tmp_path, monkeypatch):
    county = tmp_path / "县.xlsx"
    county.write_bytes(b"open in Excel")
    annotated = tmp_path / "标注.xlsx"
    annotated.write_bytes(b"open in WPS")
    returns = tmp_path / "退回"
    assert runner.invoke(app, ["check", str(FAILING), "--return-dir", str(returns)]).exit_code == 1
    monkeypatch.setattr(os, "replace", _locked)
    attempts = {
        "merge": ["merge", str(INBOX), "-o", str(county), "--unit", "微山县", "--year", "2024", "--force"],
        "annotate": ["check", str(FAILING), "--annotate", str(annotated), "--force"],
        "returns": ["check", str(FAILING), "--return-dir", str(returns), "--force"],
        "new return folder": ["check", str(FAILING), "--return-dir", str(tmp_path / "新退回")],
        "template": ["template", str(county), "--force"],
    }
    for name, args in attempts.items():
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (name, result.output)
        assert LOCKED in result.stderr and "内部错误" not in result.stderr, (name, result.stderr)
    assert county.read_bytes() == b"open in Excel" and annotated.read_bytes() == b"open in WPS"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


# --- 24: the README's two commands, as a new user meets them --------------------------------


def test_readme_says_how_to_run_the_installed_command_and_that_tests_install_packages():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme[: readme.index("## 命令")]
    assert ".venv/bin/xlsreport" in start and "source .venv/bin/activate" in start
    assert "sudo" in start and "apt-get" in start


def test_the_demo_checks_report_folders_not_its_own_data_files():
    demo = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
    for line in demo.splitlines():
        if line.startswith("$x check") and "samples" in line:
            folders = [arg for arg in line.split()[2:] if arg.startswith("samples")]
            assert folders and all(f.rstrip("/") not in ("samples", "samples/data") for f in folders), line


def test_a_count_and_the_severity_it_counts_stay_on_one_line():
    """At 80 columns check's file line broke "0 个警告" into "0 个警" and "告"."""
    from xlsreport.wrap import spans

    line = "✗ samples/inbox/高楼乡-2024.xlsx（微山县高楼乡人民政府 2024）：1 个错误，0 个警告"
    pieces = [line[a:b] for a, b in spans(line, 78)]
    assert pieces[-1] == "0 个警告"
    verdict = "校验未通过。共 1 个文件：0 个通过，1 个有问题，0 个无法读取；错误 1 个，警告 0 个。"
    assert not any(piece.startswith(("告", "个")) for piece in (verdict[a:b] for a, b in spans(verdict, 78, rest=2)))
