"""The facilitator guide: one page at a glance, then the reference behind it.

Page 1 is what the facilitator needs at 08:55: the run sheet (one line per agenda item), what
to bring, the three things to watch for with this audience, and the disclosure protocol in
short. Behind it, as reference: purpose, preparation, the full run sheet, every segment in
order with its method step by step and the questions with their probes, each dilemma under
one heading with its notes, the disclosure protocol in full, and what comes after.

Every choice (checklist, materials, roles, follow-up and its date, which recommendations)
is the plan's; this module lays it out.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docx.enum.text import WD_BREAK

from ...ooxml.docx_compat import set_run_size, set_spacing
from .document import Handout, format_date, format_time

if TYPE_CHECKING:
    from ...planning.model import PlannedDilemma, Segment, WorkshopPlan

GLANCE_PT = 9.5
"""Text size of the first page's run sheet, so that a 240-minute workshop still fits."""
GLANCE_TEXT_PT = 10.0
"""Text size of the first page's other text."""
GLANCE_LONG = 14
"""A run sheet with more lines than this is set a point smaller, and the page with it."""


def write_facilitator(plan: WorkshopPlan, path: Path, template: Path | None = None) -> Path:
    """Write the facilitator guide for *plan* to *path* and return *path*."""
    doc = Handout(plan, plan.label("docx_facilitator_title"), template)
    doc.paragraph(plan.title, "Title")
    doc.paragraph(doc.label("docx_meta_line", kind=doc.title, agency=plan.agency,
                            date=format_date(plan.date), start=format_time(plan.start),
                            end=format_time(plan.end)), "Subtitle")
    _at_a_glance(doc)
    _purpose(doc)
    _preparation(doc)
    _run_sheet(doc)
    _advice(doc)
    doc.heading(doc.label("docx_running"), 1)
    if any(d.legal for d in plan.dilemmas):
        doc.paragraph(doc.label("docx_not_legal_advice"))
    methods: dict[str, str] = {}
    current: str | None = None
    for segment in plan.segments:
        if segment.dilemma_id and segment.dilemma_id != current:
            _dilemma_notes(doc, plan.dilemma(segment.dilemma_id))
        current = segment.dilemma_id
        _segment(doc, segment, methods)
    _protocol(doc)
    _after(doc)
    if plan.further_reading:
        doc.heading(doc.label("docx_further_reading"), 1)
        doc.paragraph(doc.label("docx_further_reading_intro"))
        doc.items([r.text for r in plan.further_reading])
    if plan.sources:
        doc.heading(doc.label("docx_sources"), 1)
        doc.items(list(plan.sources), "number")
    return doc.save(path, plan.title)


def _at_a_glance(doc: Handout) -> None:
    """Page 1: run sheet, materials, what to watch for, the disclosure protocol in short.

    A long workshop's run sheet has more lines, so its page is set a point smaller."""
    plan = doc.plan
    width = doc.text_width_cm
    rows = []
    for item in plan.agenda:
        parts = [s for s in plan.segments
                 if (item.dilemma_id and s.dilemma_id == item.dilemma_id)
                 or (not item.dilemma_id and s.start == item.start and not s.dilemma_id)]
        methods = list(dict.fromkeys(s.method.name for s in parts if s.method))
        minutes = sum(s.minutes for s in parts)
        rows.append([f"{format_time(item.start)}\u2013{format_time(item.end)}", str(minutes),
                     item.title, " → ".join(methods) or None])
    long = len(rows) > GLANCE_LONG
    size = GLANCE_TEXT_PT - (1 if long else 0)
    doc.heading(doc.label("docx_glance"), 1)
    written = [doc.paragraph(doc.label("docx_glance_intro"), italic=True, space_after_pt=4)]
    rest = width - 2.1 - 1.1
    table = doc.table([doc.label("docx_col_time"), doc.label("docx_col_minutes"),
                       doc.label("docx_col_segment"), doc.label("docx_col_method")],
                      rows, [2.1, 1.1, rest * 0.45, rest * 0.55],
                      doc.label("docx_glance_run_sheet"), doc.label("docx_desc_glance_run_sheet"),
                      font_pt=GLANCE_PT - (1 if long else 0))
    for row in table.rows:  # tight rows: the run sheet of a long workshop fits the page too
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                set_spacing(paragraph, before=0, after=0)
    written.append(doc.paragraph(", ".join(plan.preparation.materials),
                                 bold_lead=doc.label("docx_glance_materials") + ":",
                                 space_after_pt=4))
    written.append(doc.lead(doc.label("docx_glance_watch")))
    written += doc.items(list(plan.watch_for), "number")
    protocol = plan.disclosure
    if protocol is not None:
        written.append(doc.lead(protocol.title))
        written.append(doc.paragraph(protocol.summary, space_after_pt=2))
        # Who to tell, case by case, in one paragraph: the page must hold a long workshop too.
        written.append(doc.paragraph(
            " ".join(f"{case.title}: {case.tell}" for case in protocol.cases),
            bold_lead=doc.label("docx_protocol_tell") + ":"))
    for paragraph in written:
        for run in paragraph.runs:
            set_run_size(run, size)
    written[-1].add_run().add_break(WD_BREAK.PAGE)  # the last paragraph of the page


