"""What lies under a slide's text: the background and the layout's and master's own drawings.

Agency templates put coloured bands, pictures and shapes on the slide master and layouts.
They are drawn under every slide that uses the layout, and a placeholder that runs across them
puts its text on them: dark text on a dark band is unreadable however good its contrast with
the white background. :class:`Backdrop` collects, for one layout, what is painted under the
slide's own shapes (the background, then the master's shapes unless the layout hides them,
then the layout's shapes; placeholders are never drawn), each as a rectangle with the colours
text may land on: a solid fill's colour, both colours of a pattern
(text may sit on either), a gradient's and a picture's average colour.
:meth:`Backdrop.worst` gives the lowest contrast of a text colour against whatever covers
part of a rectangle; :func:`layout_clashes` does that for the
title and body placeholders of every layout in a template, for ``template-info`` and
``build``; the quality check asks the same of the text on each slide.

This module reads raw XML (and image bytes through a caller's function), so the writer and the
checker share it without depending on each other.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from lxml import etree

from .color import (
    DEFAULT_CLR_MAP,
    RGB,
    WCAG_MIN_RATIO,
    contrast_ratio,
    hex_of,
    resolve_color,
    theme_colors,
)
from .geometry import group_transform, on_slide
from .namespaces import PML as NS
from .placeholders import Inheritance, placeholder

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_FILLS = {f"{{{_A}}}{t}" for t in ("solidFill", "gradFill", "pattFill", "blipFill", "noFill",
                                   "grpFill")}
MIN_SHARE = 0.05
"""A drawing that covers less than this share of a text box is not counted: a thin rule or a
logo in a corner of a large placeholder rarely sits under text."""
DRAWING_SHARE = 0.002
"""For the free area of a title-only layout, where the writer draws and puts text boxes
anywhere: a decoration counts as soon as it reaches into it."""
MAX_PICTURE_PIXELS = 40_000_000
"""Pictures larger than this are not decoded for their average colour (bounded work)."""

PictureColor = Callable[[str], RGB | None]
"""Average colour of the picture a relationship id points to (in the part being read)."""


@dataclass(frozen=True)
class Patch:
    """A painted rectangle (EMU) and the colours text on it may land on."""

    x: float
    y: float
    w: float
    h: float
    colors: tuple[RGB, ...]
    what: str

    def share_of(self, x: float, y: float, w: float, h: float) -> float:
        """The share of the rectangle (x, y, w, h) this patch covers."""
        if w <= 0 or h <= 0:
            return 0.0
        ix = max(0.0, min(x + w, self.x + self.w) - max(x, self.x))
        iy = max(0.0, min(y + h, self.y + self.h) - max(y, self.y))
        return ix * iy / (w * h)


@dataclass(frozen=True)
class Clash:
    """Text whose contrast against something under it is too low."""

    ratio: float
    text: RGB
    under: RGB
    what: str
    share: float

    def describe(self) -> str:
        return (f"{hex_of(self.text)} text on {hex_of(self.under)} ({self.what}, under "
                f"{self.share:.0%} of the box): contrast {self.ratio:.1f}:1, at least "
                f"{WCAG_MIN_RATIO}:1 is needed")


def average_color(blob: bytes) -> RGB | None:
    """The average colour of an image (None when Pillow cannot read it or it is too large)."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(blob)) as image:
            if image.width * image.height > MAX_PICTURE_PIXELS:
                return None
            image.draft("RGB", (64, 64))
            rgba = image.convert("RGBA").resize((1, 1), Image.Resampling.BOX)
            r, g, b, a = rgba.getpixel((0, 0))  # type: ignore[misc]
    except Exception:
        return None
    if a < 32:
        return None  # a mostly transparent picture paints little
    return int(r), int(g), int(b)


