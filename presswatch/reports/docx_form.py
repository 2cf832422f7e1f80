"""Delivery: the Vietnamese administrative report form (Decree 30/2020/NĐ-CP) as DOCX.

A4 portrait, margins 20/20/30/15 mm, Times New Roman on every run (ascii, hAnsi, eastAsia and cs
slots, the document defaults and every style, so nothing falls back to the theme's Calibri),
14 pt justified body with a 1.27 cm first-line indent; the two-column heading without borders,
"Số: NN/BC-XXX", place and date, title, sections, tables, charts, "./.", page numbers centred
in the top margin from page 2, the signature block and "Nơi nhận:".
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from presswatch.reports.blocks import Block, Chart, Heading, Para, Table

FONT = "Times New Roman"
BODY_PT = 14
TEXT_WIDTH_CM = 16.5  # 210 mm - 30 mm - 15 mm
HEAD_WIDTHS_CM = (6.5, 10.0)
SIGN_WIDTHS_CM = (8.0, 8.5)
THEME_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
# Children of w:pPr that must come after w:pBdr (ECMA-376 order).
AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
CENTER, JUSTIFY, LEFT = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
    WD_ALIGN_PARAGRAPH.LEFT,
)


@dataclass(frozen=True, slots=True)
class FormHead:
    """What the form needs besides the body: heading, number, place, date, signer, recipients."""

    governing_body: str
    agency: str
    agency_code: str
    number: int
    place: str
    issued: date
    subject: str
    signer_authority: str
    signer_position: str
    signer_name: str
    recipients: tuple[str, ...]
    archive: str


def number_line(head: FormHead) -> str:
    """'Số: 05/BC-SVHTTDL', or a blank number for the clerk when it is 0."""
    number = f"{head.number:02d}" if head.number > 0 else "\u00a0" * 6
    return f"Số: {number}/BC-{head.agency_code}"


def place_date_line(head: FormHead) -> str:
    """'Cần Thơ, ngày 05 tháng 10 năm 2025' (day below 10 and months 1–2 with a leading 0)."""
    d = head.issued
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{head.place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def write_docx(path: Path, head: FormHead, blocks: list[Block]) -> None:
    """Write the report as a DOCX in the decree's form."""
    doc = Document()
    _setup(doc, head)
    _heading_table(doc, head)
    _title(doc, head.subject)
    for block in blocks:
        _block(doc, block)
    _paragraph(doc, "./.", align=JUSTIFY, first_line=1.27, after=12)
    _signature(doc, head)
    doc.save(str(path))


# --- page, fonts, page numbers ---------------------------------------------------------------


def _setup(doc: Any, head: FormHead) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    _font_defaults(doc)
    _page_numbers(section)
    props = doc.core_properties
    props.title = "Báo cáo: " + " ".join(head.subject.split())
    props.author = props.last_modified_by = "PressWatch"
    props.language = "vi-VN"
    props.created = props.modified = datetime.combine(head.issued, time(0))


def _font_defaults(doc: Any) -> None:
    """Times New Roman in the document defaults and in every style, 14 pt, Vietnamese."""
    styles = doc.styles.element
    for rfonts in styles.iter(qn("w:rFonts")):
        _set_fonts(rfonts)
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(BODY_PT * 2))
    lang = rpr.find(qn("w:lang"))
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "120")
    spacing.set(qn("w:line"), "276")
    normal = doc.styles["Normal"].font
    normal.name, normal.size = FONT, Pt(BODY_PT)
    _set_fonts(doc.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts())


def _set_fonts(rfonts: Any) -> None:
    for attr in THEME_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), FONT)


