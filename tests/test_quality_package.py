"""Structural checks: each kind of package damage is found, named and placed."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches

from etikkverksted.quality import Finding, check_files
from etikkverksted.writers.pptx.template import register_notes_master


def _good_deck() -> bytes:
    prs = Presentation()
    for title in ("En", "To"):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = title
        slide.notes_slide.notes_text_frame.text = "Notat"
        slide.shapes.add_textbox(Inches(1), Inches(2), Inches(4), Inches(1)).text = "Tekst"
    register_notes_master(prs)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


GOOD = _good_deck()


def _mutated(tmp_path: Path, change: Callable[[dict[str, bytes]], None],
             name: str = "deck.pptx") -> Path:
    src = zipfile.ZipFile(io.BytesIO(GOOD))
    parts = {n: src.read(n) for n in src.namelist()}
    change(parts)
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    return path


def _structural(path: Path) -> list[tuple[str, str]]:
    keep = {"part-xml", "part-content-type", "rel-target-missing", "rid-unresolved",
            "shape-id-duplicate", "slide-id", "slide-id-duplicate", "slide-rel", "notes-master",
            "file-unreadable", "file-type", "package-content-types", "drawing-id-duplicate"}
    return [(f.code, f.location) for f in check_files([path]) if f.code in keep]


def _sub(parts: dict[str, bytes], name: str, pattern: bytes, repl: bytes, count: int = 1) -> None:
    new, n = re.subn(pattern, repl, parts[name], count=count)
    assert n, f"{pattern!r} not in {name}"
    parts[name] = new


def test_good_package_is_clean(tmp_path: Path) -> None:
    assert _structural(_mutated(tmp_path, lambda p: None)) == []


def test_doctype_and_malformed_parts(tmp_path: Path) -> None:
    def change(parts: dict[str, bytes]) -> None:
        parts["ppt/slides/slide1.xml"] = parts["ppt/slides/slide1.xml"].replace(
            b"?>", b'?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
        parts["ppt/slides/slide2.xml"] = parts["ppt/slides/slide2.xml"][:-20]

    found = _structural(_mutated(tmp_path, change))
    assert ("part-xml", "slide 1") in found
    assert ("part-xml", "slide 2") in found
    messages = [f.message for f in check_files([_mutated(tmp_path, change)])
                if f.code == "part-xml"]
    assert any("DOCTYPE" in m for m in messages)
    assert any("well-formed" in m for m in messages)


def test_missing_content_type_and_missing_target(tmp_path: Path) -> None:
    def change(parts: dict[str, bytes]) -> None:
        parts["ppt/media/extra.qqq"] = b"data"
        del parts["ppt/slideLayouts/slideLayout6.xml"]

    found = _structural(_mutated(tmp_path, change))
    assert ("part-content-type", "part ppt/media/extra.qqq") in found
    assert ("rel-target-missing", "slide 1") in found


def test_unresolved_rid_and_slide_ids(tmp_path: Path) -> None:
    def change(parts: dict[str, bytes]) -> None:
        _sub(parts, "ppt/presentation.xml", rb'<p:sldId id="256"', b'<p:sldId id="12"')
        _sub(parts, "ppt/presentation.xml", rb'id="257" r:id="(rId\d+)"',
             b'id="257" r:id="rId999"')

    found = _structural(_mutated(tmp_path, change))
    assert ("slide-id", "part ppt/presentation.xml") in found
    assert ("rid-unresolved", "part ppt/presentation.xml") in found
    assert ("slide-rel", "part ppt/presentation.xml") in found


def test_duplicate_shape_ids(tmp_path: Path) -> None:
    def change(parts: dict[str, bytes]) -> None:
        _sub(parts, "ppt/slides/slide2.xml", rb'<p:cNvPr id="3"', b'<p:cNvPr id="2"')

    assert ("shape-id-duplicate", "slide 2") in _structural(_mutated(tmp_path, change))


def test_notes_master_must_be_registered(tmp_path: Path) -> None:
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Notater"
    slide.notes_slide.notes_text_frame.text = "x"
    path = tmp_path / "plain.pptx"
    prs.save(path)  # python-pptx 1.0.2 does not register the notes master it adds
    assert ("notes-master", "part ppt/presentation.xml") in _structural(path)


def test_duplicate_drawing_ids_in_word(tmp_path: Path) -> None:
    from docx import Document
    from PIL import Image

    image = tmp_path / "b.png"
    Image.new("RGB", (4, 4)).save(image)
    doc = Document()
    doc.add_picture(str(image))
    doc.add_picture(str(image))
    for inline in doc.inline_shapes:
        inline._inline.docPr.set("id", "7")
    path = tmp_path / "d.docx"
    doc.save(path)
    assert ("drawing-id-duplicate", "part word/document.xml") in _structural(path)


@pytest.mark.parametrize("content, name, code", [
    (b"", "empty.pptx", "file-unreadable"),
    (b"not a zip at all", "text.pptx", "file-unreadable"),
    (GOOD[: len(GOOD) // 2], "truncated.pptx", "file-unreadable"),
    (GOOD, "deck.pdf.txt", "file-type"),
])
def test_unreadable_files_are_one_finding(tmp_path: Path, content: bytes, name: str,
                                          code: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    findings = check_files([path])
    assert [(f.code, f.severity) for f in findings] == [(code, "error")]


def test_missing_file_and_folder(tmp_path: Path) -> None:
    findings: list[Finding] = check_files([tmp_path / "nope.pptx", tmp_path])
    assert [f.code for f in findings] == ["file-unreadable", "file-type"]
    folder = tmp_path / "dir.docx"
    folder.mkdir()
    assert "folder" in check_files([folder])[0].message


def test_word_file_named_pptx(tmp_path: Path) -> None:
    from docx import Document

    path = tmp_path / "really-word.pptx"
    Document().save(path)
    codes = [f.code for f in check_files([path])]
    assert codes == ["file-type"]
