"""The tailoring rules, in one place.

Everything that decides how a workshop differs by audience, maturity and duration is a table
here, so that a reader can see the whole policy at a glance and change it without touching the
algorithm in :mod:`.timing` and :mod:`.selection`. No text lives here: only ids and numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.models import Audience, PartiesSide, QuestionRole


@dataclass(frozen=True)
class RoundRule:
    """One reflection round on a dilemma: the method, which questions, its share of time."""

    method: str
    roles: tuple[QuestionRole, ...]
    share: float
    sides: tuple[PartiesSide, ...] | None = None
    max_questions: int = 2
    min_minutes: int = 0
    """Minutes the round must have; a plan that cannot give them takes fewer dilemmas."""


ROUNDS: dict[Audience, tuple[RoundRule, ...]] = {
    # Leaders decide: talk in pairs first so that everyone speaks, then agree in plenary on
    # what to do, who owns it and by when.
    "leaders": (
        RoundRule("pairs", ("opening", "deepening"), 0.55),
        RoundRule("plenary", ("action",), 0.45, max_questions=1),
    ),
    # The parties: the employer side and the union representatives reflect separately first
    # (at least PARTIES_APART_MINUTES), then meet (at least PARTIES_TOGETHER_MINUTES); the
    # joint round keeps its action question and produces a shared understanding and points
    # for the next meeting between the parties (Hovedavtalen's information and discussion
    # duties). A parties plan that cannot give both takes fewer dilemmas.
    "parties": (
        RoundRule("separate-then-joint", ("opening", "deepening", "action"), 0.5,
                  sides=("employer", "union"), max_questions=2, min_minutes=10),
        RoundRule("plenary", ("deepening", "action"), 0.5, sides=("joint",),
                  min_minutes=10),
    ),
    # Employees: silent individual reflection before any talk, so that rank weighs less; then
    # 1-2-4-all; then what the group wants to tell management.
    "employees": (
        RoundRule("individual-reflection", ("opening",), 0.2, max_questions=1),
        RoundRule("1-2-4-all", ("deepening",), 0.45, max_questions=1),
        RoundRule("plenary", ("action",), 0.35, max_questions=1),
    ),
}

POSITION_METHOD = "position-line"

METHOD_FALLBACK: dict[str, str] = {
    # When a segment is shorter than its method's ``min_minutes`` (content), the planner uses
    # the lighter method instead, step by step, rather than promise what cannot be done.
    "1-2-4-all": "pairs",
    "small-groups": "pairs",
    "pairs": "plenary",
    "dot-voting": "plenary",
}

STATUS_FACTS: dict[Audience, tuple[str, ...]] = {
    # Facts for "where we stand", in order of preference; the first ones that fit the
    # agency's maturity are used.
    "leaders": ("bruk-utvikling", "barrierer", "gevinstmaal", "retningslinjer", "andel-per-trinn"),
    "parties": ("bruk-utvikling", "dialog-tillitsvalgte", "barrierer", "retningslinjer",
                "andel-per-trinn"),
    "employees": ("ansatte-bruk", "bruk-utvikling", "hr-bruksomrader", "barrierer",
                  "andel-per-trinn"),
}

LADDER_FACT = "andel-per-trinn"


@dataclass(frozen=True)
class Bracket:
    """Minutes of the fixed segments for workshops from ``min_duration`` minutes."""

    min_duration: int
    opening: int
    ground_rules: int
    status: int
    maturity: int
    mto: int
    takeaways: int
    recommendations: int
    evaluation: int
    break_: int
    scenario_cross: int
    buffer: int
    status_facts: int
    max_recommendations: int


BRACKETS: tuple[Bracket, ...] = (
    Bracket(45, 4, 2, 4, 3, 0, 3, 3, 2, 0, 0, 2, 2, 2),
    Bracket(75, 5, 3, 5, 3, 3, 5, 4, 3, 0, 0, 3, 2, 3),
    Bracket(120, 6, 3, 6, 4, 4, 6, 5, 4, 10, 20, 4, 3, 3),
    Bracket(150, 6, 4, 7, 4, 5, 8, 6, 5, 10, 25, 5, 3, 4),
    Bracket(210, 8, 4, 8, 5, 5, 10, 7, 6, 15, 30, 6, 3, 4),
)

PARTIES_NEXT_MINUTES: tuple[tuple[int, int], ...] = (
    (45, 4), (75, 5), (120, 6), (210, 8),
)
"""(from duration, minutes) of the parties' closing segment: points for their next meeting
and AI as a standing item on their agenda (rapport kap. 5, anbefaling 3)."""

READING_PER_DILEMMA = 3
"""Items of further reading a dilemma points to (the ones sharing most of its themes)."""

PARTIES_AGENDA_BLOCK = "parties-agenda"
PARTIES_AGENDA_AGREED_ROWS = 4

OWN_CASE_MINUTES: tuple[tuple[int, int], ...] = ((75, 20), (120, 25), (180, 30))
"""(from duration, minutes) of the agency's own case as a segment of a standard workshop."""
OWN_CASE_MIN = OWN_CASE_MINUTES[0][0]
OWN_CASE_SHARES = (0.2, 0.3, 0.25, 0.25)
"""The own case's four steps: what it is and who is affected; MTO; act / influence /
monitor; what must be assessed next and who owns what."""
OWN_CASE_THEMES = ("juridisk-etisk", "involvering", "organisering")
"""Themes whose further reading the own case calls for: the assessments (DPIA, ROS), the
parties' involvement, who owns what."""
OWN_CASE_BLOCKS = ("own-case-intro", "own-case-mto", "own-case-act", "own-case-next")

