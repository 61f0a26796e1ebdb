"""Reading a placeholder's text geometry from the template, and writing fitted text into it.

A placeholder's insets, indents per outline level, line spacing and default size may be set
on the slide, its layout, its master placeholder or the master's text styles; the first one
found wins, as in PowerPoint. :func:`box_of` resolves that chain into a :class:`textfit.Box`;
:func:`write_paras` writes paragraphs at one measured size and switches autofit off, because
PowerPoint's autofit does nothing until someone edits the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lxml import etree
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Pt

from ... import textfit
from ...textfit import Box, Para

if TYPE_CHECKING:
    from pptx.text.text import TextFrame

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
NS = {"a": A, "p": P}
_DEFAULT_INSETS = {"lIns": 91440, "rIns": 91440, "tIns": 45720, "bIns": 45720}
_TITLE_TYPES = {"title", "ctrTitle"}


def _is_title(element: etree._Element) -> bool:
    ph = element.find(".//p:nvPr/p:ph", NS)
    return ph is not None and ph.get("type") in _TITLE_TYPES


def _base(shape: object) -> object | None:
    """The placeholder *shape* inherits from, matched by kind when idx matching goes wrong.

    Some tools (LibreOffice among them) give every placeholder of a layout ``idx=0``;
    inheritance by idx then hands a body the title's geometry and styles.
    """
    base = getattr(shape, "_base_placeholder", None)
    if base is None:
        return None
    if _is_title(base._element) == _is_title(shape._element):  # type: ignore[attr-defined]
        return base
    layout = getattr(getattr(shape, "part", None), "slide_layout", None)
    if layout is None:
        return None
    want = shape._element.find(".//p:nvPr/p:ph", NS).get("type", "obj")  # type: ignore
    for candidate in layout.placeholders:
        ph = candidate._element.find(".//p:nvPr/p:ph", NS)
        if ph is not None and ph.get("type", "obj") == want:
            return candidate
    return None


_BASES: dict[tuple[object, str, str], tuple[etree._Element, ...]] = {}
"""Inherited placeholder elements by (layout element, placeholder type, idx).

python-pptx finds a placeholder's base by scanning every shape of the layout with XPath; a
deck asks for the same few bases hundreds of times, which made inheritance the slowest part
of rendering. The key holds the layout element itself (not its id), so it cannot be confused
with another presentation's layout; :func:`forget_inherited` empties it for each new deck.
"""


def forget_inherited() -> None:
    """Empty the inheritance cache (call before each new presentation)."""
    _BASES.clear()


def _chain(shape: object) -> list[etree._Element]:
    """The shape's element, then its layout and master placeholders (those that exist)."""
    element = shape._element  # type: ignore[attr-defined]
    layout = getattr(getattr(shape, "part", None), "slide_layout", None)
    ph = element.find(".//p:nvPr/p:ph", NS)
    key = None
    if layout is not None and ph is not None:
        key = (layout._element, ph.get("type", "obj"), ph.get("idx", "0"))
        if key in _BASES:
            return [element, *_BASES[key]]
    bases: list[etree._Element] = []
    current = shape
    for _ in range(2):
        base = _base(current)
        if base is None:
            break
        bases.append(base._element)  # type: ignore[attr-defined]
        current = base
    if key is not None:
        if len(_BASES) > 512:
            _BASES.clear()
        _BASES[key] = tuple(bases)
    return [element, *bases]


def _master_style(shape: object) -> etree._Element | None:
    """The master's title or body text style that this placeholder inherits from."""
    try:
        master = shape.part.slide_layout.slide_master  # type: ignore[attr-defined]
    except AttributeError:
        return None
    ph = shape._element.find(".//p:nvPr/p:ph", NS)  # type: ignore[attr-defined]
    kind = ph.get("type", "body") if ph is not None else "other"
    which = "p:titleStyle" if kind in _TITLE_TYPES else \
        "p:bodyStyle" if ph is not None else "p:otherStyle"
    return master._element.find(f"p:txStyles/{which}", NS)


def _level_props(shape: object, level: int) -> list[etree._Element]:
    """Every ``a:lvlNpPr`` that applies to *level*, nearest first."""
    tag = f"a:lvl{level + 1}pPr"
    found = []
    for el in _chain(shape):
        ppr = el.find(f"p:txBody/a:lstStyle/{tag}", NS)
        if ppr is not None:
            found.append(ppr)
    style = _master_style(shape)
    if style is not None:
        ppr = style.find(tag, NS)
        if ppr is not None:
            found.append(ppr)
    return found


def _first(props: list[etree._Element], path: str) -> etree._Element | None:
    for ppr in props:
        el = ppr.find(path, NS)
        if el is not None:
            return el
    return None


def _first_attr(props: list[etree._Element], attr: str) -> str | None:
    for ppr in props:
        if ppr.get(attr) is not None:
            return ppr.get(attr)
    return None


def default_size(shape: object, level: int = 0, fallback: float = 24.0) -> float:
    """The font size in points the template gives *level* of this placeholder."""
    rpr = _first(_level_props(shape, level), "a:defRPr[@sz]")
    return int(rpr.get("sz")) / 100 if rpr is not None else fallback


def insets(shape: object) -> tuple[int, int, int, int]:
    """Left, right, top, bottom text insets in EMU, as inherited."""
    values = {}
    for attr, default in _DEFAULT_INSETS.items():
        value = None
        for el in _chain(shape):
            body_pr = el.find("p:txBody/a:bodyPr", NS)
            if body_pr is not None and body_pr.get(attr) is not None:
                value = int(body_pr.get(attr))
                break
        values[attr] = default if value is None else value
    return values["lIns"], values["rIns"], values["tIns"], values["bIns"]


def box_of(shape: object, typeface: str | None) -> Box:
    """Return the measured text box of a placeholder, with its inherited paragraph layout."""
    level0 = _level_props(shape, 0)
    indents = []
    for level in range(5):
        marl = _first_attr(_level_props(shape, level), "marL")
        indents.append(int(marl) / textfit.EMU_PER_PT if marl else 0.0)
    spacing = 1.0
    ln = _first(level0, "a:lnSpc/a:spcPct")
    if ln is not None:
        spacing = int(ln.get("val")) / 100000
    space_before = 0.0
    pct = _first(level0, "a:spcBef/a:spcPct")
    pts = _first(level0, "a:spcBef/a:spcPts")
    if pct is not None:
        space_before = int(pct.get("val")) / 100000
    elif pts is not None:
        space_before = (int(pts.get("val")) / 100) / (max(default_size(shape), 1) * 1.2)
    return Box.from_emu(int(shape.width), int(shape.height), insets(shape),  # type: ignore
                        typeface=typeface, indents=tuple(indents), spacing=max(spacing, 1.0),
                        space_before=space_before)


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
        ppr = p._p.get_or_add_pPr()
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
