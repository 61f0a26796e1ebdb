"""Building the slides: one or more per segment of the plan, in the plan's order.

Every slide gets a real title placeholder (unique within the deck), measured text that fits
its box (continuation slides when it does not), speaker notes, and nothing left empty.
Fixed words come from the plan's labels; this module holds no Norwegian.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_FILL
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR

from ...ooxml import textfit
from ...ooxml.pptx_compat import (
    SlideMaker,
    add_textbox,
    placeholder_geometry,
    set_shape_geometry,
    shape_geometry,
    text_body,
)
from ...ooxml.textfit import BODY_MIN_PT, Para
from . import charts, diagrams
from .fit import Boxes, add_run, reset_text, textbox_box, write_paras
from .notes import (
    Line,
    continuation_notes,
    fact_notes,
    segment_notes,
    timing_line,
    write_notes,
)
from .palette import Palette, palette_for
from .template import LayoutInfo, Rect, Role, TemplateMap, theme_fonts

if TYPE_CHECKING:
    from pptx.slide import Slide

    from ...planning.model import PlannedFact, Segment, WorkshopPlan

TITLE_MIN_PT = 20.0
_BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)
_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
_GAP = 182880  # 0.2 in between a drawing and the text beside it


def _top_and_height(shape: object) -> tuple[object, object]:
    """``(shape.top, shape.height)``: the shape's own values when it has them (what
    python-pptx returns then, for every kind of shape), else python-pptx's answer."""
    _, top, _, height = shape_geometry(shape.element)  # type: ignore[attr-defined]
    if top is not None and height is not None:
        return top, height
    return shape.top, shape.height  # type: ignore[attr-defined]


def _left_and_top(shape: object) -> tuple[int, int]:
    """``(int(shape.left), int(shape.top))``, the same way as :func:`_top_and_height`."""
    left, top, _, _ = shape_geometry(shape.element)  # type: ignore[attr-defined]
    if left is None or top is None:
        left, top = shape.left, shape.top  # type: ignore[attr-defined]
    return int(left), int(top)


