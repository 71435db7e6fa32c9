"""The form is data: one edit to form.py — a row in table 三, a seventh category, a fourth fee
field — and the whole pipeline (template → fill → read → check → merge → summary) carries it.

The test copies the package, edits the copy's form.py source text, and runs the pipeline in a
fresh interpreter with the copy first on the path, so the installed form is never touched.
The values filled in and expected back are typed here; cell addresses come from the copy's own
template layout (where the new values live is the template's business)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import xlsreport

PACKAGE = Path(xlsreport.__file__).resolve().parent

# (text in form.py, what goes after it): each line is one edit of the form definition.
EDITS = [
    (
        '        Row("other.other", "3.其他", (_RESULTS, "（六）其他处理")),\n',
        '        Row("other.withdrawn", "4.申请人撤回申请", (_RESULTS, "（六）其他处理")),\n',
    ),
    ('        Field("other", "其他"),\n', '        Field("policy_interpretation", "政策解读"),\n'),
    (
        '        Field("amount_collected_yuan", f"实际收取的总金额（{YUAN}）", "money"),\n',
        '        Field("amount_waived_yuan", f"减免的总金额（{YUAN}）", "money"),\n',
    ),
]

PIPELINE = r'''
import json, sys
from pathlib import Path
import openpyxl
from xlsreport import check, merge, read, summarize, write_template
from xlsreport.writing.workbook import layout

work = Path(sys.argv[1])
where = layout()

def fill(name, values):
    path = work / "blank.xlsx"
    write_template(path, None, force=True)
    book = openpyxl.load_workbook(path)
    for key, value in values.items():
        ref = where[tuple(key.split("|"))]
        book[ref.sheet][ref.a1] = value
    book.save(work / name)
    return work / name

common = {"unit|year": 2024, "categories|notices": 5, "categories|policy_interpretation": 7,
          "fee_notices|notices_sent": 2, "fee_notices|amount_notified_yuan": 300,
          "fee_notices|amount_collected_yuan": 100, "fee_notices|amount_waived_yuan": 150}
broken = fill("broken.xlsx", {**common, "unit|name": "甲镇人民政府",
    "applications|new|natural_person": 3, "applications|other.withdrawn|natural_person": 2,
    "applications|other.withdrawn|research": 1,
    "applications|other.withdrawn|total": 9})   # the new row's total typed over: 2 + 1 is not 9
clean = fill("clean.xlsx", {**common, "unit|name": "乙镇人民政府",
    "applications|new|commercial": 4, "applications|other.withdrawn|commercial": 4})

report = read(broken).to_dict(recompute=True)
checked = check([broken, clean])
merged = merge([broken, clean], work / "merged.xlsx", unit="某县", year=2024, include_failing=True)
again = read(work / "merged.xlsx").to_dict()
summary = summarize([work])
print(json.dumps({
    "read": report,
    "withdrawn_total_cell": where[("applications", "other.withdrawn", "total")].address,
    "findings": [f.to_dict() for f in checked.files[0].findings],
    "clean_errors": [f.rule for f in checked.files[1].findings if f.severity == "error"],
    "merged": merged.data, "merged_again": again,
    "summary": summary.to_dict(),
}, ensure_ascii=False))
'''


def test_one_edit_of_the_form_carries_through_the_whole_pipeline(tmp_path):
    copy = tmp_path / "lib" / "xlsreport"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    source = (copy / "form.py").read_text(encoding="utf-8")
    for anchor, added in EDITS:
        assert source.count(anchor) == 1, anchor
        source = source.replace(anchor, anchor + added)
    (copy / "form.py").write_text(source, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()

    env = {**os.environ, "PYTHONPATH": str(copy.parent), "PYTHONDONTWRITEBYTECODE": "1"}
    run = subprocess.run(
        [sys.executable, "-c", PIPELINE, str(work)], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)

    # read: the new values come back, totals include them
    data = out["read"]
    assert data["categories"]["policy_interpretation"] == 7
    assert data["categories"]["total"] == 12  # 5 + 7
    assert data["fee_notices"]["amount_waived_yuan"] == 150
    assert data["applications"]["other.withdrawn"] == {
        "natural_person": 2, "commercial": 0, "research": 1, "public_interest": 0,
        "legal_services": 0, "other_org": 0, "total": 3,
    }  # fmt: skip
    assert data["applications"]["handled_total"]["total"] == 3  # the new row is one of the results

    # check: the broken new row is reported at its own cell, with its label and the arithmetic
    (row_total,) = [f for f in out["findings"] if f["rule"] == "T3.ROW_TOTAL"]
    assert row_total["cells"][0] == out["withdrawn_total_cell"]
    assert "4.申请人撤回申请" in row_total["message"] and "2+0+1+0+0+0 = 3 ≠ 总计 9" in row_total["message"]
    assert row_total["title"] == "依申请公开：每一行，各类申请人之和 = 总计"
    # the clean file balances with the new row: 一 4 = （七）总计 4 (the new row) + 四 0
    assert out["clean_errors"] == []

    # merge: the sums hold the new values and read back from the merged workbook
    merged = out["merged"]
    assert merged["categories"]["policy_interpretation"] == 14
    assert merged["categories"]["total"] == 24
    assert merged["fee_notices"]["amount_waived_yuan"] == 300
    assert merged["applications"]["other.withdrawn"]["total"] == 7  # 3 (recomputed, not the typed 9) + 4
    again = out["merged_again"]
    assert again["categories"]["policy_interpretation"] == 14
    assert again["fee_notices"]["amount_waived_yuan"] == 300
    assert again["applications"]["other.withdrawn"]["commercial"] == 4

    # summary: the key figures count the new category (blank.xlsx in the folder is a third file)
    summary = out["summary"]
    by_file = {Path(u["file"]).name: u for u in summary["units"]}
    assert by_file["broken.xlsx"]["figures"]["proactive_total"] == 12
    assert by_file["clean.xlsx"]["figures"]["handled_total"] == 4
