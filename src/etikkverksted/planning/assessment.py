"""Maturity self-assessment: two things kept apart, and a recommendation that uses both.

The questions, options and their scores are content (``dilemmas/blocks/assessment.yaml``);
this module only adds them up. Each option's score is the trinn (1-4) it points to.

* **Use** — where the agency is on DFØ's usage ladder (modenhetstrappa): the rounded mean of
  the ``bruk`` questions. This is the workshop's trinn, because the scenarios and questions
  must fit the technology the agency actually uses.
* **Organisation of the work** — how mature the agency's handling of it is, along the report's
  five dimensions (strategic anchoring, organisation, competence, legal and ethical
  assessment, involvement): a mean from 1 to 4 and a profile per dimension.

The recommendation reads both: the audience of the first workshop follows the weakest
dimension (involvement: the parties; competence: employees; otherwise leaders), and the
balance between the two says whether use has run ahead of the organisation (deal with the gap
first), the organisation is ready for more use, or the two go together.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..content.library import Library
from ..content.models import Audience, Lang
from ..content.validation import validate_file
from ..content.yamlsource import read_yaml
from ..errors import Problem, SpecError

USE_DIMENSION = "bruk"

AUDIENCE_FOR_WEAKEST: dict[str, Audience] = {
    "involvering": "parties",
    "kompetanse": "employees",
}
"""Who the first workshop is for when this organisational dimension is the weakest; any
other weakest dimension (anchoring, organisation, legal and ethical) is the leaders'."""

GAP = 0.75
"""How far (in steps) use and organisation may lie apart and still count as in balance."""

Balance = Literal["balanced", "use_ahead", "organisation_ahead"]


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    name: str
    score: float


@dataclass(frozen=True)
class AssessmentResult:
    trinn: int
    """The workshop's trinn: the agency's step on DFØ's usage ladder."""
    mean: float
    """Mean of every answer (use and organisation together), for reference."""
    profile: list[DimensionScore]
    """The organisational dimensions, strongest first, then use."""
    explanation: list[str]
    recommended_audience: Audience
    usage: float = 0.0
    """Mean of the use answers (1-4)."""
    organisation: float = 0.0
    """Mean of the five organisational dimensions (1-4)."""
    balance: Balance = "balanced"
    weakest: str = ""
    """Id of the weakest organisational dimension."""


def _round(value: float) -> int:
    return math.floor(value + 0.5)


