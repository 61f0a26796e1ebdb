"""Diagrams drawn with editable shapes: the DFØ ladder, the MTO triangle, the position line
and the 2040 scenario cross.

Each diagram is a group of shapes with alt text on the group (``cNvPr/@descr``), so a screen
reader announces one description instead of every box. Colours are theme colours, so an
agency template's palette carries through; text in shapes is measured like body text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Pt

from ...ooxml import textfit
from ...ooxml.pptx_compat import FlatShape, FlatText, add_flat_group
from ...ooxml.textfit import Para
from .fit import textbox_box
from .palette import Palette
from .template import Rect

if TYPE_CHECKING:
    from pptx.shapes.group import GroupShape

    from ...planning.model import MaturityStep, MtoCorner

DIAGRAM_MAX_PT = 24.0
DIAGRAM_MIN_PT = textfit.BODY_MIN_PT
"""Text in drawn boxes follows the body-text rule: boxes grow or lose detail, text never
goes below 18 pt."""


def _try_fit(paras: Sequence[Para], width: int, height: int, typeface: str | None,
             max_pt: float = DIAGRAM_MAX_PT) -> float | None:
    box = textbox_box(width, height, typeface)
    return textfit.fit_size(paras, box, max_pt, DIAGRAM_MIN_PT)


def _fit(paras: Sequence[Para], width: int, height: int, typeface: str | None,
         max_pt: float = DIAGRAM_MAX_PT) -> float:
    return _try_fit(paras, width, height, typeface, max_pt) or DIAGRAM_MIN_PT


def needed_height(paras: Sequence[Para], width: int, typeface: str | None,
                  size: float = DIAGRAM_MIN_PT) -> int:
    """EMU height a text box of *width* needs for *paras* at *size* (with insets)."""
    box = textbox_box(width, 10**9, typeface)
    return int(textfit.text_height(paras, box, size) / box.safety * textfit.EMU_PER_PT) \
        + 2 * 45720 + 12700


def _label(rect: Rect, paras: Sequence[Para], size: float, *, shape: str = "rect",
           fill: MSO_THEME_COLOR | None = None,
           text: MSO_THEME_COLOR = MSO_THEME_COLOR.TEXT_1, align: PP_ALIGN = PP_ALIGN.CENTER,
           anchor: MSO_ANCHOR = MSO_ANCHOR.MIDDLE, line: MSO_THEME_COLOR | None = None
           ) -> FlatShape:
    """A flat box (preset *shape*) with *paras* at *size* pt in theme colour *text*; filled
    and outlined (1.5 pt) in theme colours, or neither."""
    return FlatShape(shape, rect.left, rect.top, rect.right, rect.bottom,
                     fill=_name(fill), line=_name(line),
                     width=Pt(1.5) if line is not None else None,
                     text=FlatText(tuple((p.text, p.bold) for p in paras),
                                   Pt(size).centipoints, text.xml_value, align.xml_value,
                                   anchor.xml_value))


def _name(color: MSO_THEME_COLOR | None) -> str | None:
    return color.xml_value if color is not None else None


def ladder(shapes: object, rect: Rect, steps: Sequence[MaturityStep], step_label: str,
           here_label: str, alt: str, typeface: str | None, palette: Palette) -> GroupShape:
    """Draw the DFØ maturity ladder as rising steps; the current step stands out."""
    n = max(len(steps), 1)
    gap = rect.width // 60
    width = (rect.width - gap * (n - 1)) // n
    here = [Para(here_label, bold=True, bullet=False)]
    marker_h = max(rect.height // 8, needed_height(here, width, typeface))
    usable = rect.height - marker_h
    heights = [int(usable * (0.55 + 0.45 * i / max(n - 1, 1))) for i in range(n)]

    def variants(step: MaturityStep) -> list[list[Para]]:
        head = Para(f"{step_label} {step.trinn}", bold=True, bullet=False)
        full = [head, Para(step.name, bullet=False)]
        if step.share_percent is not None:
            full.append(Para(f"{step.share_percent:g} %", bullet=False))
        return [full, full[:2], [head]]

    # The most detail that fits every step at 18 pt or more; the notes keep the rest.
    texts: list[list[Para]] = [variants(s)[-1] for s in steps]
    size = DIAGRAM_MIN_PT
    for level in range(3):
        candidate = [variants(s)[level] for s in steps]
        sizes = [_try_fit(t, width, h, typeface) for t, h in zip(candidate, heights,
                                                                  strict=True)]
        if all(sizes):
            texts, size = candidate, min(x for x in sizes if x)
            break
    members = []
    for i, (step, paras) in enumerate(zip(steps, texts, strict=True)):
        h = heights[i]
        box = Rect(rect.left + i * (width + gap), rect.bottom - h, width, h)
        current = step.current
        members.append(_label(box, paras, size,
                              fill=palette.strong if current else palette.quiet,
                              text=palette.on_strong if current else palette.text,
                              line=None if current or palette.quiet else palette.strong,
                              anchor=MSO_ANCHOR.TOP))
        if current:
            mark = Rect(box.left, box.top - marker_h, width, marker_h)
            # In the text colour, not the accent: the label has no fill of its own and may
            # sit on a template's band or picture (see slides.DeckBuilder.drawing_slide).
            members.append(_label(mark, here, _fit(here, width, marker_h, typeface),
                                  text=palette.text, anchor=MSO_ANCHOR.BOTTOM))
    return add_flat_group(shapes, "DFØ ladder", alt, members)


def triangle(shapes: object, rect: Rect, corners: Sequence[MtoCorner], alt: str,
             typeface: str | None, palette: Palette) -> GroupShape:
    """Draw the MTO triangle: three labelled corners joined by a triangle outline."""
    box_w = rect.width * 2 // 5
    box_h = rect.height // 5
    tri = Rect(rect.left + box_w // 2, rect.top + box_h // 2, rect.width - box_w,
               rect.height - box_h)
    members = [FlatShape("triangle", tri.left, tri.top, tri.right, tri.bottom,
                         line=palette.strong.xml_value, width=Pt(3))]
    spots = [
        (tri.left + tri.width // 2 - box_w // 2, rect.top),
        (rect.left, rect.bottom - box_h),
        (rect.right - box_w, rect.bottom - box_h),
    ]
    paras = [[Para(c.name, bold=True, bullet=False)] for c in corners[:3]]
    size = min((_fit(p, box_w, box_h, typeface, 28) for p in paras), default=DIAGRAM_MAX_PT)
    for (x, y), p in zip(spots, paras, strict=False):
        members.append(_label(Rect(x, y, box_w, box_h), p, size, shape="roundRect",
                              fill=palette.strong, text=palette.on_strong))
    return add_flat_group(shapes, "MTO triangle", alt, members)


def position_line(shapes: object, rect: Rect, left: str, right: str, alt: str,
                  typeface: str | None, palette: Palette) -> GroupShape:
    """Draw a line between two poles, each pole's statement under its end of the line."""
    box_w = rect.width * 9 // 20
    pl, pr = [Para(left, bullet=False)], [Para(right, bullet=False)]
    tick_h = rect.height // 10
    need = max(needed_height(pl, box_w, typeface), needed_height(pr, box_w, typeface))
    # The line sits a fifth down, or higher when the poles need the room.
    line_y = max(rect.top + tick_h, min(rect.top + rect.height // 5,
                                        rect.bottom - need - tick_h))
    strong = palette.strong.xml_value
    members = [FlatShape("line", rect.left, line_y, rect.right, line_y, line=strong,
                         width=Pt(4), ends=("headEnd", "tailEnd"))]
    for i in range(5):
        x = rect.left + rect.width * (i + 1) // 6
        members.append(FlatShape("line", x, line_y - tick_h // 2, x, line_y + tick_h // 2,
                                 line=strong, width=Pt(2)))
    top = line_y + tick_h
    box_h = rect.bottom - top
    size = min(_fit(pl, box_w, box_h, typeface), _fit(pr, box_w, box_h, typeface))
    members.append(_label(Rect(rect.left, top, box_w, box_h), pl, size, align=PP_ALIGN.LEFT,
                          anchor=MSO_ANCHOR.TOP, fill=palette.quiet, text=palette.text))
    members.append(_label(Rect(rect.right - box_w, top, box_w, box_h), pr, size,
                          align=PP_ALIGN.RIGHT, anchor=MSO_ANCHOR.TOP, fill=palette.quiet,
                          text=palette.text))
    return add_flat_group(shapes, "Position line", alt, members)