def _purpose(doc: Handout) -> None:
    plan = doc.plan
    doc.heading(doc.label("docx_purpose"), 1)
    if plan.subtitle:
        doc.paragraph(plan.subtitle)
    doc.paragraph(plan.audience.description)
    doc.paragraph(plan.audience.produces, bold_lead=doc.label("docx_produces"))
    doc.heading(doc.label("docx_selection"), 2)
    # The notes already hold one reason per dilemma (with its title): printed once.
    doc.items(list(plan.selection_notes))


def _preparation(doc: Handout) -> None:
    plan = doc.plan
    prep = plan.preparation
    width = doc.text_width_cm
    doc.heading(doc.label("docx_preparation"), 1)
    doc.heading(doc.label("docx_checklist"), 2)
    doc.items(list(prep.checklist), "check")

    doc.heading(doc.label("docx_invitation"), 2)
    intro, *invitation = prep.invitation
    doc.paragraph(intro)
    for text in invitation:
        doc.paragraph(text, "Quote")

    doc.heading(prep.setup_title, 2)
    doc.items(list(prep.setup))

    doc.heading(doc.label("docx_roles"), 2)
    doc.table(
        [doc.label("docx_col_role"), doc.label("docx_col_task"), doc.label("docx_col_name")],
        [[role.name, role.task, role.person] for role in prep.roles],
        [3.4, width - 3.4 - 4.0, 4.0],
        doc.label("docx_roles"), doc.label("docx_desc_roles"),
    )

    doc.heading(doc.label("docx_materials"), 2)
    doc.items(list(prep.materials))


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