def _page_numbers(section: Any) -> None:
    """PAGE field centred in the header, 13 pt; the first page has an empty header."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = CENTER
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "2"),
                       ("end", "")):  # fmt: skip
        run = _run(p, text if kind == "text" else "", 13)
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        elif kind != "text":
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
    first = section.first_page_header.paragraphs[0]
    _run(first, "", 13)


# --- runs and paragraphs -------------------------------------------------------------------


def _run(paragraph: Any, text: str, size: float, bold: bool = False, italic: bool = False) -> Any:
    """A run in Times New Roman on all four font slots, with its size for every script."""
    parts = text.split("\n")
    run = paragraph.add_run(parts[0])
    for part in parts[1:]:
        run.add_break()
        run.add_text(part)
    font = run.font
    font.size, font.bold, font.italic = Pt(size), bold, italic
    rpr = run._r.get_or_add_rPr()
    _set_fonts(rpr.get_or_add_rFonts())
    size_cs = OxmlElement("w:szCs")
    size_cs.set(qn("w:val"), str(int(size * 2)))
    rpr.get_or_add_sz().addnext(size_cs)
    if bold:
        rpr.get_or_add_bCs()
    if italic:
        rpr.get_or_add_iCs()
    return run


def _paragraph(
    container: Any, text: str = "", *, size: float = BODY_PT, bold: bool = False,
    italic: bool = False, align: Any = JUSTIFY, first_line: float | None = None,
    before: float = 0, after: float = 6, line: float = 1.15, keep_next: bool = False,
) -> Any:  # fmt: skip
    """A paragraph with one run of text; spacing in points, indent in cm."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment, fmt.space_before, fmt.space_after = align, Pt(before), Pt(after)
    fmt.line_spacing, fmt.keep_with_next = line, keep_next
    if first_line is not None:
        fmt.first_line_indent = Cm(first_line)
    _run(p, text, size, bold, italic)
    return p


def _cell_paragraph(cell: Any, text: str, **kwargs: Any) -> Any:
    """Use the cell's empty first paragraph, then add more."""
    first = cell.paragraphs[0]
    if not first.runs and not first.text:
        p = _paragraph(cell, text, **kwargs)
        first._p.addnext(p._p)
        first._p.getparent().remove(first._p)
        return p
    return _paragraph(cell, text, **kwargs)


def _rule(container: Any, width_cm: float, box_cm: float, after: float = 0) -> None:
    """A centred horizontal rule of ``width_cm``: an empty 1 pt paragraph's bottom border."""
    p = _paragraph(container, "", size=1, align=CENTER, after=after, line=1.0)
    indent = max((box_cm - width_cm) / 2, 0)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Cm(indent)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    p.paragraph_format.line_spacing = Pt(2)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    p._p.get_or_add_pPr().insert_element_before(border, *AFTER_PBDR)


def text_width_cm(text: str, size: float, bold: bool = False) -> float:
    """Approximate printed width of a line in Times New Roman (for the length of rules)."""
    em = 0.0
    for ch in text:
        em += 0.25 if ch == " " else 0.7 if ch.isupper() else 0.33 if not ch.isalnum() else 0.48
    return em * size * (1.05 if bold else 1.0) / 72 * 2.54


# --- the form's fixed parts ----------------------------------------------------------------


def _borderless_table(doc: Any, widths: tuple[float, ...]) -> Any:
    table = doc.add_table(rows=1, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)
    _set_widths(table, widths)
    return table


