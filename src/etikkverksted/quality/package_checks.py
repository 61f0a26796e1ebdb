"""Structural checks of a package: the faults that make PowerPoint or Word offer a "repair".

None of them needs a validator: every part well-formed and without DOCTYPE, every part with a
content type, every relationship target inside the package present, every ``r:id`` in a part
resolving to one of its relationships, unique shape ids on each slide, slide ids of 256 and
more, and a registered notes master when slides have notes. Word documents also get unique
drawing ids (``wp:docPr/@id``), which Word otherwise renumbers with a repair prompt.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from .findings import Finding
from .package import R_NS, Package, rels_name, source_of

P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
_XML_EXT = (".xml", ".rels", ".vml")
_R_ATTRIBUTES = etree.XPath("//@r:*", namespaces={"r": R_NS}, smart_strings=False)
"""Every relationship-namespace attribute value of a part, in one XPath: a Python walk over
every element was the slowest part of checking a whole pack, and a name test (``@r:*``) is a
few times faster than a ``namespace-uri()`` predicate on Word's large styles part."""


def _is_xml(name: str) -> bool:
    return name.lower().endswith(_XML_EXT) or name == "[Content_Types].xml"


def check_structure(pkg: Package, slide_names: dict[str, str] | None = None) -> list[Finding]:
    """Return the structural findings for *pkg*; *slide_names* maps part names to "slide N"."""
    names = slide_names or {}
    out: list[Finding] = []

    def add(part: str, code: str, message: str, severity: str = "error") -> None:
        out.append(Finding(pkg.path, names.get(part, f"part {part}"), code,
                           severity, message))  # type: ignore[arg-type]

    if not pkg.has("[Content_Types].xml"):
        add("[Content_Types].xml", "package-content-types",
            "the package has no [Content_Types].xml")
    if not pkg.has("_rels/.rels"):
        add("_rels/.rels", "package-rels", "the package has no _rels/.rels")

    for name in sorted(pkg.parts):
        if _is_xml(name) and pkg.xml(name) is None:
            add(name, "part-xml", f"the part {pkg.xml_error(name)}")
    if pkg.xml("[Content_Types].xml") is None:
        return out

    for name in sorted(pkg.parts):
        if name == "[Content_Types].xml" or name.endswith(".rels"):
            continue
        if not pkg.content_type(name):
            add(name, "part-content-type", "the part has no content type")
    _, overrides = pkg.content_types()
    for name in sorted(overrides):
        if name not in pkg.parts:
            add(name, "content-type-orphan",
                "[Content_Types].xml names a part that does not exist", "warning")

    if pkg.main_part() is None:
        add("_rels/.rels", "package-main", "the package names no main document part")

    for rels in sorted(n for n in pkg.parts if n.endswith(".rels")):
        source = source_of(rels)
        if source is None:
            add(rels, "rels-misplaced", "a relationships part outside a _rels folder")
            continue
        if source and source not in pkg.parts:
            add(rels, "rels-orphan", f"relationships for {source}, which does not exist",
                "warning")
        root = pkg.xml(rels)
        if root is None:
            continue
        ids = Counter(el.get("Id") for el in root)
        for rid, count in ids.items():
            if count > 1:
                add(source or rels, "rel-duplicate-id", f"relationship id {rid} is used {count} "
                    "times")
        for rel in pkg.rels(source).values():
            if not rel.external and rel.target not in pkg.parts:
                add(source or rels, "rel-target-missing",
                    f"relationship {rel.rid} points at {rel.raw_target}, which is not in the "
                    "package")

    for name in sorted(pkg.parts):
        if not _is_xml(name) or name.endswith(".rels") or name == "[Content_Types].xml":
            continue
        root = pkg.xml(name)
        if root is None:
            continue
        known = pkg.rels(name)
        missing = sorted({value for value in _R_ATTRIBUTES(root)
                          if value and value not in known})
        for rid in missing:
            has_rels = pkg.has(rels_name(name))
            add(name, "rid-unresolved",
                f"r:id {rid} has no relationship" + ("" if has_rels else
                                                      " (the part has no relationships)"))

    main = pkg.main_part()
    if main and main.endswith("presentation.xml"):
        _presentation_checks(pkg, main, add)
    elif main:
        _docx_checks(pkg, main, add)
    return out


