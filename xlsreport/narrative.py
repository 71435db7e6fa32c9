"""Numbers the report's narrative quotes, compared with the tables (rule NARR.MISMATCH).

A published report says "主动公开信息总计58条" in its text and prints 54 in its table: the reader
cannot tell which is right.  Each sentence pattern below names the form value it quotes; a quoted
number that differs from the table's (recomputed) value is a warning — numbers read out of prose
are never certain, so this never stops a report.

Pure: a :class:`~xlsreport.model.Report` in, findings out.  The checker calls
:func:`narrative_findings` for every report that holds a narrative.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from . import form
from .form import Path
from .model import Finding, Report, format_number

RULE = "NARR.MISMATCH"
QUOTE_MAX = 30  # characters of a quoted sentence before it is shortened


@dataclass(frozen=True)
class Quote:
    """A sentence pattern and the form values it quotes (their sum, when several).

    ``pattern`` is a regular expression over the NFKC-normalised text with a group ``n`` (the
    number); a pattern without the group quotes 0 ("未收到…申请").
    """

    pattern: str
    paths: tuple[Path, ...]


_GAP = r"[^。；;\d\n]{0,%d}?"  # words between the key phrase and its number, within one sentence
# What a sentence counts is named by its words: "收到…申请" counts applications unless the words
# between name what else is applied for ("行政复议、行政诉讼的申请" counts reviews and lawsuits).
# An application quote's gap never runs across these words; the review and lawsuit quotes take them.
_REVIEW_WORDS = ("复议", "诉讼")
_APPLICATION_WORD = r"(?:(?!%s)[^。；;\d\n])" % "|".join(_REVIEW_WORDS)
_APPLICATION_GAP = _APPLICATION_WORD + r"{0,%d}?"  # as _GAP
_NOT = r"未(?:收到|发生|有|产生)"  # "none of": the sentence quotes 0
_NOT_GAP = r"[^。；;\d\n未]{0,20}?"  # from the nearest 未: "未收到申请，也未收到行政复议" is two statements
_AND = r"[、和及与或]?"
_T3 = form.APPLICATIONS.key
_TOTAL = "total"
_REVIEW = ((form.REVIEW_LITIGATION.key, "review", _TOTAL),)
_LITIGATION = tuple(
    (form.REVIEW_LITIGATION.key, row.key, _TOTAL) for row in form.REVIEW_LITIGATION.grids[0].rows if row.group
)

QUOTES: tuple[Quote, ...] = (
    Quote(r"主动公开" + _GAP % 15 + r"(?P<n>\d+)\s*条", ((form.CATEGORIES.key, _TOTAL),)),
    Quote(r"(?<!未)(?:收到|受理)" + _APPLICATION_GAP % 20 + r"申请" + _GAP % 10 + r"(?P<n>\d+)\s*件", ((_T3, "new", _TOTAL),)),
    Quote(r"(?<!未)(?:收到|受理)" + _GAP % 10 + r"(?P<n>\d+)\s*件" + _APPLICATION_GAP % 12 + r"申请", ((_T3, "new", _TOTAL),)),
    Quote(r"未收到" + _APPLICATION_WORD + r"{0,20}申请", ((_T3, "new", _TOTAL),)),  # greedy: up to the sentence's last 申请
    # "未收到因政府信息公开提出的行政复议、行政诉讼的申请": none of either (their totals together)
    Quote(_NOT + _NOT_GAP + r"行政复议" + _AND + r"行政诉讼", _REVIEW + _LITIGATION),
    Quote(_NOT + _NOT_GAP + r"行政复议(?!" + _AND + r"行政诉讼)", _REVIEW),
    Quote(_NOT + r"(?:(?!行政复议)[^。；;\d\n未]){0,20}?行政诉讼", _LITIGATION),
    Quote(r"上年结转" + _GAP % 10 + r"(?P<n>\d+)\s*件", ((_T3, form.CARRIED_OVER_ROW, _TOTAL),)),
    Quote(r"(?:办结|答复)" + _GAP % 10 + r"(?P<n>\d+)\s*件", ((_T3, form.HANDLED_TOTAL_ROW, _TOTAL),)),
    Quote(r"结转(?:至)?下一?年度?" + _GAP % 10 + r"(?P<n>\d+)\s*件", ((_T3, form.CARRIED_FORWARD_ROW, _TOTAL),)),
    Quote(r"行政复议" + _GAP % 10 + r"(?P<n>\d+)\s*件", _REVIEW),
    Quote(r"行政诉讼" + _GAP % 10 + r"(?P<n>\d+)\s*件", _LITIGATION),
)


@dataclass(frozen=True)
class Quoted:
    """One number found in the narrative: where, the words, the number, the values it quotes."""

    field: str  # key of the NARRATIVE field
    words: str  # the matched words, as written
    number: int
    paths: tuple[Path, ...]
    start: int = 0  # where the words start in the field's text


def _short(words: str) -> str:
    words = re.sub(r"\s+", "", words)
    if len(words) <= QUOTE_MAX:
        return words
    half = QUOTE_MAX // 2
    return words[:half] + "…" + words[-half:]


def quoted_numbers(texts: dict[str, str | None]) -> list[Quoted]:
    """Every number the narrative ``texts`` (field key → text) quotes, in text order, once each."""
    found: list[Quoted] = []
    seen: set[tuple[tuple[Path, ...], int]] = set()
    for f in form.NARRATIVE.fields:
        text = texts.get(f.key)
        if not text:
            continue
        plain = unicodedata.normalize("NFKC", text)  # full-width digits → ASCII; same length
        hits = []
        for quote in QUOTES:
            for match in re.finditer(quote.pattern, plain):
                number = int(match.group("n")) if "n" in match.groupdict() else 0
                hits.append((match.start(), match.group(0), number, quote.paths))
        for start, words, number, paths in sorted(hits, key=lambda h: h[0]):
            if (paths, number) not in seen:
                seen.add((paths, number))
                found.append(Quoted(f.key, words, number, paths, start))
    return found


def _label(path: Path) -> str:
    leaf = form.LEAF_BY_PATH[path]
    return f"「{leaf.full_label}」"


def narrative_findings(report: Report) -> list[Finding]:
    """A NARR.MISMATCH warning for each number the narrative quotes that differs from its table.

    The table's number is the recomputed total (the sum of the inputs, as the published table
    prints it).  Parts the file does not hold are not compared.
    """
    if form.NARRATIVE.key not in report.parts:
        return []
    if not any(report.text((form.NARRATIVE.key, f.key)) for f in form.NARRATIVE.fields):
        return []  # an empty 报告正文 (most workbooks of a batch): nothing quoted
    data = report.to_dict(recompute=True)
    texts = data.get(form.NARRATIVE.key) or {}
    findings: list[Finding] = []
    for quoted in quoted_numbers(texts):
        if any(path[0] not in report.parts for path in quoted.paths):
            continue
        table = sum(form.get_path(data, path) or 0 for path in quoted.paths)
        if table == quoted.number:
            continue
        text_path = (form.NARRATIVE.key, quoted.field)
        text_cell = report.place(text_path, quoted.start)  # a document: the line of the sentence
        cells = [report.values[p].cell for p in quoted.paths if p in report.values and report.values[p].cell]
        sheet = form.LEAF_BY_PATH[quoted.paths[0]].part.sheet
        labels = "+".join(_label(p) for p in quoted.paths)
        section = form.LEAF_BY_PATH[text_path].label
        findings.append(
            Finding.of(
                RULE,
                cells=(text_cell, *cells),
                paths=(text_path, *quoted.paths),
                file=report.file,
                unit=report.unit,
                year=report.year,
                words=_short(quoted.words),
                sheet=sheet,
                labels=labels,
                table=format_number(table),
                table_cells="、".join(cells) or sheet,
                quoted=quoted.number,
                section=section,
                text_where="，" + text_cell if text_cell else "",
            )
        )
    return findings
