"""The Word handouts as LibreOffice prints them: page counts and nothing off the page."""

from __future__ import annotations

import html
import math
import re
import subprocess
from pathlib import Path

import pytest

from conftest import needs
from etikkverksted.writers.docx import render_docx

pytestmark = [pytest.mark.render, needs("soffice"), needs("pdftotext")]

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")


def to_pdf(files: list[Path], folder: Path) -> list[Path]:
    """Convert all *files* in one LibreOffice run (it is slow to start)."""
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
                    *map(str, files)], check=True, capture_output=True, timeout=300)
    return [folder / (f.stem + ".pdf") for f in files]


def pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Each page's size and words with their boxes, from ``pdftotext -bbox``."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                         capture_output=True, text=True).stdout
    result = []
    for chunk in out.split("<page ")[1:]:
        width, height = map(float, _PAGE.search("<page " + chunk).groups())
        words = [(float(a), float(b), float(c), float(d), html.unescape(w))
                 for a, b, c, d, w in _WORD.findall(chunk)]
        result.append((width, height, words))
    return result


@pytest.fixture(scope="module")
def rendered(make_plan, tmp_path_factory) -> dict[str, tuple[object, Path]]:
    folder = tmp_path_factory.mktemp("render")
    jobs = {
        "participant-leaders-nb": (make_plan(audience="leaders"), "participant"),
        "participant-parties-nn": (make_plan(audience="parties", language="nn", duration=180),
                                   "participant"),
        "participant-employees-45": (make_plan(audience="employees", duration=45),
                                     "participant"),
        "participant-parties-nn-240": (make_plan(audience="parties", language="nn",
                                                 duration=240), "participant"),
        "cards-leaders-240": (make_plan(audience="leaders", maturity=4, duration=240), "cards"),
        "minutes-parties": (make_plan(audience="parties"), "minutes"),
    }
    files = [render_docx(plan, kind, folder / f"{name}.docx")
             for name, (plan, kind) in jobs.items()]
    pdfs = to_pdf(files, folder)
    return {name: (jobs[name][0], pdf) for name, pdf in zip(jobs, pdfs, strict=True)}


def test_participant_sheets_are_two_to_six_pages(rendered) -> None:
    for name, (_, pdf) in rendered.items():
        if name.startswith("participant"):
            assert 2 <= len(pages(pdf)) <= 6, name


def test_cards_are_four_to_a_page(rendered) -> None:
    plan, pdf = rendered["cards-leaders-240"]
    assert len(pages(pdf)) == math.ceil(len(plan.dilemmas) / 4)


def test_no_text_runs_off_the_page(rendered) -> None:
    for name, (_, pdf) in rendered.items():
        for number, (width, height, words) in enumerate(pages(pdf), 1):
            assert words, f"{name} page {number} is empty"
            for x0, y0, x1, y1, word in words:
                assert x0 >= 0 and x1 <= width and y0 >= 0 and y1 <= height, \
                    f"{name} page {number}: {word!r} at {x0:.0f},{y0:.0f}-{x1:.0f},{y1:.0f}"


def test_card_text_is_not_clipped(rendered) -> None:
    """Fixed row heights clip silently; the last question of every card must be printed."""
    plan, pdf = rendered["cards-leaders-240"]
    printed = " ".join(w for _, _, ws in pages(pdf) for *_, w in ws)
    printed = re.sub(r"-\s+", "", printed)
    for dilemma in plan.dilemmas:
        last = dilemma.card_question_list()[-1].text.split()
        assert " ".join(last[-3:]) in printed, dilemma.id
