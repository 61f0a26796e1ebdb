"""What a workshop produced: the :class:`Outcome` that ``harvest`` reads out of filled minutes.

The outcome is the agency's own record. It keeps the names of action owners because the agency
needs them to follow up; everything meant to leave the agency (DFD's overview) is made by
:mod:`etikkverksted.outcome.summary`, which leaves personal names and free text out unless told
otherwise.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..content.models import Audience, Lang

ActionKind = Literal["act", "influence", "monitor"]
"""Act (what we do ourselves), influence (what we ask others to do), monitor (what we watch)."""

ActionStatus = Literal["done", "in_progress", "not_started", "unknown"]


class _Outcome(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class WorkshopRef(_Outcome):
    """Which workshop the minutes belong to, read from the document's own custom XML part."""

    spec: dict = Field(description="The workshop spec as JSON, so the workshop can be rebuilt.")
    plan_digest: str = Field(description="BLAKE2 digest of the plan the minutes were made from.")
    tool_version: str = Field(description="The etikkverksted version that wrote the minutes.")
    library_digest: str = Field(description="Digest of the content library's files.")
    agency: str
    date: dt.date
    audience: Audience
    maturity: int = Field(ge=1, le=4)
    language: Lang
    duration_minutes: int
    follow_up_date: dt.date | None = Field(
        default=None, description="When the facilitator guide suggested the follow-up.")
    dilemma_titles: dict[str, str] = Field(
        default_factory=dict, description="Dilemma id → title as the minutes showed it.")
    dilemma_numbers: dict[str, str] = Field(
        default_factory=dict, description="Number in the workshop (\"1\") → dilemma id.")


class Position(_Outcome):
    """Where people stood between a dilemma's two poles: a count, or a short text."""

    count: int | None = Field(default=None, ge=0)
    text: str = ""


class DilemmaOutcome(_Outcome):
    id: str
    title: str
    left: Position = Field(default_factory=Position)
    between: Position = Field(default_factory=Position)
    right: Position = Field(default_factory=Position)
    points: str = ""
    disagreements: str = ""
    consequences: str = ""

    @property
    def has_counts(self) -> bool:
        return any(p.count is not None for p in (self.left, self.between, self.right))


class Decision(_Outcome):
    decision: str
    decided_by: str = ""
    date: str = ""


class _AboutDilemmas(_Outcome):
    """A record the note-taker may tie to dilemmas by number (the «Dilemma nr.» column)."""

    dilemma_ids: list[str] = Field(
        default_factory=list, description="The dilemmas it concerns, if noted.")


class ParkedItem(_AboutDilemmas):
    issue: str
    owner: str = ""
    next_step: str = ""


class Action(_AboutDilemmas):
    kind: ActionKind
    what: str
    who: str = ""
    by_when: str = ""
    status: ActionStatus = "unknown"


class ActionStatusReport(_Outcome):
    """In a follow-up: what became of an action agreed in the first workshop."""

    action: str = Field(description="The action as the follow-up minutes printed it.")
    status: ActionStatus = "unknown"
    comment: str = ""


class TopicNote(_Outcome):
    """A note on one fixed topic: a step of the agency's own case, or one 2040 future."""

    key: str = Field(description="The topic's stable key (a case step, a future's id).")
    topic: str = Field(description="The topic as the minutes printed it.")
    notes: str


class SharedPoint(_Outcome):
    """For the parties: what they agreed on, per dilemma."""

    dilemma_id: str
    agreed: str


class NextMeetingPoint(_AboutDilemmas):
    """For the parties: a point for their next meeting."""

    point: str
    raised_by: str = ""
    prepare: str = ""


class UnplacedText(_Outcome):
    """Text found in the minutes that belongs to no field: kept, never dropped."""

    section: str = Field(description="The heading above the place where it was found.")
    table: str = Field(default="", description="The table's title, if it was in a table.")
    row: int | None = Field(default=None, description="1-based row of that table (after the "
                            "header row), if it was in a row.")
    text: str


class Outcome(_Outcome):
    """Everything the note-taker wrote in the minutes, tied to its workshop."""

    model_config = ConfigDict(extra="forbid", title="Workshop outcome", defer_build=True)

    workshop: WorkshopRef
    note_taker: str = ""
    participants: str = ""
    dilemmas: list[DilemmaOutcome] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    parking: list[ParkedItem] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    action_status: list[ActionStatusReport] = Field(
        default_factory=list, description="In a follow-up: the earlier actions' status.")
    shared_understanding: list[SharedPoint] = Field(default_factory=list)
    own_case: list[TopicNote] = Field(
        default_factory=list, description="Notes on the agency's own case, step by step.")
    scenarios_2040: list[TopicNote] = Field(
        default_factory=list, description="Notes on each 2040 future the group worked on.")
    next_parties_meeting: list[NextMeetingPoint] = Field(default_factory=list)
    notes: list[UnplacedText] = Field(
        default_factory=list,
        description="Text typed outside any field, with where it was found.")
    problems: list[str] = Field(
        default_factory=list,
        description="What could not be read (a deleted table, an unreadable count), and where.")
