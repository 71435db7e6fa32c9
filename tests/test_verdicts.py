"""Every verdict true (issue #19, items 2–11): what the tool says about a file is what happened.

Expected words and numbers are typed from FORM.md, the samples' JSON data and the issue, never
taken from the code under test.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from xlsreport.cli import app

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
INBOX = SAMPLES / "inbox"
GAOLOU = "微山县高楼乡人民政府"  # the sample inbox's one failing unit (T3.BALANCE)
runner = CliRunner()


# ---- item 2: merge --include-failing --return-dir ------------------------------------------------


def test_a_unit_summed_with_errors_is_not_told_it_was_left_out(tmp_path):
    out = tmp_path / "汇总.xlsx"
    returned = tmp_path / "退回"
    result = runner.invoke(
        app,
        ["merge", str(INBOX), "--out", str(out), "--unit", "微山县", "--year", "2024", "--include-failing", "--return-dir", str(returned)],
    )
    assert out.exists(), result.output  # (its exit code is issue #19 item 13's)
    notice = (returned / GAOLOU / "退回通知.txt").read_text(encoding="utf-8-sig")
    assert "暂未计入汇总" not in notice
    assert "已按所报数字计入本次汇总" in notice


def test_a_unit_left_out_for_errors_is_told_so(tmp_path):
    returned = tmp_path / "退回"
    result = runner.invoke(
        app, ["merge", str(INBOX), "--out", str(tmp_path / "汇总.xlsx"), "--unit", "微山县", "--year", "2024", "--return-dir", str(returned)]
    )
    assert result.exit_code == 1, result.output
    notice = (returned / GAOLOU / "退回通知.txt").read_text(encoding="utf-8-sig")
    assert "暂未计入汇总" in notice and "已按所报数字计入" not in notice
