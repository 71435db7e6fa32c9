"""下发: one template per unit of the roster, with last year's figures filled in, and the notice.

The county office starts its year by sending every unit the official workbook.  Made here rather
than by hand, each workbook already holds what the unit must not retype:

* the unit's name and the year, locked;
* with last year's reports (``--previous``: workbooks and published reports, matched by unit as
  ``check --previous`` matches them), 二、上年结转 from last year's 四、结转下年度继续办理 (the
  most common cross-year error, YEAR.CARRY, cannot be made), locked, each cell's comment naming
  the file and place it came from; and last year's 现行有效件数 beside table 二, so that the
  校验 sheet compares them live.

What was pre-filled is recorded in the workbook (``form.SHEET_PREFILLED``): one sent back with
nothing else filled is 未填写, and a changed carry-over is said (``PREFILL.CHANGED``).

Beside the workbooks, a 下发通知 (docx and text, the same machinery as the 退回通知 of
:mod:`returns`): the year, the due date, what to fill, what to send back, how it is checked, and
which units got no carry-over because last year's report was not found.
"""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from . import form
from .batch import PreviousYear, read_previous
from .dates import YEAR_MAX, YEAR_MIN
from .errors import error, os_reason
from .form import FORM_TITLE
from .model import Prefill, Report, normalise_unit_name
from .previous import preference
from .returns import _date, folder_name
from .roster import load_roster
from .writing.document import Block, Document
from .writing.output import atomic_output

NOTICE_NAME = "下发通知"
_ACCEPTED_KINDS = "Excel 工作簿（.xlsx）"


@dataclass
class SentTemplate:
    """One unit's workbook: where it went and what was filled in from last year."""

    unit: str
    file: Path
    previous: str | None = None  # last year's file it was filled from; None: not found
    carried_over: dict[str, int | float] = field(default_factory=dict)  # column key → number

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "file": str(self.file),
            "previous": self.previous,
            "carried_over": dict(self.carried_over),
        }


@dataclass
class Templates:
    """What ``write_templates`` wrote, and whom last year's reports did not match."""

    folder: Path
    year: int
    due: _dt.date | None
    templates: list[SentTemplate] = field(default_factory=list)
    without_previous: list[str] = field(default_factory=list)  # roster units with no report last year
    not_on_roster: list[dict] = field(default_factory=list)  # [{unit, file}] last year, not on this roster
    unreadable: list[dict] = field(default_factory=list)  # [{file, message}] of last year's files
    notice: Path | None = None
    notice_text: Path | None = None
    previous_given: bool = False

    def to_dict(self) -> dict:
        return {
            "folder": str(self.folder),
            "year": self.year,
            "due": self.due.isoformat() if self.due else None,
            "templates": [t.to_dict() for t in self.templates],
            "without_previous": list(self.without_previous) if self.previous_given else None,
            "not_on_roster": list(self.not_on_roster) if self.previous_given else None,
            "unreadable": list(self.unreadable),
            "notice": str(self.notice) if self.notice else None,
            "notice_text": str(self.notice_text) if self.notice_text else None,
        }


# --------------------------------------------------------------------------------------------
# Last year's figures
# --------------------------------------------------------------------------------------------


def index_previous(reports: Iterable[Report], year: int) -> dict[str, Report]:
    """Last year's reports by normalised unit name (one dict lookup a unit, not a scan of all
    of them): the report of ``year - 1`` preferred, a workbook before a published report of the
    unit (the one the county checked and summed: ``previous.preference``), else the first."""
    out: dict[str, Report] = {}
    for report in reports:
        key = normalise_unit_name(report.unit)
        if not key:
            continue
        held = out.get(key)
        if held is None or preference(report, year) < preference(held, year):
            out[key] = report
    return out


def _place(report: Report, path: form.Path) -> str:
    cell = report.values.get(path)
    where = cell.cell if cell is not None and cell.cell else f"「{form.LEAF_BY_PATH[path].full_label}」"
    return f"{report.file} {where}"


def _usable(report: Report, path: form.Path) -> bool:
    cell = report.values.get(path)
    return cell is not None and cell.status in ("number", "text_number", "with_unit", "blank", "placeholder")


def carry_over(last: Report) -> dict[form.Path, Prefill]:
    """This year's 二、上年结转 (its input columns; the total is its formula) from last year's
    四、结转下年度继续办理, each with the file and place it was read from.  Nothing when last
    year's row is absent or a cell of it cannot be read as a number."""
    if form.APPLICATIONS.key not in last.parts:
        return {}
    grid = form.grid_of(form.APPLICATIONS, form.CARRIED_FORWARD_ROW)
    out: dict[form.Path, Prefill] = {}
    for column in grid.columns:
        if column.computed:
            continue
        source = (form.APPLICATIONS.key, form.CARRIED_FORWARD_ROW, column.key)
        if not _usable(last, source):
            return {}
        out[(form.APPLICATIONS.key, form.CARRIED_OVER_ROW, column.key)] = Prefill(last.number(source), _place(last, source))
    return out


