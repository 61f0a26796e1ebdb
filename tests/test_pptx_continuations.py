"""Continuation slides read as one thought: keep with next, no stubs (rendered by LibreOffice).

A heading never ends a slide, a continuation never starts with an item indented under a
parent on the slide before, and no continuation holds only one or two lines: the text is read
back from the PDF LibreOffice renders, line by line, as the room would see it.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from etikkverksted.ooxml import textfit
from etikkverksted.ooxml.textfit import BODY_MIN_PT, Box, Para
from etikkverksted.planning import WorkshopPlan
from etikkverksted.writers.pptx import render_pptx_bytes

EMU_PER_PT = 12700
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)

# -- the splitting rules, measured ------------------------------------------------------------


def _recommendations(count: int) -> list[Para]:
    paras = []
    for n in range(1, count + 1):
        paras += [Para(f"{n}. Anbefaling nummer {n}", bold=True, bullet=False,
                       keep_with_next=True),
                  Para("Forklaringen som hører til, lang nok til å gå over to linjer i en "
                       "boks av denne bredden.", level=1)]
    return paras


@pytest.mark.parametrize("height", [150.0, 170.0, 200.0, 230.0, 260.0])
def test_a_heading_never_ends_a_chunk_and_no_chunk_starts_indented(height: float) -> None:
    box = Box(width_pt=420, height_pt=height, indents=(0.0, 27.0), space_before=0.2)
    chunks = textfit.split_to_fit(_recommendations(7), box, BODY_MIN_PT)
    assert len(chunks) > 1
    for chunk in chunks:
        assert textfit.fits(chunk, box, BODY_MIN_PT)
        assert not chunk[-1].keep_with_next, [p.text for p in chunk]
        assert chunk[0].level == 0, [p.text for p in chunk]


def test_a_parent_too_long_for_one_box_is_repeated_above_the_rest_of_its_items() -> None:
    box = Box(width_pt=420, height_pt=150, indents=(0.0, 27.0))
    items = [Para(f"Punkt {i} under overskriften, som tar en hel linje her.", level=1)
             for i in range(12)]
    paras = [Para("Overskrift", bold=True, bullet=False, keep_with_next=True), *items]
    chunks = textfit.split_to_fit(paras, box, BODY_MIN_PT)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk[0].text == "Overskrift"
        assert textfit.fits(chunk, box, BODY_MIN_PT)
    assert [p.text for c in chunks for p in c if p.level] == [p.text for p in items]


def test_a_tail_of_one_or_two_lines_goes_on_the_page_before_when_the_room_allows() -> None:
    box = Box(width_pt=420, height_pt=200, space_before=0.5)
    paras = [Para(f"Kilde nummer {i}") for i in range(8)]
    plain = textfit.split_to_fit(paras, box, BODY_MIN_PT)
    assert len(plain) == 2 and textfit.line_count(plain[-1], box) <= 2
    roomy = Box(width_pt=420, height_pt=230, space_before=0.0)
    pages = textfit.paginate(paras, box, BODY_MIN_PT, roomy=roomy)
    assert len(pages) == 1 and pages[0].box is roomy
    assert textfit.fits(pages[0].paras, roomy, BODY_MIN_PT)


def test_without_room_the_split_moves_paragraphs_forward_instead_of_leaving_a_stub() -> None:
    box = Box(width_pt=420, height_pt=200, space_before=0.5)
    paras = [Para(f"Kilde nummer {i}") for i in range(8)]
    pages = textfit.paginate(paras, box, BODY_MIN_PT, roomy=box)
    assert len(pages) == 2
    assert all(textfit.line_count(p.paras, box) > 2 for p in pages)
    assert [p.text for pg in pages for p in pg.paras] == [p.text for p in paras]


# -- rendered -----------------------------------------------------------------------------------

_NO_RENDERER = shutil.which("soffice") is None or shutil.which("pdftotext") is None


@pytest.fixture(scope="module", params=[("employees", 2, "nn", 90), ("leaders", 4, "nb", 240)],
                ids=lambda p: "-".join(map(str, p)))
def rendered(request: pytest.FixtureRequest, make_plan: Callable[..., WorkshopPlan],
             tmp_path_factory: pytest.TempPathFactory) -> tuple[WorkshopPlan, Path, Path]:
    audience, trinn, lang, minutes = request.param
    plan = make_plan(audience=audience, maturity=trinn, language=lang, duration=minutes)
    folder = tmp_path_factory.mktemp("cont")
    deck = folder / "deck.pptx"
    deck.write_bytes(render_pptx_bytes(plan))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo",
                    "--convert-to", "pdf", "--outdir", str(folder), str(deck)],
                   check=True, capture_output=True, timeout=300)
    return plan, deck, folder / "deck.pdf"


def _body_lines(slide: object, page: str) -> list[tuple[float, str]]:
    """(left x, text) of each rendered line inside the slide's body placeholder."""
    bodies = [s for s in slide.placeholders  # type: ignore[attr-defined]
              if s.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)]
    if not bodies:
        return []
    body = max(bodies, key=lambda s: int(s.width) * int(s.height))
    x0, y0 = body.left / EMU_PER_PT, body.top / EMU_PER_PT
    x1, y1 = x0 + body.width / EMU_PER_PT, y0 + body.height / EMU_PER_PT
    rows: dict[int, list[tuple[float, str]]] = {}
    for m in _WORD.finditer(page):
        wx0, wy0, wx1, wy1 = (float(v) for v in m.groups()[:4])
        if wx0 >= x0 - 2 and wx1 <= x1 + 2 and wy0 >= y0 - 2 and wy1 <= y1 + 2:
            rows.setdefault(round(wy1), []).append((wx0, html.unescape(m.group(5))))
    return [(min(x for x, _ in words), " ".join(w for _, w in sorted(words)))
            for _, words in sorted(rows.items())]


