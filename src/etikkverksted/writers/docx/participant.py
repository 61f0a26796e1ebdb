"""The participant sheet (deltakerark): agenda, each dilemma with room to write, facts, terms.

Room to write is table rows with a minimum height, never empty paragraphs: a screen reader
announces "row 2 of 4, My notes" instead of a run of blank lines, and the rows keep their size
when someone edits the text above them. The row height shrinks as the number of questions
grows so that the sheet stays within six A4 pages.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from docx.shared import Pt

from ...ooxml.docx_compat import set_run_size
from .document import Handout, format_date, format_time
from .tables import CellContent

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

    from ...ooxml.docx_compat import Cell
    from ...planning.model import WorkshopPlan

MAX_WRITE_CM = 3.0
MIN_WRITE_CM = 0.8
WRITE_BUDGET_CM = 24.0
"""Total write-in height shared by all questions (about one page) for up to three dilemmas;
less for more, so that a four-hour workshop's sheet still fits on six pages."""
QUESTION_CM = 9.0


def _small(paragraph: Paragraph) -> None:
    """Set every run of *paragraph* in the reference size."""
    for run in paragraph.runs:
        set_run_size(run, REFERENCE_PT)
REFERENCE_PT = 9.5
"""Text size of the reference parts at the end: facts, glossary, sources."""


def _question_cell(text: str, group: str) -> Callable[[Cell], None]:
    """Fill a question cell; the first question of a group (parties: a side) names the group."""

    def fill(cell: Cell) -> None:
        paragraph = cell.paragraphs[0]
        if group:
            paragraph.add_run(group).bold = True
            paragraph.paragraph_format.space_after = Pt(2)
            paragraph = cell.add_paragraph()
        paragraph.add_run(text)

    return fill


def write_participant(plan: WorkshopPlan, path: Path, template: Path | None = None) -> Path:
    """Write the participant sheet for *plan* to *path* and return *path*."""
    doc = Handout(plan, plan.label("docx_participant_title"), template)
    width = doc.text_width_cm
    doc.paragraph(plan.title, "Title")
    doc.paragraph(doc.label("docx_meta_line", kind=doc.title, agency=plan.agency,
                            date=format_date(plan.date), start=format_time(plan.start),
                            end=format_time(plan.end)), "Subtitle")
    doc.paragraph(doc.label("docx_participant_intro"))

    doc.heading(doc.label("docx_agenda"), 1)
    doc.table(
        [doc.label("docx_col_time"), doc.label("docx_col_content")],
        [[f"{format_time(item.start)}\u2013{format_time(item.end)}", item.title]
         for item in plan.agenda],
        [3.2, width - 3.2],
        doc.label("docx_agenda"), doc.label("docx_desc_agenda"),
    )

    n_questions = sum(len(qs) for d in plan.dilemmas for _, qs in plan.sheet_questions(d))
    budget = WRITE_BUDGET_CM * min(1.0, 3 / max(len(plan.dilemmas), 1))
    write_cm = max(MIN_WRITE_CM, min(MAX_WRITE_CM, budget / max(n_questions, 1)))
    for dilemma in plan.dilemmas:
        doc.heading(doc.label("docx_dilemma_heading", number=dilemma.number,
                              title=dilemma.title), 1)
        doc.heading(doc.label("docx_scenario"), 2)
        doc.paragraph(dilemma.scenario)
        doc.heading(doc.label("docx_where_do_you_stand"), 2)
        doc.table(
            [doc.label("docx_pole_a"), doc.label("docx_pole_b")],
            [[dilemma.pole_left, dilemma.pole_right]],
            [width / 2, width / 2],
            doc.label("docx_where_do_you_stand"), doc.label("docx_desc_poles"),
        )
        doc.paragraph(doc.label("docx_position_prompt"), "Caption")
        doc.heading(doc.label("docx_questions"), 2)
        rows: list[list[CellContent]] = []
        for label, questions in plan.sheet_questions(dilemma):
            for i, question in enumerate(questions):
                lead = label if i == 0 else ""
                rows.append([_question_cell(question.text, lead), None])
        doc.table(
            [doc.label("docx_col_question"), doc.label("docx_col_my_notes")],
            rows, [QUESTION_CM, width - QUESTION_CM],
            doc.label("docx_questions"), doc.label("docx_desc_questions"),
            row_height_cm=write_cm,
        )

    if plan.scenarios_2040:
        # Four futures for four groups. On their own they get the whole text, each theme a
        # small paragraph; beside dilemmas the sheet keeps each future's summary and
        # questions (the slides and the guide have the themes), so it stays within six pages.
        doc.heading(doc.label("docx_2040_heading"), 1)
        doc.paragraph(doc.label("docx_2040_intro"))
        full = not plan.dilemmas
        for future in plan.scenarios_2040:
            doc.heading(f"{future.title} ({future.quadrant})", 2)
            doc.paragraph(future.summary, space_after_pt=2)
            for theme in future.themes if full else []:
                _small(doc.paragraph(theme.text, bold_lead=f"{theme.theme}:",
                                     space_after_pt=1))
            _small(doc.paragraph(" ".join(future.questions),
                                 bold_lead=doc.label("docx_2040_questions") + ":"))
    if plan.own_case is not None:
        doc.heading(plan.own_case.heading, 1)
        doc.paragraph(plan.own_case.description)
        doc.items([b for s in plan.segments if s.kind == "own_case" for b in s.bullets
                   if b != plan.own_case.description])

    facts = plan.sheet_facts()
    if facts:
        doc.heading(doc.label("docx_key_facts"), 1)
        doc.items([doc.label("docx_fact_with_source", statement=f.statement, source=f.source)
                   for f in facts], font_pt=REFERENCE_PT)
    if plan.further_reading:
        doc.heading(doc.label("docx_further_reading"), 1)
        # Publisher and title only: the guide has what each is about, the sheet its pages.
        doc.items([r.short for r in plan.further_reading], font_pt=REFERENCE_PT)
    if plan.participant_glossary:
        doc.heading(doc.label("docx_glossary"), 1)
        doc.table(
            [doc.label("docx_col_term"), doc.label("docx_col_definition")],
            [[g.term, g.definition] for g in plan.participant_glossary],
            [3.8, width - 3.8],
            doc.label("docx_glossary"), doc.label("docx_desc_glossary"),
            font_pt=REFERENCE_PT,
        )
    if plan.sources:
        # The report once, then the places in it as one line: a numbered list of twenty
        # section numbers cost a sheet its last page in long workshops.
        doc.heading(doc.label("docx_sources"), 1)
        lines = [plan.sources[0]]
        if len(plan.sources) > 1:
            lines.append(doc.label("docx_cited_places",
                                   places="; ".join(plan.sources[1:])))
        doc.items(lines, font_pt=REFERENCE_PT)
    return doc.save(path, plan.title)
