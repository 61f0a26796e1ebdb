"""One workshop pack: the deck and the four handouts for one meeting, written safely.

``build_pack`` is what the ``build`` command, the batch runner and a future web front end
call. It plans once and hands the same plan to every writer, so the deck and the handouts
always show the same workshop.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.library import Library
from ..content.models import INVISIBLE, WorkshopSpec
from ..errors import OutputError, Problem
from ..output import (
    STAGING_PREFIX,
    ensure_dir,
    folder_lock,
    remove_stale_staging,
    write_bytes_atomic,
    write_text_atomic,
)
from ..planning import WorkshopPlan, plan_workshop

if TYPE_CHECKING:
    from ..quality import Finding
    from .parallel import Standby

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
    """The files of *plan*'s pack: every pack's, plus the parties' agenda template; a
    workshop without dilemmas (focus: own-case or scenario-2040) has no dilemma cards."""
    docs = [d for d in DOCUMENTS if plan.dilemmas or d[0] != "cards"]
    return tuple(docs) + (PARTIES_DOCUMENTS if plan.parties_agenda is not None else ())

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
    manifest: Path | None = None
    """``<stem>.manifest.json``: written last, it lists the files of the complete pack."""


def _render(plan: WorkshopPlan, jobs: list[tuple[str, Path, Path | None]],
            check: bool) -> list[Finding]:
    """Render each (kind, path, template) and check it; return the findings.

    Each writer is imported only when a job needs it: the process that makes the handouts
    does not pay for importing python-pptx, nor the deck's process for python-docx.
    """
    findings: list[Finding] = []
    for kind, path, template in jobs:
        if kind == "deck":
            from ..writers.pptx import render_pptx

            render_pptx(plan, path, template=template)
        else:
            from ..writers.docx import render_docx

            render_docx(plan, kind, path, template=template)
        if check:
            from ..quality import check_file

            findings += check_file(path)
    return findings


def _render_all(plan: WorkshopPlan, jobs: list[tuple[str, Path, Path | None]], check: bool,
                processes: int, standby: Standby | None = None) -> list[Finding]:
    """Render the deck and the handouts, the deck in a forked child when *processes* > 1.

    The deck costs about as much as the four handouts together, so a child takes the deck
    while this process makes the handouts; a single meeting's pack is ready in about half the
    time on a machine with two cores. With a *standby* (see :func:`deck_standby`) the child
    was forked earlier and has imported the deck writer meanwhile. Where fork is not
    available, it renders in turn.
    """
    if processes < 2:
        return _render(plan, jobs, check)
    from .parallel import beside

    deck = [j for j in jobs if j[0] == "deck"]
    rest = [j for j in jobs if j[0] != "deck"]
    job = standby.run(_render, plan, deck, check) if standby is not None else \
        beside(_render, plan, deck, check)
    with job as deck_findings:
        findings = _render(plan, rest, check)
        return deck_findings.result() + findings


def deck_standby(processes: int) -> contextlib.AbstractContextManager[Standby | None]:
    """A child for the deck, forked now to import the deck writer while this process reads
    the spec and the library and plans; pass it to :func:`build_pack` as *standby*. Without
    a second core it is None (and the deck is rendered in turn)."""
    if processes < 2:
        return contextlib.nullcontext()
    from .parallel import Standby

    return Standby(_prepare_deck)


def _prepare_deck() -> None:
    """What the deck's child needs before the plan comes: the writer and the check."""
    from ..quality import pptx_checks  # noqa: F401
    from ..writers import pptx  # noqa: F401


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
    standby: Standby | None = None,
) -> PackResult:
    """Plan the workshop for *spec* and write its deck and handouts into *out_dir*.

    The pack is rendered into a staging folder, moved into place, and then
    ``<stem>.manifest.json`` is written last: a pack whose manifest is there is complete (and
    the manifest lists each file's size and SHA-256); files without one are what a killed
    build left, and the next build replaces them without ``--force``. A complete pack is not
    replaced unless *force*. The output folder is locked while the pack is written, so two
    builds into one folder cannot both succeed. With *pdf*, LibreOffice adds a PDF of each
    file. With *check*, every file is run through the quality check (see
    :attr:`PackResult.findings`). *processes* > 1 renders deck and handouts side by side,
    the deck in *standby* (from :func:`deck_standby`) when given.
    """
    out = Path(out_dir)
    plan = plan_workshop(spec, library)
    stem = stem or pack_stem(spec, library)
    names = file_names(plan, stem)
    targets = {kind: out / name for kind, name in names.items()}
    manifest = out / f"{stem}{MANIFEST_SUFFIX}"
    soffice = find_soffice() if pdf else None
    if pdf and soffice is None:
        raise OutputError(Problem("--pdf needs LibreOffice, which is not installed",
                                  INSTALL_LIBREOFFICE))
    result = PackResult(folder=out, plan=plan)
    # Templates are checked and cleaned before anything is written; what the cleaning drops
    # (external links, macros, hidden content) is reported with the pack. The writers read
    # the same cleaned bytes (read_template caches them per file version).
    from ..ooxml.templates import read_template

    for template, kind in ((spec.template, "pptx"), (spec.docx_template, "docx")):
        if template is not None:
            result.warnings += read_template(template, kind).warnings  # type: ignore[arg-type]
    ensure_dir(out)
    with folder_lock(out):
        remove_stale_staging(out)
        wanted = list(targets.values())
        if pdf:
            wanted += [p.with_suffix(".pdf") for p in targets.values()]
        _refuse_existing(out, wanted, manifest, force, result)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
        try:
            staged = {kind: staging / path.name for kind, path in targets.items()}
            jobs = [(kind, staged[kind],
                     spec.template if kind == "deck" else spec.docx_template)
                    for kind in targets]
            findings = _render_all(plan, jobs, check, processes, standby)
            final = {staged[kind]: targets[kind] for kind in targets}
            result.findings = [replace(f, file=final.get(Path(f.file), Path(f.file)))
                               for f in findings]
            pdfs = convert_to_pdf(list(staged.values()), staging, soffice) if soffice else []
            moves = [(staged[kind], path) for kind, path in targets.items()]
            moves += [(p, out / p.name) for p in pdfs]
            # The old manifest goes first: from here until the new one is written, what is in
            # the folder is an unfinished pack, never a mix that claims to be complete.
            with contextlib.suppress(FileNotFoundError):
                manifest.unlink()
            for source, target in moves:
                try:
                    os.replace(source, target)
                except OSError as exc:
                    raise OutputError(Problem(f"could not put {target.name} in place "
                                              f"({exc.strerror})",
                                              "check free disk space and permissions",
                                              target)) from None
                result.files.append(target)
            _write_manifest(manifest, spec, result.files)
            result.manifest = manifest
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return result


