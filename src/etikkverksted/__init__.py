"""etikkverksted: ethics workshops on generative AI for Norwegian state agencies.

The public API is what the CLI, the batch runner and a future web front end all call::

    from etikkverksted import load_library, load_spec, plan_workshop, render_pptx, render_docx

    library = load_library()
    spec = load_spec("examples/leaders-trinn2.yaml")
    plan = plan_workshop(spec, library)
    render_pptx(plan, "out/deck.pptx")

Heavy modules (python-pptx, python-docx) are imported only when a render function is called,
so that ``import etikkverksted`` and ``etikkverksted --help`` stay quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "build_pack",
    "load_library",
    "load_spec",
    "plan_workshop",
    "render_docx",
    "render_pptx",
]

_LAZY = {
    "load_library": ("etikkverksted.content.loader", "load_library"),
    "load_spec": ("etikkverksted.content.spec", "load_spec"),
    "plan_workshop": ("etikkverksted.planning", "plan_workshop"),
    "render_pptx": ("etikkverksted.writers.pptx", "render_pptx"),
    "render_docx": ("etikkverksted.writers.docx", "render_docx"),
    "build_pack": ("etikkverksted.build.pack", "build_pack"),
}

if TYPE_CHECKING:  # pragma: no cover
    from .build.pack import build_pack
    from .content.loader import load_library
    from .content.spec import load_spec
    from .planning import plan_workshop
    from .writers.docx import render_docx
    from .writers.pptx import render_pptx


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'etikkverksted' has no attribute {name!r}") from None
    import importlib

    return getattr(importlib.import_module(module_name), attr)
