"""Zip limits for packages from outside, and the one zip writer for everything we write.

Every zip etikkverksted writes (a deck, a handout, the workbook inside a chart, a batch's
per-pack zip) goes through :func:`write_zip`: fixed member timestamps, file mode and
compression, in the order given, so the same input gives byte-identical files.
:func:`normalize_package` is the rewrite of a package a library has saved.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable

from .properties import mark_application

MAX_TEMPLATE_BYTES = 50 * 1024 * 1024
"""The largest template (and the largest file the checker opens) in bytes."""
MAX_MEMBERS = 2000
"""The most members a package from outside may have."""
MAX_UNCOMPRESSED = 200 * 1024 * 1024
"""The most bytes a package from outside may unpack to."""
MAX_XML_PART = 8 * 1024 * 1024
"""The largest XML part of a package from outside that is parsed. An XML parser holds a
tree several times the size of its text: 8 MiB of dense markup stays well under 300 MiB,
and the largest part of a real template or handout is a few hundred KB."""
MAX_PART = MAX_TEMPLATE_BYTES
"""The largest other part (a picture, a font) of a package from outside."""
MAX_RATIO = 200
"""The highest compression ratio a member over 1 MiB may have before it counts as a bomb."""

_EPOCH_MIN = dt.datetime(1980, 1, 1)
"""The earliest time a zip member can carry."""
_EPOCH_MAX = dt.datetime(2107, 12, 31, 23, 59, 58)
"""The latest: a zip stores the year as 7 bits from 1980 (struct.error beyond it)."""


def write_zip(members: Iterable[tuple[str, bytes]], stamp: dt.datetime) -> bytes:
    """A deflated zip of *members* (name, data) in the given order, all stamped *stamp*."""
    stamp = min(max(stamp, _EPOCH_MIN), _EPOCH_MAX)
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in members:
            member = zipfile.ZipInfo(name, date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            member.create_system = 3
            dst.writestr(member, data, compresslevel=6)
    return out.getvalue()


def normalize_members(members: Iterable[tuple[str, bytes]], stamp: dt.datetime) -> bytes:
    """:func:`normalize_package` for the (name, bytes) members a library would have zipped,
    in its order: the same bytes without deflating and inflating them once more."""
    listed = sorted(members, key=lambda m: m[0] != "[Content_Types].xml")
    return write_zip(((name, mark_application(data) if name == "docProps/app.xml" else data)
                      for name, data in listed), stamp)


def normalize_package(data: bytes, stamp: dt.datetime,
                      edit: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """Rewrite a saved package through :func:`write_zip`, optionally editing its parts.

    ``[Content_Types].xml`` goes first, as Office expects; everything else keeps the order
    the library wrote, which is deterministic for the same input. ``docProps/app.xml`` names
    etikkverksted as the application. *edit* gets each part's name and bytes and returns the
    bytes to write.
    """
    src = zipfile.ZipFile(io.BytesIO(data))
    infos = sorted(src.infolist(), key=lambda i: i.filename != "[Content_Types].xml")

    def members() -> Iterable[tuple[str, bytes]]:
        for info in infos:
            part = src.read(info)
            if info.filename == "docProps/app.xml":
                part = mark_application(part)
            yield info.filename, edit(info.filename, part) if edit else part

    return write_zip(members(), stamp)
