"""Choosing dilemmas and questions for an audience, a maturity step and a duration."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from ..content.library import Library
from ..content.models import AUDIENCES, Audience, Dilemma, Question, StrategicDilemma, WorkshopSpec
from ..errors import PlanningError, Problem
from . import rules
from .rules import RoundRule

_ROLE_ORDER = {"opening": 0, "deepening": 1, "action": 2}


@dataclass(frozen=True)
class Choice:
    dilemma: Dilemma
    named: bool
    weight: int
    strategic: tuple[str, ...] = ()
    """Ids of the §4.4 strategic dilemmas it was chosen to take up (automatic choice)."""
    affinity: int = 0


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

    The automatic choice is deterministic. The first dilemma takes up one of the report's
    §4.4 strategic dilemmas (:func:`strategic_choice`); the rest are ranked by relevance at
    the agency's step plus the audience's affinity (where its questions are stronger than the
    other audiences'), then by MTO dimensions and themes not yet covered, then by the id.
    """
    trinn, audience = spec.maturity, spec.audience
    if spec.dilemmas:
        problems: list[Problem] = []
        chosen: list[Choice] = []
        seen: set[str] = set()
        for i, did in enumerate(spec.dilemmas):
            dilemma = library.dilemmas.get(did)
            if dilemma is None:
                import difflib  # only for an unknown id: not on every run's import path

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
    strategic = strategic_choice(library, audience, trinn, candidates)
    if strategic is not None and count > 0:
        candidates.remove(strategic.dilemma)
        covered_mto |= set(strategic.dilemma.mto)
        covered_themes |= set(strategic.dilemma.themes)
        chosen.append(strategic)

    def score(d: Dilemma, mto: set[str], themes: set[str]) -> tuple[int, int, int, int, str]:
        return (
            -(rules.RELEVANCE_WEIGHT * d.maturity_relevance[trinn]
              + affinity(d, audience, trinn)),
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
        chosen.append(Choice(best, False, best.maturity_relevance[trinn],
                             affinity=affinity(best, audience, trinn)))
    if not chosen:
        raise PlanningError(Problem(
            f"the library has no dilemma with questions for {audience} at trinn {trinn}",
            "add dilemmas with questions for this audience, or check --library"))
    return chosen


def strength(dilemma: Dilemma, audience: Audience, trinn: int) -> int:
    """How strong a dilemma's questions are for *audience* at *trinn*: each question that
    fits counts once, again when it is written for this audience alone, and again when it
    is written for this trinn alone (see rules.STRENGTH_*). The parties answer in three
    groups (employer side, union, joint), so their sum is taken per group; the result is
    scaled by 6 to stay a whole number."""
    total = 0
    for q in dilemma.questions_for(audience, trinn):
        total += rules.STRENGTH_FITS
        if q.audiences == [audience]:
            total += rules.STRENGTH_OWN_AUDIENCE
        if q.maturity[0] == q.maturity[1]:
            total += rules.STRENGTH_OWN_TRINN
    groups = 3 if audience == "parties" else 1
    return total * 6 // groups


def affinity(dilemma: Dilemma, audience: Audience, trinn: int) -> int:
    """How much stronger the questions are for *audience* than for the strongest other
    audience at this trinn: positive where this audience has the dilemma's best questions."""
    others = [strength(dilemma, a, trinn) for a in AUDIENCES if a != audience]
    return strength(dilemma, audience, trinn) - max(others, default=0)


def strategic_in_play(library: Library, trinn: int) -> list[StrategicDilemma]:
    """The §4.4 strategic dilemmas that the three audiences share out at *trinn*: a window
    of three, moved on by three at each trinn, so that trinn 1-4 together cover all of them
    (with five, every one at least twice)."""
    ordered = sorted(library.strategic_dilemmas.values(), key=lambda s: (s.number, s.id))
    if not ordered:
        return []
    start = (trinn - 1) * len(AUDIENCES)
    window = min(len(AUDIENCES), len(ordered))
    return [ordered[(start + k) % len(ordered)] for k in range(window)]


def _best_for(strategic: StrategicDilemma, library: Library, audience: Audience, trinn: int,
              allowed: set[str]) -> Dilemma | None:
    found = [library.dilemmas[i] for i in strategic.dilemmas
             if i in library.dilemmas and i in allowed]
    if not found:
        return None
    order = {i: n for n, i in enumerate(strategic.dilemmas)}
    return min(found, key=lambda d: (-affinity(d, audience, trinn),
                                     -strength(d, audience, trinn),
                                     -d.maturity_relevance[trinn], order[d.id]))


def strategic_choice(library: Library, audience: Audience, trinn: int,
                     candidates: list[Dilemma]) -> Choice | None:
    """The §4.4 dilemma this audience takes up at this trinn, as a library dilemma.

    The three §4.4 dilemmas in play at the trinn (:func:`strategic_in_play`) are shared out
    among the three audiences so that the sum of their affinities is highest (ties: the
    report's order); each audience then gets the library dilemma where its own questions are
    strongest. Deterministic, and the same for nb and nn.
    """
    if not library.strategic_dilemmas:
        return None
    allowed = {d.id for d in candidates}
    in_play = strategic_in_play(library, trinn)
    usable_by = {a: {d.id for d in library.dilemmas.values()
                     if usable(d, a, trinn) and d.maturity_relevance[trinn] > 0}
                 for a in AUDIENCES}
    best_key: tuple[int, int] | None = None
    assignment: dict[Audience, Dilemma] = {}
    # Every way to share the dilemmas in play among the audiences, in a fixed order; the
    # first with the most audiences served and the highest summed affinity wins.
    for perm in itertools.permutations(range(len(in_play)),
                                       min(len(AUDIENCES), len(in_play))):
        picks: dict[Audience, Dilemma] = {}
        total = 0
        for a, k in zip(AUDIENCES, perm, strict=False):
            taken = {p.id for p in picks.values()}
            d = _best_for(in_play[k], library, a, trinn, usable_by[a] - taken)
            if d is not None:
                picks[a] = d
                total += affinity(d, a, trinn)
        key = (len(picks), total)
        if best_key is None or key > best_key:
            best_key, assignment = key, picks
    picked = assignment.get(audience)
    if picked is None or picked.id not in allowed:
        # Nothing in play fits this audience: take the §4.4 dilemma it fits best anywhere.
        pool = [(s, _best_for(s, library, audience, trinn, allowed))
                for s in sorted(library.strategic_dilemmas.values(), key=lambda s: s.number)]
        pool = [(s, d) for s, d in pool if d is not None]
        if not pool:
            return None
        picked = max(pool, key=lambda p: affinity(p[1], audience, trinn))[1]
    return Choice(picked, False, picked.maturity_relevance[trinn],
                  strategic=tuple(s.id for s in library.strategic_for(picked.id)),
                  affinity=affinity(picked, audience, trinn))


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
