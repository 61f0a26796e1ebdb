"""Reading an Office Open XML package safely, for checking files that may come from anywhere.

The checker opens decks and documents it did not write, so it never hands a file to
python-pptx/python-docx: it reads the zip itself within fixed limits (zip bombs), parses each
XML part with entity resolution, DTD loading and network access off, and refuses parts that
declare a DOCTYPE. :class:`Package` then answers the questions the checks ask: a part's XML,
its content type, and where its relationships point.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..ooxml.zipfiles import (
    MAX_MEMBERS,
    MAX_RATIO,
    MAX_TEMPLATE_BYTES,
    MAX_UNCOMPRESSED,
    MAX_XML_PART,
)
from ..safeio import UnreadableInput, read_bounded

MAX_FILE_BYTES = MAX_TEMPLATE_BYTES
MAX_PART_BYTES = 64 * 1024 * 1024
_XML_NAMES = (".xml", ".rels", ".vml")

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_DOCUMENT = R_NS + "/officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          dtd_validation=False, huge_tree=False, remove_blank_text=False)


class PackageError(Exception):
    """The file cannot be read as a package at all; the message says why, for a person."""


@dataclass(frozen=True)
class Rel:
    """One relationship: its id, type, and target part name (None when external)."""

    rid: str
    type: str
    target: str | None
    raw_target: str
    external: bool


def rels_name(part: str) -> str:
    """The relationships part of *part*: ``a/b.xml`` -> ``a/_rels/b.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def source_of(rels: str) -> str | None:
    """The part a ``.rels`` part belongs to (``""`` for the package), or None if misplaced."""
    folder, name = posixpath.split(rels)
    if posixpath.basename(folder) != "_rels" or not name.endswith(".rels"):
        return None
    return posixpath.join(posixpath.dirname(folder), name[: -len(".rels")])


def resolve(source: str, target: str) -> str:
    """The part name a relative *target* of *source* points at (no leading slash)."""
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    base = posixpath.dirname(source)
    return posixpath.normpath(posixpath.join(base, target)).lstrip("/")


