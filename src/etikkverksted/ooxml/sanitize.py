"""Cleaning an agency template down to its look: styles, layouts, masters, theme, fonts, images.

A template from outside may carry far more than its look, and all of it used to travel into
every file of every pack: a Word ``attachedTemplate`` pointing at an http address (a known
malware technique), hyperlinks and linked pictures to http and UNC (``\\\\host\\share``)
targets that leak the opener's credentials and that LibreOffice fetched during ``--pdf``, a
``vbaProject.bin`` in an ordinary ``.pptx``, custom document properties, ``customXml`` parts,
hidden shapes on layouts, and the text, pictures and hidden header text of a Word template's
body.

:func:`sanitize_parts` keeps only what is reachable from the package root through
relationship types on an allow-list, drops every relationship to an external target, removes
the XML that referred to what was dropped, removes hidden shapes from masters and layouts,
empties a Word template's body (its last section's page setup, headers and footers stay) and
hidden text from its headers and footers. Each kind of drop becomes one warning, which
``build``, ``template-info`` and :attr:`PackResult.warnings` show.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from lxml import etree

from .namespaces import CONTENT_TYPES, P, R, W

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False)

# Relationship types (their last path segment) a template's look is made of. Everything
# else (macros, customXml, custom properties, OLE objects, ActiveX, comments, tags, add-ins,
# glossary, thumbnails, printer settings, media) is dropped.
_ALLOWED = frozenset({
    "officeDocument", "core-properties", "metadata/core-properties", "extended-properties",
    "theme", "themeOverride", "image", "font", "fontTable", "styles", "stylesWithEffects",
    "settings", "webSettings", "numbering", "header", "footer", "footnotes", "endnotes",
    "slideMaster", "slideLayout", "slide", "notesMaster", "notesSlide", "handoutMaster",
    "presProps", "viewProps", "tableStyles", "hyperlink",
})
# What a drop of these types is called in a warning.
_NAMED = {
    "vbaProject": "a macro project (never shipped or run)",
    "wordVbaData": "macro data", "keyMapCustomizations": "macro key bindings",
    "customXml": "customXml data parts", "custom-properties": "custom document properties",
    "attachedTemplate": "an attached template", "oleObject": "embedded OLE objects",
    "package": "embedded files", "control": "ActiveX controls",
    "activeXControlBinary": "ActiveX controls", "glossaryDocument": "building blocks",
    "comments": "comments", "commentAuthors": "comment authors", "people": "comment authors",
    "tags": "hidden tags", "thumbnail": "", "metadata/thumbnail": "",
    "webextension": "Office add-ins", "webextensiontaskpanes": "Office add-ins",
    "printerSettings": "", "video": "videos", "audio": "sounds",
    "media": "media files", "chart": "charts", "diagramData": "SmartArt",
}
# What an external relationship of a type is called in a warning.
_EXTERNAL_WHAT = {"attachedTemplate": "an attached template linked", "image": "a picture linked",
                  "hyperlink": "a hyperlink", "oleObject": "an object linked"}
# A Word body part keeps the relationships its structure needs even when no r:id names them.
_DOCX_STRUCTURE = frozenset({"styles", "stylesWithEffects", "settings", "webSettings",
                             "numbering", "fontTable", "theme", "footnotes", "endnotes"})
# Elements whose reference to a dropped relationship is removed with them.
_KEEP_ELEMENT_DROP_ATTRIBUTE = frozenset({"blip", "imagedata", "fill", "stroke"})
_UNWRAP = frozenset({"hyperlink"})
_SHAPES = frozenset({"sp", "pic", "grpSp", "graphicFrame", "cxnSp", "contentPart"})


def _type_name(rel_type: str) -> str:
    parts = rel_type.rstrip("/").split("/")
    if len(parts) >= 2 and parts[-2] == "metadata":
        return "metadata/" + parts[-1]
    return parts[-1]


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _resolve(source: str, target: str) -> str:
    target = unquote(target.split("#", 1)[0])
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def _describe_target(target: str) -> str:
    lower = target.lower()
    if target.startswith("\\\\") or lower.startswith("file:"):
        kind = "a network or local file"
    elif lower.startswith(("http:", "https:")):
        kind = "a web address"
    else:
        kind = "an outside target"
    shown = target if len(target) <= 80 else target[:77] + "..."
    return f"{kind} ({shown})"


def _xml(data: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(data, _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def sanitize_parts(parts: dict[str, bytes], kind: str) -> tuple[dict[str, bytes], list[str]]:
    """Return the parts of a template that make its look, and a warning per kind of drop.

    *parts* maps part names (no leading slash) to bytes, ``[Content_Types].xml`` included;
    the XML in them has been checked already (well-formed, no DOCTYPE). *kind* is ``"pptx"``
    or ``"docx"``.
    """
    warnings: list[str] = []
    counts: dict[str, int] = {}

    def note(what: str) -> None:
        counts[what] = counts.get(what, 0) + 1

    edited: dict[str, etree._Element] = {}

    def tree(name: str) -> etree._Element | None:
        if name not in edited:
            root = _xml(parts[name]) if name in parts else None
            if root is None:
                return None
            edited[name] = root
        return edited[name]

    # 1. Content the template's own parts hold that is not its look.
    referenced_only: dict[str, set[str]] = {}
    for name in list(parts):
        lower = name.lower()
        if kind == "docx" and lower == "word/document.xml":
            root = tree(name)
            if root is not None and _empty_body(root):
                warnings.append("the template's body (its text, tables and pictures) is not "
                                "used; only its styles, page setup, headers and footers are")
            if root is not None:
                referenced_only[name] = _referenced_ids(root)
        elif kind == "docx" and posixpath.basename(lower).startswith(("header", "footer")):
            root = tree(name)
            if root is not None and _drop_hidden_runs(root):
                note("hidden text in headers and footers")
        elif kind == "pptx" and ("slidelayouts/" in lower or "slidemasters/" in lower) \
                and lower.endswith(".xml"):
            root = tree(name)
            if root is not None:
                for _ in range(_drop_hidden_shapes(root)):
                    note("hidden shapes on masters and layouts")

        elif lower == "docprops/app.xml":
            root = tree(name)
            if root is not None:
                _clean_app_properties(root, warnings)

    # 2. Walk the relationships from the package root; keep what the look is made of.
    keep: set[str] = {"[Content_Types].xml"}
    dropped_ids: dict[str, set[str]] = {}
    dropped_targets: set[str] = set()
    queue = [""]
    seen: set[str] = set()
    while queue:
        source = queue.pop()
        if source in seen:
            continue
        seen.add(source)
        rels = "_rels/.rels" if source == "" else _rels_name(source)
        root = tree(rels) if rels in parts else None
        if root is None:
            continue
        keep.add(rels)
        only = referenced_only.get(source)
        for rel in list(root):
            rid = rel.get("Id") or ""
            rel_type = _type_name(rel.get("Type") or "")
            target = rel.get("Target") or ""
            external = (rel.get("TargetMode") or "").lower() == "external"
            reason = None
            if external:
                what = _EXTERNAL_WHAT.get(rel_type, "a link")
                reason = (f"{what} to {_describe_target(target)}", True)
            elif rel_type not in _ALLOWED:
                reason = (_NAMED.get(rel_type, f"parts of type '{rel_type}'") or "", False)
            elif only is not None and rel_type not in _DOCX_STRUCTURE and rid not in only:
                reason = ("", False)  # belonged to the emptied body: no warning of its own
            if reason is not None and not external:
                dropped_targets.add(_resolve(source, target))
            if reason is not None:
                root.remove(rel)
                dropped_ids.setdefault(source, set()).add(rid)
                what, each = reason
                if what:
                    if each:
                        warnings.append(f"dropped {what}")
                    else:
                        note(what)
                continue
            part = _resolve(source, target)
            if part in parts:
                keep.add(part)
                queue.append(part)

    # 3. Remove what referred to a dropped relationship, so no r:id points at nothing.
    for source, ids in dropped_ids.items():
        root = tree(source) if source else None
        if root is not None:
            _scrub_references(root, ids)

    unused = [n for n in parts if n not in keep and n not in dropped_targets
              and not n.lower().endswith(".rels")]
    if unused:
        warnings.append(f"dropped {len(unused)} part(s) that nothing in the template uses "
                        f"(e.g. {unused[0]})")

    # 4. Content types: no overrides for parts that are gone.
    types = tree("[Content_Types].xml")
    if types is not None:
        for el in list(types.iter(f"{{{CONTENT_TYPES}}}Override")):
            name = unquote((el.get("PartName") or "").lstrip("/"))
            if name not in keep:
                types.remove(el)

    for what, n in counts.items():
        warnings.append(f"dropped {what}" + (f" ({n})" if n > 1 else ""))
    out: dict[str, bytes] = {}
    for name, data in parts.items():
        if name in keep:
            out[name] = _bytes(edited[name]) if name in edited else data
    return out, warnings


def _clean_app_properties(root: etree._Element, warnings: list[str]) -> None:
    """Drop the template's hyperlink base (relative links would resolve against it) and the
    list of its own slide titles and parts, which would describe the template, not the pack."""
    for el in list(root):
        name = etree.QName(el).localname
        if name == "HyperlinkBase" and (el.text or "").strip():
            warnings.append("dropped a hyperlink base, "
                            + _describe_target((el.text or "").strip()))
        if name in ("HyperlinkBase", "HLinks", "TitlesOfParts", "HeadingPairs"):
            root.remove(el)


def _empty_body(document: etree._Element) -> bool:
    """Empty a Word document's body except its last section properties; True if it held
    anything a reader could see."""
    body = document.find(f"{{{W}}}body")
    if body is None:
        return False
    visible = False
    for child in list(body):
        if child.tag == f"{{{W}}}sectPr" and child is body[-1]:
            continue
        if "".join(child.itertext()).strip() or any(
                el.tag.endswith(("}drawing", "}pict", "}object")) for el in child.iter()):
            visible = True
        body.remove(child)
    return visible


def _referenced_ids(root: etree._Element) -> set[str]:
    return {value for el in root.iter() for key, value in el.attrib.items()
            if key.startswith(f"{{{R}}}")}


def _drop_hidden_runs(root: etree._Element) -> bool:
    found = False
    for vanish in list(root.iter(f"{{{W}}}vanish", f"{{{W}}}webHidden")):
        if (vanish.get(f"{{{W}}}val") or "true").lower() in ("0", "false", "off"):
            continue
        rpr = vanish.getparent()
        run = rpr.getparent() if rpr is not None else None
        if run is not None and run.tag == f"{{{W}}}r" and run.getparent() is not None:
            run.getparent().remove(run)
            found = True
    return found


def _drop_hidden_shapes(root: etree._Element) -> int:
    removed = 0
    for el in list(root.iter(f"{{{P}}}cNvPr")):
        if (el.get("hidden") or "").lower() not in ("1", "true"):
            continue
        shape = el.getparent().getparent() if el.getparent() is not None else None
        if shape is not None and etree.QName(shape).localname in _SHAPES \
                and shape.getparent() is not None:
            shape.getparent().remove(shape)
            removed += 1
    return removed


def _ancestor(el: etree._Element, names: tuple[str, ...]) -> etree._Element | None:
    for name in names:
        node = el.getparent()
        while node is not None:
            if isinstance(node.tag, str) and etree.QName(node).localname == name:
                return node
            node = node.getparent()
    return None


def _scrub_references(root: etree._Element, ids: set[str]) -> None:
    prefix = f"{{{R}}}"
    hits: list[tuple[etree._Element, str]] = [
        (el, key) for el in root.iter() if isinstance(el.tag, str)
        for key, value in el.attrib.items() if key.startswith(prefix) and value in ids]
    for el, key in hits:
        name = etree.QName(el).localname
        parent = el.getparent()
        if name == "blip":
            # A picture left without its image would show as a broken frame on every slide:
            # the picture goes (a Word drawing, a slide picture, or a picture fill).
            el.attrib.pop(key, None)
            if el.get(f"{{{R}}}embed") or el.get(f"{{{R}}}link"):
                continue
            target = _ancestor(el, ("drawing", "pic"))
            if target is None:
                target = el.getparent()
            if target is not None and target.getparent() is not None:
                target.getparent().remove(target)
        elif name in _KEEP_ELEMENT_DROP_ATTRIBUTE or parent is None:
            el.attrib.pop(key, None)
        elif name in _UNWRAP:
            index = parent.index(el)
            for child in list(el):
                parent.insert(index, child)
                index += 1
            parent.remove(el)
        else:
            parent.remove(el)

