"""One speed fix inside python-pptx, applied when the deck writer is imported.

python-pptx finds a shape's ``p:ph`` element with ``element.xpath("./*[1]/p:nvPr/p:ph")``.
lxml compiles an XPath string anew on every call, and python-pptx asks this question for
every shape whenever placeholders are listed or inherited: thousands of times per deck, about
a third of the deck's rendering time. The replacement below compiles the same expression once
and returns the same element (or None), so behaviour is unchanged.
"""

from __future__ import annotations

from lxml import etree
from pptx.oxml.ns import _nsmap
from pptx.oxml.shapes.shared import BaseShapeElement

_PH = etree.XPath("./*[1]/p:nvPr/p:ph", namespaces=_nsmap)


def _ph(self: BaseShapeElement) -> etree._Element | None:
    found = _PH(self)
    return found[0] if found else None


def apply() -> None:
    """Install the compiled look-up (idempotent)."""
    if getattr(BaseShapeElement.ph, "fget", None) is not _ph:
        BaseShapeElement.ph = property(_ph, doc=BaseShapeElement.ph.__doc__)  # type: ignore[method-assign]
