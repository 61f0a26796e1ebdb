"""The quality gate: accessibility, layout and structure checks of .pptx and .docx files.

:func:`check_files` checks any deck or document, ours or not, and returns :class:`Finding`
objects with slide or paragraph numbers; :func:`format_findings` and :func:`findings_json`
print them for people and for scripts. Files are read with :mod:`.package` (never handed to
python-pptx/python-docx), so a broken or hostile file becomes a finding, not a crash.
"""

from __future__ import annotations

from pathlib import Path

from .findings import Finding, Severity, findings_json, format_findings
from .ours import is_ours
from .outside import check_outside, check_pack_state
from .package import Package, PackageError
from .package_checks import check_structure, slide_part_names

_PPTX = (".pptx", ".potx", ".pptm", ".potm")
_DOCX = (".docx", ".dotx", ".docm", ".dotm")


def check_file(path: Path, *, ours: bool | None = None) -> list[Finding]:
    """Return the findings for one .pptx or .docx file (see :func:`check_files`)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _PPTX + _DOCX:
        return [Finding(path, "", "file-type", "error",
                        "only PowerPoint (.pptx) and Word (.docx) files can be checked")]
    try:
        pkg = Package.read(path)
    except PackageError as exc:
        return [Finding(path, "", "file-unreadable", "error", str(exc))]
    slides = slide_part_names(pkg) if suffix in _PPTX else None
    findings = check_structure(pkg, slides)
    mine = is_ours(pkg) if ours is None else ours
    findings += check_outside(pkg, mine, slides)
    findings += check_pack_state(path)
    main = pkg.main_part() or ""
    try:
        if suffix in _PPTX:
            if not main.endswith("presentation.xml"):
                return [*findings, Finding(path, "", "file-type", "error",
                                           "this is not a PowerPoint presentation")]
            from .pptx_checks import check_deck

            findings += check_deck(pkg, mine)
        else:
            if not main.endswith("document.xml"):
                return [*findings, Finding(path, "", "file-type", "error",
                                           "this is not a Word document")]
            from .docx_checks import check_document

            findings += check_document(pkg, mine)
    except RecursionError:
        findings.append(Finding(path, "", "file-unreadable", "error",
                                "the file is nested too deeply to be checked"))
    return findings


def check_files(paths: list[Path], *, ours: bool | None = None) -> list[Finding]:
    """Check every file in *paths* and return all findings, file by file, in file order.

    *ours* forces the rules for etikkverksted's own files (speaker notes on every slide, no
    empty placeholder as errors) on or off; None detects them from the document properties.
    PDFs and zips in *paths* (a pack's by-products) are skipped; any other file that is not
    a .pptx/.docx is reported as a ``file-type`` error.
    """
    findings: list[Finding] = []
    for path in paths:
        if Path(path).suffix.lower() in (".pdf", ".zip"):
            continue
        findings += check_file(Path(path), ours=ours)
    return findings


__all__ = ["Finding", "Severity", "check_file", "check_files", "findings_json",
           "format_findings"]
