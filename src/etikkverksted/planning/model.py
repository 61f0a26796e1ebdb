"""The workshop plan: one format-neutral document between the library and the writers.

Like Pandoc's AST, the plan holds everything a writer needs and nothing a writer must decide:
every text is already chosen, tailored and in the right language, every time box is fixed.
A writer (deck, handouts, a future web preview) lays it out and adds nothing of its own except
layout. Writers look up fixed words ("Agenda", "Kilde") in :attr:`WorkshopPlan.labels`.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..content.models import Audience, Lang, PartiesSide, QuestionRole, WorkshopFormat

SegmentKind = Literal[
    "opening",          # welcome, purpose and agenda
    "ground_rules",
    "status",           # where we stand: facts and figures, drawn as charts
    "maturity",         # the DFØ ladder: where are we?
    "mto",              # the MTO triangle
    "scenario",         # a dilemma's scenario
    "position_line",    # "Hvor står du?" between the dilemma's two poles
    "reflection",       # a reflection round on a dilemma's questions
    "dilemma_wrapup",
    "break",
    "scenario_cross",   # the 2040 exercise: the cross and the four futures
    "scenario_2040",    # the 2040 exercise: one future per group (plan.scenarios_2040)
    "scenario_now",     # the 2040 exercise: from 2040 back to what we do now
    "own_case",         # the agency's own case, in steps (plan.own_case)
    "buffer",
    "takeaways",        # what we take with us
    "recommendations",  # recommendations and next steps
    "parties_next",     # the parties: points for their next meeting, AI as a standing item
    "evaluation",       # evaluation and close
    # the follow-up workshop (planned from an outcome):
    "follow_up_opening",
    "action_status",    # what became of each agreed action
    "parked_review",    # the parked issues: take up, send on or close
    "next_steps",
]


class _Plan(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class PlannedMethod(_Plan):
    """A method in the form it will be run: in the room, or its online form."""

    id: str
    name: str
    summary: str
    steps: list[str]
    materials: list[str]
    digital: bool = Field(description="True when this is the method's online form.")


class ChartData(_Plan):
    """A data series ready to be drawn as a native chart."""

    kind: Literal["column", "bar"]
    title: str
    series_name: str
    categories: list[str]
    values: list[float]
    unit: str | None
    alt_text: str = Field(description="A sentence describing the chart for screen readers.")


class PlannedFact(_Plan):
    id: str
    statement: str
    value: float | None
    unit: str | None
    source: str
    chart: ChartData | None = None


class PlannedQuestion(_Plan):
    id: str
    text: str
    role: QuestionRole
    side: PartiesSide | None = Field(
        default=None, description="For the parties only: which group answers it."
    )
    probes: list[str] = Field(default_factory=list)


class QuestionGroup(_Plan):
    """Questions for one group in the room (for the parties: employer side, union, joint)."""

    label: str = Field(description="Who answers, e.g. 'Arbeidsgiversiden'; empty for all.")
    side: PartiesSide | None = None
    questions: list[PlannedQuestion]


class PlannedReading(_Plan):
    """Existing guidance to read next, by publisher and title (never a URL)."""

    id: str
    publisher: str
    title: str
    kind: str
    about: str
    cited: str | None = None
    text: str = Field(description="The whole reference as one line, ready to print.")
    short: str = Field(default="", description="Publisher and title only, for a page that "
                       "has no room for the rest.")


class PlannedDilemma(_Plan):
    id: str
    number: int = Field(description="1-based position in this workshop.")
    title: str
    summary: str
    scenario: str
    pole_left: str
    pole_right: str
    background: str
    facts: list[PlannedFact]
    questions: list[PlannedQuestion] = Field(
        description="Every question chosen for this audience and maturity, in order of use."
    )
    typical_positions: list[str]
    listen_for: list[str]
    pitfalls: list[str]
    mto: list[str]
    themes: list[str]
    legal: list[str]
    decision: str = Field(description="Label: co-determination, management or both.")
    decision_note: str
    recommendations: list[int]
    source: str
    selection_reason: str
    card_questions: list[str] = Field(
        description="Ids of the questions (from `questions`) printed on the dilemma's card.")
    touches_personal_data: bool = Field(
        description="True when the disclosure protocol belongs in this dilemma's notes.")
    further_reading: list[PlannedReading] = Field(
        default_factory=list, description="Guidance that shares a theme with the dilemma.")

    def card_question_list(self) -> list[PlannedQuestion]:
        by_id = {q.id: q for q in self.questions}
        return [by_id[i] for i in self.card_questions]


class Segment(_Plan):
    """One time box of the workshop, in order."""

    id: str = Field(description="Unique within the plan, stable for the same spec.")
    kind: SegmentKind
    title: str
    short_title: str = Field(description="The title without the dilemma's name, for a list "
                             "under the dilemma's own heading (the same as title elsewhere).")
    start: dt.time
    minutes: int = Field(ge=1)
    method: PlannedMethod | None = None
    bullets: list[str] = Field(default_factory=list, description="What the room sees.")
    notes: list[str] = Field(default_factory=list, description="What the facilitator does.")
    cue: list[str] = Field(
        default_factory=list, max_length=2,
        description="Two short lines for presenter view: what to say or do first, then the "
        "method and time box with its first step. The notes' detail follows them.")
    dilemma_id: str | None = None
    progress: str | None = Field(
        default=None, description="Where the room is, e.g. 'Dilemma 2 av 3' (dilemma parts).")
    question_groups: list[QuestionGroup] = Field(default_factory=list)
    fact_ids: list[str] = Field(default_factory=list)

    @property
    def end(self) -> dt.time:
        base = dt.datetime.combine(dt.date(2000, 1, 1), self.start)
        return (base + dt.timedelta(minutes=self.minutes)).time()


class MaturityStep(_Plan):
    trinn: int
    name: str
    description: str
    needs: str
    share_percent: float | None = None
    current: bool


class MtoCorner(_Plan):
    id: str
    name: str
    description: str


class PlannedRecommendation(_Plan):
    number: int
    title: str
    text: str
    advice_dfd: str
    linked: bool = Field(description="True when a chosen dilemma links to it.")
    shown: bool = Field(description="True when the recommendations slide and the guide show "
                        "it: the linked ones, or all when none is linked.")


class GlossaryItem(_Plan):
    term: str
    definition: str


class AudienceInfo(_Plan):
    id: Audience
    name: str
    description: str
    produces: str
    advice: list[str]
    follow_up: str


class PlanOrigin(_Plan):
    """Where a plan came from, so that what is made from it can be traced back and rebuilt.

    The minutes carry it (and :mod:`etikkverksted.outcome` reads it back): the spec rebuilds
    the workshop or its follow-up, and the library digest tells whether the content changed.
    """

    spec: dict = Field(description="The workshop spec as JSON; template paths as file names.")
    tool_version: str
    library_digest: str = Field(description="BLAKE2 digest of every content file read.")


class AgendaItem(_Plan):
    """One line of the agenda the participants see: a segment, or a dilemma's whole span."""

    start: dt.time
    end: dt.time
    title: str
    dilemma_id: str | None = None


