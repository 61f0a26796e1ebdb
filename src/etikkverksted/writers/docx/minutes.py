"""The minutes template (referatmal): a form the note-taker fills in, and the tool reads back.

Every write-in field is a table cell holding a Word content control (``w:sdt``) with a stable
tag (``ev:<table>|<row>|<column>``) and a title, so that
``etikkverksted harvest`` can read the filled document into an outcome
(:mod:`etikkverksted.outcome`). The document also carries a custom XML part with the workshop
it belongs to (spec, plan digest, library digest) and a description of its tables
(:class:`~etikkverksted.outcome.form.MinutesForm`): the harvester needs no other input, and
LibreOffice, which drops the tags when it saves, keeps that part.

Rows have a minimum height, so the form also works on paper. Actions are sorted into act /
influence / monitor (what we do ourselves, what we ask others to do, what we keep an eye on).
For the parties the form adds the shared understanding and the points for their next meeting.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from ...ooxml.docx_compat import cell_element
from ...outcome.form import (
    FormColumn,
    FormRow,
    FormTable,
    MinutesForm,
    TableKind,
    form_to_xml,
    item_props_xml,
)
from ...outcome.model import WorkshopRef
from .document import Handout, format_date, format_time
from .tables import CellContent

if TYPE_CHECKING:
    from docx.table import Table

    from ...ooxml.docx_compat import Cell
    from ...planning.model import WorkshopPlan

DILEMMA_ROWS = (("points", "docx_m_points"), ("disagreements", "docx_m_disagreements"),
                ("consequences", "docx_m_consequences"))
ACTION_KINDS = (("act", "docx_act", "docx_act_intro"),
                ("influence", "docx_influence", "docx_influence_intro"),
                ("monitor", "docx_monitor", "docx_monitor_intro"))
BLANK_ROWS = 4
ROW_CM = 1.1
_CUSTOM_XML_PROPS_CT = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"


def workshop_ref(plan: WorkshopPlan) -> WorkshopRef:
    """Return the reference to *plan*'s workshop that the minutes carry."""
    origin = plan.origin
    digest = hashlib.blake2b(plan.model_dump_json(exclude={"origin"}).encode(),
                             digest_size=16).hexdigest()
    return WorkshopRef(
        spec=origin.spec if origin else {},
        plan_digest=digest,
        tool_version=origin.tool_version if origin else "",
        library_digest=origin.library_digest if origin else "",
        agency=plan.agency, date=plan.date, audience=plan.audience.id,
        maturity=plan.maturity, language=plan.language,
        duration_minutes=plan.duration_minutes,
        follow_up_date=plan.follow_up_date,
        dilemma_titles={d.id: d.title for d in plan.dilemmas},
        dilemma_numbers={str(d.number): d.id for d in plan.dilemmas},
    )