def _set_widths(table: Any, widths: tuple[float, ...]) -> None:
    """Column widths in the grid (LibreOffice) and on every cell (Word)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def data_widths(block: Table) -> tuple[float, ...]:
    """Given widths, or: STT 1.4 cm, numbers 2.8 cm, text columns share the rest."""
    if block.widths_cm:
        return block.widths_cm
    fixed = {
        i: 1.2 if h == "STT" else 2.8 for i, h in enumerate(block.header) if i in block.numeric
    }
    free = [i for i in range(len(block.header)) if i not in fixed]
    rest = (TEXT_WIDTH_CM - sum(fixed.values())) / max(len(free), 1)
    return tuple(fixed.get(i, rest) for i in range(len(block.header)))


def _row_props(row: Any, header: bool = False) -> None:
    """Rows never split across pages; the header row repeats on each page."""
    props = row._tr.get_or_add_trPr()
    props.append(OxmlElement("w:cantSplit"))
    if header:
        props.append(OxmlElement("w:tblHeader"))


def _heading_table(doc: Any, head: FormHead) -> None:
    left, right = _borderless_table(doc, HEAD_WIDTHS_CM).rows[0].cells
    box = HEAD_WIDTHS_CM[0] - 0.4
    _cell_paragraph(left, head.governing_body.upper(), size=12, align=CENTER, after=0, line=1.0)
    _cell_paragraph(left, head.agency.upper(), size=12, bold=True, align=CENTER, after=0, line=1.0)
    longest = max(head.agency.upper().split("\n"), key=len)
    rule = min(text_width_cm(longest, 12, bold=True), box) * 0.4
    _rule(left, rule, box, after=6)
    _cell_paragraph(left, number_line(head), size=13, align=CENTER, after=0, line=1.0)
    box = HEAD_WIDTHS_CM[1] - 0.4
    _cell_paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True,
                    align=CENTER, after=0, line=1.0)  # fmt: skip
    motto = "Độc lập - Tự do - Hạnh phúc"
    _cell_paragraph(right, motto, size=13, bold=True, align=CENTER, after=0, line=1.0)
    _rule(right, text_width_cm(motto, 13, bold=True), box, after=6)
    _cell_paragraph(right, place_date_line(head), size=13, italic=True, align=CENTER, after=0,
                    line=1.0)  # fmt: skip


def _title(doc: Any, subject: str) -> None:
    _paragraph(doc, "BÁO CÁO", size=14, bold=True, align=CENTER, before=18, after=0, line=1.0)
    _paragraph(doc, subject, size=14, bold=True, align=CENTER, after=0, line=1.0)
    _rule(doc, 3.5, TEXT_WIDTH_CM, after=12)


def _signature(doc: Any, head: FormHead) -> None:
    left, right = _borderless_table(doc, SIGN_WIDTHS_CM).rows[0].cells
    _cell_paragraph(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT, after=0,
                    line=1.0)  # fmt: skip
    lines = [f"- {r};" for r in head.recipients] + [f"- Lưu: {head.archive}."]
    for line in lines:
        _cell_paragraph(left, line, size=11, align=LEFT, after=0, line=1.0)
    for text in (head.signer_authority, head.signer_position):
        if text:
            _cell_paragraph(right, text.upper(), size=14, bold=True, align=CENTER, after=0,
                            line=1.0)  # fmt: skip
    for _ in range(4):
        _cell_paragraph(right, "", size=14, align=CENTER, after=0, line=1.0)
    _cell_paragraph(right, head.signer_name, size=14, bold=True, align=CENTER, after=0, line=1.0)


# --- body blocks ---------------------------------------------------------------------------


def _block(doc: Any, block: Block) -> None:
    if isinstance(block, Heading):
        text = block.text.upper() if block.level == 1 else block.text
        _paragraph(doc, text, bold=block.level < 3, first_line=1.27, before=6 if block.level == 1
                   else 0, keep_next=True)  # fmt: skip
    elif isinstance(block, Para):
        _paragraph(doc, block.text, first_line=1.27)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Chart):
        p = _paragraph(doc, "", align=CENTER, after=0, keep_next=True)
        p.runs[0].add_picture(io.BytesIO(block.png), width=Cm(15.5))
        _paragraph(doc, block.caption, size=13, italic=True, align=CENTER, after=8)


def _table(doc: Any, block: Table) -> None:
    _paragraph(doc, block.caption, size=13, italic=True, align=CENTER, before=4, after=2,
               keep_next=True)  # fmt: skip
    table = doc.add_table(rows=1, cols=len(block.header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _row_props(table.rows[0], header=True)
    for cell, text in zip(table.rows[0].cells, block.header, strict=True):
        _cell_paragraph(cell, text, size=13, bold=True, align=CENTER, after=0, line=1.0)
    for row in block.rows:
        added = table.add_row()
        _row_props(added)
        for i, (cell, text) in enumerate(zip(added.cells, row, strict=True)):
            align = WD_ALIGN_PARAGRAPH.RIGHT if i in block.numeric else LEFT
            _cell_paragraph(cell, text, size=13, align=align, after=0, line=1.0)
    _set_widths(table, data_widths(block))
    _paragraph(doc, "", size=6, after=0, line=1.0)
