"""A slide as PowerPoint sees it: shapes with their inherited text properties, size and fill.

PowerPoint resolves most of what a run looks like by inheritance: the run, the shape's list
style, the layout's and the master's placeholder of the same kind, the master's title/body
text styles (or the presentation's default text style for shapes that are not placeholders),
and the theme behind colour and font names. The checks need the resolved values, so this
module walks that chain on raw XML (the file may not be ours, and may be odd).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..ooxml.color import DEFAULT_CLR_MAP, RGB, resolve_color, theme_colors
from ..ooxml.geometry import Transform, group_transform, on_slide
from ..ooxml.lookup import ANY, first
from ..ooxml.namespaces import PML as NS
from ..ooxml.namespaces import A, P
from ..ooxml.placeholders import Inheritance
from .package import Package

EMU_PER_PT = 12700
_SHAPE_TAGS = {f"{{{P}}}{t}" for t in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp",
                                        "contentPart")}
_FILL_TAGS = {f"{{{A}}}{t}" for t in ("solidFill", "noFill", "gradFill", "blipFill",
                                      "pattFill", "grpFill")}

_TX_BODY, _NV_PR, _PH, _C_NV_PR = (f"{{{P}}}{t}" for t in ("txBody", "nvPr", "ph", "cNvPr"))
_SP_PR, _GRP_SP_PR, _STYLE = (f"{{{P}}}{t}" for t in ("spPr", "grpSpPr", "style"))
_FILL_REF, _T = f"{{{A}}}fillRef", f"{{{A}}}t"

Fill = RGB | str | None
"""A resolved fill: an RGB colour, ``"none"`` (see-through), ``"unknown"`` (picture, gradient,
pattern: no single colour), or None (nothing said; look further)."""


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    def contains_point(self, px: float, py: float) -> bool:
        return self.x <= px <= self.x + self.w and self.y <= py <= self.y + self.h


@dataclass
class Shape:
    """One shape on a slide, flattened out of its groups, in drawing (z) order."""

    el: etree._Element
    kind: str
    rect: Rect | None
    ph: tuple[str, str | None] | None
    chain: list[etree._Element]
    fill: Fill
    in_described_group: bool = False
    name: str = ""


@dataclass
class Theme:
    colors: dict[str, RGB] = field(default_factory=dict)
    major: str | None = None
    minor: str | None = None


def local(el: etree._Element) -> str:
    """The local name of an element's tag (``""`` for comments and processing instructions)."""
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def ph_of(el: etree._Element) -> tuple[str, str | None] | None:
    """(type, idx) of a placeholder shape, type defaulting to ``body``; None for others."""
    ph = first(el, ANY, _NV_PR, _PH)
    if ph is None:
        return None
    return ph.get("type") or "body", ph.get("idx")


def text_of(txbody: etree._Element | None) -> str:
    """All text of a text body, paragraphs joined by newlines."""
    if txbody is None:
        return ""
    return "\n".join("".join(t.text or "" for t in p.iter(f"{{{A}}}t"))
                     for p in txbody.iter(f"{{{A}}}p"))


def txbody_of(el: etree._Element) -> etree._Element | None:
    return first(el, _TX_BODY)


