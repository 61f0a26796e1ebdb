"""Marking every piece of text in the deck with its language (nb-NO or nn-NO).

Screen readers pick their voice, and PowerPoint its spelling dictionary, from ``lang`` on each
run. python-pptx sets nothing by default, and text typed later into a paragraph takes its
language from ``endParaRPr``, so both get it: on slides, speaker notes and chart titles.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lxml import etree

if TYPE_CHECKING:
    from pptx.presentation import Presentation

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_RUN_PROPS = (f"{{{A}}}r", f"{{{A}}}fld", f"{{{A}}}br")
# Children of a:rPr that must come after nothing in particular; rPr is always first in a run.


def tag_element(root: etree._Element, lang: str) -> None:
    """Set ``lang`` on every run, field and break under *root*, and add ``endParaRPr``."""
    for run in root.iter(*_RUN_PROPS):
        rpr = run.find(f"{{{A}}}rPr")
        if rpr is None:
            rpr = etree.Element(f"{{{A}}}rPr")
            run.insert(0, rpr)
        rpr.set("lang", lang)
    for para in root.iter(f"{{{A}}}p"):
        end = para.find(f"{{{A}}}endParaRPr")
        if end is None:
            end = etree.SubElement(para, f"{{{A}}}endParaRPr")
        end.set("lang", lang)
        # The last run's size on the paragraph end keeps the empty line after it the same
        # height when someone presses Enter.
        runs = para.findall(f"{{{A}}}r")
        if runs and end.get("sz") is None:
            size = runs[-1].find(f"{{{A}}}rPr").get("sz")
            if size:
                end.set("sz", size)


def tag_presentation(prs: Presentation, lang: str) -> None:
    """Tag slides, their notes and their charts with *lang*."""
    for slide in prs.slides:
        tag_element(slide.element, lang)
        if slide.has_notes_slide:
            tag_element(slide.notes_slide.element, lang)
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False) and shape.has_chart:
                tag_element(shape.chart.element, lang)


_PROMPTS = {
    # Office's own English prompt texts in masters and layouts -> our label keys. A user who
    # adds a slide to a Norwegian deck should not meet "Click to edit Master title style".
    "Click to edit Master title style": "pptx_prompt_title",
    "Click to edit Master subtitle style": "pptx_prompt_subtitle",
    "Click to edit Master text styles": "pptx_prompt_text",
    "Second level": "pptx_prompt_level2",
    "Third level": "pptx_prompt_level3",
    "Fourth level": "pptx_prompt_level4",
    "Fifth level": "pptx_prompt_level5",
}
_DATE_FIELD = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}$")


def localize_prompts(prs: Presentation, labels: dict[str, str], lang: str,
                     date_text: str) -> None:
    """Replace English prompt texts in masters, layouts and the notes master with *labels*,
    and the cached text of US-style date fields with *date_text*; tag them with *lang*."""
    parts = [m.element for m in prs.slide_masters]
    parts += [layout.element for m in prs.slide_masters for layout in m.slide_layouts]
    notes_master = prs.notes_master  # python-pptx creates one when missing
    parts.append(notes_master.element)
    for root in parts:
        changed = False
        for t in root.iter(f"{{{A}}}t"):
            key = _PROMPTS.get(t.text or "")
            if key and key in labels:
                t.text = labels[key]
                changed = True
            elif t.text and _DATE_FIELD.match(t.text):
                t.text = date_text
                changed = True
        if changed:
            tag_element(root, lang)
