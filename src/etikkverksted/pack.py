"""One workshop pack: the deck and the four handouts for one meeting, written safely.

``build_pack`` is what the ``build`` command, the batch runner and a future web front end
call. It plans once and hands the same plan to every writer, so the deck and the handouts
always show the same workshop.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .content.library import Library
from .content.models import INVISIBLE, WorkshopSpec
from .errors import OutputError, Problem
from .output import ensure_dir, write_bytes_atomic
from .planning import WorkshopPlan, plan_workshop

if TYPE_CHECKING:
    from .quality import Finding

DOCUMENTS: tuple[tuple[str, str], ...] = (
    ("deck", "pptx"),
    ("participant", "docx"),
    ("facilitator", "docx"),
    ("minutes", "docx"),
    ("cards", "docx"),
)
"""Every file of a pack: (kind, extension). Labels ``pack_file_<kind>`` name them."""

PARTIES_DOCUMENTS: tuple[tuple[str, str], ...] = (("agenda", "docx"),)
"""Added to a pack whose plan has a parties' agenda template."""


def documents(plan: WorkshopPlan) -> tuple[tuple[str, str], ...]:
    """The files of *plan*'s pack: every pack's, plus the parties' agenda template."""
    return DOCUMENTS + (PARTIES_DOCUMENTS if plan.parties_agenda is not None else ())

_UNSAFE = re.compile(r"[^\w\-]+", re.UNICODE)


def safe_name(text: str, limit: int = 60) -> str:
    """A file-name part from free text: letters (æ, ø, å kept), digits and hyphens only,
    at most *limit* bytes in UTF-8.

    Slashes, dots, control characters, bidi and zero-width characters and everything else
    that could escape the output folder or trouble a file system become hyphens. File
    systems count a name's bytes, not its characters (255 at most): a name in 4-byte letters
    is cut by bytes, at a character boundary.
    """
    text = unicodedata.normalize("NFC", INVISIBLE.sub("", text)).strip().lower()
    text = _UNSAFE.sub("-", text).replace("_", "-")
    text = re.sub(r"-{2,}", "-", text).strip("-")
    text = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    return text.rstrip("-") or "verksted"


def pack_stem(spec: WorkshopSpec, library: Library) -> str:
    """``2026-12-03-direktoratet-for-eksempelforvaltning-ledergruppe-trinn2-nb``: the
    audience in the spec's own written standard, so HR staff recognise their files."""
    audience = library.audiences[spec.audience].name.get(spec.language)
    return (f"{spec.date:%Y-%m-%d}-{safe_name(spec.agency)}-{safe_name(audience)}"
            f"-trinn{spec.maturity}-{spec.language}")


def file_names(plan: WorkshopPlan, stem: str) -> dict[str, str]:
    """The file name of every document of the pack, by kind."""
    return {kind: f"{stem}-{safe_name(plan.label('pack_file_' + kind))}.{ext}"
            for kind, ext in documents(plan)}


@dataclass
class PackResult:
    """What ``build_pack`` wrote."""

    folder: Path
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    plan: WorkshopPlan | None = None
    findings: list[Finding] = field(default_factory=list)
    """What the quality check found in the written files (empty when not checked)."""


def _render(plan: WorkshopPlan, jobs: list[tuple[str, Path, Path | None]],
            check: bool) -> list[Finding]:
    """Render each (kind, path, template) and check it; return the findings.

    Each writer is imported only when a job needs it: the process that makes the handouts
    does not pay for importing python-pptx, nor the deck's process for python-docx.
    """
    findings: list[Finding] = []
    for kind, path, template in jobs:
        if kind == "deck":
            from .writers.pptx import render_pptx

            render_pptx(plan, path, template=template)
        else:
            from .writers.docx import render_docx

            render_docx(plan, kind, path, template=template)
        if check:
            from .quality import check_file

            findings += check_file(path)
    return findings


