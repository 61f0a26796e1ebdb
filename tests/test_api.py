"""The public Python API is what the README shows, and what a web front end will call."""

from __future__ import annotations

from pathlib import Path

import etikkverksted

ROOT = Path(__file__).resolve().parents[1]


def test_readme_example_runs(tmp_path: Path) -> None:
    from etikkverksted import (
        build_pack,
        load_library,
        load_spec,
        plan_workshop,
        render_docx,
        render_pptx,
    )

    library = load_library()
    spec = load_spec(ROOT / "examples" / "leiargruppe-trinn2-nb.yaml")
    plan = plan_workshop(spec, library)
    assert render_pptx(plan, tmp_path / "deck.pptx").stat().st_size > 10_000
    assert render_docx(plan, "participant", tmp_path / "sheet.docx").exists()
    result = build_pack(spec, library, tmp_path / "pack")
    assert len(result.files) == 5
    assert result.plan == plan


def test_the_plan_serialises_for_a_web_front_end() -> None:
    from etikkverksted import load_library, load_spec, plan_workshop
    from etikkverksted.planning import WorkshopPlan

    plan = plan_workshop(load_spec(ROOT / "examples" / "partane-trinn3-nn.yaml"),
                         load_library())
    again = WorkshopPlan.model_validate_json(plan.model_dump_json())
    assert again == plan


def test_public_names_are_declared() -> None:
    for name in etikkverksted.__all__:
        assert getattr(etikkverksted, name) is not None
