"""Shared pieces of the web tests: a valid spec, agency and hostile templates."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from etikkverksted.resources import layouts_dir

SPEC = {"agency": "Direktoratet for prøving", "date": "2026-12-03", "audience": "leaders",
        "maturity": 2, "duration_minutes": 90}

DECK = layouts_dir() / "default.pptx"
WORD = layouts_dir() / "default.docx"
AGENCY_LAYOUT = "Etatens innholdsside"


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def zipped(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return out.getvalue()


def agency_pptx() -> bytes:
    """The packaged template with its 'Title and Content' layout renamed, as .potx."""
    from pptx import Presentation

    prs = Presentation(str(DECK))
    for layout in prs.slide_layouts:
        if layout.name == "Title and Content":
            layout.name = AGENCY_LAYOUT
    buf = io.BytesIO()
    prs.save(buf)
    parts = members_of(buf.getvalue())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"presentationml.presentation.main+xml", b"presentationml.template.main+xml")
    return zipped(parts)


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def hostile_templates() -> dict[str, tuple[str, bytes]]:
    """name -> (file name, bytes): each must be refused with its own reason."""
    deck = members(DECK)
    rels = "ppt/slideLayouts/_rels/slideLayout2.xml.rels"
    external = dict(deck)
    external[rels] = deck[rels].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="http://203.0.113.9/track.png" TargetMode="External"/>'
        b"</Relationships>")
    macro = dict(deck)
    macro["ppt/vbaProject.bin"] = b"\xd0\xcf\x11\xe0" + b"\0" * 512
    xxe = dict(deck)
    xxe["ppt/presentation.xml"] = (b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM '
                                   b'"file:///etc/passwd">]>' + deck["ppt/presentation.xml"]
                                   .split(b"?>", 1)[1])
    bomb = dict(deck)
    bomb["ppt/media/huge.xml"] = b"<a>" + b"\0" * (60 * 1024 * 1024) + b"</a>"
    return {
        "not_zip": ("mal.pptx", b"%PDF-1.7 this is not a presentation\n" * 50),
        "bomb": ("mal.pptx", zipped(bomb)),
        "doctype": ("mal.pptx", zipped(xxe)),
        "macro": ("mal.pptx", zipped(macro)),
        "external": ("mal.pptx", zipped(external)),
        "wrong_kind": ("mal.pptx", WORD.read_bytes()),
    }
