"""Workshop planning: tailoring to audience, maturity, duration, format and language."""

from __future__ import annotations

import itertools

import pytest

from etikkverksted.content.models import AUDIENCES
from etikkverksted.errors import PlanningError, TranslationError
from etikkverksted.planning import plan_workshop

GRID = list(itertools.product(AUDIENCES, (1, 2, 3, 4), (45, 90, 180), ("nb", "nn"),
                              ("in_person", "digital")))


@pytest.mark.parametrize(("audience", "trinn", "minutes", "lang", "fmt"), GRID)
def test_every_combination_plans_completely(make_plan, audience: str, trinn: int, minutes: int,
                                            lang: str, fmt: str) -> None:
    if audience == "parties" and minutes < 57:
        # Each side needs 10 minutes apart and 10 together (#14): 45 minutes cannot hold one
        # dilemma besides the fixed parts, and the planner says what would.
        with pytest.raises(PlanningError, match="10 together"):
            make_plan(audience, trinn, lang, minutes, fmt)
        return
    plan = make_plan(audience, trinn, lang, minutes, fmt)
    assert sum(s.minutes for s in plan.segments) == minutes
    for segment in plan.segments:
        assert segment.title.strip()
        assert segment.minutes >= 1
        assert segment.bullets or segment.question_groups or segment.fact_ids or \
            segment.dilemma_id, f"segment {segment.id} is empty"
        assert segment.notes, f"segment {segment.id} has no facilitator notes"
    ids = [s.id for s in plan.segments]
    assert len(ids) == len(set(ids))
    assert plan.language == lang
    assert plan.language_tag == f"{lang}-NO"
    for d in plan.dilemmas:
        rounds = [s for s in plan.segments if s.kind == "reflection" and s.dilemma_id == d.id]
        assert rounds and all(g.questions for s in rounds for g in s.question_groups)
    if fmt == "digital":
        assert all(s.method.digital for s in plan.segments if s.method)


@pytest.mark.parametrize("minutes", [45, 60, 75, 90, 120, 150, 180, 210, 240])
def test_every_segment_gets_at_least_its_methods_minimum(make_plan, library,
                                                         minutes: int) -> None:
    for audience in AUDIENCES:
        if audience == "parties" and minutes < 57:
            continue  # refused: see test_every_combination_plans_completely
        for segment in make_plan(audience, 2, "nb", minutes).segments:
            if segment.method:
                need = library.methods[segment.method.id].min_minutes
                assert segment.minutes >= need, (audience, segment.id, segment.method.id)


def test_clock_times_follow_each_other(make_plan) -> None:
    plan = make_plan("leaders", 2, "nb", 90)
    for before, after in itertools.pairwise(plan.segments):
        assert before.end == after.start
    assert plan.segments[-1].end == plan.end


def test_typical_plan_order(make_plan) -> None:
    kinds = [s.kind for s in make_plan("leaders", 2, "nb", 180).segments]
    firsts = [kinds.index(k) for k in ("opening", "ground_rules", "status", "maturity", "mto",
                                       "scenario", "position_line", "reflection",
                                       "dilemma_wrapup", "scenario_cross", "takeaways",
                                       "recommendations", "evaluation")]
    assert firsts == sorted(firsts)


@pytest.mark.parametrize(("minutes", "low", "high"), [(45, 1, 1), (90, 2, 3), (120, 2, 4),
                                                      (180, 4, 5), (240, 4, 5)])
def test_number_of_dilemmas_grows_with_time(make_plan, minutes: int, low: int,
                                            high: int) -> None:
    plan = make_plan("leaders", 2, "nb", minutes)
    assert low <= len(plan.dilemmas) <= high


def test_long_sessions_have_a_break_and_the_2040_exercise(make_plan) -> None:
    kinds = [s.kind for s in make_plan("employees", 3, "nb", 180).segments]
    assert "break" in kinds
    assert "scenario_cross" in kinds
    assert "break" not in [s.kind for s in make_plan("employees", 3, "nb", 90).segments]


def test_every_plan_keeps_a_small_time_buffer(make_plan) -> None:
    for minutes in (45, 90, 180):
        buffer = [s for s in make_plan("leaders", 2, "nb", minutes).segments
                  if s.kind == "buffer"]
        assert buffer and 2 <= buffer[0].minutes <= minutes * 0.15


def test_the_same_dilemma_gets_different_questions_per_audience(make_plan, library,
                                                                make_spec) -> None:
    dilemma_id = sorted(library.dilemmas)[0]
    questions = {}
    for audience in AUDIENCES:
        plan = plan_workshop(make_spec(audience, 2, dilemmas=[dilemma_id]), library)
        questions[audience] = {q.text for q in plan.dilemmas[0].questions}
    assert questions["leaders"].isdisjoint(questions["employees"])
    assert questions["leaders"].isdisjoint(questions["parties"])
    assert questions["parties"].isdisjoint(questions["employees"])


def test_parties_reflect_separately_before_they_meet(make_plan) -> None:
    plan = make_plan("parties", 2, "nb", 90)
    rounds = [s for s in plan.segments if s.kind == "reflection"
              and s.dilemma_id == plan.dilemmas[0].id]
    first_sides = [g.side for g in rounds[0].question_groups]
    assert first_sides == ["employer", "union"]
    assert [g.side for g in rounds[-1].question_groups] == ["joint"]
    assert rounds[0].question_groups[0].label != rounds[0].question_groups[1].label


