"""Uploaded templates: saved into the request's own folder and checked before anything opens them.

The CLI's defences (:func:`etikkverksted.ooxml.templates.read_template`: size, zip bombs,
DOCTYPE/entities, wrong kind, macro-enabled types) apply to every upload. The server is
stricter than the CLI where a stranger's file could hurt the next person who opens the pack:
a template that carries a macro part (``vbaProject.bin``) or a relationship to an external
target (an http address, a UNC path, a local file) is refused with a message that says so,
instead of being used with a warning.

Every check reads a bounded number of bytes: a part is inflated through a cap, never trusting
the sizes the zip declares.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

SUFFIXES = {"pptx": (".pptx", ".potx"), "docx": (".docx", ".dotx")}
MAX_RELS_BYTES = 2 * 1024 * 1024
MAX_RELS_PARTS = 2000
_EXTERNAL = re.compile(rb'TargetMode\s*=\s*["\']External["\']')
_MACRO_TYPES = re.compile(rb"macroEnabled|vbaProject|vbaData", re.IGNORECASE)


class TemplateRefused(Exception):
    """An uploaded template cannot be used; *reason* is a key of the ``web_refused_*`` labels."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


def safe_upload_name(kind: str, filename: str | None) -> str:
    """The name an upload is saved under: fixed, only the suffix comes from the user."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUFFIXES[kind]:
        raise TemplateRefused("suffix", suffix or "(ingen)")
    return f"mal-{'presentasjon' if kind == 'pptx' else 'dokument'}{suffix}"


def _read_capped(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    with zf.open(info) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise TemplateRefused("bomb", info.filename)
    return data


def precheck(path: Path) -> None:
    """Refuse macro parts and external relationships; leave the rest to ``read_template``."""
    try:
        zf = zipfile.ZipFile(path)
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TemplateRefused("not_zip") from None
    with zf:
        rels = [i for i in infos if i.filename.lower().endswith(".rels")]
        if len(rels) > MAX_RELS_PARTS:
            raise TemplateRefused("bomb", f"{len(rels)} .rels parts")
        for info in infos:
            name = info.filename.lower()
            if name.endswith("vbaproject.bin") or name.endswith("vbadata.xml"):
                raise TemplateRefused("macro", info.filename)
        try:
            types = _read_capped(zf, zf.getinfo("[Content_Types].xml"), MAX_RELS_BYTES)
        except KeyError:
            raise TemplateRefused("not_office") from None
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
            raise TemplateRefused("damaged", "[Content_Types].xml") from None
        if _MACRO_TYPES.search(types):
            raise TemplateRefused("macro", "[Content_Types].xml")
        for info in rels:
            try:
                data = _read_capped(zf, info, MAX_RELS_BYTES)
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
                raise TemplateRefused("damaged", info.filename) from None
            if _EXTERNAL.search(data):
                raise TemplateRefused("external", info.filename)


def _classify(message: str) -> str:
    lowered = message.lower()
    if "doctype" in lowered or "entit" in lowered:
        return "doctype"
    if "zip bomb" in lowered or "parts; at most" in lowered:
        return "bomb"
    if "macro" in lowered:
        return "macro"
    if "not an office open xml" in lowered or "not a zip" in lowered:
        return "not_zip"
    if "is a word document" in lowered or "is a powerpoint presentation" in lowered:
        return "wrong_kind"
    if "not a powerpoint" in lowered or "not a word" in lowered or lowered.startswith("this is"):
        return "not_office"
    if " mb; at most" in lowered:
        return "too_large"
    return "damaged"


def inspect_template(path: str, kind: str) -> dict[str, Any]:
    """Check the template at *path* and say what the build will use; runs in a worker.

    Returns ``{"kind", "layouts", "roles", "warnings"}``; raises TemplateRefused.
    """
    from ..errors import TemplateError
    from ..ooxml.templates import read_template

    file = Path(path)
    precheck(file)
    try:
        info = read_template(file, kind)  # type: ignore[arg-type]
        if kind != "pptx":
            return {"kind": kind, "layouts": [], "roles": {}, "warnings": list(info.warnings)}
        from ..writers.pptx import template_info

        report = template_info(file)
    except TemplateError as exc:
        message = exc.problems[0].message if exc.problems else str(exc)
        raise TemplateRefused(_classify(message), message) from None
    return {
        "kind": kind,
        "layouts": [{"master": m, "name": name, "placeholders": len(phs)}
                    for m, name, phs in report.layouts],
        "roles": {role: {"layout": name, "master": master, "how": how}
                  for role, (name, master, how) in report.roles.items()},
        "warnings": list(report.warnings),
    }