def score(answers: dict[str, int], library: Library, lang: Lang) -> AssessmentResult:
    """Score *answers* (question id -> 1-based option number); every question must be answered."""
    problems: list[Problem] = []
    for qid in answers:
        if qid not in library.assessment:
            problems.append(Problem(f"unknown question id `{qid}`",
                                    f"use the ids in the questions: "
                                    f"{', '.join(sorted(library.assessment))}",
                                    field=f"answers.{qid}"))
    by_dim: dict[str, list[int]] = {}
    for qid, question in library.assessment.items():
        if qid not in answers:
            problems.append(Problem(f"question `{qid}` is not answered",
                                    f"give a number from 1 to {len(question.options)}",
                                    field=f"answers.{qid}"))
            continue
        choice = answers[qid]
        if not isinstance(choice, int) or not 1 <= choice <= len(question.options):
            problems.append(Problem(f"answer {choice!r} to `{qid}` is not an option",
                                    f"give a number from 1 to {len(question.options)}",
                                    field=f"answers.{qid}"))
            continue
        by_dim.setdefault(question.dimension, []).append(question.options[choice - 1].score)
    if problems:
        raise SpecError(problems)
    use = by_dim.get(USE_DIMENSION)
    org_dims = {d: v for d, v in by_dim.items() if d != USE_DIMENSION}
    if not use or not org_dims:
        raise SpecError(Problem(
            "the self-assessment needs questions on use (dimension `bruk`) and on the "
            "organisation of the work (the five dimensions)",
            "add both kinds of question to dilemmas/blocks/assessment.yaml"))

    def L(key: str, **values: Any) -> str:
        return library.label(key, lang).format(**values)

    def dim_name(dim: str) -> str:
        if dim == USE_DIMENSION:
            return L("assess_use")
        return library.themes[dim].name.get(lang) if dim in library.themes else dim

    all_scores = [s for scores in by_dim.values() for s in scores]
    mean = sum(all_scores) / len(all_scores)
    usage = sum(use) / len(use)
    trinn = max(1, min(4, _round(usage)))
    org_profile = [DimensionScore(d, dim_name(d), sum(v) / len(v)) for d, v in org_dims.items()]
    organisation = sum(d.score for d in org_profile) / len(org_profile)
    org_profile.sort(key=lambda d: (-d.score, d.dimension))
    profile = [*org_profile, DimensionScore(USE_DIMENSION, dim_name(USE_DIMENSION), usage)]
    weakest = min(org_profile, key=lambda d: (d.score, d.dimension))
    strongest = max(org_profile, key=lambda d: (d.score, d.dimension))
    balance: Balance = "balanced"
    if usage - organisation >= GAP:
        balance = "use_ahead"
    elif organisation - usage >= GAP:
        balance = "organisation_ahead"
    audience: Audience = AUDIENCE_FOR_WEAKEST.get(weakest.dimension, "leaders")
    level = library.maturity_levels[trinn]
    audience_name = library.audiences[audience].name.get(lang).lower()
    explanation = [
        L("assess_usage_result", trinn=trinn, name=level.name.get(lang),
          score=_fmt(usage)),
        level.description.get(lang),
        L("assess_organisation_result", score=_fmt(organisation),
          dimensions=", ".join(d.name.lower() for d in sorted(
              org_profile, key=lambda d: d.dimension))),
        L("assess_strongest", name=strongest.name.lower(), score=_fmt(strongest.score)),
        L("assess_weakest", name=weakest.name.lower(), score=_fmt(weakest.score)),
        L(f"assess_balance_{balance}", weakest=weakest.name.lower(), trinn=trinn),
        level.needs.get(lang),
        L("assess_recommendation_both", audience=audience_name, trinn=trinn,
          weakest=weakest.name.lower()),
    ]
    return AssessmentResult(trinn, mean, profile, explanation, audience, usage=usage,
                            organisation=organisation, balance=balance,
                            weakest=weakest.dimension)


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def load_answers(path: Path) -> dict[str, Any]:
    """Read an answers file: ``answers: {question-id: option number}`` plus optional
    ``agency``, ``audience``, ``language``, ``date``, ``duration_minutes``."""
    from pydantic import BaseModel, ConfigDict, Field

    class AnswersFile(BaseModel):
        model_config = ConfigDict(extra="forbid")
        answers: dict[str, int] = Field(description="Question id -> 1-based option number.")
        agency: str | None = None
        audience: Audience | None = None
        language: Lang | None = None
        date: dt.date | None = None
        duration_minutes: int | None = Field(default=None, ge=45, le=240)

    source, problems = read_yaml(path)
    if source is None:
        raise SpecError(problems)
    model, problems = validate_file(AnswersFile, source)
    if model is None:
        raise SpecError(problems)
    return model.model_dump()


def spec_yaml(result: AssessmentResult, *, agency: str, audience: Audience | None, lang: Lang,
              date: dt.date, duration: int) -> str:
    """A ready workshop spec for the recommended session, as commented YAML."""
    import yaml

    data = {
        "agency": agency,
        "date": date,
        "audience": audience or result.recommended_audience,
        "maturity": result.trinn,
        "language": lang,
        "duration_minutes": duration,
        "format": "in_person",
        "dilemmas": [],
    }
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    profile = "\n".join(f"#   {d.dimension}: {d.score:.1f}" for d in result.profile
                        if d.dimension != USE_DIMENSION)
    return (f"# Written by `etikkverksted assess`.\n"
            f"# Use (DFØ's ladder): trinn {result.trinn} (mean {result.usage:.2f}); this is "
            f"the workshop's maturity.\n"
            f"# Organisation of the work: {result.organisation:.2f} of 4 "
            f"({result.balance.replace('_', ' ')}); weakest: {result.weakest}, which chose "
            f"the audience.\n# Organisation per dimension (1-4):\n{profile}\n"
            f"# Build it with: etikkverksted build <this file> -o out/\n{body}")
