"""The deck checks find each fault they promise to find, at the right slide, and none in ours."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Inches, Pt

from etikkverksted.ooxml.color import contrast_ratio
from etikkverksted.quality import Finding, check_files, findings_json, format_findings
from etikkverksted.writers.pptx.template import register_notes_master

TITLE_ONLY, TITLE_AND_CONTENT, BLANK = 5, 1, 6


def _tag(prs: Presentation, lang: str = "nb-NO") -> None:
    """Give every run a language, as a careful author would."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    for slide in prs.slides:
        for el in slide._element.iter(f"{{{a}}}r"):
            rpr = el.find(f"{{{a}}}rPr")
            if rpr is None:
                rpr = etree.SubElement(el, f"{{{a}}}rPr")
                el.insert(0, rpr)
            rpr.set("lang", lang)


def _deck(tmp_path: Path, build: Callable[[Presentation], None], name: str = "deck.pptx",
          tag: bool = True) -> Path:
    prs = Presentation()
    prs.core_properties.title = "Testdeck"
    prs.core_properties.author = "Test"
    prs.core_properties.language = "nb-NO"
    build(prs)
    register_notes_master(prs)  # python-pptx forgets it; the package check says so
    if tag:
        _tag(prs)
    path = tmp_path / name
    prs.save(path)
    return path


def _titled(prs: Presentation, title: str, layout: int = TITLE_ONLY):
    slide = prs.slides.add_slide(prs.slide_layouts[layout])
    slide.shapes.title.text = title
    slide.notes_slide.notes_text_frame.text = "Notat"
    return slide


def _codes(findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.code, []).append(f)
    return out


def test_clean_deck_has_no_findings(tmp_path: Path) -> None:
    def build(prs: Presentation) -> None:
        slide = _titled(prs, "Første")
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(2))
        box.text_frame.text = "Kort tekst"
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
        _titled(prs, "Andre")

    findings = check_files([_deck(tmp_path, build)])
    assert findings == [], format_findings(findings)


def test_missing_and_duplicate_titles(tmp_path: Path) -> None:
    def build(prs: Presentation) -> None:
        _titled(prs, "Samme")
        _titled(prs, "Samme")
        slide = prs.slides.add_slide(prs.slide_layouts[BLANK])
        slide.notes_slide.notes_text_frame.text = "x"
        empty = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
        empty.notes_slide.notes_text_frame.text = "x"

    codes = _codes(check_files([_deck(tmp_path, build)]))
    assert [f.location for f in codes["slide-title-duplicate"]] == ["slide 2"]
    assert codes["slide-title-duplicate"][0].severity == "warning"
    assert [f.location for f in codes["slide-title-missing"]] == ["slide 3"]
    assert [f.location for f in codes["slide-title-empty"]] == ["slide 4"]


def test_picture_and_chart_alt_text(tmp_path: Path) -> None:
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE

    image = tmp_path / "bilde.png"
    Image.new("RGB", (20, 20), "navy").save(image)

    def build(prs: Presentation) -> None:
        slide = _titled(prs, "Bilder")
        slide.shapes.add_picture(str(image), Inches(1), Inches(2))  # descr = file name
        pic = slide.shapes.add_picture(str(image), Inches(3), Inches(2))
        pic._element.nvPicPr.cNvPr.set("descr", "")
        good = slide.shapes.add_picture(str(image), Inches(5), Inches(2))
        good._element.nvPicPr.cNvPr.set("descr", "Et blått kvadrat")
        data = CategoryChartData()
        data.categories = ["A", "B"]
        data.add_series("S", (1, 2))
        _titled(prs, "Diagram").shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, Inches(1), Inches(2), Inches(6), Inches(4), data)

    codes = _codes(check_files([_deck(tmp_path, build)]))
    assert [f.location for f in codes["alt-text-filename"]] == ["slide 1"]
    assert "bilde.png" in codes["alt-text-filename"][0].message
    assert sorted(f.location for f in codes["alt-text-missing"]) == ["slide 1", "slide 2"]
    assert any("chart" in f.message for f in codes["alt-text-missing"])


