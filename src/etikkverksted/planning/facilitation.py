"""What the facilitator prepares and follows up, chosen by audience and format.

These are content decisions, so they live in planning and reach every writer (the guide, the
deck, a web page) as finished text in the plan: which checklist items, which room or online
set-up, which materials, which roles, where results go, and when the follow-up meeting is.
The texts themselves are labels in the library; this module only chooses among them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from ..content.library import Library
from ..content.models import Audience, Lang
from .model import (
    AgendaItem,
    DisclosureProtocol,
    FollowUp,
    Preparation,
    ProtocolCasePlan,
    Role,
    Segment,
)

FOLLOW_UP_WEEKS = 6
"""The follow-up meeting: same weekday, this many weeks after the workshop."""

CHECKLIST = ("docx_check_invite", "docx_check_roles", "docx_check_read", "docx_check_print",
             "docx_check_minutes")
CHECKLIST_FOR_AUDIENCE: dict[Audience, tuple[str, ...]] = {
    "leaders": (), "parties": ("docx_check_parties",), "employees": ()}
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
INVITATION = ("docx_invitation_1", "docx_invitation_2", "docx_invitation_3")

Label = Callable[..., str]


def follow_up_date(date: dt.date) -> dt.date:
    """The suggested date of the follow-up meeting for a workshop on *date*."""
    return date + dt.timedelta(weeks=FOLLOW_UP_WEEKS)


def numeric_date(value: dt.date) -> str:
    """A date the Norwegian numeric way, ``dd.mm.yyyy`` (as the handouts print it)."""
    return value.strftime("%d.%m.%Y")


def preparation(label: Label, *, audience: Audience, digital: bool, agency: str,
                date: dt.date, start: dt.time, end: dt.time, audience_name: str, title: str,
                dilemma_titles: Sequence[str], facilitator: str | None,
                segments: Sequence[Segment]) -> Preparation:
    """Return what the facilitator prepares for this audience and format."""
    keys = [*CHECKLIST, *(CHECKLIST_DIGITAL if digital else CHECKLIST_IN_PERSON),
            *CHECKLIST_FOR_AUDIENCE[audience]]
    place = label("docx_place_digital" if digital else "docx_place_in_person")
    invitation = [label("docx_invitation_intro")]
    invitation += [label(k, agency=agency, date=numeric_date(date), start=f"{start:%H:%M}",
                         end=f"{end:%H:%M}", place=place, topics=", ".join(dilemma_titles),
                         audience=audience_name, title=title) for k in INVITATION]
    materials = [label(k) for k in (MATERIALS_DIGITAL if digital else MATERIALS_IN_PERSON)]
    for segment in segments:
        if segment.method:
            for item in segment.method.materials:
                if item not in materials:
                    materials.append(item)
    return Preparation(
        checklist=[label(k) for k in keys], invitation=invitation,
        setup_title=label("docx_setup_digital" if digital else "docx_setup_room"),
        setup=[label(k) for k in (SETUP_DIGITAL if digital else SETUP_IN_PERSON)],
        roles=[Role(name=label(role), task=label(task),
                    person=facilitator if role == "docx_role_facilitator" else None)
               for role, task in ROLES],
        materials=materials)


def follow_up(label: Label, text: str, date: dt.date) -> FollowUp:
    """Return what happens after the workshop on *date*."""
    return FollowUp(
        text=text, routes=[label(k) for k in RESULT_ROUTES],
        meeting=label("docx_follow_up_date", date=numeric_date(follow_up_date(date)),
                      weeks=FOLLOW_UP_WEEKS),
        agenda=[label(k) for k in FOLLOW_UP_AGENDA], weeks=FOLLOW_UP_WEEKS)


def agenda(segments: Sequence[Segment], dilemma_title: Callable[[str], str]) -> list[AgendaItem]:
    """The agenda the participants see: one line per segment, one per dilemma for the whole
    span of its segments (the facilitator's run sheet keeps every segment)."""
    items: list[AgendaItem] = []
    for segment in segments:
        if segment.dilemma_id and items and items[-1].dilemma_id == segment.dilemma_id:
            items[-1] = items[-1].model_copy(update={"end": segment.end})
            continue
        title = dilemma_title(segment.dilemma_id) if segment.dilemma_id else segment.title
        items.append(AgendaItem(start=segment.start, end=segment.end, title=title,
                                dilemma_id=segment.dilemma_id))
    return items


def disclosure(library: Library, lang: Lang) -> DisclosureProtocol | None:
    """The library's disclosure protocol in *lang*, or None when the library has none."""
    protocol = library.protocols.get("disclosure")
    if protocol is None:
        return None
    return DisclosureProtocol(
        title=protocol.title.get(lang), summary=protocol.summary.get(lang),
        notice=protocol.notice.get(lang), steps=[s.get(lang) for s in protocol.steps],
        cases=[ProtocolCasePlan(title=c.title.get(lang), signs=c.signs.get(lang),
                                steps=[s.get(lang) for s in c.steps], tell=c.tell.get(lang))
               for c in protocol.cases])


def watch_for(library: Library, audience: Audience, lang: Lang) -> list[str]:
    """The three things to watch for with *audience*; its first three pieces of advice when
    the library has no watch list for it."""
    found = library.watch_lists.get(audience)
    if found is not None:
        return [item.get(lang) for item in found.items]
    return [a.get(lang) for a in library.audiences[audience].advice[:3]]
