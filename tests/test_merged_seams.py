"""Where the merged branches meet (review of issues #17 and #19 on the merged code): the commands
and options added beside the desk's work (``ledger``, ``template --roster``) keep the desk's rules —
Chinese help that fits the screen, the verdict last on stdout with the talk on stderr — and the
one vocabulary (#17 item 3, #19 item 16) holds in the new code too: a warning is 警告, rule codes are
compared through rules.py, never as literals a typo would silently miss."""

from __future__ import annotations

import ast
import json
import re
import unicodedata
from pathlib import Path

import openpyxl
import pytest
import typer
from typer.testing import CliRunner

import xlsreport
from xlsreport.cli import app
from xlsreport.rules import RULES

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]
INBOX = ROOT / "samples" / "inbox"
PACKAGE = Path(xlsreport.__file__).parent
# Two units of the samples (FORM.md's seed is 西平镇); the inbox holds four more, which are then
# "last year's units not on this roster".
ROSTER_UNITS = ["微山县西平镇人民政府", "微山县高楼乡人民政府"]
ENGLISH = re.compile(r"Show this message|\[required\]|\[default|<path>|<str>|<int|Usage|Options|Arguments")


def cells(text: str) -> int:
    """Columns a line takes on a terminal (a Chinese character two), measured here."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def commands() -> list[str]:
    """Every command the program has, from the program itself: a command added later is covered."""
    return sorted(typer.main.get_command(app).commands)


def last_line(text: str) -> str:
    return [line for line in text.splitlines() if line.strip()][-1]


def test_the_program_has_the_ledger_command_these_tests_are_about():
    assert "ledger" in commands() and "template" in commands()


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("command", commands())
def test_every_command_s_help_is_chinese_and_fits_the_screen(command, width):
    result = runner.invoke(app, [command, "-h"], env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("用法：")
    assert not ENGLISH.search(result.stdout), ENGLISH.search(result.stdout)
    assert max(cells(line) for line in result.stdout.splitlines()) <= width, result.stdout


def test_the_main_description_names_every_command():
    description = runner.invoke(app, ["-h"]).stdout.split("命令：")[0]
    for command in commands():
        assert f"（{command}）" in "".join(description.split()), command


def _register(folder: Path) -> Path:
    """Three applications of 2024, one of whose applicant types is not in the form's list."""
    csv = folder / "台账.csv"
    csv.write_text(
        "收到日期,申请人类型,答复日期,办理结果\n"
        "2024-06-01,科研机构,2024-06-09,（一）予以公开\n"
        "2024-07-01,自然人,,\n"
        "2024-08-01,外星人,2024-08-02,（一）予以公开\n",
        encoding="utf-8",
    )
    return csv


def test_ledger_says_what_it_wrote_last_on_stdout(tmp_path):
    out = tmp_path / "台账统计.xlsx"
    result = runner.invoke(app, ["ledger", str(_register(tmp_path)), "-o", str(out), "--year", "2024", "--unit", "某局"])
    assert result.exit_code == 1, result.output  # one row cannot be counted
    assert out.exists()
    verdict = last_line(result.stdout)
    assert "已生成" in verdict and str(out) in verdict and "1 行无法统计" in verdict
    assert "已生成" not in result.stderr


