"""Every use of a private name of python-docx, in one place, each with why.

python-docx gives paragraphs, tables, rows, cells and headers/footers no public ``.element``;
the handout writer needs their XML for what python-docx has no API for (list numbering,
table look, cell shading, row heights, keep-with-next, language tags, inline charts) and to
build paragraphs directly where python-docx is slow. Written against python-docx 1.2.x
(pinned ``>=1.2,<1.3`` in pyproject.toml); each fast path has a contract test in
``tests/test_compat.py`` that compares it with the library's own result. Where the library's
internals are missing, these functions raise :class:`CompatError` instead of falling back.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docx.opc.pkgwriter import PackageWriter
from docx.oxml.simpletypes import ST_HpsMeasure, ST_TwipsMeasure
from docx.shared import Pt
from docx.table import Table
from docx.table import _Cell as Cell
from docx.table import _Row as Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml import etree

from .compat import CompatError, MemberList, require

if TYPE_CHECKING:
    from docx.document import Document
    from docx.section import _Footer, _Header

__all__ = [
    "Cell",
    "CompatError",
    "Row",
    "add_run",
    "add_run_element",
    "cell_element",
    "header_footer_element",
    "new_cell",
    "new_paragraph",
    "new_table",
    "package_members",
    "paragraph_element",
    "row_element",
    "set_bold",
    "set_keep_with_next",
    "set_paragraph_style",
    "set_run_size",
    "set_spacing",
    "share_part_element",
    "table_cells",
    "table_element",
]

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_R, _RPR, _T, _B, _I = _W + "r", _W + "rPr", _W + "t", _W + "b", _W + "i"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_RUN_SPECIAL = re.compile("[\t\r\n]")
_PPR_SEQUENCE = tuple(_W + t for t in (
    "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
    "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku",
    "wordWrap", "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi",
    "adjustRightInd", "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents",
    "suppressOverlap", "jc", "textDirection", "textAlignment", "textboxTightWrap",
    "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange"))
"""python-docx 1.2's ``CT_PPr`` sequence: where it inserts a paragraph property."""
_RPR_SEQUENCE = tuple(_W + t for t in (
    "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike",
    "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden",
    "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
    "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout",
    "specVanish", "oMath"))
"""python-docx 1.2's ``CT_RPr`` sequence: where it inserts a run property."""
_PPR_RANK = {tag: i for i, tag in enumerate(_PPR_SEQUENCE)}
_RPR_RANK = {tag: i for i, tag in enumerate(_RPR_SEQUENCE)}
_PPR, _KEEP_NEXT, _SPACING, _SZ = _W + "pPr", _W + "keepNext", _W + "spacing", _W + "sz"
_VAL, _BEFORE, _AFTER = _W + "val", _W + "before", _W + "after"
_LANG = _W + "lang"
_SECT_PR = _W + "sectPr"


def _require(obj: object, attribute: str) -> Any:
    return require(obj, attribute, "docx_compat")


def paragraph_element(paragraph: Paragraph) -> etree._Element:
    """The ``w:p`` of a paragraph: for its style id, numbering and runs python-docx lacks."""
    return _require(paragraph, "_p")


def table_element(table: Table) -> etree._Element:
    """The ``w:tbl`` of a table: for ``tblLook``, fixed layout and table properties."""
    return _require(table, "_tbl")


def row_element(row: Row) -> etree._Element:
    """The ``w:tr`` of a row: for its height rule and "repeat as header row"."""
    return _require(row, "_tr")


def cell_element(cell: Cell) -> etree._Element:
    """The ``w:tc`` of a cell: for shading, and for adding paragraphs directly."""
    return _require(cell, "_tc")


def header_footer_element(part: _Header | _Footer) -> etree._Element:
    """The ``w:hdr``/``w:ftr`` of a header or footer: for language tags on its runs."""
    return _require(part, "_element")


def table_cells(table: Table) -> list[Cell]:
    """Every cell of the table's grid, row by row, computed once.

    ``row.cells`` and ``column.cells`` recompute the whole grid on every call, which made
    long tables quadratic; ``Table._cells`` is that grid.
    """
    return _require(table, "_cells")


