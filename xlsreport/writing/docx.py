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

import copy
import datetime as _dt
import io
import re
import zipfile

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

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


def _cell_paragraph(role: str):
    """The paragraph of a table cell of ``role``, with its one (empty) run: the pattern each cell copies."""
    paragraph = Paragraph(OxmlElement("w:p"), None)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if role == "label" else WD_ALIGN_PARAGRAPH.CENTER
    _spacing(paragraph, indent=False, line=None, before=Pt(2), after=Pt(2))
    paragraph.paragraph_format.line_spacing = 1.0
    _run(paragraph, "", BODY_FONT, TABLE_SIZE, bold=role == "head")
    return paragraph._p


def _table(document, table: Table) -> None:
    """The table as one ``w:tbl``: its rows written as XML in one pass over the grid.

    Cells are not made through python-docx's ``table.cell(r, c)`` and ``merge``: every such call
    rebuilds the list of all cells, and ~740 of them made a docx render 8x slower than html.  The
    XML is what those calls made: each grid position a ``w:tc`` with its width (``w:tcW``, twips);
    a merged cell one ``w:tc`` per row it spans, with ``w:gridSpan`` and ``w:vMerge`` (``restart``
    in its first row, bare in the rows below, which keep an empty paragraph); the text, centred
    vertically, in the first.
    """
    total = sum(table.widths)
    widths = [TEXT_WIDTH_MM * w / total for w in table.widths]
    twips = [int(width / 25.4 * 1440) for width in widths]
    grid = document.add_table(rows=0, cols=table.cols)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False  # w:tblLayout fixed: the widths below hold in Word and LibreOffice
    for column, width in zip(grid._tbl.tblGrid.findall(qn("w:gridCol")), twips):
        column.set(qn("w:w"), str(width))
    starts = {(cell.row, cell.col): cell for cell in table.cells}
    below = {(row, cell.col): cell for cell in table.cells for row in range(cell.row + 1, cell.row + cell.rowspan)}
    xml, texts = [], []  # texts: the cell whose text goes into each w:tc, in document order (None: none)
    for r in range(table.rows):
        xml.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if r < table.header_rows else "") + "</w:trPr>")
        c = 0
        while c < table.cols:
            cell = starts.get((r, c)) or below.get((r, c))
            span = cell.colspan if cell else 1
            props = f'<w:tcW w:type="dxa" w:w="{sum(twips[c:c + span])}"/>'
            if span > 1:
                props += f'<w:gridSpan w:val="{span}"/>'
            if cell is not None and cell.row == r:
                props += '<w:vMerge w:val="restart"/>' if cell.rowspan > 1 else ""
                props += '<w:vAlign w:val="center"/>'
                texts.append(cell)
            else:
                props += "<w:vMerge/>" if cell is not None else ""
                texts.append(None)
            xml.append(f"<w:tc><w:tcPr>{props}</w:tcPr><w:p/></w:tc>")
            c += span
        xml.append("</w:tr>")
    rows = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(xml)}</w:tbl>")
    patterns = {role: _cell_paragraph(role) for role in {cell.role for cell in table.cells}}
    for tc, cell in zip(rows.iter(qn("w:tc")), texts):
        if cell is None:
            continue
        paragraph = copy.deepcopy(patterns[cell.role])
        tc.replace(tc.find(qn("w:p")), paragraph)
        if cell.text:
            Run(paragraph.r_lst[0], None).text = cell.text
    grid._tbl.extend(list(rows))


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