class Backdrop:
    """What is painted under the slides of one layout (see the module's docstring).

    *layout* and *master* are the root elements of the layout and master parts; *theme* the
    theme's colour slots; *pictures* maps ``("layout"|"master", rId)`` to an average colour.
    """

    def __init__(self, layout: etree._Element | None, master: etree._Element | None,
                 theme: Mapping[str, RGB], clr_map: Mapping[str, str],
                 pictures: Callable[[str, str], RGB | None] | None = None,
                 slide_size: tuple[float, float] = (12192000, 6858000),
                 theme_root: etree._Element | None = None) -> None:
        self.layout = layout
        self.master = master
        self.theme = theme
        self.clr_map = clr_map
        self.pictures = pictures or (lambda where, rid: None)
        self.size = slide_size
        self.theme_root = theme_root
        self.patches = list(self._patches())

    # -- colours -----------------------------------------------------------------------------

    def color(self, el: etree._Element | None) -> RGB | None:
        return resolve_color(el, self.theme, self.clr_map)

    def fill_colors(self, holder: etree._Element | None, where: str,
                    placeholder: RGB | None = None) -> tuple[RGB, ...] | None:
        """Colours of the first fill in *holder* (spPr or bgPr): () for none, None unknown."""
        if holder is None:
            return None
        for child in holder:
            if child.tag not in _FILLS:
                continue
            kind = etree.QName(child).localname
            if kind == "noFill" or kind == "grpFill":
                return ()
            if kind == "solidFill":
                alpha = child.find(".//a:alpha", NS)
                if alpha is not None and int(alpha.get("val") or 100000) < 60000:
                    return ()  # mostly see-through: what lies beneath shows
                found = resolve_color(child, self.theme, self.clr_map, placeholder)
                return (found,) if found else None
            if kind == "gradFill":
                # A gradient's average colour: its far stops may lie in a corner no text
                # reaches, while the middle of the box sees the blend.
                stops = [c for c in (resolve_color(gs, self.theme, self.clr_map, placeholder)
                                     for gs in child.iterfind("a:gsLst/a:gs", NS)) if c]
                if not stops:
                    return None
                return (tuple(round(sum(c[i] for c in stops) / len(stops))
                              for i in range(3)),)  # type: ignore[return-value]
            if kind == "pattFill":
                colors = [resolve_color(child.find(f"a:{c}", NS), self.theme, self.clr_map,
                                        placeholder) for c in ("fgClr", "bgClr")]
                return tuple(c for c in colors if c) or None
            if kind == "blipFill":
                blip = child.find("a:blip", NS)
                rid = blip.get(f"{{{R_NS}}}embed") if blip is not None else None
                found = self.pictures(where, rid) if rid else None
                return (found,) if found else None
        return None

    # -- what is painted ---------------------------------------------------------------------

    def _background(self) -> Patch:
        w, h = self.size
        for root, where in ((self.layout, "layout"), (self.master, "master")):
            bg = root.find("p:cSld/p:bg", NS) if root is not None else None
            if bg is None:
                continue
            pr = bg.find("p:bgPr", NS)
            if pr is not None:
                colors = self.fill_colors(pr, where)
                if colors:
                    return Patch(0, 0, w, h, colors, f"the {where}'s background")
                break
            ref = bg.find("p:bgRef", NS)
            if ref is not None:
                colors = self._bg_ref(ref)
                if colors:
                    return Patch(0, 0, w, h, colors, f"the {where}'s background")
                break
        white = self.theme.get(self.clr_map.get("bg1", "lt1"), (255, 255, 255))
        return Patch(0, 0, w, h, (white,), "the background")

    def _bg_ref(self, ref: etree._Element) -> tuple[RGB, ...] | None:
        placeholder = self.color(ref)
        try:
            idx = int(ref.get("idx") or 0)
        except ValueError:
            return None
        if idx >= 1001 and self.theme_root is not None:
            styles = self.theme_root.find(".//a:fmtScheme/a:bgFillStyleLst", NS)
            items = [c for c in styles if isinstance(c.tag, str)] if styles is not None else []
            if idx - 1001 < len(items):
                holder = etree.Element("holder")
                holder.append(_copy(items[idx - 1001]))
                return self.fill_colors(holder, "master", placeholder)
        return (placeholder,) if placeholder else None

    def _patches(self) -> Iterator[Patch]:
        yield self._background()
        layout_hides_master = self.layout is not None and \
            self.layout.get("showMasterSp") in ("0", "false")
        if self.master is not None and not layout_hides_master:
            yield from self._drawings(self.master, "master")
        if self.layout is not None:
            yield from self._drawings(self.layout, "layout")

    def _drawings(self, root: etree._Element, where: str) -> Iterator[Patch]:
        tree = root.find("p:cSld/p:spTree", NS)
        if tree is None:
            return
        yield from self._walk(tree, where, on_slide, 0)

    def _walk(self, tree: etree._Element, where: str,
              to_abs: Callable[[float, float, float, float], tuple[float, float, float, float]],
              depth: int) -> Iterator[Patch]:
        if depth > 16:
            return
        for el in tree:
            if not isinstance(el.tag, str):
                continue
            kind = etree.QName(el).localname
            if kind not in ("sp", "pic", "grpSp", "cxnSp"):
                continue
            if placeholder(el) is not None:
                continue  # layout and master placeholders are never drawn on slides
            placed = Inheritance.transform([el])
            name = (el.find("./*/p:cNvPr", NS).get("name") or "").strip() \
                if el.find("./*/p:cNvPr", NS) is not None else ""
            label = f"{'picture' if kind == 'pic' else 'shape'}" + \
                (f" '{name}'" if name else "") + f" on the {where}"
            if kind == "grpSp":
                yield from self._walk(el, where, group_transform(el, to_abs), depth + 1)
                continue
            if placed is None:
                continue
            (x, y), (w, h) = placed
            x, y, w, h = to_abs(x, y, w, h)
            if kind == "pic":
                blip_fill = el.find("p:blipFill", NS)
                colors = self.fill_colors(_wrap(blip_fill), where) \
                    if blip_fill is not None else None
            else:
                colors = self.fill_colors(el.find("p:spPr", NS), where)
                if colors is None:
                    ref = el.find("p:style/a:fillRef", NS)
                    if ref is not None and (ref.get("idx") or "0") not in ("0", ""):
                        found = self.color(ref)
                        colors = (found,) if found else None
            if colors:
                yield Patch(x, y, w, h, colors, label)

    # -- questions -----------------------------------------------------------------------------

    def visible(self, x: float, y: float, w: float, h: float,
                min_share: float = MIN_SHARE) -> list[tuple[Patch, float]]:
        """The patches under the rectangle that text may land on, topmost first, each with
        the share it covers; a patch that covers all of it hides those beneath."""
        found: list[tuple[Patch, float]] = []
        for patch in reversed(self.patches):
            share = patch.share_of(x, y, w, h)
            if share < min_share:
                continue
            found.append((patch, share))
            if share > 0.999:
                break
        return found

    def worst(self, text: RGB, x: float, y: float, w: float, h: float,
              min_share: float = MIN_SHARE) -> Clash | None:
        """The lowest contrast of *text* against anything painted under the rectangle, when
        it is below WCAG's 4.5:1; None when all of it is readable."""
        found: Clash | None = None
        for patch, share in self.visible(x, y, w, h, min_share):
            for color in patch.colors:
                ratio = contrast_ratio(text, color)
                if ratio < WCAG_MIN_RATIO and (found is None or ratio < found.ratio):
                    found = Clash(ratio, text, color, patch.what, share)
        return found

    def free_part(self, text: RGB, x: float, y: float, w: float, h: float,
                  min_part: float = 0.35, min_share: float = MIN_SHARE
                  ) -> tuple[float, float, float, float] | None:
        """The larger of the parts of the rectangle above and below everything *text*
        cannot be read on, when it keeps at least *min_part* of the height; else None."""
        bad = [p for p, _ in self.visible(x, y, w, h, min_share)
               if any(contrast_ratio(text, c) < WCAG_MIN_RATIO for c in p.colors)]
        if not bad or any(p.share_of(x, y, w, h) > 0.999 for p in bad):
            return None
        top = min(p.y for p in bad)
        bottom = max(p.y + p.h for p in bad)
        above = (x, y, w, max(0.0, top - y))
        below = (x, bottom, w, max(0.0, y + h - bottom))
        part = max(above, below, key=lambda r: r[3])
        if part[3] < h * min_part or self.worst(text, *part, min_share) is not None:
            return None
        return part


