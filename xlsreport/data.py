"""Loading the JSON shape of FORM.md from a file (for ``template --from``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import form
from .errors import error, os_reason
from .model import format_number

# What the json module says (English), in Chinese; anything else is shown as it says it.
_JSON_REASONS = (
    ("Expecting value", "此处应是一个值"),
    ("Expecting property name enclosed in double quotes", "键名应写在英文双引号内"),
    ("Expecting ',' delimiter", "缺少英文逗号"),
    ("Expecting ':' delimiter", "缺少英文冒号"),
    ("Unterminated string", "字符串缺少结尾的双引号"),
    ("Invalid control character", "字符串中有控制字符"),
    ("Invalid \\escape", "字符串中的反斜杠转义无效"),
    ("Extra data", "JSON 对象之后还有多余内容"),
)


def load_data(path: str | Path) -> dict:
    """The JSON object in ``path``; a clear Chinese error for a missing file or bad JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error("INVALID_DATA.DATA_NOT_FOUND", name=path, path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise error("INVALID_DATA.DATA_ENCODING", name=path, byte=exc.start + 1, path=str(path)) from None
    except OSError as exc:
        raise error("INVALID_DATA.DATA_UNREADABLE", name=path, reason=os_reason(exc), path=str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = next((said for start, said in _JSON_REASONS if exc.msg.startswith(start)), exc.msg)
        raise error("INVALID_DATA.JSON_SYNTAX", name=path, line=exc.lineno, column=exc.colno, reason=reason, path=str(path)) from None
    if not isinstance(data, dict):
        raise error("INVALID_DATA.JSON_NOT_OBJECT", name=path, path=str(path))
    return data


@dataclass(frozen=True)
class StatedTotal:
    """A total the data states otherwise than its items add up to (the template writes the sum:
    its totals are formulas)."""

    path: form.Path
    stated: int | float
    computed: int | float

    @property
    def message(self) -> str:
        leaf = form.LEAF_BY_PATH[self.path]
        return (
            f"{leaf.part.sheet}「{leaf.full_label}」（{'.'.join(self.path)}）：数据中为 {format_number(self.stated)}，"
            f"但各项之和为 {format_number(self.computed)}；工作簿中的合计是公式，按各项之和 {format_number(self.computed)} 计。"
        )


def stated_totals_differing(data: dict) -> list[StatedTotal]:
    """The totals ``data`` states that its items do not add up to, in the form's order.

    For data the template accepted (numbers where numbers belong): a total the data leaves out
    or gives as None is not stated."""
    computed = form.compute_totals(data)
    differing = []
    for leaf in form.NUMERIC_LEAVES:
        if not leaf.computed:
            continue
        stated, total = form.get_path(data, leaf.path), form.get_path(computed, leaf.path)
        if isinstance(stated, (int, float)) and not isinstance(stated, bool) and total is not None and abs(stated - total) > 1e-9:
            differing.append(StatedTotal(leaf.path, stated, total))
    return differing
