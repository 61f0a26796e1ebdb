"""What the two compat modules share: reaching a library's internal name, loudly."""

from __future__ import annotations

from typing import Any


class CompatError(RuntimeError):
    """A library no longer has what a compat module was written against: update that module."""


def require(obj: object, name: str, compat_module: str) -> Any:
    """``obj.<name>``, or a :class:`CompatError` naming the compat module to update.

    A silent fallback (``getattr(obj, name, None)``) would let a library upgrade quietly change
    what etikkverksted writes; this fails the build (and the contract tests) instead.
    """
    try:
        return getattr(obj, name)
    except AttributeError:
        raise CompatError(f"{type(obj).__module__.split('.')[0]}: {type(obj).__name__}.{name} "
                          f"is gone; etikkverksted.ooxml.{compat_module} needs updating"
                          ) from None


class MemberList:
    """Stands in for python-pptx's and python-docx's zip writer (``write(pack_uri, blob)``):
    keeps each member's name and bytes, in order, for our own zip writer."""

    def __init__(self) -> None:
        self.members: list[tuple[str, bytes]] = []

    def write(self, pack_uri: Any, blob: bytes | str) -> None:
        data = blob.encode("utf-8") if isinstance(blob, str) else blob
        self.members.append((pack_uri.membername, data))
