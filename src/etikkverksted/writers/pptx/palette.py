"""Choosing theme colours for drawn diagrams that keep text readable in any template.

Diagrams use the template's theme colours so that an agency's palette carries through, but
an agency's first accent is often too light for white text (Office's own #4F81BD gives 4.0:1).
So the strongest colour is the first theme colour that reaches a contrast of 4.5:1 against the
background, and the quiet fill is used only when body text stays readable on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from ...ooxml.color import contrast_ratio, parse_hex

if TYPE_CHECKING:
    from pptx.presentation import Presentation

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
MIN_CONTRAST = 4.5

_CANDIDATES = [
    (MSO_THEME_COLOR.ACCENT_1, "accent1"), (MSO_THEME_COLOR.ACCENT_2, "accent2"),
    (MSO_THEME_COLOR.ACCENT_3, "accent3"), (MSO_THEME_COLOR.ACCENT_4, "accent4"),
    (MSO_THEME_COLOR.ACCENT_5, "accent5"), (MSO_THEME_COLOR.ACCENT_6, "accent6"),
    (MSO_THEME_COLOR.TEXT_2, "tx2"), (MSO_THEME_COLOR.TEXT_1, "tx1"),
]


@dataclass(frozen=True)
class Palette:
    """Theme colours for diagrams: a strong fill with its text colour, and a quiet fill."""

    strong: MSO_THEME_COLOR = MSO_THEME_COLOR.ACCENT_1
    on_strong: MSO_THEME_COLOR = MSO_THEME_COLOR.BACKGROUND_1
    quiet: MSO_THEME_COLOR | None = MSO_THEME_COLOR.BACKGROUND_2
    text: MSO_THEME_COLOR = MSO_THEME_COLOR.TEXT_1


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two RRGGBB colours (the same arithmetic the check uses)."""
    first, second = parse_hex(a), parse_hex(b)
    if first is None or second is None:
        return 1.0
    return contrast_ratio(first, second)


def _scheme(prs: Presentation, master_index: int) -> dict[str, str]:
    """Map scheme names (bg1, tx1, accent1 ...) to RRGGBB through the master's colour map."""
    master = prs.slide_masters[master_index]
    try:
        theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    except KeyError:
        return {}
    slots: dict[str, str] = {}
    scheme = theme.find(f".//{{{A}}}clrScheme")
    if scheme is None:
        return {}
    for slot in scheme:
        name = etree.QName(slot).localname
        colour = slot[0] if len(slot) else None
        if colour is None:
            continue
        value = colour.get("val") if etree.QName(colour).localname == "srgbClr" \
            else colour.get("lastClr")
        if value and len(value) == 6:
            slots[name] = value.upper()
    clr_map = master.element.find(f"{{{P}}}clrMap")
    mapping = dict(clr_map.attrib) if clr_map is not None else {}
    resolved = dict(slots)
    for alias, default in (("bg1", "lt1"), ("tx1", "dk1"), ("bg2", "lt2"), ("tx2", "dk2")):
        target = mapping.get(alias, default)
        if target in slots:
            resolved[alias] = slots[target]
    return resolved


def palette_for(prs: Presentation, master_index: int = 0) -> Palette:
    """Return diagram colours for the master's theme with text contrast of at least 4.5:1."""
    colours = _scheme(prs, master_index)
    background = colours.get("bg1")
    if background is None:
        return Palette()
    strong = MSO_THEME_COLOR.TEXT_1
    for theme_colour, name in _CANDIDATES:
        value = colours.get(name)
        if value and contrast(value, background) >= MIN_CONTRAST:
            strong = theme_colour
            break
    quiet: MSO_THEME_COLOR | None = MSO_THEME_COLOR.BACKGROUND_2
    if not (colours.get("tx1") and colours.get("bg2")
            and contrast(colours["tx1"], colours["bg2"]) >= MIN_CONTRAST):
        quiet = None
    return Palette(strong=strong, quiet=quiet)