def best_color(backdrop: Backdrop, candidates: list[RGB], x: float, y: float, w: float,
               h: float, min_share: float = MIN_SHARE) -> RGB | None:
    """The candidate text colour with the best lowest contrast against everything under the
    rectangle, if that reaches 4.5:1; None when none does."""
    best: tuple[float, RGB] | None = None
    under = backdrop.visible(x, y, w, h, min_share)
    for color in dict.fromkeys(candidates):
        lowest = min((contrast_ratio(color, c) for p, _ in under for c in p.colors),
                     default=21.0)
        if best is None or lowest > best[0]:
            best = (lowest, color)
    return best[1] if best is not None and best[0] >= WCAG_MIN_RATIO else None


def _candidates(theme: Mapping[str, RGB]) -> list[RGB]:
    found = [theme[k] for k in ("dk1", "lt1", "dk2", "lt2") if k in theme]
    return [*found, (0, 0, 0), (255, 255, 255)]


def _wrap(el: etree._Element) -> etree._Element:
    holder = etree.Element("holder")
    holder.append(_copy(el))
    # A picture's p:blipFill is a fill of the picture itself: read it as a:blipFill.
    holder[0].tag = f"{{{_A}}}blipFill"
    return holder


def _copy(el: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(el))


def text_color(inheritance: Inheritance, element: etree._Element,
               theme: Mapping[str, RGB], clr_map: Mapping[str, str]) -> RGB:
    """The colour new text in a placeholder gets: the nearest ``defRPr`` fill of its first
    level in the chain and the master's text style, else the theme's text colour."""
    chain = inheritance.chain(element)
    for ppr in inheritance.level_props(chain, 0):
        rpr = ppr.find("a:defRPr", NS)
        if rpr is None:
            continue
        fill = rpr.find("a:solidFill", NS)
        if fill is not None:
            found = resolve_color(fill, theme, clr_map)
            if found is not None:
                return found
    for el in chain:
        ref = el.find("p:style/a:fontRef", NS)
        if ref is not None:
            found = resolve_color(ref, theme, clr_map)
            if found is not None:
                return found
    styled = any(ppr.find("a:defRPr/a:solidFill", NS) is not None
                 for ppr in inheritance.level_props(chain, 0))
    found = None if styled else prompt_color(chain[1:], theme, clr_map)
    return found or theme.get(clr_map.get("tx1", "dk1"), (0, 0, 0))


