"""Real Word lists: numbering definitions, one ``w:num`` per list, restarts that work.

Word numbers paragraphs through ``numbering.xml``: an *abstract* definition says how each level
looks (bullet glyph or ``%1.``), and every ``w:num`` points at one. Paragraphs that share a
``w:num`` form one list and count on; a new ``w:num`` with a ``w:startOverride`` starts again
at 1 (python-docx #25). :class:`Lists` adds our own abstract definitions next to whatever a
template has (never touching the template's) and hands out a fresh ``w:num`` per list.

A template may have no numbering part at all (python-docx #1333); :func:`ensure_numbering`
creates one.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from typing import TYPE_CHECKING, Literal, Protocol

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from lxml import etree

from ...ooxml.docx_compat import add_to_body, cell_element, new_paragraph, paragraph_element

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

ListKind = Literal["bullet", "number", "check"]

# Level 0 and level 1 of each kind. Level 1 is always a dash bullet, so that follow-up probes
# can hang under a numbered question without breaking its count.
_LEVELS: dict[ListKind, tuple[tuple[str, str, str], ...]] = {
    "bullet": (("bullet", "\u2022", "Calibri"), ("bullet", "\u2013", "Calibri")),
    "number": (("decimal", "%1.", ""), ("bullet", "\u2013", "Calibri")),
    "check": (("bullet", "\u2610", "Segoe UI Symbol"), ("bullet", "\u2013", "Calibri")),
}
_NSID = {"bullet": "6B5A0001", "number": "6B5A0002", "check": "6B5A0003"}
_STYLE = {"bullet": "List Bullet", "number": "List Number", "check": "List Bullet"}
_INDENT = 360  # twips per level; the hanging indent holds the glyph
_P, _PPR, _PSTYLE, _NUMPR, _ILVL, _NUMID, _R, _T, _VAL = (
    qn(t) for t in ("w:p", "w:pPr", "w:pStyle", "w:numPr", "w:ilvl", "w:numId", "w:r", "w:t",
                    "w:val"))
_NUM, _ABSTRACT_NUM_ID, _LVL_OVERRIDE, _START_OVERRIDE, _CLEANUP, _NUM_ID_ATTR = (
    qn(t) for t in ("w:num", "w:abstractNumId", "w:lvlOverride", "w:startOverride",
                    "w:numIdMacAtCleanup", "w:numId"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_RPR, _LANG = qn("w:rPr"), qn("w:lang")


class _Container(Protocol):
    def add_paragraph(self, text: str = "", style: object = None) -> Paragraph: ...


def ensure_numbering(document: Document) -> NumberingPart:
    """Return the document's numbering part, creating an empty one when the template has none."""
    part = document.part
    for rel in part.rels.values():
        if rel.reltype == RT.NUMBERING and not rel.is_external:
            return rel.target_part  # type: ignore[return-value]
    element = parse_xml(f'<w:numbering {nsdecls("w")}/>')
    numbering = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, element,
                              part.package)
    part.relate_to(numbering, RT.NUMBERING)
    return numbering


def _abstract_xml(abstract_id: int, kind: ListKind) -> str:
    levels = []
    for ilvl, (fmt, text, font) in enumerate(_LEVELS[kind]):
        left = _INDENT * (ilvl + 1)
        rpr = (f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}" '
               f'w:hint="default"/></w:rPr>') if font else ""
        levels.append(
            f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{left}" w:hanging="{_INDENT}"/></w:pPr>{rpr}</w:lvl>'
        )
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:nsid w:val="{_NSID[kind]}"/><w:multiLevelType w:val="hybridMultilevel"/>'
            f'{"".join(levels)}</w:abstractNum>')