class Role(_Plan):
    name: str
    task: str
    person: str | None = None


class Preparation(_Plan):
    """What the facilitator does before the day, chosen by audience and format."""

    checklist: list[str]
    invitation: list[str] = Field(description="The invitation text, paragraph by paragraph.")
    setup_title: str
    setup: list[str]
    roles: list[Role]
    materials: list[str] = Field(description="Everything to bring, the methods' own included.")


class FollowUp(_Plan):
    """What happens after the workshop."""

    text: str = Field(description="Where the results go next, for this audience.")
    routes: list[str]
    meeting: str = Field(description="The follow-up meeting, with its date.")
    agenda: list[str]
    weeks: int


class ProtocolCasePlan(_Plan):
    title: str
    signs: str
    steps: list[str]
    tell: str


class DisclosureProtocol(_Plan):
    """What to do when a participant reveals a breach, a confidentiality problem or a conflict
    with a named person in the room."""

    title: str
    summary: str
    notice: str
    steps: list[str]
    cases: list[ProtocolCasePlan]


class OwnCaseRow(_Plan):
    key: str
    label: str


class PlannedOwnCase(_Plan):
    """The agency's own case as the deck, the guide and the minutes carry it."""

    title: str
    description: str
    heading: str = Field(description="The heading over the case, e.g. 'Vår eiga sak: ...'.")
    minutes_rows: list[OwnCaseRow] = Field(
        description="What the minutes record about the case, row by row.")


class ThemeNarrative(_Plan):
    theme: str
    text: str


class PlannedScenario2040(_Plan):
    """One of the four 2040 futures, in the plan's language."""

    id: str
    title: str
    quadrant: str = Field(description="Where it lies in the cross, e.g. 'Mykje bruk, god "
                          "styring'.")
    summary: str
    themes: list[ThemeNarrative]
    questions: list[str]


class PartiesAgenda(_Plan):
    """The one-page agenda template of a parties pack: AI as a standing item in the
    meetings between the parties, with points agreed in the workshop."""

    title: str
    intro: list[str]
    items: list[str] = Field(description="The standing item's sub-points, in order.")
    agreed_rows: int = Field(ge=1, description="Blank rows for the points agreed in the "
                             "workshop.")


class FollowUpAction(_Plan):
    """An action agreed in the first workshop, as the follow-up shows it."""

    kind: str = Field(description="Act, influence or monitor, as a label in the language.")
    what: str
    who: str
    by_when: str


class FollowUpPosition(_Plan):
    """Where the room stood on a dilemma last time."""

    dilemma_id: str
    left: str
    between: str
    right: str