def prompt_color(bases: list[etree._Element], theme: Mapping[str, RGB],
                 clr_map: Mapping[str, str]) -> RGB | None:
    """The colour of the prompt text ("Click to edit ...") of the layout or master
    placeholders in *bases*, nearest first.

    Templates exported by LibreOffice keep a placeholder's text formatting only there (no
    list style, no master text styles), and LibreOffice gives new text in the placeholder
    that formatting; so where nothing else sets a colour, this is the colour text gets.
    """
    for el in bases:
        for rpr in el.iterfind("p:txBody/a:p/a:r/a:rPr", NS):
            found = resolve_color(rpr.find("a:solidFill", NS), theme, clr_map)
            if found is not None:
                return found
        for rpr in el.iterfind("p:txBody/a:p/a:endParaRPr", NS):
            found = resolve_color(rpr.find("a:solidFill", NS), theme, clr_map)
            if found is not None:
                return found
    return None


# -- a whole template ----------------------------------------------------------------------------

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False)


@dataclass(frozen=True)
class LayoutClash:
    """A layout whose title or body text would sit on something it cannot be read on."""

    part: str
    layout: str
    placeholder: str
    """``title``, ``body`` or ``drawing area`` (below the title of a layout with no body)."""
    clash: Clash
    better: RGB | None = None
    """A text colour that reads on everything under the box, when one of the theme's does."""
    free: tuple[float, float, float, float] | None = None
    """Else the part of the box (x, y, w, h in EMU) clear of what the text cannot be read on."""

    def describe(self) -> str:
        return f"layout '{self.layout}': {self.placeholder} {self.clash.describe()}"


