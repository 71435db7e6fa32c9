"""Rich views for the terminal.  Only the CLI imports this module; the library never does."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import form
from .model import CheckResult, Report, format_number
from .rules import ERROR_WORD, RULES, SEVERITY_LABELS, WARNING_WORD
from .streams import DEGRADE
from .wrap import spans

_SEVERITY = {
    "error": (SEVERITY_LABELS["error"], "bold red"),
    "warning": (SEVERITY_LABELS["warning"], "yellow"),
    "info": (SEVERITY_LABELS["info"], "dim"),
}


class _Screen(Console):
    @property
    def encoding(self) -> str:
        # GBK output (a Chinese Windows desk, redirected) has the box-drawing lines rich draws
        # with; the CLI's error handler degrades the few symbols it lacks (✓ → √).  Without this
        # rich would fall back to ASCII boxes, "|" between every column.
        if getattr(self.file, "errors", None) == DEGRADE:
            return "utf-8"
        return super().encoding

    def on_broken_pipe(self) -> None:
        # rich would exit with 1 ("findings") here; the CLI ends a closed pipe as every command does
        raise BrokenPipeError


def _stdout(stderr: bool = False) -> Console:
    # Piped output has no terminal to fit: keep tables whole and lines unbroken.  On a terminal
    # (or with COLUMNS set) rich wraps every line to the width, so none runs over the edge.
    piped = not (sys.stderr if stderr else sys.stdout).isatty() and "COLUMNS" not in os.environ
    return _Screen(stderr=stderr, highlight=False, soft_wrap=piped, width=200 if piped else None)


def _print_wrapped(console: Console, text: Text | str, *, indent: str = "", hang: str = "", style: str = "") -> None:
    """``text`` on as many lines as the screen needs, broken where a Chinese reader allows
    (``wrap.spans``: never inside a number, a cell reference, a file name or a document number,
    never before 。); the first line after ``indent``, the others after ``indent + hang``.  One
    line when piped (``soft_wrap``): nothing to fit."""
    if isinstance(text, str):
        text = Text(text, style=style)
    if console.soft_wrap:
        for paragraph in text.split("\n"):
            console.print(Text(indent) + paragraph)
        return
    lead, cont = indent, indent + hang
    if cell_len(cont) + 2 > console.width:  # too narrow for the indent: give it up
        lead = cont = ""
    for paragraph in text.split("\n"):
        for i, (start, end) in enumerate(spans(paragraph.plain, console.width, first=cell_len(lead), rest=cell_len(cont))):
            console.print(Text(lead if i == 0 else cont) + paragraph[start:end], no_wrap=True, overflow="ignore")


def show_list(head: str, names: Sequence[str], style: str = "", *, stderr: bool = False) -> None:
    """``head`` and the names after it (on stderr with ``stderr``): see :func:`_print_list`."""
    _print_list(_stdout(stderr), head, names, style)


def _print_list(console: Console, head: str, names: Sequence[str], style: str = "") -> None:
    """``head`` and the names after it, as many lines as the screen needs, no name broken; one
    line when piped."""
    items = [f"{name}、" for name in names[:-1]] + list(names[-1:])
    for line in [head + "".join(items)] if console.soft_wrap else pack([head, *items], console.width, hang="  "):
        console.print(Text(line, style=style))


def progress_bar(description: str) -> tuple[Callable[[int, int, str], None], Callable[[], None]]:
    """A progress bar on stderr: returns (update(done, total, path), close()).  Redrawn by
    ``update`` (at most ten times a second), not by a refresh thread of rich's: a threaded process
    may not fork, and the document worker is forked (reading.isolate) — with a thread every
    document went to a freshly started interpreter instead."""
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn(description),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[name]}", style="dim"),
        console=Console(stderr=True),
        transient=True,
        auto_refresh=False,
    )
    task = progress.add_task(description, total=None, name="")
    progress.start()
    drawn = [0.0]

    def update(done: int, total: int, path: str = "") -> None:
        progress.update(task, completed=done, total=total, name=str(path)[-40:])
        now = time.monotonic()
        if now - drawn[0] >= 0.1 or done == total:
            drawn[0] = now
            progress.refresh()

    return update, progress.stop


def _number(value) -> str:
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else "—"


def show_report(report: Report, before_verdict: Callable[[], None] | None = None) -> None:
    """The numbers of one file, part by part, in the form's own labels (no verdict: what else
    there is to say comes last)."""
    console = _stdout()
    data = report.to_dict()
    sums = report.to_dict(recompute=True)

    def shown(path: form.Path) -> str:
        value, expected = form.get_path(data, path), form.get_path(sums, path)
        if value != expected:
            return f"{_number(value)}（各项之和 {_number(expected)}）"
        return _number(value)

    title = f"{report.unit or '（未填单位名称）'} {report.year or ''} — {report.file}"
    _print_wrapped(console, title, style="bold", hang="  ")
    for note in report.notes:
        _print_wrapped(console, f"注：{note}", style="yellow", hang="  ")
    _registers_said(console, report)
    for part in form.PARTS:
        values = data.get(part.key)
        if values is None:
            _print_wrapped(console, f"{part.heading}：文件中没有这一部分", style="dim")
            continue
        if part.fields:
            table = Table(show_header=False)
            table.add_column("项目", overflow="fold")
            table.add_column("数值", justify="right", overflow="fold")
            rows = []
            for f in part.fields:
                value = values.get(f.key)
                if f.kind in ("count", "money"):
                    rows.append((f.label, shown((part.key, f.key))))
                else:  # words read from the left: a name, a date, a paragraph of the report
                    rows.append((f.label, Text("" if value is None else str(value), justify="left")))
                table.add_row(*rows[-1])
            # the heading over the table, on the screen's width (rich would fold it to the table's)
            _print_wrapped(console, part.heading, style="italic")
            if _fits(console, table):
                console.print(table)
            else:  # the report's paragraphs: each under its label, wrapped as Chinese is (wrap.spans)
                for label, value in rows:
                    _print_wrapped(console, label, style="bold")
                    _print_wrapped(console, value if isinstance(value, Text) else Text(value), indent=_INDENT)
        for grid in part.grids:
            title = part.heading if grid.heading == part.heading else f"{part.heading} {grid.heading}"
            headers = [column.label for column in grid.columns]
            rows = []
            for row in grid.rows:
                label = "".join(row.group[1:] + (row.label,))
                if grid.flat:
                    rows.append((label, [shown((part.key, row.key))]))
                else:
                    rows.append((label, [shown((part.key, row.key, c.key)) for c in grid.columns]))
            _grid(console, title, grid.row_header or "项目", headers, rows)
    _before(before_verdict)


def _registers_said(console: Console, report: Report) -> None:
    """How many records each register holds and how many count for the report year (the rest
    are of other years: information, not a problem)."""
    from .register import count_ledger, count_published

    for register, count in ((form.LEDGER, count_ledger), (form.PUBLISHED, count_published)):
        table = report.registers.get(register.key)
        if table is None or not table.rows:
            continue
        said = f"“{table.sheet}”：{len(table.rows)} 条记录"
        if report.year is not None:
            counted = count(table, report.year)
            said += f"，计入 {report.year} 年 {counted.counted} 条"
            if counted.outside():
                said += f"；{counted.outside()}，不计入本年度"
            if counted.uncountable:
                said += f"；{len(counted.uncountable)} 行无法统计（check 逐行列出）"
        console.print(Text(said + "。"))


def _grid(console: Console, title: str, row_header: str, headers: list[str], rows: list[tuple[str, list[str]]]) -> None:
    """A table of the form when it fits the screen; else each row as a block: its label, then
    "column value" pairs under it — the form's labels whole either way."""
    table = Table()
    table.add_column(row_header, overflow="fold")
    for header in headers:
        table.add_column(header, justify="right", overflow="fold")
    for label, cells in rows:
        table.add_row(label, *cells)
    _print_wrapped(console, title, style="italic")
    if _fits(console, table):
        console.print(table)
        return
    for label, cells in rows:
        _print_wrapped(console, label, style="bold")
        pairs = [f"{header} {cell}" for header, cell in zip(headers, cells)] if len(headers) > 1 else cells
        for line in pack(pairs, console.width, indent=_INDENT):
            console.print(Text(line))


