"""The command line: parse arguments, call the library, print.  Nothing else lives here.

Data goes to stdout (a rich view, or JSON with ``--json``); progress and messages go to stderr.
Every error the library raises on purpose is one Chinese line and an exit code; a traceback only
with ``--debug``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

import typer

from .clihelp import HELP_OPTIONS, HelpCommand, HelpGroup
from .errors import ExitCode, XlsreportError, error
from .rules import WARNING_WORD
from .streams import any_encoding, json_writer

# Only typer's public API: typer >= 0.26 (pyproject) bundles its own Click, whose exceptions all
# derive from ``typer.TyperException``; a usage error among them has exit_code 2.

app = typer.Typer(
    name="xlsreport",
    help=(
        "政府信息公开工作年度报告工具：生成官方格式的填报工作簿（template），读取工作簿或已发布的报告（read），"
        "校验每一项合计与勾稽关系（check），在终端上看报送情况（summary），汇总成县级工作簿（merge），"
        "生成可发布的年度报告（render），把已发布的报告转成工作簿（import），按台账统计填写表三和分类（ledger）。"
    ),
    cls=HelpGroup,
    context_settings={"help_option_names": HELP_OPTIONS},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@dataclass
class Settings:
    """The global options of one invocation, passed to every command through ``ctx.obj``."""

    debug: bool = False


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"xlsreport {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    debug: bool = typer.Option(False, "--debug", help="出错时显示完整的技术信息（traceback）。"),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="显示版本号。"),
) -> None:
    if not isinstance(ctx.obj, Settings):
        ctx.obj = Settings()
    ctx.obj.debug = ctx.obj.debug or debug
    _debug_log(ctx.obj.debug)


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test runner swaps it per invocation)."""

    @property  # type: ignore[override]
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def _debug_log(debug: bool) -> None:
    """What the parsers of documents said (pdfminer's warnings …) goes to stderr with --debug only."""
    logger = logging.getLogger("xlsreport")
    if not any(isinstance(h, _CurrentStderr) for h in logger.handlers):
        handler = _CurrentStderr()
        handler.setFormatter(logging.Formatter("调试：%(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if debug else logging.WARNING)


def _print_json(value: dict) -> None:
    json_writer()(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


@contextmanager
def _progress(description: str) -> Iterator[Callable | None]:
    """A rich progress bar on stderr while the block runs, when stderr is a terminal; else None."""
    if not sys.stderr.isatty():
        yield None
        return
    from .terminal import progress_bar

    update, close = progress_bar(description)
    try:
        yield update
    finally:
        close()


def _show(result: Any, json_: bool, view: str, *args: object, skipped: Sequence = (), notes: Sequence[str] = ()) -> None:
    """A command's result on stdout: ``--json`` gives ``to_dict()`` (the return packages written
    are part of the result, under ``returns``), else the terminal view ``terminal.<view>``, whose
    verdict line is the last thing said.  Talk goes to stderr, before that verdict: the files
    beside the reports that are not reports (never silently left out), ``notes`` (what else was
    written), the return folders."""

    def talk() -> None:
        _skipped(skipped)
        for note in notes:
            typer.echo(note, err=True)
        _returned(getattr(result, "returns", None))

    if json_:
        _print_json(result.to_dict())
        talk()
    else:
        from . import terminal

        getattr(terminal, view)(result, *args, before_verdict=talk)


def _skipped(skipped: Sequence) -> None:
    if skipped:
        from .terminal import show_list

        show_list(f"已跳过 {len(skipped)} 个不是报表的文件：", [f.file for f in skipped], stderr=True)


def _due(text: str | None, return_dir: Path | None, sender: str | None = None):
    """--due as a date (``returns.parse_due``); the return packages' module only when it is given.
    --due (and check's --unit) say something only in a return notice: without --return-dir they
    are a usage error, not silently dropped.  A date already past is written as given (a clerk
    may be re-sending late notices) but said on stderr."""
    if return_dir is None:
        for option, value in (("--due", text), ("--unit", sender)):
            if value is not None:
                raise error("ERROR.WITHOUT_RETURN_DIR", option=option)
    return _due_date(text)


def _due_date(text: str | None):
    """--due as a date; one already past is written as given but said on stderr."""
    if text is None:
        return None
    import datetime

    from .returns import parse_due

    due = parse_due(text)
    today = datetime.date.today()
    if due < today:
        typer.echo(f"{WARNING_WORD}：--due {due.isoformat()} 早于今天（{today.isoformat()}），通知中仍写这个期限；如有误请改正后重新运行。", err=True)
    return due


_PREVIOUS_HELP = "上一年度各单位的报告：文件或文件夹（工作簿、已发布的报告均可）；按单位名称逐一对应，核对结转数"
_RETURN_HELP = "为每个不通过的单位写一个退回文件夹（标注副本和退回通知）到这里"
_DUE_HELP = "退回通知中写明的重新报送期限，如 2025-03-31（须同时给出 --return-dir）"
_SENDER_HELP = "退回通知的落款（发出通知的单位），如 微山县人民政府办公室（须同时给出 --return-dir）"


def _last_year(previous: Sequence[Path]):
    """--previous: last year's reports (``batch.read_previous``), or None when not given.  Files
    that cannot be read are named on stderr; none readable at all is an error."""
    if not previous:
        return None
    from .previous import read_previous

    last_year = read_previous([str(p) for p in previous])
    for item in last_year.unreadable:
        typer.echo(f"上年报告无法读取，未用于核对：{item.file} — {item.message}", err=True)
    if last_year.skipped:
        names = "、".join(f.file for f in last_year.skipped)
        typer.echo(f"上年报告中已跳过 {len(last_year.skipped)} 个不是报表的文件：{names}", err=True)
    if not last_year.reports:
        first = last_year.unreadable[0]
        raise error("UNREADABLE.PREVIOUS_NONE", file=first.file, reason=first.message, path=first.file)
    return last_year


def _returned(returns) -> None:
    """After the view: where the return packages went."""
    if returns is None:
        return
    for package in returns.packages:
        typer.echo(f"已生成退回文件夹 {package.folder}（{len(package.findings)} 个问题）", err=True)
    if not returns.packages:
        typer.echo("没有需要退回的单位。", err=True)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not raise a second BrokenPipeError
    (the recipe of the Python documentation, "Note on SIGPIPE")."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _outcome(call: Callable[[], object], settings: Settings) -> int:
    """The one place where errors become a Chinese line and an exit code (a traceback only with
    --debug).  ``call`` returns an exit code, or raises."""
    try:
        try:
            code = call()
        finally:
            sys.stdout.flush()  # a closed pipe is met here, inside the handler, not at exit
    except typer.Exit as done:
        return int(done.exit_code)
    except XlsreportError as err:
        _traceback(settings)
        typer.echo(f"错误：{err.message}", err=True)
        return int(err.exit_code)
    except BrokenPipeError:  # `xlsreport check … --json | head`: the reader has all it wanted
        _silence_stdout()
        return int(ExitCode.PIPE_CLOSED)
    except (KeyboardInterrupt, typer.Abort):  # Click's Ctrl-C is typer.Abort
        typer.echo("已中断。", err=True)
        return int(ExitCode.INTERRUPTED)
    except typer.TyperException as err:  # Click's own: usage errors (exit_code 2) and the like
        exit_code = int(getattr(err, "exit_code", ExitCode.USAGE))
        ctx = getattr(err, "ctx", None)
        command = ctx.command_path if ctx is not None else "xlsreport"
        typer.echo(f"错误：{_usage_message(err)}用 {command} --help 查看用法。", err=True)
        return exit_code
    except Exception as err:  # a bug of ours: say so plainly, keep the traceback for --debug
        _traceback(settings)
        typer.echo(
            f"内部错误（{type(err).__name__}: {err}）。这是 xlsreport 的缺陷，请加 --debug 重新运行并报告。",
            err=True,
        )
        return int(ExitCode.INTERNAL)
    return int(code) if isinstance(code, int) else int(ExitCode.OK)


def _traceback(settings: Settings) -> None:
    """With --debug, the traceback of the error being handled, on stderr, before its one line:
    --debug adds words, it never changes the exit code (2 and 3 stay 2 and 3)."""
    if settings.debug:
        import traceback

        traceback.print_exc(file=sys.stderr)


def _debug_anywhere(args: list[str], settings: Settings) -> list[str]:
    """``--debug`` is taken wherever it stands (``xlsreport check x --debug`` as well as
    ``xlsreport --debug check x``), up to a ``--`` that ends the options."""
    end = args.index("--") if "--" in args else len(args)
    if "--debug" in args[:end]:
        settings.debug = True
        return [a for a in args[:end] if a != "--debug"] + args[end:]
    return args


def _run(ctx: typer.Context, action: Callable[[], int]) -> None:
    """Run a command's action; its exit code (taken from its result) ends the command."""
    raise typer.Exit(_outcome(action, ctx.obj if isinstance(ctx.obj, Settings) else Settings()))


@app.command(cls=HelpCommand)
def template(
    ctx: typer.Context,
    out: Path = typer.Argument(..., metavar="输出文件", help="要生成的工作簿，例如 年报模板.xlsx；给出 --roster 时是文件夹，每个单位一个工作簿"),
    unit: Optional[str] = typer.Option(None, "--unit", metavar="单位名称", help="预先填好的单位名称（不超过 255 个字符）"),
    year: Optional[int] = typer.Option(None, "--year", metavar="年度", help="预先填好的报告年度"),
    from_: Optional[Path] = typer.Option(None, "--from", metavar="JSON文件", help="用 JSON 数据（read --json 的格式）预填"),
    roster: Optional[Path] = typer.Option(None, "--roster", metavar="名单文件", help="单位名单：为名单上每个单位生成一个工作簿（需 --year）"),
    previous: list[Path] = typer.Option([], "--previous", metavar="上年文件或文件夹",
                                        help="上一年度各单位的报告（工作簿、已发布的报告均可）：预填上年结转和上年现行有效件数（需 --roster）"),
    due: Optional[str] = typer.Option(None, "--due", metavar="日期", help="下发通知中写明的报送期限，如 2025-01-20（需 --roster）"),
    json_: bool = typer.Option(False, "--json", help="输出 JSON（--roster）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
) -> None:
    """生成官方格式的可填报工作簿（带校验、保护和实时勾稽检查）；给出 --roster 时为名单上每个单位各生成一个，并写下发通知。"""

    def action() -> int:
        from .dates import report_year

        if roster is not None:
            return _templates_for_roster()
        for given, name in ((previous, "--previous"), (due, "--due"), (json_, "--json")):
            if given:
                raise error("ERROR.ROSTER_ONLY", option=name)
        from .data import load_data, stated_totals_differing
        from .writing.workbook import write_template

        data = load_data(from_) if from_ else None
        path = write_template(out, data, unit=unit, year=report_year(year) if year is not None else None, force=force)
        for total in stated_totals_differing(data) if data else ():
            typer.echo(f"{WARNING_WORD}：{from_} 中的合计与各项之和不符 — {total.message}", err=True)
        typer.echo(f"✓ 已生成 {path}")  # the command's verdict: on stdout, last, as every command's
        return ExitCode.OK

    def _templates_for_roster() -> int:
        from .dates import report_year
        from .sending import write_templates

        if year is None:
            raise error("ERROR.ROSTER_WITHOUT_YEAR")
        if unit is not None or from_ is not None:
            raise error("ERROR.ROSTER_WITH_UNIT")
        deadline = _due_date(due)
        last_year = _last_year(previous)
        result = write_templates(out, roster, report_year(year), previous=last_year, due=deadline, force=force)
        _show(result, json_, "show_templates")
        return ExitCode.OK

    _run(ctx, action)


@app.command(cls=HelpCommand)
def read(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="文件", help="已填报的工作簿（xlsx、xls、ods）或已发布的报告（docx、html、pdf、txt）"),
    json_: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """读取一个工作簿或已发布的报告（Word、网页、PDF、纯文本），按官方表格显示其中的数字。"""

    def action() -> int:
        from .inputs import existing_file
        from .reading.report import read as read_report

        report = read_report(existing_file(file))
        _show(report, json_, "show_report")
        return ExitCode.OK

    _run(ctx, action)


@app.command(cls=HelpCommand)
def check(
    ctx: typer.Context,
    inputs: list[Path] = typer.Argument(..., metavar="文件或文件夹", help="工作簿、已发布的报告（docx、html、pdf、txt）或文件夹（其中的报表逐一校验），也可用通配符"),
    previous: list[Path] = typer.Option([], "--previous", metavar="上年文件或文件夹", help=_PREVIOUS_HELP),
    json_: bool = typer.Option(False, "--json", help="输出 JSON"),
    strict: bool = typer.Option(False, "--strict", help="警告也视为不通过"),
    annotate: Optional[Path] = typer.Option(None, "--annotate", metavar="输出文件", help="另存一份标出问题单元格的新工作簿（仅限单个文件）"),
    return_dir: Optional[Path] = typer.Option(None, "--return-dir", metavar="文件夹", help=_RETURN_HELP),
    due: Optional[str] = typer.Option(None, "--due", metavar="日期", help=_DUE_HELP),
    sender: Optional[str] = typer.Option(None, "--unit", metavar="单位名称", help=_SENDER_HELP),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="整数", help="并行进程数"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的 --annotate 输出文件和退回文件夹"),
    against: Optional[Path] = typer.Option(None, "--against", metavar="对照文件",
                                           help="与同一单位同一年度的另一份报告逐项比对：已发布的报告对报送的工作簿（先后不限，仅限单个文件）"),
) -> None:
    """校验工作簿和已发布报告中的每一项合计与勾稽关系。退出码：0 通过，1 有错误，2 用法错误，3 有文件无法读取。"""

    def action() -> int:
        from .batch import check as check_files
        from .model import CheckStream

        returns = _returns_request(return_dir, due, force, sender=sender)
        given = _can_annotate(inputs, annotate, force) if annotate is not None else inputs
        last_year = _last_year(previous)
        # --json alone is written file by file as the files are checked: memory stays flat.
        stream = CheckStream(json_writer(), strict=strict) if json_ and annotate is None and returns is None else None
        with _progress("校验") as progress:
            result = check_files(
                given,
                previous=last_year,
                strict=strict,
                jobs=jobs,
                progress=progress,
                keep_reports=annotate is not None,  # a batch keeps digests only: flat memory
                sink=stream,
                returns=returns,
                against=against,
            )
        if stream is not None:
            code = stream.close(result.skipped)
            sys.stdout.write("\n")
            _skipped(result.skipped)
            return code
        notes = []
        if annotate is not None:  # written before anything is printed: a closed pipe must not lose it
            notes.append(_annotate(result, annotate, force))
        _show(result, json_, "show_check", skipped=result.skipped, notes=notes)
        return result.exit_code

    _run(ctx, action)


def _returns_request(return_dir: Optional[Path], due: Optional[str], force: bool, sender: Optional[str] = None,
                     *, signed_by_option: bool = True):
    """--return-dir (with --due): the library's ``ReturnsRequest``; None without it.  A bad --due
    is refused either way, and so are --due and check's --unit (``signed_by_option``) without
    --return-dir; merge's --unit names the county, whose notices it signs."""
    deadline = _due(due, return_dir, sender if signed_by_option else None)
    if return_dir is None:
        return None
    from .returns import ReturnsRequest

    return ReturnsRequest(return_dir, due=deadline, sender=sender, force=force)


def _can_annotate(inputs: Sequence[Path], out: Path, force: bool):
    """--annotate is refused before the check, not after it: one file only, an output that is not
    the input and does not exist (unless --force).  The inputs collected (``batch.Inputs``), for
    the check: they are not looked for twice."""
    from .inputs import collect_inputs
    from .writing.output import check_output, output_suffix

    output_suffix(out)
    collected = collect_inputs(inputs)
    files = collected.files
    if len(files) != 1:
        raise error("ERROR.ANNOTATE_MANY_GIVEN", count=len(files))
    check_output(out, force=force, inputs=files)
    return collected


def _annotate(result, out: Path, force: bool) -> str:
    """The fresh annotated copy of the one file that was checked (before the check is shown), and
    what to say of it.  A file with nothing to mark gets no copy: one opening on 请修改以下问题
    over an empty list would send a clerk looking for problems that are not there."""
    from .writing.annotate import annotate

    if len(result.files) != 1:
        raise error("ERROR.ANNOTATE_MANY_CHECKED", count=len(result.files))
    checked = result.files[0]
    if not checked.readable:
        raise error("UNREADABLE.ANNOTATE_UNREADABLE", file=checked.file, reason=checked.error, path=checked.file)
    if not checked.findings:
        return f"未发现问题，没有需要标注的单元格，未生成标注副本 {out}。"
    annotate(checked, out, force=force)
    return f"已生成标注副本 {out}（问题单元格标红并附批注）"


@app.command(cls=HelpCommand)
def merge(
    ctx: typer.Context,
    inputs: list[Path] = typer.Argument(..., metavar="文件或文件夹", help="各单位的工作簿或已发布的报告、文件夹或通配符"),
    out: Path = typer.Option(..., "--out", "-o", metavar="输出文件", help="汇总工作簿"),
    unit: str = typer.Option(..., "--unit", metavar="单位名称", help="汇总单位名称，例如 微山县"),
    year: int = typer.Option(..., "--year", metavar="年度", help="报告年度"),
    roster: Optional[Path] = typer.Option(None, "--roster", metavar="名单文件", help="应报送单位名单（文本文件每行一个，或工作簿第一列）"),
    include_failing: bool = typer.Option(False, "--include-failing", help="有错误的单位也计入合计（并标注）"),
    previous: list[Path] = typer.Option([], "--previous", metavar="上年文件或文件夹", help=_PREVIOUS_HELP),
    return_dir: Optional[Path] = typer.Option(None, "--return-dir", metavar="文件夹", help=_RETURN_HELP),
    due: Optional[str] = typer.Option(None, "--due", metavar="日期", help=_DUE_HELP),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="整数", help="并行进程数"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件和退回文件夹"),
    json_: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """校验并汇总各单位的工作簿，生成汇总工作簿（汇总说明、汇总表、明细、问题清单、未报送）。退出码：0 全部计入汇总，1 有单位未计入合计或按 --include-failing 带着错误计入，2 用法错误，3 有文件无法读取（汇总工作簿照样写出）。"""

    def action() -> int:
        from .merger import merge as merge_files

        returns = _returns_request(return_dir, due, force, sender=unit, signed_by_option=False)  # the county signs its notices
        last_year = _last_year(previous)
        with _progress("汇总") as progress:
            result = merge_files(
                [str(p) for p in inputs],
                out,
                unit=unit,
                year=year,
                roster=roster,
                include_failing=include_failing,
                jobs=jobs,
                force=force,
                progress=progress,
                previous=last_year,
                returns=returns,
            )
        _show(result, json_, "show_merge", out, skipped=result.assessment.skipped)
        return result.exit_code

    _run(ctx, action)


@app.command(cls=HelpCommand)
def summary(
    ctx: typer.Context,
    inputs: list[Path] = typer.Argument(..., metavar="文件或文件夹", help="各单位的工作簿或已发布的报告、文件夹或通配符"),
    roster: Optional[Path] = typer.Option(None, "--roster", metavar="名单文件", help="应报送单位名单"),
    year: Optional[int] = typer.Option(None, "--year", metavar="年度", help="只按这一报告年度汇总（其他年度的文件标为年度不符），与 merge 相同；不给时按多数文件的年度"),
    include_failing: bool = typer.Option(False, "--include-failing", help="有错误的单位也计入合计，与 merge 相同"),
    previous: list[Path] = typer.Option([], "--previous", metavar="上年文件或文件夹", help=_PREVIOUS_HELP + "，并列出各单位关键数字与上年相比的变化"),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, metavar="整数", help="并行进程数"),
    json_: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """在终端上汇总报送情况：谁已报送、谁未报送、关键数字、哪些有问题。退出码：0；没有一个文件可以汇总时 1；用法错误时 2；有文件无法读取时 3。"""

    def action() -> int:
        from .summary import summarize

        last_year = _last_year(previous)
        with _progress("读取") as progress:
            result = summarize(
                [str(p) for p in inputs],
                roster=roster,
                year=year,
                include_failing=include_failing,
                jobs=jobs,
                progress=progress,
                previous=last_year,
            )
        _show(result, json_, "show_summary", skipped=result.assessment.skipped)
        return result.exit_code

    _run(ctx, action)


@app.command(cls=HelpCommand)
def render(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="文件", help="已填报的工作簿（xlsx、xls、ods）或已发布的报告（docx、html、pdf、txt）"),
    out: Path = typer.Option(..., "--out", "-o", metavar="文件", help="要生成的年度报告：.docx（Word）或 .html（网页）"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
    publish_with_errors: bool = typer.Option(
        False, "--publish-with-errors", help="校验有错误或未填单位名称、年度时仍然生成（发布前务必改正）"
    ),
    json_: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """校验后把工作簿（或已发布的报告）生成可发布的年度报告（Word 或网页）。退出码：0 已生成，1 有错误或未填单位名称、年度而未生成，2 用法错误。"""

    def action() -> int:
        from .inputs import existing_file
        from .publish import render as render_report

        result = render_report(existing_file(file), out, force=force, publish_with_errors=publish_with_errors)
        _show(result, json_, "show_render", out)
        return result.exit_code

    _run(ctx, action)


@app.command(name="import", cls=HelpCommand)
def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., metavar="文件", help="已发布的年度报告（Word、网页、PDF、纯文本）或工作簿"),
    out: Path = typer.Option(..., "--out", "-o", metavar="输出文件", help="要生成的工作簿，例如 2024年报.xlsx"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
    json_: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """把已发布的年度报告转成官方格式的工作簿（表格和报告正文按原文填好，数字照印）。"""

    def action() -> int:
        from .inputs import existing_file
        from .importer import import_report

        result = import_report(existing_file(file), out, force=force)
        _show(result, json_, "show_render", out)
        return result.exit_code

    _run(ctx, action)


@app.command(cls=HelpCommand)
def ledger(
    ctx: typer.Context,
    file: Optional[Path] = typer.Argument(None, metavar="台账文件", help="依申请公开台账：xlsx、xls、ods 或 CSV（UTF-8 或 GBK），第一行（或前几行中的一行）是表头"),
    out: Path = typer.Option(..., "--out", "-o", metavar="文件", help="要生成的工作簿，例如 2024年报.xlsx"),
    into: Optional[Path] = typer.Option(None, "--into", metavar="工作簿", help="在这个已填报的工作簿（或下发的模板）的副本中填入（其他部分和下发时预填的上年结转保留，原文件不改动）"),
    unit: Optional[str] = typer.Option(None, "--unit", metavar="单位名称", help="单位名称"),
    year: Optional[int] = typer.Option(None, "--year", metavar="年度", help="报告年度（不给时取 --into 工作簿的报告年度）"),
    published: Optional[Path] = typer.Option(None, "--published", metavar="信息列表", help="网站导出的主动公开信息列表（CSV 或工作簿，含“栏目”或“类别”列），填入清单并统计分类"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的输出文件"),
    json_: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """把台账（和网站的信息列表）按报告年度统计，生成官方工作簿：台账、清单填好，表三、信息处理费、分类按统计数填写。退出码：0 已生成，1 已生成但有记录无法统计，2 用法错误，3 文件无法读取。"""

    def action() -> int:
        from .inputs import existing_file
        from .ledger import build

        source, into_file, listed = (existing_file(p) if p is not None else None for p in (file, into, published))
        result = build(source, out, into=into_file, unit=unit, year=year, published=listed, force=force)
        _show(result, json_, "show_ledger")  # the view's last line is its verdict: 已生成
        if json_:
            typer.echo(f"已生成 {result.out}", err=True)  # stdout is the JSON alone
        return result.exit_code

    _run(ctx, action)


def _usage_message(err: Exception) -> str:
    """Click's usage errors, said in Chinese (the clerk never sees Click's English); told apart by
    their public attributes (typer exports none of their classes but BadParameter)."""
    param = getattr(err, "param", None)
    name = " / ".join(param.opts) if param is not None and getattr(param, "opts", None) else ""
    if param is not None and getattr(param, "param_type_name", "") == "argument":
        name = {"inputs": "输入文件", "file": "输入文件", "out": "输出文件"}.get(param.name) or str(param.name)
    if hasattr(err, "param_type"):  # MissingParameter
        return f"缺少 {name}。" if name else "缺少必需的参数。"
    if hasattr(err, "option_name") and hasattr(err, "possibilities"):  # NoSuchOption
        guesses = sorted(err.possibilities or ())
        return f"没有选项 {err.option_name}" + (f"（是不是 {' 或 '.join(guesses)}？）。" if guesses else "。")
    message = str(getattr(err, "message", err))
    if isinstance(err, typer.BadParameter):  # said from the option's declared type, not Click's words
        declared = getattr(param, "type", None)
        if getattr(declared, "min", None) is not None:
            return f"{name} 的值无效（应为不小于 {declared.min} 的整数）。"
        if str(getattr(declared, "name", "")).startswith("int"):  # "int", "int range" (Click: "integer …")
            return f"{name} 的值无效（应为整数）。"
        return f"{name} 的值无效。"
    if hasattr(err, "option_name"):  # BadOptionUsage: "Option '--year' requires an argument."
        if "requires" in message:
            return f"选项 {err.option_name} 后面缺少它的值。"
        if "does not take a value" in message:
            return f"选项 {err.option_name} 不带值。"
    ctx = getattr(err, "ctx", None)
    commands = "、".join(ctx.command.list_commands(ctx)) if ctx is not None and hasattr(ctx.command, "list_commands") else ""
    # "No such command 'chek'. Did you mean 'check'?" (the name in Python's repr quotes)
    unknown = re.match(r"No such command (['\"])(.*?)\1\.(?: Did you mean (.*)\?)?$", message, re.S)
    if unknown:
        name, guesses = unknown.group(2), re.findall(r"['\"](.*?)['\"](?:, |$)", unknown.group(3) or "")
        if guesses:
            return f"没有命令 {name}（是不是 {' 或 '.join(guesses)}？）。"
        return f"没有命令 {name}" + (f"：可用的命令有 {commands}。" if commands else "。")
    if message.startswith("Missing command"):
        return "缺少命令" + (f"：可用的命令有 {commands}。" if commands else "。")
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
    if extra:
        return f"多余的参数：{extra.group(1)}。"
    return "用法有误。"


def main(argv: list[str] | None = None) -> None:
    """Run the CLI: the exit code of the command, or of the error (``_outcome``)."""
    settings = Settings()  # filled in by _main as the options are parsed
    any_encoding()
    args = _debug_anywhere(list(sys.argv[1:] if argv is None else argv), settings) or ["--help"]
    # prog_name: the usage hints say "xlsreport check --help" however the program was started
    raise SystemExit(_outcome(lambda: app(args, prog_name="xlsreport", standalone_mode=False, obj=settings), settings))


if __name__ == "__main__":
    main()
