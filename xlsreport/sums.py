"""Adding reports up: the numeric values of many reports, in the JSON shape of the form."""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable

from .form import NUMERIC_LEAVES, Path as FormPath, empty_data, get_path, set_path
from .model import Digest, Report


def _plain(number: Decimal | int) -> int | float:
    if isinstance(number, int):
        return number
    return int(number) if number == number.to_integral_value() else float(number)


def sum_reports(reports: Iterable[Report | Digest]) -> dict:
    """The numeric values of ``reports`` added up, in the JSON shape of the form.

    Each report contributes its recomputed values (``Digest``): totals from their inputs, never
    a stale cached formula result.  Parts a file does not hold count as 0.  Money is added in
    decimal so that 0.1 + 0.2 万元 is 0.3, not 0.30000000000000004.
    """
    sums: dict[FormPath, Decimal | int] = {leaf.path: 0 for leaf in NUMERIC_LEAVES}
    for report in reports:
        data = (report.digest() if isinstance(report, Report) else report).to_dict()
        for leaf in NUMERIC_LEAVES:
            value = get_path(data, leaf.path)
            if value is None or isinstance(value, bool):
                continue
            if leaf.kind == "money" or isinstance(value, float) and not float(value).is_integer():
                sums[leaf.path] = Decimal(sums[leaf.path]) + Decimal(str(value))
            else:
                sums[leaf.path] = sums[leaf.path] + int(value)
    out = empty_data()
    for path, total in sums.items():
        set_path(out, path, _plain(total))
    return out