def show_check(result: CheckResult, console: Console | None = None, before_verdict: Callable[[], None] | None = None) -> None:
    """Findings grouped by file, then a one-line verdict — the last line of every view:
    ``before_verdict`` says what else there is to say (on stderr) before it."""
    console = console or _stdout()
    for file in result.files:
        who = " ".join(str(x) for x in (file.unit, file.year) if x) or "未填单位名称"
        if not file.readable:
            _print_wrapped(console, f"✗ {file.file}：无法读取 — {file.error}", style="bold red", hang="  ")
            continue
        mark, style = ("✓", "green") if file.is_valid(result.strict) else ("✗", "bold red")
        errors = sum(f.severity == "error" for f in file.findings)
        warnings = sum(f.severity == "warning" for f in file.findings)
        _print_wrapped(console, f"{mark} {file.file}（{who}）：{errors} 个{ERROR_WORD}，{warnings} 个{WARNING_WORD}", style=style, hang="  ")
        for finding in file.findings:
            _print_finding(console, finding)
    counts = result.counts
    verdict = (
        f"共 {counts['files']} 个文件：{counts['valid']} 个通过，"
        f"{counts['files'] - counts['valid'] - counts['unreadable']} 个有问题，{counts['unreadable']} 个无法读取；"
        f"{ERROR_WORD} {counts['errors']} 个，{WARNING_WORD} {counts['warnings']} 个。"
    )
    _before(before_verdict)
    _print_wrapped(
        console, ("校验通过。" if result.valid else "校验未通过。") + verdict, style="bold green" if result.valid else "bold red",
        hang="  ",
    )


