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
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from typing import TYPE_CHECKING, Any

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml.shapes.shared import BaseShapeElement
from pptx.parts.slide import NotesSlidePart

from .compat import CompatError, require
from .namespaces import P

if TYPE_CHECKING:
    from pptx.dml.line import LineFormat
    from pptx.shapes.group import GroupShape
    from pptx.shapes.shapetree import GroupShapes
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


def line_element(line: LineFormat) -> etree._Element:
    """The ``a:ln`` of a line format, created when missing.

    python-pptx has no API for arrow heads (``a:tailEnd``) or for a line's XML at all; its
    own ``LineFormat`` creates ``a:ln`` through this private method.
    """
    return _require(line, "_get_or_add_ln")()


_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F]")


def escape_text(text: str) -> str:
    """*text* as python-pptx writes it into ``a:t``: control characters as ``_xHHHH_``.

    Our own copy of ``CT_RegularTextRun._escape_ctrl_chars`` (tab and line feed stay), so no
    private name is called; the contract test compares it with what ``run.text = ...``
    writes.
    """
    return _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


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


# -- groups ---------------------------------------------------------------------------------

@contextmanager
def extents_once(group: GroupShape) -> Iterator[GroupShapes]:
    """The group's shapes, to add to; the group's extents are worked out once, at the end.

    python-pptx recalculates a group's position and size from all its children after every
    shape added to it (``GroupShapes._recalculate_extents``), which made the deck's small
    symbols and time bars a sixth of its rendering time. The result depends only on the
    children there are at the end, so computing it once gives the same XML (contract test).
    """
    shapes = group.shapes
    recalculate = _require(shapes, "_recalculate_extents")
    shapes._recalculate_extents = lambda: None  # type: ignore[method-assign]
    try:
        yield shapes
    finally:
        del shapes._recalculate_extents
        recalculate()
