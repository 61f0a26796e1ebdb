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
from pptx.enum.text import MSO_AUTO_SIZE
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
from ...ooxml.pptx_compat import paragraph_element
from ...ooxml.textfit import Box, Para

if TYPE_CHECKING:
    from pptx.text.text import TextFrame

_INHERITANCE: weakref.WeakKeyDictionary[object, Inheritance] = weakref.WeakKeyDictionary()
"""The inheritance resolver of each layout, by the layout's part: made once per layout, and
gone with its presentation (nothing outlives the deck being built)."""


def inheritance(shape: object) -> Inheritance:
    """The resolver for the layout of the slide *shape* is on."""
    layout = shape.part.slide_layout  # type: ignore[attr-defined]
    found = _INHERITANCE.get(layout.part)
    if found is None:
        presentation = layout.part.package.presentation_part.presentation.element
        found = Inheritance(layout.element, layout.slide_master.element, presentation)
        _INHERITANCE[layout.part] = found
    return found


def _chain(shape: object) -> list[etree._Element]:
    return inheritance(shape).chain(shape.element)  # type: ignore[attr-defined]


def _level_props(shape: object, level: int) -> list[etree._Element]:
    """Every ``a:lvlNpPr`` that applies to *level*, nearest first."""
    return inheritance(shape).level_props(_chain(shape), level)


def default_size(shape: object, level: int = 0, fallback: float = 24.0) -> float:
    """The font size in points the template gives *level* of this placeholder."""
    rpr = first_child(_level_props(shape, level), "a:defRPr[@sz]")
    return int(rpr.get("sz")) / 100 if rpr is not None else fallback


def insets(shape: object) -> tuple[int, int, int, int]:
    """Left, right, top, bottom text insets in EMU, as inherited."""
    return Inheritance.insets(_chain(shape))


def box_of(shape: object, typeface: str | None) -> Box:
    """Return the measured text box of a placeholder, with its inherited paragraph layout."""
    chain = _chain(shape)
    resolver = inheritance(shape)
    level0 = resolver.level_props(chain, 0)
    indents = []
    for level in range(5):
        marl = first_attr(resolver.level_props(chain, level), "marL")
        indents.append(int(marl) / textfit.EMU_PER_PT if marl else 0.0)
    factor, fixed_pt = line_spacing(level0)
    single = textfit.line_height(default_size(shape), typeface)
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


def textbox_box(width: int, height: int, typeface: str | None) -> Box:
    """The box of a text box this writer draws (default insets, no indents, 30 % before)."""
    return Box.from_emu(width, height, typeface=typeface, indents=(0.0,), spacing=1.0,
                        space_before=0.3)


def write_paras(frame: TextFrame, paras: Sequence[Para], size_pt: float, box: Box,
                min_pt: float = textfit.BODY_MIN_PT, textbox: bool = False,
                own_spacing: bool = False) -> None:
    """Replace the frame's text with *paras* at *size_pt* (sub-levels a little smaller).

    Autofit is switched off: the size is measured, and PowerPoint's shrink-on-overflow flag
    only acts once someone edits the text. A text box, and a body measured with its own
    paragraph spacing (*own_spacing*), get the box's space before each paragraph written out
    instead of the template's.
    """
    frame.clear()
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for i, para in enumerate(paras):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        p.level = para.level
        ppr = paragraph_element(p).get_or_add_pPr()
        if textbox or own_spacing:
            spc = etree.SubElement(ppr, f"{{{A}}}spcBef")
            etree.SubElement(spc, f"{{{A}}}spcPct", val=str(int(box.space_before * 100000)))
        if not para.bullet:
            ppr.set("marL", "0")
            ppr.set("indent", "0")
            etree.SubElement(ppr, f"{{{A}}}buNone")
        run = p.add_run()
        run.text = para.text
        run.font.size = Pt(textfit.size_for_level(size_pt, para.level, box, min_pt))
        if para.bold:
            run.font.bold = True
