"""Text measurement with real font metrics, and the default template's colours."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from etikkverksted.ooxml import textfit
from etikkverksted.ooxml.textfit import BODY_MIN_PT, Box, Para
from etikkverksted.writers.pptx.template import default_template_path

WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå", min_size=1, max_size=14),
                 min_size=1, max_size=60).map(" ".join)


def test_calibri_is_measured_with_its_metric_twin() -> None:
    path = textfit.font_file("Calibri")
    assert path is not None and path.name.startswith("Carlito")
    assert textfit.has_metric_twin("Calibri")
    # Carlito's line height is about 1.22 em.
    assert 1.15 < textfit.line_height(10, "Calibri") / 10 < 1.3


def test_wider_text_measures_wider() -> None:
    assert textfit.text_width("WWWW", 20) > textfit.text_width("iiii", 20)
    assert textfit.text_width("abc", 40) == pytest.approx(2 * textfit.text_width("abc", 20))


@settings(max_examples=40, deadline=None)
@given(WORDS, st.floats(min_value=80, max_value=600))
def test_wrapped_lines_never_exceed_the_width(text: str, width: float) -> None:
    for line in textfit.wrap(text, width, 20):
        assert textfit.text_width(line, 20) <= width + 1e-6 or len(line) == 1
    assert " ".join(textfit.wrap(text, width, 20)).replace(" ", "") == text.replace(" ", "")


def test_fit_size_shrinks_but_never_below_the_minimum() -> None:
    box = Box(width_pt=400, height_pt=120)
    short = [Para("Kort tekst")]
    assert textfit.fit_size(short, box, 28) == 28
    medium = [Para("ord " * 40)]
    size = textfit.fit_size(medium, box, 28)
    assert size is not None and BODY_MIN_PT <= size < 28
    long = [Para("ord " * 400)]
    assert textfit.fit_size(long, box, 28) is None


@settings(max_examples=25, deadline=None)
@given(st.lists(WORDS, min_size=1, max_size=15))
def test_split_chunks_each_fit_at_the_minimum(texts: list[str]) -> None:
    box = Box(width_pt=500, height_pt=200, space_before=0.3)
    head = [Para("Metode: plenum", bold=True, bullet=False)]
    chunks = textfit.split_to_fit([Para(t) for t in texts], box, BODY_MIN_PT, head)
    for chunk in chunks:
        assert textfit.fits([*head, *chunk], box, BODY_MIN_PT)
    joined = " ".join(p.text for c in chunks for p in c).split()
    assert joined == " ".join(texts).split()


def _contrast(a: str, b: str) -> float:
    from etikkverksted.ooxml.color import contrast_ratio, parse_hex

    return contrast_ratio(parse_hex(a), parse_hex(b))


def test_default_template_text_colours_have_contrast_of_at_least_4_5() -> None:
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    with zipfile.ZipFile(default_template_path()) as zf:
        theme = etree.fromstring(zf.read("ppt/theme/theme1.xml"))
    scheme = theme.find(f".//{{{a}}}clrScheme")
    colours = {child.tag.split("}")[1]: child[0].get("val") for child in scheme}
    assert colours["dk1"] and colours["lt1"]
    # Body and title text on the background, text on the quiet fill, white text on accents.
    pairs = [("dk1", "lt1"), ("dk2", "lt1"), ("dk1", "lt2"), ("dk2", "lt2"), ("hlink", "lt1")]
    pairs += [(f"accent{i}", "lt1") for i in range(1, 7)]
    for fg, bg in pairs:
        assert _contrast(colours[fg], colours[bg]) >= 4.5, (fg, bg)


def test_default_template_is_16_9_calibri() -> None:
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    with zipfile.ZipFile(default_template_path()) as zf:
        pres = zf.read("ppt/presentation.xml").decode()
        theme = etree.fromstring(zf.read("ppt/theme/theme1.xml"))
    assert 'cx="12192000" cy="6858000"' in pres
    for which in ("majorFont", "minorFont"):
        assert theme.find(f".//{{{a}}}{which}/{{{a}}}latin").get("typeface") == "Calibri"


def test_remembered_boxes_equal_fresh_ones_and_follow_the_shapes_xml() -> None:
    """fit.Boxes gives what box_of and default_size give, also after a shape changes."""
    from pptx import Presentation

    from etikkverksted.ooxml.pptx_compat import text_body
    from etikkverksted.writers.pptx.fit import Boxes, box_of, default_size

    prs = Presentation(str(default_template_path()))
    boxes = Boxes()
    shapes = []
    for layout in list(prs.slide_layouts) * 2:
        slide = prs.slides.add_slide(layout)
        shapes += [ph for ph in slide.placeholders if ph.has_text_frame]
    for shape in shapes[:3]:
        shape.width = int(shape.width) // 2
        lst = text_body(shape.text_frame).find(f"{{{A}}}lstStyle")
        etree.SubElement(etree.SubElement(lst, f"{{{A}}}lvl1pPr", marL="457200"),
                         f"{{{A}}}defRPr", sz="1100")
    for shape in shapes:
        for typeface in (None, "Calibri"):
            try:
                fresh = box_of(shape, typeface)
            except Exception as exc:  # the same error, remembered or not
                with pytest.raises(type(exc)):
                    boxes.box(shape, typeface)
                continue
            assert boxes.box(shape, typeface) == fresh
        assert boxes.default_size(shape, 0, 36.0) == default_size(shape, 0, 36.0)
        assert boxes.default_size(shape, 1, 20.0) == default_size(shape, 1, 20.0)
    assert len(boxes._boxes) < 2 * len(shapes) * 0.6  # the same XML on a layout: looked up once


A = "http://schemas.openxmlformats.org/drawingml/2006/main"