def in_force(last: Report) -> dict[str, Prefill]:
    """Last year's 现行有效件数 of 规章 and 行政规范性文件 (table 二's row key → number, place)."""
    if form.PROACTIVE.key not in last.parts:
        return {}
    out: dict[str, Prefill] = {}
    for row in form.grid_of(form.PROACTIVE, form.RULES_ROW).rows:
        path = (form.PROACTIVE.key, row.key, form.IN_FORCE_COLUMN)
        cell = last.values.get(path)
        if cell is not None and cell.status in ("number", "text_number", "with_unit"):
            out[row.key] = Prefill(cell.number, _place(last, path))
    return out


# --------------------------------------------------------------------------------------------
# The notice
# --------------------------------------------------------------------------------------------


def notice_lines(result: Templates, *, sender: str | None = None, issued: _dt.date | None = None) -> tuple[str, list[str]]:
    """The 下发通知's title and paragraphs: year, due date, what to fill, what to send back, how
    it will be checked, and which units got no carry-over."""
    year = result.year
    report = f"{year}年{FORM_TITLE}"
    title = f"关于报送{report}的通知"
    sheets = "、".join(f"“{name}”" for name in dict.fromkeys(part.sheet for part in form.PARTS))
    paragraphs = [
        "各单位：",
        f"现将{report}填报模板下发给你们（每个单位一个工作簿，文件名即单位名称）。统计期限为{year}年1月1日至12月31日，"
        f"格式依据{form.FORM_BASIS}。",
        f"一、填写什么。请打开本单位的工作簿，按“{form.SHEET_INSTRUCTIONS}”工作表依次填写{sheets}各工作表的浅黄色单元格"
        f"（“{form.NARRATIVE.sheet}”是对外公布的年度报告的正文）。合计、总计由公式自动计算，无需填写；"
        "没有发生的请填0。单位名称、报告年度已预先填好并锁定（绿色）。",
        registers_paragraph(result.previous_given),
    ]
    if result.previous_given:
        paragraphs.append(
            "依申请公开表中“二、上年结转政府信息公开申请数量”已按各单位上年报告的“四、结转下年度继续办理”填好并锁定，"
            "批注中写明了出处；规章、行政规范性文件的上年现行有效件数写在主动公开表的右侧，供核对本年现行有效件数。"
            "如认为上年数字有误，请先更正上年报告并告知我们，不要改动锁定的单元格。"
        )
        if result.without_previous:
            paragraphs.append(
                f"以下 {len(result.without_previous)} 个单位未找到上年报告，上年结转未预填，请按本单位上年报告自行填写："
                + "、".join(result.without_previous) + "。"
            )
    due = f"于{_date(result.due)}前" if result.due else "按规定时间"
    paragraphs += [
        f"二、报送什么。请{due}报送填好的工作簿本身（{_ACCEPTED_KINDS}，保持原文件名，不要改动表格结构和标签文字，"
        "不要另存为图片或 PDF）；报告正式发布后，请同时报送已发布报告的网页地址或 Word 文件，以便核对发布稿与报送数字一致。",
        "三、如何校验。收到的工作簿将逐一用程序校验：各项之和是否等于合计、总计，依申请公开表的勾稽关系"
        "（第一项加第二项之和等于第三项加第四项之和）、上年结转与上年报告是否一致、数字是否为不小于0的整数；"
        "有台账、清单记录的，还将核对表三、信息处理费和主动公开分类是否与按日期统计的记录数一致；"
        f"未填写的工作簿（除预填内容外什么也没填）不计入汇总。报送前请先查看工作簿的“{form.SHEET_CHECKS}”工作表，确认每条规则均显示 ✓。"
        "不通过的将连同标注了问题位置的工作簿退回修改。",
    ]
    if sender:
        paragraphs.append(sender)
    paragraphs.append(_date(issued or _dt.date.today()))
    return title, paragraphs


def registers_paragraph(carried_over: bool) -> str:
    """What the notice says of the registers the workbook keeps (form.REGISTERS): optional, the
    source of table 三, the fees and the categories when kept; last year's carry-over stands."""
    sheets = "、".join(f"“{register.sheet}”" for register in form.REGISTERS)
    text = (f"工作簿中的{sheets}工作表供平时逐件登记（不是必填）：有登记的，表三、信息处理费和主动公开分类"
            "应与按日期统计的记录数一致，不一致的在“校验”工作表中标红。")
    if carried_over:
        text += "台账统计的上年结转与预填的不一致时，以上年报告为准，请核对台账。"
    return text


