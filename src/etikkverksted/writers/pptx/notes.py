"""Speaker notes: everything a facilitator who has never seen the material needs on one slide.

The notes pane is where the facilitator looks while the room looks at the slide: what to say
and do (``segment.notes``, which already ends with the time box), how to run the method step by
step, follow-up probes per question, typical positions and what to listen for, advice for this
audience, and the sources. All text comes from the plan; the headings come from labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from ...ooxml.pptx_compat import NotesSlideCopier, escape_text
from .fit import clear_text

if TYPE_CHECKING:
    from pptx.slide import Slide

    from ...planning.model import PlannedFact, Segment, WorkshopPlan


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P, _PPR, _R, _RPR, _T, _END = (f"{_A}{tag}" for tag in ("p", "pPr", "r", "rPr", "t",
                                                         "endParaRPr"))


@dataclass(frozen=True)
class Line:
    """One paragraph of speaker notes."""

    text: str
    bold: bool = False
    level: int = 0


def _section(heading: str, items: Sequence[str], numbered: bool = False) -> list[Line]:
    items = [i for i in items if i]
    if not items:
        return []
    lines = [Line(heading, bold=True)]
    for n, item in enumerate(items, 1):
        lines.append(Line(f"{n}. {item}" if numbered else f"– {item}", level=1))
    return lines


def method_lines(plan: WorkshopPlan, segment: Segment) -> list[Line]:
    """How to run the segment's method, step by step, with its materials."""
    m = segment.method
    if m is None:
        return []
    lines = [Line(f"{plan.label('pptx_method')}: {m.name}", bold=True), Line(m.summary)]
    lines += _section(plan.label("pptx_steps"), m.steps, numbered=True)
    lines += _section(plan.label("pptx_materials"), m.materials)
    return lines


def timing_line(plan: WorkshopPlan, segment: Segment) -> str:
    """The segment's clock times and length, e.g. ``09:10–09:25 · 15 min``."""
    return (f"{segment.start:%H:%M}–{segment.end:%H:%M} · {segment.minutes} "
            f"{plan.label('pptx_minutes')}")


def segment_notes(plan: WorkshopPlan, segment: Segment) -> list[Line]:
    """The full notes for the first slide of *segment*: the plan's two cue lines (what to
    say or do now; the method and time box), then the detail."""
    lines = [Line(c, bold=i == 0) for i, c in enumerate(segment.cue)]
    lines.append(Line(f"{plan.label('pptx_timing')}: {timing_line(plan, segment)}"))
    lines += [Line(n) for n in segment.notes]
    lines += method_lines(plan, segment)
    dilemma = plan.dilemma(segment.dilemma_id) if segment.dilemma_id else None
    kind = segment.kind
    if kind == "opening":
        lines += _section(plan.label("pptx_advice"), plan.audience.advice)
    if dilemma is not None and kind == "scenario":
        lines += _section(plan.label("pptx_summary"), [dilemma.summary])
        lines += _section(plan.label("pptx_background"), [dilemma.background])
        lines += _section(plan.label("pptx_facts"),
                          [f"{f.statement} ({f.source})" for f in dilemma.facts])
        lines += _section(plan.label("pptx_why_chosen"), [dilemma.selection_reason])
    if dilemma is not None and kind == "position_line":
        lines += _section(plan.label("pptx_listen_for"), dilemma.listen_for)
    if kind == "reflection":
        for group in segment.question_groups:
            if group.label:
                lines.append(Line(group.label, bold=True))
            for q in group.questions:
                lines.append(Line(q.text, level=1))
                if q.probes:
                    lines.append(Line(plan.label("pptx_probes"), level=1, bold=True))
                    lines += [Line(f"– {p}", level=2) for p in q.probes]
    if dilemma is not None and kind == "dilemma_wrapup":
        lines += _section(plan.label("pptx_decision"), [dilemma.decision])
        recs = [f"{r.number}. {r.title}" for r in plan.recommendations
                if r.number in dilemma.recommendations]
        lines += _section(plan.label("pptx_recommendations"), recs)
    if kind == "recommendations":
        lines += _section(plan.label("pptx_advice_dfd"),
                          [f"{r.number}. {r.advice_dfd}" for r in plan.recommendations
                           if r.linked and r.advice_dfd])
        lines += _section(plan.label("pptx_follow_up"), [plan.audience.follow_up])
    sources = []
    if dilemma is not None:
        sources.append(dilemma.source)
    for fid in segment.fact_ids:
        try:
            sources.append(plan.fact(fid).source)
        except KeyError:
            continue
    lines += _section(plan.label("pptx_sources"), list(dict.fromkeys(sources)))
    return lines


def fact_notes(plan: WorkshopPlan, fact: PlannedFact) -> list[Line]:
    """Notes for a chart slide: what to do and the source first, then the fact in full."""
    lines = [Line(plan.label("pptx_cue_chart"), bold=True),
             Line(f"{plan.label('pptx_source')}: {fact.source}"), Line(fact.statement)]
    if fact.chart is not None:
        lines.append(Line(fact.chart.alt_text))
    return lines


def continuation_notes(plan: WorkshopPlan, segment: Segment | None) -> list[Line]:
    """Short notes for a continuation slide: keep going until the time box ends; that it
    continues the slide before."""
    lines = []
    if segment is not None:
        lines.append(Line(plan.label("pptx_cue_continued").format(end=f"{segment.end:%H:%M}"),
                          bold=True))
    lines.append(Line(plan.label("pptx_notes_continued"), bold=segment is None))
    if segment is not None:
        lines.append(Line(f"{plan.label('pptx_timing')}: {timing_line(plan, segment)}"))
    else:
        lines.append(Line(plan.label("pptx_cue_move_on")))
    return lines


_copier: ContextVar[NotesSlideCopier | None] = ContextVar("notes_copier", default=None)
"""The notes-slide copier of the deck being built in this thread (or task). One slot, not a map
by package: a batch worker must not keep every earlier deck alive (the copier refers to its
package); and per context, so renders in two threads of one server never share one."""


def forget_notes() -> None:
    """Drop the copier of the previous deck (called when a deck starts and when it ends)."""
    _copier.set(None)


def write_notes(slide: Slide, lines: Sequence[Line]) -> None:
    """Write *lines* into the slide's notes placeholder (creating the notes slide)."""
    package = slide.part.package
    copier = _copier.get()
    if copier is None or copier.package is not package:
        copier = NotesSlideCopier(package)
        _copier.set(copier)
    body = copier.notes_body(slide)
    if body is None:  # a notes master without a body placeholder
        return
    # The same elements python-pptx's clear / add_paragraph / level / add_run / text / bold
    # make, made directly: a deck has 500-odd notes paragraphs, and the proxies cost 0.1 ms
    # each.
    first = clear_text(body)
    for i, line in enumerate(lines):
        if i == 0 and first is not None:
            p = first
            ppr = p.find(_PPR)
            if ppr is None:
                ppr = etree.Element(_PPR)
                p.insert(0, ppr)
        else:
            p = etree.SubElement(body, _P)
            ppr = etree.SubElement(p, _PPR)
        level = min(line.level, 4)
        if level:
            ppr.set("lvl", str(level))
        elif "lvl" in ppr.attrib:
            del ppr.attrib["lvl"]
        run = etree.Element(_R)
        end = p.find(_END)
        if end is None:
            p.append(run)
        else:
            end.addprevious(run)
        if line.bold:
            etree.SubElement(run, _RPR).set("b", "1")
        etree.SubElement(run, _T).text = escape_text(line.text)
