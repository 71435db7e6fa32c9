"""check --json of a large batch is written file by file (issue #10: flat memory), and says exactly
what the whole result says."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from xlsreport.batch import check
from xlsreport.errors import ExitCode
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
