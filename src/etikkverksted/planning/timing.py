"""Time boxes: how many dilemmas fit, and minutes that add up exactly to the duration."""

from __future__ import annotations

from dataclasses import dataclass

from ..content.models import WorkshopSpec
from ..errors import PlanningError, Problem
from .rules import (
    MAX_DILEMMAS,
    MIN_DILEMMA_MINUTES,
    MIN_ROUND_MINUTES,
    SCENARIO_CROSS_FROM,
    TARGET_DILEMMA_MINUTES,
    Bracket,
    bracket_for,
    parties_next_minutes,
)

FIXED = ("opening", "ground_rules", "status", "maturity", "mto", "break", "scenario_cross",
         "buffer", "takeaways", "recommendations", "parties_next", "evaluation")


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
        "scenario_cross": bracket.scenario_cross if cross else 0,
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
    cross = wants_cross(spec) and bracket.scenario_cross > 0
    if spec.scenario_cross and bracket.scenario_cross == 0:
        raise PlanningError(Problem(
            f"the 2040 scenario cross needs a workshop of at least 120 minutes; this one has "
            f"{duration}", "set duration_minutes to 120 or more, or remove scenario_cross",
            field="scenario_cross"))
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
