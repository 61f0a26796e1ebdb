"""Reading a placeholder's text geometry from the template, and writing fitted text into it.

A placeholder's insets, indents per outline level, line spacing and default size may be set
on the slide, its layout, its master placeholder or the master's text styles; the first one
found wins, as in PowerPoint. The chain is resolved by :mod:`etikkverksted.ooxml.placeholders`,
the same resolver the quality check uses. :func:`box_of` turns it into a :class:`textfit.Box`;
:func:`write_paras` writes paragraphs at one measured size and switches autofit off, because
PowerPoint's autofit does nothing until someone edits the text.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING

from lxml import etree
from pptx.util import Pt

from ...errors import Problem, TemplateError
from ...ooxml import textfit
from ...ooxml.namespaces import A
from ...ooxml.placeholders import (
    Inheritance,
    first_attr,
    first_child,
    line_spacing,
    space_before,
)
from ...ooxml.pptx_compat import escape_text, text_body
from ...ooxml.textfit import Box, Para

if TYPE_CHECKING:
    from pptx.text.text import TextFrame

_INHERITANCE: weakref.WeakKeyDictionary[object, Inheritance] = weakref.WeakKeyDictionary()
"""The inheritance resolver of each layout, by the layout's part: made once per layout, and
gone with its presentation (nothing outlives the deck being built)."""


_BY_SLIDE: weakref.WeakKeyDictionary[object, Inheritance] = weakref.WeakKeyDictionary()
"""The same resolvers by the slide's part: finding a slide's layout walks its relationships."""


def inheritance(shape: object) -> Inheritance:
    """The resolver for the layout of the slide *shape* is on."""
    slide_part = shape.part  # type: ignore[attr-defined]
    found = _BY_SLIDE.get(slide_part)
    if found is not None:
        return found
    layout = slide_part.slide_layout
    found = _INHERITANCE.get(layout.part)
    if found is None:
        presentation = layout.part.package.presentation_part.presentation.element
        found = Inheritance(layout.element, layout.slide_master.element, presentation)
        _INHERITANCE[layout.part] = found
    _BY_SLIDE[slide_part] = found
    return found


def _chain(shape: object) -> list[etree._Element]:
    return inheritance(shape).chain(shape.element)  # type: ignore[attr-defined]


def _level_props(shape: object, level: int) -> list[etree._Element]:
    """Every ``a:lvlNpPr`` that applies to *level*, nearest first."""
    return inheritance(shape).level_props(_chain(shape), level)


def default_size(shape: object, level: int = 0, fallback: float = 24.0) -> float:
    """The font size in points the template gives *level* of this placeholder."""
    return _size(_level_props(shape, level), fallback)


def _size(props: list[etree._Element], fallback: float) -> float:
    rpr = first_child(props, "a:defRPr[@sz]")
    return int(rpr.get("sz")) / 100 if rpr is not None else fallback


def insets(shape: object) -> tuple[int, int, int, int]:
    """Left, right, top, bottom text insets in EMU, as inherited."""
    return Inheritance.insets(_chain(shape))


def box_of(shape: object, typeface: str | None) -> Box:
    """Return the measured text box of a placeholder, with its inherited paragraph layout."""
    resolver = inheritance(shape)
    chain = resolver.chain(shape.element)  # type: ignore[attr-defined]
    levels = [resolver.level_props(chain, level) for level in range(5)]
    level0 = levels[0]
    indents = []
    for props in levels:
        marl = first_attr(props, "marL")
        indents.append(int(marl) / textfit.EMU_PER_PT if marl else 0.0)
    factor, fixed_pt = line_spacing(level0)
    single = textfit.line_height(_size(level0, 24.0), typeface)  # at default_size(shape)
    spacing = max(fixed_pt / single if fixed_pt else factor, 1.0)
    # The Box measures space before as a fraction of the line height.
    fraction, before_pt = space_before(level0)
    if before_pt:
        fraction = before_pt / (single * spacing)
    placed = resolver.transform(chain)
    if placed is None:
        raise TemplateError(Problem(
            f"placeholder {shape.name!r} of layout {shape.part.slide_layout.name!r} has no "  # type: ignore[attr-defined]
            "position or size, on the slide, its layout or its master",
            "give the placeholder a position in the template's slide master"))
    (_, _), (width, height) = placed
    return Box.from_emu(int(width), int(height), Inheritance.insets(chain), typeface=typeface,
                        indents=tuple(indents), spacing=spacing, space_before=fraction)


class Boxes:
    """:func:`box_of` and :func:`default_size` within one deck build, each worked out once
    per layout and shape XML.

    Both depend only on the layout's inheritance (its resolver) and the shape's own XML; the
    placeholders of every new slide of a layout are the same XML until text is written, so
    the titles and bodies of a deck need a handful of the 50-odd look-ups. Keep one per
    build: it holds the deck's elements.
    """

    def __init__(self) -> None:
        self._boxes: dict[tuple[object, bytes, str | None], Box] = {}
        self._sizes: dict[tuple[object, bytes, int, float], float] = {}

    def box(self, shape: object, typeface: str | None) -> Box:
        key = (inheritance(shape), etree.tostring(shape.element), typeface)  # type: ignore[attr-defined]
        found = self._boxes.get(key)
        if found is None:
            found = self._boxes[key] = box_of(shape, typeface)
        return found

    def default_size(self, shape: object, level: int = 0, fallback: float = 24.0) -> float:
        key = (inheritance(shape), etree.tostring(shape.element), level, fallback)  # type: ignore[attr-defined]
        found = self._sizes.get(key)
        if found is None:
            found = self._sizes[key] = default_size(shape, level, fallback)
        return found


def textbox_box(width: int, height: int, typeface: str | None) -> Box:
    """The box of a text box this writer draws (default insets, no indents, 30 % before)."""
    return Box.from_emu(width, height, typeface=typeface, indents=(0.0,), spacing=1.0,
                        space_before=0.3)


_P, _PPR, _R, _RPR, _T = (f"{{{A}}}{tag}" for tag in ("p", "pPr", "r", "rPr", "t"))
_BODY_PR, _NO_AUTOFIT = f"{{{A}}}bodyPr", f"{{{A}}}noAutofit"
_AUTOFITS = frozenset(f"{{{A}}}{tag}" for tag in ("noAutofit", "normAutofit", "spAutoFit"))
_AFTER_AUTOFIT = frozenset(f"{{{A}}}{tag}" for tag in ("scene3d", "sp3d", "flatTx", "extLst"))
_CONTENT = frozenset(f"{{{A}}}{tag}" for tag in ("r", "br", "fld"))
_AFTER_PPR = _CONTENT | {f"{{{A}}}endParaRPr"}
_AFTER_R = frozenset({f"{{{A}}}endParaRPr"})


def _insert(parent: etree._Element, tag: str, successors: frozenset[str]) -> etree._Element:
    """A new *tag* child of *parent*, before the first child in *successors* (else last), as
    python-pptx's ``get_or_add_*`` / ``add_*`` insert it. Made with ``SubElement``, so it is
    python-pptx's element class when *parent* is in one of its documents."""
    child = etree.SubElement(parent, tag)
    successor = next((c for c in parent if c.tag in successors), None)
    if successor is not None and successor is not child:
        successor.addprevious(child)
    return child