def _segment(doc: Handout, segment: Segment, methods: dict[str, str]) -> None:
    """Write one segment; a method's steps are written out the first time it is used.

    A dilemma's segments sit under the dilemma's own heading, so their headings use the
    short title (without the dilemma's name) one level down.
    """
    plan = doc.plan
    inner = segment.dilemma_id is not None
    doc.heading(doc.label("docx_segment_heading", start=format_time(segment.start),
                          end=format_time(segment.end),
                          title=segment.short_title if inner else segment.title,
                          minutes=segment.minutes), 3 if inner else 2)

    def part(key: str, **values: object) -> None:
        if inner:
            doc.lead(doc.label(key, **values))
        else:
            doc.heading(doc.label(key, **values), 3)

    if segment.notes:
        part("docx_how")
        doc.items(list(segment.notes))
    if segment.bullets and segment.kind not in ("scenario", "position_line", "reflection"):
        # A dilemma's scenario, poles and questions are printed in full elsewhere.
        part("docx_on_screen")
        doc.items(list(segment.bullets))
    if segment.method:
        method = segment.method
        part("docx_method_heading", name=method.name)
        doc.paragraph(method.summary)
        if method.id in methods:
            doc.paragraph(doc.label("docx_method_seen", segment=methods[method.id]), italic=True)
        else:
            methods[method.id] = segment.title
            doc.items(list(method.steps), "number")
        if method.materials:
            doc.paragraph(", ".join(method.materials), bold_lead=doc.label("docx_materials_lead"))
    if segment.kind == "scenario_2040":
        for future in plan.scenarios_2040:
            doc.lead(f"{future.title} ({future.quadrant})")
            doc.paragraph(future.summary)
            doc.items([f"{t.theme}: {t.text}" for t in future.themes])
    if segment.kind == "maturity" and plan.ladder:
        _ladder(doc)
    if segment.kind == "mto" and plan.mto:
        doc.items([doc.label("docx_term_item", term=c.name, text=c.description)
                   for c in plan.mto])
    if segment.kind == "recommendations":
        doc.items([doc.label("docx_recommendation_item", number=r.number, title=r.title,
                             text=r.text) for r in plan.recommendations if r.shown])
    if segment.fact_ids:
        part("docx_facts_sources")
        doc.items([doc.label("docx_fact_with_source", statement=plan.fact(i).statement,
                             source=plan.fact(i).source) for i in segment.fact_ids])
    if segment.question_groups:
        part("docx_questions_probes")
        for group in segment.question_groups:
            if group.label:
                doc.lead(group.label)
            num_id = doc.lists.new("number")
            for question in group.questions:
                doc.lists.item(doc.doc, question.text, num_id, "number")
                for probe in question.probes:
                    doc.lists.item(doc.doc, probe, num_id, "number", level=1)


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
    """The dilemma's heading (its title, once) and what the facilitator should know."""
    plan = doc.plan
    segments = [s for s in plan.segments if s.dilemma_id == dilemma.id]
    doc.heading(doc.label("docx_segment_heading", start=format_time(segments[0].start),
                          end=format_time(segments[-1].end),
                          title=doc.label("docx_dilemma_heading", number=dilemma.number,
                                          title=dilemma.title),
                          minutes=sum(s.minutes for s in segments)), 2)
    doc.lead(doc.label("docx_about_dilemma"))
    doc.paragraph(dilemma.summary)
    doc.paragraph(dilemma.scenario, "Quote")
    doc.paragraph(dilemma.pole_left, bold_lead=doc.label("docx_pole_a") + ":")
    doc.paragraph(dilemma.pole_right, bold_lead=doc.label("docx_pole_b") + ":")
    for key, texts in (("docx_typical_positions", dilemma.typical_positions),
                       ("docx_listen_for", dilemma.listen_for)):
        if texts:
            doc.lead(doc.label(key))
            doc.items(list(texts))
    if dilemma.background:
        doc.paragraph(dilemma.background, bold_lead=doc.label("docx_background") + ":")
    if dilemma.facts:
        doc.lead(doc.label("docx_facts_sources"))
        doc.items([doc.label("docx_fact_with_source", statement=f.statement, source=f.source)
                   for f in dilemma.facts])
    if dilemma.legal:
        doc.paragraph("; ".join(dilemma.legal), bold_lead=doc.label("docx_legal") + ":")
    if dilemma.source:
        doc.paragraph(dilemma.source, bold_lead=doc.label("docx_source") + ":")
    if dilemma.further_reading:
        doc.lead(doc.label("docx_further_reading"))
        doc.items([r.text for r in dilemma.further_reading])


def _protocol(doc: Handout) -> None:
    """The disclosure protocol in full."""
    protocol = doc.plan.disclosure
    if protocol is None:
        return
    doc.heading(protocol.title, 1)
    doc.paragraph(protocol.summary)
    doc.paragraph(protocol.notice, bold_lead=doc.label("docx_protocol_say") + ":")
    doc.lead(doc.label("docx_protocol_always"))
    doc.items(list(protocol.steps), "number")
    for case in protocol.cases:
        doc.heading(case.title, 2)
        doc.paragraph(case.signs, bold_lead=doc.label("docx_protocol_signs") + ":")
        doc.items(list(case.steps), "number")
        doc.paragraph(case.tell, bold_lead=doc.label("docx_protocol_tell") + ":")


def _after(doc: Handout) -> None:
    plan = doc.plan
    follow_up = plan.follow_up
    doc.heading(doc.label("docx_after"), 1)
    doc.heading(doc.label("docx_follow_up"), 2)
    doc.paragraph(follow_up.text)
    doc.heading(doc.label("docx_results_go"), 2)
    doc.items(list(follow_up.routes))
    doc.heading(doc.label("docx_follow_up_meeting"), 2)
    doc.paragraph(follow_up.meeting)
    doc.items(list(follow_up.agenda), "number")
    linked = [r for r in plan.recommendations if r.linked]
    if linked:
        doc.heading(doc.label("docx_recommendations"), 2)
        doc.items([doc.label("docx_recommendation_item", number=r.number, title=r.title,
                             text=r.text) for r in linked])
