"""Time boxes: how many dilemmas fit, and minutes that add up exactly to the duration."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.models import WorkshopSpec
from ..errors import PlanningError, Problem
from .rules import (
    FOCUS_BREAK_FROM,
    FOCUS_MAIN_MIN,
    MAX_DILEMMAS,
    MIN_DILEMMA_MINUTES,
    MIN_ROUND_MINUTES,
    OWN_CASE_MIN,
    SCENARIO_CROSS_FROM,
    SCENARIO_CROSS_MIN,
    TARGET_DILEMMA_MINUTES,
    Bracket,
    bracket_for,
    own_case_minutes,
    parties_next_minutes,
    scenario_cross_minutes,
)

FIXED = ("opening", "ground_rules", "status", "maturity", "mto", "break", "own_case",
         "scenario_cross", "buffer", "takeaways", "recommendations", "parties_next",
         "evaluation")


@dataclass(frozen=True)
class Budget:
    """The fixed segments' minutes and each dilemma's minutes, summing to the duration."""

    fixed: dict[str, int]
    dilemma_minutes: list[int]
    bracket: Bracket

    @property
    def total(self) -> int:
        return sum(self.fixed.values()) + sum(self.dilemma_minutes)

    def for_count(self, count: int) -> Budget:
        """The same total spread over *count* dilemmas (fewer usable ones than time allows);
        the rounding rest goes to the buffer."""
        each, rest = divmod(sum(self.dilemma_minutes), count)
        fixed = dict(self.fixed)
        fixed["buffer"] += rest
        return Budget(fixed, [each] * count, self.bracket)


def _fixed(bracket: Bracket, cross: bool, spec: WorkshopSpec) -> dict[str, int]:
    return {
        "opening": bracket.opening,
        "ground_rules": bracket.ground_rules,
        "status": bracket.status,
        "maturity": bracket.maturity,
        "mto": bracket.mto,
        "break": bracket.break_,
        "own_case": own_case_minutes(spec.duration_minutes) if spec.own_case else 0,
        "scenario_cross": scenario_cross_minutes(spec.duration_minutes) if cross else 0,
        "buffer": bracket.buffer,
        "takeaways": bracket.takeaways,
        "recommendations": bracket.recommendations,
        "parties_next": parties_next_minutes(spec.duration_minutes)
        if spec.audience == "parties" else 0,
        "evaluation": bracket.evaluation,
    }


def wants_cross(spec: WorkshopSpec) -> bool:
    if spec.scenario_cross is not None:
        return spec.scenario_cross
    return spec.duration_minutes >= SCENARIO_CROSS_FROM


def budget(spec: WorkshopSpec, named: int | None,
           target: int = TARGET_DILEMMA_MINUTES) -> Budget:
    """Plan the minutes for *spec*; *named* is the number of dilemmas the user named, and
    *target* the minutes a dilemma should have for this audience's methods; a dilemma gets
    at least the larger of *target* and MIN_DILEMMA_MINUTES, or the plan takes fewer.

    Raises PlanningError when the named dilemmas (or an explicit scenario cross) cannot fit,
    saying what would.
    """
    duration = spec.duration_minutes
    bracket = bracket_for(duration)
    cross = wants_cross(spec) and scenario_cross_minutes(duration) > 0
    if spec.scenario_cross and not cross:
        raise PlanningError(Problem(
            f"the 2040 scenario exercise needs a workshop of at least {SCENARIO_CROSS_MIN} "
            f"minutes; this one has {duration}",
            f"set duration_minutes to {SCENARIO_CROSS_MIN} or more, remove scenario_cross, "
            "or use focus: scenario-2040 for the exercise on its own (60 minutes or more)",
            field="scenario_cross"))
    if spec.own_case is not None and own_case_minutes(duration) == 0:
        raise PlanningError(Problem(
            f"the agency's own case needs a workshop of at least {OWN_CASE_MIN} minutes "
            f"besides the dilemmas; this one has {duration}",
            f"set duration_minutes to {OWN_CASE_MIN} or more, or use focus: own-case for a "
            "short workshop on the case alone", field="own_case"))
    fixed = _fixed(bracket, cross, spec)
    available = duration - sum(fixed.values())
    least = max(MIN_DILEMMA_MINUTES, target)
    if named:
        if named * least > available and cross and spec.scenario_cross is None:
            # Drop the optional exercise before refusing the user's own choice.
            cross = False
            fixed = _fixed(bracket, cross, spec)
            available = duration - sum(fixed.values())
        if named * least > available:
            fits = max(available // least, 0)
            need = duration + named * least - available
            raise PlanningError(Problem(
                f"{named} dilemmas do not fit in {duration} minutes: each needs at least "
                f"{least} minutes{_why(spec)} and the fixed parts take "
                f"{duration - available}; at most {fits} fit",
                f"name at most {fits} dilemma(s), or set duration_minutes to at least "
                f"{min(need, 240)}" + (" (and drop the scenario cross)" if cross else ""),
                field="dilemmas"))
        count = named
    else:
        if available < least:
            raise PlanningError(Problem(
                f"not even one dilemma fits in {duration} minutes: it needs at least {least} "
                f"minutes{_why(spec)} and the fixed parts take {duration - available}",
                f"set duration_minutes to at least {duration + least - available}",
                field="duration_minutes"))
        count = max(1, min(MAX_DILEMMAS, available // max(target, TARGET_DILEMMA_MINUTES)))
    each, rest = divmod(available, count)
    minutes = [each] * count
    fixed = dict(fixed)
    fixed["buffer"] += rest
    result = Budget(fixed, minutes, bracket)
    assert result.total == duration
    return result


def focus_budget(spec: WorkshopSpec) -> dict[str, int]:
    """Minutes per segment kind, in order, of a workshop built around one thing (no
    dilemmas): the agency's own case, or the 2040 scenario exercise. The main part gets
    whatever the frame leaves; the frame grows a little with the duration."""
    duration = spec.duration_minutes
    bracket = bracket_for(duration)
    frame: dict[str, int] = {
        "opening": bracket.opening,
        "ground_rules": bracket.ground_rules,
    }
    if spec.focus == "scenario-2040":
        frame["status"] = bracket.status
    frame["mto"] = max(bracket.mto, 3)
    main = "own_case" if spec.focus == "own-case" else "scenario_cross"
    frame[main] = 0
    if duration >= FOCUS_BREAK_FROM:
        frame["break"] = bracket.break_ or 10
    frame["buffer"] = bracket.buffer
    frame["takeaways"] = bracket.takeaways
    if spec.focus == "scenario-2040":
        frame["recommendations"] = bracket.recommendations
    if spec.audience == "parties":
        frame["parties_next"] = parties_next_minutes(duration)
    frame["evaluation"] = bracket.evaluation
    frame[main] = duration - sum(frame.values())
    least = FOCUS_MAIN_MIN[spec.focus]
    if frame[main] < least:
        raise PlanningError(Problem(
            f"the {spec.focus} workshop needs at least {least} minutes for its main part; "
            f"{duration} minutes leave {frame[main]}",
            f"set duration_minutes to at least {duration + least - frame[main]}",
            field="duration_minutes"))
    return frame


def _why(spec: WorkshopSpec) -> str:
    if spec.audience == "parties":
        return (" (the parties get at least 10 minutes on each side and 10 together on every "
                "dilemma)")
    return ""


def split(total: int, shares: list[float], minimum: int | list[int] = MIN_ROUND_MINUTES
          ) -> list[int]:
    """Split *total* minutes by *shares* (largest remainder), each part at least *minimum*
    (one number for all parts, or one per part)."""
    if not shares:
        return []
    mins = minimum if isinstance(minimum, list) else [minimum] * len(shares)
    weight = sum(shares)
    raw = [total * s / weight for s in shares]
    parts = [max(m, int(r)) for m, r in zip(mins, raw, strict=True)]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - int(raw[i])), i))
    i = 0
    while sum(parts) < total:
        parts[order[i % len(order)]] += 1
        i += 1
    while sum(parts) > total:
        spare = [k for k in range(len(parts)) if parts[k] > max(mins[k], 1)] or \
            [k for k in range(len(parts)) if parts[k] > 1]
        if not spare:
            break
        biggest = max(spare, key=lambda k: (parts[k], -k))
        parts[biggest] -= 1
    return parts
