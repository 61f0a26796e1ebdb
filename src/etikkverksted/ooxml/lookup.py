"""Finding an element by a fixed child path, without lxml's ElementPath.

``el.find("p:txBody/a:bodyPr", ns)`` goes through lxml's ElementPath, which parses (from a
cache) and runs the path in Python generators: a few microseconds a call, and the checker and
the fitter ask such questions tens of thousands of times a pack. :func:`first` answers the
same question for a path of Clark names with lxml's own child iteration: the first element
that the path reaches, in document order, or None.
"""

from __future__ import annotations

from lxml import etree

ANY = "*"
"""A path step that matches a child element of any name (ElementPath's ``*``)."""


def first(el: etree._Element, *path: str) -> etree._Element | None:
    """The first element at *path* (Clark names, or :data:`ANY`) below *el*, or None.

    The same element as ``el.find("/".join(prefixed path))``: ElementPath walks the children
    matching the first step in document order and, under each, those matching the next.
    """
    head, rest = path[0], path[1:]
    for child in el.iterchildren(head):
        if not rest:
            return child
        found = first(child, *rest)
        if found is not None:
            return found
    return None