def _print_finding(console: Console, finding) -> None:
    """One finding, indented under its file: severity, message, where (unless the message already
    names its cells: a grouped warning lists them, an identity points at its total), rule code."""
    label, fstyle = _SEVERITY[finding.severity]
    told = any(cell and cell in finding.message for cell in finding.cells)
    where = "" if told else "、".join(finding.cells[:6]) + ("等" if len(finding.cells) > 6 else "")
    line = Text()
    line.append(f"[{label}] ", style=fstyle)
    line.append(finding.message)
    if where:
        line.append(f"  ({where})", style="dim")
    line.append(f"  {finding.rule}", style="dim")
    # on a screen, wrapped lines stay indented under the finding instead of under the file
    _print_wrapped(console, line, indent="   ")


def _before(before_verdict: Callable[[], None] | None) -> None:
    if before_verdict is not None:
        before_verdict()


def show_render(result, out, console: Console | None = None, before_verdict: Callable[[], None] | None = None) -> None:
    """What ``render`` found and did: the check's findings, then written, forced or refused."""
    console = console or _stdout()
    for finding in result.findings:
        _print_finding(console, finding)
    _before(before_verdict)
    if getattr(result, "unfilled", False):
        _print_wrapped(console, f"✗ 表格未填写（除预填内容外什么也没填），没有可以发布的内容，未生成 {out}。", style="bold red", hang="  ")
    elif not result.written:
        _print_wrapped(console, f"✗ {_blocking(result)}，未生成 {out}；改正后重新运行，或加 --publish-with-errors 仍然生成。", style="bold red", hang="  ")
    elif result.forced:
        _print_wrapped(console, f"! {_blocking(result)}，按 --publish-with-errors 仍生成了 {out}；发布前请改正。", style="yellow", hang="  ")
    else:
        _print_wrapped(console, f"✓ 已生成 {out}", style="green", hang="  ")


def _blocking(result) -> str:
    """Why a report may not be published: "不能发布（校验发现 2 个错误；未填写单位名称）"."""
    errors = len(result.errors)
    reasons = [f"校验发现 {errors} 个{ERROR_WORD}"] if errors else []
    reasons += dict.fromkeys(RULES[f.rule].title for f in result.blocking if f.severity != "error")
    return f"不能发布（{'；'.join(reasons)}）"


_STATUS_MARK = {
    "merged": ("✓", "green"),
    "merged_with_errors": ("!", "yellow"),
    "failed": ("✗", "bold red"),
    "duplicate": ("=", "dim"),
    "published": ("=", "dim"),
    "wrong_year": ("✗", "red"),
    "blank": ("✗", "red"),
    "summed_twice": ("=", "dim"),
    "unreadable": ("✗", "bold red"),
}
_TOTALS_LABEL = "合计（计入汇总的单位）"
_GAP = "  "  # between the items of a packed line
_NO_GAP_AFTER = ("：", "、", "，", "；", "。")
_INDENT = "    "  # the figures under a unit's name in the list layout
# Characters that end the name of an administrative division (微山县, 济宁市, 巴州区 ...).
_DIVISION_ENDS = "省市县区旗州盟"