def _presentation_checks(pkg: Package, main: str, add) -> None:  # type: ignore[no-untyped-def]
    root = pkg.xml(main)
    if root is None:
        return
    rels = pkg.rels(main)
    seen: Counter[str] = Counter()
    for sld in root.iterfind(f"{{{P_NS}}}sldIdLst/{{{P_NS}}}sldId"):
        raw = sld.get("id") or ""
        seen[raw] += 1
        if not raw.isdigit() or not 256 <= int(raw) < 2147483648:
            add(main, "slide-id", f"slide id {raw!r} is not between 256 and 2147483647")
        rid = sld.get(f"{{{R_NS}}}id") or ""
        if rid not in rels:
            add(main, "slide-rel", f"slide list entry {raw} points at no slide ({rid})")
    for raw, count in seen.items():
        if count > 1:
            add(main, "slide-id-duplicate", f"slide id {raw} is used {count} times")
    slides = [p for p in pkg.parts if p.startswith("ppt/slides/slide") and p.endswith(".xml")]
    for slide in sorted(slides):
        _duplicate_ids(pkg, slide, f"{{{P_NS}}}cNvPr", add, "shape-id-duplicate",
                       "shape id(s) used more than once on the slide")
    has_notes = any(p.startswith("ppt/notesSlides/") and p.endswith(".xml") for p in pkg.parts)
    if has_notes:
        entries = root.findall(f"{{{P_NS}}}notesMasterIdLst/{{{P_NS}}}notesMasterId")
        if not entries:
            add(main, "notes-master", "slides have speaker notes but presentation.xml "
                "registers no notes master (notesMasterIdLst)")
        for entry in entries:
            rid = entry.get(f"{{{R_NS}}}id") or ""
            rel = rels.get(rid)
            if rel is None or not rel.type.endswith("/notesMaster"):
                add(main, "notes-master", f"the notes master entry {rid} points at no notes "
                    "master")


def _docx_checks(pkg: Package, main: str, add) -> None:  # type: ignore[no-untyped-def]
    _duplicate_ids(pkg, main, f"{{{WP_NS}}}docPr", add, "drawing-id-duplicate",
                   "drawing id(s) used more than once")


def slide_part_names(pkg: Package) -> dict[str, str]:
    """Map each slide part (and its notes part) to ``slide N`` in presentation order."""
    main = pkg.main_part()
    if not main:
        return {}
    root = pkg.xml(main)
    if root is None:
        return {}
    rels = pkg.rels(main)
    names: dict[str, str] = {}
    number = 0
    for sld in root.iterfind(f"{{{P_NS}}}sldIdLst/{{{P_NS}}}sldId"):
        rel = rels.get(sld.get(f"{{{R_NS}}}id") or "")
        if rel is None or not rel.target:
            continue
        number += 1
        names[rel.target] = f"slide {number}"
        for notes in pkg.related(rel.target, "/notesSlide"):
            names[notes] = f"slide {number} notes"
    return names


__all__ = ["check_structure", "slide_part_names"]


def _duplicate_ids(pkg: Package, part: str, tag: str, add, code: str,  # type: ignore[no-untyped-def]
                   what: str) -> None:
    """Report the ``id`` values that more than one *tag* element of *part* carries."""
    root = pkg.xml(part)
    if root is None:
        return
    ids = Counter(el.get("id") for el in root.iter(tag))
    dupes = sorted(i for i, c in ids.items() if c > 1 and i is not None)
    if dupes:
        add(part, code, f"{what}: " + ", ".join(dupes))