MANIFEST_SUFFIX = ".manifest.json"
"""``<stem>.manifest.json`` beside a pack's files: written last, so it marks a complete pack."""


def _refuse_existing(out: Path, wanted: list[Path], manifest: Path, force: bool,
                     result: PackResult) -> None:
    """Raise OutputError when the pack may not be written over what is in *out*."""
    blocking = [p for p in [*wanted, manifest] if p.is_dir() and not p.is_symlink()]
    if blocking:
        raise OutputError(Problem(f"a folder has the name of a pack file ({blocking[0].name})",
                                  "move or rename that folder, or choose another output "
                                  "folder", blocking[0]))
    existing = [p for p in wanted if os.path.lexists(p)]
    complete = manifest.exists() or (existing and len(existing) == len(wanted))
    if existing and complete and not force:
        raise OutputError(Problem(
            f"the pack exists already ({len(existing)} files, e.g. {existing[0].name})",
            "use --force to overwrite it, or choose another output folder", out))
    if existing and not complete:
        result.warnings.append(f"{len(existing)} file(s) of an unfinished pack (a build that "
                               f"was stopped) in {out} are replaced")


def _write_manifest(manifest: Path, spec: WorkshopSpec, files: list[Path]) -> None:
    from .. import __version__

    entries = []
    for path in files:
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
        entries.append({"name": path.name, "bytes": path.stat().st_size,
                        "sha256": digest.hexdigest()})
    data = {"tool": "etikkverksted", "version": __version__,
            "input": spec.model_dump(mode="json"), "files": entries}
    write_text_atomic(manifest, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


INSTALL_LIBREOFFICE = (
    "install LibreOffice: on Debian/Ubuntu `sudo apt-get install libreoffice-impress "
    "libreoffice-writer`, on macOS `brew install --cask libreoffice`, on Windows from "
    "libreoffice.org; then run the command again"
)


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def offline_prefix() -> list[str]:
    """A command prefix that runs a program without any network, where the platform allows.

    On Linux ``unshare -rn`` gives the program a network namespace of its own with no
    interface up (not even loopback), as an unprivileged user. The files LibreOffice converts
    are already cleaned of external links (:mod:`etikkverksted.ooxml.sanitize`); this is the
    second wall, for a link nobody has thought of. Where it is not available (macOS, Windows,
    a kernel without user namespaces), the prefix is empty.
    """
    unshare = shutil.which("unshare") if sys.platform == "linux" else None
    if not unshare:
        return []
    try:
        probe = subprocess.run([unshare, "-rn", "true"], capture_output=True, timeout=10,
                               check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [unshare, "-rn", "--"] if probe.returncode == 0 else []


def convert_to_pdf(files: list[Path], out: Path, soffice: str, timeout: int = 300) -> list[Path]:
    """Convert *files* to PDF next to them with LibreOffice headless; return the PDFs.

    LibreOffice starts with a fresh profile in the work folder and, where the platform allows,
    without network (:func:`offline_prefix`): a linked picture or attached template cannot
    make it fetch anything.
    """
    written: list[Path] = []
    # The work folder (and LibreOffice's fresh profile) lives in *out*, the pack's staging
    # folder: a killed build leaves nothing in /tmp, and the next build removes the staging.
    with tempfile.TemporaryDirectory(prefix="pdf-", dir=out) as tmp:
        profile = Path(tmp) / "profile"
        cmd = [*offline_prefix(), soffice, f"-env:UserInstallation={profile.as_uri()}",
               "--headless", "--norestore", "--nolockcheck", "--convert-to", "pdf",
               "--outdir", tmp, *map(str, files)]
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