# --------------------------------------------------------------------------------------------
# Fitting a batch's rows to the width of the screen
# --------------------------------------------------------------------------------------------


def county_prefix(names: Sequence[str]) -> str:
    """The administrative prefix every name starts with (``微山县``), or "" when there is none.

    The prefix is cut only after a division's name (…省, …市, …县, …区, …旗, …州, …盟), so
    ``微山县西平镇`` and ``微山县西城镇`` share ``微山县``, never ``微山县西``.  A division after the
    first needs two characters before its ending (``城市`` in ``微山县城市管理局`` is no division),
    and ``徐州市`` is one division, not ``徐州`` + ``市``.  Every name keeps at least two characters.
    """
    names = [n for n in names if n]
    if len(names) < 2:
        return ""
    common = os.path.commonprefix(names)
    prefix = ""
    for end, char in enumerate(common, start=1):
        if char not in _DIVISION_ENDS or (end < len(common) and common[end] in _DIVISION_ENDS):
            continue
        if end - len(prefix) >= (2 if not prefix else 3):
            prefix = common[:end]
    if any(len(n) - len(prefix) < 2 for n in names):
        return ""
    return prefix


def pack(items: Sequence[str], width: int, *, indent: str = "", hang: str = "") -> list[str]:
    """``items`` joined into lines no wider than ``width`` cells (two or more), each item whole.

    Items are separated by two spaces, or by nothing after Chinese punctuation (：、，；。).  Every line starts with
    ``indent``, every line after the first with ``indent + hang`` (dropped on a screen too narrow
    for them).  An item wider than a line by itself is folded between characters rather than
    shortened: nothing is ever lost to an ellipsis.
    """
    lines: list[str] = []
    line = ""  # the current line, without its lead

    def lead() -> str:
        full = indent + (hang if lines else "")
        return full if cell_len(full) + 2 <= width else ""  # room left for one Chinese character

    for item in items:
        joined = line + ("" if line.endswith(_NO_GAP_AFTER) else _GAP) + item
        if line and cell_len(lead() + joined) <= width:
            line = joined
            continue
        if line:
            lines.append(lead() + line)
        line = item
        while cell_len(lead() + line) > width:  # one item wider than the screen: wrap it (wrap.spans)
            cut = spans(line, width, first=cell_len(lead()))[0][1]
            lines.append(lead() + line[:cut])
            line = line[cut:].lstrip(" ")
    if line:
        lines.append(lead() + line)
    return lines


def _say(console: Console, text: str, style: str) -> None:
    """A sentence, broken only after its Chinese punctuation when it is wider than the screen."""
    clauses = [c for c in re.split(r"(?<=[，；。：])", text) if c]
    for line in [text] if console.soft_wrap else pack(clauses, console.width, hang="  "):
        console.print(Text(line, style=style))


def _break_before_bracket(label: str) -> str:
    """``未汇总（有错误）`` on two lines, the bracket on the second: a narrow status column."""
    head, bracket, tail = label.partition("（")
    return f"{head}\n{bracket}{tail}" if head and bracket else label


@dataclass(frozen=True)
class _Fit:
    """How much a table gives up to fit: a name prefix stated once, short headings, folded statuses."""

    prefix: str = ""
    short: bool = False
    fold_status: bool = False
    tight: bool = False  # one space between columns instead of two


def _figure(value) -> str:
    return _number(value) if value is not None else "—"


def _one_year(assessment) -> int | None:
    """The year of the batch (said once in the title): the year summed (given or inferred), else
    the year every row has; None when they differ or are missing."""
    if assessment.year is not None:
        return assessment.year
    years = {row.year for row in assessment.rows}
    return years.pop() if len(years) == 1 and None not in years else None


def _years_differ(assessment) -> bool:
    """True when a row's year is not the title's (a 年度 column / item is then shown per unit)."""
    year = _one_year(assessment)
    return year is None or any(row.year != year for row in assessment.rows)


