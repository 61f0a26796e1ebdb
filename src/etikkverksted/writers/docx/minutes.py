"""The minutes template (referatmal): a form the note-taker fills in during the workshop.

Every write-in field is a table row with a minimum height, labelled in its first column or its
header row, so that the form works with a screen reader and survives typing. Actions are sorted
into act / influence / monitor (what we do ourselves, what we ask others to do, what we keep
an eye on). For the parties the form adds the shared understanding and the points for their
next meeting.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .document import Handout, format_date, format_time

if TYPE_CHECKING:
    from ...planning.model import WorkshopPlan

DILEMMA_ROWS = ("docx_m_stood", "docx_m_points", "docx_m_disagreements",
                "docx_m_consequences")
ACTION_KINDS = (("docx_act", "docx_act_intro"), ("docx_influence", "docx_influence_intro"),
                ("docx_monitor", "docx_monitor_intro"))
BLANK_ROWS = 4
ROW_CM = 1.1


def write_minutes(plan: WorkshopPlan, path: Path, template: Path | None = None) -> Path:
    """Write the minutes template for *plan* to *path* and return *path*."""
    doc = Handout(plan, plan.label("docx_minutes_title"), template)
    width = doc.text_width_cm
    doc.paragraph(doc.title, "Title")
    doc.paragraph(plan.title, "Subtitle")

    doc.table(
        [],
        [[doc.label("docx_agency"), plan.agency],
         [doc.label("docx_date"), doc.label("docx_date_time", date=format_date(plan.date),
                                            start=format_time(plan.start),
                                            end=format_time(plan.end))],
         [doc.label("docx_audience"), plan.audience.name],
         [doc.label("docx_facilitator"), plan.facilitator or None],
         [doc.label("docx_note_taker"), None],
         [doc.label("docx_participants"), None]],
        [4.2, width - 4.2],
        doc.label("docx_minutes_header"), doc.label("docx_desc_minutes_header"),
        first_column_header=True, row_height_cm=0.9,
    )

    for dilemma in plan.dilemmas:
        doc.heading(doc.label("docx_dilemma_heading", number=dilemma.number,
                              title=dilemma.title), 1)
        doc.table(
            [doc.label("docx_col_topic"), doc.label("docx_col_notes")],
            [[doc.label(key), None] for key in DILEMMA_ROWS],
            [5.0, width - 5.0],
            doc.label("docx_dilemma_heading", number=dilemma.number, title=dilemma.title),
            doc.label("docx_desc_minutes_dilemma"),
            row_height_cm=2.6,
        )

    doc.heading(doc.label("docx_decision_log"), 1)
    doc.paragraph(doc.label("docx_decision_log_intro"), keep_with_next=True)
    doc.table(
        [doc.label("docx_col_no"), doc.label("docx_col_decision"),
         doc.label("docx_col_decided_by"), doc.label("docx_col_date")],
        [[str(i), None, None, None] for i in range(1, BLANK_ROWS + 1)],
        [1.2, width - 1.2 - 4.0 - 2.6, 4.0, 2.6],
        doc.label("docx_decision_log"), doc.label("docx_desc_decision_log"),
        row_height_cm=ROW_CM,
    )

    doc.heading(doc.label("docx_parking"), 1)
    doc.paragraph(doc.label("docx_parking_intro"), keep_with_next=True)
    doc.table(
        [doc.label("docx_col_issue"), doc.label("docx_col_owner"),
         doc.label("docx_col_next_step")],
        [[None, None, None] for _ in range(BLANK_ROWS)],
        [width - 4.0 - 5.0, 4.0, 5.0],
        doc.label("docx_parking"), doc.label("docx_desc_parking"),
        row_height_cm=ROW_CM,
    )

    doc.heading(doc.label("docx_actions"), 1)
    doc.paragraph(doc.label("docx_actions_intro"), keep_with_next=True)
    for title_key, intro_key in ACTION_KINDS:
        doc.heading(doc.label(title_key), 2)
        doc.paragraph(doc.label(intro_key), keep_with_next=True)
        doc.table(
            [doc.label("docx_col_what"), doc.label("docx_col_who"),
             doc.label("docx_col_by_when")],
            [[None, None, None] for _ in range(3)],
            [width - 4.0 - 2.8, 4.0, 2.8],
            doc.label(title_key), doc.label("docx_desc_actions"),
            row_height_cm=ROW_CM,
        )

    if plan.audience.id == "parties":
        doc.heading(doc.label("docx_shared_understanding"), 1)
        doc.paragraph(doc.label("docx_shared_understanding_intro"), keep_with_next=True)
        doc.table(
            [doc.label("docx_col_topic"), doc.label("docx_col_agreed")],
            [[d.title, None] for d in plan.dilemmas],
            [5.0, width - 5.0],
            doc.label("docx_shared_understanding"), doc.label("docx_desc_shared"),
            row_height_cm=2.2,
        )
        doc.heading(doc.label("docx_next_parties_meeting"), 1)
        doc.paragraph(doc.label("docx_next_parties_meeting_intro"), keep_with_next=True)
        doc.table(
            [doc.label("docx_col_point"), doc.label("docx_col_raised_by"),
             doc.label("docx_col_prepare")],
            [[None, None, None] for _ in range(BLANK_ROWS)],
            [width - 4.0 - 5.0, 4.0, 5.0],
            doc.label("docx_next_parties_meeting"), doc.label("docx_desc_next_parties"),
            row_height_cm=ROW_CM,
        )
    return doc.save(path, plan.title)