def _render_all(plan: WorkshopPlan, jobs: list[tuple[str, Path, Path | None]], check: bool,
                processes: int) -> list[Finding]:
    """Render the deck and the handouts, the deck in a forked child when *processes* > 1.

    The deck costs about as much as the four handouts together, so a child takes the deck
    while this process makes the handouts; a single meeting's pack is ready in about half the
    time on a machine with two cores. Where fork is not available, it renders in turn.
    """
    if processes < 2:
        return _render(plan, jobs, check)
    from .parallel import beside

    deck = [j for j in jobs if j[0] == "deck"]
    rest = [j for j in jobs if j[0] != "deck"]
    with beside(_render, plan, deck, check) as deck_findings:
        findings = _render(plan, rest, check)
        return deck_findings.result() + findings


def build_pack(
    spec: WorkshopSpec,
    library: Library,
    out_dir: Path | str,
    *,
    force: bool = False,
    pdf: bool = False,
    stem: str | None = None,
    check: bool = True,
    processes: int = 1,
) -> PackResult:
    """Plan the workshop for *spec* and write its deck and handouts into *out_dir*.

    The pack appears all at once or not at all. Existing files are not replaced unless
    *force*. With *pdf*, LibreOffice adds a PDF of each file. With *check*, every file is
    run through the quality check (see :attr:`PackResult.findings`). *processes* > 1 renders
    deck and handouts side by side.
    """
    out = Path(out_dir)
    plan = plan_workshop(spec, library)
    names = file_names(plan, stem or pack_stem(spec, library))
    targets = {kind: out / name for kind, name in names.items()}
    wanted = list(targets.values())
    if pdf:
        wanted += [p.with_suffix(".pdf") for p in targets.values()]
    existing = [p for p in wanted if p.exists()]
    if existing and not force:
        raise OutputError(Problem(
            f"the pack exists already ({len(existing)} files, e.g. {existing[0].name})",
            "use --force to overwrite it, or choose another output folder", out))
    ensure_dir(out)
    soffice = find_soffice() if pdf else None
    if pdf and soffice is None:
        raise OutputError(Problem("--pdf needs LibreOffice, which is not installed",
                                  INSTALL_LIBREOFFICE))
    result = PackResult(folder=out, plan=plan)
    # All files are rendered into a staging folder beside the target and moved into place
    # only when every one of them succeeded: an error or Ctrl-C leaves no half pack.
    staging = Path(tempfile.mkdtemp(prefix=".etikkverksted-", dir=out))
    try:
        staged = {kind: staging / path.name for kind, path in targets.items()}
        jobs = [(kind, staged[kind], spec.template if kind == "deck" else spec.docx_template)
                for kind in targets]
        findings = _render_all(plan, jobs, check, processes)
        final = {staged[kind]: targets[kind] for kind in targets}
        result.findings = [replace(f, file=final.get(Path(f.file), Path(f.file)))
                           for f in findings]
        pdfs = convert_to_pdf(list(staged.values()), staging, soffice) if soffice else []
        for kind, path in targets.items():
            os.replace(staged[kind], path)
            result.files.append(path)
        for pdf_path in pdfs:
            os.replace(pdf_path, out / pdf_path.name)
            result.files.append(out / pdf_path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


INSTALL_LIBREOFFICE = (
    "install LibreOffice: on Debian/Ubuntu `sudo apt-get install libreoffice-impress "
    "libreoffice-writer`, on macOS `brew install --cask libreoffice`, on Windows from "
    "libreoffice.org; then run the command again"
)


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(files: list[Path], out: Path, soffice: str, timeout: int = 300) -> list[Path]:
    """Convert *files* to PDF next to them with LibreOffice headless; return the PDFs."""
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="etikkverksted-pdf-") as tmp:
        profile = Path(tmp) / "profile"
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
               "--convert-to", "pdf", "--outdir", tmp, *map(str, files)]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(Problem(f"LibreOffice did not finish the PDF export within "
                                      f"{timeout} s", "try again, or build without --pdf")) \
                from None
        for f in files:
            produced = Path(tmp) / (f.stem + ".pdf")
            if not produced.exists():
                detail = proc.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""]
                raise OutputError(Problem(f"LibreOffice could not convert {f.name} to PDF "
                                          f"{detail[0]}".strip(),
                                          "open the file in LibreOffice to see why", f))
            target = out / produced.name
            write_bytes_atomic(target, produced.read_bytes())
            written.append(target)
    return written
