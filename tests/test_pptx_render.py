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
from lxml import etree
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


def _tag_element_one_by_one(root: etree._Element, lang: str) -> None:
    """The language tagging as it visited each run and paragraph in turn (before XPath)."""
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    for run in root.iter(f"{a}r", f"{a}fld", f"{a}br"):
        rpr = run.find(f"{a}rPr")
        if rpr is None:
            rpr = etree.Element(f"{a}rPr")
            run.insert(0, rpr)
        rpr.set("lang", lang)
    for para in root.iter(f"{a}p"):
        end = para.find(f"{a}endParaRPr")
        if end is None:
            end = etree.SubElement(para, f"{a}endParaRPr")
        end.set("lang", lang)
        runs = para.findall(f"{a}r")
        if runs and end.get("sz") is None:
            size = runs[-1].find(f"{a}rPr").get("sz")
            if size:
                end.set("sz", size)


def test_language_tags_are_what_visiting_each_run_gives() -> None:
    from etikkverksted.writers.pptx.language import tag_element

    a = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    texts = [
        f'<r {a}><a:p><a:r><a:rPr sz="2000" b="1"/><a:t>x</a:t></a:r><a:br/>'
        '<a:fld id="{1}" type="slidenum"><a:t>3</a:t></a:fld>'
        '<a:r><a:t>no props</a:t></a:r></a:p>'
        '<a:p><a:r><a:rPr lang="en-US" sz="1200"/><a:rPr sz="9"/><a:t>y</a:t></a:r>'
        '<a:endParaRPr lang="en-US"/><a:endParaRPr sz="5"/></a:p>'
        '<a:p/><a:p><a:pPr/><a:endParaRPr sz="1800"/></a:p>'
        '<a:p><a:r><a:rPr sz=""/><a:t/></a:r></a:p>'
        '<a:r><a:t>loose run</a:t></a:r><!-- c --></r>',
    ]
    prs = Presentation()
    for layout in prs.slide_layouts:  # masters and layouts as localize_prompts tags them
        texts.append(etree.tostring(layout.element))
    texts.append(etree.tostring(prs.slide_masters[0].element))
    for text in texts:
        one, two = etree.fromstring(text), etree.fromstring(text)
        _tag_element_one_by_one(one, "nn-NO")
        tag_element(two, "nn-NO")
        assert etree.tostring(two) == etree.tostring(one)
