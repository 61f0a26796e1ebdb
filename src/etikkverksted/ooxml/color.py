"""Colours as Office stores them, resolved to RGB, and the WCAG 2 contrast ratio between two.

DrawingML colours may be literal (``srgbClr``), named (``prstClr``), system (``sysClr``, with
its ``lastClr``), or theme slots (``schemeClr`` such as ``tx1`` or ``accent1``) that a slide
maps through the master's ``clrMap`` onto the theme's ``clrScheme``; each may carry transforms
(``lumMod``/``lumOff``, ``tint``/``shade``). Word colours are hex values or theme colour
names with tint/shade bytes. Everything here turns those into ``(r, g, b)`` in 0-255.
"""

from __future__ import annotations

import colorsys
from collections.abc import Mapping

from lxml import etree

from .namespaces import A as A_NS

RGB = tuple[int, int, int]

WCAG_MIN_RATIO = 4.5
"""The minimum contrast this check accepts for text (WCAG 2.1 AA, SC 1.4.3)."""

# Default mapping of the logical slots to theme slots, used when a master has no clrMap.
DEFAULT_CLR_MAP = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2",
                   "accent1": "accent1", "accent2": "accent2", "accent3": "accent3",
                   "accent4": "accent4", "accent5": "accent5", "accent6": "accent6",
                   "hlink": "hlink", "folHlink": "folHlink"}

_PRESET = {
    "black": (0, 0, 0), "white": (255, 255, 255), "red": (255, 0, 0), "green": (0, 128, 0),
    "blue": (0, 0, 255), "yellow": (255, 255, 0), "gray": (128, 128, 128),
    "grey": (128, 128, 128), "darkGray": (169, 169, 169), "lightGray": (211, 211, 211),
    "navy": (0, 0, 128), "orange": (255, 165, 0), "purple": (128, 0, 128),
    "silver": (192, 192, 192), "cyan": (0, 255, 255), "magenta": (255, 0, 255),
}
_SYSTEM = {"windowText": (0, 0, 0), "window": (255, 255, 255), "btnText": (0, 0, 0),
           "btnFace": (240, 240, 240), "captionText": (0, 0, 0), "highlight": (0, 120, 215),
           "highlightText": (255, 255, 255)}
_WORD_THEME = {"text1": "dk1", "dark1": "dk1", "background1": "lt1", "light1": "lt1",
               "text2": "dk2", "dark2": "dk2", "background2": "lt2", "light2": "lt2",
               "hyperlink": "hlink", "followedHyperlink": "folHlink"}
_COLOR_TAGS = {f"{{{A_NS}}}{t}" for t in
               ("srgbClr", "schemeClr", "prstClr", "sysClr", "scrgbClr", "hslClr")}


def relative_luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio of two colours, from 1.0 to 21.0."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def parse_hex(value: str | None) -> RGB | None:
    """``"1F3864"`` -> ``(31, 56, 100)``; None for anything else (``auto``, junk)."""
    if not value or len(value) != 6:
        return None
    try:
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    except ValueError:
        return None


def hex_of(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def theme_colors(theme: etree._Element | None) -> dict[str, RGB]:
    """The theme's colour scheme by slot name (``dk1``, ``lt1``, ``accent1`` ...)."""
    found: dict[str, RGB] = {}
    if theme is None:
        return found
    scheme = theme.find(f".//{{{A_NS}}}clrScheme")
    if scheme is None:
        return found
    for slot in scheme:
        if not isinstance(slot.tag, str):
            continue
        name = etree.QName(slot).localname
        for child in slot:
            rgb = _base_color(child, {}, DEFAULT_CLR_MAP)
            if rgb is not None:
                found[name] = rgb
                break
    return found


def _base_color(el: etree._Element, theme: Mapping[str, RGB],
                clr_map: Mapping[str, str], placeholder: RGB | None = None) -> RGB | None:
    tag = etree.QName(el).localname
    if tag == "srgbClr":
        return parse_hex(el.get("val"))
    if tag == "sysClr":
        return parse_hex(el.get("lastClr")) or _SYSTEM.get(el.get("val") or "")
    if tag == "prstClr":
        return _PRESET.get(el.get("val") or "")
    if tag == "scrgbClr":
        try:
            return tuple(round(_to_srgb(int(el.get(c) or 0) / 100000) * 255)
                         for c in ("r", "g", "b"))  # type: ignore[return-value]
        except ValueError:
            return None
    if tag == "hslClr":
        try:
            h = int(el.get("hue") or 0) / 21600000
            s = int(el.get("sat") or 0) / 100000
            lum = int(el.get("lum") or 0) / 100000
        except ValueError:
            return None
        r, g, b = colorsys.hls_to_rgb(h, lum, s)
        return round(r * 255), round(g * 255), round(b * 255)
    if tag == "schemeClr":
        val = el.get("val") or ""
        if val == "phClr":
            return placeholder
        slot = clr_map.get(val, val)
        return theme.get(slot)
    return None


def _to_srgb(linear: float) -> float:
    linear = min(max(linear, 0.0), 1.0)
    return linear * 12.92 if linear <= 0.0031308 else 1.055 * linear ** (1 / 2.4) - 0.055


def _apply(rgb: RGB, el: etree._Element) -> RGB:
    r, g, b = (c / 255 for c in rgb)
    for mod in el:
        if not isinstance(mod.tag, str):
            continue
        name = etree.QName(mod).localname
        try:
            val = int(mod.get("val") or 0) / 100000
        except ValueError:
            continue
        if name in ("lumMod", "lumOff"):
            h, lum, s = colorsys.rgb_to_hls(r, g, b)
            lum = lum * val if name == "lumMod" else lum + val
            r, g, b = colorsys.hls_to_rgb(h, min(max(lum, 0.0), 1.0), s)
        elif name == "tint":
            r, g, b = (1 - (1 - c) * val for c in (r, g, b))
        elif name == "shade":
            r, g, b = (c * val for c in (r, g, b))
        elif name == "inv":
            r, g, b = 1 - r, 1 - g, 1 - b
    return tuple(round(min(max(c, 0.0), 1.0) * 255) for c in (r, g, b))  # type: ignore[return-value]


def resolve_color(el: etree._Element | None, theme: Mapping[str, RGB],
                  clr_map: Mapping[str, str], placeholder: RGB | None = None) -> RGB | None:
    """Resolve a colour element, or the first colour child of a fill element, to RGB."""
    if el is None:
        return None
    if el.tag not in _COLOR_TAGS:
        el = next((c for c in el if c.tag in _COLOR_TAGS), None)
        if el is None:
            return None
    base = _base_color(el, theme, clr_map, placeholder)
    return None if base is None else _apply(base, el)


def word_color(val: str | None, theme_color: str | None, tint: str | None, shade: str | None,
               theme: Mapping[str, RGB]) -> RGB | None:
    """Resolve a Word colour (``w:color``/``w:shd`` attributes) to RGB; None for ``auto``."""
    rgb = None
    if theme_color:
        slot = _WORD_THEME.get(theme_color, theme_color)
        rgb = theme.get(slot)
    if rgb is None:
        rgb = parse_hex(val)
    if rgb is None:
        return None
    r, g, b = (c / 255 for c in rgb)
    try:
        if tint:
            t = int(tint, 16) / 255
            r, g, b = (1 - (1 - c) * t for c in (r, g, b))
        if shade:
            s = int(shade, 16) / 255
            r, g, b = (c * s for c in (r, g, b))
    except ValueError:
        pass
    return tuple(round(c * 255) for c in (r, g, b))  # type: ignore[return-value]
