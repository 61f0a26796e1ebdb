"""The XML namespaces of Office Open XML that more than one module uses."""

from __future__ import annotations

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
EXTENDED_PROPERTIES = \
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"

PML = {"a": A, "p": P, "r": R}
"""Prefixes for ``find``/``xpath`` on PresentationML parts."""
