"""The command line as a clerk meets it: help, exit codes, Chinese messages, JSON = library."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xlsreport.cli import app

runner = CliRunner()
COMMANDS = ["template", "read", "check", "merge", "summary"]
ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEED_CATEGORIES = Path(__file__).resolve().parent / "data" / "000_025603475ffff513-attachment-categories.xls"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_chinese_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert any("\u4e00" <= ch <= "\u9fff" for ch in result.stdout), result.stdout


@pytest.mark.parametrize(("command", "codes"), [("check", "0 通过，1 有错误，2 用法错误，3 有文件无法读取"),
                                               ("summary", "用法错误时 2"), ("render", "2 用法错误")])
def test_command_help_names_its_exit_codes_with_usage_errors(command, codes):
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "300"})
    # help is wrapped to 80 columns, between any two Chinese characters: compared without the breaks
    assert "".join(codes.split()) in "".join(result.stdout.split())


def test_top_level_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.stdout


@pytest.mark.parametrize(
    "command",
    [["read"], ["check"], ["summary"], ["merge", "--unit", "某县", "--year", "2024", "-o", "out.xlsx"], ["check", "--previous"]],
)
def test_missing_input_is_one_chinese_message_and_exit_2_for_every_command(tmp_path, command):
    # A missing input is a usage error (as a mistyped option), the same for every command.
    args = command + [str(tmp_path / "不存在.xlsx")]
    if command[-1] == "--previous":
        args.append(str(SEED_CATEGORIES))
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.startswith("错误：找不到输入文件或文件夹 ") and "不存在.xlsx" in result.stderr


def test_template_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "模板.xlsx"
    out.write_bytes(b"precious")
    result = runner.invoke(app, ["template", str(out)])
    assert result.exit_code == 2
    assert "--force" in result.stderr
    assert out.read_bytes() == b"precious"
    result = runner.invoke(app, ["template", str(out), "--force"])
    assert result.exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


@pytest.mark.parametrize(
    "command",
    [["template"], ["import", str(SAMPLES / "seed" / "西平镇-2024-年度报告.txt"), "-o"]],
)
@pytest.mark.parametrize("name", ["年报.docx", "年报.pdf", "年报"])
def test_a_workbook_named_other_than_xlsx_is_refused_before_anything_is_written(tmp_path, command, name):
    # an xlsx saved as 年报.docx opens in neither Word nor Excel: the clerk is told at once
    out = tmp_path / name
    result = runner.invoke(app, command + [str(out)])
    assert result.exit_code == 2
    assert result.stderr == f"错误：输出文件名 {name} 应以 .xlsx 结尾：生成的文件是 Excel 工作簿，换用别的扩展名，打开时会认错格式。\n"
    assert list(tmp_path.iterdir()) == []


def test_a_workbook_suffix_in_capitals_is_accepted(tmp_path):
    result = runner.invoke(app, ["template", str(tmp_path / "年报.XLSX")])
    assert result.exit_code == 0 and (tmp_path / "年报.XLSX").read_bytes()[:2] == b"PK"


def test_template_from_bad_json_is_a_usage_error(tmp_path):
    bad = tmp_path / "data.json"
    bad.write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["template", str(tmp_path / "x.xlsx"), "--from", str(bad)])
    assert result.exit_code == 2
    assert "JSON" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_template_from_data_with_a_wrong_total_says_so_and_writes_the_sum(tmp_path):
    # the seed's categories: 5+1+1+1+38+8 = 54, while its 合计 says 58 (FORM.md)
    data = {"unit": {"name": "微山县西平镇人民政府", "year": 2024},
            "categories": {"notices": 5, "budget": 1, "final_accounts": 1, "functions": 1, "work_updates": 38,
                           "other": 8, "total": 58},
            "applications": {"new": {"natural_person": 3, "total": 3}}}
    source = tmp_path / "西平镇.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "西平镇.xlsx"
    result = runner.invoke(app, ["template", str(out), "--from", str(source)])
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if line.startswith("警告：")]
    assert warnings == [
        f"警告：{source} 中的合计与各项之和不符 — 主动公开分类「合计」（categories.total）：数据中为 58，但各项之和为 54；"
        "工作簿中的合计是公式，按各项之和 54 计。"
    ]  # table 三's 3 = 3 agrees: nothing said about it
    from xlsreport import read

    assert read(out).to_dict()["categories"]["total"] == 54


def test_template_from_a_file_that_is_not_utf8_text_is_said_in_chinese(tmp_path):
    page = tmp_path / "报告.html"
    page.write_bytes("<html>西平镇</html>".encode("gb18030"))
    result = runner.invoke(app, ["template", str(tmp_path / "x.xlsx"), "--from", str(page)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"错误：数据文件 {page} 不是 UTF-8 编码的文本（第 7 个字节起无法解码）：它应是 UTF-8 编码的 JSON 文件"
        "（与 xlsreport read --json 的输出相同）。\n"
    )


def test_an_output_folder_that_is_a_file_is_said_in_chinese(tmp_path):
    (tmp_path / "报表").write_text("一个文件，不是文件夹", encoding="utf-8")
    result = runner.invoke(app, ["template", str(tmp_path / "报表" / "模板.xlsx")])
    assert result.exit_code == 2
    assert "（路径中有一段不是文件夹）" in result.stderr and "Not a directory" not in result.stderr


@pytest.mark.parametrize(
    ("number", "said"),
    [("ENOENT", "文件或文件夹不存在"), ("ENOTDIR", "路径中有一段不是文件夹"), ("EACCES", "没有权限"),
     ("EISDIR", "这是一个文件夹"), ("ENOSPC", "磁盘空间已满")],
)
def test_the_common_system_reasons_are_said_in_chinese(number, said):
    import errno
    import os

    from xlsreport.errors import os_reason

    code = getattr(errno, number)
    assert os_reason(OSError(code, os.strerror(code))) == said


def test_read_json_equals_library_result(tmp_path):
    from xlsreport import read

    sample = next((SAMPLES / "inbox").glob("*西平镇*"))
    result = runner.invoke(app, ["read", str(sample), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == read(sample).to_dict()


def test_check_json_equals_library_result_and_exit_code_reflects_errors():
    from xlsreport import check

    inbox = SAMPLES / "inbox"
    result = runner.invoke(app, ["check", str(inbox), "--json"])
    library = check([inbox]).to_dict()
    assert json.loads(result.stdout) == library
    # the samples hold one unit with a deliberate mistake
    assert library["valid"] is False
    assert result.exit_code == 1


def test_check_view_ends_with_a_verdict_and_names_the_failing_cell():
    result = runner.invoke(app, ["check", str(SAMPLES / "inbox")])
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert "校验未通过" in lines[-1]
    assert "高楼乡" in result.stdout
    assert "依申请公开!" in result.stdout


def test_summary_json_and_table_agree_with_the_library():
    from xlsreport import summarize

    inbox, roster = SAMPLES / "inbox", SAMPLES / "roster.txt"
    library = summarize([str(inbox)], roster=str(roster)).to_dict()
    result = runner.invoke(app, ["summary", str(inbox), "--roster", str(roster), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == library
    # the roster names two units that sent nothing; the terminal says so, and shows every unit
    assert sorted(library["missing"]) == sorted(["微山县赵庙镇人民政府", "微山县教育和体育局"])
    table = runner.invoke(app, ["summary", str(inbox), "--roster", str(roster)]).stdout
    for unit in library["units"]:
        assert unit["unit"] in table
    for name in library["missing"]:
        assert name in table
    totals_line = next(line for line in table.splitlines() if "合计（" in line)
    assert str(library["totals"]["proactive_total"]) in totals_line
    assert str(library["totals"]["new_applications"]) in totals_line


def test_merge_writes_the_county_workbook_and_exit_1_when_a_unit_is_left_out(tmp_path):
    from xlsreport import read

    out = tmp_path / "县汇总.xlsx"
    args = ["merge", str(SAMPLES / "inbox"), "-o", str(out), "--unit", "微山县", "--year", "2024", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1  # 高楼乡 has an error and is left out
    payload = json.loads(result.stdout)
    left_out = [u["unit"] for u in payload["units"] if u["status"] != "merged"]
    assert left_out == ["微山县高楼乡人民政府"]
    merged = read(out).to_dict()
    assert merged["unit"]["name"] == "微山县"
    assert merged["applications"]["new"]["total"] == payload["totals"]["new_applications"]
    again = runner.invoke(app, args)
    assert again.exit_code == 2 and "--force" in again.stderr


def test_check_annotate_writes_a_fresh_copy_and_leaves_the_input_alone(tmp_path):
    import hashlib

    source = SAMPLES / "inbox" / "高楼乡-2024.xlsx"
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    out = tmp_path / "退回.xlsx"
    result = runner.invoke(app, ["check", str(source), "--annotate", str(out)])
    assert result.exit_code == 1
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before
    import openpyxl

    comments = [c.comment.text for ws in openpyxl.load_workbook(out) for row in ws.iter_rows() for c in row if c.comment]
    assert any("4+0 = 4" in text and "3+0 = 3" in text for text in comments)


def test_piped_output_has_no_progress_bar_and_json_is_clean_utf8():
    result = runner.invoke(app, ["check", str(SAMPLES / "inbox"), "--json"])
    assert result.stderr == ""  # progress and notices only on a terminal
    assert "高楼乡" in result.stdout  # Chinese as characters, not \\u escapes


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["merge", "x.xlsx", "--unit", "县", "--year", "2024"], "缺少 --out / -o"),
        (["check", "--jobs", "0", "x.xlsx"], "--jobs / -j 的值无效"),
        (["check", "--bogus", "x.xlsx"], "没有选项 --bogus"),
        (["template"], "缺少 输出文件"),
        (["bogus"], "没有命令 bogus：可用的命令有 template、read、check、merge、summary、render、import、ledger。用 xlsreport --help 查看用法。"),
        (["template", "a.xlsx", "b.xlsx"], "多余的参数：b.xlsx。用 xlsreport template --help 查看用法。"),
        (["render", "a.xlsx", "-o"], "选项 -o 后面缺少它的值。"),
    ],
)
def test_usage_errors_are_one_chinese_line_and_exit_2(argv, expected, capsys):
    from xlsreport.cli import main

    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and expected in err
    assert "Usage" not in err and "Error" not in err


def test_progress_bar_shows_on_a_terminal_only():
    """stderr on a real pseudo-terminal gets the bar; the piped stdout stays pure data."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    proc = subprocess.run(
        [sys.executable, "-m", "xlsreport.cli", "check", str(SAMPLES / "inbox"), "--json"],
        stdout=subprocess.PIPE, stderr=follower, cwd=SAMPLES.parent, timeout=120,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert "校验" in terminal and "6/6" in terminal
    assert json.loads(proc.stdout)["counts"]["files"] == 6


