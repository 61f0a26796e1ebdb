"""The follow-up workshop: planned from the outcome of the first one.

A shorter meeting (45-90 minutes) for the same group: what became of each agreed action, where
people stand now on the same dilemmas compared with last time, what to do with the parked
issues, and the next steps. Like every plan it is a :class:`WorkshopPlan`, so the deck, the
handouts and the minutes (with a status table of the earlier actions) render it as they render
any workshop.
"""

from __future__ import annotations

from pathlib import Path

from ..content.library import Library
from ..content.models import WorkshopSpec
from ..errors import PlanningError, Problem
from ..outcome.model import Outcome, Position
from . import rules
from .facilitation import follow_up_date
from .model import FollowUpAction, FollowUpInfo, FollowUpPosition, WorkshopPlan
from .selection import Choice
from .timing import split

MIN_MINUTES, MAX_MINUTES = 45, 90
OPENING, EVALUATION, NEXT_STEPS = 5, 5, 10
POSITION_MIN = 4
"""Minutes one dilemma needs for the position line again and what changed since last time."""


def follow_up_spec(outcome: Outcome, outcome_path: Path, *, duration: int = 60) -> WorkshopSpec:
    """Return the spec of the follow-up to *outcome*'s workshop: same agency, audience,
    maturity and written standard, on the date the first workshop suggested."""
    first = outcome.workshop
    data = {k: v for k, v in first.spec.items()
            if k in ("agency", "audience", "maturity", "language", "format", "facilitator",
                     "start_time")}
    date = first.follow_up_date or follow_up_date(first.date)
    return WorkshopSpec.model_validate(
        {**data, "date": date, "duration_minutes": duration,
         "follow_up": outcome_path.resolve()})


def plan_follow_up(spec: WorkshopSpec, outcome: Outcome, library: Library) -> WorkshopPlan:
    """Return the follow-up plan for *spec* from *outcome* (the first workshop's minutes).

    Raises PlanningError when the spec and the outcome do not belong together or the time
    does not fit.
    """
    from .planner import _Planner

    source = spec.follow_up
    first = outcome.workshop
    if spec.audience != first.audience:
        raise PlanningError(Problem(
            f"the outcome is from a workshop for '{first.audience}', the spec is for "
            f"'{spec.audience}'", "a follow-up is for the same group: set audience: "
            f"{first.audience}", source, field="audience"))
    if not MIN_MINUTES <= spec.duration_minutes <= MAX_MINUTES:
        raise PlanningError(Problem(
            f"a follow-up workshop takes {MIN_MINUTES}-{MAX_MINUTES} minutes, not "
            f"{spec.duration_minutes}", f"set duration_minutes between {MIN_MINUTES} and "
            f"{MAX_MINUTES}", source, field="duration_minutes"))
    planner = _Planner(spec, library)
    label = planner.label

    known = [d for d in outcome.dilemmas if d.id in library.dilemmas]
    missing = [d.id for d in outcome.dilemmas if d.id not in library.dilemmas]
    rest = spec.duration_minutes - OPENING - EVALUATION - NEXT_STEPS
    status_minutes = max(10, round(rest * 0.4))
    fit = max(0, (rest - status_minutes - 8) // POSITION_MIN)
    kept = known[:fit]
    positions_minutes = sum(split(round((rest - status_minutes) * 0.55),
                                  [1.0] * len(kept))) if kept else 0
    parked_minutes = rest - status_minutes - positions_minutes

    planned = [planner.planned_dilemma(n, Choice(library.dilemmas[d.id], True, 0), [])
               for n, d in enumerate(kept, 1)]

    kinds = {"act": label("docx_act"), "influence": label("docx_influence"),
             "monitor": label("docx_monitor")}
    actions = [FollowUpAction(kind=kinds[a.kind], what=a.what, who=a.who, by_when=a.by_when)
               for a in outcome.actions]
    info = FollowUpInfo(
        previous_date=first.date, actions=actions,
        parked=[f"{p.issue} ({p.owner})" if p.owner else p.issue for p in outcome.parking],
        positions=[FollowUpPosition(dilemma_id=d.id, left=_said(d.left),
                                    between=_said(d.between), right=_said(d.right))
                   for d in kept],
        shared_understanding=[s.agreed for s in outcome.shared_understanding],
        next_meeting_points=[p.point for p in outcome.next_parties_meeting])
    then = planner.date_text(first.date)

    planner.add("follow_up_opening", OPENING,
                notes=[label("plan_fu_opening_note", date=then)])
    action_lines = [label("plan_fu_action", kind=a.kind, what=a.what,
                          who=a.who or label("plan_fu_no_owner"),
                          by_when=a.by_when or label("plan_fu_no_deadline")) for a in actions]
    planner.add("action_status", status_minutes,
                bullets=action_lines or [label("plan_fu_no_actions")],
                notes=[label("plan_fu_status_note", n=len(actions))])
    if kept:
        for minutes, d, position in zip(split(positions_minutes, [1.0] * len(kept)), planned,
                                        info.positions, strict=True):
            planner.add("position_line", minutes,
                        title=label("plan_fu_position_title", title=d.title),
                        seg_id=f"dilemma-{d.number}-position-again",
                        bullets=[d.pole_left, d.pole_right],
                        method=planner.method(rules.POSITION_METHOD), dilemma_id=d.id,
                        notes=[label("plan_fu_position_then", date=then, left=position.left,
                                     between=position.between, right=position.right),
                               label("plan_fu_position_note")])
    planner.add("parked_review", parked_minutes,
                bullets=info.parked or [label("plan_fu_no_parked")])
    next_notes = []
    if info.shared_understanding:
        next_notes.append(label("plan_fu_shared", items="; ".join(info.shared_understanding)))
    if info.next_meeting_points:
        next_notes.append(label("plan_fu_points", items="; ".join(info.next_meeting_points)))
    planner.add("next_steps", NEXT_STEPS, notes=next_notes)
    planner.add("evaluation", EVALUATION)

    selection = [label("plan_fu_reason", date=then, n=len(kept))]
    if len(kept) < len(known):
        selection.append(label("plan_fu_reason_cut", n=len(known) - len(kept),
                               minutes=spec.duration_minutes))
    if missing:
        selection.append(label("plan_fu_reason_missing", ids=", ".join(missing)))
    sources = [label("plan_report_reference")]
    return planner.assemble(planned, [], planner.recommendations(
        [library.dilemmas[d.id] for d in kept], 3), selection, sources,
        title_key="plan_fu_title", follows=info)


def _said(position: Position) -> str:
    """One place on the line as the minutes had it: the count, the text, or a dash."""
    if position.count is not None and position.text:
        return position.text
    if position.count is not None:
        return str(position.count)
    return position.text or "–"
