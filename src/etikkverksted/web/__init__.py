"""The web front end of etikkverksted (``etikkverksted serve``).

``create_app()`` builds the ASGI application: HTML pages for HR staff and a JSON API under
``/api/`` (described at ``/api/openapi.json``). See :mod:`.app`.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
