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
_NS = {"a": A}
_RUNS = "descendant-or-self::a:r", "descendant-or-self::a:fld", "descendant-or-self::a:br"
_RUNS_WITHOUT_PROPS = etree.XPath(" | ".join(f"{r}[not(a:rPr)]" for r in _RUNS),
                                  namespaces=_NS)
_RUN_PROPS_OF = etree.XPath(" | ".join(f"{r}/a:rPr[1]" for r in _RUNS), namespaces=_NS)
_PARAS_WITHOUT_END = etree.XPath("descendant-or-self::a:p[not(a:endParaRPr)]",
                                 namespaces=_NS)
_PARA_ENDS = etree.XPath("descendant-or-self::a:p/a:endParaRPr[1]", namespaces=_NS)
_UNSIZED_ENDS = etree.XPath("descendant-or-self::a:p[a:r]/a:endParaRPr[1][not(@sz)]",
                            namespaces=_NS)
_LAST_RUN_SIZE = etree.XPath("string(../a:r[last()]/a:rPr[1]/@sz)", namespaces=_NS)


def tag_element(root: etree._Element, lang: str) -> None:
    """Set ``lang`` on every run, field and break under *root*, and add ``endParaRPr``.

    Each step selects its elements with one compiled XPath (a few hundred runs and
    paragraphs per slide with notes); the same elements and attributes in the same order as
    visiting each run and paragraph in turn (a test compares the two)."""
    for run in _RUNS_WITHOUT_PROPS(root):
        run.insert(0, etree.Element(f"{{{A}}}rPr"))
    for rpr in _RUN_PROPS_OF(root):
        rpr.set("lang", lang)
    for para in _PARAS_WITHOUT_END(root):
        etree.SubElement(para, f"{{{A}}}endParaRPr")
    for end in _PARA_ENDS(root):
        end.set("lang", lang)
    # The last run's size on the paragraph end keeps the empty line after it the same
    # height when someone presses Enter.
    for end in _UNSIZED_ENDS(root):
        size = _LAST_RUN_SIZE(end)
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
