"""Every use of a private name of python-pptx, in one place, each with why.

python-pptx's public objects expose their XML as ``.element`` (shapes, slides, layouts,
masters, shape trees, the slide list, charts, the presentation); the writer uses that. What
it cannot do through the public API, or not fast enough, is here, written against
python-pptx 1.0.x (pinned ``>=1.0.2,<1.1`` in pyproject.toml). Each fast path has a contract
test in ``tests/test_compat.py`` that compares it with the library's own result, so an
upgrade that changes the library's behaviour fails a test instead of changing the decks.
Where the library's internals are missing, these functions raise :class:`CompatError`
instead of falling back silently.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml import parse_xml
from pptx.oxml.shapes.shared import BaseShapeElement
from pptx.parts.slide import NotesSlidePart
from pptx.shapes.autoshape import Shape
from pptx.shapes.group import GroupShape
from pptx.util import Emu

from .compat import CompatError, MemberList, require
from .namespaces import A, P, R

if TYPE_CHECKING:
    from pptx.slide import NotesSlide, Slide
    from pptx.text.text import TextFrame, _Paragraph


def _require(obj: object, attribute: str) -> Any:
    return require(obj, attribute, "pptx_compat")


# -- elements behind text proxies ---------------------------------------------------------

def paragraph_element(paragraph: _Paragraph) -> etree._Element:
    """The ``a:p`` of a text paragraph (python-pptx has no public ``.element`` for it).

    Needed to set ``a:pPr`` children (``spcBef``, ``buNone``) python-pptx has no API for.
    """
    return _require(paragraph, "_p")


def text_body(frame: TextFrame) -> etree._Element:
    """The ``p:txBody``/``a:txBody`` of a text frame (no public ``.element`` either).

    The notes writer builds paragraphs directly in it (see :func:`escape_text`).
    """
    return _require(frame, "_txBody")


_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F]")


def escape_text(text: str) -> str:
    """*text* as python-pptx writes it into ``a:t``: control characters as ``_xHHHH_``.

    Our own copy of ``CT_RegularTextRun._escape_ctrl_chars`` (tab and line feed stay), so no
    private name is called; the contract test compares it with what ``run.text = ...``
    writes.
    """
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


_TEXT_PIECES = etree.XPath("a:p/a:r/a:t[1] | a:p/a:fld/a:t[1]", namespaces={"a": A})
_RUNS_WITHOUT_TEXT = etree.XPath("a:p/a:r[not(a:t)]", namespaces={"a": A})


def has_text(shape: Any) -> bool:
    """``shape.has_text_frame and shape.text_frame.text.strip() != ""``.

    python-pptx joins the text of every paragraph through run, break and field proxies; the
    text is blank exactly when each run's and field's ``a:t`` is, which one compiled XPath
    finds. Shapes other than a ``p:sp`` with a text body and well-formed runs go through the
    library (contract test).
    """
    element = shape.element
    body = element.find(_TX_BODY) if element.tag == _SP else None
    if body is None or _RUNS_WITHOUT_TEXT(body):
        return bool(shape.has_text_frame and shape.text_frame.text.strip())
    return any((t.text or "").strip() for t in _TEXT_PIECES(body))


# -- the placeholder look-up ----------------------------------------------------------------

_PH = etree.XPath("./*[1]/p:nvPr/p:ph", namespaces={"p": P})


def compiled_ph(element: BaseShapeElement) -> etree._Element | None:
    """The shape's ``p:ph`` (or None), as ``BaseShapeElement.ph`` finds it, compiled once.

    python-pptx runs ``element.xpath("./*[1]/p:nvPr/p:ph")`` for every shape whenever
    placeholders are listed or inherited; lxml compiles an XPath string anew on every call,
    which was about a third of a deck's rendering time.
    """
    found = _PH(element)
    return found[0] if found else None


_SP, _SP_PR, _TX_BODY = f"{{{P}}}sp", f"{{{P}}}spPr", f"{{{P}}}txBody"
_XFRM, _OFF, _EXT = f"{{{A}}}xfrm", f"{{{A}}}off", f"{{{A}}}ext"
_WHOLE_NUMBER = re.compile(r"-?[0-9]+\Z")


def shape_geometry(element: BaseShapeElement) -> tuple[Any, Any, Any, Any]:
    """``(element.x, element.y, element.cx, element.cy)``: the shape's own position and size
    as python-pptx reads them (None where its ``a:xfrm`` has none).

    A ``p:sp`` with plain whole numbers is read with one ``find`` per element; anything else
    (other shapes, universal measures, missing required attributes) goes through python-pptx,
    whose four properties each walk ``spPr/xfrm/off`` through its proxies (contract test).
    """
    if element.tag == _SP:
        sp_pr = element.find(_SP_PR)
        if sp_pr is not None:
            xfrm = sp_pr.find(_XFRM)
            if xfrm is None:
                return None, None, None, None
            values: list[Any] = []
            for child, names in ((xfrm.find(_OFF), ("x", "y")), (xfrm.find(_EXT), ("cx", "cy"))):
                if child is None:
                    values += [None, None]
                    continue
                for name in names:
                    text = child.get(name)
                    if text is None or not _WHOLE_NUMBER.match(text):
                        return element.x, element.y, element.cx, element.cy
                    values.append(Emu(int(text)))
            return values[0], values[1], values[2], values[3]
    return element.x, element.y, element.cx, element.cy


_COORDINATE = range(-27273042329600, 27273042316900 + 1)
_POSITIVE_COORDINATE = range(27273042316900 + 1)
"""What python-pptx's ST_Coordinate and ST_PositiveCoordinate accept."""