def add_to_body(body: etree._Element, element: etree._Element) -> None:
    """Add *element* at the end of a document's *body*, before its ``w:sectPr``.

    python-docx searches all of the body's children for that place on every call; the
    body's last child is its ``w:sectPr`` when it has one, so this looks only there.
    """
    last = body[-1] if len(body) else None
    if last is not None and last.tag == _SECT_PR:
        last.addprevious(element)
    else:
        body.append(element)


def new_paragraph(p: etree._Element, parent: Document | Cell) -> Paragraph:
    """A python-docx ``Paragraph`` for a ``w:p`` we inserted ourselves into *parent*.

    ``add_paragraph`` looks for the insertion point among all body children on every call
    (quadratic in a long handout); the writer inserts the ``w:p`` itself and wraps it as
    python-docx's own paragraphs are wrapped: with the document's body (or the cell) as parent.
    """
    from docx.document import Document as DocumentClass

    owner = _require(parent, "_body") if isinstance(parent, DocumentClass) else parent
    return Paragraph(p, owner)  # type: ignore[arg-type]


def add_run(paragraph: Paragraph, text: str = "", *, bold: bool = False,
            italic: bool = False, lang: str | None = None) -> Run:
    """``paragraph.add_run(text)`` (then ``.bold``/``.italic = True``), built with plain lxml.

    python-docx's run text setter walks the text character by character and finds every
    child's place by XPath; a run of plain text is one ``w:t`` (``xml:space="preserve"``
    when the text starts or ends with white space), after a ``w:rPr`` holding ``w:b`` and
    ``w:i`` in that (schema) order. Text with tabs or line breaks goes through python-docx.
    *lang* adds the ``w:lang`` a document stamps on every run when it is saved (after ``w:b``
    and ``w:i``, where the stamp appends it); python-docx's runs get it from the stamp.
    """
    if text and _RUN_SPECIAL.search(text):
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        return run
    return Run(add_run_element(paragraph_element(paragraph), text, bold=bold, italic=italic,
                               lang=lang), paragraph)  # type: ignore[arg-type]


def add_run_element(p: etree._Element, text: str = "", *, bold: bool = False,
                    italic: bool = False, lang: str | None = None) -> etree._Element:
    """The ``w:r`` :func:`add_run` appends to the ``w:p`` *p*, for where no python-docx
    paragraph object is needed (table cells built in one go)."""
    if text and _RUN_SPECIAL.search(text):
        return _require(add_run(Paragraph(p, None), text, bold=bold,  # type: ignore[arg-type]
                                italic=italic), "_r")
    r = etree.SubElement(p, _R)
    if bold or italic or lang:
        rpr = etree.SubElement(r, _RPR)
        if bold:
            etree.SubElement(rpr, _B)
        if italic:
            etree.SubElement(rpr, _I)
        if lang:
            etree.SubElement(rpr, _LANG, {_VAL: lang})
    if text:
        t = etree.SubElement(r, _T)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(_XML_SPACE, "preserve")
    return r


def package_members(document: Document, blobs: dict[str, bytes] | None = None
                    ) -> list[tuple[str, bytes]]:
    """The (name, bytes) of every zip member ``document.save`` would write, in its order.

    ``Document.save`` deflates every part into a zip that our reproducible writer
    (:func:`~etikkverksted.ooxml.zipfiles.write_zip`) then inflates and deflates again; this
    runs python-docx's own package writer steps (``PackageWriter._write_*``) into a list.
    *blobs* gives the bytes of some parts by member name (``word/styles.xml``) instead of
    serializing them: what the writer already knows they serialize to.
    """
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    writer = MemberList()
    parts = package.parts
    steps = PackageWriter
    _require(steps, "_write_content_types_stream")(writer, parts)
    _require(steps, "_write_pkg_rels")(writer, package.rels)
    if not blobs:
        _require(steps, "_write_parts")(writer, parts)
        return writer.members
    # PackageWriter._write_parts, with the given blobs.
    for part in parts:
        name = part.partname.membername
        given = blobs.get(name)  # part.blob serializes: only for the parts not given
        writer.members.append((name, part.blob if given is None else given))
        if len(part.rels):
            writer.write(part.partname.rels_uri, part.rels.xml)
    return writer.members


