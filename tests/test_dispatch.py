"""The deck's segment renderers are a table, and layout provenance is a value, not a string."""

from __future__ import annotations

from typing import get_args

from etikkverksted.planning.model import SegmentKind
from etikkverksted.writers.pptx.slides import DeckBuilder
from etikkverksted.writers.pptx.template import Found, Provenance


def test_every_segment_renderer_is_in_the_table_under_a_real_kind() -> None:
    methods = {name.removeprefix("_seg_") for name in vars(DeckBuilder)
               if name.startswith("_seg_") and name != "_seg_default"}
    assert set(DeckBuilder.RENDERERS) == methods
    assert set(DeckBuilder.RENDERERS) <= set(get_args(SegmentKind))
    for kind, render in DeckBuilder.RENDERERS.items():
        assert render is vars(DeckBuilder)[f"_seg_{kind}"]


def test_provenance_reads_as_template_info_prints_it() -> None:
    assert str(Provenance(Found.NAME)) == "name"
    assert not Provenance(Found.PLACEHOLDERS).is_fallback
    borrowed = Provenance(Found.OTHER_ROLE, "content")
    assert borrowed.is_fallback and str(borrowed) == "fallback: content"
    assert str(Provenance(Found.ANY_TITLED)) == "fallback: any layout with a title"
    swapped = Provenance(Found.NAME, instead_of="'Tittel' [0]")
    assert str(swapped) == "name; instead of 'Tittel' [0], whose text would be hard to read"
