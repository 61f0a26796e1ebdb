"""The content library: complete, honest, well spelt, and in both written standards.

* every dilemma has what the content guide asks for, for every audience and step;
* no text copies 12 or more consecutive words from the report;
* every number in a fact occurs in the report;
* nynorsk texts hold no clear bokmål forms, and bokmål texts no clear nynorsk forms;
* hunspell finds at most ``MAX_SPELLING_ERROR_RATE`` unknown words outside the allow-list.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from conftest import needs
from etikkverksted.authoring import spelling
from etikkverksted.content.loader import iter_ltexts
from etikkverksted.content.models import AUDIENCES

SHARED_RUN = 12
MAX_SPELLING_ERROR_RATE = 0.01
"""At most 1 % of the words may be unknown to hunspell and absent from the allow-list."""

REPORT_TITLE = "Kunnskapsgrunnlag om generativ KI i statlige virksomheter"

BOKMAL_FORMS = {"ikke", "jeg", "hva", "hvordan", "hvilke", "hvilken", "hvilket", "hvis",
                "noen", "mye", "bare", "være", "virksomhet", "virksomheten", "virksomheter",
                "virksomhetens", "hvem", "hvorfor", "leder", "lederen", "ledere", "lederne",
                "arbeidsgiver", "arbeidsgiveren", "fremtiden", "fremtid", "hverandre", "selv"}
NYNORSK_FORMS = {"ikkje", "eg", "kva", "korleis", "kven", "kvifor", "kvar", "verksemd",
                 "verksemda", "verksemder", "leiar", "leiaren", "leiarar", "tilsett",
                 "tilsette", "berre", "mykje", "nokon", "nokre", "vere", "eigen", "eigne",
                 "frå", "dykk", "deira", "medan"}


def texts(library, lang: str) -> Iterator[tuple[str, str]]:
    """(where, text) for every text of the library in *lang*."""
    for section, key, item in library.iter_items():
        for loc, text in iter_ltexts(item, ()):
            value = getattr(text, lang)
            if value:
                yield f"{section}:{key}:{'.'.join(map(str, loc))}", value


def words(text: str) -> list[str]:
    return spelling.words(text)


# -- completeness ------------------------------------------------------------------------------

def test_at_least_thirteen_dilemmas(library) -> None:
    assert len(library.dilemmas) >= 13


def test_each_dilemma_has_four_questions_per_audience_spanning_maturity(library) -> None:
    for d in library.dilemmas.values():
        for audience in AUDIENCES:
            questions = [q for q in d.questions if audience in q.audiences]
            assert len(questions) >= 4, f"{d.id}: {audience}"
            covered = {t for q in questions for t in range(q.maturity[0], q.maturity[1] + 1)}
            assert covered == {1, 2, 3, 4}, f"{d.id}: {audience} misses trinn"


def test_each_dilemma_is_complete(library) -> None:
    for d in library.dilemmas.values():
        for lang in ("nb", "nn"):
            n = len(d.scenario.get(lang).split())
            assert 60 <= n <= 130, f"{d.id}: scenario has {n} words in {lang}"
        assert len(d.facts) >= 2, d.id
        assert len(d.facilitator.typical_positions) >= 2, d.id
        assert d.legal, f"{d.id}: no legal frame"
        assert len(set(d.maturity_relevance.values())) > 1 or d.id, d.id


def test_questions_are_short_and_open(library) -> None:
    yes_no = re.compile(r"^(Er|Skal|Bør|Kan|Vil|Har|Må|Får|Blir|Ville|Burde|Går)\b")
    for d in library.dilemmas.values():
        for q in d.questions:
            for lang in ("nb", "nn"):
                text = q.text.get(lang)
                assert len(text.split()) <= 25, f"{d.id}/{q.id} ({lang}) too long"
                assert text.endswith("?"), f"{d.id}/{q.id} ({lang})"
                assert not yes_no.match(text), f"{d.id}/{q.id} ({lang}) is a yes/no question"


def test_parties_have_separate_and_joint_questions_at_every_step(library) -> None:
    for d in library.dilemmas.values():
        for trinn in (1, 2, 3, 4):
            sides = {q.side for q in d.questions_for("parties", trinn)}
            assert sides == {"employer", "union", "joint"}, f"{d.id} trinn {trinn}"


def test_recommendations_are_the_seven(library) -> None:
    assert sorted(library.recommendations) == [1, 2, 3, 4, 5, 6, 7]


# -- honesty -----------------------------------------------------------------------------------

def _tokens(text: str) -> list[str]:
    text = re.sub(r"-\s*\n\s*", "", text)
    return re.findall(r"\w+", text.lower())


def test_no_text_copies_twelve_words_from_the_report(library, report_text: str) -> None:
    report = _tokens(report_text)
    shingles = {tuple(report[i:i + SHARED_RUN]) for i in range(len(report) - SHARED_RUN + 1)}
    copied = []
    for lang in ("nb", "nn"):
        for where, text in texts(library, lang):
            tokens = _tokens(text)
            for i in range(len(tokens) - SHARED_RUN + 1):
                if tuple(tokens[i:i + SHARED_RUN]) in shingles:
                    copied.append(f"{where} ({lang}): {' '.join(tokens[i:i + SHARED_RUN])}")
                    break
    assert not copied, "copied from the report:\n" + "\n".join(copied)


def _number_forms(value: float) -> list[str]:
    if float(value).is_integer():
        return [str(int(value))]
    text = f"{value:g}"
    return [text.replace(".", ","), text]


def test_every_number_in_a_fact_occurs_in_the_report(library, report_text: str) -> None:
    missing = []
    for fact in library.facts.values():
        values = [fact.value] if fact.value is not None else []
        values += fact.series.values if fact.series else []
        for value in values:
            if not any(re.search(rf"(?<![\d,.]){re.escape(form)}(?![\d]|,\d)", report_text)
                       for form in _number_forms(value)):
                missing.append(f"{fact.id}: {value}")
    assert not missing, "numbers not in the report: " + ", ".join(missing)


def test_every_fact_cites_the_report(library) -> None:
    for fact in library.facts.values():
        assert re.search(r"^rapport .*(§|fig\.|kap\.|tab|sammendrag)", fact.source), fact.id


# -- written standards -------------------------------------------------------------------------

def _forms_in(library, lang: str, forms: set[str]) -> list[str]:
    found = []
    for where, text in texts(library, lang):
        lowered = {w.lower() for w in words(text)}
        hits = sorted(lowered & forms)
        if hits:
            found.append(f"{where}: {', '.join(hits)}")
    return found


def test_nynorsk_texts_have_no_bokmal_forms(library) -> None:
    found = _forms_in(library, "nn", BOKMAL_FORMS)
    assert not found, "bokmål forms in nynorsk:\n" + "\n".join(found)


def test_bokmal_texts_have_no_nynorsk_forms(library) -> None:
    found = _forms_in(library, "nb", NYNORSK_FORMS)
    assert not found, "nynorsk forms in bokmål:\n" + "\n".join(found)


@needs("hunspell")
@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_spelling_with_hunspell(library, lang: str) -> None:
    result = spelling.check_spelling(library, lang)
    assert result.words > 10000
    assert result.rate <= MAX_SPELLING_ERROR_RATE, (
        f"{result.unknown} of {result.words} words ({result.rate:.2%}) unknown:\n"
        + "\n".join(str(p) for p in result.problems[:40]))


# -- legal statements --------------------------------------------------------------------------

LEGAL_SOURCE = re.compile(r"(§|\bart\.|\bkap\.|forordning|forskrift|instruks|avtale)")


def test_every_legal_frame_names_its_source(library) -> None:
    """A lawyer can look every frame up: law and paragraph, article, or agreement and section."""
    assert len(library.legal_frames) >= 15
    for frame in library.legal_frames.values():
        for lang in ("nb", "nn"):
            reference = frame.reference.get(lang)
            assert LEGAL_SOURCE.search(reference), f"{frame.id}: {lang} reference {reference!r}"


def test_a_legal_frame_without_reference_is_rejected() -> None:
    from pydantic import ValidationError

    from etikkverksted.content.models import LegalFrame

    with pytest.raises(ValidationError, match="reference"):
        LegalFrame.model_validate({"id": "x", "name": {"nb": "X", "nn": "X"},
                                   "description": {"nb": "X", "nn": "X"}})


def test_the_ai_act_frame_says_how_it_applies_in_norway_and_when_it_was_checked(library) -> None:
    frame = library.legal_frames["ki-forordningen"]
    assert frame.checked is not None
    for lang in ("nb", "nn"):
        text = frame.description.get(lang)
        assert "EØS-avtalen" in text and "KI-lov" in text
        assert frame.checked.strftime("%-d. november %Y") in text, lang


def test_ai_act_article_4_is_worded_only_in_the_legal_frame(library) -> None:
    """Art. 4 is worded once, in the legal frame; every other text that names it refers there."""
    article_4 = re.compile(r"\b(art\.|artikkel) 4\b", re.IGNORECASE)
    refers = {"nb": "rettslige rammer", "nn": "rettslege rammer"}
    for lang in ("nb", "nn"):
        stated = [where for where, text in texts(library, lang)
                  if article_4.search(text) and not where.startswith("legal_frames:")
                  and refers[lang] not in text]
        assert not stated, f"{lang}: art. 4 worded outside the legal frame: {stated}"
        frame = library.legal_frames["ki-forordningen"].description.get(lang)
        assert article_4.search(frame)
        assert {"nb": "ikke på den enkelte", "nn": "ikkje på den einskilde"}[lang] in frame


def test_the_facilitator_guide_gives_references_and_one_not_legal_advice_line(
        make_plan, tmp_path) -> None:
    from docx import Document

    from etikkverksted.writers.docx import render_docx

    for language, marker in (("nb", "ikke juridisk rådgivning"), ("nn", "ikkje juridisk")):
        plan = make_plan(audience="parties", language=language)
        doc = Document(str(render_docx(plan, "facilitator", tmp_path / f"g-{language}.docx")))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert text.count(marker) == 1, language
        assert "Hovudavtalen i staten" in text or "Hovedavtalen i staten" in text
        assert "2023–2025" in text, "legal frames print with their reference"


def test_the_legal_overview_for_lawyers_is_up_to_date(library) -> None:
    """docs/juridisk-oversikt.md lists every frame with its reference and statement, as now."""
    import importlib.machinery
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    loader = importlib.machinery.SourceFileLoader("legal_overview",
                                                  str(root / "scripts" / "legal-overview"))
    spec = importlib.util.spec_from_loader("legal_overview", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    doc = (root / "docs" / "juridisk-oversikt.md").read_text(encoding="utf-8")
    assert module.frames_section(library) in doc, (
        "docs/juridisk-oversikt.md is stale: run .venv/bin/python scripts/legal-overview")
    for frame in library.legal_frames.values():
        assert f"(`{frame.id}`)" in doc


# -- every trinn, really (issue #14 §2) -----------------------------------------------------------

def test_questions_differ_for_each_trinn_and_audience(library) -> None:
    for d in library.dilemmas.values():
        for audience in AUDIENCES:
            sets = [frozenset(q.id for q in d.questions if audience in q.audiences
                              and q.maturity[0] <= t <= q.maturity[1]) for t in (1, 2, 3, 4)]
            assert len(set(sets)) == 4, f"{d.id}: {audience} gets the same questions at two trinn"


def test_scenarios_do_not_fix_a_trinn(library) -> None:
    """A scenario is shown at any trinn, so it must not state one it could contradict."""
    for d in library.dilemmas.values():
        for lang in ("nb", "nn"):
            assert not re.search(r"\btrinn \d", d.scenario.get(lang)), f"{d.id} ({lang})"


def test_no_question_casts_one_side_as_the_brake(library) -> None:
    """Issue #13 §3: no question or probe assumes which side slows things down."""
    brake = re.compile(r"\bbrems|bremsekloss", re.IGNORECASE)
    found = [f"{d.id}:{q.id}" for d in library.dilemmas.values() for q in d.questions
             for text in (q.text, *q.probes) for lang in ("nb", "nn")
             if brake.search(text.get(lang) or "")]
    assert not found, found
