"""The one table of output formats of the published report: suffix → writer.

A new output is one module with a ``…(document) -> bytes`` function plus one row here."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Literal

from .document import Document

Format = Literal["docx", "html"]


@dataclass(frozen=True)
class Writer:
    module: str
    """Module of :mod:`xlsreport.writing` holding the writer (imported on first use)."""
    function: str
    suffixes: tuple[str, ...]


WRITERS: dict[Format, Writer] = {
    "docx": Writer("docx", "docx_bytes", (".docx",)),
    "html": Writer("html", "html_bytes", (".html", ".htm")),
}
FORMATS: dict[str, Format] = {suffix: fmt for fmt, w in WRITERS.items() for suffix in w.suffixes}


def write_bytes(document: Document, fmt: Format) -> bytes:
    writer = WRITERS[fmt]
    return getattr(import_module(f".{writer.module}", __package__), writer.function)(document)