class SlideModel:
    """A slide (or notes slide) part with its layout, master, theme and colour map."""

    def __init__(self, pkg: Package, part: str, presentation: etree._Element | None,
                 shared: dict[object, object] | None = None) -> None:
        """*shared* is a dict the slides of one deck check share (and nothing else): the
        layout's inheritance and the master's theme are then worked out once per deck."""
        self.pkg = pkg
        self.part = part
        self.root = pkg.xml(part)
        layouts = pkg.related(part, "/slideLayout")
        self.layout_part = layouts[0] if layouts else None
        masters = pkg.related(self.layout_part, "/slideMaster") if self.layout_part else \
            pkg.related(part, "/notesMaster")
        self.master_part = masters[0] if masters else None
        self.layout = pkg.xml(self.layout_part) if self.layout_part else None
        self.master = pkg.xml(self.master_part) if self.master_part else None
        self.presentation = presentation
        shared = {} if shared is None else shared
        key = ("inheritance", self.layout_part, self.master_part)
        if key not in shared:
            shared[key] = Inheritance(self.layout, self.master, presentation)
        self.inheritance: Inheritance = shared[key]  # type: ignore[assignment]
        key = ("theme", self.master_part)
        if key not in shared:
            shared[key] = self._theme()
        self.theme: Theme = shared[key]  # type: ignore[assignment]
        self.clr_map = self._clr_map()

    # -- theme and colours -----------------------------------------------------------------

    def _theme(self) -> Theme:
        theme = Theme()
        if not self.master_part:
            return theme
        for target in self.pkg.related(self.master_part, "/theme"):
            root = self.pkg.xml(target)
            if root is None:
                continue
            theme.colors = theme_colors(root)
            major = root.find(".//a:fontScheme/a:majorFont/a:latin", NS)
            minor = root.find(".//a:fontScheme/a:minorFont/a:latin", NS)
            theme.major = major.get("typeface") if major is not None else None
            theme.minor = minor.get("typeface") if minor is not None else None
            break
        return theme

    def _clr_map(self) -> dict[str, str]:
        clr_map = dict(DEFAULT_CLR_MAP)
        if self.master is not None:
            el = self.master.find("p:clrMap", NS)
            if el is not None:
                clr_map.update(el.attrib)
        for root in (self.layout, self.root):
            if root is None:
                continue
            over = root.find("p:clrMapOvr/a:overrideClrMapping", NS)
            if over is not None:
                clr_map.update(over.attrib)
        return clr_map

    def color(self, el: etree._Element | None, placeholder: RGB | None = None) -> RGB | None:
        return resolve_color(el, self.theme.colors, self.clr_map, placeholder)

    def typeface(self, name: str | None) -> str | None:
        if name in ("+mj-lt", "+mj-ea", "+mj-cs"):
            return self.theme.major
        if name in ("+mn-lt", "+mn-ea", "+mn-cs"):
            return self.theme.minor
        return name

    # -- placeholders and inheritance (:mod:`etikkverksted.ooxml.placeholders`) -------------

    def chain(self, el: etree._Element) -> list[etree._Element]:
        """The shape, then the layout and master placeholders it inherits from."""
        return self.inheritance.chain(el)

    def text_style(self, el: etree._Element) -> list[etree._Element]:
        """The list styles after the shape chain: master title/body/other style, the default."""
        return self.inheritance.text_styles(el)

    def level_props(self, chain: list[etree._Element], level: int) -> list[etree._Element]:
        """Every ``a:lvlNpPr`` that applies to paragraphs of *level*, nearest first."""
        return self.inheritance.level_props(chain, level)

    def body_pr(self, chain: list[etree._Element], attr: str) -> str | None:
        return self.inheritance.body_pr(chain, attr)

    def body_child(self, chain: list[etree._Element], tags: tuple[str, ...]
                   ) -> etree._Element | None:
        for el in chain:
            body = el.find("p:txBody/a:bodyPr", NS)
            if body is None:
                continue
            for child in body:
                if local(child) in tags:
                    return child
        return None

    # -- shapes ------------------------------------------------------------------------------

    def _xfrm_rect(self, chain: list[etree._Element]) -> Rect | None:
        placed = self.inheritance.transform(chain)
        if placed is None:
            return None
        (x, y), (w, h) = placed
        return Rect(x, y, w, h)

    def own_fill(self, chain: list[etree._Element], group_fill: Fill = None) -> Fill:
        """The fill a shape paints behind its text, from its properties or its style."""
        el = chain[0]
        sppr = first(el, _SP_PR)
        if sppr is None:
            sppr = first(el, _GRP_SP_PR)
        for props in [sppr] + [first(c, _SP_PR) for c in chain[1:]]:
            if props is None:
                continue
            for child in props:
                if child.tag not in _FILL_TAGS:
                    continue
                kind = local(child)
                if kind == "solidFill":
                    return self.color(child) or "unknown"
                if kind == "noFill":
                    return "none"
                if kind == "grpFill":
                    return group_fill
                return "unknown"
        ref = first(el, _STYLE, _FILL_REF)
        if ref is not None and (ref.get("idx") or "0") not in ("0", ""):
            return self.color(ref) or "unknown"
        return None

    def shapes(self) -> list[Shape]:
        """Every shape of the slide, groups flattened, in z order, with absolute rectangles."""
        out: list[Shape] = []
        if self.root is None:
            return out
        tree = self.root.find("p:cSld/p:spTree", NS)
        if tree is None:
            return out
        self._walk(tree, on_slide, None, False, out, 0)
        return out

    def _walk(self, tree: etree._Element, to_abs: Transform, group_fill: Fill, described: bool,
              out: list[Shape], depth: int) -> None:
        if depth > 32:
            return
        for el in tree:
            if local(el) == "AlternateContent":
                fallback = el.find("*")
                if fallback is not None:
                    self._walk(fallback, to_abs, group_fill, described, out, depth + 1)
                continue
            if el.tag not in _SHAPE_TAGS:
                continue
            chain = self.chain(el)
            rect = self._xfrm_rect(chain)
            abs_rect = Rect(*to_abs(rect.x, rect.y, rect.w, rect.h)) if rect is not None \
                else None
            c_nv = first(el, ANY, _C_NV_PR)
            name = c_nv.get("name", "") if c_nv is not None else ""
            kind = local(el)
            fill = self.own_fill(chain, group_fill) if kind in ("sp", "grpSp") else None
            out.append(Shape(el, kind, abs_rect, ph_of(el), chain, fill, described, name))
            if kind == "grpSp":
                inner = group_transform(el, to_abs)
                has_alt = bool(c_nv is not None and (c_nv.get("descr") or "").strip())
                self._walk(el, inner, fill, described or has_alt, out, depth + 1)

    def background(self) -> Fill:
        """The slide's background colour from the slide, its layout or its master."""
        for root in (self.root, self.layout, self.master):
            if root is None:
                continue
            bg = root.find("p:cSld/p:bg", NS)
            if bg is None:
                continue
            pr = bg.find("p:bgPr", NS)
            if pr is not None:
                for child in pr:
                    if child.tag not in _FILL_TAGS:
                        continue
                    if local(child) == "solidFill":
                        return self.color(child) or "unknown"
                    if local(child) == "noFill":
                        break
                    return "unknown"
                continue
            ref = bg.find("p:bgRef", NS)
            if ref is not None:
                return self._bg_ref(ref)
        return self.theme.colors.get(self.clr_map.get("bg1", "lt1"), (255, 255, 255))

    def _bg_ref(self, ref: etree._Element) -> Fill:
        placeholder = self.color(ref)
        try:
            idx = int(ref.get("idx") or 0)
        except ValueError:
            return "unknown"
        if idx < 1001 or self.master_part is None:
            return placeholder or "unknown"
        for target in self.pkg.related(self.master_part, "/theme"):
            root = self.pkg.xml(target)
            styles = root.find(".//a:fmtScheme/a:bgFillStyleLst", NS) if root is not None \
                else None
            if styles is None:
                break
            items = [c for c in styles if isinstance(c.tag, str)]
            if idx - 1001 < len(items):
                item = items[idx - 1001]
                if local(item) == "solidFill":
                    return self.color(item, placeholder) or "unknown"
                if local(item) == "noFill":
                    return "none"
                return "unknown"
        return placeholder or "unknown"


def iter_runs(txbody: etree._Element) -> Iterator[tuple[etree._Element, etree._Element]]:
    """(paragraph, run) for every text run and field with text in a text body."""
    for para in txbody.iter(f"{{{A}}}p"):
        for run in para:
            if local(run) in ("r", "fld"):
                text = first(run, _T)
                if text is not None and (text.text or "").strip():
                    yield para, run
