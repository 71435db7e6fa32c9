"""Each input file is opened once per command, also with --previous and --return-dir (issue #17).

The inbox is the samples' six units (高楼乡 fails: it gets a return package) plus the seed's
published report saved as text (read to see whether a .txt is a report, then checked — from the
same reading) and a note that is not a report; last year's folder holds the same kinds.  Every
``open`` of a file under these folders is counted through the interpreter's audit hook
(tests/opens.py).
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



def _folder(root: Path, name: str) -> Path:
    folder = root / name
    shutil.copytree(SAMPLES / "inbox", folder)
    # the seed's published report as text, with 4 new applications of 自然人 none of which was
    # handled: 一 + 二 ≠ （七）总计 + 四, an error, so that it gets a return package too
    text = (SAMPLES / "seed" / "西平镇-2024-年度报告.txt").read_text(encoding="utf-8")
    new = "一、本年新收政府信息公开申请数量\n\t\xa00"
    assert new in text
    (folder / "西平镇-年度报告.txt").write_text(text.replace(new, new[:-1] + "4", 1), encoding="utf-8")
    (folder / "说明.txt").write_text("各单位报表请于1月31日前报送。\n", encoding="utf-8")  # a note
    return folder


@pytest.fixture
def folders(tmp_path):
    return {"inbox": _folder(tmp_path, "收件箱").resolve(), "last": _folder(tmp_path, "上年").resolve(), "root": tmp_path}


def _count(folders: dict, argv: list[str]) -> tuple[Counter, object]:
    return count_opens([folders["inbox"], folders["last"]], folders["root"] / "opens.log", lambda: runner.invoke(app, argv))


def _each_once(folders: dict, opened: Counter, *, last_year: bool) -> None:
    wanted = sorted(p for p in folders["inbox"].iterdir() if p.is_file())
    if last_year:
        wanted += sorted(p for p in folders["last"].iterdir() if p.is_file())
    assert len(wanted) == (16 if last_year else 8)
    assert {str(p): opened[p] for p in wanted} == {str(p): 1 for p in wanted}
    assert set(opened) <= set(wanted)  # nothing else under the folders (no output is read back)


def test_merge_with_previous_and_return_dir_opens_each_input_once(folders):
    out, returns = folders["root"] / "汇总.xlsx", folders["root"] / "退回"
    opened, result = _count(folders, [
        "merge", str(folders["inbox"]), "-o", str(out), "--unit", "微山县", "--year", "2024",
        "--previous", str(folders["last"]), "--return-dir", str(returns),
    ])  # fmt: skip
    assert result.exit_code == 1, result.output  # 高楼乡 and the seed (CAT.TOTAL) are left out
    assert (returns / "微山县高楼乡人民政府" / "退回通知.docx").exists()
    _each_once(folders, opened, last_year=True)


def test_check_with_previous_and_return_dir_opens_each_input_once(folders):
    returns = folders["root"] / "退回"
    opened, result = _count(folders, [
        "check", str(folders["inbox"]), "--previous", str(folders["last"]), "--return-dir", str(returns), "--json",
    ])  # fmt: skip
    assert result.exit_code == 1, result.output
    assert (returns / "微山县高楼乡人民政府" / "请修改-高楼乡-2024.xlsx").exists()
    _each_once(folders, opened, last_year=True)


def test_summary_with_previous_opens_each_input_once(folders):
    opened, result = _count(folders, ["summary", str(folders["inbox"]), "--previous", str(folders["last"]), "--json"])
    assert result.exit_code == 0, result.output
    _each_once(folders, opened, last_year=True)


def test_a_text_report_in_a_folder_is_read_once_and_its_notice_says_it_is_a_published_report(folders):
    """The seed's text report is read to see whether it is a report, and that reading is the one
    checked: its return notice knows it is a published report from that Report, not by reading
    the file again."""
    returns = folders["root"] / "退回"
    opened, result = _count(folders, ["check", str(folders["inbox"]), "--return-dir", str(returns)])
    assert result.exit_code == 1
    _each_once(folders, opened, last_year=False)
    notices = [p for p in returns.rglob("退回通知.txt") if "西平镇-年度报告.txt" in p.read_text(encoding="utf-8-sig")]
    assert len(notices) == 1
    assert "你单位报送的是已发布的报告文本" in notices[0].read_text(encoding="utf-8-sig")


def test_the_returns_are_a_library_request_of_check_and_merge(folders):
    """The CLI only parses: check and merge take a ReturnsRequest and say what they wrote."""
    import datetime

    from xlsreport.batch import check
    from xlsreport.merger import merge
    from xlsreport.returns import ReturnsRequest

    due = datetime.date(2025, 3, 31)
    checked = check([folders["inbox"]], returns=ReturnsRequest(folders["root"] / "退回1", due=due))
    assert sorted(p.unit for p in checked.returns.packages) == ["微山县西平镇人民政府", "微山县高楼乡人民政府"]
    assert checked.to_dict()["returns"]["packages"][0]["problems"] >= 1

    request = ReturnsRequest(folders["root"] / "退回2", due=due, sender="微山县")
    merged = merge([folders["inbox"]], folders["root"] / "县.xlsx", unit="微山县", year=2024, returns=request)
    assert sorted(p.unit for p in merged.returns.packages) == ["微山县西平镇人民政府", "微山县高楼乡人民政府"]
    notice = merged.returns.packages[0].notice_text.read_text(encoding="utf-8-sig")
    assert "2025年3月31日" in notice and "微山县" in notice.splitlines()[-2]
