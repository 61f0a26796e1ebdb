"""The facilitation deck, read back with python-pptx as a facilitator's PowerPoint would."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from etikkverksted.planning import WorkshopPlan
from etikkverksted.writers.pptx import render_pptx, render_pptx_bytes

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"


@pytest.fixture(scope="module")
def nn_plan(make_plan: Callable[..., WorkshopPlan]) -> WorkshopPlan:
    return make_plan(audience="parties", maturity=2, language="nn", duration=180)


@pytest.fixture(scope="module")
def nb_plan(make_plan: Callable[..., WorkshopPlan]) -> WorkshopPlan:
    return make_plan(audience="leaders", maturity=3, language="nb", duration=90)


@pytest.fixture(scope="module")
def nn_deck(nn_plan: WorkshopPlan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_pptx(nn_plan, tmp_path_factory.mktemp("deck") / "deck.pptx")


@pytest.fixture(scope="module")
def nb_deck(nb_plan: WorkshopPlan, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_pptx(nb_plan, tmp_path_factory.mktemp("deck") / "deck.pptx")


def _titles(path: Path) -> list[str]:
    return [s.shapes.title.text_frame.text for s in Presentation(str(path)).slides]


def test_every_slide_has_a_title_unique_in_the_deck(nn_deck: Path, nb_deck: Path) -> None:
    for deck in (nn_deck, nb_deck):
        titles = _titles(deck)
        assert all(t.strip() for t in titles)
        assert len(titles) == len(set(titles)), [t for t in titles if titles.count(t) > 1]


def test_title_is_first_in_reading_order(nn_deck: Path) -> None:
    for slide in Presentation(str(nn_deck)).slides:
        first = next(iter(slide.shapes))
        assert first.shape_id == slide.shapes.title.shape_id


def test_title_slide_names_agency_audience_and_date(nn_deck: Path, nn_plan: WorkshopPlan
                                                    ) -> None:
    slide = Presentation(str(nn_deck)).slides[0]
    text = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert nn_plan.title in text
    assert nn_plan.agency in text
    assert nn_plan.subtitle in text


def test_slides_follow_the_segments_in_order(nn_deck: Path, nn_plan: WorkshopPlan) -> None:
    titles = _titles(nn_deck)
    positions = []
    for seg in nn_plan.segments:
        hits = [i for i, t in enumerate(titles) if t.startswith(seg.title)]
        assert hits, f"no slide for segment {seg.id} ({seg.title!r})"
        positions.append(hits[0])
    assert positions == sorted(positions)


def test_agenda_shows_clock_times(nn_deck: Path, nn_plan: WorkshopPlan) -> None:
    prs = Presentation(str(nn_deck))
    agenda = [s for s in prs.slides
              if s.shapes.title.text_frame.text.startswith(nn_plan.label("pptx_agenda"))]
    text = "\n".join(sh.text_frame.text for s in agenda for sh in s.shapes if sh.has_text_frame)
    assert f"{nn_plan.segments[0].start:%H:%M}" in text
    assert f"{nn_plan.segments[-1].end:%H:%M}" in text


def test_every_slide_has_speaker_notes(nn_deck: Path, nb_deck: Path) -> None:
    for deck in (nn_deck, nb_deck):
        for slide in Presentation(str(deck)).slides:
            assert slide.has_notes_slide
            assert slide.notes_slide.notes_text_frame.text.strip()


def test_reflection_slides_show_method_time_box_and_questions(nn_deck: Path,
                                                              nn_plan: WorkshopPlan) -> None:
    prs = Presentation(str(nn_deck))
    by_title = {s.shapes.title.text_frame.text: s for s in prs.slides}
    for seg in (s for s in nn_plan.segments if s.kind == "reflection"):
        slide = next(v for k, v in by_title.items() if k.startswith(seg.title))
        text = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
        assert seg.method is not None and seg.method.name in text
        assert f"{seg.start:%H:%M}–{seg.end:%H:%M}" in text
        first_question = seg.question_groups[0].questions[0]
        assert first_question.text[:40] in text
        notes = slide.notes_slide.notes_text_frame.text
        assert seg.method.steps[0] in notes
        for q in (q for g in seg.question_groups for q in g.questions):
            for probe in q.probes:
                assert probe in notes


def test_position_line_notes_hold_typical_positions(nn_deck: Path, nn_plan: WorkshopPlan
                                                    ) -> None:
    prs = Presentation(str(nn_deck))
    seg = next(s for s in nn_plan.segments if s.kind == "position_line")
    dilemma = nn_plan.dilemma(seg.dilemma_id)
    slide = next(s for s in prs.slides
                 if s.shapes.title.text_frame.text.startswith(seg.title))
    notes = slide.notes_slide.notes_text_frame.text
    for position in dilemma.typical_positions:
        assert position in notes
    group = next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP)
    texts = [sh.text_frame.text for sh in group.shapes if sh.has_text_frame]
    assert dilemma.pole_left in texts and dilemma.pole_right in texts


def test_facts_are_native_charts_with_the_plans_numbers(nn_deck: Path, nn_plan: WorkshopPlan
                                                        ) -> None:
    prs = Presentation(str(nn_deck))
    charts = [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    expected = [nn_plan.fact(f).chart for seg in nn_plan.segments for f in seg.fact_ids
                if seg.kind == "status" and nn_plan.fact(f).chart is not None]
    assert charts and len(charts) == len(expected)
    for frame, data in zip(charts, expected, strict=True):
        plot = frame.chart.plots[0]
        assert list(plot.categories) == data.categories
        assert list(plot.series[0].values) == data.values
        descr = frame._element.find(f".//{{{P}}}cNvPr").get("descr")
        assert descr == data.alt_text
        # The workbook with the numbers travels inside the deck.
        assert frame.chart.part.chart_workbook.xlsx_part is not None


def test_every_drawing_and_chart_has_alt_text(nn_deck: Path) -> None:
    for slide in Presentation(str(nn_deck)).slides:
        for shape in slide.shapes:
            if shape.shape_type in (MSO_SHAPE_TYPE.GROUP, MSO_SHAPE_TYPE.PICTURE) \
                    or shape.has_chart:
                descr = shape._element.find(f".//{{{P}}}cNvPr").get("descr")
                assert descr and len(descr) > 20, shape.name


def test_no_empty_placeholders_and_no_autofit(nn_deck: Path) -> None:
    for slide in Presentation(str(nn_deck)).slides:
        for ph in slide.placeholders:
            assert ph.has_text_frame and ph.text_frame.text.strip(), ph.name
        for body_pr in slide._element.iter(f"{{{A}}}bodyPr"):
            assert body_pr.find(f"{{{A}}}normAutofit") is None


def test_body_text_is_never_below_18_pt(nn_deck: Path) -> None:
    for slide in Presentation(str(nn_deck)).slides:
        for ph in slide.placeholders:
            for run in (r for p in ph.text_frame.paragraphs for r in p.runs):
                assert run.font.size is not None and run.font.size.pt >= 18


def test_every_run_and_paragraph_end_carries_the_language(nn_deck: Path, nb_deck: Path
                                                         ) -> None:
    for deck, tag in ((nn_deck, "nn-NO"), (nb_deck, "nb-NO")):
        with zipfile.ZipFile(deck) as zf:
            names = [n for n in zf.namelist()
                     if re.match(r"ppt/(slides|notesSlides)/\w+\.xml$", n)]
            assert names
            for name in names:
                root = etree.fromstring(zf.read(name))
                for rpr in root.iter(f"{{{A}}}rPr"):
                    assert rpr.get("lang") == tag, name
                for p in root.iter(f"{{{A}}}p"):
                    end = p.find(f"{{{A}}}endParaRPr")
                    assert end is not None and end.get("lang") == tag, name


def test_core_properties(nn_deck: Path, nn_plan: WorkshopPlan) -> None:
    cp = Presentation(str(nn_deck)).core_properties
    assert cp.title == nn_plan.title
    assert cp.subject == nn_plan.subtitle
    assert cp.author == nn_plan.facilitator
    assert cp.language == "nn-NO"
    assert cp.revision == 1
    assert cp.created == cp.modified == cp.last_printed
    assert cp.created.date() == nn_plan.date


def test_same_plan_gives_byte_identical_deck(nb_plan: WorkshopPlan) -> None:
    assert render_pptx_bytes(nb_plan) == render_pptx_bytes(nb_plan)


def test_embedded_workbooks_carry_the_plan_date(nn_deck: Path, nn_plan: WorkshopPlan) -> None:
    with zipfile.ZipFile(nn_deck) as zf:
        books = [n for n in zf.namelist() if n.endswith(".xlsx")]
        assert books
        for name in books:
            inner = zipfile.ZipFile(io.BytesIO(zf.read(name)))
            core = inner.read("docProps/core.xml").decode()
            assert f"{nn_plan.date:%Y-%m-%d}T" in core


def test_package_has_no_orphans_and_registered_notes_master(nn_deck: Path) -> None:
    with zipfile.ZipFile(nn_deck) as zf:
        names = set(zf.namelist())
        pres = zf.read("ppt/presentation.xml").decode()
        slides = [n for n in names if re.match(r"ppt/slides/slide\d+\.xml$", n)]
        assert len(slides) == pres.count("<p:sldId ")
        assert "<p:notesMasterIdLst>" in pres
        for slide in slides:
            root = etree.fromstring(zf.read(slide))
            ids = [e.get("id") for e in root.iter(f"{{{P}}}cNvPr")]
            assert len(ids) == len(set(ids)), f"duplicate shape ids in {slide}"


def test_deck_passes_openxml_audit(nn_deck: Path, nb_deck: Path) -> None:
    from openxml_audit import validate_pptx

    for deck in (nn_deck, nb_deck):
        result = validate_pptx(str(deck))
        assert result.is_valid, [str(e) for e in result.errors[:10]]


def test_nynorsk_deck_has_no_bokmal_labels(nn_deck: Path, nn_plan: WorkshopPlan) -> None:
    text = "\n".join(sh.text_frame.text for s in Presentation(str(nn_deck)).slides
                     for sh in s.shapes if sh.has_text_frame)
    assert nn_plan.label("pptx_method") in text
    for word in (" ikke ", " hva ", " hvordan ", "Kilde:"):
        assert word not in text


def test_quality_gate_finds_nothing(nn_deck: Path, nb_deck: Path) -> None:
    from etikkverksted.quality import check_file, format_findings

    for deck in (nn_deck, nb_deck):
        findings = check_file(deck)
        assert not findings, format_findings(findings)


def test_masters_and_layouts_carry_no_english_prompts(make_plan, tmp_path) -> None:
    import re
    import zipfile

    from etikkverksted.writers.pptx import render_pptx

    plan = make_plan("parties", 3, "nn", 90)
    path = render_pptx(plan, tmp_path / "deck.pptx")
    with zipfile.ZipFile(path) as zf:
        texts = {t for name in zf.namelist()
                 if name.endswith(".xml") and ("Master" in name or "Layout" in name)
                 for t in re.findall(r"<a:t>([^<]*)</a:t>", zf.read(name).decode())}
    assert plan.label("pptx_prompt_title") in texts
    assert not [t for t in texts if re.search(r"\b(Click|level|Master)\b", t)], texts
    assert not [t for t in texts if re.fullmatch(r"\d+/\d+/\d+", t)], texts


@pytest.mark.parametrize("audience,language,minutes", [("employees", "nn", 90),
                                                       ("parties", "nb", 180)])
def test_the_first_two_lines_of_every_slides_notes_say_what_to_do_now(
        make_plan: Callable[..., WorkshopPlan], audience: str, language: str,
        minutes: int) -> None:
    """Presenter view at a glance: two short lines first, the detail after them."""
    plan = make_plan(audience=audience, language=language, duration=minutes)
    slides = list(Presentation(io.BytesIO(render_pptx_bytes(plan))).slides)
    firsts = {}
    for slide in slides:
        lines = [p.text for p in slide.notes_slide.notes_text_frame.paragraphs]
        title = slide.shapes.title.text_frame.text
        assert len(lines) >= 2 and all(lines[:2]), title
        assert all(len(line) <= 200 for line in lines[:2]), (title, lines[:2])
        assert slide.notes_slide.notes_text_frame.paragraphs[0].runs[0].font.bold, title
        firsts[title] = lines[:2]
    for seg in plan.segments:
        assert len(seg.cue) == 2, seg.id
        assert firsts[seg.title] == seg.cue or seg.kind == "status", seg.id
        if seg.method is not None:
            assert seg.method.name in seg.cue[1] and f"{seg.end:%H:%M}" in seg.cue[1]


def test_dilemma_slides_show_progress_time_bar_and_method_symbol(
        make_plan: Callable[..., WorkshopPlan]) -> None:
    """The room sees where it is: 'Dilemma 2 av 3', the time boxes as a bar with this one
    filled, and the method as a small symbol with alt text."""
    plan = make_plan(audience="employees", language="nn", duration=120)
    total = len(plan.dilemmas)
    slides = list(Presentation(io.BytesIO(render_pptx_bytes(plan))).slides)
    by_title = {s.shapes.title.text_frame.text: s for s in slides}
    seen_symbols = set()
    for seg in plan.segments:
        slide = by_title[seg.title]
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        groups = {sh.name: sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.GROUP}
        if seg.method is not None and f"pptx_alt_method_{seg.method.id}" in plan.labels:
            symbol = groups[f"Method symbol: {seg.method.id}"]
            descr = symbol._element.nvGrpSpPr.cNvPr.get("descr")
            assert descr == plan.labels[f"pptx_alt_method_{seg.method.id}"]
            seen_symbols.add(seg.method.id)
        if seg.dilemma_id is None:
            assert seg.progress is None and "Time bar" not in groups
            continue
        d = plan.dilemma(seg.dilemma_id)
        assert seg.progress == f"Dilemma {d.number} av {total}"
        assert seg.progress in texts
        bar = groups["Time bar"]
        parts = [s for s in plan.segments if s.dilemma_id == seg.dilemma_id]
        boxes = sorted(bar.shapes, key=lambda b: b.left)
        assert len(boxes) == len(parts)
        filled = [i for i, b in enumerate(boxes) if b.fill.type == 1]  # MSO_FILL.SOLID
        assert filled == [parts.index(seg)]
        assert f"{seg.start:%H:%M}" in bar._element.nvGrpSpPr.cNvPr.get("descr")
    assert {"position-line", "dot-voting"} <= seen_symbols
    assert seen_symbols & {"pairs", "1-2-4-all", "individual-reflection"}


def test_shape_positions_read_directly_equal_python_pptx(
        make_plan: Callable[..., WorkshopPlan]) -> None:
    """The builder's quick (top, height) and (left, top) give what python-pptx's properties
    give, on every shape of a deck and on placeholders that inherit their position."""
    from etikkverksted.writers.pptx.slides import _left_and_top, _top_and_height

    prs = Presentation(io.BytesIO(render_pptx_bytes(make_plan(duration=120))))
    fresh = Presentation()
    for layout in fresh.slide_layouts:
        fresh.slides.add_slide(layout)  # placeholders without a position of their own
    shapes = [sh for p in (prs, fresh) for slide in p.slides for sh in slide.shapes]
    groups = [sh for sh in shapes if sh.shape_type == MSO_SHAPE_TYPE.GROUP]
    shapes += [member for group in groups for member in group.shapes]
    assert len(shapes) > 100 and groups
    for shape in shapes:
        assert _top_and_height(shape) == (shape.top, shape.height)
        if shape.left is not None and shape.top is not None:
            assert _left_and_top(shape) == (int(shape.left), int(shape.top))