def test_language_missing_and_wrong(tmp_path: Path) -> None:
    def build(prs: Presentation) -> None:
        slide = _titled(prs, "Språk")
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(1))
        box.text_frame.text = "English words"
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
        _titled(prs, "Uten språk")

    path = _deck(tmp_path, build)
    prs = Presentation(path)
    prs.slides[0].shapes[1].text_frame.paragraphs[0].runs[0].font.language_id = None
    run = prs.slides[0].shapes[1].text_frame.paragraphs[0].runs[0]
    run._r.get_or_add_rPr().set("lang", "en-US")
    title = prs.slides[1].shapes.title.text_frame.paragraphs[0].runs[0]
    del title._r.get_or_add_rPr().attrib["lang"]
    prs.save(path)
    codes = _codes(check_files([path]))
    assert [f.location for f in codes["language-wrong"]] == ["slide 1"]
    assert "en-US" in codes["language-wrong"][0].message
    assert [f.location for f in codes["language-missing"]] == ["slide 2"]


def test_small_text_and_scaled_text(tmp_path: Path) -> None:
    def build(prs: Presentation) -> None:
        small = _titled(prs, "Liten").shapes.add_textbox(Inches(1), Inches(2), Inches(8),
                                                          Inches(1))
        small.text_frame.text = "Fotnote"
        small.text_frame.paragraphs[0].runs[0].font.size = Pt(12)
        scaled = _titled(prs, "Skalert", TITLE_AND_CONTENT).placeholders[1]
        scaled.text_frame.text = "Punkt"
        body_pr = scaled.text_frame._txBody.bodyPr
        etree.SubElement(body_pr, "{http://schemas.openxmlformats.org/drawingml/2006/main}"
                         "normAutofit").set("fontScale", "50000")

    codes = _codes(check_files([_deck(tmp_path, build)]))
    assert [f.location for f in codes["text-too-small"]] == ["slide 1", "slide 2"]
    assert "12 pt" in codes["text-too-small"][0].message
    assert "16 pt" in codes["text-too-small"][1].message  # 32 pt body at 50 %


def test_contrast_with_fill_theme_colour_and_background(tmp_path: Path) -> None:
    def build(prs: Presentation) -> None:
        slide = _titled(prs, "Kontrast")
        grey = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(1))
        grey.text_frame.text = "Lys grå"
        font = grey.text_frame.paragraphs[0].runs[0].font
        font.size, font.color.rgb = Pt(24), RGBColor(0xBB, 0xBB, 0xBB)
        ok = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(1), Inches(4), Inches(8),
                                    Inches(1))
        ok.fill.solid()
        ok.fill.fore_color.rgb = RGBColor(0x1F, 0x38, 0x64)
        ok.text_frame.text = "Hvit på mørk blå"  # style fontRef: lt1 = white
        ok.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
        slide2 = _titled(prs, "Tema")
        theme = slide2.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(1))
        theme.text_frame.text = "Bakgrunnsfarge som tekst"
        font = theme.text_frame.paragraphs[0].runs[0].font
        font.size = Pt(24)
        font.color.theme_color = MSO_THEME_COLOR.BACKGROUND_1
        # Text over a filled shape takes that shape's colour as its background.
        under = slide2.shapes.add_shape(MSO_SHAPE.RECTANGLE, Inches(1), Inches(4), Inches(8),
                                        Inches(2))
        under.fill.solid()
        under.fill.fore_color.rgb = RGBColor(0, 0, 0)
        label = slide2.shapes.add_textbox(Inches(2), Inches(4.5), Inches(6), Inches(1))
        label.text_frame.text = "Svart på svart"
        label.text_frame.paragraphs[0].runs[0].font.size = Pt(24)

    codes = _codes(check_files([_deck(tmp_path, build)]))
    found = {(f.location, f.message.split("'")[1]) for f in codes["contrast-low"]}
    assert found == {("slide 1", "TextBox 2"), ("slide 2", "TextBox 2"),
                     ("slide 2", "TextBox 4")}
    assert "#BBBBBB on #FFFFFF" in codes["contrast-low"][0].message


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)


