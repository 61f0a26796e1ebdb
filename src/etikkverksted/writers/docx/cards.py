"""Printable dilemma cards: four A6-sized cards to an A4 page, one dilemma per card.

The cards are the cells of a two-column table whose rows have a fixed height, so that the
grid stays the same whatever the text and the cut lines (the cell borders) fall in the same
place on every page. A fixed height also means Word and LibreOffice silently clip text that
does not fit; so each card's font size is chosen by measuring its text in the template's own
font (its card text and heading styles) through :mod:`etikkverksted.ooxml.textfit`, the way the deck
writer fits slide text, and falls to a readable minimum.

Each card holds the title (a real heading), the scenario, the two poles and the questions the
plan chose for the card (``PlannedDilemma.card_questions``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docx.enum.section import WD_ORIENT
from docx.shared import Cm, Pt

from ...ooxml import textfit
from ...ooxml.docx_compat import paragraph_element, table_element
from ...planning.model import PlannedDilemma, WorkshopPlan
from .document import Handout
from .tables import set_alt_text, set_row_height

if TYPE_CHECKING:
    from ...ooxml.docx_compat import Cell

PAGE_MARGIN_CM = 1.0
CARD_HEIGHT_CM = 13.2
CELL_PADDING_CM = 0.35
SIZES = (12.0, 11.5, 11.0, 10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5)


def _height(text: str, size: float, width_pt: float, typeface: str | None,
            bold: bool = False) -> float:
    """Return the height in points *text* takes at *size* in *width_pt*, set in *typeface*
    (measured with its metric twin by :mod:`etikkverksted.ooxml.textfit`)."""
    lines = len(textfit.wrap(text, width_pt, size, typeface, bold))
    return lines * textfit.line_height(size, typeface, bold)


def _card_paragraphs(doc: Handout, dilemma: PlannedDilemma) -> list[tuple[str, str]]:
    """The card's text as (kind, text) pairs; kind is title, lead, text or question."""
    parts = [("title", dilemma.title), ("text", dilemma.scenario),
             ("text", f"{doc.label('docx_pole_a')}: {dilemma.pole_left}"),
             ("text", f"{doc.label('docx_pole_b')}: {dilemma.pole_right}"),
             ("lead", doc.label("docx_questions"))]
    parts += [("question", q.text) for q in dilemma.card_question_list()]
    return parts


def fit_size(doc: Handout, dilemma: PlannedDilemma, width_cm: float, height_cm: float) -> float:
    """Return the largest font size in :data:`SIZES` at which the card's text fits."""
    width_pt = (width_cm - 2 * CELL_PADDING_CM) * 72 / 2.54
    height_pt = (height_cm - 2 * CELL_PADDING_CM) * 72 / 2.54
    heading = doc.style_font("Heading 1")
    body = doc.style_font("Card Text")
    for size in SIZES:
        total = 0.0
        for kind, text in _card_paragraphs(doc, dilemma):
            if kind == "title":
                total += _height(text, size + 3, width_pt, heading, True) + 6
            elif kind == "question":
                total += _height(text, size, width_pt - 18, body) + 3
            else:
                total += _height(text, size, width_pt, body, kind == "lead") + 4
        if total <= height_pt * 0.95:
            return size
    return SIZES[-1]


def _fill_card(doc: Handout, cell: Cell, dilemma: PlannedDilemma, size: float) -> None:
    first = True
    num_id = doc.lists.new("number")
    for kind, text in _card_paragraphs(doc, dilemma):
        if kind == "title":
            paragraph = cell.paragraphs[0]
            paragraph_element(paragraph).style = doc.style_ids["Heading 1"]
            paragraph.paragraph_format.space_before = Pt(0)
            paragraph.paragraph_format.space_after = Pt(6)
            # Keep-with-next inside a fixed-height row makes LibreOffice push the whole
            # table to the next page; a card never breaks anyway.
            paragraph.paragraph_format.keep_with_next = False
            paragraph.paragraph_format.keep_together = False
            run = paragraph.add_run(text)
            run.font.size = Pt(size + 3)
            first = False
            continue
        if kind == "question":
            paragraph = doc.lists.item(cell, text, num_id, "number")
            paragraph.paragraph_format.space_after = Pt(3)
        else:
            paragraph = doc.add_paragraph(cell, "", "Card Text")
            run = paragraph.add_run(text)
            if kind == "lead":
                run.bold = True
            elif text.startswith((doc.label("docx_pole_a"), doc.label("docx_pole_b"))):
                label, _, rest = text.partition(": ")
                run.text = label + ":"
                run.bold = True
                paragraph.add_run(" " + rest)
        paragraph.paragraph_format.space_after = Pt(3 if kind == "question" else 4)
        for r in paragraph.runs:
            r.font.size = Pt(size)
    assert not first


def write_cards(plan: WorkshopPlan, path: Path, template: Path | None = None) -> Path:
    """Write the dilemma cards for *plan* to *path* and return *path*."""
    doc = Handout(plan, plan.label("docx_cards_title"), template, footer=False)
    section = doc.doc.sections[-1]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(PAGE_MARGIN_CM))
    section.footer_distance = Cm(0.5)
    section.header_distance = Cm(0.5)
    width = doc.text_width_cm
    col = width / 2

    intro = doc.paragraph(doc.label("docx_cards_intro", title=plan.title), "Caption")
    intro.paragraph_format.space_after = Pt(4)
    dilemmas = list(plan.dilemmas)
    rows = (len(dilemmas) + 1) // 2
    table = doc.table([], [[None, None] for _ in range(rows)], [col, col],
                      doc.label("docx_cards_title"), doc.label("docx_desc_cards"))
    set_alt_text(table, doc.label("docx_cards_title"), doc.label("docx_desc_cards"))
    _dashed(table)
    for index, dilemma in enumerate(dilemmas):
        row = table.rows[index // 2]
        cell = row.cells[index % 2]
        _fill_card(doc, cell, dilemma, fit_size(doc, dilemma, col, CARD_HEIGHT_CM))
    for row in table.rows:
        set_row_height(row, CARD_HEIGHT_CM, exact=True)
    return doc.save(path, plan.title)


def _dashed(table) -> None:
    """Dashed cut lines instead of the table style's solid grid."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    tbl_pr = table_element(table).tblPr
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    edges = "".join(f'<w:{e} w:val="dashed" w:sz="6" w:space="0" w:color="808080"/>'
                    for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
    borders = parse_xml(f'<w:tblBorders {nsdecls("w")}>{edges}</w:tblBorders>')
    order = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
             "w:tblDescription")
    for child in tbl_pr:
        if child.tag in [qn(t) for t in order]:
            child.addprevious(borders)
            break
    else:
        tbl_pr.append(borders)
    margins = parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:top w:w="198" w:type="dxa"/>'
        f'<w:left w:w="198" w:type="dxa"/><w:bottom w:w="198" w:type="dxa"/>'
        f'<w:right w:w="198" w:type="dxa"/></w:tblCellMar>')
    for old in tbl_pr.findall(qn("w:tblCellMar")):
        tbl_pr.remove(old)
    for child in tbl_pr:
        if child.tag in [qn(t) for t in ("w:tblLook", "w:tblCaption", "w:tblDescription")]:
            child.addprevious(margins)
            break
    else:
        tbl_pr.append(margins)
