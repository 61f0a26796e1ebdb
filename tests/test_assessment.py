"""The maturity self-assessment maps known answer sets to the expected trinn."""

from __future__ import annotations

import pytest

from etikkverksted.assessment import USE_DIMENSION, score
from etikkverksted.errors import SpecError


def answers_scoring(library, wanted: dict[str, int] | int) -> dict[str, int]:
    """Pick, for each question, the option whose score is wanted (per dimension or overall)."""
    out = {}
    for qid, q in library.assessment.items():
        target = wanted if isinstance(wanted, int) else wanted.get(q.dimension, 2)
        best = min(range(len(q.options)), key=lambda i: abs(q.options[i].score - target))
        out[qid] = best + 1
    return out


def test_library_has_a_complete_self_assessment(library) -> None:
    questions = list(library.assessment.values())
    assert 10 <= len(questions) <= 15
    dims = {q.dimension for q in questions}
    assert {"strategisk-forankring", "organisering", "kompetanse", "juridisk-etisk",
            "involvering", USE_DIMENSION} <= dims
    for q in questions:
        assert {o.score for o in q.options} >= {1, 4}


@pytest.mark.parametrize("trinn", [1, 2, 3, 4])
def test_uniform_answers_give_that_step(library, trinn: int) -> None:
    result = score(answers_scoring(library, trinn), library, "nb")
    assert result.trinn == trinn
    assert len(result.profile) >= 6


def test_good_paperwork_without_use_is_not_top_maturity(library) -> None:
    wanted = {d: 4 for d in ("strategisk-forankring", "organisering", "kompetanse",
                             "juridisk-etisk", "involvering")}
    wanted[USE_DIMENSION] = 1
    assert score(answers_scoring(library, wanted), library, "nb").trinn == 2


def test_weak_involvement_recommends_a_workshop_for_the_parties(library) -> None:
    wanted = {d: 3 for d in ("strategisk-forankring", "organisering", "kompetanse",
                             "juridisk-etisk", USE_DIMENSION)}
    wanted["involvering"] = 1
    result = score(answers_scoring(library, wanted), library, "nn")
    assert result.recommended_audience == "parties"
    name = library.audiences["parties"].name.nn.lower()
    assert any(name in line.lower() for line in result.explanation)


def test_missing_and_invalid_answers_are_all_reported(library) -> None:
    answers = answers_scoring(library, 2)
    first, second = list(answers)[:2]
    del answers[first]
    answers[second] = 9
    answers["finnes-ikke"] = 1
    with pytest.raises(SpecError) as info:
        score(answers, library, "nb")
    assert len(info.value.problems) == 3
