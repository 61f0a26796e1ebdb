"""Rendering the deck through LibreOffice: it opens, and no text lies outside its box.

LibreOffice shrinks text whose box has autofit on, which would hide overflow that PowerPoint
users see; so autofit is switched off in every part before rendering.
"""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from etikkverksted.planning import WorkshopPlan
from etikkverksted.writers.pptx import render_pptx_bytes

pytestmark = [
    pytest.mark.render,
    pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                       reason="needs LibreOffice (soffice) and poppler (pdftotext)"),
]

EMU_PER_PT = 12700
TOLERANCE_PT = 2.0
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                   r"(.*?)</word>")
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)


def _autofit_off(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info)
            if info.filename.endswith(".xml"):
                part = re.sub(rb"<a:normAutofit[^>]*/>|<a:normAutofit[^>]*>.*?</a:normAutofit>",
                              b"<a:noAutofit/>", part)
            dst.writestr(info, part)
    return out.getvalue()


def _rects(shapes: object) -> list[tuple[float, float, float, float]]:
    found = []
    for shape in shapes:  # type: ignore[attr-defined]
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            found += _rects(shape.shapes)
            continue
        if shape.width is None:
            continue
        x, y = shape.left / EMU_PER_PT, shape.top / EMU_PER_PT
        found.append((x, y, x + shape.width / EMU_PER_PT, y + shape.height / EMU_PER_PT))
    return found


@pytest.fixture(scope="module")
def rendered(make_plan: Callable[..., WorkshopPlan], tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Path, Path]:
    plan = make_plan(audience="parties", maturity=2, language="nn", duration=180)
    folder = tmp_path_factory.mktemp("render")
    deck = folder / "deck.pptx"
    deck.write_bytes(_autofit_off(render_pptx_bytes(plan)))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo",
                    "--convert-to", "pdf", "--outdir", str(folder), str(deck)],
                   check=True, capture_output=True, timeout=300)
    pdf = folder / "deck.pdf"
    assert pdf.exists(), "LibreOffice could not open the deck"
    return deck, pdf


def test_libreoffice_renders_every_slide(rendered: tuple[Path, Path]) -> None:
    deck, pdf = rendered
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout \
        if shutil.which("pdfinfo") else ""
    slides = len(Presentation(str(deck)).slides)
    if info:
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert pages == slides


def test_no_text_lies_outside_its_box(rendered: tuple[Path, Path]) -> None:
    deck, pdf = rendered
    bbox = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    pages = _PAGE.findall(bbox)
    prs = Presentation(str(deck))
    assert len(pages) == len(prs.slides)
    outside = []
    for number, (slide, page) in enumerate(zip(prs.slides, pages, strict=True), 1):
        rects = _rects(slide.shapes)
        for m in _WORD.finditer(page):
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            word = html.unescape(m.group(5))
            inside = any(x0 >= rx0 - TOLERANCE_PT and x1 <= rx1 + TOLERANCE_PT
                         and y0 >= ry0 - TOLERANCE_PT and y1 <= ry1 + TOLERANCE_PT
                         for rx0, ry0, rx1, ry1 in rects)
            if not inside:
                outside.append((number, word, round(y1, 1)))
    assert not outside, outside[:20]
