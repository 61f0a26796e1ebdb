"""Opening agency templates safely, before python-pptx or python-docx reads them.

Agency templates are untrusted. Before a library reads a byte of XML, :func:`read_template`
checks that the file is a zip of sane size (zip bombs: python-pptx reads every member into
memory; the limits are in :mod:`.zipfiles`), that it is the right kind of package, that no part
carries a DOCTYPE (entity tricks), and it turns ``.potx``/``.dotx`` into ordinary packages by
rewriting the main part's content type (both libraries refuse template content types).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG
from typing import Literal

from lxml import etree

from ..errors import Problem, TemplateError
from ..safeio import UnreadableInput, read_bounded
from .sanitize import sanitize_parts
from .zipfiles import (
    MAX_MEMBERS,
    MAX_PART,
    MAX_RATIO,
    MAX_TEMPLATE_BYTES,
    MAX_UNCOMPRESSED,
    MAX_XML_PART,
)

Kind = Literal["pptx", "docx"]

_MAIN_TYPES = {
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
        "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
        "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml",
        "application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
    ),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    ),
}
_OTHER = {"pptx": "docx", "docx": "pptx"}
_WHAT = {
    "pptx": "a PowerPoint template (.pptx or .potx)",
    "docx": "a Word template (.docx or .dotx)",
}
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


@dataclass(frozen=True)
class TemplateInfo:
    """What :func:`read_template` found besides the cleaned bytes."""

    data: bytes
    warnings: tuple[str, ...] = ()


def read_template(path: Path, kind: Kind) -> TemplateInfo:
    """Check an agency template and return bytes that python-pptx/python-docx can open.

    Raises TemplateError with one clear message when the file is missing, not a zip, too
    large, a zip bomb, the wrong kind of document, or carries DOCTYPE/entity declarations.
    The result is cached per file version: a pack opens the same template several times.
    """
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return _read_template(path, kind)
    if not S_ISREG(stat.st_mode):  # never cached; read_bounded says what it is
        return _read_template(path, kind)
    return _read_template_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size, kind)


@lru_cache(maxsize=16)
def _read_template_cached(path: str, mtime_ns: int, size: int, kind: Kind) -> TemplateInfo:
    return _read_template(Path(path), kind)


def _read_template(path: Path, kind: Kind) -> TemplateInfo:
    what = _WHAT[kind]

    def fail(message: str, fix: str) -> TemplateError:
        return TemplateError(Problem(message, fix, path))

    try:
        raw = read_bounded(path, MAX_TEMPLATE_BYTES, what="template")
    except UnreadableInput as exc:
        fix = ("remove large pictures or videos from the template" if "at most" in exc.reason
               else exc.fix)
        raise fail(exc.reason, fix) from None
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise fail(f"this is not {what}: the file is not an Office Open XML package "
                   "(it may be damaged, or an old .ppt/.doc file)",
                   "open it in PowerPoint/Word/LibreOffice and save it as "
                   + ("PowerPoint (.pptx)" if kind == "pptx" else "Word (.docx)"))
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise fail(f"the template is a damaged zip file ({exc})",
                   "save the template again from PowerPoint/Word/LibreOffice") from None
    if len(infos) > MAX_MEMBERS:
        raise fail(f"the template has {len(infos)} parts; at most {MAX_MEMBERS} are accepted",
                   "use a simpler template")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED or any(
        i.compress_size and i.file_size / max(i.compress_size, 1) > MAX_RATIO
        and i.file_size > 1024 * 1024 for i in infos
    ):
        raise fail("the template unpacks to far more than its size (a 'zip bomb') and is "
                   "refused", "use the agency's original template file")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        raise fail(f"this is not {what}: it has no [Content_Types].xml",
                   "save it again from PowerPoint/Word/LibreOffice")
    try:
        content_types = zf.read("[Content_Types].xml")
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        raise fail(f"the template is damaged ({exc})", "save it again") from None

    main_ok = any(t.encode() in content_types for t in _MAIN_TYPES[kind])
    if not main_ok:
        if any(t.encode() in content_types for t in _MAIN_TYPES[_OTHER[kind]]):
            other = "Word document" if kind == "pptx" else "PowerPoint presentation"
            raise fail(f"this is a {other}, not {what}",
                       "use --template for .pptx/.potx and --docx-template for .docx/.dotx")
        raise fail(f"this is not {what}", "save it again from PowerPoint/Word/LibreOffice")

    if any(t.encode() in content_types for t in _MAIN_TYPES[kind][2:]):
        raise fail("this template contains macros (.pptm/.potm/.docm/.dotm), which are never run "
                   "or shipped", "save it without macros as "
                   + (".pptx or .potx" if kind == "pptx" else ".docx or .dotx"))

    parts: dict[str, bytes] = {}
    inflated = 0
    for info in infos:
        if info.is_dir():
            continue
        lower = info.filename.lower()
        xml_named = lower.endswith((".xml", ".rels", ".vml"))
        cap = MAX_XML_PART if xml_named else MAX_PART
        try:
            # Inflate through a cap: the sizes a zip declares are the attacker's to choose.
            with zf.open(info) as fh:
                data = fh.read(cap + 1)
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError,
                NotImplementedError) as exc:
            raise fail(f"the template is damaged: part {info.filename} cannot be read "
                       f"({exc})", "save it again from PowerPoint/Word/LibreOffice") from None
        inflated += len(data)
        if len(data) > cap or inflated > MAX_UNCOMPRESSED:
            raise fail(f"part {info.filename} unpacks to more than {cap // (1024 * 1024)} MB "
                       f"({'XML' if xml_named else 'other parts'}), which no real template "
                       "does; the template is refused",
                       "use the agency's original template file")
        problem = _xml_problem(info.filename, data)
        if problem == "doctype":
            raise fail(f"part {info.filename} declares a DOCTYPE or entities, which Office "
                       "files never do; the template is refused",
                       "use the agency's original template file")
        if problem:
            raise fail(f"the template is damaged: part {info.filename} is not "
                       f"well-formed XML ({problem})",
                       "save it again from PowerPoint/Word/LibreOffice")
        if info.filename == "[Content_Types].xml":
            data = data.replace(_MAIN_TYPES[kind][1].encode(), _MAIN_TYPES[kind][0].encode())
        parts[info.filename] = data
    clean, dropped = sanitize_parts(parts, kind)
    out = io.BytesIO()
    # Stored, not deflated: only this process reads these bytes (python-pptx, python-docx),
    # and deflating them only for the library to inflate them again cost a few ms per read.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for name, data in clean.items():
            dst.writestr(name, data)
    return TemplateInfo(out.getvalue(), tuple(f"{path.name}: {w}" for w in dropped))


def sanitize_template(path: Path | str, kind: Kind | None = None) -> TemplateInfo:
    """The public entry for anything that takes templates from others (the web server).

    Checks *path* as :func:`read_template` does (regular file, size, zip bomb, DOCTYPE, kind,
    macro-enabled types: each a :class:`~etikkverksted.errors.TemplateError` with one clear
    message) and returns the cleaned package bytes with one warning per kind of content that
    was dropped (see :mod:`.sanitize`). *kind* defaults from the suffix (.pptx/.potx or
    .docx/.dotx).
    """
    path = Path(path)
    if kind is None:
        kind = "docx" if path.suffix.lower() in (".docx", ".dotx", ".docm", ".dotm") \
            else "pptx"
    return read_template(path, kind)


_XML_START = (b"<", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00<", b"<\x00")
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                               huge_tree=False)


def _xml_problem(name: str, data: bytes) -> str | None:
    """``"doctype"``, a parse error, or None for a part that is safe XML (or not XML).

    Every part named .xml/.rels, and every part that starts like XML whatever its name, is
    parsed once with entities, DTDs and network off. A DOCTYPE may follow any amount of
    comments and be written in UTF-16, so a byte search of the first kilobytes is not enough;
    the parser reports what the document really declares.
    """
    named_xml = name.lower().endswith((".xml", ".rels", ".vml"))
    if not (named_xml or data.lstrip()[:2].startswith(_XML_START)):
        return None
    if _DOCTYPE.search(data):
        return "doctype"
    try:
        root = etree.fromstring(data, _SAFE_PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        if not named_xml:  # something else that starts with "<": not ours to judge
            return None
        return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        return "doctype"
    return None
