"""Zip limits for packages from outside, and the one zip writer for everything we write.

Every zip etikkverksted writes (a deck, a handout, the workbook inside a chart, a batch's
per-pack zip) goes through :func:`write_zip`: fixed member timestamps, file mode and
compression, in the order given, so the same input gives byte-identical files.
:func:`normalize_package` is the rewrite of a package a library has saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import struct
import threading
import zipfile
import zlib
from collections import OrderedDict
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
_PLAIN_ZIP_LIMIT = (1 << 31) - 1
"""Up to this size (zipfile's ZIP64_LIMIT) zipfile writes no zip64 records."""
"""The latest: a zip stores the year as 7 bits from 1980 (struct.error beyond it)."""


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_CENTRAL_HEADER = struct.Struct("<4s4B4HL2L5H2L")
_END_RECORD = struct.Struct("<4s4H2LH")
_SMALL = 2048
"""Members smaller than this are deflated every time (hashing them would cost as much)."""


_RECURRING = re.compile(
    r"(?:word/(?:styles|stylesWithEffects|fontTable|settings|webSettings|numbering)\.xml"
    r"|word/theme/[^/]+\.xml"
    r"|ppt/(?:slideMasters|slideLayouts|notesMasters|handoutMasters|theme)/[^/]+\.xml"
    r"|ppt/(?:presProps|viewProps|tableStyles)\.xml"
    r"|(?:word|ppt)/(?:media|fonts)/[^/]+)")
"""The parts a template brings and every document of it repeats. Only these are kept by
:class:`_DeflateCache`: a slide, a document body, notes, a chart or the properties carry a
user's text and are never written twice, so keeping them would only hold that text in a
long-running process (the web server's workers) after its request."""


def recurs(name: str) -> bool:
    """Whether the package part *name* comes from the template and recurs from file to file
    (styles, theme, masters, layouts, media): the parts worth keeping deflated."""
    return _RECURRING.fullmatch(name) is not None


class _DeflateCache:
    """Deflated template parts by the digest of their content: the styles, theme, masters
    and media of a template recur in every document of every pack. Bounded by the deflated
    bytes kept; only parts :func:`recurs` names are kept."""

    def __init__(self, limit: int = 4 * 1024 * 1024) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()
        self.lock = threading.Lock()

    def deflate(self, name: str, data: bytes) -> tuple[int, bytes]:
        """(CRC-32, raw deflate at level 6) of member *name*'s *data*, as zipfile writes
        it; kept for the next package when *name* is a recurring template part."""
        if len(data) < _SMALL or not recurs(name):
            return _deflate(data)
        key = hashlib.blake2b(data, digest_size=16).digest()
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
                return found
        result = _deflate(data)
        with self.lock:
            if key not in self.entries and len(result[1]) <= self.limit:
                self.entries[key] = result
                self.size += len(result[1])
                while self.size > self.limit:
                    _, (_, old) = self.entries.popitem(last=False)
                    self.size -= len(old)
        return result


    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0


def _deflate(data: bytes) -> tuple[int, bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return zlib.crc32(data), compressor.compress(data) + compressor.flush()


_DEFLATED = _DeflateCache()


def forget_deflated() -> None:
    """Drop every kept template part: a server calls this after a request that used an
    uploaded template, so that nothing of it stays in the process."""
    _DEFLATED.clear()


def write_zip(members: Iterable[tuple[str, bytes]], stamp: dt.datetime,
              stored: Callable[[str], bool] | None = None) -> bytes:
    """A deflated zip of *members* (name, data) in the given order, all stamped *stamp*;
    members for which *stored(name)* is true are stored as they are, never cached (zips
    themselves, such as a .pptx in a web pack, hardly shrink again).

    The bytes are those of :mod:`zipfile` (``ZipInfo`` with the stamp, mode 0644, Unix,
    ``writestr`` at level 6 into a seekable file), written here so that a member seen
    before is not deflated again (see :class:`_DeflateCache`); a package too large for
    plain zip headers goes through :mod:`zipfile` itself.
    """
    stamp = min(max(stamp, _EPOCH_MIN), _EPOCH_MAX)
    members = list(members)
    if len(members) >= 0xFFFF or sum(len(d) for _, d in members) * 1.05 > _PLAIN_ZIP_LIMIT:
        return _write_zip_zipfile(members, stamp, stored)
    dos_date = (stamp.year - 1980) << 9 | stamp.month << 5 | stamp.day
    dos_time = stamp.hour << 11 | stamp.minute << 5 | stamp.second // 2
    out = bytearray()
    central = bytearray()
    for name, data in members:
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), 0x800
        if stored is not None and stored(name):
            method, crc, body = zipfile.ZIP_STORED, zlib.crc32(data), data
        else:
            method = zipfile.ZIP_DEFLATED
            crc, body = _DEFLATED.deflate(name, data)
        offset = len(out)
        out += _LOCAL_HEADER.pack(b"PK\x03\x04", 20, 0, flags, method, dos_time,
                                  dos_date, crc, len(body), len(data), len(encoded), 0)
        out += encoded
        out += body
        central += _CENTRAL_HEADER.pack(b"PK\x01\x02", 20, 3, 20, 0, flags,
                                        method, dos_time, dos_date, crc,
                                        len(body), len(data), len(encoded), 0, 0, 0, 0,
                                        0o644 << 16, offset)
        central += encoded
    start = len(out)
    out += central
    out += _END_RECORD.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(central),
                            start, 0)
    return bytes(out)


def _write_zip_zipfile(members: list[tuple[str, bytes]], stamp: dt.datetime,
                       stored: Callable[[str], bool] | None = None) -> bytes:
    """:func:`write_zip` through :mod:`zipfile` (which adds zip64 records where needed)."""
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, data in members:
            member = zipfile.ZipInfo(name, date_time=date_time)
            member.compress_type = (zipfile.ZIP_STORED if stored is not None and stored(name)
                                    else zipfile.ZIP_DEFLATED)
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