def _units_table(assessment, fit: _Fit = _Fit()) -> Table:
    """One row per submitted file with its key figures, then the totals of what is (or would be) merged."""

    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        show_footer=True,
        pad_edge=False,
        collapse_padding=True,
        padding=(0, 0) if fit.tight else (0, 1),
    )

    def column(header: str, footer: str = "", right: bool = False) -> None:
        # fold, never ellipsis: if rich ever has to squeeze a column, every character stays on screen
        table.add_column(header, footer=footer, justify="right" if right else "left", overflow="fold")

    column("")
    column("单位", _break_before_bracket(_TOTALS_LABEL) if fit.fold_status else _TOTALS_LABEL)
    show_year = _years_differ(assessment)
    if show_year:
        column("年度")
    column("状态")
    column(ERROR_WORD, right=True)
    column(WARNING_WORD, right=True)
    totals = assessment.totals()
    for figure in form.KEY_FIGURES:
        column(figure.short if fit.short else figure.label, _figure(totals.get(figure.key)), right=True)
    for row in assessment.rows:
        mark, style = _STATUS_MARK.get(row.status, ("?", ""))
        # Text, not str: a unit named "[2024]…" is a name, not rich markup
        name = Text(row.unit[len(fit.prefix):]) if row.unit else Text(Path(row.file).name, style="dim")
        status = _break_before_bracket(row.status_label) if fit.fold_status else row.status_label
        table.add_row(
            Text(mark, style=style),
            name,
            *([str(row.year or "")] if show_year else []),
            Text(status, style=style),
            str(row.errors),
            str(row.warnings),
            *[_figure(row.figures.get(f.key)) for f in form.KEY_FIGURES],
        )
    return table


def _fits(console: Console, table: Table) -> bool:
    """True when the table's natural width (nothing wrapped) fits on the console."""
    natural = console.measure(table, options=console.options.update_width(10_000)).maximum
    return natural <= console.width


def _table_that_fits(console: Console, assessment) -> tuple[Table, _Fit] | None:
    """The most complete table that fits the screen, giving up a little at a time; None: none fits."""
    prefix = county_prefix([row.unit for row in assessment.rows if row.unit])
    ladder = (
        _Fit(),
        _Fit(prefix=prefix, tight=True),
        _Fit(prefix=prefix, short=True),
        _Fit(prefix=prefix, short=True, fold_status=True, tight=True),
    )
    for fit in ladder:
        table = _units_table(assessment, fit)
        if _fits(console, table):
            return table, fit
    return None


def _title(assessment, what: str, prefix: str) -> Text:
    year = _one_year(assessment)
    title = f"{prefix}各单位 " if prefix else ""
    title += f"{year} 年度{what}" if year else what
    if prefix:
        title += f"（单位名称省去“{prefix}”）"
    if getattr(assessment, "year_inferred", False):
        title += f"（未给出 --year，按多数文件的年度汇总 {year} 年度，其他年度的文件未计入）"
    return Text(title, style="bold")


def _legend(console: Console) -> None:
    """What each short heading stands for, in the form's own labels."""

    items = [f"{f.short}＝{f.label}" for f in form.KEY_FIGURES if f.short != f.label]
    for line in pack(["表头：", *items], console.width, hang="  "):
        console.print(Text(line, style="dim"))


def _unit_blocks(console: Console, assessment) -> None:
    """The narrow layout: one block per unit — mark, whole name, status; then its figures by label."""

    show_year = _years_differ(assessment)
    width = console.width

    def block(head: list[str], figures: dict, style: str) -> None:
        for i, line in enumerate(pack(head, width, hang="  ")):
            console.print(Text(line, style=style if i == 0 else ""))
        items = [f"{f.label} {_figure(figures.get(f.key))}" for f in form.KEY_FIGURES]
        for line in pack(items, width, indent=_INDENT):
            console.print(Text(line))

    for row in assessment.rows:
        mark, style = _STATUS_MARK.get(row.status, ("?", ""))
        head = [f"{mark} {row.unit or row.file}"]
        if show_year and row.status != "unreadable":  # a file not read has no year to tell
            head.append(f"{row.year} 年度" if row.year else "未填年度")
        head.append(row.status_label)
        if row.errors:
            head.append(f"{ERROR_WORD} {row.errors}")
        if row.warnings:
            head.append(f"{WARNING_WORD} {row.warnings}")
        block(head, row.figures, style)
    block([_TOTALS_LABEL], assessment.totals(), "bold")


def _units(console: Console, assessment, what: str) -> None:
    """The batch's rows as a table when one fits the screen, else as a list of blocks."""
    fitted = _table_that_fits(console, assessment)
    if fitted is None:
        _print_wrapped(console, _title(assessment, what, ""), hang="  ")
        _unit_blocks(console, assessment)
        return
    table, fit = fitted
    _print_wrapped(console, _title(assessment, what, fit.prefix), hang="  ")
    console.print(table)
    if fit.short:
        _legend(console)


