"""Build ``layouts/default.pptx``, the deck template etikkverksted uses when none is given.

Run from anywhere: ``python layouts/make_default_pptx.py``. The result is byte-identical on
every run (fixed dates, fixed zip timestamps), so a rebuild shows up in git only when this
script changes.

Design: 16:9, white background, one thin accent bar at the top, dark slate text, a navy
title colour and six accent colours that all keep a contrast ratio of at least 4.5:1 against
white (so white text on them, and them as text on white, are both readable). Calibri, whose
free metric twin Carlito lets the writer measure text exactly on any machine.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from etikkverksted.writers.ooxml import normalize_package  # noqa: E402

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"a": A, "p": P, "r": R}

WIDTH, HEIGHT = 12192000, 6858000  # 13.333 x 7.5 in, 16:9
OLD_WIDTH = 9144000
MARGIN = 609600  # 0.667 in

COLOURS = {
    "dk1": "1F2933",  # body text: slate, 14:1 on white
    "lt1": "FFFFFF",
    "dk2": "17375E",  # titles: navy, 11:1 on white
    "lt2": "EEF2F6",  # quiet fills; dk1 on lt2 is 13:1
    "accent1": "1F5A8A",
    "accent2": "2D6A4F",
    "accent3": "8A4B08",
    "accent4": "5B3A8C",
    "accent5": "0E6670",
    "accent6": "A23B2A",
    "hlink": "1F5A8A",
    "folHlink": "5B3A8C",
}
FONT = "Calibri"

# (x, y, cx, cy) for the master's placeholders on the 16:9 slide.
TITLE_BOX = (MARGIN, 320040, WIDTH - 2 * MARGIN, 1005840)
BODY_BOX = (MARGIN, 1463040, WIDTH - 2 * MARGIN, 4663440)
FOOTER_Y, FOOTER_H = 6356350, 365125


def q(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{NS[prefix]}}}{local}"


def _set_xfrm(sp: etree._Element, box: tuple[int, int, int, int]) -> None:
    xfrm = sp.find("p:spPr/a:xfrm", NS)
    if xfrm is None:
        sppr = sp.find("p:spPr", NS)
        xfrm = etree.SubElement(sppr, q("a:xfrm"))
        sppr.insert(0, xfrm)
    for child in list(xfrm):
        xfrm.remove(child)
    etree.SubElement(xfrm, q("a:off"), x=str(box[0]), y=str(box[1]))
    etree.SubElement(xfrm, q("a:ext"), cx=str(box[2]), cy=str(box[3]))


def _scale_x(root: etree._Element) -> None:
    """Stretch every shape of the 4:3 original to the 16:9 width."""
    factor = WIDTH / OLD_WIDTH
    for off in root.iter(q("a:off")):
        off.set("x", str(round(int(off.get("x")) * factor)))
    for ext in root.iter(q("a:ext")):
        if ext.get("cx") is not None:
            ext.set("cx", str(round(int(ext.get("cx")) * factor)))


def _theme(theme: etree._Element) -> None:
    theme.set("name", "Etikkverksted")
    scheme = theme.find(".//a:clrScheme", NS)
    scheme.set("name", "Etikkverksted")
    for key, value in COLOURS.items():
        slot = scheme.find(f"a:{key}", NS)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, q("a:srgbClr"), val=value)
    fonts = theme.find(".//a:fontScheme", NS)
    fonts.set("name", "Etikkverksted")
    for which in ("a:majorFont", "a:minorFont"):
        fonts.find(f"{which}/a:latin", NS).set("typeface", FONT)


def _no_autofit(root: etree._Element) -> None:
    """Switch shrink-on-overflow off: PowerPoint ignores it until someone edits the text,
    while LibreOffice applies it when rendering, so the two would show different decks."""
    for body_pr in root.iter(q("a:bodyPr")):
        for old in body_pr.findall("a:normAutofit", NS) + body_pr.findall("a:spAutoFit", NS):
            body_pr.remove(old)
        if body_pr.find("a:noAutofit", NS) is None:
            etree.SubElement(body_pr, q("a:noAutofit"))


def _text_styles(master: etree._Element) -> None:
    title = master.find("p:txStyles/p:titleStyle/a:lvl1pPr", NS)
    title.set("algn", "l")
    rpr = title.find("a:defRPr", NS)
    rpr.set("sz", "3600")
    rpr.find("a:solidFill/a:schemeClr", NS).set("val", "tx2")
    body = master.find("p:txStyles/p:bodyStyle", NS)
    sizes = {1: 2800, 2: 2400, 3: 2000, 4: 2000, 5: 2000}
    margins = {1: 342900, 2: 800100, 3: 1200150, 4: 1600200, 5: 2000250}
    for level in range(1, 10):
        ppr = body.find(f"a:lvl{level}pPr", NS)
        if ppr is None:
            continue
        if level in margins:
            ppr.set("marL", str(margins[level]))
            ppr.set("indent", "-342900")
        for old in ppr.findall("a:lnSpc", NS):
            ppr.remove(old)
        spc = ppr.find("a:spcBef", NS)
        for child in list(spc):
            spc.remove(child)
        etree.SubElement(spc, q("a:spcPct"), val="30000")
        ln = etree.Element(q("a:lnSpc"))
        etree.SubElement(ln, q("a:spcPct"), val="100000")
        ppr.insert(0, ln)
        ppr.find("a:defRPr", NS).set("sz", str(sizes.get(level, 2000)))


def _master_shapes(master: etree._Element) -> None:
    tree = master.find("p:cSld/p:spTree", NS)
    for sp in tree.findall("p:sp", NS):
        ph = sp.find(".//p:ph", NS)
        kind = ph.get("type") if ph is not None else None
        if kind == "title":
            _set_xfrm(sp, TITLE_BOX)
        elif kind == "body":
            _set_xfrm(sp, BODY_BOX)
        elif kind == "dt":
            _set_xfrm(sp, (MARGIN, FOOTER_Y, 2743200, FOOTER_H))
        elif kind == "ftr":
            _set_xfrm(sp, (4038600, FOOTER_Y, 4114800, FOOTER_H))
        elif kind == "sldNum":
            _set_xfrm(sp, (WIDTH - MARGIN - 2743200, FOOTER_Y, 2743200, FOOTER_H))
        # Footer texts in the template are grey by tint; make them plain body colour so they
        # keep full contrast.
        for tint in sp.iter(q("a:tint")):
            tint.getparent().remove(tint)
    # A thin accent bar across the top: the one decoration, kept in the master so that it is
    # never part of a slide's content or reading order.
    bar = etree.SubElement(tree, q("p:sp"))
    nv = etree.SubElement(bar, q("p:nvSpPr"))
    etree.SubElement(nv, q("p:cNvPr"), id="20", name="Accent bar")
    etree.SubElement(nv, q("p:cNvSpPr"))
    etree.SubElement(nv, q("p:nvPr"))
    sppr = etree.SubElement(bar, q("p:spPr"))
    xfrm = etree.SubElement(sppr, q("a:xfrm"))
    etree.SubElement(xfrm, q("a:off"), x="0", y="0")
    etree.SubElement(xfrm, q("a:ext"), cx=str(WIDTH), cy="109728")
    geom = etree.SubElement(sppr, q("a:prstGeom"), prst="rect")
    etree.SubElement(geom, q("a:avLst"))
    fill = etree.SubElement(sppr, q("a:solidFill"))
    etree.SubElement(fill, q("a:schemeClr"), val="accent1")
    ln = etree.SubElement(sppr, q("a:ln"))
    etree.SubElement(ln, q("a:noFill"))
    # Decoration first in the tree: it sits behind everything and is read by nobody.
    tree.remove(bar)
    tree.insert(2, bar)


def _title_layout(layout: etree._Element) -> None:
    """The title slide: title and subtitle left-aligned on the lower-middle of the slide."""
    for sp in layout.find("p:cSld/p:spTree", NS).findall("p:sp", NS):
        ph = sp.find(".//p:ph", NS)
        if ph is None:
            continue
        if ph.get("type") == "ctrTitle":
            _set_xfrm(sp, (MARGIN, 1828800, WIDTH - 2 * MARGIN, 1554480))
            _align_left(sp, anchor="b")
        elif ph.get("type") == "subTitle":
            _set_xfrm(sp, (MARGIN, 3566160, WIDTH - 2 * MARGIN, 2286000))
            _align_left(sp)


def _align_left(sp: etree._Element, anchor: str | None = None) -> None:
    body = sp.find("p:txBody", NS)
    bodypr = body.find("a:bodyPr", NS)
    if anchor:
        bodypr.set("anchor", anchor)
    for ppr in body.iter(q("a:lvl1pPr")):
        ppr.set("algn", "l")
        ppr.set("marL", "0")
        ppr.set("indent", "0")
    for tint in sp.iter(q("a:tint")):
        tint.getparent().remove(tint)


def build() -> bytes:
    """Return the default template's bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    pres = prs.part._element
    pres.find("p:sldSz", NS).attrib.pop("type", None)

    # The Mac printer settings part carries nothing a template needs.
    for rid, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.drop_rel(rid)

    master = prs.slide_master
    _scale_x(master._element)
    _master_shapes(master._element)
    _text_styles(master._element)
    _no_autofit(master._element)
    for layout in master.slide_layouts:
        _scale_x(layout._element)
        _no_autofit(layout._element)
        if layout.name == "Title Slide":
            _title_layout(layout._element)
    theme_part = master.part.part_related_by(RT.THEME)
    theme = etree.fromstring(theme_part.blob)
    _theme(theme)
    theme_part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)

    # A notes master, registered in presentation.xml as PowerPoint expects.
    notes_part = prs.part.notes_master_part
    rid = next(r for r, rel in prs.part.rels.items() if rel.target_part is notes_part)
    lst = etree.Element(q("p:notesMasterIdLst"))
    etree.SubElement(lst, q("p:notesMasterId")).set(f"{{{R}}}id", rid)
    pres.find("p:sldMasterIdLst", NS).addnext(lst)
    notes_theme = notes_part.part_related_by(RT.THEME)
    nt = etree.fromstring(notes_theme.blob)
    _theme(nt)
    notes_theme._blob = etree.tostring(nt, xml_declaration=True, encoding="UTF-8",
                                       standalone=True)

    stamp = dt.datetime(2025, 1, 1, 12, 0)
    cp = prs.core_properties
    cp.title = "etikkverksted"
    cp.author = "etikkverksted"
    cp.last_modified_by = "etikkverksted"
    cp.subject = ""
    cp.keywords = ""
    cp.comments = ""
    cp.created = cp.modified = cp.last_printed = stamp
    cp.revision = 1
    out = io.BytesIO()
    prs.save(out)
    return normalize_package(out.getvalue(), stamp)


def main() -> None:
    target = HERE / "default.pptx"
    target.write_bytes(build())
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