class _Form:
    """Collects the form's tables and texts while the document is written."""

    def __init__(self, doc: Handout) -> None:
        self.doc = doc
        self.tables: list[FormTable] = []
        self.static: list[str] = []
        self.section = ""
        self._ids: Iterator[int] = itertools.count(1000)

    # -- text outside tables ------------------------------------------------------------------

    def heading(self, text: str, level: int) -> None:
        self.doc.heading(text, level)
        self.static.append(text)
        self.section = text

    def paragraph(self, text: str, style: str | None = None, **options: object) -> None:
        self.doc.paragraph(text, style, **options)  # type: ignore[arg-type]
        self.static.append(text)

    # -- tables -------------------------------------------------------------------------------

    def table(self, key: str, kind: TableKind, caption: str, description: str,
              columns: list[tuple[str, str, bool] | tuple[str, str, bool, dict[str, str]]],
              rows: list[list[CellContent]],
              widths: list[float], *, row_keys: list[tuple[str, str]] | None = None,
              header_row: bool = True, dilemma_id: str | None = None,
              action_kind: str | None = None, **options: object) -> Table:
        """Lay out one form table; empty cells of write-in columns become content controls.

        *columns* are (key, header, write_in); *row_keys* (key, printed label) makes the table
        one of fixed rows; without it every row is a blank record and more can be added.
        """
        form_table = FormTable(
            key=key, kind=kind, caption=caption, section=self.section,
            columns=[FormColumn(key=c[0], header=c[1], write_in=c[2],
                                choices=c[3] if len(c) > 3 else None)  # type: ignore[misc]
                     for c in columns],
            rows=[FormRow(key=k, label=label) for k, label in row_keys] if row_keys else None,
            has_header_row=header_row, dilemma_id=dilemma_id, action_kind=action_kind)
        filled: list[list[CellContent]] = []
        header_of_first_write_in = next((c[1] for c in columns if c[2]), caption)
        for r, row in enumerate(rows):
            row_key = row_keys[r][0] if row_keys else f"r{r + 1}"
            title = row_keys[r][1] if row_keys else f"{header_of_first_write_in} {r + 1}"
            filled.append([
                self._control(form_table, row_key, column.key,
                              f"{title}: {column.header}".rstrip(": ")
                              if column.header and row_keys else column.header or title)
                if column.write_in and value is None else value
                for value, column in zip(row, form_table.columns, strict=True)])
        headers = [c[1] for c in columns] if header_row else []
        table = self.doc.table(headers, filled, widths, caption, description, **options)
        self.tables.append(form_table)
        return table

    def _control(self, table: FormTable, row: str, column: str, title: str
                 ) -> Callable[[Cell], None]:
        tag = table.cell_tag(row, column)
        alias = f"{table.caption} – {title}"[:250]
        sdt_id = next(self._ids)

        def fill(cell: Cell) -> None:
            tc = cell_element(cell)
            paragraph = tc.find(qn("w:p"))
            sdt = parse_xml(
                f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias/><w:tag/><w:id w:val="{sdt_id}"/>'
                f'</w:sdtPr><w:sdtContent/></w:sdt>')
            sdt[0][0].set(qn("w:val"), alias)
            sdt[0][1].set(qn("w:val"), tag)
            paragraph.addprevious(sdt)
            sdt[1].append(paragraph)  # the cell's paragraph moves inside the control

        return fill

    # -- the custom XML part ------------------------------------------------------------------

    def attach(self, plan: WorkshopPlan) -> None:
        """Store the form, with its workshop, as a custom XML part of the document."""
        form = MinutesForm(workshop=workshop_ref(plan), tables=self.tables,
                           static_texts=[t for t in self.static if t])
        data = form_to_xml(form)
        package = self.doc.doc.part.package
        item = Part(package.next_partname("/customXml/item%d.xml"), "application/xml", data,
                    package)
        props_name = PackURI(item.partname.replace("/item", "/itemProps"))
        props = Part(props_name, _CUSTOM_XML_PROPS_CT,
                     item_props_xml(hashlib.blake2b(data, digest_size=16).hexdigest()),
                     package)
        item.relate_to(props, RT.CUSTOM_XML_PROPS)
        self.doc.doc.part.relate_to(item, RT.CUSTOM_XML)