def _missing_and_unreadable(console: Console, assessment) -> None:
    if assessment.missing:
        _print_list(console, f"未报送（{len(assessment.missing)} 个）：", assessment.missing, "bold yellow")
    for item in assessment.unreadable:
        _print_wrapped(console, f"无法读取：{item.file} — {item.message}", style="red", hang="  ")
    # what the batch decided about a file (left out, a duplicate, not on the roster), with its file
    for finding in assessment.findings:
        if RULES[finding.rule].batch:
            label, style = _SEVERITY[finding.severity]
            _say(console, f"[{label}] {finding.message}", style)


def _change(last, now) -> str:
    if last is None or now is None:
        return f"{_figure(last)}→{_figure(now)}"
    delta = now - last
    sign = "+" if delta > 0 else ""
    return f"{_number(last)}→{_number(now)}（{sign}{_number(delta)}）" if delta else f"{_number(now)}（不变）"


def _year_on_year(console: Console, summary) -> None:
    """``summary --previous``: each unit's key figures last year → this year, under the table as
    a list (so the table keeps its width); then the jumps worth a look and who had no report."""
    changes = summary.changes
    prefix = county_prefix([c.unit for c in changes if c.unit])
    _print_wrapped(console, "与上年相比（上年→本年）" + (f"，单位名称省去“{prefix}”" if prefix else ""), style="bold", hang="  ")
    for change in changes:
        name = change.unit[len(prefix):] if change.unit else Path(change.file).name
        items = [
            f"{f.label} {_change(change.last.get(f.key), change.now.get(f.key))}" + ("【异常】" if f.key in change.jumps else "")
            for f in form.KEY_FIGURES
        ]
        for line in pack([f"{name}："], console.width):
            console.print(Text(line, style="bold yellow" if change.jumps else "bold"))
        for line in pack(items, console.width, indent=_INDENT):
            console.print(Text(line))
    for finding in summary.jumps:
        _say(console, f"[{_SEVERITY[finding.severity][0]}] {finding.message}", "yellow")
    if summary.no_previous:
        names = [f.unit or Path(f.file or "").name for f in summary.no_previous]
        head = f"上年无报告（{len(names)} 个，未作跨年度核对）："
        items = [f"{n}、" for n in names[:-1]] + names[-1:]
        for line in pack([head, *items], console.width, hang="  "):
            console.print(Text(line, style="yellow"))


def show_summary(summary, console: Console | None = None, before_verdict: Callable[[], None] | None = None) -> None:
    console = console or _stdout()
    assessment = summary.assessment
    _units(console, assessment, "报送情况")
    if summary.changes is not None:
        _year_on_year(console, summary)
    _missing_and_unreadable(console, assessment)
    counts = assessment.counts()
    _before(before_verdict)
    _say(
        console,
        f"共 {counts['files']} 个文件，{counts['accepted']} 个可以汇总；"
        + (f"未报送 {counts['missing']} 个单位。" if assessment.roster_given else "未给出单位名单（--roster），未核对谁未报送。")
        + "问题详情请用 xlsreport check 查看。",
        "bold",
    )


def show_merge(result, out, console: Console | None = None, before_verdict: Callable[[], None] | None = None) -> None:
    console = console or _stdout()
    assessment = result.assessment
    _units(console, assessment, "汇总")
    _missing_and_unreadable(console, assessment)
    counts = assessment.counts()
    verdict = "全部计入汇总" if result.complete else f"{counts['files'] - counts['accepted']} 个文件未计入汇总（见工作簿中的 明细 和 问题清单）"
    flawed = counts.get("merged_with_errors", 0)
    if flawed:  # --include-failing: said, as the exit code 1 says it
        verdict += f"，其中 {flawed} 个有错误的文件按 --include-failing 计入了合计"
    from .merger import ledger_said, ledger_units

    if ledger_units(assessment.rows):
        _say(console, ledger_said(assessment.rows) + "。", "")
    _before(before_verdict)
    _say(
        console,
        f"已写出 {out}：{result.unit} {result.year}，汇总 {counts['accepted']}/{counts['files']} 个文件，{verdict}。",
        "bold green" if result.complete and not flawed else "bold yellow",
    )