def test_check_of_a_folder_without_workbooks_is_a_usage_error(tmp_path):
    (tmp_path / "readme.txt").write_text("nothing here", encoding="utf-8")
    result = runner.invoke(app, ["check", str(tmp_path)])
    assert result.exit_code == 2
    assert "没有" in result.stderr and str(tmp_path) in result.stderr


def test_annotated_copy_shows_the_wrong_total_the_comment_talks_about(tmp_path):
    import openpyxl

    seed = SAMPLES / "seed" / "西平镇-2024-附件-主动公开分类.xls"
    out = tmp_path / "西平镇-退回.xlsx"
    result = runner.invoke(app, ["check", str(seed), "--annotate", str(out)])
    assert result.exit_code == 1
    sheet = openpyxl.load_workbook(out)["主动公开分类"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    total = next(c for c in (sheet.cell(c.row + 1, c.column) for v, c in cells.items() if v == "合计"))
    assert total.value == 58  # the unit's own figure, not a formula giving 54
    assert total.comment is not None and "54" in total.comment.text and "58" in total.comment.text


def test_annotate_works_on_a_file_with_a_negative_count(tmp_path):
    """The files that most need annotating hold values the template itself would refuse."""
    import openpyxl
    from xlsreport.writing.workbook import layout

    where = layout()[("applications", "new", "natural_person")]
    copy = tmp_path / "负数.xlsx"
    book = openpyxl.load_workbook(SAMPLES / "inbox" / "西平镇-2024.xlsx")
    book[where.sheet][where.a1] = -3
    book.save(copy)
    out = tmp_path / "负数-退回.xlsx"
    result = runner.invoke(app, ["check", str(copy), "--annotate", str(out)])
    assert result.exit_code == 1, result.stderr
    cell = openpyxl.load_workbook(out)[where.sheet][where.a1]
    assert cell.value == -3 and cell.comment is not None and "负" in cell.comment.text


def test_previous_year_carry_over_is_checked_column_by_column(tmp_path):
    from xlsreport import write_template
    from xlsreport.data import load_data

    this_year = load_data(SAMPLES / "data" / "韩庄镇-2024.json")
    assert this_year["applications"]["carried_over"]["natural_person"] == 1  # 二、上年结转 in 2024

    def last_year(carried: int):
        last = load_data(SAMPLES / "data" / "韩庄镇-2024.json")
        last["unit"]["year"] = 2023
        last["applications"]["new"]["natural_person"] += carried  # received, and carried into 2024
        last["applications"]["carried_forward"]["natural_person"] += carried
        return write_template(tmp_path / f"韩庄镇-2023-{carried}.xlsx", last)

    current = write_template(tmp_path / "韩庄镇-2024.xlsx", this_year)
    result = runner.invoke(app, ["check", str(current), "--previous", str(last_year(2)), "--json", "--jobs", "2"])
    assert result.exit_code == 1
    (carry,) = [f for f in json.loads(result.stdout)["files"][0]["findings"] if f["rule"] == "YEAR.CARRY"]
    assert carry["severity"] == "error" and "相差 1" in carry["message"]
    consistent = runner.invoke(app, ["check", str(current), "--previous", str(last_year(1))])
    assert consistent.exit_code == 0, consistent.stdout
    assert "YEAR.CARRY" not in consistent.stdout


def test_output_cut_short_by_a_pipe_is_no_traceback():
    """`xlsreport read FILE | head -3`: the reader of the pipe leaves early; the clerk sees no traceback."""
    import subprocess
    import sys

    command = f'"{sys.executable}" -m xlsreport.cli read "{SAMPLES / "inbox" / "韩庄镇-2024.xls"}" | head -3'
    proc = subprocess.run(command, shell=True, capture_output=True, text=True, cwd=SAMPLES.parent, timeout=120)
    assert "韩庄镇" in proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr


def test_check_json_gives_each_finding_its_title_and_lists_skipped_files(tmp_path):
    folder = tmp_path / "收件箱"
    folder.mkdir()
    shutil.copy(SEED_CATEGORIES, folder / "西平镇.xls")
    (folder / "说明.txt").write_text("请于1月底前报送", encoding="utf-8")
    (folder / "公章.jpg").write_bytes(b"\xff\xd8\xff")
    result = runner.invoke(app, ["check", str(folder), "--json"])
    assert result.exit_code == 1  # the seed's 合计 58 ≠ 54
    out = json.loads(result.stdout)
    (cat,) = [f for f in out["files"][0]["findings"] if f["rule"] == "CAT.TOTAL"]
    assert cat["title"] == "主动公开分类：各类之和 = 合计"
    assert [Path(f["file"]).name for f in out["skipped"]] == ["公章.jpg", "说明.txt"]
    assert {f["rule"] for f in out["skipped"]} == {"INPUT.SKIPPED"}
    assert out["counts"]["skipped"] == 2
    # and in the terminal: named on stderr
    plain = runner.invoke(app, ["check", str(folder)])
    assert "已跳过 2 个不是报表的文件" in plain.stderr and "说明.txt" in plain.stderr and "公章.jpg" in plain.stderr


def test_summary_json_lists_skipped_files(tmp_path):
    shutil.copy(SEED_CATEGORIES, tmp_path / "西平镇.xls")
    (tmp_path / "说明.txt").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["summary", str(tmp_path), "--json"])
    assert result.exit_code == 1  # the seed's attachment fails (58 ≠ 54): nothing can be summed
    out = json.loads(result.stdout)
    assert [Path(f["file"]).name for f in out["skipped"]] == ["说明.txt"]
    assert any(f["rule"] == "INPUT.SKIPPED" for f in out["findings"])


