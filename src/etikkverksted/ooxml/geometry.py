"""Where a shape inside groups lands on the slide."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from .namespaces import PML as NS

Extent = tuple[float, float, float, float]
"""x, y, width and height in EMU."""
Transform = Callable[[float, float, float, float], Extent]
"""Maps a shape's x, y, width and height in its group's coordinates onto the slide's."""


def on_slide(x: float, y: float, w: float, h: float) -> Extent:
    """The transform of a shape directly on the slide: none."""
    return x, y, w, h


def group_transform(group: etree._Element, outer: Transform) -> Transform:
    """The transform for shapes inside *group* (``p:grpSp``), given the group's own *outer*.

    A group places its child coordinate space (``chOff``/``chExt``) onto its own box
    (``off``/``ext``); a group without a complete ``xfrm`` leaves its children as they are.
    """
    xfrm = group.find("p:grpSpPr/a:xfrm", NS)
    try:
        off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)  # type: ignore[union-attr]
        ch_off, ch_ext = xfrm.find("a:chOff", NS), xfrm.find("a:chExt", NS)  # type: ignore[union-attr]
        ox, oy = float(off.get("x")), float(off.get("y"))  # type: ignore[union-attr,arg-type]
        cx, cy = float(ext.get("cx")), float(ext.get("cy"))  # type: ignore[union-attr,arg-type]
        chx, chy = float(ch_off.get("x")), float(ch_off.get("y"))  # type: ignore[union-attr,arg-type]
        chcx = float(ch_ext.get("cx")) or 1.0  # type: ignore[union-attr,arg-type]
        chcy = float(ch_ext.get("cy")) or 1.0  # type: ignore[union-attr,arg-type]
    except (AttributeError, TypeError, ValueError):
        return outer
    sx, sy = cx / chcx, cy / chcy

    def inner(x: float, y: float, w: float, h: float) -> Extent:
        return outer(ox + (x - chx) * sx, oy + (y - chy) * sy, w * sx, h * sy)
    return inner
