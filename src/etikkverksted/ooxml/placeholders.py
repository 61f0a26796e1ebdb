"""Placeholder inheritance in PresentationML: the one resolver the fitter and the checker share.

A placeholder's geometry, insets, list styles and run properties may be set on the slide, on
the layout placeholder it inherits from, on the master placeholder behind that, in the master's
text styles, and in the presentation's default text style; the nearest one wins, as in
PowerPoint. :class:`Inheritance` resolves that chain on raw XML, so it works the same for a
deck being written (the writer's fitter, :mod:`etikkverksted.writers.pptx.fit`) and for a file
from anywhere (the checker, :mod:`etikkverksted.quality.pptx_model`).

The rules, where the two used to differ:

* **Layout placeholder.** The one with the same ``idx`` (the schema's default is 0), unless
  that one is a title and the slide's is not, or the other way round: some tools (LibreOffice
  among them) give every placeholder of a layout ``idx=0``, and matching by idx alone would
  hand a body the title's geometry and styles. Then the first one of the same type.
* **Master placeholder.** By kind: titles inherit from the master's title, date, footer,
  slide number and header from their own kind, everything else from the master's body.
* **Master text style.** Titles take ``titleStyle``; date, footer, slide number and header
  take ``otherStyle``; other placeholders take ``bodyStyle`` (a notes master's
  ``notesStyle``); shapes that are not placeholders take none. The presentation's
  ``defaultTextStyle`` comes last for all.
* **Space before a paragraph** (``a:spcBef/a:spcPct``) is a fraction of the paragraph's line
  height, as PowerPoint's "0.3 lines" setting stores it (``val=30000``), not of its font size.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .lookup import ANY, first
from .namespaces import PML as NS
from .namespaces import A, P

TITLE_TYPES = frozenset({"title", "ctrTitle"})
FURNITURE_TYPES = frozenset({"dt", "ftr", "sldNum", "hdr"})
"""Date, footer, slide number and header: placeholders that carry no content of their own."""

_MASTER_KIND = {"ctrTitle": "title", "title": "title", "dt": "dt", "ftr": "ftr",
                "sldNum": "sldNum", "hdr": "hdr"}
DEFAULT_INSETS = {"lIns": 91440, "rIns": 91440, "tIns": 45720, "bIns": 45720}
"""Text insets in EMU when nothing in the chain sets them (the schema's defaults)."""

# Clark names of the paths asked for every shape (:func:`~.lookup.first`, not ElementPath).
_NV_PR, _PH = f"{{{P}}}nvPr", f"{{{P}}}ph"
_TX_BODY, _BODY_PR = f"{{{P}}}txBody", f"{{{A}}}bodyPr"
_SP_PR, _P_XFRM, _GRP_SP_PR = f"{{{P}}}spPr", f"{{{P}}}xfrm", f"{{{P}}}grpSpPr"
_XFRM, _OFF, _EXT = f"{{{A}}}xfrm", f"{{{A}}}off", f"{{{A}}}ext"


@dataclass(frozen=True)
class Placeholder:
    """A placeholder shape and its ``p:ph`` with the schema's defaults filled in."""

    element: etree._Element
    type: str
    idx: str

    @property
    def is_title(self) -> bool:
        return self.type in TITLE_TYPES


def placeholder(element: etree._Element) -> Placeholder | None:
    """The placeholder facts of a shape element (type ``obj`` and idx 0 by default), or None."""
    ph = first(element, ANY, _NV_PR, _PH)
    if ph is None:
        return None
    return Placeholder(element, ph.get("type") or "obj", ph.get("idx") or "0")


def _placeholders(root: etree._Element | None) -> list[Placeholder]:
    if root is None:
        return []
    found = (placeholder(sp) for sp in root.iterfind("p:cSld/p:spTree/*", NS))
    return [p for p in found if p is not None]


class Inheritance:
    """Where the shapes on slides of one layout (or notes slides of one notes master) inherit.

    *layout* and *master* are the root elements of the layout and master parts (a notes slide
    has no layout: pass None and the notes master); *presentation* is the ``p:presentation``
    root, for its default text style. Look-ups are cached per (type, idx), so one instance
    serves every slide on the layout.
    """

    def __init__(self, layout: etree._Element | None, master: etree._Element | None,
                 presentation: etree._Element | None = None) -> None:
        self.layout = layout
        self.master = master
        self.presentation = presentation
        self._layout_phs = _placeholders(layout)
        self._master_phs = _placeholders(master)
        self._bases: dict[tuple[str, str], tuple[etree._Element, ...]] = {}

    # -- the chain of shapes ----------------------------------------------------------------

    def layout_base(self, ph: Placeholder) -> Placeholder | None:
        """The layout placeholder *ph* inherits from (see the module's rules), or None."""
        by_idx = next((c for c in self._layout_phs if c.idx == ph.idx), None)
        if by_idx is not None and by_idx.is_title == ph.is_title:
            return by_idx
        return next((c for c in self._layout_phs if c.type == ph.type), None)

    def master_base(self, ph: Placeholder) -> Placeholder | None:
        """The master placeholder of *ph*'s kind (title, body, date, footer, number, header)."""
        kind = _MASTER_KIND.get(ph.type, "body")
        return next((c for c in self._master_phs
                     if _MASTER_KIND.get(c.type, "body") == kind), None)

    def bases(self, ph: Placeholder) -> tuple[etree._Element, ...]:
        """The layout and master placeholder elements behind *ph*, nearest first."""
        key = (ph.type, ph.idx)
        if key not in self._bases:
            found: list[etree._Element] = []
            layout_ph = self.layout_base(ph)
            if layout_ph is not None:
                found.append(layout_ph.element)
            master_ph = self.master_base(layout_ph or ph)
            if master_ph is not None:
                found.append(master_ph.element)
            self._bases[key] = tuple(found)
        return self._bases[key]

    def chain(self, element: etree._Element) -> list[etree._Element]:
        """The shape, then the layout and master placeholders it inherits from."""
        ph = placeholder(element)
        return [element] if ph is None else [element, *self.bases(ph)]

    # -- text styles ------------------------------------------------------------------------

    def text_styles(self, element: etree._Element) -> list[etree._Element]:
        """The list styles after the shape chain: the master's style for its kind, the default."""
        out: list[etree._Element] = []
        ph = placeholder(element)
        if self.master is not None and ph is not None:
            if ph.type in TITLE_TYPES:
                style = self.master.find("p:txStyles/p:titleStyle", NS)
            elif ph.type in FURNITURE_TYPES:
                style = self.master.find("p:txStyles/p:otherStyle", NS)
            else:
                style = self.master.find("p:txStyles/p:bodyStyle", NS)
                if style is None:
                    style = self.master.find("p:notesStyle", NS)
            if style is not None:
                out.append(style)
        if self.presentation is not None:
            default = self.presentation.find("p:defaultTextStyle", NS)
            if default is not None:
                out.append(default)
        return out

    def level_props(self, chain: list[etree._Element], level: int) -> list[etree._Element]:
        """Every ``a:lvlNpPr`` that applies to paragraphs of *level* (0-based), nearest first."""
        tag = f"a:lvl{min(max(level, 0), 8) + 1}pPr"
        found = [p for p in (el.find(f"p:txBody/a:lstStyle/{tag}", NS) for el in chain)
                 if p is not None]
        found += [p for p in (style.find(tag, NS) for style in self.text_styles(chain[0]))
                  if p is not None]
        return found

    # -- body properties --------------------------------------------------------------------

    @staticmethod
    def body_pr(chain: list[etree._Element], attr: str) -> str | None:
        """The nearest ``a:bodyPr`` attribute *attr* in the chain, or None."""
        return first_attr(_body_prs(chain), attr)

    @staticmethod
    def transform(chain: list[etree._Element]
                  ) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """((x, y), (cx, cy)) in EMU of the nearest ``xfrm`` in the chain, or None.

        A shape's own ``spPr``, a graphic frame's ``p:xfrm`` or a group's ``grpSpPr``; a
        placeholder without one takes its layout's, then its master's.
        """
        for el in chain:
            xfrm = first(el, _SP_PR, _XFRM)
            if xfrm is None:
                xfrm = first(el, _P_XFRM)
            if xfrm is None:
                xfrm = first(el, _GRP_SP_PR, _XFRM)
            if xfrm is None:
                continue
            off, ext = first(xfrm, _OFF), first(xfrm, _EXT)
            if off is None or ext is None:
                continue
            try:
                return ((float(off.get("x") or 0), float(off.get("y") or 0)),
                        (float(ext.get("cx") or 0), float(ext.get("cy") or 0)))
            except ValueError:
                return None
        return None

    @classmethod
    def insets(cls, chain: list[etree._Element]) -> tuple[int, int, int, int]:
        """Left, right, top and bottom text insets in EMU, as inherited (bad values: default)."""
        bodies = _body_prs(chain)
        values = []
        for attr, default in DEFAULT_INSETS.items():
            try:
                values.append(int(first_attr(bodies, attr) or default))
            except ValueError:
                values.append(default)
        return values[0], values[1], values[2], values[3]


def _body_prs(chain: list[etree._Element]) -> list[etree._Element]:
    """The ``p:txBody/a:bodyPr`` of each element of *chain* that has one, nearest first."""
    return [body for body in (first(el, _TX_BODY, _BODY_PR) for el in chain) if body is not None]


# -- paragraph spacing ----------------------------------------------------------------------

def first_child(props: list[etree._Element], path: str) -> etree._Element | None:
    """The nearest match of *path* in paragraph properties *props* (nearest first)."""
    for ppr in props:
        el = ppr.find(path, NS)
        if el is not None:
            return el
    return None


def first_attr(props: list[etree._Element], attr: str) -> str | None:
    """The nearest attribute *attr* in paragraph properties *props* (nearest first)."""
    for ppr in props:
        value = ppr.get(attr)
        if value is not None:
            return value
    return None


def _int(el: etree._Element, default: int) -> int:
    try:
        return int(el.get("val") or default)
    except ValueError:
        return default


def _spacing(props: list[etree._Element], tag: str, default_pct: int, neutral: float
             ) -> tuple[float, float]:
    """(share, points) of the nearest *tag* in *props*: the share from ``a:spcPct`` with 0
    points, or the *neutral* share with the points of ``a:spcPts``; neutral and 0 when none
    says."""
    holder = first_child(props, tag)
    pct = holder.find("a:spcPct", NS) if holder is not None else None
    if pct is not None:
        return _int(pct, default_pct) / 100000, 0.0
    pts = holder.find("a:spcPts", NS) if holder is not None else None
    return neutral, _int(pts, 0) / 100 if pts is not None else 0.0


def line_spacing(props: list[etree._Element]) -> tuple[float, float]:
    """(proportional factor, fixed points or 0) of the line spacing *props* give."""
    return _spacing(props, "a:lnSpc", 100000, 1.0)


def space_before(props: list[etree._Element]) -> tuple[float, float]:
    """(fraction of the line height, fixed points) above a paragraph; one of them is 0."""
    return _spacing(props, "a:spcBef", 0, 0.0)


def space_before_pt(props: list[etree._Element], line_height_pt: float) -> float:
    """Points above a paragraph: ``spcPct`` is a fraction of its line height, ``spcPts`` fixed."""
    fraction, fixed = space_before(props)
    return fixed or fraction * line_height_pt