def clear_text(body: etree._Element) -> etree._Element:
    """Empty a ``txBody`` as ``TextFrame.clear()`` does (all paragraphs but the first go, the
    first keeps its properties); return that paragraph."""
    paras = body.findall(_P)
    for extra in paras[1:]:
        body.remove(extra)
    first = paras[0]
    for child in [c for c in first if c.tag in _CONTENT]:
        first.remove(child)
    return first


def reset_text(body: etree._Element) -> etree._Element:
    """Empty a ``txBody`` as ``TextFrame.clear()`` does, then ``word_wrap = True`` and
    ``auto_size = MSO_AUTO_SIZE.NONE``; return its first (now empty) paragraph."""
    first = clear_text(body)
    body_pr = body.find(_BODY_PR)
    body_pr.set("wrap", "square")
    for child in [c for c in body_pr if c.tag in _AUTOFITS]:
        body_pr.remove(child)
    _insert(body_pr, _NO_AUTOFIT, _AFTER_AUTOFIT)
    return first


def add_run(p: etree._Element, text: str, size_pt: float, bold: bool = False) -> None:
    """Add a run to paragraph *p* as ``p.add_run()``, ``run.text = text``,
    ``run.font.size = Pt(size_pt)`` and, if *bold*, ``run.font.bold = True`` make it."""
    run = _insert(p, _R, _AFTER_R)
    rpr = etree.SubElement(run, _RPR)
    rpr.set("sz", str(Pt(size_pt).centipoints))
    if bold:
        rpr.set("b", "1")
    etree.SubElement(run, _T).text = escape_text(text)


def write_paras(frame: TextFrame, paras: Sequence[Para], size_pt: float, box: Box,
                min_pt: float = textfit.BODY_MIN_PT, textbox: bool = False,
                own_spacing: bool = False) -> None:
    """Replace the frame's text with *paras* at *size_pt* (sub-levels a little smaller).

    Autofit is switched off: the size is measured, and PowerPoint's shrink-on-overflow flag
    only acts once someone edits the text. A text box, and a body measured with its own
    paragraph spacing (*own_spacing*), get the box's space before each paragraph written out
    instead of the template's.

    The XML is what python-pptx's ``clear``, ``add_paragraph``, ``level``, ``add_run``,
    ``text``, ``font.size`` and ``font.bold`` write, made directly (a test compares the two):
    the proxies cost more than the rest of the fitting.
    """
    body = text_body(frame)
    first = reset_text(body)
    for i, para in enumerate(paras):
        p = first if i == 0 else etree.SubElement(body, _P)
        ppr = p.find(_PPR)
        if ppr is None:
            ppr = _insert(p, _PPR, _AFTER_PPR)
        if not 0 <= para.level <= 8:
            raise ValueError(f"paragraph level must be 0 to 8, not {para.level}")
        if para.level:
            ppr.set("lvl", str(para.level))
        elif "lvl" in ppr.attrib:
            del ppr.attrib["lvl"]
        if textbox or own_spacing:
            spc = etree.SubElement(ppr, f"{{{A}}}spcBef")
            etree.SubElement(spc, f"{{{A}}}spcPct", val=str(int(box.space_before * 100000)))
        if not para.bullet:
            ppr.set("marL", "0")
            ppr.set("indent", "0")
            etree.SubElement(ppr, f"{{{A}}}buNone")
        add_run(p, para.text, textfit.size_for_level(size_pt, para.level, box, min_pt),
                para.bold)