def show_templates(result, console: Console | None = None, before_verdict: Callable[[], None] | None = None) -> None:
    """What ``template --roster`` wrote: the units whose last year was not found and last year's
    units not on the roster (talk, on stderr), then the verdict, last on stdout."""
    console = console or _stdout()
    talk = _stdout(stderr=True)
    if result.without_previous:
        _print_list(talk, f"未找到上年报告、上年结转未预填的 {len(result.without_previous)} 个单位：", result.without_previous)
    if result.not_on_roster:
        _print_list(talk, f"上年报告中有、本次名单上没有的 {len(result.not_on_roster)} 个单位：",
                    [f"{item['unit']}（{item['file']}）" for item in result.not_on_roster])
    _before(before_verdict)
    carried = sum(bool(t.carried_over) for t in result.templates)
    _print_wrapped(console, f"✓ 已生成 {len(result.templates)} 个单位的填报模板到 {result.folder}"
                   + (f"（{carried} 个已预填上年结转）" if result.previous_given else "")
                   + f"，以及 {result.notice.name}、{result.notice_text.name}", style="green", hang="  ")


def show_ledger(result, console: Console | None = None, before_verdict: Callable[[], None] | None = None) -> None:
    """What ``ledger`` counted and typed, table by table; the rows it could not count; the rows
    outside the year (information)."""
    console = console or _stdout()
    console.print(Text(f"{result.unit or '（未填单位名称）'} {result.year}年：按台账统计写入 {result.out}", style="bold"))
    sums = form.compute_totals(_nested({**result.values, **result.kept}))
    for part in (form.APPLICATIONS, form.FEE_NOTICES, form.CATEGORIES):
        if not any(path[0] == part.key for path in result.values):
            continue
        for grid in part.grids:
            headers = [column.label for column in grid.columns]
            rows = [(" ".join(row.group[1:] + (row.label,)),
                     [_number(form.get_path(sums, (part.key, row.key, c.key))) for c in grid.columns]) for row in grid.rows]
            _grid(console, part.heading, "项目", headers, rows)
        if part.fields:
            table = Table(title=part.heading, show_header=False, title_justify="left")
            table.add_column("项目", overflow="fold")
            table.add_column("数值", justify="right", overflow="fold")
            for f in part.fields:
                table.add_row(f.label, _number(form.get_path(sums, (part.key, f.key))))
            console.print(table)
    differing = [(path, value) for path, value in result.kept.items() if result.counted(path) != value]
    if differing:
        console.print(Text(f"× 以下 {len(differing)} 格是下发时按上年报告预填并锁定的，保留预填数字，与台账的统计不符"
                           "（上年结转以上年报告为准，请核对台账；确认上年报告有误的，请先更正上年报告）：", style="bold red"))
        for path, value in differing:
            console.print(Text(f"  {form.LEAF_BY_PATH[path].full_label}：预填 {_number(value)}，台账统计 {_number(result.counted(path))}"))
    for counting in (result.ledger, result.published):
        if counting is None:
            continue
        counted = counting.counted
        console.print(Text(f"{counting.source}（{counting.table.sheet}）：{len(counting.table.rows)} 条记录，"
                           f"计入 {result.year} 年 {counted.counted} 条。"))
        if counted.outside():
            console.print(Text(f"注：{counted.outside()}，不计入本年度。", style="dim"))
        if counted.uncountable:
            console.print(Text(f"× {len(counted.uncountable)} 行无法统计，未计入（已按原样写入工作簿，请改正）：", style="bold red"))
            for row, reason in counted.uncountable:
                console.print(Text(f"  第{row.row}行：{reason}"))
    _before(before_verdict)
    if result.not_counted:
        _print_wrapped(console, f"× 已生成 {result.out}，其中 {result.not_counted} 行无法统计、未计入：改正这些行后重新运行。",
                       style="bold red", hang="  ")
    elif differing:
        _print_wrapped(console, f"! 已生成 {result.out}，但其中 {len(differing)} 格预填的上年结转与台账不符（见上），"
                       "校验时是错误：请核对台账。", style="yellow", hang="  ")
    else:
        _print_wrapped(console, f"✓ 已生成 {result.out}", style="green", hang="  ")


def _nested(values: dict) -> dict:
    data: dict = {}
    for path, value in values.items():
        form.set_path(data, path, value)
    return data