def set_shape_geometry(element: BaseShapeElement, x: int, y: int, cx: int, cy: int) -> None:
    """``element.x, element.y, element.cx, element.cy = x, y, cx, cy``, as python-pptx sets
    them (a shape's ``left``, ``top``, ``width`` and ``height``).

    A ``p:sp`` whose ``spPr`` is still empty (every placeholder python-pptx puts on a new
    slide) gets its ``a:xfrm`` made directly; python-pptx's four setters each look up or
    insert ``xfrm``, ``off`` and ``ext`` through its proxies. Anything else, and values the
    library would reject, go through the library (contract test).
    """
    sp_pr = element.find(_SP_PR) if element.tag == _SP else None
    if sp_pr is None or len(sp_pr) or not all(
            type(v) is int for v in (x, y, cx, cy)) or x not in _COORDINATE or \
            y not in _COORDINATE or cx not in _POSITIVE_COORDINATE or \
            cy not in _POSITIVE_COORDINATE:
        element.x, element.y, element.cx, element.cy = x, y, cx, cy  # type: ignore[attr-defined]
        return
    xfrm = etree.SubElement(sp_pr, _XFRM)
    off = etree.SubElement(xfrm, _OFF)
    off.set("x", str(x))
    off.set("y", str(y))
    ext = etree.SubElement(xfrm, _EXT)
    ext.set("cx", str(cx))
    ext.set("cy", str(cy))


_DIMENSIONS = ("left", "top", "width", "height")


def placeholder_geometry(placeholder: Any) -> tuple[Any, Any, Any, Any]:
    """``(left, top, width, height)`` of a layout or slide placeholder, as python-pptx's
    inheriting properties give them, with the placeholder it inherits from looked up once.

    Each of python-pptx's four properties looks up the base placeholder anew when the value
    is not set on the shape itself (``_InheritsDimensions._effective_value``), listing every
    placeholder of the master or layout each time; a template's layouts mostly inherit, which
    made mapping a template a tenth of a deck's time. Same values, same exceptions (contract
    test).
    """
    own = shape_geometry(placeholder.element)
    if None not in own:
        return own
    if not isinstance(getattr(type(placeholder), "_base_placeholder", None), property):
        raise CompatError(f"python-pptx: {type(placeholder).__name__}._base_placeholder is "
                          "gone; etikkverksted.ooxml.pptx_compat needs updating")
    base = placeholder._base_placeholder
    if base is None:
        return own
    inherited = shape_geometry(base.element)
    values = [value if value is not None else
              theirs if theirs is not None else getattr(base, name)
              for value, theirs, name in zip(own, inherited, _DIMENSIONS, strict=True)]
    return values[0], values[1], values[2], values[3]


