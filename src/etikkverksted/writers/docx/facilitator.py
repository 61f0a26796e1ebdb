"""The facilitator guide: purpose, preparation, run sheet, each segment, and what comes after.

Everything a facilitator needs to run the workshop without other preparation: the run sheet
as a table, then every segment in order with its method step by step, the questions with their
follow-up probes (numbered, probes hanging under each), and, at a dilemma's first segment,
typical positions, what to listen for, pitfalls and the facts with their sources.

The checklist, roles, materials, invitation text and follow-up agenda are labels
(``docx_check_*`` and so on) chosen by the workshop's format; only the follow-up date is
computed here (the plan's date plus :data:`FOLLOW_UP_WEEKS`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from .document import Handout, format_date, format_time

if TYPE_CHECKING:
    from ...planning.model import PlannedDilemma, Segment, WorkshopPlan

FOLLOW_UP_WEEKS = 6

CHECKLIST = ("docx_check_invite", "docx_check_roles", "docx_check_read", "docx_check_print",
             "docx_check_minutes")
CHECKLIST_PARTIES = ("docx_check_parties",)
CHECKLIST_IN_PERSON = ("docx_check_room",)
CHECKLIST_DIGITAL = ("docx_check_digital", "docx_check_digital_test")
SETUP_IN_PERSON = ("docx_setup_room_1", "docx_setup_room_2", "docx_setup_room_3",
                   "docx_setup_room_4")
SETUP_DIGITAL = ("docx_setup_digital_1", "docx_setup_digital_2", "docx_setup_digital_3",
                 "docx_setup_digital_4")
MATERIALS_IN_PERSON = ("docx_mat_tape", "docx_mat_dots", "docx_mat_notes", "docx_mat_print",
                       "docx_mat_flipchart")
MATERIALS_DIGITAL = ("docx_mat_board", "docx_mat_poll", "docx_mat_print_digital")
ROLES = (("docx_role_facilitator", "docx_role_facilitator_task"),
         ("docx_role_note_taker", "docx_role_note_taker_task"),
         ("docx_role_timekeeper", "docx_role_timekeeper_task"))
RESULT_ROUTES = ("docx_route_leaders", "docx_route_amu", "docx_route_joint")
FOLLOW_UP_AGENDA = ("docx_fu_agenda_1", "docx_fu_agenda_2", "docx_fu_agenda_3",
                    "docx_fu_agenda_4", "docx_fu_agenda_5")


def follow_up_date(plan: WorkshopPlan) -> dt.date:
    """Return the suggested date of the follow-up meeting: same weekday, some weeks later."""
    return plan.date + dt.timedelta(weeks=FOLLOW_UP_WEEKS)


def write_facilitator(plan: WorkshopPlan, path: Path, template: Path | None = None) -> Path:
    """Write the facilitator guide for *plan* to *path* and return *path*."""
    doc = Handout(plan, plan.label("docx_facilitator_title"), template)
    digital = plan.format == "digital"
    doc.paragraph(plan.title, "Title")
    doc.paragraph(doc.label("docx_meta_line", kind=doc.title, agency=plan.agency,
                            date=format_date(plan.date), start=format_time(plan.start),
                            end=format_time(plan.end)), "Subtitle")

    _purpose(doc)
    _preparation(doc, digital)
    _run_sheet(doc)
    _advice(doc)
    doc.heading(doc.label("docx_running"), 1)
    if any(d.legal for d in plan.dilemmas):
        doc.paragraph(doc.label("docx_not_legal_advice"))
    introduced: set[str] = set()
    methods: dict[str, str] = {}
    for segment in plan.segments:
        _segment(doc, segment, introduced, methods)
    _after(doc)
    if plan.sources:
        doc.heading(doc.label("docx_sources"), 1)
        doc.items(list(plan.sources), "number")
    return doc.save(path, plan.title)


def _purpose(doc: Handout) -> None:
    plan = doc.plan
    doc.heading(doc.label("docx_purpose"), 1)
    if plan.subtitle:
        doc.paragraph(plan.subtitle)
    doc.paragraph(plan.audience.description)
    doc.paragraph(plan.audience.produces, bold_lead=doc.label("docx_produces"))
    doc.heading(doc.label("docx_selection"), 2)
    doc.items([*plan.selection_notes,
               *(doc.label("docx_selection_item", title=d.title, reason=d.selection_reason)
                 for d in plan.dilemmas if d.selection_reason)])


def _preparation(doc: Handout, digital: bool) -> None:
    plan = doc.plan
    width = doc.text_width_cm
    doc.heading(doc.label("docx_preparation"), 1)
    doc.heading(doc.label("docx_checklist"), 2)
    keys = [*CHECKLIST, *(CHECKLIST_DIGITAL if digital else CHECKLIST_IN_PERSON),
            *(CHECKLIST_PARTIES if plan.audience.id == "parties" else ())]
    doc.items([doc.label(k) for k in keys], "check")

    doc.heading(doc.label("docx_invitation"), 2)
    doc.paragraph(doc.label("docx_invitation_intro"))
    place = doc.label("docx_place_digital" if digital else "docx_place_in_person")
    topics = ", ".join(d.title for d in plan.dilemmas)
    for key in ("docx_invitation_1", "docx_invitation_2", "docx_invitation_3"):
        doc.paragraph(doc.label(key, agency=plan.agency, date=format_date(plan.date),
                                start=format_time(plan.start), end=format_time(plan.end),
                                place=place, topics=topics, audience=plan.audience.name,
                                title=plan.title), "Quote")

    doc.heading(doc.label("docx_setup_digital" if digital else "docx_setup_room"), 2)
    doc.items([doc.label(k) for k in (SETUP_DIGITAL if digital else SETUP_IN_PERSON)])

    doc.heading(doc.label("docx_roles"), 2)
    names = {"docx_role_facilitator": plan.facilitator or None}
    doc.table(
        [doc.label("docx_col_role"), doc.label("docx_col_task"), doc.label("docx_col_name")],
        [[doc.label(role), doc.label(task), names.get(role)] for role, task in ROLES],
        [3.4, width - 3.4 - 4.0, 4.0],
        doc.label("docx_roles"), doc.label("docx_desc_roles"),
    )

    doc.heading(doc.label("docx_materials"), 2)
    materials = [doc.label(k) for k in (MATERIALS_DIGITAL if digital else MATERIALS_IN_PERSON)]
    for segment in plan.segments:
        if segment.method:
            for item in segment.method.materials:
                if item not in materials:
                    materials.append(item)
    doc.items(materials)


def _run_sheet(doc: Handout) -> None:
    plan = doc.plan
    width = doc.text_width_cm
    doc.heading(doc.label("docx_run_sheet"), 1)
    rows = []
    for s in plan.segments:
        rows.append([
            f"{format_time(s.start)}\u2013{format_time(s.end)}",
            str(s.minutes),
            s.title,
            s.method.name if s.method else None,
            ", ".join(s.method.materials) if s.method and s.method.materials else None,
        ])
    fixed = 2.4 + 1.3 + 3.4
    rest = width - fixed
    doc.table(
        [doc.label("docx_col_clock"), doc.label("docx_col_minutes"),
         doc.label("docx_col_segment"), doc.label("docx_col_method"),
         doc.label("docx_col_materials")],
        rows, [2.4, 1.3, rest * 0.55, 3.4, rest * 0.45],
        doc.label("docx_run_sheet"), doc.label("docx_desc_run_sheet"),
    )


def _advice(doc: Handout) -> None:
    plan = doc.plan
    doc.heading(doc.label("docx_advice", audience=plan.audience.name), 1)
    doc.items(list(plan.audience.advice))
    current = [step for step in plan.ladder if step.current]
    if current:
        step = current[0]
        doc.heading(doc.label("docx_maturity", trinn=step.trinn, name=step.name), 2)
        doc.paragraph(step.description)
        doc.paragraph(step.needs, bold_lead=doc.label("docx_needs"))


def _segment(doc: Handout, segment: Segment, introduced: set[str],
             methods: dict[str, str]) -> None:
    """Write one segment; a method's steps are written out the first time it is used."""
    plan = doc.plan
    doc.heading(doc.label("docx_segment_heading", start=format_time(segment.start),
                          end=format_time(segment.end), title=segment.title,
                          minutes=segment.minutes), 2)
    if segment.notes:
        doc.heading(doc.label("docx_how"), 3)
        doc.items(list(segment.notes))
    if segment.bullets:
        doc.heading(doc.label("docx_on_screen"), 3)
        doc.items(list(segment.bullets))
    if segment.method:
        method = segment.method
        doc.heading(doc.label("docx_method_heading", name=method.name), 3)
        doc.paragraph(method.summary)
        if method.id in methods:
            doc.paragraph(doc.label("docx_method_seen", segment=methods[method.id]), italic=True)
        else:
            methods[method.id] = segment.title
            doc.items(list(method.steps), "number")
        if method.materials:
            doc.paragraph(", ".join(method.materials), bold_lead=doc.label("docx_materials_lead"))
    if segment.kind == "maturity" and plan.ladder:
        _ladder(doc)
    if segment.kind == "mto" and plan.mto:
        doc.items([doc.label("docx_term_item", term=c.name, text=c.description)
                   for c in plan.mto])
    if segment.kind == "recommendations":
        linked = [r for r in plan.recommendations if r.linked] or list(plan.recommendations)
        doc.items([doc.label("docx_recommendation_item", number=r.number, title=r.title,
                             text=r.text) for r in linked])
    if segment.fact_ids:
        doc.heading(doc.label("docx_facts_sources"), 3)
        doc.items([doc.label("docx_fact_with_source", statement=plan.fact(i).statement,
                             source=plan.fact(i).source) for i in segment.fact_ids])
    if segment.question_groups:
        doc.heading(doc.label("docx_questions_probes"), 3)
        for group in segment.question_groups:
            if group.label:
                doc.lead(group.label)
            num_id = doc.lists.new("number")
            for question in group.questions:
                doc.lists.item(doc.doc, question.text, num_id, "number")
                for probe in question.probes:
                    doc.lists.item(doc.doc, probe, num_id, "number", level=1)
    if segment.dilemma_id and segment.dilemma_id not in introduced:
        introduced.add(segment.dilemma_id)
        _dilemma_notes(doc, plan.dilemma(segment.dilemma_id))