def write_minutes(plan: WorkshopPlan, path: Path, template: Path | None = None) -> Path:
    """Write the minutes template for *plan* to *path* and return *path*."""
    doc = Handout(plan, plan.label("docx_minutes_title"), template)
    form = _Form(doc)
    width = doc.text_width_cm
    form.paragraph(doc.title, "Title")
    form.paragraph(plan.title, "Subtitle")
    form.paragraph(doc.label("docx_m_how_to"))

    form.table(
        "meeting", "meeting", doc.label("docx_minutes_header"),
        doc.label("docx_desc_minutes_header"),
        [("field", "", False), ("value", "", True)],
        [[doc.label("docx_agency"), plan.agency],
         [doc.label("docx_date"), doc.label("docx_date_time", date=format_date(plan.date),
                                            start=format_time(plan.start),
                                            end=format_time(plan.end))],
         [doc.label("docx_audience"), plan.audience.name],
         [doc.label("docx_facilitator"), plan.facilitator or None],
         [doc.label("docx_note_taker"), None],
         [doc.label("docx_participants"), None]],
        [4.2, width - 4.2],
        row_keys=[("agency", doc.label("docx_agency")), ("date", doc.label("docx_date")),
                  ("audience", doc.label("docx_audience")),
                  ("facilitator", doc.label("docx_facilitator")),
                  ("note_taker", doc.label("docx_note_taker")),
                  ("participants", doc.label("docx_participants"))],
        header_row=False, first_column_header=True, row_height_cm=0.9,
    )

    if plan.follows is not None:
        _status_table(form, plan, width)

    for dilemma in plan.dilemmas:
        title = doc.label("docx_dilemma_heading", number=dilemma.number, title=dilemma.title)
        form.heading(title, 1)
        positions = [("left", doc.label("docx_m_left", pole=dilemma.pole_left)),
                     ("between", doc.label("docx_m_between")),
                     ("right", doc.label("docx_m_right", pole=dilemma.pole_right))]
        form.table(
            f"stood:{dilemma.id}", "stood", f"{title}: {doc.label('docx_m_position')}",
            doc.label("docx_desc_minutes_position"),
            [("position", doc.label("docx_col_position"), False),
             ("value", doc.label("docx_col_count_or_text"), True)],
            [[label, None] for _, label in positions], [width - 5.0, 5.0],
            row_keys=positions, dilemma_id=dilemma.id, row_height_cm=ROW_CM,
        )
        # Word and LibreOffice join two tables that touch into one: a lead line between.
        doc.lead(doc.label("docx_m_discussion"))
        form.static.append(doc.label("docx_m_discussion"))
        notes_rows = [(key, doc.label(label)) for key, label in DILEMMA_ROWS]
        form.table(
            f"notes:{dilemma.id}", "dilemma_notes", title,
            doc.label("docx_desc_minutes_dilemma"),
            [("topic", doc.label("docx_col_topic"), False),
             ("notes", doc.label("docx_col_notes"), True)],
            [[label, None] for _, label in notes_rows], [5.0, width - 5.0],
            row_keys=notes_rows, dilemma_id=dilemma.id, row_height_cm=2.6,
        )

    if plan.own_case is not None:
        case = plan.own_case
        form.heading(case.heading, 1)
        form.paragraph(doc.label("docx_oc_intro"), keep_with_next=True)
        rows = [(r.key, r.label) for r in case.minutes_rows]
        form.table(
            "own_case", "own_case", case.heading, doc.label("docx_oc_desc"),
            [("topic", doc.label("docx_col_topic"), False),
             ("notes", doc.label("docx_col_notes"), True)],
            [[label, None] for _, label in rows], [5.0, width - 5.0],
            row_keys=rows, row_height_cm=1.6,
        )
    if plan.scenarios_2040:
        rows = [(f.id, f"{f.title} ({f.quadrant})") for f in plan.scenarios_2040]
        form.heading(doc.label("docx_2040_heading"), 1)
        form.table(
            "scenarios_2040", "scenarios_2040", doc.label("docx_2040_heading"),
            doc.label("docx_2040_m_desc"),
            [("future", doc.label("docx_col_topic"), False),
             ("notes", doc.label("docx_2040_m_col"), True)],
            [[label, None] for _, label in rows], [5.0, width - 5.0],
            row_keys=rows, row_height_cm=2.2,
        )

    _growing(form, "decisions", "docx_decision_log", "docx_decision_log_intro",
             "docx_desc_decision_log",
             [("no", "docx_col_no", False), ("decision", "docx_col_decision", True),
              ("decided_by", "docx_col_decided_by", True), ("date", "docx_col_date", True)],
             [1.2, width - 1.2 - 4.0 - 2.6, 4.0, 2.6], BLANK_ROWS, numbered=True)
    _growing(form, "parking", "docx_parking", "docx_parking_intro", "docx_desc_parking",
             [("issue", "docx_col_issue", True), ("owner", "docx_col_owner", True),
              ("next_step", "docx_col_next_step", True),
              ("dilemma", "docx_col_dilemma_no", True)],
             [width - 4.0 - 4.0 - 2.0, 4.0, 4.0, 2.0], BLANK_ROWS)

    form.heading(doc.label("docx_actions"), 1)
    form.paragraph(doc.label("docx_actions_intro"), keep_with_next=True)
    for kind, title_key, intro_key in ACTION_KINDS:
        _growing(form, f"actions:{kind}", title_key, intro_key, "docx_desc_actions",
                 [("what", "docx_col_what", True), ("who", "docx_col_who", True),
                  ("by_when", "docx_col_by_when", True),
                  ("dilemma", "docx_col_dilemma_no", True)],
                 [width - 4.0 - 2.8 - 2.0, 4.0, 2.8, 2.0], 3, level=2, action_kind=kind)

    if plan.audience.id == "parties":
        form.heading(doc.label("docx_shared_understanding"), 1)
        form.paragraph(doc.label("docx_shared_understanding_intro"), keep_with_next=True)
        form.table(
            "shared", "shared", doc.label("docx_shared_understanding"),
            doc.label("docx_desc_shared"),
            [("topic", doc.label("docx_col_topic"), False),
             ("agreed", doc.label("docx_col_agreed"), True)],
            [[d.title, None] for d in plan.dilemmas], [5.0, width - 5.0],
            row_keys=[(d.id, d.title) for d in plan.dilemmas], row_height_cm=2.2,
        )
        _growing(form, "next_meeting", "docx_next_parties_meeting",
                 "docx_next_parties_meeting_intro", "docx_desc_next_parties",
                 [("point", "docx_col_point", True), ("raised_by", "docx_col_raised_by", True),
                  ("prepare", "docx_col_prepare", True),
                  ("dilemma", "docx_col_dilemma_no", True)],
                 [width - 4.0 - 4.0 - 2.0, 4.0, 4.0, 2.0], BLANK_ROWS)
    form.attach(plan)
    return doc.save(path, plan.title)


