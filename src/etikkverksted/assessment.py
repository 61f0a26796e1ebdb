"""Maturity self-assessment: answers to the library's questions -> DFØ trinn and a profile.

The questions, options and their scores are content (``dilemmas/blocks/assessment.yaml``);
this module only adds them up. Each option's score is the trinn it points to. The overall step
is the rounded mean of all answers, but never more than one step above how the agency actually
uses generative AI (the ``bruk`` questions): an agency with excellent guidelines that has not
started using the technology is not at trinn 4.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .content.library import Library
from .content.models import Audience, Lang
from .content.validation import validate_file
from .content.yamlsource import read_yaml
from .errors import Problem, SpecError

USE_DIMENSION = "bruk"


@dataclass(frozen=True)
class DimensionScore:
    dimension: str
    name: str
    score: float


@dataclass(frozen=True)
class AssessmentResult:
    trinn: int
    mean: float
    profile: list[DimensionScore]
    explanation: list[str]
    recommended_audience: Audience


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

    def L(key: str, **values: Any) -> str:
        return library.label(key, lang).format(**values)

    def dim_name(dim: str) -> str:
        if dim == USE_DIMENSION:
            return L("assess_use")
        return library.themes[dim].name.get(lang) if dim in library.themes else dim

    all_scores = [s for scores in by_dim.values() for s in scores]
    mean = sum(all_scores) / len(all_scores)
    trinn = _round(mean)
    use = by_dim.get(USE_DIMENSION)
    if use:
        trinn = min(trinn, _round(sum(use) / len(use)) + 1)
    trinn = max(1, min(4, trinn))
    profile = [DimensionScore(dim, dim_name(dim), sum(s) / len(s)) for dim, s in by_dim.items()]
    profile.sort(key=lambda d: (d.dimension == USE_DIMENSION, -d.score, d.dimension))
    weakest = min(profile, key=lambda d: (d.score, d.dimension))
    strongest = max(profile, key=lambda d: (d.score, d.dimension))
    level = library.maturity_levels[trinn]
    audience: Audience = "leaders"
    if weakest.dimension == "involvering":
        audience = "parties"
    elif weakest.dimension == "kompetanse":
        audience = "employees"
    explanation = [
        L("assess_result", trinn=trinn, name=level.name.get(lang)),
        level.description.get(lang),
        L("assess_strongest", name=strongest.name.lower(), score=_fmt(strongest.score)),
        L("assess_weakest", name=weakest.name.lower(), score=_fmt(weakest.score)),
        level.needs.get(lang),
        L("assess_recommendation",
          audience=library.audiences[audience].name.get(lang).lower()),
    ]
    return AssessmentResult(trinn, mean, profile, explanation, audience)


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
    profile = "\n".join(f"#   {d.dimension}: {d.score:.1f}" for d in result.profile)
    return (f"# Written by `etikkverksted assess`: trinn {result.trinn} "
            f"(mean {result.mean:.2f}).\n# Profile per dimension (1-4):\n{profile}\n"
            f"# Build it with: etikkverksted build <this file> -o out/\n{body}")
