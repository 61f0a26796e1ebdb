"""Text on what the template paints under it: bands, pictures and fills on layout and master.

LibreOffice's "Vivid" template, converted to .pptx as an agency would, has a dark band across
the lower third of its first master, and that master's "Title, Content" body runs across it:
black text on dark blue. ``template-info`` names the layout, the build takes a layout of the
same kind from another master, and ``check`` reports a deck that puts text on the band.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.util import Emu

from etikkverksted.ooxml.backdrop import Backdrop, average_color, layout_clashes
from etikkverksted.planning import WorkshopPlan
from etikkverksted.quality import check_file
from etikkverksted.writers.pptx import render_pptx, template_info

VIVID = Path("/usr/lib/libreoffice/share/template/common/presnt/Vivid.otp")
CLI = Path(sys.executable).with_name("etikkverksted")

needs_vivid = pytest.mark.skipif(shutil.which("soffice") is None or not VIVID.exists(),
                                 reason="LibreOffice and its Vivid template are not installed")


@pytest.fixture(scope="module")
def vivid(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("vivid")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo",
                    "--convert-to", "pptx", "--outdir", str(folder), str(VIVID)],
                   check=True, capture_output=True, timeout=180)
    return folder / "Vivid.pptx"


@needs_vivid
def test_template_info_names_the_layout_whose_body_lies_on_the_band(vivid: Path) -> None:
    clashes = layout_clashes(vivid.read_bytes())
    by_name = {(c.layout, c.placeholder) for found in clashes.values() for c in found}
    assert ("Title, Content", "body") in by_name
    band = next(c for found in clashes.values() for c in found
                if c.layout == "Title, Content" and c.placeholder == "body")
    assert band.clash.ratio < 4.5 and band.clash.what.startswith("shape")
    assert band.clash.under == (0x34, 0x65, 0xA4)  # the band's dark blue
    out = subprocess.run([str(CLI), "template-info", str(vivid)], capture_output=True,
                         text=True, check=True).stdout
    assert "Title, Content" in out and "LOW CONTRAST: body #000000 text on #3465A4" in out
    assert "instead of 'Title, Content' [0], whose text would be hard to read" in out


@needs_vivid
def test_build_prefers_a_layout_without_the_clash_and_the_deck_passes_the_check(
        vivid: Path, make_plan: Callable[..., WorkshopPlan], tmp_path: Path) -> None:
    report = template_info(vivid)
    name, master, how = report.roles["content"]
    assert name == "Title, Content" and master != 0 and how.startswith("name")
    deck = render_pptx(make_plan(audience="leaders", duration=90), tmp_path / "deck.pptx",
                       template=vivid)
    prs = Presentation(str(deck))
    for slide in prs.slides:
        assert not (slide.slide_layout.slide_master == prs.slide_masters[0]
                    and slide.slide_layout.name == "Title, Content")
    findings = [f for f in check_file(deck) if f.code == "contrast-low"]
    assert not findings, [f.message for f in findings]


@needs_vivid
def test_check_reports_text_on_the_band_of_a_deck_made_to_have_it(vivid: Path,
                                                                  tmp_path: Path) -> None:
    prs = Presentation(str(vivid))
    layout = next(li for li in prs.slide_masters[0].slide_layouts if li.name == "Title, Content")
    slide = prs.slides.add_slide(layout)
    slide.shapes.title.text = "Lav kontrast"
    body = next(p for p in slide.placeholders if p.placeholder_format.idx != 0
                or p.placeholder_format.type != 1)
    frame = body.text_frame
    frame.text = "Første linje"
    for n in range(2, 12):
        frame.add_paragraph().text = f"Linje {n} som når ned i det mørke båndet"
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Emu(24 * 12700)
    path = tmp_path / "low.pptx"
    prs.save(str(path))
    found = [f for f in check_file(path) if f.code == "contrast-low"]
    assert found, "text on the dark band must be reported"
    assert any("on #3465A4" in f.message and "on the master" in f.message for f in found)
    out = subprocess.run([str(CLI), "check", str(path)], capture_output=True, text=True)
    assert out.returncode != 0 and "contrast-low" in out.stdout + out.stderr


def test_a_pictures_average_colour_counts_and_a_covering_shape_hides_the_background() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 30, 90)).save(buf, "PNG")
    assert average_color(buf.getvalue()) == (20, 30, 90)
    p = "http://schemas.openxmlformats.org/presentationml/2006/main"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    master = etree.fromstring(
        f'<p:sldMaster xmlns:p="{p}" xmlns:a="{a}" xmlns:r="{r}"><p:cSld><p:spTree>'
        '<p:pic><p:nvPicPr><p:cNvPr id="2" name="Logo band"/><p:cNvPicPr/><p:nvPr/>'
        '</p:nvPicPr><p:blipFill><a:blip r:embed="rId9"/></p:blipFill><p:spPr><a:xfrm>'
        '<a:off x="0" y="0"/><a:ext cx="1000" cy="1000"/></a:xfrm></p:spPr></p:pic>'
        '</p:spTree></p:cSld></p:sldMaster>')
    backdrop = Backdrop(None, master, {"lt1": (255, 255, 255), "dk1": (0, 0, 0)},
                        {"bg1": "lt1", "tx1": "dk1"},
                        lambda where, rid: average_color(buf.getvalue()) if rid == "rId9"
                        else None, (1000, 1000))
    clash = backdrop.worst((0, 0, 0), 0, 0, 1000, 1000)
    assert clash is not None and clash.under == (20, 30, 90) and "Logo band" in clash.what
    assert backdrop.worst((255, 255, 255), 0, 0, 1000, 1000) is None  # white text reads
