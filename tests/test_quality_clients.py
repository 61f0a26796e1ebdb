"""Real clients: every standard pack opens in LibreOffice with all text on the page, passes the
quality gate, and passes both offline OOXML validators with zero errors.

The 24 standard packs (120 files) are built once per session. LibreOffice converts them in
as few calls as possible (it is slow on two cores); ``pdftotext -bbox`` then gives the box of
every word on every page. The validators: ``openxml-audit`` (PyPI, a Python port of the Open
XML SDK's checks) checks every generated file; ``@ooxml-tools/validate`` (npm, the Open XML SDK
itself compiled to WebAssembly, about 2.5 s a file on two cores) checks one file of each kind
(the deck and each handout of the pack with the most kinds, and a deck on a template that is
not ours). It is installed in
``tools/ooxml-validate`` by ``scripts/install-system-deps`` (``make test`` runs it), never by a
test.

Console scripts of the venv are found beside ``sys.executable``, never on ``PATH``: ``make test``
runs ``.venv/bin/python -m pytest`` without activating the venv.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import tempfile
from html import unescape
from pathlib import Path

import pytest

from etikkverksted.build.batch import run_batch, standard_jobs
from etikkverksted.content import Library
from etikkverksted.quality import check_files, format_findings

ROOT = Path(__file__).resolve().parents[1]
VALIDATE_DIR = ROOT / "tools" / "ooxml-validate"
VENV_BIN = Path(sys.executable).parent
PAGE_SLACK = 1.0
"""Points a word may reach past the page edge before it counts as outside (rounding)."""

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="session")
def standard_files(tmp_path_factory: pytest.TempPathFactory, library: Library) -> list[Path]:
    """The 120 files of the 24 standard packs, unzipped and unchecked (the tests check them).

    Not conftest's ``standard_packs``, which is the output folder of a zipped, checked batch.
    """
    out = tmp_path_factory.mktemp("standard")
    jobs = standard_jobs(dt.date(2026, 12, 3), 90, library)
    assert len(jobs) == 24
    results = run_batch(jobs, out, jobs_n=2, check=False, library=library)
    failed = [f"{r.job.name}: {r.error}" for r in results if r.error]
    assert failed == [], "\n".join(failed)
    files = sorted(p for p in out.rglob("*") if p.suffix in (".pptx", ".docx"))
    # Every pack: one deck and at least the four handouts (the parties' packs add more).
    assert len(files) == sum(len(r.files) for r in results)
    for result in results:
        suffixes = sorted(Path(f["path"]).suffix for f in result.files)
        assert suffixes.count(".pptx") == 1 and suffixes.count(".docx") >= 4, result.job.name
    return files


def test_every_standard_file_passes_the_quality_gate(standard_files: list[Path]) -> None:
    findings = check_files(standard_files)
    errors = [f for f in findings if f.severity == "error"]
    assert errors == [], format_findings(errors)


def test_structural_checks_see_every_generated_file_as_ours(standard_files: list[Path]
                                                            ) -> None:
    from etikkverksted.quality.ours import is_ours
    from etikkverksted.quality.package import Package

    assert all(is_ours(Package.read(p)) for p in standard_files)


# -- LibreOffice --------------------------------------------------------------------------

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" '
                   r'yMax="([-\d.]+)">(.*?)</word>')


def words_outside(pdf: Path) -> list[str]:
    """Every word whose box reaches past its page, as ``page N: 'word'``."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout
    outside: list[str] = []
    for number, page in enumerate(html.split("</page>")[:-1], start=1):
        size = _PAGE.search(page)
        assert size, f"{pdf.name}: page {number} has no size"
        width, height = float(size.group(1)), float(size.group(2))
        for x0, y0, x1, y1, word in _WORD.findall(page):
            if (float(x0) < -PAGE_SLACK or float(y0) < -PAGE_SLACK
                    or float(x1) > width + PAGE_SLACK or float(y1) > height + PAGE_SLACK):
                outside.append(f"page {number}: {unescape(word)!r}")
    return outside


@pytest.mark.render
@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils are installed by "
                           "scripts/install-system-deps")
def test_libreoffice_converts_every_file_with_all_text_on_the_page(
        standard_files: list[Path], tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice is not None
    pdf_dir = tmp_path / "pdf"
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        # Files of one pack share names with other packs' files only by folder; names are
        # unique across packs because each carries the audience, trinn and language.
        for chunk in (standard_files[i:i + 40] for i in range(0, len(standard_files), 40)):
            proc = subprocess.run(
                [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, chunk)],
                capture_output=True, text=True, timeout=1200, check=False)
            assert proc.returncode == 0, proc.stderr[-2000:]
    problems: list[str] = []
    for source in standard_files:
        pdf = pdf_dir / f"{source.stem}.pdf"
        if not pdf.exists() or pdf.stat().st_size == 0:
            problems.append(f"{source.name}: LibreOffice wrote no PDF")
            continue
        problems += [f"{source.name}: {w}" for w in words_outside(pdf)]
    assert problems == [], "\n".join(problems[:50])


