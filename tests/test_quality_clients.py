"""Real clients: every standard pack opens in LibreOffice with all text on the page, passes the
quality gate, and passes both offline OOXML validators with zero errors.

The 24 standard packs (120 files) are built once per session. LibreOffice converts them in
as few calls as possible (it is slow on two cores); ``pdftotext -bbox`` then gives the box of
every word on every page. The validators: ``openxml-audit`` (PyPI, a Python port of the Open
XML SDK's checks) and ``@ooxml-tools/validate`` (npm, the Open XML SDK itself compiled to
WebAssembly) installed in ``tools/ooxml-validate`` by ``npm ci``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import tempfile
from html import unescape
from pathlib import Path

import pytest

from etikkverksted.batch import run_batch, standard_jobs
from etikkverksted.content import Library
from etikkverksted.quality import check_files, format_findings

ROOT = Path(__file__).resolve().parents[1]
VALIDATE_DIR = ROOT / "tools" / "ooxml-validate"
PAGE_SLACK = 1.0
"""Points a word may reach past the page edge before it counts as outside (rounding)."""

pytestmark = [pytest.mark.slow]


@pytest.fixture(scope="session")
def standard_packs(tmp_path_factory: pytest.TempPathFactory, library: Library) -> list[Path]:
    out = tmp_path_factory.mktemp("standard")
    jobs = standard_jobs(dt.date(2026, 12, 3), 90, library)
    assert len(jobs) == 24
    results = run_batch(jobs, out, jobs_n=2, check=False)
    failed = [f"{r.job.name}: {r.error}" for r in results if r.error]
    assert failed == [], "\n".join(failed)
    files = sorted(p for p in out.rglob("*") if p.suffix in (".pptx", ".docx"))
    assert len(files) == 24 * 5
    return files


def test_every_standard_file_passes_the_quality_gate(standard_packs: list[Path]) -> None:
    findings = check_files(standard_packs)
    errors = [f for f in findings if f.severity == "error"]
    assert errors == [], format_findings(errors)


def test_structural_checks_see_every_generated_file_as_ours(standard_packs: list[Path]
                                                            ) -> None:
    from etikkverksted.quality.ours import is_ours
    from etikkverksted.quality.package import Package

    assert all(is_ours(Package.read(p)) for p in standard_packs)


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
        standard_packs: list[Path], tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice is not None
    pdf_dir = tmp_path / "pdf"
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        # Files of one pack share names with other packs' files only by folder; names are
        # unique across packs because each carries the audience, trinn and language.
        for chunk in (standard_packs[i:i + 40] for i in range(0, len(standard_packs), 40)):
            proc = subprocess.run(
                [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(pdf_dir), *map(str, chunk)],
                capture_output=True, text=True, timeout=1200, check=False)
            assert proc.returncode == 0, proc.stderr[-2000:]
    problems: list[str] = []
    for source in standard_packs:
        pdf = pdf_dir / f"{source.stem}.pdf"
        if not pdf.exists() or pdf.stat().st_size == 0:
            problems.append(f"{source.name}: LibreOffice wrote no PDF")
            continue
        problems += [f"{source.name}: {w}" for w in words_outside(pdf)]
    assert problems == [], "\n".join(problems[:50])


# -- validators ---------------------------------------------------------------------------

def test_openxml_audit_finds_no_errors(standard_packs: list[Path]) -> None:
    audit = shutil.which("openxml-audit")
    if audit is None:
        pytest.fail("openxml-audit is not installed: pip install '.[test]'")
    folder = standard_packs[0].parents[1]
    proc = subprocess.run([audit, "-r", "-q", "-o", "json", "-m", "0", str(folder)],
                          capture_output=True, text=True, timeout=1200, check=False)
    report = json.loads(proc.stdout)
    assert len(report) == len(standard_packs)
    bad = [f"{Path(r['file']).name}: {e}" for r in report if r["error_count"]
           for e in r["errors"][:5]]
    assert bad == [], "\n".join(map(str, bad[:30]))


def _ooxml_validate() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node 20 is needed for @ooxml-tools/validate")
    if not (VALIDATE_DIR / "node_modules" / "@ooxml-tools" / "validate").exists():
        npm = shutil.which("npm")
        assert npm is not None, "npm is needed to install @ooxml-tools/validate"
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=VALIDATE_DIR, check=True,
                       timeout=600, capture_output=True)
    return [node, str(VALIDATE_DIR / "validate-many.mjs")]


def test_ooxml_tools_validate_finds_no_errors(standard_packs: list[Path]) -> None:
    cmd = _ooxml_validate()
    proc = subprocess.run([*cmd, *map(str, standard_packs)], capture_output=True, text=True,
                          timeout=1800, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert len(report) == len(standard_packs)
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
    path = tmp_path / "broken.pptx"
    prs.save(path)
    audit = subprocess.run(["openxml-audit", "-o", "json", str(path)], capture_output=True,
                           text=True, timeout=300, check=False)
    assert json.loads(audit.stdout)[0]["error_count"] > 0
    codes = {f.code for f in check_files([path])}
    assert "shape-id-duplicate" in codes
