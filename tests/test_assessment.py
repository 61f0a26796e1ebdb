"""The maturity self-assessment maps known answer sets to the expected trinn."""

from __future__ import annotations

import pytest

from etikkverksted.errors import SpecError
from etikkverksted.planning.assessment import USE_DIMENSION, score


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


ORG = ("strategisk-forankring", "organisering", "kompetanse", "juridisk-etisk", "involvering")


def test_good_paperwork_without_use_is_not_top_maturity(library) -> None:
    wanted = {d: 4 for d in ORG}
    wanted[USE_DIMENSION] = 1
    result = score(answers_scoring(library, wanted), library, "nb")
    # Use and organisation are kept apart: the ladder says trinn 1, the organisation 4 of 4.
    assert result.trinn == 1
    assert result.usage == pytest.approx(1.0) and result.organisation == pytest.approx(4.0)
    assert result.balance == "organisation_ahead"


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_use_ahead_of_organisation_is_named_and_steers_the_recommendation(library,
                                                                          lang: str) -> None:
    wanted = {d: 2 for d in ORG}
    wanted["kompetanse"] = 1
    wanted[USE_DIMENSION] = 4
    result = score(answers_scoring(library, wanted), library, lang)
    assert result.trinn == 4 and result.balance == "use_ahead"
    assert result.organisation < 2.5
    assert result.recommended_audience == "employees" and result.weakest == "kompetanse"
    text = " ".join(result.explanation)
    ladder = "modenhetstrappa (DFØ)" if lang == "nb" else "modningstrappa til DFØ"
    assert ladder in text
    assert library.label("assess_balance_use_ahead", lang).split(".")[0] in text
    # Same organisation, use at trinn 2: same audience, other trinn and another message.
    wanted[USE_DIMENSION] = 2
    low = score(answers_scoring(library, wanted), library, lang)
    assert low.trinn == 2 and low.balance == "balanced"
    assert low.recommended_audience == "employees"


def test_assess_cli_explains_both_and_writes_the_usage_trinn(library, tmp_path) -> None:
    from click.testing import CliRunner

    from etikkverksted.cli import main

    wanted = {d: 3 for d in ORG}
    wanted["involvering"] = 1
    wanted[USE_DIMENSION] = 2
    answers = answers_scoring(library, wanted)
    path = tmp_path / "svar.yaml"
    path.write_text("agency: Tilsynet\nlanguage: nn\nanswers:\n" + "".join(
        f"  {k}: {v}\n" for k, v in answers.items()), encoding="utf-8")
    out = tmp_path / "verkstad.yaml"
    result = CliRunner().invoke(main, ["assess", "--answers", str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "modningstrappa til DFØ" in result.output
    assert library.label("assess_profile_organisation", "nn") in result.output
    assert library.label("assess_profile_use", "nn") in result.output
    spec = out.read_text(encoding="utf-8")
    assert "maturity: 2" in spec and "audience: parties" in spec
    assert "Organisation of the work" in spec


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
