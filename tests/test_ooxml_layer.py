"""The neutral OOXML layer: one-way imports, and one placeholder-inheritance resolver.

The writer's fitter (``writers/pptx/fit.py``) and the checker (``quality/pptx_model.py``) used
to resolve placeholder inheritance each in their own way and disagreed: the checker read
``spcBef/spcPct`` as a fraction of the font size where the fitter measured a fraction of the
line height, and only the checker gave date, footer and slide-number placeholders the master's
``otherStyle``. Both now use :mod:`etikkverksted.ooxml.placeholders`; these tests hold them
to the same answers on the cases where they differed.
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.util import Pt

import etikkverksted
from etikkverksted.ooxml import textfit
from etikkverksted.ooxml.namespaces import PML as NS
from etikkverksted.ooxml.placeholders import Inheritance, placeholder
from etikkverksted.ooxml.textfit import Para
from etikkverksted.ooxml.zipfiles import normalize_package, write_zip
from etikkverksted.quality.package import Package
from etikkverksted.quality.pptx_checks import DeckChecker
from etikkverksted.quality.pptx_model import SlideModel
from etikkverksted.writers.pptx import fit

PACKAGE = Path(etikkverksted.__file__).parent


def imports_of(path: Path) -> set[str]:
    """Every module *path* imports (relative imports made absolute; ``from x import y`` as both
    ``x`` and ``x.y``, since ``y`` may be a module)."""
    parts = ["etikkverksted", *path.relative_to(PACKAGE).with_suffix("").parts]
    package = parts[:-1]  # a module's package; for __init__ the package itself
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def modules_under(folder: str) -> list[Path]:
    found = sorted((PACKAGE / folder).rglob("*.py"))
    assert found, folder
    return found


@pytest.mark.parametrize(("layer", "forbidden"), [
    ("writers", ("etikkverksted.quality",)),
    ("quality", ("etikkverksted.writers",)),
    ("ooxml", ("etikkverksted.writers", "etikkverksted.quality")),
])
def test_layers_import_one_way(layer: str, forbidden: tuple[str, ...]) -> None:
    crossing = [f"{path.relative_to(PACKAGE)} imports {name}"
                for path in modules_under(layer) for name in sorted(imports_of(path))
                if name.startswith(forbidden)]
    assert crossing == []


def test_the_import_walk_sees_relative_imports() -> None:
    """The walk itself: palette's relative import of the colour module is seen as absolute."""
    names = imports_of(PACKAGE / "writers" / "pptx" / "palette.py")
    assert "etikkverksted.ooxml.color" in names


# -- one resolver ---------------------------------------------------------------------------

def _deck_with_furniture(spacing_before: int) -> tuple[bytes, int, int]:
    """python-pptx's default template, one slide with a footer and a two-paragraph body.

    The master's footer placeholder loses its own list style, so its size can only come
    from a text style: ``otherStyle`` says 11 pt, ``bodyStyle`` 32 pt. The master's body
    style gets ``spcBef spcPct`` of *spacing_before* (1/1000 %). Returns the saved deck and
    the shape ids of the footer and the body.
    """
    prs = Presentation()
    master = prs.slide_masters[0].element
    for sp in master.iterfind("p:cSld/p:spTree/p:sp", NS):
        ph = sp.find(".//p:ph", NS)
        if ph.get("type") == "ftr":
            style = sp.find("p:txBody/a:lstStyle", NS)
            for child in list(style):
                style.remove(child)
    other = master.find("p:txStyles/p:otherStyle/a:lvl1pPr/a:defRPr", NS)
    other.set("sz", "1100")
    body_style = master.find("p:txStyles/p:bodyStyle/a:lvl1pPr", NS)
    spc = body_style.find("a:spcBef/a:spcPct", NS)
    spc.set("val", str(spacing_before))
    layout = prs.slide_layouts[1]
    slide = prs.slides.add_slide(layout)
    footer = next(p for p in layout.placeholders if p.placeholder_format.type == 15)
    slide.shapes._spTree.append(copy.deepcopy(footer.element))
    slide.shapes.title.text = "Tittel"
    body = slide.placeholders[1]
    body.text_frame.text = "Første"
    body.text_frame.add_paragraph().text = "Andre"
    for para in body.text_frame.paragraphs:
        para.runs[0].font.size = Pt(20)
    footer_shape = next(s for s in slide.placeholders if s.placeholder_format.type == 15)
    footer_shape.text_frame.text = "Bunntekst"
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue(), footer_shape.shape_id, body.shape_id