def test_employees_reflect_silently_before_any_plenary(make_plan) -> None:
    plan = make_plan("employees", 2, "nb", 90)
    methods = [s.method.id for s in plan.segments
               if s.kind == "reflection" and s.dilemma_id == plan.dilemmas[0].id]
    assert methods[0] == "individual-reflection"
    assert methods.index("plenary") > 0


def test_leaders_end_each_dilemma_with_an_action_question(make_plan) -> None:
    plan = make_plan("leaders", 3, "nb", 90)
    for d in plan.dilemmas:
        rounds = [s for s in plan.segments if s.kind == "reflection" and s.dilemma_id == d.id]
        assert rounds[-1].question_groups[-1].questions[-1].role == "action"


def test_changing_maturity_changes_selection_or_questions(make_plan) -> None:
    for audience in AUDIENCES:
        low = make_plan(audience, 1, "nb", 90)
        high = make_plan(audience, 4, "nb", 90)
        low_q = {q.id for d in low.dilemmas for q in d.questions}
        high_q = {q.id for d in high.dilemmas for q in d.questions}
        assert [d.id for d in low.dilemmas] != [d.id for d in high.dilemmas] or low_q != high_q


def test_maturity_changes_which_recommendations_are_emphasised(make_plan) -> None:
    low = {r.number for r in make_plan("leaders", 1, "nb", 180).recommendations}
    high = {r.number for r in make_plan("leaders", 4, "nb", 180).recommendations}
    assert low != high


def test_automatic_choice_is_deterministic_and_explained(library, make_spec) -> None:
    spec = make_spec("parties", 3, "nn", 120)
    first = plan_workshop(spec, library)
    again = plan_workshop(spec, library)
    assert first == again
    # The introduction, the rule (#14: the §4.4 slot and audience affinity), one per dilemma.
    assert len(first.selection_notes) == len(first.dilemmas) + 2
    for d in first.dilemmas:
        assert d.title in d.selection_reason


def test_named_dilemmas_are_kept_in_order(library, make_spec) -> None:
    ids = sorted(library.dilemmas)[-2:]
    plan = plan_workshop(make_spec("employees", 2, dilemmas=list(reversed(ids))), library)
    assert [d.id for d in plan.dilemmas] == list(reversed(ids))


def test_named_dilemmas_that_cannot_fit_say_what_would(library, make_spec) -> None:
    ids = sorted(library.dilemmas)[:4]
    with pytest.raises(PlanningError) as info:
        plan_workshop(make_spec("leaders", 2, duration=45, dilemmas=ids), library)
    (problem,) = info.value.problems
    assert "at most 1 fit" in problem.message
    assert "duration_minutes" in problem.fix


def test_unknown_named_dilemma_suggests_ids(library, make_spec) -> None:
    with pytest.raises(PlanningError) as info:
        plan_workshop(make_spec("leaders", 2, dilemmas=["frigjort-tidd"]), library)
    assert "did you mean frigjort-tid" in info.value.problems[0].fix


def test_digital_format_swaps_methods_and_says_so(make_plan) -> None:
    room = make_plan("leaders", 2, "nb", 90)
    online = make_plan("leaders", 2, "nb", 90, "digital")
    position_room = next(s for s in room.segments if s.kind == "position_line")
    position_online = next(s for s in online.segments if s.kind == "position_line")
    assert position_room.method.name != position_online.method.name
    assert any(position_online.method.name in note for note in position_online.notes)


def test_nynorsk_plan_has_no_bokmal_labels(make_plan) -> None:
    plan = make_plan("parties", 2, "nn", 90)
    texts = " ".join([plan.title, plan.subtitle, *(s.title for s in plan.segments)])
    for word in (" ikke ", " hvor ", " hva ", "Hvor står du"):
        assert word not in f" {texts} "


def test_missing_nynorsk_is_an_error_not_a_fallback(tmp_path, make_spec) -> None:
    from etikkverksted.content import load_library

    (tmp_path / "l.yaml").write_text(
        "replaces: [plan_title]\nlabels:\n  plan_title: {nb: Bare bokmål}\n", encoding="utf-8")
    library = load_library([tmp_path])
    plan_workshop(make_spec(language="nb"), library)
    with pytest.raises(TranslationError) as info:
        plan_workshop(make_spec(language="nn"), library)
    assert any(p.field == "labels.plan_title" for p in info.value.problems)


def test_status_facts_have_charts_with_alt_text(make_plan) -> None:
    plan = make_plan("leaders", 2, "nb", 90)
    charts = [f.chart for f in plan.facts if f.chart]
    assert charts
    for chart in charts:
        assert len(chart.categories) == len(chart.values)
        assert chart.alt_text and chart.title in chart.alt_text


def test_the_ladder_marks_the_agencys_step(make_plan) -> None:
    plan = make_plan("leaders", 3, "nn", 90)
    assert [s.trinn for s in plan.ladder] == [1, 2, 3, 4]
    assert [s.current for s in plan.ladder] == [False, False, True, False]
