"""Loading the JSON shape of FORM.md from a file (for ``template --from``)."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import InvalidData


def load_data(path: str | Path) -> dict:
    """The JSON object in ``path``; a clear Chinese error for a missing file or bad JSON."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidData(f"找不到数据文件 {path}。", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidData(f"无法读取数据文件 {path}：{exc}。它应是 UTF-8 编码的 JSON 文件。", path=str(path)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidData(f"数据文件 {path} 不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）。", path=str(path)) from None
    if not isinstance(data, dict):
        raise InvalidData(f"数据文件 {path} 的内容应是一个 JSON 对象（与 xlsreport read --json 的输出相同）。", path=str(path))
    return data
