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
)

FIXED = ("opening", "ground_rules", "status", "maturity", "mto", "break", "scenario_cross",
         "buffer", "takeaways", "recommendations", "evaluation")


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


def _fixed(bracket: Bracket, cross: bool) -> dict[str, int]:
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
        "evaluation": bracket.evaluation,
    }


def wants_cross(spec: WorkshopSpec) -> bool:
    if spec.scenario_cross is not None:
        return spec.scenario_cross
    return spec.duration_minutes >= SCENARIO_CROSS_FROM


def budget(spec: WorkshopSpec, named: int | None,
           target: int = TARGET_DILEMMA_MINUTES) -> Budget:
    """Plan the minutes for *spec*; *named* is the number of dilemmas the user named, and
    *target* the minutes a dilemma should have for this audience's methods.

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
    fixed = _fixed(bracket, cross)
    available = duration - sum(fixed.values())
    if named:
        if named * MIN_DILEMMA_MINUTES > available and cross and spec.scenario_cross is None:
            # Drop the optional exercise before refusing the user's own choice.
            cross = False
            fixed = _fixed(bracket, cross)
            available = duration - sum(fixed.values())
        if named * MIN_DILEMMA_MINUTES > available:
            fits = max(available // MIN_DILEMMA_MINUTES, 0)
            need = duration + named * MIN_DILEMMA_MINUTES - available
            raise PlanningError(Problem(
                f"{named} dilemmas do not fit in {duration} minutes: each needs at least "
                f"{MIN_DILEMMA_MINUTES} minutes and the fixed parts take "
                f"{duration - available}; at most {fits} fit",
                f"name at most {fits} dilemma(s), or set duration_minutes to at least "
                f"{min(need, 240)}" + (" (and drop the scenario cross)" if cross else ""),
                field="dilemmas"))
        count = named
    else:
        count = max(1, min(MAX_DILEMMAS, available // max(target, TARGET_DILEMMA_MINUTES)))
    each, rest = divmod(available, count)
    minutes = [each] * count
    fixed = dict(fixed)
    fixed["buffer"] += rest
    result = Budget(fixed, minutes, bracket)
    assert result.total == duration
    return result


def split(total: int, shares: list[float], minimum: int = MIN_ROUND_MINUTES) -> list[int]:
    """Split *total* minutes by *shares* (largest remainder), each part at least *minimum*."""
    if not shares:
        return []
    weight = sum(shares)
    raw = [total * s / weight for s in shares]
    parts = [max(minimum, int(r)) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - int(raw[i])), i))
    i = 0
    while sum(parts) < total:
        parts[order[i % len(order)]] += 1
        i += 1
    while sum(parts) > total:
        biggest = max(range(len(parts)), key=lambda k: (parts[k], -k))
        if parts[biggest] <= 1:
            break
        parts[biggest] -= 1
    return parts
