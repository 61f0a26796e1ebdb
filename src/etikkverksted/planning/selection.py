"""Choosing dilemmas and questions for an audience, a maturity step and a duration."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..content.library import Library
from ..content.models import Audience, Dilemma, Question, WorkshopSpec
from ..errors import PlanningError, Problem
from .rules import RoundRule

_ROLE_ORDER = {"opening": 0, "deepening": 1, "action": 2}


@dataclass(frozen=True)
class Choice:
    dilemma: Dilemma
    named: bool
    weight: int


def usable(dilemma: Dilemma, audience: Audience, trinn: int) -> bool:
    """A dilemma is usable when it has an opening, a deepening and an action question for
    this audience and step (and, for the parties, questions for both sides and joint)."""
    questions = dilemma.questions_for(audience, trinn)
    roles = {q.role for q in questions}
    if not {"opening", "deepening", "action"} <= roles:
        return False
    if audience == "parties":
        return {"employer", "union", "joint"} <= {q.side for q in questions}
    return True


def choose_dilemmas(spec: WorkshopSpec, library: Library, count: int) -> list[Choice]:
    """The named dilemmas, checked; or the *count* best for audience and maturity.

    The automatic choice is deterministic: relevance at the agency's step first, then
    coverage of MTO dimensions and themes not yet covered, then the id.
    """
    trinn, audience = spec.maturity, spec.audience
    if spec.dilemmas:
        problems: list[Problem] = []
        chosen: list[Choice] = []
        seen: set[str] = set()
        for i, did in enumerate(spec.dilemmas):
            dilemma = library.dilemmas.get(did)
            if dilemma is None:
                close = difflib.get_close_matches(did, list(library.dilemmas), n=3)
                problems.append(Problem(
                    f"unknown dilemma id `{did}`",
                    f"did you mean {', '.join(close)}?" if close else
                    "see `etikkverksted list` for the ids", field=f"dilemmas[{i}]"))
                continue
            if did in seen:
                problems.append(Problem(f"dilemma `{did}` is named twice",
                                        "name each dilemma once", field=f"dilemmas[{i}]"))
                continue
            seen.add(did)
            if not usable(dilemma, audience, trinn):
                problems.append(Problem(
                    f"dilemma `{did}` has no complete set of questions for {audience} at "
                    f"trinn {trinn}",
                    "choose another dilemma, or add questions for this audience and trinn",
                    field=f"dilemmas[{i}]"))
                continue
            chosen.append(Choice(dilemma, True, dilemma.maturity_relevance[trinn]))
        if problems:
            raise PlanningError(problems)
        return chosen

    candidates = [d for d in library.sorted_dilemmas()
                  if usable(d, audience, trinn) and d.maturity_relevance[trinn] > 0]
    chosen = []
    covered_mto: set[str] = set()
    covered_themes: set[str] = set()
    def score(d: Dilemma, mto: set[str], themes: set[str]) -> tuple[int, int, int, int, str]:
        return (
            -d.maturity_relevance[trinn],
            -len(set(d.mto) - mto),
            -len(set(d.themes) - themes),
            -len(d.questions_for(audience, trinn)),
            d.id,
        )

    while candidates and len(chosen) < count:
        best = min(candidates, key=lambda d: score(d, covered_mto, covered_themes))
        candidates.remove(best)
        covered_mto |= set(best.mto)
        covered_themes |= set(best.themes)
        chosen.append(Choice(best, False, best.maturity_relevance[trinn]))
    if not chosen:
        raise PlanningError(Problem(
            f"the library has no dilemma with questions for {audience} at trinn {trinn}",
            "add dilemmas with questions for this audience, or check --library"))
    return chosen


def questions_for_round(dilemma: Dilemma, audience: Audience, trinn: int, rule: RoundRule,
                        side: str | None, limit: int) -> list[Question]:
    """The questions a round uses: matching role (and side), the most step-specific first."""
    pool = [q for q in dilemma.questions_for(audience, trinn)
            if q.role in rule.roles and (side is None or q.side == side)]
    order = {q.id: i for i, q in enumerate(dilemma.questions)}
    pool.sort(key=lambda q: (_ROLE_ORDER[q.role], q.maturity[1] - q.maturity[0], order[q.id]))
    return _one_per_role_then_fill(pool, limit, order)


CARD_QUESTIONS = 3
"""Questions on a printed dilemma card: one opening, one deepening, one action question."""


def card_questions(used: list[Question], limit: int = CARD_QUESTIONS) -> list[Question]:
    """The questions a dilemma's card prints, from those the workshop uses: the first of each
    role, then others in the workshop's order, returned in that order."""
    order = {q.id: i for i, q in enumerate(used)}
    pool = sorted(used, key=lambda q: (_ROLE_ORDER[q.role], order[q.id]))
    picked = _one_per_role_then_fill(pool, limit, order, fill_in=used)
    return sorted(picked, key=lambda q: order[q.id])


def _one_per_role_then_fill(pool: list[Question], limit: int, order: dict[str, int],
                            fill_in: list[Question] | None = None) -> list[Question]:
    """The first question of each role in *pool* (so a round with two roles gets both), then
    more from *fill_in* (default *pool*) up to *limit*, sorted by role and *order*."""
    picked: list[Question] = []
    roles_seen: set[str] = set()
    for q in pool:
        if q.role not in roles_seen and len(picked) < limit:
            picked.append(q)
            roles_seen.add(q.role)
    for q in (pool if fill_in is None else fill_in):
        if q not in picked and len(picked) < limit:
            picked.append(q)
    picked.sort(key=lambda q: (_ROLE_ORDER[q.role], order[q.id]))
    return picked