def notice_document(title: str, paragraphs: Sequence[str], *, signed: int) -> Document:
    """As a ``writing.document.Document``: title, salutation, the paragraphs, the signature lines
    (the last ``signed`` paragraphs) flush right."""
    blocks = [Block("title", title), Block("paragraph", paragraphs[0], flush="left")]
    body = paragraphs[1 : len(paragraphs) - signed]
    blocks += [Block("paragraph", text) for text in body]
    blocks += [Block("paragraph", text, flush="right") for text in paragraphs[len(paragraphs) - signed :]]
    return Document(title, tuple(blocks))


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _file_names(units: Sequence[str]) -> list[str]:
    """One workbook name a unit, as safe as a return folder's (``returns.folder_name``), distinct."""
    names: list[str] = []
    taken: set[str] = set()
    for unit in units:
        name = folder_name(unit, unit)
        while name.lower() in taken:
            name += "_"
        taken.add(name.lower())
        names.append(name)
    return names


def write_templates(
    out_dir: str | os.PathLike,
    roster: str | os.PathLike | Sequence[str],
    year: int,
    *,
    previous: PreviousYear | Sequence[str | os.PathLike] | None = None,
    due: _dt.date | None = None,
    sender: str | None = None,
    force: bool = False,
) -> Templates:
    """Write one pre-filled template per roster unit into ``out_dir``, and the 下发通知.

    ``roster``: a roster file (``roster.load_roster``) or the names; ``previous``: last year's
    reports (read with ``batch.read_previous`` when given as paths).  Raises ``OutputExists``
    before writing anything when a file exists and ``force`` is not given.  Each file is written
    to a temporary name and renamed into place.
    """
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise error("INVALID_DATA.YEAR_RANGE", option="--year", year_min=YEAR_MIN, year_max=YEAR_MAX, year=year)
    units = load_roster(roster) if isinstance(roster, (str, os.PathLike)) else list(roster)
    if not units:
        raise error("INVALID_DATA.ROSTER_NO_UNITS")
    target = Path(out_dir)
    if target.exists() and not target.is_dir():
        raise error("OUTPUT_NOT_WRITABLE.FOLDER_IS_FILE", target=target, path=str(target))
    names = _file_names(units)
    outputs = [target / f"{name}.xlsx" for name in names] + [target / f"{NOTICE_NAME}{s}" for s in (".docx", ".txt")]
    existing = [p for p in outputs if p.exists()]
    if existing and not force:
        shown = "、".join(str(p) for p in existing[:5]) + (f" 等 {len(existing)} 个" if len(existing) > 5 else "")
        raise error("OUTPUT_EXISTS.OUTPUTS", listed=shown, path=str(existing[0]))
    last_year = previous if isinstance(previous, PreviousYear) or previous is None else read_previous(previous)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error("OUTPUT_NOT_WRITABLE.FOLDER", target=target, reason=os_reason(exc), path=str(target)) from exc

    from .writing.workbook import write_template

    result = Templates(target, year, due, previous_given=last_year is not None)
    by_unit = index_previous(last_year.reports, year) if last_year is not None else {}
    if last_year is not None:
        result.unreadable = list(last_year.unreadable)
    on_roster = {normalise_unit_name(u) for u in units}
    for unit, name in zip(units, names):
        last = by_unit.get(normalise_unit_name(unit))
        carried = carry_over(last) if last is not None else {}
        sent = SentTemplate(unit, target / f"{name}.xlsx", previous=last.file if last is not None else None)
        sent.carried_over = {path[-1]: fill.value for path, fill in carried.items()}  # type: ignore[misc]
        write_template(sent.file, unit=unit, year=year, prefilled=carried,
                       in_force_last_year=in_force(last) if last is not None else None, force=True)
        if last_year is not None and last is None:
            result.without_previous.append(unit)
        result.templates.append(sent)
    if last_year is not None:
        result.not_on_roster = [
            {"unit": report.unit, "file": report.file}
            for key, report in by_unit.items() if key not in on_roster
        ]
    _write_notice(result, sender)
    return result


def _write_notice(result: Templates, sender: str | None) -> None:
    from .writing.docx import docx_bytes

    title, paragraphs = notice_lines(result, sender=sender)
    docx = result.folder / f"{NOTICE_NAME}.docx"
    text = result.folder / f"{NOTICE_NAME}.txt"
    with atomic_output(docx, force=True) as tmp:
        tmp.write_bytes(docx_bytes(notice_document(title, paragraphs, signed=2 if sender else 1)))
    with atomic_output(text, force=True) as tmp:
        # CRLF and a BOM: Notepad on an older Windows shows it whole (as the 退回通知)
        tmp.write_text("\r\n".join([title, "", *paragraphs]) + "\r\n", encoding="utf-8-sig", newline="")
    result.notice, result.notice_text = docx, text

