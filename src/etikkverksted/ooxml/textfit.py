"""Measuring text with real font metrics, so that text fits its box before anyone opens the file.

PowerPoint's "shrink text on overflow" flag does nothing until someone edits the text, and
python-pptx's ``fit_text`` cannot find fonts on Linux. So the writer measures itself: Pillow's
``ImageFont.getlength`` on a metric-compatible twin of the template font (Carlito for Calibri,
Caladea for Cambria; both have the same advance widths as the fonts they replace), line height
from the font's ``hhea`` table, and greedy word wrapping as PowerPoint and LibreOffice do it.

The unit everywhere is the point (1/72 inch); boxes come in EMU and are converted here.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import ImageFont

EMU_PER_PT = 12700
BODY_MIN_PT = 18.0
"""No body text on a slide is ever set smaller than this."""

_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/crosextra"),
    Path("/usr/share/fonts/truetype/carlito"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/share/fonts/truetype"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)

# Template font (lower case) -> file stem of its free metric twin, regular and bold.
_TWINS: dict[str, tuple[str, str]] = {
    "calibri": ("Carlito-Regular", "Carlito-Bold"),
    "carlito": ("Carlito-Regular", "Carlito-Bold"),
    "calibri light": ("Carlito-Regular", "Carlito-Bold"),
    "cambria": ("Caladea-Regular", "Caladea-Bold"),
    "caladea": ("Caladea-Regular", "Caladea-Bold"),
    "arial": ("LiberationSans-Regular", "LiberationSans-Bold"),
    "helvetica": ("LiberationSans-Regular", "LiberationSans-Bold"),
    "liberation sans": ("LiberationSans-Regular", "LiberationSans-Bold"),
    "times new roman": ("LiberationSerif-Regular", "LiberationSerif-Bold"),
    "liberation serif": ("LiberationSerif-Regular", "LiberationSerif-Bold"),
    "dejavu sans": ("DejaVuSans", "DejaVuSans-Bold"),
}
# When a template font has no known twin, measure with a wide sans serif: LibreOffice falls
# back to DejaVu Sans on a plain Linux machine, and a wide font errs on the safe side.
_FALLBACK = ("DejaVuSans", "DejaVuSans-Bold")
_LAST_RESORT = ("Carlito-Regular", "Carlito-Bold")


@cache
def _find_font_file(stem: str) -> Path | None:
    for folder in _FONT_DIRS:
        candidate = folder / f"{stem}.ttf"
        if candidate.is_file():
            return candidate
    return None


def font_file(typeface: str | None, bold: bool = False) -> Path | None:
    """Return the font file used to measure *typeface*: its metric twin, else a wide fallback."""
    key = (typeface or "calibri").strip().lower()
    for stems in (_TWINS.get(key), _FALLBACK, _LAST_RESORT):
        if stems is None:
            continue
        found = _find_font_file(stems[1 if bold else 0])
        if found is not None:
            return found
    return None


def has_metric_twin(typeface: str | None) -> bool:
    """True when *typeface* has a metric-compatible twin installed (measurements are exact)."""
    stems = _TWINS.get((typeface or "").strip().lower())
    return stems is not None and _find_font_file(stems[0]) is not None


def _line_factor(path: Path) -> float:
    """Line height as a multiple of the font size: hhea ascent - descent + lineGap, per em."""
    data = path.read_bytes()
    num_tables = struct.unpack(">H", data[4:6])[0]
    tables: dict[bytes, int] = {}
    for i in range(num_tables):
        rec = data[12 + 16 * i: 28 + 16 * i]
        tables[rec[:4]] = struct.unpack(">I", rec[8:12])[0]
    head, hhea = tables[b"head"], tables[b"hhea"]
    units = struct.unpack(">H", data[head + 18: head + 20])[0]
    ascent, descent, gap = struct.unpack(">hhh", data[hhea + 4: hhea + 10])
    return (ascent - descent + gap) / units


@dataclass(frozen=True)
class _Face:
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont
    line_factor: float


_REF_SIZE = 200


@cache
def _face(typeface: str | None, bold: bool) -> _Face:
    path = font_file(typeface, bold)
    if path is None:
        return _Face(ImageFont.load_default(_REF_SIZE), 1.22)
    return _Face(ImageFont.truetype(str(path), _REF_SIZE), _line_factor(path))


@lru_cache(maxsize=65536)
def _ref_width(text: str, typeface: str | None, bold: bool) -> float:
    """Advance width of *text* at the reference size; words repeat, so this is cached."""
    return _face(typeface, bold).font.getlength(text)


def text_width(text: str, size_pt: float, typeface: str | None = None,
               bold: bool = False) -> float:
    """Return the advance width of *text* in points, set in *typeface* at *size_pt*.

    Measured word by word (each word cached) plus the spaces between them: kerning never
    crosses a space, so the sum equals measuring the whole line, at a fraction of the cost.
    """
    if not text:
        return 0.0
    words = text.split(" ")
    total = sum(_ref_width(w, typeface, bold) for w in words if w)
    total += (len(words) - 1) * _ref_width(" ", typeface, bold)
    return total * size_pt / _REF_SIZE


def line_height(size_pt: float, typeface: str | None = None, bold: bool = False,
                spacing: float = 1.0) -> float:
    """Return the height of one line in points (font line height times proportional spacing)."""
    return _face(typeface, bold).line_factor * size_pt * spacing


def wrap(text: str, width_pt: float, size_pt: float, typeface: str | None = None,
         bold: bool = False) -> list[str]:
    """Break *text* into lines no wider than *width_pt*, at spaces; longer words are cut.

    Hard line breaks (``\\n``) are kept. An empty text is one empty line.
    """
    lines: list[str] = []
    scale = size_pt / _REF_SIZE
    space = _ref_width(" ", typeface, bold) * scale
    for hard_line in text.split("\n"):
        current = ""
        current_width = 0.0
        for word in hard_line.split():
            # Widths add up word by word (see text_width), so a line is measured once.
            word_width = _ref_width(word, typeface, bold) * scale
            candidate_width = current_width + space + word_width if current else word_width
            if candidate_width <= width_pt:
                current = f"{current} {word}" if current else word
                current_width = candidate_width
                continue
            if current:
                lines.append(current)
            current = ""
            current_width = 0.0
            # A word wider than the line is broken by characters, as PowerPoint does.
            while text_width(word, size_pt, typeface, bold) > width_pt and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and text_width(word[:cut], size_pt, typeface, bold) > width_pt:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
            current_width = text_width(word, size_pt, typeface, bold)
        lines.append(current)
    return lines


@dataclass(frozen=True)
class Para:
    """One paragraph to set: its text, outline level (0 = top) and weight."""

    text: str
    level: int = 0
    bold: bool = False
    bullet: bool = True
    keep_with_next: bool = False
    """A heading: never the last paragraph of a slide (as Word's "keep with next")."""


@dataclass(frozen=True)
class Box:
    """The room text has inside a shape, and how paragraphs are laid out in it.

    ``indents`` gives the left margin (marL) of each outline level in points; ``space_before``
    the space above a paragraph as a fraction of its line height (PowerPoint's "0.3 lines" is
    stored as ``spcPct val=30000``); ``spacing`` the proportional
    line spacing (1.0 = single). ``safety`` keeps a little room free for renderer differences.
    """

    width_pt: float
    height_pt: float
    typeface: str | None = None
    indents: tuple[float, ...] = (0.0,)
    space_before: float = 0.0
    spacing: float = 1.0
    safety: float = 0.96
    level_step_pt: float = 2.0

    @classmethod
    def from_emu(cls, width: int, height: int, insets: tuple[int, int, int, int] = (
            91440, 91440, 45720, 45720), **kwargs: object) -> Box:
        """Build a box from a shape's size and its text insets (left, right, top, bottom)."""
        left, right, top, bottom = insets
        return cls(width_pt=(width - left - right) / EMU_PER_PT,
                   height_pt=(height - top - bottom) / EMU_PER_PT, **kwargs)  # type: ignore[arg-type]

    def indent(self, level: int) -> float:
        if not self.indents:
            return 0.0
        return self.indents[min(level, len(self.indents) - 1)]


def size_for_level(size_pt: float, level: int, box: Box, min_pt: float) -> float:
    """Sub-levels are set a little smaller, never below *min_pt*."""
    return max(min_pt, size_pt - box.level_step_pt * level)


def paragraph_lines(para: Para, box: Box, size_pt: float, min_pt: float) -> list[str]:
    """Return the lines *para* breaks into inside *box* at *size_pt*."""
    size = size_for_level(size_pt, para.level, box, min_pt)
    indent = box.indent(para.level) if para.bullet else 0.0
    width = (box.width_pt - indent) * box.safety
    return wrap(para.text, max(width, 1.0), size, box.typeface, para.bold)


def text_height(paras: Sequence[Para], box: Box, size_pt: float,
                min_pt: float = BODY_MIN_PT) -> float:
    """Return the height in points that *paras* take inside *box* at *size_pt*."""
    total = 0.0
    for i, para in enumerate(paras):
        size = size_for_level(size_pt, para.level, box, min_pt)
        lines = paragraph_lines(para, box, size_pt, min_pt)
        height = line_height(size, box.typeface, para.bold, box.spacing)
        if i:
            total += box.space_before * height
        total += len(lines) * height
    return total


def fits(paras: Sequence[Para], box: Box, size_pt: float, min_pt: float = BODY_MIN_PT) -> bool:
    """True when *paras* fit *box* at *size_pt*, with the safety margin kept free."""
    return text_height(paras, box, size_pt, min_pt) <= box.height_pt * box.safety


def fit_size(paras: Sequence[Para], box: Box, max_pt: float, min_pt: float = BODY_MIN_PT,
             step: float = 1.0) -> float | None:
    """Return the largest size from *max_pt* down to *min_pt* at which *paras* fit, or None."""
    size = float(max_pt)
    while size >= min_pt - 1e-9:
        if fits(paras, box, size, min_pt):
            return size
        size -= step
    return None


def split_to_fit(paras: Sequence[Para], box: Box, min_pt: float = BODY_MIN_PT,
                 head: Sequence[Para] = ()) -> list[list[Para]]:
    """Split *paras* into chunks that each fit *box* at *min_pt* after the repeated *head*.

    Chunks break as Word breaks pages with "keep with next": a heading
    (``keep_with_next``) never ends a chunk, and a chunk never starts with an indented item
    whose parent ends the chunk before (the parent moves along with it). When a parent and
    its items are too long for any one box, the parent is repeated above the rest of its
    items. A paragraph too long for a box on its own is broken between sentences, or failing
    that between lines, so that no chunk ever overflows. Returns at least one chunk.
    """
    chunks: list[list[Para]] = []
    current: list[Para] = []
    queue = list(paras)
    repeated: Para | None = None
    while queue:
        para = queue.pop(0)
        if fits([*head, *current, para], box, min_pt, min_pt):
            current.append(para)
            continue
        if current and current != [repeated]:
            cut = _cut(current, para)
            if cut == 0:
                # Nothing may end here (a heading, or a parent with its items, longer than
                # the room): fill the room with the first part of *para* and go on.
                parent = _parent(current, para) or (current[-1] if current[-1].keep_with_next
                                                    else None)
                first, rest = _break_paragraph(para, [*head, *current], box, min_pt)
                if fits([*head, *current, first], box, min_pt, min_pt):
                    chunks.append([*current, first])
                    queue[0:0] = [rest] if rest is not None else []
                else:
                    chunks.append(current)
                    queue.insert(0, para)
                current = []
                if queue and parent is not None and queue[0].level > parent.level:
                    repeated = Para(parent.text, parent.level, parent.bold, parent.bullet,
                                    keep_with_next=True)
                    queue.insert(0, repeated)
                continue
            chunks.append(current[:cut])
            queue[0:0] = [*current[cut:], para]
            current = []
            continue
        # Alone (or under its repeated parent) it still does not fit: break it and put the
        # rest back in the queue.
        first, rest = _break_paragraph(para, [*head, *current], box, min_pt)
        current.append(first)
        if rest is not None:
            chunks.append(current)
            current = []
            queue.insert(0, rest)
    if current or not chunks:
        chunks.append(current)
    return chunks


def _parent(before: Sequence[Para], para: Para) -> Para | None:
    """The nearest paragraph in *before* that *para* is indented under, if any."""
    if para.level == 0:
        return None
    for candidate in reversed(before):
        if candidate.level < para.level:
            return candidate
    return None


def _cut(current: list[Para], following: Para) -> int:
    """Where *current* may end when *following* does not fit after it: the count of
    paragraphs that stay. Trailing headings and the parent of an indented *following* (with
    its earlier items) move to the next chunk; 0 means nothing can stay."""
    cut = len(current)
    while cut > 0:
        first_next = current[cut] if cut < len(current) else following
        if current[cut - 1].keep_with_next:
            cut -= 1
            continue
        if first_next.level > 0:
            # Move back to the parent of the indented paragraph.
            parent_at = next((i for i in range(cut - 1, -1, -1)
                              if current[i].level < first_next.level), None)
            if parent_at is None:
                return cut
            cut = parent_at
            continue
        return cut
    return 0


def line_count(paras: Sequence[Para], box: Box, size_pt: float = BODY_MIN_PT,
               min_pt: float = BODY_MIN_PT) -> int:
    """Return how many lines *paras* take inside *box* at *size_pt*."""
    return sum(len(paragraph_lines(p, box, size_pt, min_pt)) for p in paras)


@dataclass(frozen=True)
class Page:
    """One slide's share of a text: its paragraphs and the box they were measured in."""

    paras: list[Para]
    box: Box


SHORT_TAIL_LINES = 2
"""A continuation of this many lines or fewer is not worth a slide of its own."""


def paginate(paras: Sequence[Para], box: Box, min_pt: float = BODY_MIN_PT,
             head: Sequence[Para] = (), roomy: Box | None = None) -> list[Page]:
    """Split *paras* over as few boxes as needed, none of them holding a stub.

    As :func:`split_to_fit`; and when the last chunk would hold only one or two lines, it
    goes on the page before if they fit together in *roomy* (the same box with tighter
    paragraph spacing and the free room below it, still at *min_pt* or more), or else the
    split moves whole paragraphs forward so that the last page is more than a stub.
    """
    chunks = split_to_fit(paras, box, min_pt, head)
    pages = [Page(chunk, box) for chunk in chunks]
    if len(chunks) < 2 or line_count(chunks[-1], box, min_pt, min_pt) > SHORT_TAIL_LINES:
        return pages
    prev, last = chunks[-2], chunks[-1]
    if roomy is not None and fits([*head, *prev, *last], roomy, min_pt, min_pt):
        return [*pages[:-2], Page([*prev, *last], roomy)]
    for cut in range(len(prev) - 1, 0, -1):
        moved = [*prev[cut:], *last]
        if prev[cut - 1].keep_with_next or prev[cut].level > 0:
            continue  # not a place where a slide may end
        if not fits([*head, *moved], box, min_pt, min_pt):
            break
        if line_count(moved, box, min_pt, min_pt) > SHORT_TAIL_LINES:
            return [*pages[:-2], Page(prev[:cut], box), Page(moved, box)]
    return pages


def _break_paragraph(para: Para, head: list[Para], box: Box,
                     min_pt: float) -> tuple[Para, Para | None]:
    """Return the longest leading part of *para* that fits after *head*, and the rest."""
    sentences = _sentences(para.text)
    for count in range(len(sentences) - 1, 0, -1):
        first = Para(" ".join(sentences[:count]), para.level, para.bold, para.bullet)
        if fits([*head, first], box, min_pt, min_pt):
            rest = Para(" ".join(sentences[count:]), para.level, para.bold, para.bullet)
            return first, rest
    lines = paragraph_lines(para, box, min_pt, min_pt)
    size = size_for_level(min_pt, para.level, box, min_pt)
    used = text_height(head, box, min_pt, min_pt) if head else 0.0
    per_line = line_height(size, box.typeface, para.bold, box.spacing)
    room = box.height_pt * box.safety - used - (box.space_before * per_line if head else 0.0)
    keep = max(1, math.floor(room / per_line))
    if keep >= len(lines):
        return para, None
    first = Para(" ".join(lines[:keep]), para.level, para.bold, para.bullet)
    rest = Para(" ".join(lines[keep:]), para.level, para.bold, False)
    return first, rest


def _sentences(text: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    for word in text.split():
        current.append(word)
        if word.endswith((".", "?", "!", ":")):
            parts.append(" ".join(current))
            current = []
    if current:
        parts.append(" ".join(current))
    return parts
