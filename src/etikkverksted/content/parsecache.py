"""A cache of parsed YAML, so that each run does not parse the same unchanged files again.

Reading the library means parsing about 25 files (430 KB) on every command; PyYAML's C
parser still builds every node and value in Python, which costs about 50 ms a run. The parsed
data of a file depends only on its bytes, so the cache is keyed by a BLAKE2 digest of the bytes:
an edited file is never served stale, whatever its modification time says, and the same file
in two folders shares one entry. Values are stored as :mod:`marshal` data (plain dicts, lists,
strings and numbers, which is all the loader produces); marshal's format belongs to the Python
version, so the cache file is named after it and after the tool version.

The cache is only an optimisation. It lives in the user's cache folder
(``$XDG_CACHE_HOME/etikkverksted``, ``~/.cache/etikkverksted``, or
``%LOCALAPPDATA%\\etikkverksted``), or in ``$ETIKKVERKSTED_CACHE_DIR``;
``ETIKKVERKSTED_CACHE=0`` turns it off. A cache that is missing, unreadable, corrupt or cannot
be written is ignored without a word: the files are then parsed as if there were no cache.
marshal is not made for data from others, so the cache is used only from a folder that this
user owns and nobody else may write to, from a regular file of the user's that nobody else may
write to (mode 0600 when it is written), within a size limit. The file carries a digest of its
whole payload, checked before marshal reads it, and each entry a digest of its data; any error
drops the whole cache, which the next run writes anew.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_ENTRIES = 400
"""Entries kept; the oldest unused ones go first (about 15 per edit of the library)."""

_entries: dict[bytes, bytes] | None = None
_dirty = False


def enabled() -> bool:
    return os.environ.get("ETIKKVERKSTED_CACHE", "1").strip().lower() not in ("0", "off", "no",
                                                                              "false")


def cache_file() -> Path:
    """Where the cache of this Python and tool version is stored."""
    from .. import __version__

    folder = os.environ.get("ETIKKVERKSTED_CACHE_DIR")
    if folder:
        base = Path(folder)
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") \
            / "etikkverksted"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "etikkverksted"
    version = f"{sys.implementation.cache_tag}-{__version__}"
    return base / f"yaml-{version}.marshal"


MAX_CACHE_BYTES = 32 * 1024 * 1024
"""A cache file larger than this is not read (400 entries of the library are about 2 MB)."""
_MAGIC = b"etikkverksted-yaml-cache-2\n"
_DIGEST = 32


def _trusted_folder(folder: Path) -> bool:
    """Whether *folder* is one only this user can write to (always true on Windows)."""
    if not hasattr(os, "getuid"):
        return True
    try:
        info = os.stat(folder)
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _read_file(path: Path) -> bytes | None:
    """The cache file's bytes if it is a regular file of this user's, writable by nobody
    else, within :data:`MAX_CACHE_BYTES`; else None. Never blocks, never follows a link."""
    if not _trusted_folder(path.parent):
        return None
    flags = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
             | getattr(os, "O_BINARY", 0))
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return None
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
            return None
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_CACHE_BYTES + 1)
        return data if len(data) <= MAX_CACHE_BYTES else None
    except OSError:
        return None
    finally:
        os.close(fd)


def _decode(data: bytes) -> dict[bytes, bytes] | None:
    """The entries in a cache file, or None unless it is whole and as this tool wrote it.

    The file carries a digest of its payload, checked before marshal reads a byte of it:
    marshal trusts its input, and five corrupt bytes could make it allocate gigabytes.
    Each entry carries the digest of its own data too, so a changed entry is caught.
    """
    if not data.startswith(_MAGIC):
        return None
    digest, payload = data[len(_MAGIC):len(_MAGIC) + _DIGEST], data[len(_MAGIC) + _DIGEST:]
    if hashlib.blake2b(payload, digest_size=_DIGEST).digest() != digest:
        return None
    try:
        entries = marshal.loads(payload)
    except (ValueError, EOFError, TypeError, RuntimeError, MemoryError):
        return None
    if not isinstance(entries, dict):
        return None
    for key, value in entries.items():
        if not (isinstance(key, bytes) and isinstance(value, bytes) and len(value) > 16
                and hashlib.blake2b(value[16:], digest_size=16).digest() == value[:16]):
            return None  # one bad entry: the whole cache goes
    return entries


def _encode(entries: dict[bytes, bytes]) -> bytes:
    payload = marshal.dumps(entries)
    return _MAGIC + hashlib.blake2b(payload, digest_size=_DIGEST).digest() + payload


def _load_entries() -> dict[bytes, bytes]:
    global _entries, _dirty
    if _entries is None:
        data = _read_file(cache_file())
        entries = _decode(data) if data is not None else None
        if entries is None:
            _entries, _dirty = {}, data is not None  # a bad file is replaced, not kept
        else:
            _entries = entries
    return _entries


def parsed(raw: bytes, parse: Callable[[], Any]) -> Any:
    """Return the data of the file with bytes *raw*: from the cache, or from ``parse()``.

    Every call returns new objects, so a caller may change what it gets. Errors raised by
    *parse* pass through and nothing is stored for that file.
    """
    global _dirty
    if not enabled():
        return parse()
    entries = _load_entries()
    key = hashlib.blake2b(raw, digest_size=16).digest()
    blob = entries.pop(key, None)
    if blob is not None:
        try:
            data = marshal.loads(blob[16:])
        except (ValueError, EOFError, TypeError):
            blob = None
        else:
            entries[key] = blob  # most recently used last
            return data
    data = parse()
    try:
        value = marshal.dumps(data)
    except ValueError:  # a value marshal cannot store: parse this file every time
        return data
    entries[key] = hashlib.blake2b(value, digest_size=16).digest() + value
    _dirty = True
    return data


def save() -> None:
    """Write the cache if anything was added since it was read; never raises."""
    global _dirty
    if not _dirty or _entries is None or not enabled():
        return
    _dirty = False
    keep = dict(list(_entries.items())[-MAX_ENTRIES:])
    path = cache_file()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted_folder(path.parent):
            return  # a folder others may write to is not used (see the module's docstring)
        fd, tmp = tempfile.mkstemp(prefix=".yaml-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(_encode(keep))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def forget() -> None:
    """Drop what this process holds in memory (tests use it after changing the folder)."""
    global _entries, _dirty
    _entries, _dirty = None, False
