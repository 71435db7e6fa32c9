"""What a county clerk relies on when a batch is checked, summed or merged: every submission is
seen (an unreadable one is reported, never skipped), nothing is added twice or across years, a
blank template is never a unit, and a usage mistake is refused before anything is read or written.

Expectations are typed by hand from samples/inbox (six workbooks of 微山县, 2024; 高楼乡 has an
error) and from the messages a clerk reads.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from tests.hostile import cfb
from xlsreport.cli import app

runner = CliRunner()
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
INBOX = SAMPLES / "inbox"


def inbox_copy(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "收件箱"
    folder.mkdir()
    for path in sorted(INBOX.iterdir()):
        if not names or path.name in names:
            shutil.copy(path, folder / path.name)
    return folder


# ---- defect 5: a Word 97-2003 file in a folder is a report that cannot be read -----------------


def test_a_doc_in_a_folder_is_reported_unreadable_not_skipped(tmp_path):
    folder = inbox_copy(tmp_path, "西平镇-2024.xlsx")
    (folder / "马坡镇-2024.doc").write_bytes(cfb({"WordDocument": b"\x00" * 4096}))
    result = runner.invoke(app, ["check", str(folder), "--json"])
    assert result.exit_code == 3
    payload = json.loads(result.stdout)
    assert payload["skipped"] == []
    doc = next(f for f in payload["files"] if f["file"].endswith("马坡镇-2024.doc"))
    assert ".docx" in doc["error"]["message"]  # sniff's advice: 另存为 Word 文档（.docx）


# ---- defect 16: a folder without reports names what it holds ---------------------------------


def test_a_folder_holding_only_a_photo_names_the_photo(tmp_path):
    (tmp_path / "p.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a photo")
    result = runner.invoke(app, ["summary", str(tmp_path)])
    assert result.exit_code == 2
    assert "没有找到报表文件" in result.stderr
    assert str(tmp_path / "p.jpg") in result.stderr


# ---- defect 10: the title says the year asked for; a year out of range is refused everywhere ---


def test_summary_for_another_year_is_titled_with_that_year():
    result = runner.invoke(app, ["summary", str(INBOX), "--year", "2023"])
    assert result.exit_code == 0, result.stderr
    title = result.stdout.splitlines()[0]
    assert "2023 年度报送情况" in title and "2024" not in title
    # every file is 2024: each row says so, and none is summed
    assert result.stdout.count("年度不符") == 6


def test_a_year_out_of_range_is_a_usage_error_for_every_command(tmp_path):
    out = tmp_path / "out.xlsx"
    commands = [
        ["summary", str(INBOX), "--year", "1800"],
        ["merge", str(INBOX), "-o", str(out), "--unit", "微山县", "--year", "1800"],
        ["template", str(out), "--year", "1800"],
    ]
    for argv in commands:
        result = runner.invoke(app, argv)
        assert result.exit_code == 2, argv
        assert "--year 应在 2008—2100 之间，收到的是 1800" in result.stderr, argv
        assert result.stdout == ""
    assert not out.exists()


# ---- defect 9: without a roster nobody is "missing" --------------------------------------------


def test_summary_without_a_roster_does_not_claim_nobody_is_missing():
    plain = runner.invoke(app, ["summary", str(INBOX)]).stdout
    assert "未报送 0 个单位" not in plain
    assert "未给出单位名单（--roster）" in plain
    with_roster = runner.invoke(app, ["summary", str(INBOX), "--roster", str(SAMPLES / "roster.txt")]).stdout
    assert "未报送 2 个单位" in with_roster  # 赵庙镇 and 教育和体育局 sent nothing


# ---- defect 17: a figure no summed unit has is "—", not 0 ---------------------------------------


def test_totals_of_a_part_no_summed_unit_has_are_a_dash_not_zero():
    attachment = SAMPLES / "seed" / "西平镇-2024-附件-主动公开分类.xls"  # only the categories table
    result = runner.invoke(app, ["summary", str(attachment), "--include-failing", "--json"])
    totals = json.loads(result.stdout)["totals"]
    assert totals["proactive_total"] == 54  # 5+1+1+1+38+8, its items (the file says 58)
    assert totals["new_applications"] is None and totals["review_total"] is None
    table = runner.invoke(app, ["summary", str(attachment), "--include-failing"]).stdout
    totals_line = next(line for line in table.splitlines() if "合计（" in line)
    assert totals_line.split()[-6:] == ["54", "—", "—", "—", "—", "—"]
