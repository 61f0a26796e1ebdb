"""Build ``layouts/default.docx``: the calm, accessible A4 look of the Word handouts.

Run ``python layouts/make_default_docx.py`` after changing it; the .docx it writes is
committed, so that a user never needs this script. The result is python-docx's own blank
document, restyled:

* A4 portrait, 2.2 cm margins, footer 1 cm from the edge.
* Calibri everywhere (Carlito, its metric twin, renders it on Linux), explicit fonts instead of
  theme fonts, because the package has no theme part for theme fonts to come from.
* Dark blue headings (contrast 12:1 on white) with keep-with-next, 11 pt body text with
  generous line spacing, light grey table borders.
* No thumbnail, no customXml, no python-docx author stamp; fixed core-property dates.

The writers still check every style they use, because an agency template may lack them;
this file is also the source they copy missing styles from.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Calibri"
INK = RGBColor(0x1F, 0x1F, 0x1F)
NAVY = RGBColor(0x1F, 0x38, 0x64)
GREY = RGBColor(0x59, 0x59, 0x59)
BORDER = "A6A6A6"
STAMP = dt.datetime(2025, 1, 1, 12, 0)
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

HERE = Path(__file__).resolve().parent
OUT = HERE / "default.docx"


def _fonts(rpr) -> None:
    """Replace theme font references by explicit Calibri on one ``w:rPr``."""
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rpr.insert(0 if rpr.find(qn("w:rStyle")) is None else 1, parse_xml(
        f'<w:rFonts {nsdecls("w")} w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" '
        f'w:cs="{FONT}"/>'))


def _style(doc, name: str, *, size: float | None = None, bold: bool | None = None,
           color: RGBColor | None = None, before: float | None = None,
           after: float | None = None, italic: bool | None = None):
    style = doc.styles[name]
    font = style.font
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = color
        color_el = style.element.rPr.find(qn("w:color"))
        for attr in ("w:themeColor", "w:themeShade", "w:themeTint"):
            color_el.attrib.pop(qn(attr), None)
    pf = getattr(style, "paragraph_format", None)
    if pf is not None:
        if before is not None:
            pf.space_before = Pt(before)
        if after is not None:
            pf.space_after = Pt(after)
    return style


def _table_grid(doc) -> None:
    """Give 'Table Grid' thin grey borders and roomy cell margins."""
    style = doc.styles["Table Grid"]
    tbl_pr = style.element.find(qn("w:tblPr"))
    for child in list(tbl_pr):
        if child.tag in (qn("w:tblBorders"), qn("w:tblCellMar")):
            tbl_pr.remove(child)
    edges = "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="{BORDER}"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"))
    tbl_pr.append(parse_xml(f'<w:tblBorders {nsdecls("w")}>{edges}</w:tblBorders>'))
    tbl_pr.append(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:top w:w="57" w:type="dxa"/>'
        f'<w:left w:w="100" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/>'
        f'<w:right w:w="100" w:type="dxa"/></w:tblCellMar>'))
    ppr = style.element.find(qn("w:pPr"))
    if ppr is None:
        ppr = parse_xml(f'<w:pPr {nsdecls("w")}/>')
        style.element.insert(list(style.element).index(tbl_pr), ppr)
    for child in list(ppr):
        ppr.remove(child)
    ppr.append(parse_xml(f'<w:spacing {nsdecls("w")} w:before="0" w:after="40" '
                         f'w:line="252" w:lineRule="auto"/>'))


def _drop_extras(doc) -> None:
    """Remove the thumbnail and customXml parts that python-docx's blank document carries."""
    pkg_rels = doc.part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg_rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, _STYLES_WITH_EFFECTS):
            doc.part.drop_rel(rid)
            doc.part.rels.pop(rid, None)


def build() -> bytes:
    """Return the bytes of the default handout layout."""
    doc = Document()
    _drop_extras(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin = Cm(2.0)
    section.bottom_margin = Cm(2.0)
    section.header_distance = Cm(1.0)
    section.footer_distance = Cm(1.0)

    styles_el = doc.styles.element
    rpr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr_default)
    for style in styles_el.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:rFonts")) is not None:
            _fonts(rpr)
    ppr_default = styles_el.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    for child in list(ppr_default):
        ppr_default.remove(child)
    ppr_default.append(parse_xml(f'<w:spacing {nsdecls("w")} w:after="120" w:line="264" '
                                 f'w:lineRule="auto"/>'))

    normal = _style(doc, "Normal", size=11, color=INK)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.MULTIPLE
    normal.paragraph_format.widow_control = True
    _style(doc, "Title", size=24, bold=True, color=NAVY, after=4)
    title_ppr = doc.styles["Title"].element.find(qn("w:pPr"))
    if title_ppr is not None:
        border = title_ppr.find(qn("w:pBdr"))
        if border is not None:
            title_ppr.remove(border)
    doc.styles["Title"].font.italic = False
    _style(doc, "Subtitle", size=12, color=GREY, italic=False, after=14)
    _style(doc, "Heading 1", size=16, bold=True, color=NAVY, before=18, after=6)
    _style(doc, "Heading 2", size=13, bold=True, color=NAVY, before=14, after=4)
    _style(doc, "Heading 3", size=11.5, bold=True, color=NAVY, before=10, after=3,
           italic=False)
    for name in ("List Bullet", "List Number", "List Bullet 2", "List Number 2"):
        _style(doc, name, after=3)
    quote = _style(doc, "Quote", size=11, italic=False, color=INK, before=4, after=10)
    quote.paragraph_format.left_indent = Cm(0.6)
    quote.paragraph_format.right_indent = Cm(0.6)
    quote_ppr = quote.element.get_or_add_pPr()
    quote_ppr.insert(0, parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:left w:val="single" w:sz="18" w:space="8" '
        f'w:color="1F3864"/></w:pBdr>'))
    _style(doc, "Caption", size=9, bold=False, color=GREY, before=2, after=8)
    footer = _style(doc, "Footer", size=9, color=GREY)
    footer.font.name = FONT
    small = doc.styles.add_style("Card Text", WD_STYLE_TYPE.PARAGRAPH)
    small.base_style = doc.styles["Normal"]
    small.font.size = Pt(9)
    small.paragraph_format.space_after = Pt(3)
    small.paragraph_format.line_spacing = 1.0
    _table_grid(doc)

    props = doc.core_properties
    props.author = ""
    props.comments = ""
    props.title = ""
    props.last_modified_by = ""
    props.created = props.modified = STAMP
    props.revision = 1

    buf = io.BytesIO()
    doc.save(buf)
    return _normalize(buf.getvalue())


def _normalize(data: bytes) -> bytes:
    """Fixed zip timestamps and order, so that rebuilding gives the same bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    infos = sorted(src.infolist(), key=lambda i: i.filename != "[Content_Types].xml")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in infos:
            member = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 12, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info), compresslevel=6)
    return out.getvalue()


def main() -> int:
    OUT.write_bytes(build())
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