def _both_sides(data: bytes, tmp_path: Path) -> tuple[object, SlideModel, DeckChecker]:
    path = tmp_path / "deck.pptx"
    path.write_bytes(data)
    slide = Presentation(str(path)).slides[0]
    checker = DeckChecker(Package.read(path), ours=False)
    model = SlideModel(checker.pkg, checker.slide_parts[0], checker.presentation)
    return slide, model, checker


def test_footer_takes_the_masters_other_style_in_fitter_and_checker(tmp_path: Path) -> None:
    data, footer_id, _ = _deck_with_furniture(20000)
    slide, model, checker = _both_sides(data, tmp_path)
    footer = next(s for s in slide.placeholders if s.shape_id == footer_id)
    assert fit.default_size(footer) == 11.0  # otherStyle, not bodyStyle's 32 pt
    shape = next(s for s in model.shapes() if s.ph and s.ph[0] == "ftr")
    para = shape.el.find("p:txBody/a:p", NS)
    assert checker.size_pt(model, shape, para, para.find("a:r", NS)) == 11.0


@pytest.mark.parametrize("spacing_before", [20000, 100000])
def test_space_before_is_a_share_of_the_line_height_in_fitter_and_checker(
        tmp_path: Path, spacing_before: int) -> None:
    data, _, body_id = _deck_with_furniture(spacing_before)
    slide, model, checker = _both_sides(data, tmp_path)
    body = next(s for s in slide.placeholders if s.shape_id == body_id)
    face = model.theme.minor
    box = fit.box_of(body, face)
    assert box.space_before == spacing_before / 100000
    shape = next(s for s in model.shapes() if s.ph and s.ph[1] == "1")
    width = box.width_pt
    measured = checker._text_height(model, shape, shape.el.find("p:txBody", NS), width)
    line = textfit.line_height(20, face)
    assert measured == pytest.approx(2 * line + spacing_before / 100000 * line)
    paras = [Para("Første"), Para("Andre")]
    assert textfit.text_height(paras, box, 20) == pytest.approx(measured)


def test_a_body_on_an_all_idx_0_layout_inherits_from_the_body_not_the_title() -> None:
    """LibreOffice writes idx=0 on every placeholder of a layout; idx alone picks the title."""
    layout = etree.fromstring(
        f'<p:sldLayout xmlns:p="{NS["p"]}" xmlns:a="{NS["a"]}"><p:cSld><p:spTree>'
        '<p:sp><p:nvSpPr><p:cNvPr id="2" name="T"/><p:cNvSpPr/><p:nvPr>'
        '<p:ph type="title" idx="0"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
        '<p:sp><p:nvSpPr><p:cNvPr id="3" name="B"/><p:cNvSpPr/><p:nvPr>'
        '<p:ph type="body" idx="0"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>'
        '</p:spTree></p:cSld></p:sldLayout>')
    slide_body = etree.fromstring(
        f'<p:sp xmlns:p="{NS["p"]}"><p:nvSpPr><p:cNvPr id="5" name="b"/><p:cNvSpPr/><p:nvPr>'
        '<p:ph type="body" idx="0"/></p:nvPr></p:nvSpPr><p:spPr/></p:sp>')
    chain = Inheritance(layout, None).chain(slide_body)
    assert [placeholder(el).type for el in chain[1:]] == ["body"]