def share_part_element(part: Any, element: etree._Element) -> None:
    """Make *element* the XML of the XML part *part* (python-docx keeps it in
    ``XmlPart._element``): a styles part that many documents read and none writes."""
    _require(part, "_element")
    part._element = element


def _get_or_add(parent: etree._Element, tag: str, rank: dict[str, int]) -> etree._Element:
    """python-docx's ``get_or_add_<child>`` of a ``ZeroOrOne`` child: the first *tag* child,
    else a new one inserted before the first child of the earliest successor tag present
    (``first_child_found_in`` walks the successors in sequence order), else appended."""
    child = parent.find(tag)
    if child is not None:
        return child
    child = parent.makeelement(tag)
    own = rank[tag]
    best, best_rank = None, len(rank)
    for existing in parent:
        r = rank.get(existing.tag)  # type: ignore[arg-type]
        if r is not None and own < r < best_rank:
            best, best_rank = existing, r
    if best is not None:
        best.addprevious(child)
    else:
        parent.append(child)
    return child


def _first_child(parent: etree._Element, tag: str) -> etree._Element:
    """``get_or_add_pPr``/``get_or_add_rPr``: the properties element, inserted first."""
    child = parent.find(tag)
    if child is None:
        child = parent.makeelement(tag)
        parent.insert(0, child)
    return child


def set_run_size(run: Run | etree._Element, points: float) -> None:
    """``run.font.size = Pt(points)`` on a run (or its ``w:r``) with plain lxml (python-docx
    finds the place of every property it adds by XPath)."""
    r = run if isinstance(run, etree._Element) else _require(run, "_r")
    rpr = _first_child(r, _RPR)
    _get_or_add(rpr, _SZ, _RPR_RANK).set(_VAL, ST_HpsMeasure.convert_to_xml(Pt(points)))


def set_keep_with_next(paragraph: Paragraph) -> None:
    """``paragraph.paragraph_format.keep_with_next = True`` with plain lxml."""
    keep = _get_or_add(_first_child(paragraph_element(paragraph), _PPR), _KEEP_NEXT,
                       _PPR_RANK)
    keep.attrib.pop(_VAL, None)  # an on/off element writes True as no value


def set_spacing(paragraph: Paragraph, *, before: float | None = None,
                after: float | None = None) -> None:
    """``paragraph_format.space_before = Pt(before)``, then ``.space_after = Pt(after)``,
    each only when given, with plain lxml."""
    spacing = _get_or_add(_first_child(paragraph_element(paragraph), _PPR), _SPACING,
                          _PPR_RANK)
    if before is not None:
        spacing.set(_BEFORE, ST_TwipsMeasure.convert_to_xml(Pt(before)))
    if after is not None:
        spacing.set(_AFTER, ST_TwipsMeasure.convert_to_xml(Pt(after)))


def set_paragraph_style(paragraph: Paragraph, style_id: str) -> None:
    """``w:p.style = style_id`` (the paragraph's ``w:pStyle``) with plain lxml."""
    style = _get_or_add(_first_child(paragraph_element(paragraph), _PPR), _W + "pStyle",
                        _PPR_RANK)
    style.set(_VAL, style_id)


def set_bold(r: etree._Element) -> None:
    """``run.bold = True`` on the ``w:r`` *r*, with plain lxml."""
    bold = _get_or_add(_first_child(r, _RPR), _B, _RPR_RANK)
    bold.attrib.pop(_VAL, None)  # an on/off element writes True as no value


def new_table(tbl: etree._Element, document: Document) -> Table:
    """A python-docx ``Table`` for a ``w:tbl`` we built and inserted into the body ourselves,
    wrapped as ``Document.add_table`` wraps its own: with the document's body as parent."""
    return Table(tbl, _require(document, "_body"))  # type: ignore[arg-type]


def new_cell(tc: etree._Element, table: Table) -> Cell:
    """The python-docx cell ``table_cells(table)`` holds for the ``w:tc`` *tc* of a table
    without merged cells (``Table._cells`` wraps each ``w:tc`` as ``_Cell(tc, table)``),
    without working out the whole grid."""
    return Cell(tc, table)  # type: ignore[arg-type]