def test_overflow_is_estimated(tmp_path: Path) -> None:
    def build(prs: Presentation) -> None:
        slide = _titled(prs, "For mye")
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(3), Inches(1))
        box.text_frame.word_wrap = True
        box.text_frame.text = "Dette er en lang tekst som ikke får plass i en liten boks. " * 4
        box.text_frame.paragraphs[0].runs[0].font.size = Pt(24)
        fits = slide.shapes.add_textbox(Inches(5), Inches(2), Inches(4), Inches(1))
        fits.text_frame.word_wrap = True
        fits.text_frame.text = "Kort"
        fits.text_frame.paragraphs[0].runs[0].font.size = Pt(24)

    codes = _codes(check_files([_deck(tmp_path, build)]))
    assert [(f.location, "TextBox 2" in f.message) for f in codes["text-overflow"]] == [
        ("slide 1", True)]


def test_empty_placeholders_and_notes_are_stricter_for_our_decks(tmp_path: Path) -> None:
    def build(prs: Presentation) -> None:
        _titled(prs, "Tom plassholder", TITLE_AND_CONTENT)
        slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
        slide.shapes.title.text = "Uten notater"

    path = _deck(tmp_path, build)
    theirs = _codes(check_files([path]))
    assert theirs["placeholder-empty"][0].severity == "warning"
    assert "notes-missing" not in theirs
    ours = _codes(check_files([path], ours=True))
    assert ours["placeholder-empty"][0].severity == "error"
    assert [f.location for f in ours["notes-missing"]] == ["slide 2"]


def test_document_properties(tmp_path: Path) -> None:
    def build(prs: Presentation) -> None:
        _titled(prs, "Eneste")
        prs.core_properties.title = ""
        prs.core_properties.language = ""
        prs.core_properties.author = ""

    path = _deck(tmp_path, build)
    codes = _codes(check_files([path]))
    assert codes["core-title-missing"][0].severity == "error"
    assert codes["core-author-missing"][0].severity == "warning"
    # python-pptx's default template sets no language in its default text style either.
    assert codes["document-language-missing"][0].location == "document properties"


def test_format_and_json(tmp_path: Path) -> None:
    def build(prs: Presentation) -> None:
        prs.slides.add_slide(prs.slide_layouts[BLANK])

    path = _deck(tmp_path, build)
    findings = check_files([path])
    text = format_findings(findings)
    assert f"{path}: slide 1: error [slide-title-missing]" in text
    assert text.splitlines()[-1].endswith("warning(s).")
    rows = json.loads(findings_json(findings))
    assert {"file", "location", "code", "severity", "message"} == set(rows[0])
    assert rows[0]["file"] == str(path)
    assert format_findings([]) == "No problems found."


def test_our_deck_is_clean(make_plan: Callable[..., object], tmp_path: Path) -> None:
    from etikkverksted.writers.pptx import render_pptx

    for language in ("nb", "nn"):
        path = render_pptx(make_plan(maturity=3, language=language), tmp_path / f"{language}.pptx")
        findings = check_files([path])
        assert findings == [], format_findings(findings)
        notes = check_files([path], ours=True)
        assert notes == []


def test_our_deck_is_detected_as_ours(make_plan: Callable[..., object], tmp_path: Path
                                       ) -> None:
    from etikkverksted.quality.ours import is_ours
    from etikkverksted.quality.package import Package
    from etikkverksted.writers.pptx import render_pptx

    path = render_pptx(make_plan(), tmp_path / "deck.pptx")
    assert is_ours(Package.read(path))
    prs = Presentation(path)
    prs.slides[0].notes_slide.notes_text_frame.text = ""
    prs.save(path)
    codes = _codes(check_files([path]))
    assert codes["notes-missing"][0].location == "slide 1"