def test_ledger_json_is_the_json_alone(tmp_path):
    out = tmp_path / "台账统计.xlsx"
    result = runner.invoke(app, ["ledger", str(_register(tmp_path)), "-o", str(out), "--year", "2024", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["out"] == str(out)


def _roster(folder: Path) -> Path:
    roster = folder / "名单.txt"
    roster.write_text("\n".join(ROSTER_UNITS) + "\n", encoding="utf-8")
    return roster


def test_template_roster_says_its_lists_before_its_verdict_and_a_past_due_date_is_a_warning(tmp_path):
    result = runner.invoke(app, [
        "template", str(tmp_path / "下发"), "--roster", str(_roster(tmp_path)), "--year", "2025",
        "--previous", str(INBOX), "--due", "2020-01-20",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert last_line(result.stdout).startswith("✓ 已生成 2 个单位的填报模板")
    assert "名单上没有的 4 个单位" in result.stderr and "名单上没有" not in result.stdout
    assert "警告：--due 2020-01-20 早于今天" in result.stderr
    assert "提示" not in result.stderr + result.stdout


def test_the_cross_year_rows_of_the_checks_sheet_say_warning(tmp_path):
    folder = tmp_path / "下发"
    result = runner.invoke(app, [
        "template", str(folder), "--roster", str(_roster(tmp_path)), "--year", "2025", "--previous", str(INBOX),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(folder / "微山县西平镇人民政府.xlsx")["校验"]
    texts = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    rows = [row for row in sheet.iter_rows(values_only=True) if "YEAR.IN_FORCE" in row]
    assert len(rows) == 2  # 规章, 行政规范性文件
    assert all('"警告"' in str(row[6]) for row in rows)
    assert not [t for t in texts if "提示" in t]


def test_template_from_json_says_a_differing_total_as_a_warning(tmp_path):
    source = tmp_path / "数据.json"
    source.write_text(json.dumps({"categories": {"notices": 5, "work_updates": 38, "total": 58}}, ensure_ascii=False),
                      encoding="utf-8")
    result = runner.invoke(app, ["template", str(tmp_path / "t.xlsx"), "--from", str(source)])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"警告：{source} 中的合计与各项之和不符")


def _rule_literals(node: ast.AST) -> list[str]:
    """Rule codes typed as string literals where findings are compared: ``f.rule == "X"`` and
    sets of codes (``{"X", "Y"}``)."""
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, ast.Compare):
            operands = [sub.left, *sub.comparators]
            operands += [e for o in operands if isinstance(o, (ast.Tuple, ast.List)) for e in o.elts]
        elif isinstance(sub, ast.Set):
            operands = list(sub.elts)
        else:
            continue
        found += [o.value for o in operands if isinstance(o, ast.Constant) and o.value in RULES]
    return found


def test_no_module_compares_rule_codes_as_literals():
    literals = {
        str(path.relative_to(PACKAGE)): codes
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "rules.py" and (codes := _rule_literals(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert literals == {}


def test_the_rule_literal_finder_finds_what_it_looks_for():
    assert _rule_literals(ast.parse('x = f.rule == "NARR.EMPTY" or r in {"PUBLISHED.UNIT", "b"}')) == [
        "NARR.EMPTY", "PUBLISHED.UNIT"]
    assert _rule_literals(ast.parse('x = f.rule in ("MERGE.BLANK", "b")')) == ["MERGE.BLANK"]


def test_no_string_in_the_package_calls_a_severity_提示():
    """提示 was the old word for a warning (rules.py once, the 明细 sheet's 提示数); the new code had
    it back (cli's --due notice, template --from's totals, the 校验 sheet's cross-year rows).
    Docstrings (bare string statements) may mention the history; nothing said to a clerk may."""
    said = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bare = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in bare:
                if "提示" in node.value:
                    said.append((str(path.relative_to(PACKAGE)), node.value[:40]))
    assert said == []


def test_the_readme_s_development_section_places_every_module():
    """A newcomer finds each module where the development section draws the wings (#17 "Done
    when"): a module added by a later branch (sending.py, ledger.py, reading/isolate.py …) too."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## 开发"):readme.index("## English")]
    modules = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")
    assert len(modules) > 40
    missing = [m for m in modules if f"`{m.rsplit('/', 1)[-1]}`" not in section]
    assert missing == []
    for wing in ("`reading/`", "`writing/`"):
        assert wing in section


LOCKED = "文件正被其他程序打开，请关闭后重试"


def _locked_when(part: str):
    """``os.replace`` as on Windows when the target whose name holds ``part`` is open in Excel or WPS."""
    import errno
    import os

    replace = os.replace

    def locked(src, dst, *args, **kwargs):
        if part in str(dst):
            raise PermissionError(errno.EACCES, "另一个程序正在使用此文件，进程无法访问。", str(dst), 32)
        return replace(src, dst, *args, **kwargs)

    return locked


@pytest.mark.parametrize("held", ["台账统计.xlsx", "微山县高楼乡人民政府.xlsx", "下发通知.docx", "下发通知.txt"])
def test_the_new_commands_outputs_held_open_are_said_in_chinese(tmp_path, monkeypatch, held):
    import os

    folder = tmp_path / "下发"
    sent = ["template", str(folder), "--roster", str(_roster(tmp_path)), "--year", "2025", "--force"]
    counted = tmp_path / "台账统计.xlsx"
    ledger = ["ledger", str(_register(tmp_path)), "-o", str(counted), "--year", "2024", "--unit", "某局", "--force"]
    assert runner.invoke(app, sent).exit_code == 0 and runner.invoke(app, ledger).exit_code == 1
    before = (folder / held).read_bytes() if held != counted.name else counted.read_bytes()
    monkeypatch.setattr(os, "replace", _locked_when(held))
    result = runner.invoke(app, ledger if held == counted.name else sent)
    assert result.exit_code == 2, result.output
    assert LOCKED in result.stderr and held in result.stderr and "内部错误" not in result.stderr
    assert ((folder / held) if held != counted.name else counted).read_bytes() == before
    leftovers = [p for p in tmp_path.rglob(".*") if p.name != "."]
    assert leftovers == []  # no temporary file left beside the outputs


@pytest.mark.parametrize("width", [60, 80, 120])
def test_template_roster_and_ledger_fit_the_screen_without_cutting_a_file_name(tmp_path, width):
    folder = tmp_path / "二〇二五年度" / "下发给各乡镇街道和部门的填报模板"
    sent = runner.invoke(app, ["template", str(folder), "--roster", str(_roster(tmp_path)), "--year", "2025",
                               "--previous", str(INBOX)], env={"COLUMNS": str(width)})
    counted = tmp_path / "二〇二四年度依申请公开台账统计结果.xlsx"
    ledger = runner.invoke(app, ["ledger", str(_register(tmp_path)), "-o", str(counted), "--year", "2024", "--unit", "某局"],
                           env={"COLUMNS": str(width)})
    for result, whole in ((sent, ["下发通知.docx", "下发通知.txt", str(folder)]), (ledger, [str(counted)])):
        lines = (result.stdout + result.stderr).splitlines()
        assert max(cells(line) for line in lines) <= width, result.output
        for name in whole:  # a name is never broken across two lines (if it fits on one)
            if cells(name) < width - 4:
                assert any(name in line for line in lines), (name, result.output)


def test_a_folder_s_path_is_kept_whole_like_a_file_name():
    from xlsreport.wrap import spans

    text = "已生成退回文件夹 退回/微山县高楼乡人民政府（1 个问题）"
    assert [text[a:b] for a, b in spans(text, 30)] == ["已生成退回文件夹", "退回/微山县高楼乡人民政府", "（1 个问题）"]


@pytest.fixture
def published_pair(tmp_path):
    """人社局's published report (rendered from its sample workbook: it passes by itself) beside a
    workbook of the same unit and year that differs in one number (行政许可 37, the report 36)."""
    folder = tmp_path / "收件箱"
    folder.mkdir()
    sample = INBOX / "人力资源和社会保障局-2024.xlsx"
    rendered = runner.invoke(app, ["render", str(sample), "-o", str(folder / "人社局-年度报告.docx")])
    assert rendered.exit_code == 0, rendered.output
    data = json.loads(runner.invoke(app, ["read", str(sample), "--json"]).stdout)
    assert data["proactive"]["licensing"] == 36
    data["proactive"]["licensing"] = 37
    source = tmp_path / "人社局.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert runner.invoke(app, ["template", str(folder / "人社局-2024.xlsx"), "--from", str(source)]).exit_code == 0
    return folder


@pytest.mark.parametrize("how", ["check", "merge", "against", "against the workbook"])
def test_a_published_report_that_fails_only_against_its_workbook_gets_its_return_package(published_pair, how):
    """A published report passes its own check and fails when compared with its workbook, after the
    batch's checks: the return package still needs its Report (it was an internal error, exit 4)."""
    returns = published_pair.parent / "退回"
    document, workbook = published_pair / "人社局-年度报告.docx", published_pair / "人社局-2024.xlsx"
    argv = {
        "check": ["check", str(published_pair)],
        "merge": ["merge", str(published_pair), "-o", str(published_pair.parent / "县.xlsx"), "--unit", "微山县", "--year", "2024"],
        "against": ["check", str(document), "--against", str(workbook)],
        "against the workbook": ["check", str(workbook), "--against", str(document)],
    }[how]
    result = runner.invoke(app, [*argv, "--return-dir", str(returns)])
    assert result.exit_code in (0, 1), result.output
    assert "内部错误" not in result.stderr
    (package,) = returns.iterdir()
    assert package.name == "微山县人力资源和社会保障局"
    notice = (package / "退回通知.txt").read_text(encoding="utf-8-sig")
    assert "36" in notice and "37" in notice  # the number that differs, both ways


def _spreadsheet(path: Path, rows: list[list]) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    workbook.close()
    return path


def test_a_roster_with_a_serial_number_column_sends_to_the_units_not_to_the_numbers(tmp_path):
    roster = _spreadsheet(tmp_path / "名单.xlsx", [["序号", "单位名称"], [1, ROSTER_UNITS[0]], [2, ROSTER_UNITS[1]]])
    folder = tmp_path / "下发"
    result = runner.invoke(app, ["template", str(folder), "--roster", str(roster), "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.glob("*.xlsx")) == sorted(f"{u}.xlsx" for u in ROSTER_UNITS)


def test_a_roster_without_headings_takes_the_first_column_of_names(tmp_path):
    roster = _spreadsheet(tmp_path / "名单.xlsx", [[1, ROSTER_UNITS[0], "镇"], [2, ROSTER_UNITS[1], "乡"]])
    from xlsreport.roster import load_roster

    assert load_roster(roster) == ROSTER_UNITS


def test_a_report_workbook_given_as_the_roster_is_refused(tmp_path):
    folder = tmp_path / "下发"
    result = runner.invoke(app, ["template", str(folder), "--roster", str(INBOX / "西平镇-2024.xlsx"), "--year", "2025"])
    assert result.exit_code == 2
    assert "是一份年度报告工作簿" in result.stderr and "不是单位名单" in result.stderr
    assert not folder.exists() or not any(folder.iterdir())


@pytest.mark.parametrize("command", commands())
def test_every_option_that_takes_a_value_names_it_in_chinese(command):
    """``--out 文件``, ``--year 年度``: not the placeholder 值 (nor Click's <path>, <int>)."""
    text = runner.invoke(app, [command, "-h"], env={"COLUMNS": "80"}).stdout
    assert not re.search(r"--[a-z-]+ 值(?:\s|$)", text), text
