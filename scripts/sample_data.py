"""The data behind samples/: a few realistic units of 微山县 for 2024, written as JSON.

Run once by hand (python scripts/sample_data.py) when the samples change; scripts/build_samples.py
turns the JSON into the workbooks under samples/inbox/.  The numbers are made up but shaped like
published reports: a county department with dozens of applications, townships with a few, and the
seed township 西平镇 exactly as its 2024 report prints it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from xlsreport.form import FORM_TITLE, SECTIONS, compute_totals, empty_data, set_path  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "samples" / "data"
COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_services", "other_org")


def unit(name, year, address, phone, website, preparer, date):
    data = empty_data()
    data["unit"] = dict(name=name, year=year, address=address, phone=phone, website=website, preparer=preparer, date=date)
    return data


def applications(data, rows):
    """rows: {row_key: {column_key: n}}; unspecified cells stay 0."""
    for row, cells in rows.items():
        for column, n in cells.items():
            set_path(data, ("applications", row, column), n)


SEED_TEXT = Path(__file__).resolve().parents[1] / "tests" / "data" / "000_025603475ffff513.txt"  # copy of ../shared/seed


def seed_narrative():
    """The seed report's own text, cut at the section headings of form.SECTIONS: the opening
    paragraphs (after the title line), 一, 五 and 六 (up to the attachment dump that follows)."""
    lines = [line.strip() for line in SEED_TEXT.read_text(encoding="utf-8").splitlines()]
    headings = {s.heading: s for s in SECTIONS}
    title = next(i for i, line in enumerate(lines) if line.endswith(FORM_TITLE))
    chunks: dict[str, list[str]] = {"preamble": []}
    current: str | None = "preamble"
    for line in lines[title + 1:]:
        if ".xls" in line:
            break
        if line in headings:
            current = headings[line].narrative
            if current:
                chunks[current] = []
            continue
        if current and line:
            chunks[current].append(line)
    return {key: "\n".join(paragraphs) for key, paragraphs in chunks.items()}


def save(stem, data):
    data = compute_totals(data)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{stem}.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# 1. The seed: 微山县西平镇人民政府 2024 (../shared/seed/000_025603475ffff513.txt): every table zero,
#    categories 5/1/1/1/38/8 (= 54, while its text says 58), no fees ("无"); its text as the narrative.
xiping = unit("微山县西平镇人民政府", 2024, "微山县西平镇县乡公路111号", "0537-8341001",
              "http://www.weishan.gov.cn/", None, "2025-01-20")
xiping["categories"].update(notices=5, budget=1, final_accounts=1, functions=1, work_updates=38, other=8)
xiping["narrative"] = seed_narrative()
save("西平镇-2024", xiping)

# 2. A county department with dozens of applications across several outcomes.
zr = unit("微山县自然资源和规划局", 2024, "微山县奎文路10号", "0537-8222301", "http://www.weishan.gov.cn/", "王敏", "2025-01-24")
zr["proactive"]["normative_documents"] = {"issued": 3, "repealed": 1, "in_force": 27}
zr["proactive"].update(licensing=412, penalties=37, coercive_measures=2, fees_10k_yuan=24.5312)
zr["categories"].update(notices=86, budget=2, final_accounts=1, functions=3, work_updates=154, other=41)
applications(zr, {
    "new": {"natural_person": 38, "commercial": 4, "legal_services": 3, "other_org": 1},
    "carried_over": {"natural_person": 2, "legal_services": 1},
    "granted": {"natural_person": 15, "commercial": 2, "legal_services": 1},
    "partially_granted": {"natural_person": 4, "commercial": 1, "legal_services": 1},
    "denied.third_party": {"natural_person": 1},
    "denied.process_information": {"natural_person": 2},
    "unavailable.not_held": {"natural_person": 9, "legal_services": 1, "other_org": 1},
    "unavailable.needs_creation": {"natural_person": 2},
    "unavailable.unclear_after_correction": {"natural_person": 1},
    "not_processed.petitions": {"natural_person": 3},
    "not_processed.repeated": {"natural_person": 1},
    "other.no_correction": {"natural_person": 1},
    "other.other": {"commercial": 1},
    "carried_forward": {"natural_person": 1, "legal_services": 1},
})
zr["review_litigation"]["review"].update(upheld=2, corrected=1, pending=1)
zr["review_litigation"]["litigation_direct"].update(upheld=1, pending=1)
zr["review_litigation"]["litigation_after_review"].update(upheld=1)
save("自然资源和规划局-2024", zr)

# 3. Another county department, a dozen applications, one fee notice that was paid.
rs = unit("微山县人力资源和社会保障局", 2024, "微山县建设路88号", "0537-8221506", "http://www.weishan.gov.cn/", "李娜", "2025-01-22")
rs["proactive"]["normative_documents"] = {"issued": 2, "repealed": 0, "in_force": 11}
rs["proactive"].update(licensing=36, penalties=4)
rs["categories"].update(notices=64, budget=1, final_accounts=1, functions=1, work_updates=97, other=23)
applications(rs, {
    "new": {"natural_person": 12, "commercial": 2},
    "granted": {"natural_person": 8, "commercial": 2},
    "partially_granted": {"natural_person": 1},
    "unavailable.needs_creation": {"natural_person": 1},
    "not_processed.repeated": {"natural_person": 1},
    "carried_forward": {"natural_person": 1},
})
rs["review_litigation"]["review"].update(upheld=1)
rs["fee_notices"] = {"notices_sent": 1, "amount_notified_yuan": 120, "amount_collected_yuan": 120}
save("人力资源和社会保障局-2024", rs)

# 4. A township with a few applications and one carried over from 2023.
hz = unit("微山县韩庄镇人民政府", 2024, "微山县韩庄镇运河路1号", "0537-8651002", "http://www.weishan.gov.cn/", "张伟", "2025-01-16")
hz["proactive"].update(penalties=3)
hz["categories"].update(notices=12, budget=1, final_accounts=1, functions=1, work_updates=45, other=6)
applications(hz, {
    "new": {"natural_person": 2, "commercial": 1},
    "carried_over": {"natural_person": 1},
    "granted": {"natural_person": 2, "commercial": 1},
    "unavailable.not_held": {"natural_person": 1},
})
hz["review_litigation"]["review"].update(upheld=1)
save("韩庄镇-2024", hz)

# 5. A street office with a few applications.
xz = unit("微山县夏镇街道办事处", 2024, "微山县夏镇街道建设路2号", "0537-8222010", "http://www.weishan.gov.cn/", "刘洋", "2025-01-18")
xz["categories"].update(notices=9, budget=1, final_accounts=1, functions=1, work_updates=52, other=4)
applications(xz, {
    "new": {"natural_person": 3},
    "granted": {"natural_person": 2},
    "unavailable.not_held": {"natural_person": 1},
})
save("夏镇街道-2024", xz)

# 6. The deliberate mistake: 高楼乡 received 4 applications, reported 3 outcomes and forgot the one
#    carried into 2025 (一+二 = 4 but （七）总计+四 = 3).
gl = unit("微山县高楼乡人民政府", 2024, "微山县高楼乡政府驻地", "0537-8461003", "http://www.weishan.gov.cn/", "赵强", "2025-01-21")
gl["categories"].update(notices=7, budget=1, final_accounts=1, functions=1, work_updates=30, other=5)
applications(gl, {
    "new": {"natural_person": 4},
    "granted": {"natural_person": 2},
    "unavailable.not_held": {"natural_person": 1},
})
save("高楼乡-2024", gl)
