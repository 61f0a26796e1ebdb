"""The parties' agenda template: one page that puts AI on the agenda of their meetings.

Every parties pack carries it (rapport kap. 5, anbefaling 3). The plan holds the texts
(:class:`~etikkverksted.planning.model.PartiesAgenda`); this module lays them out: the
meeting's particulars, the standing item with its sub-points and room for notes and owners,
and blank rows for the points the parties agreed in the workshop.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .document import Handout

if TYPE_CHECKING:
    from ...planning.model import WorkshopPlan

ROW_CM = 0.9


def write_agenda(plan: WorkshopPlan, path: Path, template: Path | None = None) -> Path:
    """Write the agenda template for *plan* to *path* and return *path*."""
    agenda = plan.parties_agenda
    if agenda is None:
        raise ValueError("the plan has no parties' agenda template (audience is not parties)")
    doc = Handout(plan, plan.label("docx_agenda_title"), template)
    width = doc.text_width_cm
    doc.paragraph(doc.title, "Title")
    doc.paragraph(agenda.title, "Subtitle")
    doc.table(
        [],
        [[doc.label("docx_agency"), plan.agency],
         [doc.label("docx_agenda_meeting"), doc.label("docx_agenda_meeting_value")],
         [doc.label("docx_agenda_date"), None],
         [doc.label("docx_agenda_present"), None]],
        [4.2, width - 4.2],
        doc.label("docx_agenda_header"), doc.label("docx_agenda_desc_header"),
        first_column_header=True, row_height_cm=0.7,
    )
    for text in agenda.intro:
        doc.paragraph(text)
    doc.heading(agenda.title, 1)
    doc.table(
        [doc.label("docx_agenda_col_item"), doc.label("docx_agenda_col_notes"),
         doc.label("docx_agenda_col_owner")],
        [[item, None, None] for item in agenda.items],
        [width * 0.42, width * 0.38, width * 0.20],
        agenda.title, doc.label("docx_agenda_desc_items"), row_height_cm=ROW_CM,
    )
    doc.heading(doc.label("docx_agenda_agreed"), 1)
    doc.paragraph(doc.label("docx_agenda_agreed_intro"), keep_with_next=True)
    doc.table(
        [doc.label("docx_agenda_col_point"), doc.label("docx_agenda_col_raised_by"),
         doc.label("docx_agenda_col_by_when")],
        [[None, None, None] for _ in range(agenda.agreed_rows)],
        [width - 4.5 - 2.8, 4.5, 2.8],
        doc.label("docx_agenda_agreed"), doc.label("docx_agenda_desc_agreed"),
        row_height_cm=ROW_CM,
    )
    return doc.save(path, plan.title)