class Lists:
    """Hands out new lists for one document; each call to :meth:`new` restarts counting."""

    def __init__(self, document: Document, style_ids: dict[str, str] | None = None,
                 lang: str | None = None) -> None:
        self._numbering = self.numbering = ensure_numbering(document).element
        self._document = document
        self._body = None
        self._last_num_id: int | None = None  # the highest w:numId, once looked up
        # A list paragraph per kind, copied for each item; with *lang* its run carries the
        # language tag the document stamps on every run when it is saved.
        self._lang = lang
        self._prototypes: dict[ListKind, etree._Element] = {}
        self._abstract: dict[ListKind, int] = {}
        # Looking a style up by name walks every style in python-docx; resolve ids once.
        self._style_ids = style_ids if style_ids is not None else {
            name: document.styles[name].style_id for name in set(_STYLE.values())}

    def _ids(self, tag: str, attr: str) -> list[int]:
        return [int(el.get(qn(attr))) for el in self._numbering.findall(qn(tag))]

    def _abstract_id(self, kind: ListKind) -> int:
        if kind not in self._abstract:
            new_id = max(self._ids("w:abstractNum", "w:abstractNumId"), default=-1) + 1
            element = parse_xml(_abstract_xml(new_id, kind))
            # Schema order: every w:abstractNum comes before the first w:num.
            first_num = self._numbering.find(qn("w:num"))
            if first_num is not None:
                first_num.addprevious(element)
            else:
                cleanup = self._numbering.find(qn("w:numIdMacAtCleanup"))
                if cleanup is not None:
                    cleanup.addprevious(element)
                else:
                    self._numbering.append(element)
            self._abstract[kind] = new_id
        return self._abstract[kind]

    def new(self, kind: ListKind) -> int:
        """Create a new list of *kind* that starts at 1 and return its ``numId``."""
        abstract_id = self._abstract_id(kind)
        if self._last_num_id is None:
            self._last_num_id = max(self._ids("w:num", "w:numId"), default=0)
        # Only this object adds w:num elements to the document: count on from the highest.
        num_id = self._last_num_id = self._last_num_id + 1
        element = self._numbering.makeelement(_NUM, {_NUM_ID_ATTR: str(num_id)})
        etree.SubElement(element, _ABSTRACT_NUM_ID, {_VAL: str(abstract_id)})
        override = etree.SubElement(element, _LVL_OVERRIDE, {_ILVL: "0"})
        etree.SubElement(override, _START_OVERRIDE, {_VAL: "1"})
        cleanup = self._numbering.find(_CLEANUP)
        if cleanup is not None:
            cleanup.addprevious(element)
        else:
            self._numbering.append(element)
        return num_id

    def item(self, container: _Container, text: str, num_id: int, kind: ListKind,
             level: int = 0) -> Paragraph:
        """Add one list paragraph with *text* to *container* (document body or table cell)."""
        if "\n" in text or "\t" in text:  # python-docx turns these into breaks and tabs
            paragraph = container.add_paragraph(text)
            paragraph_element(paragraph).style = self._style_ids[_STYLE[kind]]
            set_numbering(paragraph, num_id, level)
            return paragraph
        # Built directly: python-docx's add_paragraph looks for the insertion point among
        # all body children on every call, which made long documents quadratic.
        if container is self._document:
            if self._body is None:
                self._body = self._document.element.body
            parent = self._body
            in_body = True
        else:
            element = getattr(container, "element", None)
            body = element.body if element is not None and hasattr(element, "body") else None
            in_body = body is not None
            parent = body if in_body else cell_element(container)  # type: ignore[arg-type]
        prototype = self._prototypes.get(kind)
        if prototype is None:
            prototype = self._prototypes[kind] = self._prototype(parent, kind)
        p = deepcopy(prototype)
        num_pr = p[0][1]
        num_pr[0].set(_VAL, str(level))
        num_pr[1].set(_VAL, str(num_id))
        p[1][-1].text = text
        if in_body:
            add_to_body(parent, p)
        else:
            parent.append(p)
        return new_paragraph(p, container)  # type: ignore[arg-type]

    def _prototype(self, parent: etree._Element, kind: ListKind) -> etree._Element:
        p = parent.makeelement(_P)
        ppr = etree.SubElement(p, _PPR)
        etree.SubElement(ppr, _PSTYLE, {_VAL: self._style_ids[_STYLE[kind]]})
        num_pr = etree.SubElement(ppr, _NUMPR)
        etree.SubElement(num_pr, _ILVL, {_VAL: "0"})
        etree.SubElement(num_pr, _NUMID, {_VAL: "0"})
        r = etree.SubElement(p, _R)
        if self._lang:
            etree.SubElement(etree.SubElement(r, _RPR), _LANG, {_VAL: self._lang})
        etree.SubElement(r, _T, {_XML_SPACE: "preserve"})
        return p

    def add(self, container: _Container, items: Iterable[str], kind: ListKind) -> list[Paragraph]:
        """Add *items* as one new list (restarting at 1 for numbered lists)."""
        num_id = self.new(kind)
        return [self.item(container, text, num_id, kind) for text in items]


def set_numbering(paragraph: Paragraph, num_id: int, level: int = 0) -> None:
    """Point *paragraph* at list *num_id*, level *level*, overriding its style's numbering."""
    ppr = paragraph_element(paragraph).get_or_add_pPr()
    existing = ppr.find(qn("w:numPr"))
    if existing is not None:
        ppr.remove(existing)
    num_pr = ppr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id