class DeckBuilder:
    """Adds the plan's slides to an opened template, one segment at a time."""

    def __init__(self, plan: WorkshopPlan, tmpl: TemplateMap, stamp: dt.datetime) -> None:
        self.plan = plan
        self.tmpl = tmpl
        self.prs = tmpl.prs
        self.stamp = stamp
        self.titles: set[str] = set()
        # Per layout and per master, asked for on every slide and never changing while the
        # deck is built: placeholder geometry resolves through master inheritance, the theme
        # fonts parse the theme part.
        self._geometry: dict[int, list[tuple[int, int, int, int] | None]] = {}
        self._fonts: dict[int, tuple[str | None, str | None]] = {}
        self._palettes: dict[int, Palette] = {}
        self._slides = SlideMaker(self.prs)
        self._boxes = Boxes()
        self._added: list[Slide] = []
        """The deck's slides in order (the template's own are removed when it is opened)."""
        self._content_area: Rect | None = None

    # -- helpers -------------------------------------------------------------------------------

    def label(self, key: str, **values: object) -> str:
        """The plan's label *key* in the deck's language, with *values* filled in."""
        text = self.plan.label(key)
        return text.format(**values) if values else text

    def fonts(self, info: LayoutInfo) -> tuple[str | None, str | None]:
        found = self._fonts.get(info.master_index)
        if found is None:
            found = self._fonts[info.master_index] = theme_fonts(self.prs, info.master_index)
        return found

    def _layout_geometry(self, info: LayoutInfo) -> list[tuple[int, int, int, int] | None]:
        """(left, top, width, height) of each cloneable placeholder of the layout, in order."""
        key = id(info.layout)
        found = self._geometry.get(key)
        if found is None:
            found = []
            for source in info.layout.iter_cloneable_placeholders():
                try:
                    left, top, width, height = placeholder_geometry(source)
                    found.append((int(left), int(top), int(width), int(height)))
                except (TypeError, ValueError):
                    found.append(None)
            self._geometry[key] = found
        return found

    @staticmethod
    def readable(info: LayoutInfo, kind: str) -> tuple[int, int, int] | None:
        """The text colour to set in *kind* (title, body, drawing area) of slides on *info*,
        when the layout's own would land on a band or picture it cannot be read on."""
        return next((c.better for c in info.clashes if c.placeholder == kind and c.better),
                    None)

    @staticmethod
    def recolor(frame: object, color: tuple[int, int, int] | None) -> None:
        if color is None:
            return
        for paragraph in frame.paragraphs:  # type: ignore[attr-defined]
            for run in paragraph.runs:
                run.font.color.rgb = RGBColor(*color)

    def recolor_unfilled(self, shapes: object, color: tuple[int, int, int] | None) -> None:
        """Set *color* on the text of every shape without a fill of its own (groups too)."""
        if color is None:
            return
        for shape in shapes:  # type: ignore[attr-defined]
            if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                self.recolor_unfilled(shape.shapes, color)
            elif shape.has_text_frame and getattr(shape, "fill", None) is not None and \
                    shape.fill.type in (None, MSO_FILL.BACKGROUND):
                self.recolor(shape.text_frame, color)

    def palette(self, info: LayoutInfo) -> Palette:
        found = self._palettes.get(info.master_index)
        if found is None:
            found = self._palettes[info.master_index] = palette_for(self.prs, info.master_index)
        return found

    def unique(self, title: str, context: str | None = None) -> str:
        """Return *title*, disambiguated if an earlier slide has it already."""
        candidate = title
        if candidate in self.titles and context:
            candidate = f"{title} – {context}"
        n = 2
        base = candidate
        while candidate in self.titles:
            candidate = f"{base} ({n})"
            n += 1
        self.titles.add(candidate)
        return candidate

    def new_slide(self, role: Role, title: str, context: str | None = None
                  ) -> tuple[Slide, LayoutInfo]:
        info = self.tmpl.layout(role)
        slide = self._slides.add_slide(info.layout)
        self._added.append(slide)
        # Pin each placeholder where the layout has it: inheritance by idx fails in layouts
        # whose placeholders share one idx (LibreOffice writes idx=0 for all of them).
        for shape, geometry in zip(slide.placeholders, self._layout_geometry(info),
                                   strict=False):
            if geometry is not None:
                set_shape_geometry(shape.element, *geometry)
        for clash in info.clashes:
            if clash.free is None or clash.better is not None:
                continue
            # No text colour reads on the band or picture under this placeholder: keep the
            # text on the part of the box clear of it.
            kinds = _TITLE_TYPES if clash.placeholder == "title" else _BODY_TYPES
            for shape in slide.placeholders:
                if shape.placeholder_format.type in kinds:
                    x, y, w, h = (int(v) for v in clash.free)
                    shape.left, shape.top, shape.width, shape.height = x, y, w, h
        self._set_title(slide, info, self.unique(title, context))
        return slide, info

    def _set_title(self, slide: Slide, info: LayoutInfo, text: str) -> None:
        shape = next((s for s in slide.placeholders
                      if s.placeholder_format.type in _TITLE_TYPES), None)
        if shape is None:  # pragma: no cover - template.open_template guarantees a title
            return
        major, _ = self.fonts(info)
        box = self._boxes.box(shape, major)
        start = max(self._boxes.default_size(shape, 0, 36.0), TITLE_MIN_PT)
        para = [Para(text, bullet=False)]
        size = textfit.fit_size(para, box, start, TITLE_MIN_PT) or TITLE_MIN_PT
        frame = shape.text_frame
        add_run(reset_text(text_body(frame)), text, size)
        self.recolor(frame, self.readable(info, "title"))

    def bodies(self, slide: Slide) -> list:
        found = [s for s in slide.placeholders if s.placeholder_format.type in _BODY_TYPES]
        return sorted(found, key=_left_and_top)

    def content_area(self) -> Rect:
        """Where drawings and charts go: the content layout's body placeholder, or the free
        band between the title and the footers when the template's body is much smaller.

        Worked out once per deck: it depends on the template's layouts only."""
        if self._content_area is None:
            self._content_area = self._find_content_area()
        return self._content_area

    def _find_content_area(self) -> Rect:
        info = self.tmpl.layout("content")
        w, h = int(self.prs.slide_width), int(self.prs.slide_height)
        title = info.title.rect if info.title else Rect(w // 20, h // 20, w * 9 // 10, h // 6)
        footers = []
        for ph in info.layout.placeholders:
            if ph.placeholder_format.type in (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER,
                                              PP_PLACEHOLDER.SLIDE_NUMBER):
                try:
                    footers.append(int(ph.top))
                except (TypeError, ValueError):
                    continue
        bottom = min([t for t in footers if t > title.bottom] or [h * 93 // 100])
        for clash in self.tmpl.layout("title_only").clashes:
            if clash.placeholder == "drawing area" and clash.free is not None:
                # Drawings keep clear of a band or picture their text cannot be read on.
                bottom = min(bottom, int(clash.free[1] + clash.free[3]) + h // 40)
        band = Rect(title.left, title.bottom + h // 40, title.width,
                    bottom - h // 40 - (title.bottom + h // 40))
        if not info.bodies:
            return band
        body = max(info.bodies, key=lambda p: p.rect.area).rect
        if band.height > 0 and band.area > body.area * 1.3:
            return band
        return body

    def method_line(self, seg: Segment) -> Para | None:
        if seg.method is None:
            return None
        return Para(f"{self.label('pptx_method')}: {seg.method.name} · "
                    f"{timing_line(self.plan, seg)}",
                    bold=True, bullet=False)

    # -- slide kinds ----------------------------------------------------------------------------

    def text_slides(self, title: str, paras: Sequence[Para], notes: Sequence[Line], *,
                    seg: Segment | None = None, head: Sequence[Para] = (),
                    context: str | None = None, role: Role = "content") -> list[Slide]:
        """Add one slide with *paras* in its body, or several when they do not fit at 18 pt."""
        slide, info = self.new_slide(role, title, context)
        bodies = self.bodies(slide)
        if not bodies:  # pragma: no cover - the role fallbacks always give a body here
            write_notes(slide, notes)
            return [slide]
        body = max(bodies, key=lambda s: int(s.width) * int(s.height))
        _, minor = self.fonts(info)
        box = self._boxes.box(body, minor)
        start = max(self._boxes.default_size(body, 0, 28.0), BODY_MIN_PT)
        allp = [*head, *paras]
        size = textfit.fit_size(allp, box, start, BODY_MIN_PT)
        if size is not None:
            write_paras(body.text_frame, allp, size, box)
            self.recolor(body.text_frame, self.readable(info, "body"))
            write_notes(slide, notes)
            return [slide]
        pages = textfit.paginate(paras, box, BODY_MIN_PT, head, self.roomy(body, box))
        slides = [slide]
        for i, page in enumerate(pages):
            if i:
                slide, info = self.new_slide(role, f"{title} {self.label('pptx_continued')}",
                                             context)
                body = max(self.bodies(slide), key=lambda s: int(s.width) * int(s.height))
                slides.append(slide)
            chunk_paras = [*head, *page.paras]
            size = textfit.fit_size(chunk_paras, page.box, start, BODY_MIN_PT) or BODY_MIN_PT
            if page.box is not box:
                # The tail of one or two lines went onto this slide: the body takes the free
                # room below it and paragraphs sit closer, still at the minimum size or more.
                body.height = int(body.height) + int(
                    (page.box.height_pt - box.height_pt) * textfit.EMU_PER_PT)
            write_paras(body.text_frame, chunk_paras, size, page.box,
                        own_spacing=page.box is not box)
            self.recolor(body.text_frame, self.readable(info, "body"))
            write_notes(slide, notes if i == 0 else continuation_notes(self.plan, seg))
        return slides

    def roomy(self, body: object, box: textfit.Box) -> textfit.Box:
        """*box* with no space between paragraphs, grown down to the free band's bottom."""
        band = self.content_area()
        extra = max(0, band.bottom - (int(body.top) + int(body.height)))  # type: ignore[attr-defined]
        return replace(box, space_before=0.0,
                       height_pt=box.height_pt + extra / textfit.EMU_PER_PT)

    def textbox(self, slide: Slide, rect: Rect, paras: Sequence[Para], typeface: str | None,
                max_pt: float = 24.0, color: tuple[int, int, int] | None = None
                ) -> list[Para]:
        """Put *paras* in a text box at *rect*; return the paragraphs that did not fit."""
        box = textbox_box(rect.width, rect.height, typeface)
        size = textfit.fit_size(paras, box, max_pt, BODY_MIN_PT)
        rest: list[Para] = []
        if size is None:
            chunks = textfit.split_to_fit(paras, box, BODY_MIN_PT)
            paras, size = chunks[0], BODY_MIN_PT
            rest = [p for c in chunks[1:] for p in c]
        if not paras:
            return rest
        shape = add_textbox(slide.shapes, rect.left, rect.top, rect.width, rect.height)
        shape.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        write_paras(shape.text_frame, paras, size, box, textbox=True)
        self.recolor(shape.text_frame, color)
        return rest

    def drawing_slide(self, title: str, notes: Sequence[Line], draw: Callable[[Slide, Rect], None],
                      side: Sequence[Para] = (), seg: Segment | None = None,
                      side_share: float = 0.42, context: str | None = None,
                      top: Sequence[Para] = ()) -> list[Slide]:
        """A slide with a drawing, optional text above it (*top*) and beside it (*side*)."""
        slide, info = self.new_slide("title_only", title, context)
        _, minor = self.fonts(info)
        area = self.content_area()
        rest: list[Para] = []
        if top:
            strip_h = area.height // 6
            rest += self.textbox(slide, Rect(area.left, area.top, area.width, strip_h), top,
                                 minor, 24.0, self.readable(info, "drawing area"))
            area = Rect(area.left, area.top + strip_h + _GAP // 2, area.width,
                        area.height - strip_h - _GAP // 2)
        if side:
            side_w = int(area.width * side_share)
            draw_rect = Rect(area.left, area.top, area.width - side_w - _GAP, area.height)
            rest += self.textbox(slide, Rect(area.right - side_w, area.top, side_w,
                                             area.height), side, minor, 24.0,
                                 self.readable(info, "drawing area"))
        else:
            draw_rect = area
        draw(slide, draw_rect)
        self.recolor_unfilled(slide.shapes, self.readable(info, "drawing area"))
        write_notes(slide, notes)
        slides = [slide]
        if rest:
            slides += self.text_slides(f"{title} {self.label('pptx_continued')}", rest,
                                       continuation_notes(self.plan, seg), seg=seg,
                                       context=context)
        return slides

    # -- the deck -------------------------------------------------------------------------------

    def title_slide(self) -> None:
        plan = self.plan
        paras = [Para(plan.subtitle, bold=True, bullet=False),
                 Para(f"{plan.start:%H:%M}–{plan.end:%H:%M}", bullet=False)]
        if plan.facilitator:
            paras.append(Para(f"{self.label('pptx_facilitator')}: {plan.facilitator}",
                              bullet=False))
        notes = [Line(self.label("pptx_cue_title", start=f"{plan.start:%H:%M}"), bold=True),
                 Line(self.label("pptx_cue_title_do")),
                 Line(plan.subtitle, bold=True), Line(plan.audience.description),
                 Line(f"{self.label('pptx_produces')}: {plan.audience.produces}")]
        notes += [Line(self.label("pptx_advice"), bold=True)]
        notes += [Line(f"– {a}", level=1) for a in plan.audience.advice]
        if plan.selection_notes:
            notes += [Line(self.label("pptx_why_chosen"), bold=True)]
            notes += [Line(n, level=1) for n in plan.selection_notes]
        self.text_slides(plan.title, paras, notes, role="title")

    def agenda_slide(self) -> None:
        plan = self.plan
        lines = [Para(f"{item.start:%H:%M}–{item.end:%H:%M}  {item.title}", bullet=False)
                 for item in plan.agenda]
        notes = [Line(self.label("pptx_cue_agenda"), bold=True),
                 Line(self.label("pptx_agenda_notes"))]
        notes += [Line(f"{s.start:%H:%M}–{s.end:%H:%M} ({s.minutes} {self.label('pptx_minutes')})"
                       f" {s.title}", level=1) for s in plan.segments]
        found = self.tmpl.how.get("two_content")
        two = found is not None and not found.is_fallback \
            and all(c.better or c.free for c in self.tmpl.layout("two_content").clashes)
        if two and len(lines) > 8:
            slide, info = self.new_slide("two_content", self.label("pptx_agenda"))
            left, right = self.bodies(slide)[:2]
            _, minor = self.fonts(info)
            half = (len(lines) + 1) // 2
            parts = [(left, lines[:half]), (right, lines[half:])]
            boxes = [self._boxes.box(shape, minor) for shape, _ in parts]
            sizes = [textfit.fit_size(p, b, max(self._boxes.default_size(s, 0, 24.0), BODY_MIN_PT))
                     for (s, p), b in zip(parts, boxes, strict=True)]
            if all(sizes):
                size = min(s for s in sizes if s)
                for (shape, p), b in zip(parts, boxes, strict=True):
                    write_paras(shape.text_frame, p, size, b)
                    self.recolor(shape.text_frame, self.readable(info, "body"))
                write_notes(slide, notes)
                return
            # Too long even in two columns: fall back to one column with continuations.
            self._drop_slide(slide)
        self.text_slides(self.label("pptx_agenda"), lines, notes)

    def _drop_slide(self, slide: Slide) -> None:
        sld_ids = self.prs.slides.element
        for sld_id in list(sld_ids):
            if self.prs.part.related_part(sld_id.rId) is slide.part:
                self.prs.part.drop_rel(sld_id.rId)
                sld_ids.remove(sld_id)
        self._added = [s for s in self._added if s.part is not slide.part]
        title = slide.shapes.title.text_frame.text if slide.shapes.title else None
        self.titles.discard(title or "")

    def segment(self, seg: Segment) -> None:
        """Render *seg* with the renderer of its kind (:attr:`RENDERERS`), else the default."""
        render = self.RENDERERS.get(seg.kind, DeckBuilder._seg_default)
        before = len(self._added)
        render(self, seg)
        if seg.dilemma_id is not None or (seg.method is not None
                                          and diagrams.has_symbol(seg.method.id)):
            for slide in self._added[before:]:
                # The segment's own slides and their continuations, not the agenda that
                # follows the opening nor the chart slides of the status segment.
                if slide.shapes.title.text_frame.text.startswith(seg.title):
                    self.where_we_are(slide, seg)

    def where_we_are(self, slide: Slide, seg: Segment) -> None:
        """A quiet strip under a slide's text: the method's symbol and the time box; on a
        dilemma's slides also the progress mark ("Dilemma 2 av 3") and the dilemma's time
        boxes as a bar with this one filled. Left out when the template leaves no room."""
        h = int(self.prs.slide_height)
        area = self.content_area()
        title = slide.shapes.title
        bottoms = [int(top) + int(height) for top, height in
                   (_top_and_height(s) for s in slide.shapes if s != title)
                   if top is not None and height is not None]
        top = max([area.bottom, *bottoms]) + h // 100
        height = min(h - top - h // 60, h // 12)
        layout = slide.slide_layout
        info = next(i for i in self.tmpl.layouts if i.layout == layout)
        _, minor = self.fonts(info)
        line = textfit.line_height(BODY_MIN_PT, minor) * textfit.EMU_PER_PT + 2 * 45720
        if height < line:
            return
        color = self.readable(info, "drawing area") or self.readable(info, "body")
        palette = self.palette(info)
        x = area.left
        if seg.method is not None and diagrams.has_symbol(seg.method.id):
            alt = self.label(f"pptx_alt_method_{seg.method.id}") \
                if f"pptx_alt_method_{seg.method.id}" in self.plan.labels else seg.method.name
            diagrams.method_symbol(slide.shapes, Rect(x, top, height, height), seg.method.id,
                                   alt, palette)
            x += height + _GAP
        parts = [s for s in self.plan.segments if s.dilemma_id == seg.dilemma_id]
        bar_w = area.width * 3 // 10
        label = f"{seg.start:%H:%M}–{seg.end:%H:%M} · {seg.minutes} {self.label('pptx_minutes')}"
        label_w = int(textfit.text_width(label, BODY_MIN_PT, minor) * textfit.EMU_PER_PT
                      * 1.15) + 2 * 91440
        text_w = area.right - bar_w - _GAP - label_w - _GAP - x
        if seg.progress and text_w > 0:
            self.textbox(slide, Rect(x, top, text_w, height),
                         [Para(seg.progress, bullet=False)], minor, BODY_MIN_PT, color)
        if seg.dilemma_id is None:
            # Outside the dilemmas: the symbol and the time box, nothing else.
            self.textbox(slide, Rect(x, top, label_w, height), [Para(label, bullet=False)],
                         minor, BODY_MIN_PT, color)
            return
        self.textbox(slide, Rect(area.right - bar_w - _GAP - label_w, top, label_w, height),
                     [Para(label, bullet=False)], minor, BODY_MIN_PT, color)
        bar_h = max(height // 3, 12700 * 6)
        alt = self.label("pptx_alt_timebox", minutes=seg.minutes, start=f"{seg.start:%H:%M}",
                     end=f"{seg.end:%H:%M}")
        diagrams.time_bar(slide.shapes, Rect(area.right - bar_w, top + (height - bar_h) // 2,
                                             bar_w, bar_h),
                          [p.minutes for p in parts], parts.index(seg), alt, palette)

    def _context(self, seg: Segment) -> str | None:
        return self.plan.dilemma(seg.dilemma_id).title if seg.dilemma_id else None

    def _bullets(self, seg: Segment) -> list[Para]:
        return [Para(b) for b in seg.bullets]

    def _seg_default(self, seg: Segment) -> None:
        head = [m] if (m := self.method_line(seg)) else []
        paras = self._bullets(seg)
        if not paras:
            paras = [Para(timing_line(self.plan, seg), bullet=False)]
        self.text_slides(seg.title, paras, segment_notes(self.plan, seg), seg=seg, head=head,
                         context=self._context(seg))

    def _seg_opening(self, seg: Segment) -> None:
        self._seg_default(seg)
        self.agenda_slide()

    def _seg_evaluation(self, seg: Segment) -> None:
        head = [m] if (m := self.method_line(seg)) else []
        paras = self._bullets(seg)
        self.text_slides(seg.title, paras, segment_notes(self.plan, seg), seg=seg, head=head)

    def _seg_break(self, seg: Segment) -> None:
        paras = [Para(timing_line(self.plan, seg), bold=True, bullet=False),
                 *[Para(b, bullet=False) for b in seg.bullets]]
        self.text_slides(seg.title, paras, segment_notes(self.plan, seg), seg=seg,
                         role="section")

    def _seg_scenario(self, seg: Segment) -> None:
        paras = [Para(b, bullet=False) for b in seg.bullets]
        self.text_slides(seg.title, paras, segment_notes(self.plan, seg), seg=seg,
                         context=self._context(seg))

    def _seg_reflection(self, seg: Segment) -> None:
        head = [m] if (m := self.method_line(seg)) else []
        paras: list[Para] = []
        for group in seg.question_groups:
            if group.label:
                paras.append(Para(group.label, bold=True, bullet=False, keep_with_next=True))
            paras += [Para(q.text) for q in group.questions]
        if not paras:
            paras = self._bullets(seg)
        self.text_slides(seg.title, paras, segment_notes(self.plan, seg), seg=seg, head=head,
                         context=self._context(seg))

    def _seg_scenario_2040(self, seg: Segment) -> None:
        """The group task, then one slide per 2040 future (its themes as bullets) for the
        group that takes it; the notes carry the future's questions."""
        head = [m] if (m := self.method_line(seg)) else []
        self.text_slides(seg.title, self._bullets(seg), segment_notes(self.plan, seg),
                         seg=seg, head=head)
        for future in self.plan.scenarios_2040:
            paras = [Para(future.summary, bold=True, bullet=False),
                     *[Para(f"{t.theme}: {t.text}") for t in future.themes],
                     Para(self.label("pptx_2040_questions"), bold=True, bullet=False,
                          keep_with_next=True),
                     *[Para(q) for q in future.questions]]
            notes = [Line(future.quadrant, bold=True), *[Line(q) for q in future.questions]]
            self.text_slides(future.title, paras, notes, seg=seg, context=future.quadrant)

    def _seg_position_line(self, seg: Segment) -> None:
        d = self.plan.dilemma(seg.dilemma_id) if seg.dilemma_id else None
        left = d.pole_left if d else (seg.bullets[0] if seg.bullets else "")
        right = d.pole_right if d else (seg.bullets[1] if len(seg.bullets) > 1 else "")
        top = [m] if (m := self.method_line(seg)) else \
            [Para(timing_line(self.plan, seg), bold=True, bullet=False)]
        info = self.tmpl.layout("title_only")
        _, minor = self.fonts(info)
        alt = self.label("pptx_alt_position", left=left, right=right)

        def draw(slide: Slide, rect: Rect) -> None:
            diagrams.position_line(slide.shapes, rect, left, right, alt, minor,
                                   self.palette(info))

        self.drawing_slide(seg.title, segment_notes(self.plan, seg), draw, seg=seg,
                           context=self._context(seg), top=top)

    def _seg_maturity(self, seg: Segment) -> None:
        plan = self.plan
        info = self.tmpl.layout("title_only")
        _, minor = self.fonts(info)
        current = next((s for s in plan.ladder if s.current), None)
        alt = self.label("pptx_alt_ladder",
                     steps="; ".join(f"{s.trinn}: {s.name}" for s in plan.ladder),
                     current=current.trinn if current else plan.maturity,
                     name=current.name if current else "")

        def draw(slide: Slide, rect: Rect) -> None:
            diagrams.ladder(slide.shapes, rect, plan.ladder, self.label("pptx_trinn"),
                            self.label("pptx_we_are_here"), alt, minor, self.palette(info))

        notes = segment_notes(plan, seg)
        for s in plan.ladder:
            notes.append(Line(f"{self.label('pptx_trinn')} {s.trinn}: {s.name}", bold=True))
            notes += [Line(s.description, level=1), Line(s.needs, level=1)]
        side = ([*([m] if (m := self.method_line(seg)) else []), *self._bullets(seg)])
        self.drawing_slide(seg.title, notes, draw, side=side, seg=seg, side_share=0.38)

    def _seg_mto(self, seg: Segment) -> None:
        plan = self.plan
        info = self.tmpl.layout("title_only")
        _, minor = self.fonts(info)
        alt = self.label("pptx_alt_mto", corners=", ".join(c.name for c in plan.mto))

        def draw(slide: Slide, rect: Rect) -> None:
            size = min(rect.width, rect.height * 4 // 3)
            square = Rect(rect.left + (rect.width - size) // 2, rect.top, size, rect.height)
            diagrams.triangle(slide.shapes, square, plan.mto, alt, minor, self.palette(info))

        notes = segment_notes(plan, seg)
        notes += [Line(f"{c.name}: {c.description}") for c in plan.mto]
        side = self._bullets(seg) or [Para(f"{c.name}: {c.description}") for c in plan.mto]
        head = [m] if (m := self.method_line(seg)) else []
        self.drawing_slide(seg.title, notes, draw, side=[*head, *side], seg=seg)

    def _seg_scenario_cross(self, seg: Segment) -> None:
        info = self.tmpl.layout("title_only")
        _, minor = self.fonts(info)
        labels = [self.label(k) for k in ("pptx_cross_x_low", "pptx_cross_x_high",
                                      "pptx_cross_y_low", "pptx_cross_y_high")]
        alt = self.label("pptx_alt_cross", x_low=labels[0], x_high=labels[1], y_low=labels[2],
                     y_high=labels[3])

        def draw(slide: Slide, rect: Rect) -> None:
            diagrams.scenario_cross(slide.shapes, rect, *labels, alt, minor,
                                    self.palette(info))

        head = [m] if (m := self.method_line(seg)) else []
        self.drawing_slide(seg.title, segment_notes(self.plan, seg), draw,
                           side=[*head, *self._bullets(seg)], seg=seg)

    def _seg_status(self, seg: Segment) -> None:
        facts = []
        for fid in seg.fact_ids:
            try:
                facts.append(self.plan.fact(fid))
            except KeyError:
                continue
        charted = [f for f in facts if f.chart is not None]
        plain = [Para(f"{f.statement} ({f.source})") for f in facts if f.chart is None]
        notes = segment_notes(self.plan, seg)
        paras = [*self._bullets(seg), *plain]
        head = [m] if (m := self.method_line(seg)) else []
        if paras or not charted:
            self.text_slides(seg.title, paras or [Para(timing_line(self.plan, seg))], notes,
                             seg=seg, head=head)
            notes = []
        for fact in charted:
            self.chart_slide(fact, [*notes, *fact_notes(self.plan, fact)], seg)
            notes = []

    def chart_slide(self, fact: PlannedFact, notes: Sequence[Line], seg: Segment) -> None:
        chart = fact.chart
        assert chart is not None
        slide, info = self.new_slide("title_only", chart.series_name or seg.title)
        _, minor = self.fonts(info)
        area = self.content_area()
        chart_top = area.top
        # The statement above the chart, in a box only as tall as its text; when it would
        # take more than a quarter of the room it stays in the notes only.
        statement = [Para(fact.statement, bullet=False)]
        box = textbox_box(area.width, area.height // 4, minor)
        size = textfit.fit_size(statement, box, 20.0)
        if size is not None:
            needed = textfit.text_height(statement, box, size) / box.safety
            height = int(needed * textfit.EMU_PER_PT) + 2 * 45720 + 45720
            self.textbox(slide, Rect(area.left, area.top, area.width, height), statement,
                         minor, size, self.readable(info, "drawing area"))
            chart_top = area.top + height
        source_h = int(textfit.line_height(BODY_MIN_PT, minor) / 0.9 * textfit.EMU_PER_PT) \
            + 2 * 45720
        chart_rect = Rect(area.left, chart_top, area.width, area.bottom - chart_top - source_h)
        charts.add_chart(slide, chart, chart_rect, self.stamp, self.palette(info).strong)
        self.textbox(slide, Rect(area.left, area.bottom - source_h, area.width, source_h),
                     [Para(f"{self.label('pptx_source')}: {fact.source}", bullet=False)], minor,
                     BODY_MIN_PT, self.readable(info, "drawing area"))
        write_notes(slide, notes)

    def _seg_recommendations(self, seg: Segment) -> None:
        plan = self.plan
        recs = [r for r in plan.recommendations if r.shown]
        paras = self._bullets(seg)
        for r in recs:
            paras += [Para(f"{r.number}. {r.title}", bold=True, bullet=False,
                           keep_with_next=True),
                      Para(r.text, level=1)]
        head = [m] if (m := self.method_line(seg)) else []
        self.text_slides(seg.title, paras, segment_notes(plan, seg), seg=seg, head=head)
        self.text_slides(self.label("pptx_next_steps"), [Para(plan.audience.follow_up)],
                         [Line(self.label("pptx_next_steps_notes"), bold=True),
                          Line(plan.audience.follow_up)], seg=seg)

    RENDERERS: ClassVar[dict[str, Callable[[DeckBuilder, Segment], None]]] = {
        "opening": _seg_opening,
        "evaluation": _seg_evaluation,
        "break": _seg_break,
        "scenario": _seg_scenario,
        "reflection": _seg_reflection,
        "scenario_2040": _seg_scenario_2040,
        "position_line": _seg_position_line,
        "maturity": _seg_maturity,
        "mto": _seg_mto,
        "scenario_cross": _seg_scenario_cross,
        "status": _seg_status,
        "recommendations": _seg_recommendations,
    }
    """The slides of each kind of segment; a kind not listed gets :meth:`_seg_default`."""

    def sources_slide(self) -> None:
        plan = self.plan
        notes = [Line(self.label("pptx_cue_sources"), bold=True),
                 Line(self.label("pptx_cue_sources_do")),
                 Line(self.label("pptx_glossary"), bold=True)]
        notes += [Line(f"{g.term}: {g.definition}", level=1) for g in plan.glossary]
        self.text_slides(self.label("pptx_sources"), [Para(s) for s in plan.sources] or
                         [Para(self.label("pptx_sources"))], notes)

    def build(self) -> None:
        """Add every slide of the deck."""
        self.title_slide()
        for seg in self.plan.segments:
            self.segment(seg)
        self.sources_slide()
