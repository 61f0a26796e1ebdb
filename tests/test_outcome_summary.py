"""DFD's overview: 30 outcomes in, a report whose charts carry the right numbers and no name."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from lxml import etree

from etikkverksted.cli import main
from etikkverksted.content import Library
from etikkverksted.outcome.files import write_outcome
from etikkverksted.outcome.model import (
    Action,
    Decision,
    DilemmaOutcome,
    NextMeetingPoint,
    Outcome,
    ParkedItem,
    Position,
    SharedPoint,
)
from etikkverksted.planning import WorkshopPlan
from etikkverksted.writers.docx.minutes import workshop_ref

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
NAMES = ["Kari Hemmelig", "Ola Skjultsen", "Per Privatnes", "Direktoratet for hemmelighold"]
"""Planted in every field that can hold a name; none may reach the default overview."""


def _outcome(plan: WorkshopPlan, n: int) -> Outcome:
    ids = [d.id for d in plan.dilemmas]
    ref = workshop_ref(plan).model_copy(update={"agency": f"{NAMES[3]} {n}"})
    return Outcome(
        workshop=ref, note_taker=NAMES[0], participants=f"{NAMES[1]} og {NAMES[2]}",
        dilemmas=[DilemmaOutcome(id=i, title=plan.dilemma(i).title,
                                 left=Position(count=n % 5 + 1), between=Position(count=2),
                                 right=Position(count=n % 3), points=f"{NAMES[0]} sa mye")
                  for i in ids],
        decisions=[Decision(decision=f"Vedtak foreslått av {NAMES[1]}", decided_by=NAMES[2])],
        parking=[ParkedItem(issue=f"Sak fra {NAMES[0]}", owner=NAMES[1],
                            dilemma_ids=[ids[0]])],
        actions=[Action(kind="act", what=f"Tiltak for {NAMES[2]}", who=NAMES[0],
                        dilemma_ids=[ids[0]]),
                 Action(kind="monitor", what="Følge med", who=NAMES[1], dilemma_ids=[]),
                 Action(kind="influence", what="Påvirke", who=NAMES[2],
                        dilemma_ids=[ids[-1]])],
        shared_understanding=[SharedPoint(dilemma_id=ids[0], agreed=f"Enige, sa {NAMES[0]}")]
        if plan.audience.id == "parties" else [],
        next_parties_meeting=[NextMeetingPoint(point=f"Punkt fra {NAMES[1]}",
                                               raised_by=NAMES[2], prepare=NAMES[0],
                                               dilemma_ids=[ids[0]])]
        if plan.audience.id == "parties" else [],
    )


@pytest.fixture(scope="module")
def outcomes(make_plan: Callable[..., WorkshopPlan]) -> list[Outcome]:
    result = []
    n = 0
    for repeat in range(3):
        for audience in ("leaders", "parties", "employees"):
            for trinn in (1, 2, 3, 4):
                if len(result) == 30:
                    break
                plan = make_plan(audience=audience, maturity=trinn,
                                 language="nn" if repeat == 1 else "nb",
                                 duration=90 if repeat != 2 else 135)
                result.append(_outcome(plan, n))
                n += 1
    assert len(result) == 30
    return result


@pytest.fixture(scope="module")
def overview_dir(outcomes: list[Outcome], tmp_path_factory: pytest.TempPathFactory) -> Path:
    inbox = tmp_path_factory.mktemp("innsendt")
    for i, outcome in enumerate(outcomes):
        write_outcome(outcome, inbox / f"outcome-{i:02}.{'json' if i % 4 == 0 else 'yaml'}")
    out = tmp_path_factory.mktemp("oversikt")
    result = CliRunner().invoke(main, ["summary", str(inbox), "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def _charts(path: Path) -> list[dict[str, dict[str, float]]]:
    """Every chart of the document: {series name: {category: value}}."""
    charts = []
    with zipfile.ZipFile(path) as archive:
        for name in sorted(n for n in archive.namelist() if n.startswith("word/charts/")):
            root = etree.fromstring(archive.read(name))
            chart: dict[str, dict[str, float]] = {}
            for ser in root.iter(f"{C}ser"):
                series = ser.find(f"{C}tx").findtext(f".//{C}v")
                cats = [p.findtext(f"{C}v") for p in ser.find(f"{C}cat").iter(f"{C}pt")]
                vals = [float(p.findtext(f"{C}v")) for p in ser.find(f"{C}val").iter(f"{C}pt")]
                chart[series] = dict(zip(cats, vals, strict=True))
            charts.append(chart)
    return charts


def _all_text(folder: Path) -> str:
    parts = [(folder / "oversikt.csv").read_text(), (folder / "oversikt.json").read_text()]
    with zipfile.ZipFile(folder / "oversikt.docx") as archive:
        parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                  if n.endswith((".xml", ".rels"))]
    return "\n".join(parts)


def test_no_planted_name_reaches_the_default_overview(overview_dir: Path) -> None:
    text = _all_text(overview_dir)
    for name in NAMES:
        assert name not in text
    for word in ("Hemmelig", "Skjultsen", "Privatnes", "hemmelighold"):
        assert word not in text


def test_the_charts_carry_the_right_numbers(overview_dir: Path, outcomes: list[Outcome],
                                            library: Library) -> None:
    charts = _charts(overview_dir / "oversikt.docx")
    by_trinn = next(c for c in charts if "Ledergruppe" in c)
    expected = Counter((o.workshop.maturity, o.workshop.audience) for o in outcomes)
    for trinn in (1, 2, 3, 4):
        assert by_trinn["Ledergruppe"][f"Trinn {trinn}"] == expected[(trinn, "leaders")]
        assert by_trinn["Partene"][f"Trinn {trinn}"] == expected[(trinn, "parties")]
    assert sum(sum(v.values()) for v in by_trinn.values()) == 30

    # Actions by theme: every act action answers the workshop's first dilemma.
    act_by_theme: Counter[str] = Counter()
    for o in outcomes:
        first = next(iter(o.workshop.dilemma_titles))
        for theme in library.dilemmas[first].themes:
            act_by_theme[library.themes[theme].name.get("nb")] += 1
    actions = next(c for c in charts if "Handle" in c and "Følge med" in c)
    assert {k: v for k, v in actions["Handle"].items() if v} == dict(act_by_theme)
    assert actions["Følge med"]["Ikke knyttet til et dilemma"] == 30

    # Where people stood, leaders: the sums of the counts.
    leaders = [o for o in outcomes if o.workshop.audience == "leaders"]
    stood_left: Counter[str] = Counter()
    for o in leaders:
        for d in o.dilemmas:
            stood_left[library.dilemmas[d.id].title.get("nb")] += d.left.count or 0
    position_charts = [c for c in charts if "Venstre pol" in c]
    assert len(position_charts) == 3
    assert position_charts[0]["Venstre pol"] == dict(stood_left)


def test_csv_and_json_hold_the_same_figures(overview_dir: Path) -> None:
    rows = list(csv.DictReader(io.StringIO((overview_dir / "oversikt.csv").read_text())))
    data = json.loads((overview_dir / "oversikt.json").read_text())
    assert data["workshops"] == 30
    assert int(next(r for r in rows if r["section"] == "workshops")["value"]) == 30
    for kind, n in data["actions_by_kind"].items():
        assert n == 30
        assert int(next(r for r in rows if r["section"] == "actions_by_kind"
                        and r["key"] == kind)["value"]) == n
    assert data["agencies"] == [] and data["texts"] == []


def test_names_and_text_only_when_asked(outcomes: list[Outcome], tmp_path: Path) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    for i, outcome in enumerate(outcomes[:6]):
        write_outcome(outcome, inbox / f"o{i}.yaml")
    result = CliRunner().invoke(main, ["summary", str(inbox), "-o", str(tmp_path / "out"),
                                       "--name-agencies", "--include-text", "--lang", "nn"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    text = _all_text(tmp_path / "out")
    assert f"{NAMES[3]} 0" in text  # agency names, asked for
    assert f"Tiltak for {NAMES[2]}" in text  # free text, asked for
    # The fields that hold nothing but names never appear, whatever the flags.
    assert f"{NAMES[1]} og {NAMES[2]}" not in text  # the participants field
    doc = Document(str(tmp_path / "out" / "oversikt.docx"))
    assert doc.paragraphs[0].text == "Etikkverkstader om generativ KI – oversikt"


def test_a_broken_outcome_file_names_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("workshop:\n  agency: X\nactions:\n  - kind: act\n    what: 5\n    nope: 1\n")
    result = CliRunner().invoke(main, ["summary", str(bad), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "bad.yaml" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o").exists()
