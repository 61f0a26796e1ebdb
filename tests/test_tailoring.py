"""Tailoring (#14): §4.4 coverage of the standard packs, audiences that differ, the parties'
time to meet and their agenda template."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from pptx import Presentation

from etikkverksted.build.pack import build_pack
from etikkverksted.cli import main
from etikkverksted.content.models import AUDIENCES, LANGS
from etikkverksted.planning import plan_workshop


def _manifest(standard_packs: Path) -> list[dict]:
    return json.loads((standard_packs / "manifest.json").read_text(encoding="utf-8"))["packs"]


def test_the_24_standard_packs_cover_every_strategic_dilemma(standard_packs: Path,
                                                             library) -> None:
    packs = _manifest(standard_packs)
    assert len(packs) == 24
    held = {d for p in packs for d in p["dilemmas"]}
    assert len(library.strategic_dilemmas) >= 5
    for s in library.strategic_dilemmas.values():
        assert held & set(s.dilemmas), f"no standard pack takes up §4.4 `{s.id}`"
    # What the manifest says is what the decks show: every dilemma's title is a slide title.
    for p in packs:
        deck = next(f["path"] for f in p["files"] if f["path"].endswith(".pptx"))
        titles = " ".join(s.shapes.title.text_frame.text for s in
                          Presentation(str(standard_packs / deck)).slides if s.shapes.title)
        for did in p["dilemmas"]:
            title = library.dilemmas[did].title.get(p["input"]["language"])
            assert title in titles, f"{p['name']}: {did} is not in the deck"


def test_no_trinn_and_language_gives_all_three_audiences_the_same_dilemmas(
        standard_packs: Path) -> None:
    by_cell: dict[tuple[int, str], dict[str, tuple[str, ...]]] = {}
    for p in _manifest(standard_packs):
        spec = p["input"]
        by_cell.setdefault((spec["maturity"], spec["language"]), {})[spec["audience"]] = \
            tuple(sorted(p["dilemmas"]))
    assert len(by_cell) == 8
    for cell, sets in by_cell.items():
        assert set(sets) == set(AUDIENCES)
        assert len(set(sets.values())) > 1, f"{cell}: every audience gets {sets}"
        # The §4.4 slot (the first dilemma) is never shared at a trinn.
    for trinn in (1, 2, 3, 4):
        firsts = {a: next(p["dilemmas"][0] for p in _manifest(standard_packs)
                          if p["input"]["maturity"] == trinn and p["input"]["audience"] == a
                          and p["input"]["language"] == "nb") for a in AUDIENCES}
        assert len(set(firsts.values())) == 3, f"trinn {trinn}: {firsts}"


def test_the_index_says_which_dilemmas_each_pack_holds(standard_packs: Path,
                                                       library) -> None:
    page = (standard_packs / "index.html").read_text(encoding="utf-8")
    sections = re.findall(r"<section .*?</section>", page, re.S)
    packs = _manifest(standard_packs)
    assert len(sections) == len(packs) == 24
    for section, p in zip(sections, packs, strict=True):
        for did in p["dilemmas"]:
            assert f"<code>{did}</code>" in section
    # The coverage table names every §4.4 dilemma with the packs that hold it.
    for s in library.strategic_dilemmas.values():
        assert s.title.get("nb").replace("«", "") in page.replace("«", "")


def test_selection_is_deterministic_and_explained(make_spec, library) -> None:
    for lang in LANGS:
        plans = [plan_workshop(make_spec("employees", 3, lang), library) for _ in range(2)]
        assert [d.id for d in plans[0].dilemmas] == [d.id for d in plans[1].dilemmas]
        notes = " ".join(plans[0].selection_notes)
        assert "§4.4" in notes
    nb = plan_workshop(make_spec("leaders", 2, "nb"), library)
    nn = plan_workshop(make_spec("leaders", 2, "nn"), library)
    assert [d.id for d in nb.dilemmas] == [d.id for d in nn.dilemmas]


@pytest.mark.parametrize("trinn", [1, 2, 3, 4])
@pytest.mark.parametrize("lang", LANGS)
def test_a_90_minute_parties_plan_gives_10_apart_and_10_together(make_plan, trinn: int,
                                                                 lang: str) -> None:
    plan = make_plan("parties", trinn, lang, 90)
    assert plan.dilemmas
    for d in plan.dilemmas:
        rounds = [s for s in plan.segments if s.kind == "reflection" and s.dilemma_id == d.id]
        apart = [s for s in rounds if {g.side for g in s.question_groups} == {"employer",
                                                                           "union"}]
        together = [s for s in rounds if [g.side for g in s.question_groups] == ["joint"]]
        assert apart and together
        assert rounds.index(apart[0]) < rounds.index(together[0])
        assert apart[0].minutes >= 10 and together[0].minutes >= 10
        assert apart[0].method and apart[0].method.id == "separate-then-joint"
        joint = together[0].question_groups[0].questions
        assert any(q.role == "action" for q in joint), f"{d.id}: the joint action is gone"
        assert any(q.role == "action" and q.side == "joint" for q in d.questions)


def test_longer_parties_plans_take_more_dilemmas_but_never_less_time_apart(make_plan) -> None:
    counts = []
    for minutes in (60, 90, 120, 180, 240):
        plan = make_plan("parties", 3, "nb", minutes)
        counts.append(len(plan.dilemmas))
        for s in plan.segments:
            if s.kind == "reflection":
                assert s.minutes >= 10, f"{minutes} min: {s.id} has {s.minutes}"
        assert sum(s.minutes for s in plan.segments) == minutes
    assert counts == sorted(counts) and counts[-1] > counts[0]


def test_a_parties_plan_ends_with_the_next_meeting_and_ai_as_a_standing_item(make_plan
                                                                             ) -> None:
    for lang in LANGS:
        plan = make_plan("parties", 2, lang, 90)
        kinds = [s.kind for s in plan.segments]
        assert kinds[-2:] == ["parties_next", "evaluation"]
        closing = plan.segments[-2]
        assert len(closing.bullets) >= 2 and closing.minutes >= 4
        assert plan.parties_agenda is not None and len(plan.parties_agenda.items) >= 4
    assert make_plan("leaders", 2, "nb", 90).parties_agenda is None
    assert "parties_next" not in [s.kind for s in make_plan("leaders", 2, "nb", 90).segments]


def test_a_parties_workshop_too_short_to_meet_is_refused_with_the_duration_that_works(
        tmp_path: Path) -> None:
    spec = tmp_path / "kort.yaml"
    spec.write_text("agency: Tilsynet\ndate: 2027-01-15\naudience: parties\nmaturity: 2\n"
                    "duration_minutes: 45\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code != 0
    assert "10 together" in result.output and "duration_minutes" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("lang", LANGS)
def test_every_parties_pack_has_the_one_page_agenda_template(tmp_path: Path, make_spec,
                                                             library, lang: str) -> None:
    result = build_pack(make_spec("parties", 2, lang), library, tmp_path, check=True)
    agenda = [p for p in result.files if "agendamal" in p.name]
    assert len(agenda) == 1 and agenda[0].suffix == ".docx"
    assert not [f for f in result.findings if f.severity == "error"]
    doc = Document(str(agenda[0]))
    text = "\n".join([p.text for p in doc.paragraphs]
                     + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert result.plan is not None and result.plan.parties_agenda is not None
    for item in result.plan.parties_agenda.items:
        assert item in text
    assert "DPIA" in text and "ROS" in text
    assert ("Hovudavtalen" if lang == "nn" else "Hovedavtalen") in text
    styles = doc.styles.element.xml
    assert f'w:val="{lang}-NO"' in styles or f'w:val="{lang}-NO"' in doc.element.xml
    others = build_pack(make_spec("leaders", 2, lang), library, tmp_path / "l", check=False)
    assert not [p for p in others.files if "agendamal" in p.name]


@pytest.mark.parametrize("lang", LANGS)
def test_further_reading_by_publisher_and_title_per_dilemma_and_in_the_guide(
        tmp_path: Path, make_plan, lang: str) -> None:
    from etikkverksted.writers.docx import render_docx

    plan = make_plan("leaders", 2, lang, 120)
    assert plan.further_reading
    for d in plan.dilemmas:
        assert 1 <= len(d.further_reading) <= 3, d.id
    titles = {r.title for r in plan.further_reading}
    assert "KI-assistenter i arbeidslivet – en praktisk guide" in titles  # rapport §3.4
    for r in plan.further_reading:
        assert "http" not in r.text and "www." not in r.text
        assert r.publisher in r.text and r.title in r.text
    guide = Document(str(render_docx(plan, "facilitator", tmp_path / "f.docx")))
    text = "\n".join(p.text for p in guide.paragraphs)
    assert plan.label("docx_further_reading") in [p.text for p in guide.paragraphs
                                                  if p.style.name.startswith("Heading")]
    for d in plan.dilemmas:
        for r in d.further_reading:
            assert text.count(r.text) >= 2  # in the dilemma's notes and in the list


# -- the agency's own case (§5) --------------------------------------------------------------

CASE_TITLE = "KI-assistent for innsynskrav"
CASE_TEXT = ("Vi vil la en KI-assistent lage utkast til svar på innsynskrav i postjournalen. "
             "Saksbehandleren kontrollerer og sender.")


def _all_docx_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)


def _deck_text(path: Path) -> tuple[str, str]:
    prs = Presentation(str(path))
    shown, notes = [], []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                shown.append(shape.text_frame.text)
        if slide.has_notes_slide:
            notes.append(slide.notes_slide.notes_text_frame.text)
    return "\n".join(shown), "\n".join(notes)


def _build(tmp_path: Path, audience: str, lang: str, minutes: int, extra: str) -> Path:
    """Write a spec with *extra* YAML lines, build it with the CLI; return the pack folder."""
    spec = tmp_path / "verksted.yaml"
    spec.write_text(f"agency: Tilsynet for prøving\ndate: 2027-01-15\naudience: {audience}\n"
                    f"maturity: 2\nlanguage: {lang}\nduration_minutes: {minutes}\n{extra}",
                    encoding="utf-8")
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output
    return out


@pytest.mark.parametrize(("lang", "focus", "minutes"), [("nb", "standard", 120),
                                                       ("nn", "own-case", 60)])
def test_a_spec_with_own_case_builds_a_pack_whose_deck_guide_and_minutes_carry_it(
        tmp_path: Path, lang: str, focus: str, minutes: int) -> None:
    (tmp_path / "sak.md").write_text(f"# {CASE_TITLE}\n\n{CASE_TEXT}\n", encoding="utf-8")
    out = _build(tmp_path, "leaders", lang, minutes,
                 f"focus: {focus}\nown_case:\n  file: sak.md\n")
    files = {p.name.rsplit("-", 1)[-1]: p for p in out.iterdir()}
    deck = next(p for p in out.iterdir() if p.suffix == ".pptx")
    shown, notes = _deck_text(deck)
    assert CASE_TITLE in notes or CASE_TITLE in shown
    assert CASE_TITLE in shown and CASE_TEXT in shown
    for word in ("MTO", "DPIA", "ROS"):
        assert word in shown
    assert ("Påvirke" if lang == "nb" else "Påverke") in shown
    guide = next(p for name, p in files.items() if "fasilitator" in name)
    minutes_doc = next(p for name, p in files.items() if "referatmal" in name)
    guide_text = _all_docx_text(guide)
    assert CASE_TITLE in guide_text and CASE_TEXT in guide_text and "DPIA" in guide_text
    form = _all_docx_text(minutes_doc)
    assert CASE_TITLE in form
    for row in ("Menneske", "Teknologi", "Organisasjon", "Handle", "DPIA", "ROS"):
        assert row in form
    assert ("Hvem eier hva" if lang == "nb" else "Kven eig kva") in form
    if focus == "own-case":
        assert not any("dilemmakort" in p.name for p in out.iterdir())


def test_own_case_needs_title_and_description_or_a_readable_file(tmp_path: Path) -> None:
    base = ("agency: Tilsynet\ndate: 2027-01-15\naudience: leaders\nmaturity: 2\n"
            "duration_minutes: 90\n")
    cases = {
        "only-title.yaml": base + "own_case:\n  title: Chatbot\n",
        "missing-file.yaml": base + "own_case:\n  file: finst-ikkje.md\n",
        "focus-without.yaml": base + "focus: own-case\n",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        result = CliRunner().invoke(main, ["build", str(tmp_path / name), "-o",
                                           str(tmp_path / "ut")])
        assert result.exit_code != 0, name
        assert "own_case" in result.output and "Traceback" not in result.output, name
    short = tmp_path / "short.yaml"
    short.write_text(base.replace("90", "60") + f"own_case:\n  title: {CASE_TITLE}\n"
                     f"  description: {CASE_TEXT}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(short), "-o", str(tmp_path / "ut")])
    assert result.exit_code != 0 and "focus: own-case" in result.output


# -- the 2040 exercise (§6) ------------------------------------------------------------------

def test_the_four_2040_futures_cover_the_cross_and_the_five_themes(library) -> None:
    futures = list(library.scenarios_2040.values())
    assert {(f.use, f.governance) for f in futures} == {("high", "high"), ("high", "low"),
                                                         ("low", "high"), ("low", "low")}
    themes = {t for t, th in library.themes.items() if th.kind == "scenario_theme"}
    assert len(themes) == 5
    for f in futures:
        assert set(f.themes) == themes, f.id
        assert len(f.questions) >= 2
        for text in [f.title, f.summary, *f.themes.values(), *f.questions]:
            assert (text.nb and text.nn and text.nb != text.nn) or len(text.nb) < 30


def test_the_2040_exercise_is_allowed_from_90_minutes(make_plan, make_spec, library) -> None:
    plan = plan_workshop(make_spec("leaders", 2, "nb", 90, scenario_cross=True), library)
    kinds = [s.kind for s in plan.segments]
    assert {"scenario_cross", "scenario_2040", "scenario_now"} <= set(kinds)
    assert len(plan.scenarios_2040) == 4 and plan.dilemmas
    groups = next(s for s in plan.segments if s.kind == "scenario_2040").question_groups
    assert [g.label for g in groups] == [f.title for f in plan.scenarios_2040]
    assert sum(s.minutes for s in plan.segments) == 90
    from etikkverksted.errors import PlanningError

    with pytest.raises(PlanningError, match="90"):
        plan_workshop(make_spec("leaders", 2, "nb", 75, scenario_cross=True), library)
    assert not make_plan("leaders", 2, "nb", 90).scenarios_2040


@pytest.mark.parametrize("lang", LANGS)
def test_a_standalone_2040_workshop_builds_in_both_written_standards(tmp_path: Path,
                                                                    lang: str) -> None:
    out = _build(tmp_path, "employees", lang, 90, "focus: scenario-2040\n")
    deck = next(p for p in out.iterdir() if p.suffix == ".pptx")
    shown, _ = _deck_text(deck)
    from etikkverksted.content.loader import load_library

    lib = load_library()
    for f in lib.scenarios_2040.values():
        assert f.title.get(lang) in shown  # type: ignore[arg-type]
        for text in f.themes.values():
            assert text.get(lang) in shown  # type: ignore[arg-type]
    other = "nn" if lang == "nb" else "nb"
    assert next(iter(lib.scenarios_2040.values())).summary.get(other) not in shown
    participant = next(p for p in out.iterdir() if "deltak" in p.name)
    sheet = _all_docx_text(participant)
    for f in lib.scenarios_2040.values():
        assert f.questions[0].get(lang) in sheet  # type: ignore[arg-type]
    prs = Presentation(str(deck))
    tags = {r.font._rPr.get("lang") for s in prs.slides for sh in s.shapes
            if sh.has_text_frame for p in sh.text_frame.paragraphs for r in p.runs
            if r.font._rPr is not None and r.font._rPr.get("lang")}
    assert tags == {f"{lang}-NO"}
    assert not any("dilemmakort" in p.name for p in out.iterdir())


def test_the_schema_knows_the_new_spec_fields_and_content_sections(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    spec = json.loads((tmp_path / "etikkverksted-spec.schema.json").read_text())
    assert {"focus", "own_case", "scenario_cross"} <= set(spec["properties"])
    assert set(spec["$defs"]["OwnCase"]["properties"]) == {"title", "description", "file"}
    content = json.loads((tmp_path / "etikkverksted-content.schema.json").read_text())
    assert {"strategic_dilemmas", "scenarios_2040", "further_reading"} <= \
        set(content["properties"])


def test_show_names_the_strategic_dilemma_and_where_to_read_more(library) -> None:
    result = CliRunner().invoke(main, ["show", "skeptikere", "--lang", "nn"])
    assert result.exit_code == 0, result.output
    strategic = library.strategic_for("skeptikere")[0]
    assert strategic.title.get("nn") in result.output
    assert library.label("docx_further_reading", "nn") in result.output
    for item in library.reading_for(library.dilemmas["skeptikere"].themes, 3):
        assert item.publisher.get("nn") in result.output


def test_focus_workshops_point_to_further_reading_too(make_spec, library) -> None:
    from etikkverksted.content.models import OwnCase

    case = OwnCase(title=CASE_TITLE, description=CASE_TEXT)
    own = plan_workshop(make_spec("parties", 2, "nn", 60, focus="own-case", own_case=case),
                        library)
    assert not own.dilemmas and own.own_case is not None
    assert "datatilsynet-dpia" in {r.id for r in own.further_reading}
    futures = plan_workshop(make_spec("employees", 1, "nb", 90, focus="scenario-2040"),
                            library)
    assert futures.further_reading and futures.scenarios_2040
