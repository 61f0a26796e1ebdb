"""The Word checks find headings out of order, missing languages and alt text, low contrast."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Inches, RGBColor
from lxml import etree
from PIL import Image

from etikkverksted.quality import Finding, check_files, format_findings


def _codes(findings: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in findings:
        out.setdefault(f.code, []).append(f)
    return out


def _set_default_lang(doc, lang: str) -> None:  # type: ignore[no-untyped-def]
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    el = rpr.find(qn("w:lang"))
    if el is None:
        el = etree.SubElement(rpr, qn("w:lang"))
    el.set(qn("w:val"), lang)


def _doc(tmp_path: Path, build: Callable[[object], None], lang: str | None = "nb-NO") -> Path:
    doc = Document()
    doc.core_properties.title = "Testdokument"
    doc.core_properties.author = "Test"
    if lang:
        doc.core_properties.language = lang
        _set_default_lang(doc, lang)
    else:
        rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(
            qn("w:rPr"))
        for el in rpr.findall(qn("w:lang")):
            rpr.remove(el)
    build(doc)
    path = tmp_path / "doc.docx"
    doc.save(path)
    return path


def test_clean_document(tmp_path: Path) -> None:
    def build(doc) -> None:  # type: ignore[no-untyped-def]
        doc.add_heading("Tittel", 1)
        doc.add_paragraph("Tekst")

    findings = check_files([_doc(tmp_path, build)])
    assert findings == [], format_findings(findings)


def test_heading_order(tmp_path: Path) -> None:
    def build(doc) -> None:  # type: ignore[no-untyped-def]
        doc.add_heading("Starter på nivå to", 2)
        doc.add_paragraph("Tekst")
        doc.add_heading("Nivå 1", 1)
        doc.add_heading("Hopper til nivå 3", 3)
        doc.add_heading("", 2)

    codes = _codes(check_files([_doc(tmp_path, build)]))
    assert [(f.location, f.severity) for f in codes["heading-first-level"]] == [
        ("paragraph 1", "warning")]
    assert [(f.location, f.severity) for f in codes["heading-skip"]] == [
        ("paragraph 4", "error")]
    assert [f.location for f in codes["heading-empty"]] == ["paragraph 5"]


def test_language_missing_and_wrong(tmp_path: Path) -> None:
    def build(doc) -> None:  # type: ignore[no-untyped-def]
        doc.add_paragraph("Norsk")
        run = doc.add_paragraph().add_run("English")
        lang = etree.SubElement(run._r.get_or_add_rPr(), qn("w:lang"))
        lang.set(qn("w:val"), "en-GB")

    codes = _codes(check_files([_doc(tmp_path, build)]))
    assert [f.location for f in codes["language-wrong"]] == ["paragraph 2"]
    missing = _codes(check_files([_doc(tmp_path, lambda d: d.add_paragraph("x"), lang=None)]))
    assert missing["document-language-missing"][0].severity == "error"
    assert missing["language-missing"][0].location == "paragraph 1"


def test_picture_without_alt_text(tmp_path: Path) -> None:
    image = tmp_path / "bilde.png"
    Image.new("RGB", (20, 20), "navy").save(image)

    def build(doc) -> None:  # type: ignore[no-untyped-def]
        doc.add_paragraph("Først")
        doc.add_picture(str(image), width=Inches(1))
        doc.add_picture(str(image), width=Inches(1))
        doc.inline_shapes[1]._inline.docPr.set("descr", "Et blått kvadrat")

    codes = _codes(check_files([_doc(tmp_path, build)]))
    assert [f.location for f in codes["alt-text-missing"]] == ["paragraph 2"]


def test_low_contrast_colour(tmp_path: Path) -> None:
    def build(doc) -> None:  # type: ignore[no-untyped-def]
        doc.add_paragraph().add_run("Lys").font.color.rgb = RGBColor(0xCC, 0xCC, 0xCC)
        doc.add_paragraph().add_run("Mørk").font.color.rgb = RGBColor(0x1F, 0x38, 0x64)
        # python-docx's own Heading 2 is theme accent1 (#4F81BD): 4.03:1 on white.
        doc.add_heading("Under", 2)

    codes = _codes(check_files([_doc(tmp_path, build)]))
    assert [f.location for f in codes["contrast-low"]] == ["paragraph 1", "paragraph 3"]
    assert "4.03:1 (#4F81BD on #FFFFFF)" in codes["contrast-low"][1].message


def test_properties_missing(tmp_path: Path) -> None:
    def build(doc) -> None:  # type: ignore[no-untyped-def]
        doc.core_properties.title = ""
        doc.core_properties.author = ""
        doc.add_paragraph("x")

    codes = _codes(check_files([_doc(tmp_path, build)]))
    assert codes["core-title-missing"][0].severity == "error"
    assert codes["core-author-missing"][0].severity == "warning"


def test_our_handouts_are_clean(make_plan: Callable[..., object], tmp_path: Path) -> None:
    from etikkverksted.writers.docx import KINDS, render_docx

    for language in ("nb", "nn"):
        plan = make_plan(audience="employees", maturity=1, language=language)
        paths = [render_docx(plan, kind, tmp_path / f"{kind}-{language}.docx")
                 for kind in KINDS]
        findings = check_files(paths)
        assert findings == [], format_findings(findings)