def _strip_head(lines: list[tuple[float, str]], head: str) -> list[tuple[float, str]]:
    """Drop the method line repeated at the top of a continuation."""
    seen = ""
    for i, (_, text) in enumerate(lines):
        seen = f"{seen} {text}".strip()
        if seen == head:
            return lines[i + 1:]
        if not head.startswith(seen):
            break
    return lines


@pytest.mark.render
@pytest.mark.skipif(_NO_RENDERER, reason="needs LibreOffice (soffice) and poppler (pdftotext)")
def test_rendered_continuations_start_with_a_top_level_item_and_are_no_stubs(
        rendered: tuple[WorkshopPlan, Path, Path]) -> None:
    plan, deck, pdf = rendered
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = _PAGE.findall(bbox)
    slides = list(Presentation(str(deck)).slides)
    assert len(pages) == len(slides)
    continued = plan.label("pptx_continued")
    headings = {f"{r.number}. {r.title}" for r in plan.recommendations}
    headings |= {g.label for s in plan.segments for g in s.question_groups if g.label}
    found = 0
    for i, (slide, page) in enumerate(zip(slides, pages, strict=True)):
        title = slide.shapes.title.text_frame.text
        if continued not in title or i == 0:
            continue
        found += 1
        body = next(s for s in slide.placeholders
                    if s.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
                    and s.text_frame.text)
        first = body.text_frame.paragraphs[0]
        head = first.text if first.runs and first.runs[0].font.bold and \
            first.text.startswith(plan.label("pptx_method")) else ""
        lines = _body_lines(slide, page)
        left = min(x for x, _ in lines)
        rest = _strip_head(lines, head) if head else lines
        assert len(rest) > 2, (title, rest)
        assert rest[0][0] <= left + 3, (title, "starts indented", rest[0])
        before = _body_lines(slides[i - 1], pages[i - 1])
        last = before[-1][1]
        assert not any(h.endswith(last) for h in headings), (title, "heading's tail", last)
    assert found, "the deck was expected to need continuation slides"
