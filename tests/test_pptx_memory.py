"""A batch worker renders hundreds of decks: no cache may keep a finished deck alive."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable

import pytest

import etikkverksted.writers.pptx as writer
from etikkverksted.planning import WorkshopPlan


def test_finished_decks_are_freed(make_plan: Callable[..., WorkshopPlan],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    packages: list[weakref.ref] = []
    real_open = writer.open_template

    def spying_open(*args, **kwargs):  # type: ignore[no-untyped-def]
        tmpl = real_open(*args, **kwargs)
        packages.append(weakref.ref(tmpl.prs.part.package))
        return tmpl

    monkeypatch.setattr(writer, "open_template", spying_open)
    for audience in ("leaders", "parties", "employees"):
        writer.render_pptx_bytes(make_plan(audience))
    gc.collect()
    # The last deck may stay cached until the next one starts; the earlier ones must be gone.
    assert [ref() is None for ref in packages[:-1]] == [True, True]