class FollowUpInfo(_Plan):
    """What a follow-up workshop brings back from the first one (from its outcome)."""

    previous_date: dt.date
    actions: list[FollowUpAction]
    parked: list[str] = Field(description="Each parked issue with its owner, as one line.")
    positions: list[FollowUpPosition]
    shared_understanding: list[str] = Field(default_factory=list)
    next_meeting_points: list[str] = Field(default_factory=list)


def sheet_questions(segments: list[Segment], dilemma: PlannedDilemma
                    ) -> list[tuple[str, list[PlannedQuestion]]]:
    """The dilemma's questions as (group label, questions), as the run sheet uses them.

    For the parties the planner splits questions by side (employer, union, joint); the
    participant sheet keeps that split. A dilemma no segment asks about keeps all its
    questions in one group with an empty label.
    """
    groups: list[tuple[str, list[PlannedQuestion]]] = []
    seen: set[str] = set()
    for segment in segments:
        if segment.dilemma_id != dilemma.id:
            continue
        for group in segment.question_groups:
            fresh = [q for q in group.questions if q.id not in seen]
            seen.update(q.id for q in fresh)
            if not fresh:
                continue
            for label, questions in groups:
                if label == group.label:
                    questions.extend(fresh)
                    break
            else:
                groups.append((group.label, fresh))
    rest = [q for q in dilemma.questions if q.id not in seen]
    if rest and not groups:
        groups.append(("", rest))
    return groups


def sheet_facts(facts: list[PlannedFact], dilemmas: list[PlannedDilemma]) -> list[PlannedFact]:
    """The facts the participant sheet prints: where we stand, else each dilemma's first."""
    return list(facts) or [d.facts[0] for d in dilemmas if d.facts]


class WorkshopPlan(_Plan):
    """Everything the writers render, in one language, for one meeting."""

    language: Lang
    language_tag: str = Field(description="BCP 47 tag for documents: nb-NO or nn-NO.")
    agency: str
    date: dt.date
    start: dt.time
    end: dt.time
    duration_minutes: int
    format: WorkshopFormat
    facilitator: str | None
    title: str
    subtitle: str
    audience: AudienceInfo
    maturity: int
    ladder: list[MaturityStep]
    mto: list[MtoCorner]
    segments: list[Segment]
    dilemmas: list[PlannedDilemma]
    facts: list[PlannedFact] = Field(description="Facts for 'where we stand', in order.")
    recommendations: list[PlannedRecommendation]
    glossary: list[GlossaryItem] = Field(
        description="The terms participants meet in the workshop (slides, cards), by term.")
    participant_glossary: list[GlossaryItem] = Field(
        default_factory=list, description="The terms the participant sheet itself uses: it "
        "prints no background, decision notes or probes, so it glosses fewer words.")
    sources: list[str]
    selection_notes: list[str]
    labels: dict[str, str] = Field(description="Every fixed label, in this language.")
    agenda: list[AgendaItem] = Field(description="The agenda the participants see.")
    preparation: Preparation
    follow_up: FollowUp
    follow_up_date: dt.date = Field(description="Suggested date of the follow-up meeting.")
    watch_for: list[str] = Field(description="Three things to watch for with this audience.")
    disclosure: DisclosureProtocol | None = Field(
        default=None, description="The disclosure protocol, when the library has one.")
    template: str | None = None
    docx_template: str | None = None
    follows: FollowUpInfo | None = Field(
        default=None, description="Set for a follow-up workshop: what it brings back from the "
        "workshop it follows up.")
    origin: PlanOrigin | None = Field(
        default=None, description="The spec, tool version and library digest behind the plan.")
    further_reading: list[PlannedReading] = Field(
        default_factory=list, description="Every item the chosen dilemmas point to.")
    focus: str = Field(default="standard", description="standard, own-case or scenario-2040.")
    own_case: PlannedOwnCase | None = None
    scenarios_2040: list[PlannedScenario2040] = Field(
        default_factory=list, description="The four futures, when the plan runs the 2040 "
        "exercise.")
    parties_agenda: PartiesAgenda | None = Field(
        default=None, description="The parties' agenda template; None for other audiences.")

    def dilemma(self, dilemma_id: str) -> PlannedDilemma:
        for d in self.dilemmas:
            if d.id == dilemma_id:
                return d
        raise KeyError(dilemma_id)

    def fact(self, fact_id: str) -> PlannedFact:
        for f in self.facts:
            if f.id == fact_id:
                return f
        for d in self.dilemmas:
            for f in d.facts:
                if f.id == fact_id:
                    return f
        raise KeyError(fact_id)

    def label(self, key: str) -> str:
        try:
            return self.labels[key]
        except KeyError:
            raise KeyError(f"label '{key}' is missing from the plan's labels") from None

    def sheet_questions(self, dilemma: PlannedDilemma
                        ) -> list[tuple[str, list[PlannedQuestion]]]:
        """The questions the participant sheet prints for *dilemma*, by group."""
        return sheet_questions(self.segments, dilemma)

    def sheet_facts(self) -> list[PlannedFact]:
        """The facts the participant sheet prints."""
        return sheet_facts(self.facts, self.dilemmas)
