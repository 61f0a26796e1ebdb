"""The content and spec models: what they accept, what they refuse."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from etikkverksted.content.models import (
    Fact,
    LText,
    MissingTranslation,
    Question,
    Series,
    WorkshopSpec,
)


def test_localised_text_requires_bokmal() -> None:
    with pytest.raises(ValidationError, match="nb"):
        LText.model_validate({"nn": "Berre nynorsk"})


def test_missing_translation_is_an_error_never_a_fallback() -> None:
    text = LText(nb="Hva gjør vi?")
    assert text.get("nb") == "Hva gjør vi?"
    with pytest.raises(MissingTranslation):
        text.get("nn")


def test_control_characters_are_stripped_at_the_boundary() -> None:
    text = LText(nb="Ein\x01 tekst\x0b ", nn="Ein tekst")
    assert text.nb == "Ein tekst"


def test_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError, match="Extra inputs"):
        LText.model_validate({"nb": "a", "nm": "b"})


def test_series_labels_may_be_plain_years_for_both_standards() -> None:
    series = Series.model_validate({"labels": [2021, 2022], "values": [26, 33]})
    assert [label.get("nn") for label in series.labels] == ["2021", "2022"]


def test_series_needs_one_value_per_label() -> None:
    with pytest.raises(ValidationError, match="one value per label"):
        Series.model_validate({"labels": ["a", "b"], "values": [1]})


def test_fact_needs_a_source() -> None:
    with pytest.raises(ValidationError, match="source"):
        Fact.model_validate({"id": "x", "statement": {"nb": "a"}})


def test_question_maturity_range_must_be_ordered() -> None:
    with pytest.raises(ValidationError, match="from"):
        Question.model_validate({"id": "q", "text": {"nb": "Hva?"}, "audiences": ["leaders"],
                                 "role": "opening", "maturity": [3, 1]})


def test_question_fits_audience_and_step() -> None:
    q = Question.model_validate({"id": "q", "text": {"nb": "Hva?"}, "audiences": ["leaders"],
                                 "role": "opening", "maturity": [1, 2]})
    assert q.fits("leaders", 2)
    assert not q.fits("leaders", 3)
    assert not q.fits("employees", 1)


def test_spec_has_the_documented_fields_and_defaults() -> None:
    spec = WorkshopSpec.model_validate({
        "agency": "Direktoratet for eksempelforvaltning", "date": "2026-12-03",
        "audience": "leaders", "maturity": 2, "language": "nb", "duration_minutes": 90,
        "dilemmas": [], "facilitator": "Kari Nordmann", "template": None,
        "docx_template": None})
    assert spec.format == "in_person"
    assert spec.start_time == dt.time(9, 0)
    assert spec.date == dt.date(2026, 12, 3)


@pytest.mark.parametrize(("field", "value"), [
    ("audience", "board"), ("maturity", 5), ("language", "en"), ("duration_minutes", 30),
    ("duration_minutes", 300), ("format", "hybrid"),
])
def test_spec_rejects_values_outside_the_allowed(field: str, value: object) -> None:
    data = {"agency": "A", "date": "2026-12-03", "audience": "leaders", "maturity": 2,
            "duration_minutes": 90, field: value}
    with pytest.raises(ValidationError):
        WorkshopSpec.model_validate(data)


def test_spec_reads_unquoted_clock_time_that_yaml_turned_into_minutes() -> None:
    spec = WorkshopSpec.model_validate({"agency": "A", "date": "2026-12-03",
                                        "audience": "leaders", "maturity": 2,
                                        "duration_minutes": 90, "start_time": 540})
    assert spec.start_time == dt.time(9, 0)


def test_relative_template_paths_are_relative_to_the_spec(tmp_path) -> None:
    spec = WorkshopSpec.model_validate({"agency": "A", "date": "2026-12-03",
                                        "audience": "leaders", "maturity": 2,
                                        "duration_minutes": 90, "template": "mal.potx"})
    assert spec.resolve_paths(tmp_path).template == tmp_path / "mal.potx"