# -- validators ---------------------------------------------------------------------------

def venv_script(name: str) -> str:
    """A console script of the venv that runs the tests, found beside ``sys.executable``."""
    found = shutil.which(name, path=str(VENV_BIN))
    if found is None:
        pytest.fail(f"{name} is not in {VENV_BIN}: pip install '.[test]'")
    return found


def openxml_audit(*args: str) -> list[dict]:
    proc = subprocess.run([venv_script("openxml-audit"), "-o", "json", *args],
                          capture_output=True, text=True, timeout=1200, check=False)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="session")
def foreign_template_deck(tmp_path_factory: pytest.TempPathFactory, library: Library) -> Path:
    """A deck built on a template that is not ours: python-pptx's own 4:3 default."""
    import pptx

    from etikkverksted.content import WorkshopSpec
    from etikkverksted.planning import plan_workshop
    from etikkverksted.writers.pptx import render_pptx

    template = Path(pptx.__file__).parent / "templates" / "default.pptx"
    spec = WorkshopSpec(agency="Direktoratet for eksempelforvaltning", date=dt.date(2026, 12, 3),
                        audience="parties", maturity=3, language="nn", duration_minutes=120,
                        format="in_person", facilitator="Kari Nordmann")
    out = tmp_path_factory.mktemp("foreign") / "foreign-template-deck.pptx"
    return render_pptx(plan_workshop(spec, library), out, template=template)


@pytest.fixture(scope="session")
def one_of_each_kind(standard_files: list[Path], foreign_template_deck: Path) -> list[Path]:
    """Every file of the standard pack with the most kinds of file (the deck and every
    handout), and a deck on a foreign template."""
    folders = sorted({p.parent for p in standard_files})
    folder = max(folders, key=lambda f: sum(p.parent == f for p in standard_files))
    pack = [p for p in standard_files if p.parent == folder]
    assert sorted(p.suffix for p in pack)[-1:] == [".pptx"] and len(pack) >= 5
    return [*pack, foreign_template_deck]


def test_openxml_audit_finds_no_errors(standard_files: list[Path],
                                       foreign_template_deck: Path) -> None:
    folder = standard_files[0].parents[1]
    report = openxml_audit("-r", "-q", "-m", "0", str(folder))
    report += openxml_audit("-q", "-m", "0", str(foreign_template_deck))
    assert len(report) == len(standard_files) + 1
    bad = [f"{Path(r['file']).name}: {e}" for r in report if r["error_count"]
           for e in r["errors"][:5]]
    assert bad == [], "\n".join(map(str, bad[:30]))


def ooxml_validate(files: list[Path]) -> dict[str, list[dict]]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node 20 is needed for @ooxml-tools/validate: run scripts/install-system-deps")
    if not (VALIDATE_DIR / "node_modules" / "@ooxml-tools" / "validate").exists():
        pytest.fail("@ooxml-tools/validate is not installed in tools/ooxml-validate: run "
                    "scripts/install-system-deps (make test does)")
    proc = subprocess.run([node, str(VALIDATE_DIR / "validate-many.mjs"), *map(str, files)],
                          capture_output=True, text=True, timeout=1800, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_ooxml_tools_validate_finds_no_errors(one_of_each_kind: list[Path]) -> None:
    report = ooxml_validate(one_of_each_kind)
    assert len(report) == len(one_of_each_kind)
    bad = [f"{Path(path).name}: {e.get('id')}: {e.get('description')} "
           f"({e.get('path', {}).get('partUri')})"
           for path, errors in report.items() for e in errors]
    assert bad == [], "\n".join(bad[:30])


def test_validators_do_catch_a_broken_file(tmp_path: Path) -> None:
    """The validators are not silently passing everything: a known fault is reported."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "x"
    box = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(1), Inches(1))
    box._element.nvSpPr.cNvPr.set("id", "2")  # the title's id: duplicate shape ids
    box.text_frame.text = "y"
    # A font size that is not a number: a schema fault, which the SDK's validator reports
    # (it does not check shape ids).
    box.text_frame.paragraphs[0].runs[0]._r.get_or_add_rPr().set("sz", "big")
    path = tmp_path / "broken.pptx"
    prs.save(path)
    assert openxml_audit(str(path))[0]["error_count"] > 0
    ids = {e.get("id") for e in ooxml_validate([path])[str(path)]}
    assert "Sch_AttributeValueDataTypeDetailed" in ids, ids
    codes = {f.code for f in check_files([path])}
    assert "shape-id-duplicate" in codes
