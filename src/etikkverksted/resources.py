"""Where the packaged content library and templates are.

In a wheel they sit inside the package (``etikkverksted/_data/``, put there by
``pyproject.toml``'s ``force-include``). In a source checkout or an editable install they sit
at the top of the repository, where authors edit them. Both are found the same way.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """Return the packaged folder *name* (``dilemmas`` or ``layouts``)."""
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    checkout = _PACKAGE_DIR.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"the packaged '{name}' folder is missing (looked in {installed} and {checkout}); "
        "reinstall etikkverksted"
    )


def library_dir() -> Path:
    return data_dir("dilemmas")


def layouts_dir() -> Path:
    return data_dir("layouts")
