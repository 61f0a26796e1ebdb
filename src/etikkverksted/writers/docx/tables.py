"""Accessible Word tables: a real header row that repeats on every page, and alt text.

A screen reader announces a table's caption and description (``w:tblCaption`` and
``w:tblDescription``, Word's "Alt Text" for tables) and reads data cells with the header
cell above them when the first row is marked ``w:tblHeader``; the same mark makes Word and
LibreOffice repeat the row after a page break. python-docx has no API for either.

Rows never split across pages (``w:cantSplit``), so a write-in box is never cut in two.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import EllipsisType
from typing import TYPE_CHECKING

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm
from lxml import etree
from lxml.etree import SubElement

from ...ooxml.docx_compat import (
    add_run_element,
    add_to_body,
    new_cell,
    new_table,
    set_bold,
    set_run_size,
    table_element,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table

    from ...ooxml.docx_compat import Cell, Row

CellContent = str | Callable[["Cell"], None] | None
"""Text for a cell, a function that fills it, or None for an empty (write-in) cell."""

HEADER_FILL = "DCE3EF"

(_TBL, _TBL_PR, _TBL_STYLE, _TBL_W, _JC, _TBL_LAYOUT, _TBL_LOOK, _TBL_CAPTION,
 _TBL_DESCRIPTION, _TBL_GRID, _GRID_COL, _TR, _TR_PR, _TBL_HEADER, _CANT_SPLIT, _TR_HEIGHT,
 _TC, _TC_PR, _TC_W, _SHD, _P, _PPR, _KEEP_NEXT, _R) = (
    qn(f"w:{t}") for t in (
        "tbl", "tblPr", "tblStyle", "tblW", "jc", "tblLayout", "tblLook", "tblCaption",
        "tblDescription", "tblGrid", "gridCol", "tr", "trPr", "tblHeader", "cantSplit",
        "trHeight", "tc", "tcPr", "tcW", "shd", "p", "pPr", "keepNext", "r"))
_VAL, _TYPE, _W_W, _H_RULE, _COLOR, _FILL = (
    qn(f"w:{t}") for t in ("val", "type", "w", "hRule", "color", "fill"))


def set_alt_text(table: Table, caption: str, description: str) -> None:
    """Give *table* a caption and description that screen readers announce."""
    tbl_pr = table_element(table).tblPr
    for tag in ("w:tblCaption", "w:tblDescription"):
        for old in tbl_pr.findall(qn(tag)):
            tbl_pr.remove(old)
    tail = tbl_pr.find(qn("w:tblPrChange"))
    for tag, value in (("tblCaption", caption), ("tblDescription", description)):
        element = parse_xml(f"<w:{tag} {nsdecls('w')}/>")
        element.set(qn("w:val"), value)
        if tail is not None:
            tail.addprevious(element)
        else:
            tbl_pr.append(element)


def set_row_height(row: Row, height_cm: float, *, exact: bool = False) -> None:
    """Give *row* a minimum (or, with *exact*, fixed) height: room to write by hand."""
    row.height = Cm(height_cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def add_table(document: Document, headers: Sequence[str], rows: Sequence[Sequence[CellContent]],
              widths_cm: Sequence[float], caption: str, description: str, *,
              row_height_cm: float | None = None, first_column_header: bool = False,
              style: str = "Table Grid", font_pt: float | None = None,
              style_id: str | EllipsisType | None = ...) -> Table:
    """Add a table with a repeating header row (unless *headers* is empty) and alt text.

    *row_height_cm* gives every body row a minimum height (room to write). With
    *first_column_header* the first column is marked as row headers instead (key-value
    tables such as a minutes header) and shaded like a header row. *font_pt* sets a smaller
    text size for long reference tables (a glossary). *style_id*, when given, is what
    python-docx resolves *style* to (None for the default table style), looked up once per
    document by the caller instead of once per table.

    The table is built as one lxml tree, element for element what python-docx's
    ``add_table`` and the property setters used before wrote (widths on the grid and on
    every cell, fixed layout, left-aligned, no banding); cells given as functions get
    python-docx's own cell objects to fill.
    """
    if isinstance(style_id, EllipsisType):
        style_id = document.part.get_style_id(document.styles[style], WD_STYLE_TYPE.TABLE)
    n_cols = len(widths_cm)
    body = document.element.body
    tbl = body.makeelement(_TBL)
    add_to_body(body, tbl)
    tbl_pr = SubElement(tbl, _TBL_PR)
    if style_id is not None:
        SubElement(tbl_pr, _TBL_STYLE, {_VAL: style_id})
    SubElement(tbl_pr, _TBL_W, {_TYPE: "auto", _W_W: "0"})
    SubElement(tbl_pr, _JC, {_VAL: "left"})
    SubElement(tbl_pr, _TBL_LAYOUT, {_TYPE: "fixed"})
    SubElement(tbl_pr, _TBL_LOOK, {
        _VAL: "0000", qn("w:firstRow"): str(int(bool(headers))), qn("w:lastRow"): "0",
        qn("w:firstColumn"): str(int(first_column_header)), qn("w:lastColumn"): "0",
        qn("w:noHBand"): "1", qn("w:noVBand"): "1"})
    SubElement(tbl_pr, _TBL_CAPTION, {_VAL: caption})
    SubElement(tbl_pr, _TBL_DESCRIPTION, {_VAL: description})
    grid = SubElement(tbl, _TBL_GRID)
    twips = [str(Cm(width).twips) for width in widths_cm]
    for width in twips:
        SubElement(grid, _GRID_COL, {_W_W: width})
    height = str(Cm(row_height_cm).twips) if row_height_cm else None
    shading = {_VAL: "clear", _COLOR: "auto", _FILL: HEADER_FILL}

    def row(header: bool) -> list[etree._Element]:
        tr = SubElement(tbl, _TR)
        tr_pr = SubElement(tr, _TR_PR)
        if header:
            SubElement(tr_pr, _TBL_HEADER)
        else:
            SubElement(tr_pr, _CANT_SPLIT)
            if height:
                SubElement(tr_pr, _TR_HEIGHT, {_VAL: height, _H_RULE: "atLeast"})
        tcs = []
        for c in range(n_cols):
            tc = SubElement(tr, _TC)
            tc_pr = SubElement(tc, _TC_PR)
            SubElement(tc_pr, _TC_W, {_TYPE: "dxa", _W_W: twips[c]})
            if header or (first_column_header and c == 0):
                SubElement(tc_pr, _SHD, shading)
            SubElement(tc, _P)
            tcs.append(tc)
        return tcs

    if headers:
        for tc, text in zip(row(True), headers, strict=True):
            p = tc[-1]
            SubElement(SubElement(p, _PPR), _KEEP_NEXT)
            add_run_element(p, text, bold=True)
    body_cells = [row(False) for _ in rows]
    table = new_table(tbl, document)
    for tcs, values in zip(body_cells, rows, strict=True):
        for tc, content in zip(tcs, values, strict=True):
            if content is None:
                continue
            if callable(content):
                content(new_cell(tc, table))  # no merged cells: each w:tc is one cell
            else:
                add_run_element(tc[-1], content)
        if first_column_header:
            first = tcs[0].find(_P)
            for r_el in first.iterchildren(_R) if first is not None else ():
                set_bold(r_el)
    if font_pt:
        for tc in tbl.iterchildren(_TR):
            for cell in tc.iterchildren(_TC):
                for p in cell.iterchildren(_P):
                    for r_el in p.iterchildren(_R):
                        set_run_size(r_el, font_pt)
    return table
