"""Fixtures of the clerk's year (issue #20), built by code: last year's reports of a county,
consistent by FORM.md's identities (new + carried over = handled + carried forward)."""

from __future__ import annotations

from pathlib import Path

from xlsreport.writing.workbook import write_template

# FORM.md: table 三's applicant columns, in order (the 总计 column is their sum)
APPLICANTS = ["natural_person", "commercial", "research", "public_interest", "legal_services", "other_org"]


def report_data(unit: str, year: int, forward: list[int], *, new: list[int] | None = None,
                in_force: tuple[int, int] = (0, 0), narrative: dict | None = None) -> dict:
    """A unit's filled report: ``forward`` is 四、结转下年度继续办理 per applicant column; every
    application of the year (``new``, default one each) that is not carried forward was granted."""
    new = new if new is not None else [1] * 6
    granted = [n for n in new]
    data = {
        "unit": {"name": unit, "year": year, "date": f"{year + 1}-01-15"},
        "proactive": {"rules": {"issued": 0, "repealed": 0, "in_force": in_force[0]},
                      "normative_documents": {"issued": 0, "repealed": 0, "in_force": in_force[1]},
                      "licensing": 0, "penalties": 0, "coercive_measures": 0, "fees_10k_yuan": 0},
        "categories": {"notices": 5, "budget": 1, "final_accounts": 1, "functions": 1, "work_updates": 38, "other": 8},
        "applications": {"new": dict(zip(APPLICANTS, [n + f for n, f in zip(new, forward)])),
                         "carried_over": dict(zip(APPLICANTS, [0] * 6)),
                         "granted": dict(zip(APPLICANTS, granted)),
                         "carried_forward": dict(zip(APPLICANTS, forward))},
        "review_litigation": {g: {"upheld": 0, "corrected": 0, "other": 0, "pending": 0}
                              for g in ("review", "litigation_direct", "litigation_after_review")},
        "fee_notices": {"notices_sent": 0, "amount_notified_yuan": 0, "amount_collected_yuan": 0},
    }
    if narrative:
        data["narrative"] = narrative
    # every other application cell 0, as a careful clerk fills it
    for row in ("partially_granted",):
        data["applications"][row] = dict(zip(APPLICANTS, [0] * 6))
    return data


def write_report(path: Path, unit: str, year: int, forward: list[int], **kw) -> Path:
    write_template(path, report_data(unit, year, forward, **kw))
    return path