def test_fitter_and_checker_resolve_the_same_chain_on_every_placeholder(
        tmp_path: Path, make_plan) -> None:  # type: ignore[no-untyped-def]
    import pptx as pptx_package

    from etikkverksted.writers.pptx import render_pptx

    template = Path(pptx_package.__file__).parent / "templates" / "default.pptx"
    deck = render_pptx(make_plan(audience="parties", language="nn"), tmp_path / "d.pptx",
                       template=template)
    prs = Presentation(str(deck))
    checker = DeckChecker(Package.read(deck), ours=True)
    compared = 0
    for slide, part in zip(prs.slides, checker.slide_parts, strict=True):
        model = SlideModel(checker.pkg, part, checker.presentation)
        by_id = {s.el.find("./*/p:cNvPr", NS).get("id"): s for s in model.shapes()}
        for shape in slide.placeholders:
            theirs = by_id[str(shape.shape_id)]
            ours_chain = fit.inheritance(shape).chain(shape.element)
            assert [etree.tostring(e) for e in ours_chain] == \
                [etree.tostring(e) for e in theirs.chain]
            for level in range(3):
                assert [etree.tostring(e) for e in
                        fit.inheritance(shape).level_props(ours_chain, level)] == \
                    [etree.tostring(e) for e in model.level_props(theirs.chain, level)]
            compared += 1
    assert compared > 20


# -- one zip writer -------------------------------------------------------------------------

