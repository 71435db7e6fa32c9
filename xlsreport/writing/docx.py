"""The report as a Word document (python-docx), laid out as GB/T 9704 asks of official documents.

* A4 portrait, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; page numbers centred
  in the footer ("— 1 —", a PAGE field).
* Title 2号 (22 pt) 方正小标宋简体; body 3号 (16 pt) 仿宋_GB2312, first-line indent two characters,
  fixed 28 pt lines; first-level headings 黑体, second-level 楷体_GB2312.  A run names one font
  per script, so the fallback (宋体, 仿宋, 楷体) is declared in the document's font table as the
  font's ``w:altName``, with its GB2312 charset and family: Word and LibreOffice substitute it on a
  machine without the 方正/GB2312 fonts.  Every run carries ``w:eastAsia`` (python-docx's
  ``font.name`` sets only the Latin font, and Word would show the Chinese in a Latin one).
* Tables in 小五 (9 pt) at fixed column widths filling the text width (table 三's ten columns and
  table 四's fifteen fit portrait); header rows repeat on every page (``w:tblHeader``) and rows do
  not break across pages.
* Deterministic: fixed core properties and zip timestamps, so the same workbook gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from .document import Block, Document, Table

PAGE = (Mm(210), Mm(297))
MARGINS = {"top_margin": Mm(37), "bottom_margin": Mm(35), "left_margin": Mm(28), "right_margin": Mm(26)}
TEXT_WIDTH_MM = 210 - 28 - 26

TITLE_FONT, TITLE_SIZE = "方正小标宋简体", Pt(22)
BODY_FONT, BODY_SIZE = "仿宋_GB2312", Pt(16)
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
TABLE_SIZE = Pt(9)
TABLE_CAPTION_SIZE = Pt(12)
LINE = Pt(28)
# Font → (the font Word/LibreOffice use when it is absent, charset, family): the fallbacks.
FONT_TABLE = {
    TITLE_FONT: ("宋体", "86", "roman"),
    BODY_FONT: ("仿宋", "86", "modern"),
    HEADING1_FONT: ("SimHei", "86", "modern"),
    HEADING2_FONT: ("楷体", "86", "modern"),
}
CREATED = _dt.datetime(2021, 1, 1)
ZIP_DATE = (2021, 1, 1, 0, 0, 0)


def _fonts(element, font: str) -> None:
    """Latin, East Asian and complex-script font of a run (or of a style), in schema order."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def _run(paragraph, text: str, font: str, size: Pt, bold: bool = False):
    run = paragraph.add_run(text)
    _fonts(run._element, font)
    run.font.size = size
    if bold:
        run.font.bold = True
    return run


def _spacing(paragraph, *, indent: bool = True, line: Pt | None = LINE, before: Pt = Pt(0), after: Pt = Pt(0)) -> None:
    fmt = paragraph.paragraph_format
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    fmt.space_before, fmt.space_after = before, after
    fmt.first_line_indent = Pt(BODY_SIZE.pt * 2) if indent else Pt(0)


def _page_number(section) -> None:
    """Footer: "— N —" centred, N a PAGE field (GB/T 9704 puts it at the foot)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", BODY_FONT, Pt(14))
    run = _run(paragraph, "", BODY_FONT, Pt(14))
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        elif text == " PAGE ":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        else:
            node = OxmlElement("w:t")
            node.text = text
        run._element.append(node)
    _run(paragraph, " —", BODY_FONT, Pt(14))


def _cell_props(cell, width_mm: float) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    width = tcpr.find(qn("w:tcW"))
    if width is None:
        width = OxmlElement("w:tcW")
        tcpr.insert(0, width)
    width.set(qn("w:w"), str(int(width_mm / 25.4 * 1440)))
    width.set(qn("w:type"), "dxa")


def _table(document, table: Table) -> None:
    total = sum(table.widths)
    widths = [TEXT_WIDTH_MM * w / total for w in table.widths]
    grid = document.add_table(rows=table.rows, cols=table.cols)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # w:tblLayout fixed: the widths below hold in Word and LibreOffice
    for i, column in enumerate(grid._tbl.tblGrid.findall(qn("w:gridCol"))):
        column.set(qn("w:w"), str(int(widths[i] / 25.4 * 1440)))
    # The grid's w:tc elements, taken once: python-docx's table.cell(r, c) rebuilds the list of every
    # cell on each call (~740 calls made a docx render 8x slower than html).  A merge keeps the w:tc
    # of every position outside its span, so these stay valid for the cells that follow.
    tcs = [tr.tc_lst for tr in grid._tbl.tr_lst]
    for r, tr in enumerate(grid._tbl.tr_lst):
        trpr = tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if r < table.header_rows:
            trpr.append(OxmlElement("w:tblHeader"))
        for c in range(table.cols):
            _cell_props(_Cell(tcs[r][c], grid), widths[c])
    for cell in table.cells:
        target = _Cell(tcs[cell.row][cell.col], grid)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(_Cell(tcs[cell.row + cell.rowspan - 1][cell.col + cell.colspan - 1], grid))
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        paragraph = target.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if cell.role == "label" else WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph, indent=False, line=None, before=Pt(2), after=Pt(2))
        paragraph.paragraph_format.line_spacing = 1.0
        _run(paragraph, cell.text, BODY_FONT, TABLE_SIZE, bold=cell.role == "head")


def _font_table(document) -> None:
    """Declare each font with its fallback (w:altName), charset and family in fontTable.xml."""
    part = next(p for p in document.part.package.iter_parts() if p.partname.endswith("/fontTable.xml"))
    xml = part.blob.decode("utf-8")
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="{charset}"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        for name, (alt, charset, family) in FONT_TABLE.items()
    )
    xml = re.sub(r"(</w:fonts>)", entries + r"\1", xml, count=1)
    part._blob = xml.encode("utf-8")


def _deterministic(data: bytes) -> bytes:
    """The same zip with fixed timestamps and a fixed member order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def _block(document, block: Block) -> None:
    if block.kind == "table":
        assert block.table is not None
        _table(document, block.table)
        _spacing(document.add_paragraph(), indent=False, line=Pt(14))  # Word needs a paragraph between tables
        return
    paragraph = document.add_paragraph()
    if block.kind == "title":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph, indent=False, line=Pt(36), after=Pt(28))
        _run(paragraph, block.text, TITLE_FONT, TITLE_SIZE)
    elif block.kind == "caption":
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(paragraph, indent=False, line=Pt(22), before=Pt(6))
        _run(paragraph, block.text, HEADING1_FONT, TABLE_CAPTION_SIZE)
    else:
        _spacing(paragraph, indent=not block.flush)
        if block.flush == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        font = {"heading1": HEADING1_FONT, "heading2": HEADING2_FONT}.get(block.kind, BODY_FONT)
        _run(paragraph, block.text, font, BODY_SIZE)


def docx_bytes(doc: Document) -> bytes:
    """The report as the bytes of a .docx file."""
    document = new_document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE
    for name, value in MARGINS.items():
        setattr(section, name, value)
    section.footer_distance = Mm(25)
    normal = document.styles["Normal"]
    _fonts(normal.element, BODY_FONT)
    normal.font.size = BODY_SIZE
    _font_table(document)
    props = document.core_properties
    props.title, props.author, props.last_modified_by = doc.title, "xlsreport", "xlsreport"
    props.created = props.modified = CREATED
    props.revision = 1
    props.comments = ""
    _page_number(section)
    for block in doc.blocks:
        _block(document, block)
    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic(buffer.getvalue())