def _status_table(form: _Form, plan: WorkshopPlan, width: float) -> None:
    """A follow-up's minutes: one row per earlier action and its status.

    The status is typed, not chosen from a drop-down: LibreOffice shows an empty drop-down
    control as its first value, which would print. The choices go into the form, and the
    harvester maps what was typed to them.
    """
    assert plan.follows is not None
    doc = form.doc
    form.heading(doc.label("docx_fu_status"), 1)
    form.paragraph(doc.label("docx_fu_status_intro"), keep_with_next=True)
    choices = {key: doc.label(f"docx_fu_{key}") for key in ("done", "in_progress",
                                                            "not_started")}
    lines = [doc.label("plan_fu_action", kind=a.kind, what=a.what,
                       who=a.who or doc.label("plan_fu_no_owner"),
                       by_when=a.by_when or doc.label("plan_fu_no_deadline"))
             for a in plan.follows.actions]
    if not lines:
        form.paragraph(doc.label("plan_fu_no_actions"))
        return
    form.table(
        "action_status", "action_status", doc.label("docx_fu_status"),
        doc.label("docx_fu_desc_status"),
        [("action", doc.label("docx_col_action"), False),
         ("status", doc.label("docx_col_status"), True, choices),
         ("comment", doc.label("docx_col_comment"), True)],
        [[line, None, None] for line in lines], [width - 3.4 - 5.0, 3.4, 5.0],
        row_keys=[(f"a{i}", line) for i, line in enumerate(lines, 1)], row_height_cm=ROW_CM,
    )


def _growing(form: _Form, key: str, title_key: str, intro_key: str, desc_key: str,
             columns: list[tuple[str, str, bool]], widths: list[float], rows: int, *,
             level: int = 1, numbered: bool = False, action_kind: str | None = None) -> None:
    """A heading, its intro and a table of blank records the note-taker can add rows to.

    *columns* are (key, header label key, write-in); with *numbered* the first column
    counts the rows.
    """
    doc = form.doc
    title = doc.label(title_key)
    form.heading(title, level)
    form.paragraph(doc.label(intro_key), keep_with_next=True)
    kind = "actions" if action_kind else key
    form.table(
        key, kind, title, doc.label(desc_key),  # type: ignore[arg-type]
        [(k, doc.label(header), write_in) for k, header, write_in in columns],
        [[str(i) if numbered and c == 0 else None for c in range(len(columns))]
         for i in range(1, rows + 1)],
        widths, action_kind=action_kind, row_height_cm=ROW_CM,
    )
