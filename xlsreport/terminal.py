"""Rich views for the terminal.  Only the CLI imports this module; the library never does."""

from __future__ import annotations

from typing import Callable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from . import form
from .model import CheckResult, Report, format_number

_SEVERITY = {"error": ("错误", "bold red"), "warning": ("警告", "yellow")}


def _stdout() -> Console:
    # Piped output has no terminal to fit: keep tables whole instead of squeezing them to 80 columns.
    import os
    import sys

    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Console(highlight=False, soft_wrap=True, width=200 if wide else None)


def progress_bar(description: str) -> tuple[Callable[[int, int, str], None], Callable[[], None]]:
    """A progress bar on stderr: returns (update(done, total, path), close())."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    progress = Progress(
        TextColumn(description),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[name]}", style="dim"),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task(description, total=None, name="")
    progress.start()

    def update(done: int, total: int, path: str = "") -> None:
        progress.update(task, completed=done, total=total, name=str(path)[-40:])

    return update, progress.stop


def _number(value) -> str:
    return format_number(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else "—"


def show_report(report: Report) -> None:
    """The numbers of one file, part by part, in the form's own labels."""
    console = _stdout()
    data = report.to_dict()
    sums = report.to_dict(recompute=True)

    def shown(path: form.Path) -> str:
        value, expected = form.get_path(data, path), form.get_path(sums, path)
        if value != expected:
            return f"{_number(value)}（各项之和 {_number(expected)}）"
        return _number(value)

    title = f"{report.unit or '（未填单位名称）'} {report.year or ''} — {report.file}"
    console.print(Text(title, style="bold"))
    for note in report.notes:
        console.print(Text(f"注：{note}", style="yellow"))
    for part in form.PARTS:
        values = data.get(part.key)
        if values is None:
            console.print(Text(f"{part.heading}：文件中没有这一部分", style="dim"))
            continue
        if part.fields:
            table = Table(title=part.heading, show_header=False, title_justify="left")
            table.add_column("项目")
            table.add_column("数值", justify="right")
            for f in part.fields:
                value = values.get(f.key)
                text = shown((part.key, f.key)) if f.kind in ("count", "money") else ("" if value is None else str(value))
                table.add_row(f.label, text)
            console.print(table)
        for grid in part.grids:
            table = Table(title=f"{part.heading}" if grid.heading == part.heading else f"{part.heading} {grid.heading}", title_justify="left")
            table.add_column(grid.row_header or "项目")
            for column in grid.columns:
                table.add_column(column.label, justify="right")
            for row in grid.rows:
                label = "".join(row.group[1:] + (row.label,))
                if grid.flat:
                    cells = [shown((part.key, row.key))]
                else:
                    cells = [shown((part.key, row.key, c.key)) for c in grid.columns]
                table.add_row(label, *cells)
            console.print(table)


def show_check(result: CheckResult) -> None:
    """Findings grouped by file, then a one-line verdict."""
    console = _stdout()
    for file in result.files:
        who = " ".join(str(x) for x in (file.unit, file.year) if x) or "未填单位名称"
        if not file.readable:
            console.print(Text(f"✗ {file.file}：无法读取 — {file.error}", style="bold red"))
            continue
        mark, style = ("✓", "green") if file.is_valid(result.strict) else ("✗", "bold red")
        errors = sum(f.severity == "error" for f in file.findings)
        warnings = len(file.findings) - errors
        console.print(Text(f"{mark} {file.file}（{who}）：{errors} 个错误，{warnings} 个警告", style=style))
        for finding in file.findings:
            label, fstyle = _SEVERITY[finding.severity]
            where = "、".join(finding.cells[:6]) + ("等" if len(finding.cells) > 6 else "")
            line = Text("   ")
            line.append(f"[{label}] ", style=fstyle)
            line.append(finding.message)
            if where:
                line.append(f"  ({where})", style="dim")
            line.append(f"  {finding.rule}", style="dim")
            console.print(line)
    counts = result.counts
    verdict = (
        f"共 {counts['files']} 个文件：{counts['valid']} 个通过，"
        f"{counts['files'] - counts['valid'] - counts['unreadable']} 个有问题，{counts['unreadable']} 个无法读取；"
        f"错误 {counts['errors']} 个，警告 {counts['warnings']} 个。"
    )
    console.print(Text(("校验通过。" if result.valid else "校验未通过。") + verdict, style="bold green" if result.valid else "bold red"))


_STATUS_MARK = {
    "merged": ("✓", "green"),
    "merged_with_errors": ("!", "yellow"),
    "failed": ("✗", "bold red"),
    "duplicate": ("=", "dim"),
    "wrong_year": ("✗", "red"),
    "unreadable": ("✗", "bold red"),
}


def _units_table(assessment) -> Table:
    """One row per submitted file with its key figures, then the totals of what is (or would be) merged."""
    from .summary import KEY_FIGURES

    table = Table(title_justify="left", show_footer=True)
    table.add_column("", footer="")
    table.add_column("单位", footer="合计（计入汇总的单位）")
    table.add_column("年度")
    table.add_column("状态")
    table.add_column("错误", justify="right")
    table.add_column("警告", justify="right")
    totals = assessment.totals()
    for figure in KEY_FIGURES:
        total = totals.get(figure.key)
        table.add_column(figure.label, justify="right", footer=_number(total) if total is not None else "—")
    for row in assessment.rows:
        mark, style = _STATUS_MARK.get(row.status, ("?", ""))
        table.add_row(
            Text(mark, style=style),
            row.unit or Text(row.file, style="dim"),
            str(row.year or ""),
            Text(row.status_label, style=style),
            str(row.errors),
            str(row.warnings),
            *[_number(row.figures.get(f.key)) if row.figures.get(f.key) is not None else "—" for f in KEY_FIGURES],
        )
    return table


def _missing_and_unreadable(console: Console, assessment) -> None:
    if assessment.missing:
        console.print(Text(f"未报送（{len(assessment.missing)} 个）：" + "、".join(assessment.missing), style="bold yellow"))
    for item in assessment.unreadable:
        console.print(Text(f"无法读取：{item['file']} — {item['message']}", style="red"))


def show_summary(summary) -> None:
    console = _stdout()
    assessment = summary.assessment
    console.print(_units_table(assessment))
    _missing_and_unreadable(console, assessment)
    counts = assessment.counts()
    console.print(
        Text(
            f"共 {counts['files']} 个文件，{counts['accepted']} 个可以汇总；未报送 {counts['missing']} 个单位。"
            "问题详情请用 xlsreport check 查看。",
            style="bold",
        )
    )


def show_merge(result, out) -> None:
    console = _stdout()
    assessment = result.assessment
    console.print(_units_table(assessment))
    _missing_and_unreadable(console, assessment)
    counts = assessment.counts()
    verdict = "全部计入汇总" if result.complete else f"{counts['files'] - counts['accepted']} 个文件未计入汇总（见工作簿中的 明细 和 问题清单）"
    console.print(
        Text(
            f"已写出 {out}：{result.unit} {result.year}，汇总 {counts['accepted']}/{counts['files']} 个文件，{verdict}。",
            style="bold green" if result.complete else "bold yellow",
        )
    )