def test_interrupt_is_130_and_a_bug_is_4_with_a_chinese_line(monkeypatch):
    import xlsreport.reading.report

    def interrupted(path):
        raise KeyboardInterrupt

    def buggy(path):
        raise RuntimeError("boom")

    monkeypatch.setattr(xlsreport.reading.report, "read", interrupted)
    result = runner.invoke(app, ["read", str(SEED_CATEGORIES)])
    assert result.exit_code == 130 and "已中断" in result.stderr
    monkeypatch.setattr(xlsreport.reading.report, "read", buggy)
    result = runner.invoke(app, ["read", str(SEED_CATEGORIES)])
    assert result.exit_code == 4 and result.stderr.startswith("内部错误（RuntimeError: boom）")
    debug = runner.invoke(app, ["--debug", "read", str(SEED_CATEGORIES)])
    # --debug: the traceback too, and still exit 4
    assert debug.exit_code == 4 and "Traceback" in debug.stderr and "RuntimeError: boom" in debug.stderr


def test_usage_errors_through_main_are_chinese_and_exit_2(capsys):
    from xlsreport.cli import main

    for argv, said in ([["check"], "缺少 输入文件"], [["check", "x.xlsx", "--nope"], "没有选项 --nope"], [["check", "x", "-j", "0"], "应为不小于 1 的整数"],
                       [["check", "x", "-j", "two"], "--jobs / -j 的值无效"],
                       [["summary", "x", "--year", "二〇二四"], "--year 的值无效（应为整数）"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
        assert said in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 0 and "template" in capsys.readouterr().out


def test_the_typer_the_cli_relies_on_is_the_declared_one():
    """pyproject declares typer >= 0.26, < 0.29: from 0.26 typer bundles its Click, whose exceptions all
    derive from the public typer.TyperException (what cli._outcome catches); 0.29 builds a pydantic
    validator for every parameter, which doubles the start of a one-file check (issue #10)."""
    import re
    import typer

    def version(text: str) -> tuple[int, ...]:
        return tuple(int(x) for x in text.split(".")[:2])

    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    ((lower, upper),) = re.findall(r'"typer>=([\d.]+),<([\d.]+)"', pyproject)
    assert version(lower) <= version(typer.__version__) < version(upper)
    assert issubclass(typer.BadParameter, typer.TyperException) and issubclass(typer.Abort, BaseException)
    assert "typer._click" not in (Path(__file__).resolve().parents[1] / "xlsreport" / "cli.py").read_text(encoding="utf-8")


def test_a_reader_that_stops_early_ends_the_program_quietly(tmp_path):
    """`xlsreport check DIR --json | head`: when the reader closes the pipe, the program stops with
    141 (as shells report a closed pipe) and says nothing, rather than reporting an internal error."""
    import subprocess

    proc = subprocess.Popen(
        [sys.executable, "-m", "xlsreport.cli", "check", str(SAMPLES / "inbox"), "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    proc.stdout.close()  # before the program has started writing: every write meets a closed pipe
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 141
    assert err == ""


def test_a_one_file_check_loads_only_the_reader_it_needs():
    """The cold start of `xlsreport check FILE --json` is what a clerk waits for on every file
    (issue #10: ≤ 0.26 s): it must not load the writers, the document readers, the terminal
    views or pydantic (typer 0.29 would, for every parameter)."""
    import subprocess

    program = (
        "import sys\n"
        "from xlsreport.cli import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('openpyxl', 'xlsxwriter', 'rich', 'pydantic', 'lxml', 'pdfplumber', 'docx', 'pandas', 'numpy')\n"
        "sys.stderr.write('LOADED ' + ' '.join(m for m in heavy if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, "check", str(SAMPLES / "inbox" / "西平镇-2024.xlsx"), "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert json.loads(done.stdout)["valid"] is True
    assert done.stderr.rsplit("LOADED", 1)[1].split() == []


def test_a_closed_pipe_loses_only_output_never_a_file_asked_for(tmp_path):
    """`check FILE --annotate OUT | head -1`: the annotated copy is written before anything is
    printed, and a terminal view whose reader went away ends with 141 like the JSON does."""
    import subprocess

    out = tmp_path / "标注.xlsx"
    proc = subprocess.Popen(
        [sys.executable, "-m", "xlsreport.cli", "check", str(SAMPLES / "inbox" / "高楼乡-2024.xlsx"), "--annotate", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8")
    assert proc.wait(timeout=120) == 141
    assert out.exists() and "内部错误" not in err and "Traceback" not in err


def test_output_names_are_refused_before_any_file_is_read(tmp_path):
    # the wrong extension is said at once, not after the whole check has been printed
    checked = runner.invoke(app, ["check", str(SAMPLES / "inbox" / "高楼乡-2024.xlsx"), "--annotate", str(tmp_path / "a.docx")])
    assert checked.exit_code == 2 and "应以 .xlsx 结尾" in checked.stderr and checked.stdout == ""
    merged = runner.invoke(app, ["merge", str(SAMPLES / "inbox"), "-o", str(tmp_path / "m.txt"), "--unit", "微山县", "--year", "2024"])
    assert merged.exit_code == 2 and "应以 .xlsx 结尾" in merged.stderr and not (tmp_path / "m.txt").exists()
    missing = runner.invoke(app, ["merge", str(SAMPLES / "inbox"), "-o", str(tmp_path / "无此文件夹" / "m.xlsx"), "--unit", "微山县", "--year", "2024"])
    assert missing.exit_code == 2 and "无法在" in missing.stderr