def test_zip_writer_is_reproducible_and_puts_content_types_first() -> None:
    import datetime as dt

    stamp = dt.datetime(2027, 1, 15, 12, 0)
    source = io.BytesIO()
    with zipfile.ZipFile(source, "w") as zf:
        zf.writestr("docProps/app.xml", "<Properties xmlns='http://schemas.openxmlformats."
                    "org/officeDocument/2006/extended-properties'/>")
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("b.xml", "<b/>")
    once = normalize_package(source.getvalue(), stamp)
    assert once == normalize_package(source.getvalue(), stamp)
    with zipfile.ZipFile(io.BytesIO(once)) as zf:
        assert [i.filename for i in zf.infolist()] == ["[Content_Types].xml",
                                                        "docProps/app.xml", "b.xml"]
        assert {i.date_time for i in zf.infolist()} == {(2027, 1, 15, 12, 0, 0)}
        assert b"<Application>etikkverksted</Application>" in zf.read("docProps/app.xml")
    edited = normalize_package(source.getvalue(), stamp,
                               lambda name, data: b"<c/>" if name == "b.xml" else data)
    assert zipfile.ZipFile(io.BytesIO(edited)).read("b.xml") == b"<c/>"
    early = write_zip([("x", b"1")], dt.datetime(1970, 1, 1))
    assert zipfile.ZipFile(io.BytesIO(early)).infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def _template_parts() -> list[etree._Element]:
    """Every XML part of a deck on python-pptx's default template."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Tittel"
    buf = io.BytesIO()
    prs.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return [etree.fromstring(zf.read(n)) for n in zf.namelist() if n.endswith(".xml")]


@pytest.mark.parametrize("path", [
    ("p:txBody",), ("p:txBody", "a:bodyPr"), ("*", "p:nvPr", "p:ph"), ("*", "p:cNvPr"),
    ("p:spPr", "a:xfrm"), ("p:xfrm",), ("p:grpSpPr", "a:xfrm"), ("a:off",), ("a:ext",),
    ("p:cSld", "p:spTree", "*"), ("a:pPr",), ("a:rPr",), ("a:t",), ("*",), ("*", "*"),
    ("*", "*", "*"), ("p:style", "a:fontRef"), ("a:lvl1pPr", "a:defRPr"),
])
def test_lookup_first_finds_what_elementpath_finds(path: tuple[str, ...]) -> None:
    """``lookup.first`` stands in for ``find`` on the hot paths of the fitter and the checker:
    on every element of real parts, it returns the very element ElementPath returns."""
    from etikkverksted.ooxml.lookup import ANY, first

    clark = [ANY if step == "*" else etree.QName(NS[step.split(":")[0]], step.split(":")[1]).text
             for step in path]
    checked = 0
    for root in _template_parts():
        for el in root.iter():
            assert first(el, *clark) is el.find("/".join(path), NS)
            checked += 1
    assert checked > 100


def test_lookup_first_keeps_document_order_across_repeated_parents() -> None:
    """With two matching parents, the first match under the first parent wins, as in find;
    comments are no match for ``*``."""
    from etikkverksted.ooxml.lookup import first

    root = etree.fromstring("<r><a/><!--c--><a><b n='1'/><b n='2'/></a><a><b n='3'/></a></r>")
    assert first(root, "a", "b") is root.find("a/b")
    assert first(root, "a", "b").get("n") == "1"  # type: ignore[union-attr]
    assert first(root, "*", "*") is root.find("*/*")
    assert first(root, "a", "c") is None and root.find("a/c") is None


@pytest.mark.filterwarnings("ignore:Duplicate name")
def test_write_zip_writes_the_bytes_zipfile_writes_also_from_its_cache() -> None:
    import datetime as dt
    import random

    from etikkverksted.ooxml import zipfiles

    rng = random.Random(7)
    for _ in range(60):
        members = []
        for _ in range(rng.randint(0, 9)):
            size = rng.choice([0, 1, 100, 2047, 2048, 5000, 70000])
            data = (rng.randbytes(size) if rng.random() < 0.3
                    else (b"abc<w:p/>" * (size // 9 + 1))[:size])
            name = rng.choice(["a.xml", "word/styles.xml", "\u00f8/\u00e6.xml", "x" * 300,
                               "[Content_Types].xml"])
            members.append((name, data))
        stamp = dt.datetime(rng.randint(1970, 2200), rng.randint(1, 12), rng.randint(1, 28),
                            rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59))
        clamped = min(max(stamp, zipfiles._EPOCH_MIN), zipfiles._EPOCH_MAX)
        expected = zipfiles._write_zip_zipfile(members, clamped)
        assert write_zip(members, stamp) == expected  # deflated (and remembered)
        assert write_zip(members, stamp) == expected  # from the cache
        assert zipfile.ZipFile(io.BytesIO(expected)).testzip() is None
        some = lambda name: name.startswith(("a", "\u00f8"))  # noqa: E731
        stored = zipfiles._write_zip_zipfile(members, clamped, some)
        assert write_zip(members, stamp, stored=some) == stored  # some members stored
        assert zipfile.ZipFile(io.BytesIO(stored)).testzip() is None


def test_zip_writer_keeps_only_template_parts_and_forgets_them_on_request() -> None:
    """The deflate cache holds styles, masters and media that recur from file to file; a
    document body, a slide or its notes (a user's text, written once) are never kept, and
    ``forget_deflated`` empties it (the web workers call it after an uploaded template)."""
    from etikkverksted.ooxml import zipfiles

    zipfiles.forget_deflated()
    body = b"<w:p>Agency's own text</w:p>" * 200
    members = [("word/document.xml", body + b"1"), ("ppt/slides/slide1.xml", body + b"2"),
               ("ppt/notesSlides/notesSlide1.xml", body + b"3"),
               ("word/styles.xml", body + b"4"), ("ppt/slideLayouts/slideLayout2.xml",
                                                   body + b"5"),
               ("ppt/media/image1.png", body + b"6")]
    first = write_zip(members, dt.datetime(2026, 12, 3))
    kept = set(zipfiles._DEFLATED.entries)

    def key(data: bytes) -> bytes:
        return hashlib.blake2b(data, digest_size=16).digest()

    assert kept == {key(body + b"4"), key(body + b"5"), key(body + b"6")}
    assert [zipfiles.recurs(name) for name, _ in members] == [False, False, False, True,
                                                               True, True]
    assert write_zip(members, dt.datetime(2026, 12, 3)) == first  # the same bytes from it
    zipfiles.forget_deflated()
    assert not zipfiles._DEFLATED.entries and zipfiles._DEFLATED.size == 0
    assert write_zip(members, dt.datetime(2026, 12, 3)) == first
