"""The minutes can be read back: fill them as a note-taker would, save, harvest, compare."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections.abc import Callable
from copy import deepcopy
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from etikkverksted.errors import OutcomeError
from etikkverksted.outcome import harvest_minutes
from etikkverksted.planning import WorkshopPlan
from etikkverksted.writers.docx import render_docx

W_SDT = qn("w:sdt")


def _controls(document) -> dict[str, object]:
    """Return the cell content controls of *document* by tag."""
    found = {}
    for sdt in document.element.body.iter(W_SDT):
        tag = sdt.find(qn("w:sdtPr")).find(qn("w:tag"))
        if tag is not None and tag.get(qn("w:val")).count("|") == 2:
            found[tag.get(qn("w:val"))] = sdt
    return found


def _type(sdt, text: str) -> None:
    """Type *text* into a content control, as Word does: a run in its paragraph."""
    paragraph = sdt.find(qn("w:sdtContent")).find(qn("w:p"))
    run = paragraph.makeelement(qn("w:r"), {})
    t = run.makeelement(qn("w:t"), {})
    t.text = text
    run.append(t)
    paragraph.append(run)


def _table_with_tag(document, key: str):
    """Return the table whose cell controls are tagged ``ev:<key>|...``."""
    for sdt in document.element.body.iter(W_SDT):
        el = sdt.find(qn("w:sdtPr")).find(qn("w:tag"))
        if el is not None and el.get(qn("w:val")).startswith(f"{key}|"):
            return next(a for a in sdt.iterancestors() if a.tag == qn("w:tbl"))
    raise AssertionError(f"no table tagged {key}")


FILLED = {
    "ev:meeting|note_taker|value": "Ola Referent",
    "ev:meeting|participants|value": "Åtte ledere og to tillitsvalgte",
    "ev:decisions|r1|decision": "Vi lager retningslinjer for KI-bruk før sommeren",
    "ev:decisions|r1|decided_by": "Direktøren",
    "ev:decisions|r1|date": "03.12.2026",
    "ev:parking|r1|issue": "Lisenskostnader for neste år",
    "ev:parking|r1|owner": "Økonomisjefen",
    "ev:parking|r1|next_step": "Tas opp i budsjettmøtet",
    "ev:parking|r1|dilemma": "2",
    "ev:actions:act|r1|what": "Kartlegge hvilke KI-verktøy som brukes i dag",
    "ev:actions:act|r1|who": "Kari Nordmann",
    "ev:actions:act|r1|by_when": "01.02.2027",
    "ev:actions:act|r1|dilemma": "1",
    "ev:actions:influence|r1|what": "Be DFD om en felles veileder for referater",
    "ev:actions:influence|r1|who": "HR-direktøren",
    "ev:actions:monitor|r1|what": "Følge med på KI-forordningens nasjonale regler",
    "ev:actions:monitor|r1|dilemma": "2",
}


def _plan(make_plan: Callable[..., WorkshopPlan], audience: str = "leaders",
          language: str = "nb") -> WorkshopPlan:
    """A plan with two dilemmas (the parties need 120 minutes for two)."""
    plan = make_plan(audience=audience, language=language,
                     duration=120 if audience == "parties" else 90)
    assert len(plan.dilemmas) >= 2
    return plan


def _fill(plan: WorkshopPlan, path: Path) -> None:
    document = Document(str(path))
    controls = _controls(document)
    values = dict(FILLED)
    first, second = plan.dilemmas[0].id, plan.dilemmas[1].id
    values |= {
        f"ev:stood:{first}|left|value": "7",
        f"ev:stood:{first}|between|value": "3",
        f"ev:stood:{first}|right|value": "2",
        f"ev:stood:{second}|left|value": "De fleste nær venstre pol",
        f"ev:notes:{first}|points|value": "",
        f"ev:notes:{first}|points|notes": "Tid frigjort må brukes på faglig utvikling",
        f"ev:notes:{first}|disagreements|notes": "Hvem som bestemmer bruken av tiden",
        f"ev:notes:{second}|consequences|notes": "Saksbehandlerne",
    }
    if plan.audience.id == "parties":
        values |= {f"ev:shared|{first}|agreed": "KI skal være fast sak i IDF-møtene",
                   "ev:next_meeting|r1|point": "Retningslinjer for KI-bruk",
                   "ev:next_meeting|r1|raised_by": "Tillitsvalgte",
                   "ev:next_meeting|r1|prepare": "HR",
                   "ev:next_meeting|r1|dilemma": "1, 2"}
    for tag, text in values.items():
        if text:
            _type(controls[tag], text)
    # A row added to the act table the way Word does it: a copy of the last row, emptied.
    table = _table_with_tag(document, "ev:actions:act")
    new_row = deepcopy(table.findall(qn("w:tr"))[-1])
    for t in new_row.iter(qn("w:t")):
        t.text = ""
    for sdt in list(new_row.iter(W_SDT)):  # Word does not copy the controls into a new row
        content = sdt.find(qn("w:sdtContent"))
        for child in list(content):
            sdt.addprevious(child)
        sdt.getparent().remove(sdt)
    table.append(new_row)
    cells = new_row.findall(qn("w:tc"))
    for cell, text in zip(cells, ["Lage opplæringsplan", "Per Hansen", "15.03.2027", ""],
                          strict=True):
        if text:
            p = cell.find(qn("w:p"))
            run = p.makeelement(qn("w:r"), {})
            t = run.makeelement(qn("w:t"), {})
            t.text = text
            run.append(t)
            p.append(run)
    # A line typed next to a control instead of in it (same cell, own paragraph) ...
    cell = controls["ev:parking|r1|next_step"].getparent()
    p = document.add_paragraph("og i økonomiutvalget")._p
    cell.append(p)
    # ... and a paragraph typed between two tables, under the decision log heading.
    decisions = _table_with_tag(document, "ev:decisions")
    stray = document.add_paragraph("Husk å sende referatet til AMU")._p
    decisions.addprevious(stray)
    document.save(str(path))


def _libreoffice_roundtrip(path: Path, out: Path) -> Path:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is needed"
    profile = out / "profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out / "lo"),
                    str(path)], check=True, capture_output=True, timeout=120)
    return out / "lo" / path.name


@pytest.mark.parametrize("via_libreoffice", [False, True], ids=["word", "libreoffice"])
@pytest.mark.parametrize("audience,language", [("parties", "nb"), ("leaders", "nn")])
def test_filled_minutes_are_read_back_whole(make_plan: Callable[..., WorkshopPlan],
                                            tmp_path: Path, audience: str, language: str,
                                            via_libreoffice: bool) -> None:
    if via_libreoffice and shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    plan = _plan(make_plan, audience, language)
    path = render_docx(plan, "minutes", tmp_path / "referat.docx")
    _fill(plan, path)
    if via_libreoffice:
        path = _libreoffice_roundtrip(path, tmp_path)
    outcome = harvest_minutes(path)

    first, second = plan.dilemmas[0].id, plan.dilemmas[1].id
    assert outcome.workshop.agency == plan.agency
    assert outcome.workshop.audience == audience
    assert outcome.workshop.language == language
    assert outcome.workshop.spec["maturity"] == plan.maturity
    assert outcome.note_taker == "Ola Referent"
    assert outcome.participants == "Åtte ledere og to tillitsvalgte"
    d1 = next(d for d in outcome.dilemmas if d.id == first)
    assert (d1.left.count, d1.between.count, d1.right.count) == (7, 3, 2)
    assert d1.points == "Tid frigjort må brukes på faglig utvikling"
    assert d1.disagreements == "Hvem som bestemmer bruken av tiden"
    d2 = next(d for d in outcome.dilemmas if d.id == second)
    assert d2.left.text == "De fleste nær venstre pol" and d2.left.count is None
    assert d2.consequences == "Saksbehandlerne"
    assert [(d.decision, d.decided_by, d.date) for d in outcome.decisions] == [
        ("Vi lager retningslinjer for KI-bruk før sommeren", "Direktøren", "03.12.2026")]
    assert [(p.issue, p.owner, p.next_step, p.dilemma_ids) for p in outcome.parking] == [
        ("Lisenskostnader for neste år", "Økonomisjefen",
         "Tas opp i budsjettmøtet\nog i økonomiutvalget", [second])]
    assert [(a.kind, a.what, a.who, a.by_when, a.dilemma_ids) for a in outcome.actions] == [
        ("act", "Kartlegge hvilke KI-verktøy som brukes i dag", "Kari Nordmann", "01.02.2027",
         [first]),
        ("act", "Lage opplæringsplan", "Per Hansen", "15.03.2027", []),
        ("influence", "Be DFD om en felles veileder for referater", "HR-direktøren", "", []),
        ("monitor", "Følge med på KI-forordningens nasjonale regler", "", "", [second]),
    ]
    assert [n.text for n in outcome.notes] == ["Husk å sende referatet til AMU"]
    assert outcome.notes[0].section == plan.label("docx_decision_log")
    if audience == "parties":
        assert [(s.dilemma_id, s.agreed) for s in outcome.shared_understanding] == [
            (first, "KI skal være fast sak i IDF-møtene")]
        assert [(p.point, p.raised_by, p.prepare, p.dilemma_ids)
                for p in outcome.next_parties_meeting] == [
            ("Retningslinjer for KI-bruk", "Tillitsvalgte", "HR", [first, second])]
    assert outcome.problems == []


def test_a_deleted_table_is_reported_and_the_rest_is_read(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> None:
    plan = _plan(make_plan)
    path = render_docx(plan, "minutes", tmp_path / "referat.docx")
    _fill(plan, path)
    document = Document(str(path))
    table = _table_with_tag(document, "ev:parking")
    table.getparent().remove(table)
    document.save(str(path))
    outcome = harvest_minutes(path)
    assert outcome.parking == []
    assert len(outcome.actions) == 4
    assert any(plan.label("docx_parking") in p for p in outcome.problems)


def test_a_word_file_that_is_not_our_minutes_gets_one_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "annet.docx"
    Document().save(str(path))
    with pytest.raises(OutcomeError) as caught:
        harvest_minutes(path)
    assert "not minutes made by etikkverksted" in str(caught.value)
    assert str(path) in str(caught.value)
    (tmp_path / "tekst.docx").write_text("not a zip")
    with pytest.raises(OutcomeError, match="not a Word document"):
        harvest_minutes(tmp_path / "tekst.docx")


@pytest.mark.parametrize("audience,language", [("parties", "nb"), ("leaders", "nn")])
def test_follow_up_pack_builds_from_the_outcome_and_reads_back(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path, audience: str,
        language: str) -> None:
    from click.testing import CliRunner
    from pptx import Presentation

    from etikkverksted.cli import main
    from etikkverksted.outcome.files import load_outcome

    plan = _plan(make_plan, audience, language)
    minutes = render_docx(plan, "minutes", tmp_path / "referat.docx")
    _fill(plan, minutes)
    runner = CliRunner()
    result = runner.invoke(main, ["harvest", str(minutes), "-o", str(tmp_path / "o.yaml")],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert load_outcome(tmp_path / "o.yaml") == harvest_minutes(minutes)

    out = tmp_path / "oppfolging"
    result = runner.invoke(main, ["build", "--follow-up", str(tmp_path / "o.yaml"), "-o",
                                  str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "check: no findings" in result.output
    deck = Presentation(str(next(out.glob("*.pptx"))))
    slides = [(s.shapes.title.text_frame.text if s.shapes.title else "",
               "\n".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame),
               s.notes_slide.notes_text_frame.text) for s in deck.slides]
    status_title = plan.label("docx_fu_status")
    status = [text for title, text, _ in slides if title.startswith(status_title)]
    assert status and "Kartlegge hvilke KI-verktøy som brukes i dag" in status[0]
    assert "Kari Nordmann" in status[0]
    again = [notes for title, _, notes in slides
             if title.startswith(plan.label("plan_fu_position_title").split("{")[0])]
    assert len(again) == 2
    assert any("7" in n and "3" in n and "2" in n for n in again)

    # The follow-up's own minutes: the status table, then read back as a note-taker fills it.
    follow_minutes = next(p for p in out.glob("*.docx") if "referat" in p.name.lower()
                          or plan.label("docx_minutes_title").lower() in p.name.lower())
    document = Document(str(follow_minutes))
    controls = _controls(document)
    _type(controls["ev:action_status|a1|status"], plan.label("docx_fu_done"))
    _type(controls["ev:action_status|a2|status"],
          plan.label("docx_fu_in_progress") + " – venter på budsjett")
    _type(controls["ev:action_status|a3|comment"], "Ikke tatt opp ennå")
    document.save(str(follow_minutes))
    second = harvest_minutes(follow_minutes)
    assert [(s.status, s.comment) for s in second.action_status] == [
        ("done", ""), ("in_progress", "venter på budsjett"), ("unknown", "Ikke tatt opp ennå"),
        ("unknown", "")]
    assert second.workshop.date == plan.date + dt.timedelta(weeks=6)
    assert second.workshop.spec["follow_up"].endswith("o.yaml")


def test_a_follow_up_for_another_group_is_refused_with_the_field(
        make_plan: Callable[..., WorkshopPlan], make_spec, library, tmp_path: Path) -> None:
    from etikkverksted.errors import PlanningError
    from etikkverksted.outcome.files import write_outcome
    from etikkverksted.planning import plan_workshop

    plan = _plan(make_plan, "parties")
    minutes = render_docx(plan, "minutes", tmp_path / "referat.docx")
    _fill(plan, minutes)
    write_outcome(harvest_minutes(minutes), tmp_path / "o.yaml")
    spec = make_spec(audience="employees", duration=60, follow_up=tmp_path / "o.yaml")
    with pytest.raises(PlanningError) as caught:
        plan_workshop(spec, library)
    message = str(caught.value)
    assert "o.yaml" in message and "audience" in message and "parties" in message
    long = make_spec(audience="parties", duration=120, follow_up=tmp_path / "o.yaml")
    with pytest.raises(PlanningError, match="45-90 minutes"):
        plan_workshop(long, library)


def test_a_deleted_control_still_gives_its_cell_text(
        make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> None:
    plan = _plan(make_plan)
    path = render_docx(plan, "minutes", tmp_path / "referat.docx")
    _fill(plan, path)
    document = Document(str(path))
    sdt = _controls(document)["ev:meeting|note_taker|value"]
    cell = sdt.getparent()
    for child in list(sdt.find(qn("w:sdtContent"))):
        sdt.addprevious(child)  # the control is removed, its paragraph stays in the cell
    cell.remove(sdt)
    document.save(str(path))
    assert harvest_minutes(path).note_taker == "Ola Referent"


def test_schema_describes_the_outcome_file(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from etikkverksted.cli import main

    result = CliRunner().invoke(main, ["schema", "-o", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 0
    schema = json.loads((tmp_path / "etikkverksted-outcome.schema.json").read_text())
    assert schema["title"] == "Workshop outcome"
    assert {"workshop", "actions", "notes"} <= set(schema["properties"])


def test_own_case_and_2040_notes_reach_the_outcome(make_spec, library, tmp_path: Path) -> None:
    from etikkverksted.content.models import OwnCase
    from etikkverksted.planning import plan_workshop

    spec = make_spec(audience="leaders", duration=180, scenario_cross=True,
                     own_case=OwnCase(title="KI i arkivet",
                                      description="Automatisk journalføring av e-post."))
    plan = plan_workshop(spec, library)
    assert plan.own_case is not None and plan.scenarios_2040
    path = render_docx(plan, "minutes", tmp_path / "referat.docx")
    document = Document(str(path))
    controls = _controls(document)
    case_tags = sorted(t for t in controls if t.startswith("ev:own_case|"))
    future_tags = sorted(t for t in controls if t.startswith("ev:scenarios_2040|"))
    _type(controls[case_tags[0]], "Arkivarene og saksbehandlerne")
    _type(controls[future_tags[-1]], "Mest realistisk for oss")
    document.save(str(path))
    outcome = harvest_minutes(path)
    assert [n.notes for n in outcome.own_case] == ["Arkivarene og saksbehandlerne"]
    assert outcome.own_case[0].key == case_tags[0].split("|")[1]
    assert [n.notes for n in outcome.scenarios_2040] == ["Mest realistisk for oss"]
    assert outcome.notes == []
