"""The one table of input formats: which producer turns which kind of file into sheets.

sniff decides the kind from the bytes; the producer of that kind makes the same
:class:`~xlsreport.reading.sheet.Workbook` whatever the format, and :mod:`locate` reads it by
the form's labels.  A new input format is one module with a ``…_workbook(data, kind, name,
container)`` function plus one row here (and sniff learning to recognise it).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module

from .sheet import Unread, Workbook
from .sniff import Kind, sniff_container


@dataclass(frozen=True)
class Producer:
    module: str
    """Module of :mod:`xlsreport.reading` holding the producer (imported on first use: a
    workbook never loads lxml or pdfplumber)."""
    function: str
    suffixes: tuple[str, ...]
    """File names taken from a folder as this kind (a file named explicitly is read whatever
    its name: the content decides)."""
    document: bool
    """A published report (text around tables), not a workbook of the form."""


PRODUCERS: dict[Kind, Producer] = {
    "xlsx": Producer("spreadsheet", "spreadsheet_workbook", (".xlsx",), False),
    "xlsm": Producer("spreadsheet", "spreadsheet_workbook", (".xlsm",), False),
    "xls": Producer("spreadsheet", "spreadsheet_workbook", (".xls", ".et"), False),
    "ods": Producer("spreadsheet", "spreadsheet_workbook", (".ods",), False),
    "docx": Producer("docx", "docx_workbook", (".docx",), True),
    "html": Producer("html", "html_workbook", (".html", ".htm"), True),
    "pdf": Producer("pdf", "pdf_workbook", (".pdf",), True),
    "text": Producer("text", "text_workbook", (".txt",), True),
}

DOCUMENT_KINDS: tuple[Kind, ...] = tuple(kind for kind, p in PRODUCERS.items() if p.document)
READ_SUFFIXES: tuple[str, ...] = tuple(s for p in PRODUCERS.values() for s in p.suffixes)


def load(data: bytes, name: str = "", *, unread: Unread | None = None) -> Workbook:
    """Sniff ``data`` and make its sheets with the producer of its kind (typed errors only).

    ``unread`` (workbooks only) names sheets a caller knows hold nothing for it: see
    :func:`~xlsreport.reading.spreadsheet.spreadsheet_workbook`."""
    kind, container = sniff_container(data, name)
    producer = PRODUCERS[kind.kind]
    make = getattr(import_module(f".{producer.module}", __package__), producer.function)
    if producer.document:
        # a published document is parsed by third-party code behind a hard boundary (a child
        # process under a memory limit and a deadline); the module, and with it the parser, is
        # imported here first, so that a forked child is born with it (see isolate)
        from .isolate import forks, isolated

        return isolated(make, (data, kind, name, container if forks() else None), name, kind.description)
    return make(data, kind, name, container, unread=unread)
