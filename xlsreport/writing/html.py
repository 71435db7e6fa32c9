"""The report as HTML: one fragment ready to paste into a government site's CMS.

Real ``<table>`` markup with the official rowspan/colspan, minimal inline styles (a CMS keeps
inline styles and drops stylesheets), no scripts, no classes that need a stylesheet.
:func:`html_page` wraps the fragment in a page whose body is that one fragment.
"""

from __future__ import annotations

from lxml import html as lxml_html
from lxml.html import builder as E

from .document import Block, Document, Table

BODY_STYLE = "font-family:仿宋_GB2312,仿宋,FangSong,serif;font-size:16pt;line-height:1.75;max-width:48em;margin:0 auto"
STYLES = {
    "title": "text-align:center;font-family:方正小标宋简体,宋体,SimSun,serif;font-size:22pt;font-weight:normal;margin:0 0 1em",
    "heading1": "font-family:黑体,SimHei,sans-serif;font-size:16pt;font-weight:normal;text-indent:2em;margin:0",
    "heading2": "font-family:楷体_GB2312,楷体,KaiTi,serif;font-size:16pt;font-weight:normal;text-indent:2em;margin:0",
    "paragraph": "text-indent:2em;margin:0",
    "caption": "text-align:center;font-family:黑体,SimHei,sans-serif;font-size:12pt;margin:0.5em 0 0",
}
TABLE_STYLE = "border-collapse:collapse;width:100%;font-size:10.5pt;line-height:1.4;margin:0.5em 0 1em"
CELL_STYLE = "border:1px solid #000;padding:2px 4px;text-align:center;vertical-align:middle"
LABEL_STYLE = "border:1px solid #000;padding:2px 4px;text-align:left;vertical-align:middle"


def _table(table: Table):
    total = sum(table.widths)
    cols = [E.COL(style=f"width:{100 * w / total:.1f}%") for w in table.widths]
    rows = []
    for r in range(table.rows):
        cells = []
        for cell in (c for c in table.cells if c.row == r):
            tag = E.TH if cell.role == "head" or (cell.role == "note" and r < table.header_rows) else E.TD
            attrs = {"style": LABEL_STYLE if cell.role == "label" else CELL_STYLE}
            if cell.rowspan > 1:
                attrs["rowspan"] = str(cell.rowspan)
            if cell.colspan > 1:
                attrs["colspan"] = str(cell.colspan)
            if cell.role == "head":
                attrs["style"] += ";font-weight:bold"
            cells.append(tag(cell.text, **attrs))
        rows.append(E.TR(*cells))
    head, body = rows[: table.header_rows], rows[table.header_rows:]
    parts = [E.COLGROUP(*cols)]
    if head:
        parts.append(E.THEAD(*head))
    parts.append(E.TBODY(*body))
    return E.TABLE(*parts, style=TABLE_STYLE)


def _block(block: Block):
    if block.kind == "table":
        assert block.table is not None
        return _table(block.table)
    tag = {"title": E.H1, "heading1": E.H2, "heading2": E.H3}.get(block.kind, E.P)
    return tag(block.text, style=STYLES[block.kind])


def html_fragment(doc: Document) -> str:
    """The report as one ``<div>``: what a clerk pastes into the CMS."""
    fragment = E.DIV(*(_block(b) for b in doc.blocks), style=BODY_STYLE)
    return lxml_html.tostring(fragment, encoding="unicode", pretty_print=True)


def html_page(doc: Document) -> str:
    """A complete page whose body is the fragment."""
    page = E.HTML(
        E.HEAD(E.META(charset="utf-8"), E.TITLE(doc.title)),
        E.BODY(lxml_html.fragment_fromstring(html_fragment(doc))),
        lang="zh-CN",
    )
    return "<!DOCTYPE html>\n" + lxml_html.tostring(page, encoding="unicode", pretty_print=True)


def html_bytes(doc: Document) -> bytes:
    """The page as UTF-8 bytes (the output table's writer)."""
    return html_page(doc).encode("utf-8")
