"""``--help`` / ``-h`` in Chinese, wrapped by display width to fit the screen (80 columns at most).

Click's own help is English in its fixed words (``Show this message and exit.``, ``[required]``,
``[default: 1; x>=1]``, ``<path>``) and wraps by characters, not by the cells a Chinese character
takes, so its lines run past 80 columns.  The command classes here write the whole help from the
parameters' own attributes (names, metavar, help, required, default, range) and ``wrap``.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from typer.core import TyperCommand, TyperGroup

from .wrap import cells, wrap

HELP_WIDTH = 80  # the most a help line takes, on any screen
HELP_OPTIONS = ["-h", "--help"]
_COLUMN_MAX = 26  # an option's names wider than this put its help on the next line
_ARGUMENT_NAMES = {"file": "文件", "inputs": "文件或文件夹", "out": "输出文件"}


def _width() -> int:
    """COLUMNS, else the terminal's width (stdout's, or stderr's when help is piped into a pager
    that shows it on the same screen), at most ``HELP_WIDTH``."""
    columns = shutil.get_terminal_size((0, 0)).columns  # COLUMNS, else stdout's terminal
    if not columns:
        try:
            columns = os.get_terminal_size(sys.stderr.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = HELP_WIDTH
    return max(min(columns, HELP_WIDTH), 30)


def _argument_name(param: Any) -> str:
    name = param.metavar or _ARGUMENT_NAMES.get(param.name, param.name)
    return f"{name}..." if param.nargs == -1 else name


def _option_names(param: Any) -> str:
    names = sorted(param.opts, key=lambda o: (o.startswith("--"), o))  # -j, --jobs
    if param.is_flag:
        return ", ".join(names)
    return f"{', '.join(names)} {param.metavar or '值'}"


def _notes(param: Any) -> str:
    """What Click says in English brackets, in Chinese: 必填, 可重复给出, 默认 1, 不小于 1."""
    notes = []
    if param.required:
        notes.append("必填")
    if getattr(param, "multiple", False):
        notes.append("可重复给出")
    if param.param_type_name == "argument" and param.nargs == -1:
        notes.append("可给多个")
    default = param.default
    if not param.required and not getattr(param, "is_flag", False) and default not in (None, [], (), False, ""):
        notes.append(f"默认 {default}")
    low, high = getattr(param.type, "min", None), getattr(param.type, "max", None)
    if low is not None:
        notes.append(f"不小于 {low}")
    if high is not None:
        notes.append(f"不大于 {high}")
    return f"（{'，'.join(notes)}）" if notes else ""


def _rows(rows: list[tuple[str, str]], width: int) -> list[str]:
    """A two-column list (names, help), the help wrapped under itself; names wider than
    ``_COLUMN_MAX`` put their help on the next line."""
    column = min(max((cells(name) for name, _ in rows), default=0), _COLUMN_MAX, width // 3) + 4
    if width - column < 20:  # a narrow screen: every help under its name
        column = 6
    out = []
    for name, text in rows:
        head = f"  {name}"
        if not text:
            out.append(head)
            continue
        lines = wrap(text, width - column)
        if cells(head) + 2 <= column:
            out.append(head + " " * (column - cells(head)) + lines[0])
            lines = lines[1:]
        else:
            out.append(head)
        out += [" " * column + line for line in lines]
    return out


def _section(title: str, lines: list[str]) -> list[str]:
    return ["", f"{title}："] + lines if lines else []


def _params(command: Any, ctx: Any, width: int) -> list[str]:
    arguments, options = [], []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            arguments.append((_argument_name(param), (param.help or "") + _notes(param)))
        elif param.name == "help":
            options.append((", ".join(HELP_OPTIONS), "显示本帮助并退出"))
        else:
            options.append((_option_names(param), (param.help or "") + _notes(param)))
    return _section("参数", _rows(arguments, width)) + _section("选项", _rows(options, width))


def _description(command: Any, width: int) -> list[str]:
    text = (command.help or "").strip()
    return ["", *wrap(text, width, indent="  ")] if text else []


def _write(formatter: Any, lines: list[str]) -> None:
    formatter.write("\n".join(lines) + "\n")


class HelpCommand(TyperCommand):
    """A sub-command whose help is Chinese and fits the screen."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        width = _width()
        pieces = [ctx.command_path, "[选项]"]
        pieces += [_argument_name(p) for p in self.get_params(ctx) if p.param_type_name == "argument"]
        usage = wrap(" ".join(pieces), width, indent="用法：", hang="      ")
        _write(formatter, usage + _description(self, width) + _params(self, ctx, width))


class HelpGroup(TyperGroup):
    """The program: its description, every command with its first sentence, the options."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        width = _width()
        usage = wrap(f"{ctx.command_path} [选项] 命令 [参数]...", width, indent="用法：", hang="      ")
        commands = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            first = (command.help or "").strip().split("。")[0]
            commands.append((name, first + "。" if first else ""))
        tail = ["", *wrap(f"每条命令的用法：{ctx.command_path} 命令 -h，例如 {ctx.command_path} check -h。", width)]
        _write(formatter, usage + _description(self, width) + _section("命令", _rows(commands, width)) + _params(self, ctx, width) + tail)