_patch_lock = threading.Lock()
_patch_depth = 0
_library_ph: Any = None


@contextmanager
def fast_placeholder_lookup() -> Iterator[None]:
    """Within the block, ``BaseShapeElement.ph`` uses :func:`compiled_ph`.

    The property is replaced on python-pptx's class, so it is process-wide while any render
    is inside the block (nested and concurrent renders share one replacement, counted); the
    library's own property comes back when the last one leaves. Both give the same element
    for every shape (contract test), so other code that runs meanwhile sees no difference.
    """
    global _patch_depth, _library_ph
    with _patch_lock:
        if _patch_depth == 0:
            current = BaseShapeElement.__dict__.get("ph")
            if not isinstance(current, property):
                raise CompatError("python-pptx: BaseShapeElement.ph is no longer a property")
            _library_ph = current
            BaseShapeElement.ph = property(compiled_ph, doc=current.__doc__)  # type: ignore[method-assign,assignment]
        _patch_depth += 1
    try:
        yield
    finally:
        with _patch_lock:
            _patch_depth -= 1
            if _patch_depth == 0:
                BaseShapeElement.ph = _library_ph  # type: ignore[method-assign]


# -- notes slides ---------------------------------------------------------------------------

class NotesSlideCopier:
    """Makes notes slides by copying one prepared notes slide.

    python-pptx makes each notes slide by cloning the notes master's placeholders one by one
    and finds a free part name by listing every part of the package, about 2 ms a slide. The
    first notes slide of a deck is made that way; later ones are deep copies of it while it was
    still empty, wired as python-pptx wires them (``NotesSlidePart`` with the notes master,
    the slide and the slide's relationship back), with part names counted here. One copier
    per presentation; it keeps nothing of any other.
    """

    def __init__(self, package: Any) -> None:
        self.package = package
        self.used = {str(p.partname) for p in package.iter_parts()}
        self.blank: etree._Element | None = None
        self.master_part: Any = None
        self.count = 0
        self._body_path: list[int] | None = None

    def notes_slide(self, slide: Slide) -> NotesSlide:
        """The notes slide of *slide*, made if it has none."""
        if slide.has_notes_slide:
            return slide.notes_slide
        if self.blank is None:
            notes = slide.notes_slide  # python-pptx's way, once: it also makes the master
            self.blank = deepcopy(notes.element)
            self.master_part = notes.part.part_related_by(RT.NOTES_MASTER)
            self.used.add(str(notes.part.partname))
            return notes
        while True:
            self.count += 1
            name = f"/ppt/notesSlides/notesSlide{self.count}.xml"
            if name not in self.used:
                self.used.add(name)
                break
        part = NotesSlidePart(PackURI(name), CT.PML_NOTES_SLIDE, self.package,
                              deepcopy(self.blank))
        part.relate_to(self.master_part, RT.NOTES_MASTER)
        part.relate_to(slide.part, RT.SLIDE)
        slide.part.relate_to(part, RT.NOTES_SLIDE)
        return slide.notes_slide

    def notes_body(self, slide: Slide) -> etree._Element | None:
        """The ``p:txBody`` of ``self.notes_slide(slide).notes_text_frame`` (None when the
        notes slide has no body placeholder).

        The library finds it by listing the notes slide's placeholders through proxies; a
        copied notes slide has it where the first one had it, so later ones follow that
        path of child positions (checked: it must lead to a ``p:txBody``, else the library).
        """
        notes = self.notes_slide(slide)
        root = notes.element
        if self._body_path is not None:
            body = root
            for index in self._body_path:
                body = body[index] if index < len(body) else None
                if body is None:
                    break
            if body is not None and body.tag == _TX_BODY:
                return body
        frame = notes.notes_text_frame
        if frame is None:
            return None
        body = text_body(frame)
        if self._body_path is None:
            path: list[int] = []
            node = body
            while node is not root:
                parent = node.getparent()
                path.insert(0, parent.index(node))
                node = parent
            self._body_path = path
        return body


