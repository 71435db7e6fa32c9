"""A large batch in flat memory (issue #10): check --json is written file by file and says exactly
what the whole result says; the texts of the files read are not kept."""

from __future__ import annotations

import io
import json
import shutil
import tracemalloc
from pathlib import Path

import pytest

from xlsreport.batch import check
from xlsreport.errors import ExitCode
from xlsreport.reading.locate import normalize
from xlsreport.model import CheckStream

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture()
def mixed_folder(tmp_path: Path) -> Path:
    """The six sample submissions (one with a mistake), a broken workbook, and a note."""
    folder = tmp_path / "收件箱"
    shutil.copytree(SAMPLES / "inbox", folder)
    (folder / "坏文件.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "说明.txt").write_text("请查收", encoding="utf-8")
    return folder


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("jobs", [1, 2])
def test_streamed_json_is_the_whole_results_json_text(mixed_folder, strict, jobs):
    whole = check([mixed_folder], strict=strict)
    out = io.StringIO()
    stream = CheckStream(out.write, strict=strict)
    streamed = check([mixed_folder], strict=strict, jobs=jobs, sink=stream)
    code = stream.close(streamed.skipped)

    assert out.getvalue() == json.dumps(whole.to_dict(), ensure_ascii=False, indent=2)
    assert streamed.files == []  # nothing kept: memory does not grow with the batch
    document = json.loads(out.getvalue())
    reports = ["人力资源和社会保障局-2024.xlsx", "夏镇街道-2024.ods", "自然资源和规划局-2024.xlsx", "西平镇-2024.xlsx",
               "韩庄镇-2024.xls", "高楼乡-2024.xlsx", "坏文件.xlsx"]
    assert [Path(f["file"]).name for f in document["files"]] == sorted(reports)  # in input order, whatever jobs is
    assert document["counts"]["files"] == 7 and document["counts"]["unreadable"] == 1
    assert document["counts"]["skipped"] == 1 and document["valid"] is False
    assert code == ExitCode.UNREADABLE  # a file could not be read: 3, as the whole result says
    assert code == whole.exit_code


def test_a_stream_of_no_files_is_still_the_whole_results_text():
    out = io.StringIO()
    stream = CheckStream(out.write)
    assert stream.close() == ExitCode.OK
    assert json.loads(out.getvalue()) == {
        "files": [],
        "skipped": [],
        "valid": True,
        "counts": {"files": 0, "valid": 0, "unreadable": 0, "skipped": 0, "errors": 0, "warnings": 0},
    }


def test_report_texts_read_in_a_batch_are_not_kept():
    # Every unit writes its own 报告正文: 3000 paragraphs of 1000 characters, each looked at
    # once, must not stay in memory (3000 × 1000 characters are ~6 MB as Python keeps them).
    paragraphs = [f"{i:05d}本年度，我单位认真贯彻落实《中华人民共和国政府信息公开条例》。" * 30 for i in range(3000)]
    normalize("开头段落")  # the label cache is warm
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for text in paragraphs:
        normalize(text)
    kept = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert kept < 200_000, f"{kept} bytes kept after normalising 3000 paragraphs"
