"""Document properties written the same way into every deck and handout."""

from __future__ import annotations

import datetime as dt
import os

from lxml import etree

from .namespaces import EXTENDED_PROPERTIES

APPLICATION = "etikkverksted"
"""What ``docProps/app.xml`` names as the application that wrote our files. The quality check
(:mod:`etikkverksted.quality.ours`) applies its stricter rules for our own files by it."""


def set_core_properties(props: object, *, title: str, subject: str, author: str,
                        language: str, stamp: dt.datetime) -> None:
    """Fill the core properties of a python-pptx or python-docx package the same way.

    Templates bring their own author, dates and keywords (often "python-docx" and 2013);
    every one is overwritten so that the document describes this workshop and the same input
    gives the same bytes.
    """
    for name, value in (("title", title), ("subject", subject), ("author", author),
                        ("last_modified_by", author), ("language", language),
                        ("keywords", ""), ("comments", ""), ("category", ""),
                        ("content_status", ""), ("identifier", ""), ("version", ""),
                        ("revision", 1), ("created", stamp), ("modified", stamp),
                        ("last_printed", stamp)):
        setattr(props, name, value)


def build_datetime(date: dt.date) -> dt.datetime:
    """The timestamp written into output: ``SOURCE_DATE_EPOCH`` if set, else the spec's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
    return dt.datetime.combine(date, dt.time(12, 0))


def mark_application(data: bytes) -> bytes:
    """Set ``<Application>`` in an extended-properties part to :data:`APPLICATION`.

    Templates carry "Microsoft Office PowerPoint" there, which would be untrue of our output.
    The part's children form an ``xsd:all`` group, so the element may go anywhere.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return data
    app = root.find(f"{{{EXTENDED_PROPERTIES}}}Application")
    if app is None:
        app = etree.SubElement(root, f"{{{EXTENDED_PROPERTIES}}}Application")
    app.text = APPLICATION
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