def layout_clashes(data: bytes) -> dict[str, list[LayoutClash]]:
    """For a .pptx/.potx as bytes: the contrast clashes of each layout's title and body
    placeholders with what the layout and its master paint under them, by layout part name
    (``/ppt/slideLayouts/slideLayout3.xml``). Layouts without a clash are left out.

    Layouts share their master, theme and the master's pictures: each is parsed or averaged
    once per call (nothing here changes a parsed part)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = set(zf.namelist())
        parsed: dict[str, etree._Element | None] = {}
        parsed_rels: dict[str, dict[str, tuple[str, str]]] = {}
        themes: dict[str | None, dict[str, RGB]] = {}
        averaged: dict[str, RGB | None] = {}

        def xml(name: str) -> etree._Element | None:
            if name not in parsed:
                parsed[name] = _xml(name)
            return parsed[name]

        def _xml(name: str) -> etree._Element | None:
            if name not in names:
                return None
            try:
                return etree.fromstring(zf.read(name), _PARSER)
            except (etree.XMLSyntaxError, ValueError):
                return None

        def rels(part: str) -> dict[str, tuple[str, str]]:
            if part not in parsed_rels:
                parsed_rels[part] = _rels(part)
            return parsed_rels[part]

        def _rels(part: str) -> dict[str, tuple[str, str]]:
            folder, base = posixpath.split(part)
            root = xml(posixpath.join(folder, "_rels", base + ".rels"))
            out: dict[str, tuple[str, str]] = {}
            if root is None:
                return out
            for rel in root:
                target = rel.get("Target") or ""
                if (rel.get("TargetMode") or "").lower() == "external":
                    continue
                path = posixpath.normpath(posixpath.join(folder, target)) \
                    if not target.startswith("/") else target[1:]
                out[rel.get("Id") or ""] = (rel.get("Type") or "", path)
            return out

        presentation = xml("ppt/presentation.xml")
        size = (12192000.0, 6858000.0)
        if presentation is not None:
            sld = presentation.find("p:sldSz", NS)
            if sld is not None:
                size = (float(sld.get("cx") or size[0]), float(sld.get("cy") or size[1]))
        result: dict[str, list[LayoutClash]] = {}
        layouts = sorted(n for n in names if n.startswith("ppt/slideLayouts/")
                         and n.endswith(".xml"))
        for layout_name in layouts:
            layout = xml(layout_name)
            if layout is None:
                continue
            layout_rels = rels(layout_name)
            master_name = next((p for t, p in layout_rels.values()
                                if t.endswith("/slideMaster")), None)
            master = xml(master_name) if master_name else None
            master_rels = rels(master_name) if master_name else {}
            theme_name = next((p for t, p in master_rels.values() if t.endswith("/theme")), None)
            theme_root = xml(theme_name) if theme_name else None
            if theme_name not in themes:
                themes[theme_name] = theme_colors(theme_root)
            theme = themes[theme_name]
            clr_map = dict(DEFAULT_CLR_MAP)
            if master is not None and master.find("p:clrMap", NS) is not None:
                clr_map.update(master.find("p:clrMap", NS).attrib)
            over = layout.find("p:clrMapOvr/a:overrideClrMapping", NS)
            if over is not None:
                clr_map.update(over.attrib)
            cache: dict[tuple[str, str], RGB | None] = {}

            def picture(where: str, rid: str, layout_rels=layout_rels,
                        master_rels=master_rels, cache=cache) -> RGB | None:
                if (where, rid) not in cache:
                    target = (layout_rels if where == "layout" else master_rels).get(rid)
                    path = target[1] if target and target[1] in names else None
                    if path is not None and path not in averaged:
                        blob = zf.read(path)
                        averaged[path] = average_color(blob) if blob else None
                    cache[(where, rid)] = averaged[path] if path is not None else None
                return cache[(where, rid)]

            backdrop = Backdrop(layout, master, theme, clr_map, picture, size, theme_root)
            inheritance = Inheritance(layout, master, presentation)
            name_el = layout.find("p:cSld", NS)
            layout_title = name_el.get("name", "") if name_el is not None else ""
            found: list[LayoutClash] = []
            tree = layout.find("p:cSld/p:spTree", NS)
            title_box: tuple[float, float, float, float] | None = None
            has_body = False
            for el in tree if tree is not None else []:
                ph = placeholder(el) if isinstance(el.tag, str) else None
                if ph is None or ph.type in ("dt", "ftr", "sldNum", "hdr", "pic", "chart",
                                             "tbl", "media", "clipArt", "dgm", "sldImg"):
                    continue
                placed = Inheritance.transform(inheritance.chain(el))
                if placed is None:
                    continue
                (x, y), (w, h) = placed
                if ph.is_title:
                    title_box = (x, y, w, h)
                else:
                    has_body = True
                color = text_color(inheritance, el, theme, clr_map)
                clash = backdrop.worst(color, x, y, w, h)
                if clash is not None:
                    kind = "title" if ph.is_title else "body"
                    better = best_color(backdrop, _candidates(theme), x, y, w, h)
                    free = None if better else backdrop.free_part(color, x, y, w, h)
                    found.append(LayoutClash("/" + layout_name, layout_title, kind, clash,
                                             better, free))
            if title_box is not None and not has_body:
                # A layout with only a title gets the writer's drawings and text boxes below
                # it, in the theme's text colour: check that area too.
                x, y, w, h = title_box
                top = y + h
                area_h = size[1] * 0.97 - top
                if area_h > 0:
                    color = theme.get(clr_map.get("tx1", "dk1"), (0, 0, 0))
                    # Any overlap counts: a source line at the bottom may sit on a band
                    # that is a small part of the whole area.
                    clash = backdrop.worst(color, x, top, w, area_h, DRAWING_SHARE)
                    if clash is not None:
                        better = best_color(backdrop, _candidates(theme), x, top, w, area_h,
                                            DRAWING_SHARE)
                        free = None if better else backdrop.free_part(
                            color, x, top, w, area_h, min_share=DRAWING_SHARE)
                        found.append(LayoutClash("/" + layout_name, layout_title,
                                                 "drawing area", clash, better, free))
            if found:
                result["/" + layout_name] = found
        return result
