"""Each input file is opened once per command also with ``--jobs 2`` (issue #17 "Done when"), with
published reports beside the workbooks they were made from (the pairs compare.py ties: a .txt and
a .docx), ``--previous`` and ``--return-dir``.

The opens are counted through the interpreter's audit hook (tests/opens.py), which the worker
processes of ``--jobs`` and of the document boundary inherit.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from opens import count_opens
from xlsreport.cli import app

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
runner = CliRunner()



@pytest.fixture
def folders(tmp_path):
    made = {}
    for name in ("收件箱", "上年"):
        folder = tmp_path / name
        shutil.copytree(SAMPLES / "inbox", folder)
        made[name] = folder.resolve()
    inbox = made["收件箱"]
    # 西平镇's published report as text beside its workbook (the seed, FORM.md)
    shutil.copy(SAMPLES / "seed" / "西平镇-2024-年度报告.txt", inbox / "西平镇-2024-年度报告.txt")
    # 人社局's published report as Word beside its workbook, rendered from that workbook
    rendered = runner.invoke(app, ["render", str(SAMPLES / "inbox" / "人力资源和社会保障局-2024.xlsx"),
                                   "-o", str(tmp_path / "人社局.docx")])
    assert rendered.exit_code == 0, rendered.output
    shutil.copy(tmp_path / "人社局.docx", inbox / "人力资源和社会保障局-2024-年度报告.docx")
    made["root"] = tmp_path
    return made


def _opened(folders: dict, argv: list[str]) -> tuple[Counter, object]:
    opened, result = count_opens([folders["收件箱"], folders["上年"]], folders["root"] / "opens.log",
                                 lambda: runner.invoke(app, argv))
    return Counter({str(path): n for path, n in opened.items()}), result


def _each_once(folders: dict, opened: Counter) -> None:
    wanted = sorted(str(p) for name in ("收件箱", "上年") for p in folders[name].iterdir())
    assert len(wanted) == 8 + 6  # 6 workbooks and 2 published reports; last year's 6 workbooks
    assert dict(opened) == {path: 1 for path in wanted}


@pytest.mark.parametrize("command", ["check", "merge", "summary"])
def test_with_two_jobs_each_input_is_opened_once(folders, command):
    root = folders["root"]
    argv = [command, str(folders["收件箱"]), "--previous", str(folders["上年"]), "--jobs", "2"]
    if command != "summary":
        argv += ["--return-dir", str(root / "退回")]
    if command == "merge":
        argv += ["-o", str(root / "县.xlsx"), "--unit", "微山县", "--year", "2024"]
    opened, result = _opened(folders, argv)
    assert result.exit_code in (0, 1), result.output  # findings, not a failure to read or a crash
    _each_once(folders, opened)
