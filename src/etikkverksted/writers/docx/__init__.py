"""Word handouts from a :class:`~etikkverksted.planning.model.WorkshopPlan`.

Four documents, each in its own module: the participant sheet, the facilitator guide, the
minutes template and the printable dilemma cards. They share :mod:`.document` (template,
styles, language, footer, properties, reproducible saving), :mod:`.lists` (real Word lists)
and :mod:`.tables` (accessible tables). Like every writer, they add layout and nothing else.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ...planning.model import WorkshopPlan

DocxKind = Literal["participant", "facilitator", "minutes", "cards", "agenda"]
KINDS: tuple[DocxKind, ...] = ("participant", "facilitator", "minutes", "cards")
"""The documents of every pack."""
PARTIES_KINDS: tuple[DocxKind, ...] = ("agenda",)
"""Documents only a parties plan has (its ``parties_agenda``)."""


def render_docx(plan: WorkshopPlan, kind: DocxKind, path: Path,
                template: Path | None = None) -> Path:
    """Write the Word document *kind* for *plan* to *path* and return *path*.

    *template* (a .docx or .dotx) overrides ``plan.docx_template``; without either the
    packaged ``layouts/default.docx`` is used. The same plan gives byte-identical files.
    Raises TemplateError for an unusable template and ValueError for an unknown *kind*.
    """
    if kind == "participant":
        from .participant import write_participant as write
    elif kind == "facilitator":
        from .facilitator import write_facilitator as write
    elif kind == "minutes":
        from .minutes import write_minutes as write
    elif kind == "cards":
        from .cards import write_cards as write
    elif kind == "agenda":
        from .agenda import write_agenda as write
    else:
        raise ValueError(f"unknown Word document kind {kind!r}; choose one of "
                         f"{KINDS + PARTIES_KINDS}")
    return write(plan, Path(path), template)


__all__ = ["KINDS", "PARTIES_KINDS", "DocxKind", "render_docx"]