SCENARIO_CROSS_MINUTES: tuple[tuple[int, int], ...] = ((90, 20), (120, 20), (150, 25),
                                                       (210, 30))
"""(from duration, minutes) of the 2040 exercise inside a workshop of dilemmas."""
SCENARIO_CROSS_MIN = SCENARIO_CROSS_MINUTES[0][0]
SCENARIO_SHARES = (0.15, 0.5, 0.35)
"""The 2040 exercise: the cross and the four futures, group work, back to now."""

SCENARIO_SOURCE = "rapport §1.3.5"
SCENARIO_QUADRANTS = (("high", "high"), ("low", "high"), ("low", "low"), ("high", "low"))
"""(use, governance) of the cross's quadrants 1-4 as the deck draws them."""

FOCUS_MAIN_MIN = {"own-case": 20, "scenario-2040": 30}
"""Minutes the main part of a focus workshop needs at least."""
FOCUS_BREAK_FROM = 110

SCENARIO_CROSS_FROM = 180
"""Include the 2040 scenario cross by default from this many minutes."""

RELEVANCE_WEIGHT = 2
"""Automatic choice after the §4.4 slot: a dilemma's score is RELEVANCE_WEIGHT x its
relevance at the trinn (0-3) plus the audience's affinity (see selection.affinity)."""

STRENGTH_FITS = 1
STRENGTH_OWN_AUDIENCE = 1
STRENGTH_OWN_TRINN = 1
"""A question's weight in a dilemma's strength for an audience: it fits (audience and
trinn), it is written for this audience alone, it is written for this trinn alone."""

TARGET_DILEMMA_MINUTES = 22
MIN_DILEMMA_MINUTES = 18
MAX_DILEMMAS = 5
MIN_ROUND_MINUTES = 2


def bracket_for(duration: int) -> Bracket:
    chosen = BRACKETS[0]
    for bracket in BRACKETS:
        if duration >= bracket.min_duration:
            chosen = bracket
    return chosen


_PARTS: tuple[tuple[int, tuple[int, int, int]], ...] = (
    (30, (4, 6, 4)), (25, (3, 5, 3)), (0, (2, 5, 3)),
)


def dilemma_parts(total: int, rounds_min: int = 0) -> tuple[int, int, int]:
    """Minutes for (scenario, position line, wrap-up) of a dilemma given *total* minutes;
    the rest goes to the reflection rounds. When the rounds would get fewer than
    *rounds_min* minutes, the parts take the next smaller size."""
    fitting = [parts for start, parts in _PARTS if total >= start]
    for parts in fitting:
        if total - sum(parts) >= rounds_min:
            return parts
    return fitting[-1]


def _stepped(table: tuple[tuple[int, int], ...], duration: int) -> int:
    chosen = 0
    for start, minutes in table:
        if duration >= start:
            chosen = minutes
    return chosen


def own_case_minutes(duration: int) -> int:
    return _stepped(OWN_CASE_MINUTES, duration)


def scenario_cross_minutes(duration: int) -> int:
    return _stepped(SCENARIO_CROSS_MINUTES, duration)


def parties_next_minutes(duration: int) -> int:
    chosen = 0
    for start, minutes in PARTIES_NEXT_MINUTES:
        if duration >= start:
            chosen = minutes
    return chosen
