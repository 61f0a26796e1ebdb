"""The minutes form: which tables the minutes template holds, so that it can be read back.

The minutes writer describes every table it lays out as a :class:`FormTable` and stores the
whole :class:`MinutesForm`, with the workshop it belongs to, in a custom XML part of the
document. The harvester reads that part first and then finds each table in the body.

Why a description in the file and not only content-control tags: Word keeps a content
control's tag (``w:tag``) and title (``w:alias``), but LibreOffice 7.4 drops the tag on saving,
keeps the title, and turns a control around a whole table into a control in its first cell.
So a table is found by its tag, else by the title of a control in it, else by its header row,
else by its place among the tables; a row of a fixed table by its position. Custom XML parts
survive both programs.
"""

from __future__ import annotations

import json
import uuid
from typing import Literal

from lxml import etree
from pydantic import BaseModel, ConfigDict, Field

from .model import WorkshopRef

NAMESPACE = "urn:etikkverksted:minutes:1"
"""XML namespace of the custom XML part; also how the harvester recognises our documents."""

TAG_PREFIX = "ev:"
"""Every content control the minutes writer makes has a tag that starts with this."""

TableKind = Literal["meeting", "stood", "dilemma_notes", "decisions", "parking", "actions",
                    "shared", "next_meeting", "action_status", "own_case", "scenarios_2040"]


class _Form(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class FormColumn(_Form):
    key: str
    header: str = Field(description="The column's header text as printed (may be empty).")
    write_in: bool = Field(description="True for a column the note-taker fills in.")
    choices: dict[str, str] | None = Field(
        default=None, description="For a drop-down column: value → the text shown.")


class FormRow(_Form):
    key: str
    label: str = Field(description="The text printed in the row's first cell.")


class FormTable(_Form):
    """One table of the minutes: fixed rows (one per key) or rows the note-taker adds to."""

    key: str = Field(description="Unique in the form, e.g. 'actions:act' or 'stood:frigjort-tid'.")
    kind: TableKind
    caption: str = Field(description="The table's title; also its content control's title.")
    section: str = Field(description="The heading the table stands under.")
    columns: list[FormColumn]
    rows: list[FormRow] | None = Field(
        default=None, description="Fixed rows in order; None for a table that grows.")
    has_header_row: bool = True
    dilemma_id: str | None = None
    action_kind: str | None = None

    @property
    def tag(self) -> str:
        return f"{TAG_PREFIX}{self.key}"

    def cell_tag(self, row: str, column: str) -> str:
        return f"{TAG_PREFIX}{self.key}|{row}|{column}"


class MinutesForm(_Form):
    """The workshop a minutes document belongs to and the tables it holds."""

    workshop: WorkshopRef
    tables: list[FormTable]
    static_texts: list[str] = Field(
        description="Every paragraph text the writer printed outside tables, so that text a "
        "note-taker typed between them can be told apart and kept.")

    def table(self, key: str) -> FormTable:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


def split_cell_tag(tag: str) -> tuple[str, str, str] | None:
    """Return (table key, row key, column key) of a cell control's tag, or None."""
    if not tag.startswith(TAG_PREFIX):
        return None
    parts = tag[len(TAG_PREFIX):].split("|")
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


def form_to_xml(form: MinutesForm) -> bytes:
    """Return the custom XML part that carries *form* (JSON inside one namespaced element)."""
    root = etree.Element(f"{{{NAMESPACE}}}minutes", nsmap={"ev": NAMESPACE})
    root.set("version", "1")
    root.text = form.model_dump_json()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def form_from_xml(data: bytes) -> MinutesForm | None:
    """Return the form in a custom XML part, or None when the part is not ours."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    if root.tag != f"{{{NAMESPACE}}}minutes":
        return None
    return MinutesForm.model_validate(json.loads(root.text or "{}"))


def item_props_xml(form_json_digest: str) -> bytes:
    """Return the ``itemProps`` part Word expects beside a custom XML part.

    The item id is derived from the form's digest, so the same plan gives the same bytes.
    """
    item_id = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, NAMESPACE + "/" + form_json_digest)
                        ).upper() + "}"
    ds = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            f'<ds:datastoreItem ds:itemID="{item_id}" xmlns:ds="{ds}"><ds:schemaRefs>'
            f'<ds:schemaRef ds:uri="{NAMESPACE}"/></ds:schemaRefs></ds:datastoreItem>'
            ).encode()