# -- new slides -----------------------------------------------------------------------------

class SlideMaker:
    """Adds slides as ``prs.slides.add_slide(layout)`` does, the placeholders copied.

    python-pptx clones a layout's placeholders onto each new slide one by one, each clone
    looking up the slide's highest shape id and used names with XPath and parsing a template
    string. What it clones depends on the layout only (a new slide holds nothing else), so
    the first slide of each layout is made by python-pptx and later ones get deep copies of
    its placeholders as they were then; the slide part, its relationships and its ``sldId``
    are made by the library's own steps. One maker per presentation and build (contract test).
    """

    def __init__(self, prs: Any) -> None:
        self.prs = prs
        self._placeholders: dict[Any, list[etree._Element]] = {}

    def add_slide(self, layout: Any) -> Slide:
        """A new slide on *layout*, at the end of the deck."""
        cloned = self._placeholders.get(layout.part)
        if cloned is None:
            slide = self.prs.slides.add_slide(layout)
            self._placeholders[layout.part] = [deepcopy(sp) for sp in
                                               slide.shapes.element.iter_shape_elms()]
            return slide
        rid, slide = self.prs.part.add_slide(layout)
        tree = slide.shapes.element
        for sp in cloned:
            tree.insert_element_before(deepcopy(sp), "p:extLst")
        self.prs.slides.element.add_sldId(rid)
        return slide


# -- saving ---------------------------------------------------------------------------------

def package_members(prs: Any) -> list[tuple[str, bytes]]:
    """The (name, bytes) of every zip member ``prs.save`` would write, in its order.

    ``Presentation.save`` deflates every part into a zip that our reproducible writer
    (:func:`~etikkverksted.ooxml.zipfiles.write_zip`) then inflates and deflates again; this
    runs python-pptx's own package writer steps (``_PackageWriter._write_*``, with the
    package's relationships and parts as ``OpcPackage.save`` passes them) into a list.
    """
    package = prs.part.package
    writer = PackageWriter(None, _require(package, "_rels"), tuple(package.iter_parts()))
    members = MemberList()
    _require(writer, "_write_content_types_stream")(members)
    _require(writer, "_write_pkg_rels")(members)
    _require(writer, "_write_parts")(members)
    return members.members


# -- flat drawn groups, as XML --------------------------------------------------------------

@dataclass(frozen=True)
class FlatText:
    """Text in a :class:`FlatShape`, set as ``diagrams`` sets a label through python-pptx:
    ``word_wrap = True``, *anchor* (``t``, ``ctr``, ``b``), default insets, no autofit; each
    paragraph aligned *align* (``l``, ``ctr``, ``r``), 30 % space before all but the first,
    one run of *size* centipoints in theme colour *color*, bold where asked."""

    paras: tuple[tuple[str, bool], ...]
    size: int
    color: str
    align: str = "ctr"
    anchor: str = "ctr"


@dataclass(frozen=True)
class FlatShape:
    """One member of a :func:`add_flat_group`: an autoshape or a straight connector.

    *prst* is the preset geometry (``ellipse``, ``rect``) or ``line`` for a connector;
    (*x*, *y*)-(*x2*, *y2*) is the box of a shape or the begin and end point of a connector.
    *fill* and *line* are theme colour names (``accent2``, ``tx1``; see
    ``MSO_THEME_COLOR.xml_value``); None means no fill / no line. *width* is the line width in
    EMU (None: the theme's); *ends* adds arrow heads to a connector's line (``headEnd``,
    ``tailEnd``: a medium triangle). *text* is a label's text, for autoshapes.
    """

    prst: str
    x: int
    y: int
    x2: int
    y2: int
    fill: str | None = None
    line: str | None = None
    width: int | None = None
    ends: tuple[str, ...] = ()
    text: FlatText | None = None


