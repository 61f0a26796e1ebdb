"""The web front end of etikkverksted (``etikkverksted serve``).

``create_app()`` builds the ASGI application: HTML pages for HR staff and a JSON API under
``/api/`` (described at ``/api/openapi.json``). See :mod:`.app`.

The app is imported on first use, not with the package: the build workers import
:mod:`.builds` from this package and need none of FastAPI, Starlette or Jinja2 (about 15 MiB
per worker).
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
