"""The facilitator guide opens with one page at a glance; the disclosure protocol is in the
guide (first page and in full) and in the notes where it matters, in both written standards.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from etikkverksted.planning import WorkshopPlan
from etikkverksted.writers.docx import render_docx
from etikkverksted.writers.pptx import render_pptx_bytes

_NO_RENDERER = shutil.which("soffice") is None or shutil.which("pdftotext") is None


def _pdf_pages(docx: Path) -> list[str]:
    folder = docx.parent
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo",
                    "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                   check=True, capture_output=True, timeout=300)
    text = subprocess.run(["pdftotext", "-layout", str(docx.with_suffix(".pdf")), "-"],
                          capture_output=True, text=True, check=True).stdout
    return text.split("\f")


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.render
@pytest.mark.skipif(_NO_RENDERER, reason="needs LibreOffice (soffice) and poppler (pdftotext)")
@pytest.mark.parametrize("spec", [("leaders", 2, "nb", 90, "in_person"),
                                  ("parties", 3, "nn", 240, "digital")],
                         ids=["leaders-90", "parties-240-digital"])
def test_leaders_90_minute_guide_opens_with_a_one_page_summary(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path,
        spec: tuple[str, int, str, int, str]) -> None:
    audience, trinn, language, minutes, form = spec
    plan = make_plan(audience=audience, maturity=trinn, language=language, duration=minutes,
                     format=form)
    pages = _pdf_pages(render_docx(plan, "facilitator", tmp_path / "guide.docx"))
    first, second = _squash(pages[0]), _squash(pages[1])
    assert plan.labels["docx_glance"] in first
    # The run sheet: every agenda line with its clock time, on page 1.
    for item in plan.agenda:
        assert f"{item.start:%H:%M}–{item.end:%H:%M}" in first, item
        assert _squash(item.title)[:25] in first, item.title
    assert plan.labels["docx_glance_materials"] in first
    assert all(_squash(w)[:40] in first for w in plan.watch_for)
    assert plan.disclosure is not None and plan.disclosure.title in first
    assert "72" in first
    assert _squash(plan.disclosure.cases[-1].tell)[-30:] in first  # the whole protocol
    # The reference follows on the next page.
    assert plan.labels["docx_purpose"] in second and plan.labels["docx_glance"] not in second


@pytest.mark.render
@pytest.mark.skipif(_NO_RENDERER, reason="needs LibreOffice (soffice) and poppler (pdftotext)")
def test_a_45_minute_guide_is_shorter_than_a_240_minute_one(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> None:
    short = _pdf_pages(render_docx(make_plan(duration=45), "facilitator", tmp_path / "s.docx"))
    long = _pdf_pages(render_docx(make_plan(duration=240), "facilitator", tmp_path / "l.docx"))
    assert len(short) < len(long)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_disclosure_protocol_is_in_the_guide_in_full(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path, language: str) -> None:
    plan = make_plan(audience="employees", language=language)
    protocol = plan.disclosure
    assert protocol is not None
    doc = Document(str(render_docx(plan, "facilitator", tmp_path / "g.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert protocol.title in headings
    assert [c.title for c in protocol.cases] == [h for h in headings
                                                 if h in {c.title for c in protocol.cases}]
    for step in protocol.steps + [s for c in protocol.cases for s in c.steps]:
        assert step in text
    assert "72" in text and "art. 33" in text
    assert protocol.notice in text


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_the_disclosure_note_is_in_the_notes_where_it_matters(
        make_plan: Callable[..., WorkshopPlan], language: str) -> None:
    plan = make_plan(audience="leaders", maturity=3, language=language, duration=180)
    assert plan.disclosure is not None
    summary = plan.disclosure.summary
    rules = next(s for s in plan.segments if s.kind == "ground_rules")
    assert any(summary in n for n in rules.notes)
    slides = list(Presentation(io.BytesIO(render_pptx_bytes(plan))).slides)
    notes = {s.shapes.title.text_frame.text: s.notes_slide.notes_text_frame.text
             for s in slides}
    assert summary in notes[rules.title]
    for d in plan.dilemmas:
        scenario = next(s for s in plan.segments
                        if s.dilemma_id == d.id and s.kind == "scenario")
        assert (summary in notes[scenario.title]) == d.touches_personal_data, d.id


def test_pitfalls_and_decision_notes_carry_their_labels_and_titles_appear_once(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> None:
    plan = make_plan(audience="parties", language="nn", duration=120)
    doc = Document(str(render_docx(plan, "facilitator", tmp_path / "g.docx")))
    paragraphs = [p.text for p in doc.paragraphs]
    running = plan.labels["docx_running"]
    start = paragraphs.index(running)
    for d in plan.dilemmas:
        for pitfall in d.pitfalls:
            hits = [p for p in paragraphs if pitfall in p]
            assert hits and all(p.startswith("Fallgruve: ") for p in hits), hits
        decision = [p for p in paragraphs if d.decision_note in p]
        assert decision and all(p.startswith("Kven avgjer: ") for p in decision), decision
        headings = [p.text for p in doc.paragraphs[start:]
                    if p.style.name.startswith("Heading") and d.title in p.text]
        assert len(headings) == 1, headings
