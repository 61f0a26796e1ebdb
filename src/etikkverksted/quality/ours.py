"""Telling our own files from anybody else's, so that stricter rules apply only to ours.

Speaker notes on every slide and no empty placeholder are promises etikkverksted makes about
what it writes; a deck from elsewhere gets advice about them, not errors. A file is ours when
its document properties carry :data:`MARKER`: as the application name in ``docProps/app.xml``,
as a keyword, category, identifier or content status in ``docProps/core.xml``, or as the name
of a custom property in ``docProps/custom.xml``. The writers set one of these.
"""

from __future__ import annotations

from lxml import etree

from ..ooxml.properties import APPLICATION
from .package import Package

MARKER = APPLICATION

_CORE_FIELDS = ("keywords", "category", "identifier", "contentStatus", "description")


def core_property(pkg: Package, name: str) -> str:
    """The text of core property *name* (local name, e.g. ``title``), or ``""``."""
    root = _core(pkg)
    if root is None:
        return ""
    for el in root:
        if isinstance(el.tag, str) and etree.QName(el).localname == name:
            return (el.text or "").strip()
    return ""


def _core(pkg: Package) -> etree._Element | None:
    for target in pkg.related("", "/core-properties"):
        root = pkg.xml(target)
        if root is not None:
            return root
    return pkg.xml("docProps/core.xml")


def is_ours(pkg: Package) -> bool:
    """True when the package carries etikkverksted's marker in its document properties."""
    marker = MARKER.lower()
    if any(marker in core_property(pkg, f).lower() for f in _CORE_FIELDS):
        return True
    app = pkg.xml("docProps/app.xml")
    if app is not None:
        for el in app:
            if isinstance(el.tag, str) and etree.QName(el).localname == "Application" \
                    and marker in (el.text or "").lower():
                return True
    custom = pkg.xml("docProps/custom.xml")
    if custom is not None:
        for el in custom:
            if marker in (el.get("name") or "").lower():
                return True
    return False
