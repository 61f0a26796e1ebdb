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

from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm

from ...ooxml.docx_compat import (
    add_run,
    cell_element,
    row_element,
    set_keep_with_next,
    set_run_size,
    table_cells,
    table_element,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table

    from ...ooxml.docx_compat import Cell, Row

CellContent = str | Callable[["Cell"], None] | None
"""Text for a cell, a function that fills it, or None for an empty (write-in) cell."""

HEADER_FILL = "DCE3EF"

_TRPR_ORDER = ("w:cnfStyle", "w:divId", "w:gridBefore", "w:gridAfter", "w:wBefore",
               "w:wAfter", "w:cantSplit", "w:trHeight", "w:tblHeader", "w:tblCellSpacing",
               "w:jc", "w:hidden", "w:ins", "w:del", "w:trPrChange")


def _insert_in_order(parent, child, order: Sequence[str]) -> None:
    """Insert *child* into *parent* where the schema sequence *order* puts it."""
    tag = child.tag
    names = [qn(n) for n in order]
    for old in parent.findall(tag):
        parent.remove(old)
    later = names[names.index(tag) + 1:]
    for existing in parent:
        if existing.tag in later:
            existing.addprevious(child)
            return
    parent.append(child)


def _flag_row(row: Row, name: str) -> None:
    tr_pr = row_element(row).get_or_add_trPr()
    _insert_in_order(tr_pr, parse_xml(f"<w:{name} {nsdecls('w')}/>"), _TRPR_ORDER)


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


def set_header_row(row: Row, cells: Sequence[Cell] | None = None) -> None:
    """Mark *row* as the table's header row: repeated on each page, read as headers.

    *cells* are the row's cells when the caller has them (``row.cells`` recomputes the
    table's whole grid)."""
    _flag_row(row, "tblHeader")
    for cell in row.cells if cells is None else cells:
        shade_cell(cell, HEADER_FILL)
        for paragraph in cell.paragraphs:
            set_keep_with_next(paragraph)
            for run in paragraph.runs:
                run.bold = True


def shade_cell(cell: Cell, fill: str) -> None:
    """Fill *cell* with the hex colour *fill*."""
    tc_pr = cell_element(cell).get_or_add_tcPr()
    for old in tc_pr.findall(qn("w:shd")):
        tc_pr.remove(old)
    shd = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{fill}"/>')
    # w:shd follows tcW, gridSpan, vMerge/hMerge and tcBorders in tcPr.
    after = [qn(t) for t in ("w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText",
                             "w:vAlign", "w:hideMark", "w:headers", "w:cellIns", "w:cellDel",
                             "w:cellMerge", "w:tcPrChange")]
    for existing in tc_pr:
        if existing.tag in after:
            existing.addprevious(shd)
            return
    tc_pr.append(shd)


def set_row_height(row: Row, height_cm: float, *, exact: bool = False) -> None:
    """Give *row* a minimum (or, with *exact*, fixed) height: room to write by hand."""
    row.height = Cm(height_cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def fill_cell(cell: Cell, content: CellContent, style: str | None = None) -> None:
    """Put *content* into *cell*, reusing the paragraph every new cell already holds."""
    if content is None:
        return
    if callable(content):
        content(cell)
        return
    paragraph = cell.paragraphs[0]
    add_run(paragraph, content)
    if style:
        paragraph.style = style


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
    """
    n_cols = len(widths_cm)
    n_rows = len(rows) + (1 if headers else 0)
    table = document.add_table(rows=n_rows, cols=n_cols)
    if isinstance(style_id, EllipsisType):
        table.style = document.styles[style]
    else:
        table_element(table).tblStyle_val = style_id
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False
    _fixed_layout(table)
    # python-docx recomputes the whole cell grid on every ``row.cells``/``column.cells``;
    # this table has no merged cells, so take the grid once and index it.
    grid = table_cells(table)
    cells = [grid[r * n_cols:(r + 1) * n_cols] for r in range(n_rows)]
    for i, width in enumerate(widths_cm):
        table.columns[i].width = Cm(width)
        for row_cells in cells:
            row_cells[i].width = Cm(width)
    look = table_element(table).tblPr.find(qn("w:tblLook"))
    if look is not None:
        table_element(table).tblPr.remove(look)
    look = parse_xml(
        f'<w:tblLook {nsdecls("w")} w:val="0000" w:firstRow="{int(bool(headers))}" '
        f'w:lastRow="0" w:firstColumn="{int(first_column_header)}" w:lastColumn="0" '
        f'w:noHBand="1" w:noVBand="1"/>')
    table_element(table).tblPr.append(look)
    all_rows = list(table.rows)
    body = list(zip(all_rows, cells, strict=True))
    if headers:
        header, header_cells = body[0]
        for cell, text in zip(header_cells, headers, strict=True):
            fill_cell(cell, text)
        set_header_row(header, header_cells)
        body = body[1:]
    for (row, row_cells), values in zip(body, rows, strict=True):
        _flag_row(row, "cantSplit")
        for cell, content in zip(row_cells, values, strict=True):
            fill_cell(cell, content)
        if row_height_cm:
            set_row_height(row, row_height_cm)
        if first_column_header:
            shade_cell(row_cells[0], HEADER_FILL)
            for run in row_cells[0].paragraphs[0].runs:
                run.bold = True
    if font_pt:
        for row_cells in cells:
            for cell in row_cells:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    set_run_size(run, font_pt)
    set_alt_text(table, caption, description)
    return table


def _fixed_layout(table: Table) -> None:
    tbl_pr = table_element(table).tblPr
    layout = tbl_pr.get_or_add_tblLayout()
    layout.set(qn("w:type"), "fixed")