_BASENAMES = {"ellipse": "Oval", "rect": "Rectangle", "roundRect": "Rounded Rectangle",
              "triangle": "Isosceles Triangle"}
"""python-pptx's ``AutoShapeType.basename`` of the presets :func:`add_flat_group` draws."""
_NSDECLS = f'xmlns:a="{A}" xmlns:p="{P}" xmlns:r="{R}"'
_T = f"{{{A}}}t"
_IDS = etree.XPath("//@id")
_EXT_LST = f"{{{P}}}extLst"


def _next_shape_id(tree: etree._Element) -> int:
    """One more than the highest numeric ``@id`` in the shape tree's part, as python-pptx's
    ``CT_GroupShape.max_shape_id`` finds it (compiled once, not per shape)."""
    ids = [int(v) for v in _IDS(tree) if v.isdigit()]
    return (max(ids) if ids else 0) + 1


def _insert_shape(shapes: Any, sp: etree._Element) -> None:
    """Put *sp* where python-pptx adds a shape (before ``p:extLst``) and grow a group's
    extents as it does (a no-op on a slide's tree)."""
    tree = shapes.element
    ext_lst = tree.find(_EXT_LST)
    if ext_lst is None:
        tree.append(sp)
    else:
        ext_lst.addprevious(sp)
    tree.recalculate_extents()


def add_textbox(shapes: Any, x: int, y: int, cx: int, cy: int) -> Shape:
    """``shapes.add_textbox(x, y, cx, cy)``: the same ``p:sp`` (``CT_Shape.new_textbox_sp``),
    id and name, from one string with the id found by a compiled XPath (contract test).
    Values that are not plain ints go through the library."""
    if not all(type(v) is int for v in (x, y, cx, cy)):
        return shapes.add_textbox(x, y, cx, cy)
    id_ = _next_shape_id(shapes.element)
    sp = parse_xml(
        f'<p:sp {_NSDECLS}><p:nvSpPr><p:cNvPr id="{id_}" name="TextBox {id_ - 1}"/>'
        '<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm>'
        f'<a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect">'
        '<a:avLst/></a:prstGeom><a:noFill/></p:spPr><p:txBody><a:bodyPr wrap="none">'
        '<a:spAutoFit/></a:bodyPr><a:lstStyle/><a:p/></p:txBody></p:sp>')
    _insert_shape(shapes, sp)
    return Shape(sp, shapes)


def _line_xml(line: str | None, width: int | None, ends: tuple[str, ...] = ()) -> str:
    if line is None:
        return "<a:ln><a:noFill/></a:ln>"
    w = f' w="{width}"' if width is not None else ""
    heads = "".join(f'<a:{end} type="triangle" w="med" len="med"/>' for end in ends)
    return f'<a:ln{w}><a:solidFill><a:schemeClr val="{line}"/></a:solidFill>{heads}</a:ln>'


def _text_xml(text: FlatText | None) -> str:
    """The ``p:txBody`` of an autoshape, with *text* set as :class:`FlatText` says; the runs'
    ``a:t`` are left empty for the caller to fill (as ``run.text`` does, escaped)."""
    empty = '<a:p><a:pPr algn="ctr"/></a:p>'
    if text is None:
        return f'<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/>{empty}</p:txBody>'
    paras = []
    for i, (_, bold) in enumerate(text.paras):
        spacing = '><a:spcBef><a:spcPct val="30000"/></a:spcBef></a:pPr>' if i else "/>"
        b = ' b="1"' if bold else ""
        paras.append(f'<a:p><a:pPr algn="{text.align}"{spacing}<a:r><a:rPr sz="{text.size}"{b}>'
                     f'<a:solidFill><a:schemeClr val="{text.color}"/></a:solidFill></a:rPr>'
                     '<a:t></a:t></a:r></a:p>')
    return (f'<p:txBody><a:bodyPr rtlCol="0" anchor="{text.anchor}" wrap="square">'
            '<a:noAutofit/></a:bodyPr><a:lstStyle/>'
            f'{"".join(paras) or empty}</p:txBody>')