def _ladder(doc: Handout) -> None:
    plan = doc.plan
    width = doc.text_width_cm
    rows = []
    for step in plan.ladder:
        name = step.name + (f" \u2013 {doc.label('docx_current')}" if step.current else "")
        share = f"{step.share_percent:g} %" if step.share_percent is not None else None
        rows.append([str(step.trinn), name, step.description, share])
    table = doc.table(
        [doc.label("docx_col_trinn"), doc.label("docx_col_name_step"),
         doc.label("docx_col_description"), doc.label("docx_col_share")],
        rows, [1.4, 3.6, width - 1.4 - 3.6 - 2.0, 2.0],
        doc.label("docx_ladder"), doc.label("docx_desc_ladder"),
    )
    for row, step in zip(table.rows[1:], plan.ladder, strict=True):
        if step.current:
            for cell in row.cells:
                for run in (r for p in cell.paragraphs for r in p.runs):
                    run.bold = True


def _dilemma_notes(doc: Handout, dilemma: PlannedDilemma) -> None:
    doc.heading(doc.label("docx_dilemma_notes", number=dilemma.number, title=dilemma.title), 3)
    doc.paragraph(dilemma.summary)
    doc.paragraph(dilemma.pole_left, bold_lead=doc.label("docx_pole_a") + ":")
    doc.paragraph(dilemma.pole_right, bold_lead=doc.label("docx_pole_b") + ":")
    for key, texts in (("docx_typical_positions", dilemma.typical_positions),
                       ("docx_listen_for", dilemma.listen_for),
                       ("docx_pitfalls", dilemma.pitfalls)):
        if texts:
            doc.lead(doc.label(key))
            doc.items(list(texts))
    if dilemma.background:
        doc.paragraph(dilemma.background, bold_lead=doc.label("docx_background") + ":")
    if dilemma.facts:
        doc.lead(doc.label("docx_facts_sources"))
        doc.items([doc.label("docx_fact_with_source", statement=f.statement, source=f.source)
                   for f in dilemma.facts])
    doc.paragraph(" ".join(t for t in (dilemma.decision, dilemma.decision_note) if t),
                  bold_lead=doc.label("docx_decision") + ":")
    if dilemma.legal:
        doc.paragraph("; ".join(dilemma.legal), bold_lead=doc.label("docx_legal") + ":")
    if dilemma.source:
        doc.paragraph(dilemma.source, bold_lead=doc.label("docx_source") + ":")


def _after(doc: Handout) -> None:
    plan = doc.plan
    doc.heading(doc.label("docx_after"), 1)
    doc.heading(doc.label("docx_follow_up"), 2)
    doc.paragraph(plan.audience.follow_up)
    doc.heading(doc.label("docx_results_go"), 2)
    doc.items([doc.label(k) for k in RESULT_ROUTES])
    doc.heading(doc.label("docx_follow_up_meeting"), 2)
    doc.paragraph(doc.label("docx_follow_up_date", date=format_date(follow_up_date(plan)),
                            weeks=FOLLOW_UP_WEEKS))
    doc.items([doc.label(k) for k in FOLLOW_UP_AGENDA], "number")
    linked = [r for r in plan.recommendations if r.linked]
    if linked:
        doc.heading(doc.label("docx_recommendations"), 2)
        doc.items([doc.label("docx_recommendation_item", number=r.number, title=r.title,
                             text=r.text) for r in linked])