def scenario_cross(shapes: object, rect: Rect, x_low: str, x_high: str, y_low: str,
                   y_high: str, alt: str, typeface: str | None, palette: Palette) -> GroupShape:
    """Draw two crossing axes with their end labels and the four quadrants numbered 1-4."""
    label_w = rect.width * 2 // 5
    labels = [Para(t, bold=True, bullet=False) for t in (y_high, y_low, x_low, x_high)]
    label_h = max([rect.height // 8, *(needed_height([p], label_w, typeface) for p in labels)])
    cx = rect.left + rect.width // 2
    cy = rect.top + rect.height // 2
    top, bottom = rect.top + label_h, rect.bottom - label_h
    members = [FlatShape("line", x1, y1, x2, y2, line=palette.strong.xml_value, width=Pt(3),
                         ends=("tailEnd",))
               for x1, y1, x2, y2 in ((cx, bottom, cx, top), (rect.left, cy, rect.right, cy))]
    size = min(_fit([p], label_w, label_h, typeface) for p in labels)
    spots = [
        Rect(cx - label_w // 2, rect.top, label_w, label_h),
        Rect(cx - label_w // 2, rect.bottom - label_h, label_w, label_h),
        Rect(rect.left, cy + label_h // 4, label_w, label_h),
        Rect(rect.right - label_w, cy + label_h // 4, label_w, label_h),
    ]
    aligns = [PP_ALIGN.CENTER, PP_ALIGN.CENTER, PP_ALIGN.LEFT, PP_ALIGN.RIGHT]
    for spot, para, align in zip(spots, labels, aligns, strict=True):
        members.append(_label(spot, [para], size, align=align))
    q = rect.height // 6
    quads = [(cx + rect.width // 4, top + q), (cx - rect.width // 4, top + q),
             (cx - rect.width // 4, bottom - q), (cx + rect.width // 4, bottom - q)]
    for number, (x, y) in enumerate(quads, 1):
        members.append(_label(Rect(x - q // 2, y - q // 2, q, q),
                              [Para(str(number), bold=True, bullet=False)], min(size + 8, 32),
                              shape="ellipse", fill=palette.quiet, text=palette.text,
                              line=None if palette.quiet else palette.strong))
    return add_flat_group(shapes, "Scenario cross", alt, members)


# -- where the room is: method symbols and the time bar -----------------------------------------

# Each method's symbol as dots (centre x, centre y, radius) and lines (x1, y1, x2, y2) in a
# unit square; the first dot of a symbol that "starts" is drawn strong, the rest quiet.
_SYMBOLS: dict[str, tuple[tuple[tuple[float, float, float], ...],
                          tuple[tuple[float, float, float, float], ...]]] = {
    "individual-reflection": (((0.5, 0.5, 0.22),), ()),
    "pairs": (((0.3, 0.5, 0.18), (0.7, 0.5, 0.18)), ()),
    "1-2-4-all": (((0.1, 0.5, 0.08), (0.3, 0.38, 0.08), (0.3, 0.62, 0.08),
                   (0.58, 0.35, 0.08), (0.76, 0.35, 0.08), (0.58, 0.65, 0.08),
                   (0.76, 0.65, 0.08)), ((0.9, 0.2, 0.9, 0.8),)),
    "position-line": (((0.62, 0.5, 0.12),), ((0.05, 0.5, 0.95, 0.5), (0.05, 0.3, 0.05, 0.7),
                                            (0.95, 0.3, 0.95, 0.7))),
    "dot-voting": (((0.25, 0.35, 0.1), (0.5, 0.35, 0.1), (0.75, 0.35, 0.1),
                    (0.25, 0.68, 0.1)), ()),
    "plenary": (((0.5, 0.15, 0.1), (0.82, 0.35, 0.1), (0.82, 0.68, 0.1), (0.5, 0.86, 0.1),
                 (0.18, 0.68, 0.1), (0.18, 0.35, 0.1)), ()),
    "small-groups": (((0.15, 0.3, 0.09), (0.35, 0.3, 0.09), (0.25, 0.55, 0.09),
                      (0.65, 0.3, 0.09), (0.85, 0.3, 0.09), (0.75, 0.55, 0.09),
                      (0.4, 0.78, 0.09), (0.6, 0.78, 0.09)), ()),
    "separate-then-joint": (((0.15, 0.3, 0.09), (0.15, 0.7, 0.09), (0.4, 0.3, 0.09),
                             (0.4, 0.7, 0.09), (0.72, 0.5, 0.11), (0.9, 0.5, 0.11)),
                            ((0.55, 0.2, 0.55, 0.8),)),
}


def has_symbol(method_id: str) -> bool:
    """True when *method_id* has a drawn symbol."""
    return method_id in _SYMBOLS


def method_symbol(shapes: object, rect: Rect, method_id: str, alt: str,
                  palette: Palette) -> GroupShape | None:
    """Draw the small symbol of a method (pairs, 1-2-4-all, position line, dot voting ...)
    in the square *rect*, as one group with *alt* as its alt text; None for other methods."""
    spec = _SYMBOLS.get(method_id)
    if spec is None:
        return None
    dots, lines = spec
    size = min(rect.width, rect.height)
    x0, y0 = rect.left + (rect.width - size) // 2, rect.top + (rect.height - size) // 2
    text = palette.text.xml_value
    members = [FlatShape("line", x0 + int(x1 * size), y0 + int(y1 * size), x0 + int(x2 * size),
                         y0 + int(y2 * size), line=text, width=Pt(1.5))
               for x1, y1, x2, y2 in lines]
    for i, (cx, cy, r) in enumerate(dots):
        d = max(int(2 * r * size), 12700)
        x, y = x0 + int(cx * size) - d // 2, y0 + int(cy * size) - d // 2
        members.append(FlatShape("ellipse", x, y, x + d, y + d,
                                 fill=palette.strong.xml_value if i == 0 else text))
    return add_flat_group(shapes, f"Method symbol: {method_id}", alt, members)


def time_bar(shapes: object, rect: Rect, parts: Sequence[int], current: int, alt: str,
             palette: Palette) -> GroupShape:
    """Draw a dilemma's time boxes as one bar, each part as wide as its minutes; the current
    part filled, the others outlined (so the facilitator can point at where the room is)."""
    total = max(sum(parts), 1)
    gap = max(rect.width // 120, 12700)
    usable = rect.width - gap * (len(parts) - 1)
    x = rect.left
    members = []
    for i, minutes in enumerate(parts):
        w = max(usable * minutes // total, 12700)
        if i == current:
            members.append(FlatShape("rect", x, rect.top, x + w, rect.bottom,
                                     fill=palette.strong.xml_value))
        else:
            members.append(FlatShape("rect", x, rect.top, x + w, rect.bottom,
                                     line=palette.text.xml_value, width=Pt(1)))
        x += w + gap
    return add_flat_group(shapes, "Time bar", alt, members)