def _member_xml(shape: FlatShape, id_: int) -> tuple[str, tuple[int, int, int, int]]:
    x, y = min(shape.x, shape.x2), min(shape.y, shape.y2)
    cx, cy = abs(shape.x2 - shape.x), abs(shape.y2 - shape.y)
    if shape.prst == "line":
        flip = (' flipH="1"' if shape.x > shape.x2 else "") + \
            (' flipV="1"' if shape.y > shape.y2 else "")
        xml = (f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{id_}" name="Connector {id_ - 1}"/>'
               f'<p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr><p:spPr><a:xfrm{flip}>'
               f'<a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
               f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
               f'{_line_xml(shape.line, shape.width, shape.ends)}</p:spPr></p:cxnSp>')
        return xml, (x, y, cx, cy)
    fill = "<a:noFill/>" if shape.fill is None else \
        f'<a:solidFill><a:schemeClr val="{shape.fill}"/></a:solidFill>'
    xml = (f'<p:sp><p:nvSpPr><p:cNvPr id="{id_}" name="{_BASENAMES[shape.prst]} {id_ - 1}"/>'
           f'<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{x}" y="{y}"/>'
           f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="{shape.prst}"><a:avLst/>'
           f'</a:prstGeom>{fill}{_line_xml(shape.line, shape.width)}</p:spPr>'
           f'{_text_xml(shape.text)}</p:sp>')
    return xml, (x, y, cx, cy)


def add_flat_group(shapes: Any, name: str, alt: str, members: Sequence[FlatShape]
                   ) -> GroupShape:
    """Append a group of *members* to the shape tree *shapes* (a slide's or group's
    ``.shapes``), named *name* with alt text *alt*; return it.

    The XML is what python-pptx writes for ``add_group_shape`` and, in it, ``add_shape`` /
    ``add_connector`` with the theme style reference removed (flat shapes), the fill set
    (``fill.solid()`` and a theme colour, or ``fill.background()``), the line set (a theme
    colour and width, or ``line.fill.background()``) with any arrow heads appended to
    ``a:ln``, and a label's text set through the text frame, paragraph, run and font
    properties (see :class:`FlatText`); same ids, names, element and attribute order, and
    the group's extents as python-pptx works them out from its members (contract test).
    Made as one string and parsed once, it costs a twentieth of the library's way, which
    builds every element through its proxies and looks up the slide's highest shape id once
    per shape.
    """
    tree = shapes.element
    group_id = _next_shape_id(tree)
    parts: list[str] = []
    boxes: list[tuple[int, int, int, int]] = []
    for n, member in enumerate(members, 1):
        xml, box = _member_xml(member, group_id + n)
        parts.append(xml)
        boxes.append(box)
    if boxes:
        x = min(b[0] for b in boxes)
        y = min(b[1] for b in boxes)
        cx = max(b[0] + b[2] for b in boxes) - x
        cy = max(b[1] + b[3] for b in boxes) - y
    else:
        x = y = cx = cy = 0
    grp = parse_xml(
        f'<p:grpSp {_NSDECLS}><p:nvGrpSpPr><p:cNvPr id="{group_id}" name=""/><p:cNvGrpSpPr/>'
        f'<p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="{x}" y="{y}"/>'
        f'<a:ext cx="{cx}" cy="{cy}"/><a:chOff x="{x}" y="{y}"/><a:chExt cx="{cx}" cy="{cy}"/>'
        f'</a:xfrm></p:grpSpPr>{"".join(parts)}</p:grpSp>')
    cnvpr = grp[0][0]
    cnvpr.set("name", name)
    cnvpr.set("descr", alt)
    texts = (t for member in members if member.text for t, _ in member.text.paras)
    for t, text in zip(grp.iter(_T), texts, strict=True):
        t.text = escape_text(text)
    if members:
        _insert_shape(shapes, grp)
    else:  # python-pptx adds an empty group without working out extents
        tree.insert_element_before(grp, "p:extLst")
    return GroupShape(grp, shapes)