@dataclass
class Package:
    """The parts of one package, read within limits; XML is parsed on demand and cached."""

    path: Path
    parts: dict[str, bytes]
    _xml: dict[str, etree._Element | None] = field(default_factory=dict)
    _xml_errors: dict[str, str] = field(default_factory=dict)
    _rels: dict[str, dict[str, Rel]] = field(default_factory=dict)
    _types: tuple[dict[str, str], dict[str, str]] | None = None

    @classmethod
    def read(cls, path: Path) -> Package:
        """Read *path* as a zip package, or raise PackageError saying why it cannot be."""
        path = Path(path)
        try:
            raw = read_bounded(path, MAX_FILE_BYTES, what="file")
        except UnreadableInput as exc:
            raise PackageError(exc.reason) from None
        return cls.from_bytes(path, raw)

    @classmethod
    def from_bytes(cls, path: Path, raw: bytes) -> Package:
        """Read a package from *raw* bytes (see :meth:`read`)."""
        if not zipfile.is_zipfile(io.BytesIO(raw)):
            raise PackageError("this is not an Office Open XML package (not a zip file; it may "
                               "be damaged, or an old .ppt/.doc file)")
        try:
            zf = zipfile.ZipFile(io.BytesIO(raw))
            infos = [i for i in zf.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise PackageError(f"the zip file is damaged ({exc})") from None
        if len(infos) > MAX_MEMBERS:
            raise PackageError(f"the package has {len(infos)} parts; at most {MAX_MEMBERS} "
                               "are checked")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED or any(
                i.file_size > MAX_PART_BYTES
                or (i.file_size > 1024 * 1024
                    and i.file_size / max(i.compress_size, 1) > MAX_RATIO) for i in infos):
            raise PackageError("the package unpacks to far more than its size (a 'zip bomb') "
                               "and is not opened")
        for info in infos:
            if info.filename.lower().endswith(_XML_NAMES) and info.file_size > MAX_XML_PART:
                raise PackageError(f"part {info.filename} unpacks to "
                                   f"{info.file_size // (1024 * 1024)} MB of XML; at most "
                                   f"{MAX_XML_PART // (1024 * 1024)} MB is read")
        parts: dict[str, bytes] = {}
        for info in infos:
            try:
                with zf.open(info) as fh:
                    data = fh.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError,
                    NotImplementedError) as exc:
                raise PackageError(f"part {info.filename} cannot be read ({exc})") from None
            if len(data) > info.file_size:
                raise PackageError(f"part {info.filename} is larger than the zip says")
            parts[info.filename] = data
        return cls(path, parts)

    # -- parts ----------------------------------------------------------------------------

    def has(self, name: str) -> bool:
        return name in self.parts

    def xml(self, name: str) -> etree._Element | None:
        """The parsed root of part *name*, or None when it is missing or not well-formed."""
        if name not in self._xml:
            self._xml[name] = None
            data = self.parts.get(name)
            if data is not None:
                head = data[:8192].lower()
                if b"<!doctype" in head or b"<!entity" in head:
                    self._xml_errors[name] = "declares a DOCTYPE or entities"
                else:
                    try:
                        self._xml[name] = etree.fromstring(data, _PARSER)
                    except (etree.XMLSyntaxError, ValueError) as exc:
                        self._xml_errors[name] = f"is not well-formed XML ({exc})"
        return self._xml[name]

    def xml_error(self, name: str) -> str | None:
        """Why :meth:`xml` returned None for *name*, if it was parsed and failed."""
        self.xml(name)
        return self._xml_errors.get(name)

    def content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        """(defaults by lower-case extension, overrides by part name without slash)."""
        if self._types is None:
            self._types = self._read_content_types()
        return self._types

    def _read_content_types(self) -> tuple[dict[str, str], dict[str, str]]:
        root = self.xml("[Content_Types].xml")
        defaults: dict[str, str] = {}
        overrides: dict[str, str] = {}
        if root is None:
            return defaults, overrides
        for el in root.iter(f"{{{CT_NS}}}Default"):
            defaults[(el.get("Extension") or "").lower()] = el.get("ContentType") or ""
        for el in root.iter(f"{{{CT_NS}}}Override"):
            overrides[unquote((el.get("PartName") or "").lstrip("/"))] = \
                el.get("ContentType") or ""
        return defaults, overrides

    def content_type(self, name: str) -> str | None:
        defaults, overrides = self.content_types()
        if name in overrides:
            return overrides[name]
        ext = posixpath.splitext(name)[1].lstrip(".").lower()
        return defaults.get(ext)

    def rels(self, source: str) -> dict[str, Rel]:
        """The relationships of part *source* (``""`` for the package) by id."""
        if source not in self._rels:
            found: dict[str, Rel] = {}
            root = self.xml(rels_name(source)) if source else self.xml("_rels/.rels")
            if root is not None:
                for el in root.iter(f"{{{REL_NS}}}Relationship"):
                    rid, target = el.get("Id") or "", el.get("Target") or ""
                    external = (el.get("TargetMode") or "").lower() == "external"
                    found[rid] = Rel(rid, el.get("Type") or "",
                                     None if external else resolve(source, target),
                                     target, external)
            self._rels[source] = found
        return self._rels[source]

    def related(self, source: str, type_suffix: str) -> list[str]:
        """Internal targets of *source* whose relationship type ends with *type_suffix*."""
        return [r.target for r in self.rels(source).values()
                if r.target and r.type.endswith(type_suffix)]

    def main_part(self) -> str | None:
        """The package's main part (presentation.xml, document.xml), or None."""
        for rel in self.rels("").values():
            if rel.type in (OFFICE_DOCUMENT, STRICT_OFFICE_DOCUMENT) and rel.target:
                return rel.target
        return None
