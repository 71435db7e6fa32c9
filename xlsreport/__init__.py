"""xlsreport: the Excel side of 政府信息公开工作年度报告.

The library is the product; ``xlsreport.cli`` is a thin adapter over it.  Heavy modules are
imported on first use, so ``import xlsreport`` and ``xlsreport --help`` stay fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS = {
    "write_template": "writing.workbook",
    "read": "reading.report",
    "check": "batch",
    "check_file": "batch",
    "collect_inputs": "batch",
    "RULES": "rules",
    "merge": "merger",
    "summarize": "summary",
    "layout": "writing.workbook",
    "annotate": "writing.annotate",
    "check_report": "checker",
    "load_roster": "roster",
    "Report": "model",
    "Finding": "model",
    "FileResult": "model",
    "CheckResult": "model",
    "XlsreportError": "errors",
    "UnreadableWorkbook": "errors",
    "UnsupportedFormat": "errors",
    "EncryptedWorkbook": "errors",
    "LimitExceeded": "errors",
    "OutputExists": "errors",
    "render": "publish",
    "write_templates": "sending",
    "compare_reports": "compare",
    "Prefill": "model",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'xlsreport' has no attribute {name!r}")
    return getattr(import_module(f".{module}", __name__), name)
