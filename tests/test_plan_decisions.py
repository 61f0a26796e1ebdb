"""Content decisions live in the plan, and every writer renders the same decision.

The facilitator guide's checklist, set-up, materials, roles and follow-up (with its date),
which recommendations are shown, the questions on a dilemma's card and the participants'
agenda are chosen once, in planning; the deck and the handouts only lay them out.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation

from etikkverksted.content import Library
from etikkverksted.planning import WorkshopPlan
from etikkverksted.writers.docx import render_docx
from etikkverksted.writers.pptx import render_pptx_bytes


def _docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _slides(plan: WorkshopPlan) -> list:
    return list(Presentation(io.BytesIO(render_pptx_bytes(plan))).slides)


def _slide_text(slide: object) -> list[str]:
    return [p.text for s in slide.shapes if s.has_text_frame  # type: ignore[attr-defined]
            for p in s.text_frame.paragraphs if p.text]


def test_preparation_is_chosen_by_audience_and_format_in_the_plan(
        make_plan: Callable[..., WorkshopPlan]) -> None:
    room = make_plan(audience="leaders")
    online = make_plan(audience="leaders", format="digital")
    parties = make_plan(audience="parties")
    labels = room.labels
    assert labels["docx_check_room"] in room.preparation.checklist
    assert labels["docx_check_room"] not in online.preparation.checklist
    assert labels["docx_check_digital"] in online.preparation.checklist
    assert labels["docx_check_parties"] in parties.preparation.checklist
    assert labels["docx_check_parties"] not in room.preparation.checklist
    assert labels["docx_mat_tape"] in room.preparation.materials
    assert labels["docx_mat_tape"] not in online.preparation.materials
    assert room.preparation.setup_title == labels["docx_setup_room"]
    assert online.preparation.setup_title == labels["docx_setup_digital"]
    assert room.preparation.roles[0].person == "Kari Nordmann"
    method_materials = {m for s in room.segments if s.method for m in s.method.materials}
    assert method_materials <= set(room.preparation.materials)


def test_follow_up_date_is_computed_in_the_plan_and_printed_by_the_guide(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> None:
    plan = make_plan(audience="employees", language="nn")
    assert plan.follow_up_date == plan.date + dt.timedelta(weeks=plan.follow_up.weeks)
    assert plan.follow_up_date.weekday() == plan.date.weekday()
    text = _docx_text(render_docx(plan, "facilitator", tmp_path / "g.docx"))
    assert plan.follow_up_date.strftime("%d.%m.%Y") in plan.follow_up.meeting
    assert plan.follow_up.meeting in text
    assert all(item in text for item in plan.follow_up.agenda + plan.follow_up.routes)


def test_shown_recommendations_are_decided_once_and_both_writers_show_the_same(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> None:
    plan = make_plan(audience="leaders", maturity=2, duration=90)
    shown = [r for r in plan.recommendations if r.shown]
    assert shown and all(r.linked for r in shown) == any(r.linked for r in plan.recommendations)
    deck_titles = set()
    rec_title = plan.segments[[s.kind for s in plan.segments].index("recommendations")].title
    for slide in _slides(plan):
        if slide.shapes.title.text_frame.text.startswith(rec_title):
            deck_titles |= {t for t in _slide_text(slide)}
    guide = _docx_text(render_docx(plan, "facilitator", tmp_path / "g.docx"))
    for r in plan.recommendations:
        on_slide = f"{r.number}. {r.title}" in deck_titles
        assert on_slide == r.shown, r.number
        item = plan.labels["docx_recommendation_item"].format(number=r.number, title=r.title,
                                                               text=r.text)
        assert (item in guide) == (r.shown or r.linked), r.number


def test_when_no_chosen_dilemma_links_a_recommendation_all_are_shown(
        library: Library, make_plan: Callable[..., WorkshopPlan]) -> None:
    plan = make_plan(audience="parties", maturity=1, language="nb", duration=60)
    if any(r.linked for r in plan.recommendations):
        assert [r.shown for r in plan.recommendations] == [r.linked for r in plan.recommendations]
    else:  # pragma: no cover - depends on the library
        assert all(r.shown for r in plan.recommendations)


def test_the_agenda_is_one_list_that_deck_and_participant_sheet_both_print(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> None:
    plan = make_plan(audience="parties", language="nn", duration=120)
    dilemma_items = [a for a in plan.agenda if a.dilemma_id]
    assert len(dilemma_items) == len(plan.dilemmas)
    assert sum(1 for a in plan.agenda if not a.dilemma_id) == sum(
        1 for s in plan.segments if not s.dilemma_id)
    lines = [f"{a.start:%H:%M}–{a.end:%H:%M}  {a.title}" for a in plan.agenda]
    agenda_label = plan.labels["pptx_agenda"]
    deck = [t for s in _slides(plan) if s.shapes.title.text_frame.text.startswith(agenda_label)
            for t in _slide_text(s) if t != s.shapes.title.text_frame.text]
    assert deck == lines
    doc = Document(str(render_docx(plan, "participant", tmp_path / "p.docx")))
    table = next(t for t in doc.tables
                 if t.rows[0].cells[0].text == plan.labels["docx_col_time"])
    rows = [(r.cells[0].text, r.cells[1].text) for r in table.rows[1:]]
    assert rows == [(f"{a.start:%H:%M}\u2013{a.end:%H:%M}", a.title) for a in plan.agenda]


def test_card_questions_are_the_plans_choice_and_the_cards_print_them(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> None:
    plan = make_plan(audience="employees", duration=120)
    text = _docx_text(render_docx(plan, "cards", tmp_path / "c.docx"))
    for d in plan.dilemmas:
        ids = [q.id for q in d.questions]
        assert 0 < len(d.card_questions) <= 3
        assert set(d.card_questions) <= set(ids)
        assert d.card_questions == sorted(d.card_questions, key=ids.index)
        roles = {q.role for q in d.card_question_list()}
        assert roles == {q.role for q in d.questions} or len(d.card_questions) == 3
        for q in d.card_question_list():
            assert q.text in text
        unused = [q for q in d.questions if q.id not in d.card_questions]
        assert not any(q.text in text for q in unused)


@pytest.mark.parametrize("language,name", [("nb", "Virksomheten"), ("nn", "Verksemda")])
def test_assess_names_an_unnamed_agency_from_the_library(library: Library, language: str,
                                                          name: str) -> None:
    assert library.label("plan_default_agency", language) == name  # type: ignore[arg-type]
    import inspect

    from etikkverksted import cli
    assert "Virksomheten" not in inspect.getsource(cli)


def test_which_words_count_as_a_glossary_term_is_content_not_code(
        library: Library, make_plan: Callable[..., WorkshopPlan]) -> None:
    """The planner holds no Norwegian inflection: glossary_matches in the library says which
    word beginnings and whole words count as a use of each term."""
    import inspect

    from etikkverksted.planning import planner

    source = inspect.getsource(planner)
    assert "til dømes" not in source and "for eksempel" not in source
    assert set(library.glossary_matches) <= set(library.glossary)
    plan = make_plan(audience="parties", language="nn", duration=120)
    terms = {g.term for g in plan.glossary}
    tillitsvald = library.glossary["tillitsvalgt"].term.nn
    assert tillitsvald in terms  # 'tillitsvalde' in the text counts through 'tillitsva'
    # 'ki' is a whole word: 'kilde' or 'kinesisk' would not count, 'KI' does.
    assert library.glossary_matches["ki"].words["nn"][0] == "ki"


def test_participant_sheet_glosses_the_terms_it_prints(
        library: Library, make_plan: Callable[..., WorkshopPlan]) -> None:
    """The sheet prints scenarios, poles and the round's questions, not the background,
    decision notes or probes the deck uses; its glossary explains the words it prints and no
    others, which is what keeps a four-hour parties sheet within six pages."""
    import re

    plan = make_plan(audience="parties", language="nn", duration=240)
    printed = " ".join(
        [*(a.title for a in plan.agenda), *(f.statement for f in plan.sheet_facts()),
         *(r.short for r in plan.further_reading), *(s.summary for s in plan.scenarios_2040),
         *(q for s in plan.scenarios_2040 for q in s.questions),
         *(t for d in plan.dilemmas for t in (d.title, d.scenario, d.pole_left, d.pole_right)),
         *(q.text for d in plan.dilemmas for _, qs in plan.sheet_questions(d) for q in qs)]
    ).casefold()

    def on_sheet(entry_id: str) -> bool:
        match = library.glossary_matches.get(entry_id)
        begins = match.begins.get("nn", []) if match else []
        words = match.words.get("nn", []) if match else [library.glossary[entry_id].term.nn]
        return any(re.search(rf"(?<!\w){re.escape(b.casefold())}", printed) for b in begins) \
            or any(re.search(rf"(?<!\w){re.escape(w.casefold())}(?!\w)", printed)
                   for w in words)

    by_term = {g.term.nn: gid for gid, g in library.glossary.items()}
    sheet = {g.term for g in plan.participant_glossary}
    assert sheet == {t for t, gid in by_term.items() if on_sheet(gid)}
    assert {g.term for g in plan.glossary} - sheet, \
        "the deck glosses words from backgrounds and decision notes the sheet does not print"
