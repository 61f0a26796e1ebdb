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
marshal is not made for data from others, so the folder must be one only the user can write
to (the default is; the file is created with mode 0600).
"""

from __future__ import annotations

import hashlib
import marshal
import os
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


def _load_entries() -> dict[bytes, bytes]:
    global _entries
    if _entries is None:
        _entries = {}
        try:
            data = marshal.loads(cache_file().read_bytes())
            if isinstance(data, dict):
                _entries = {k: v for k, v in data.items()
                            if isinstance(k, bytes) and isinstance(v, bytes)}
        except (OSError, ValueError, EOFError, TypeError, RuntimeError):
            pass
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
            data = marshal.loads(blob)
        except (ValueError, EOFError, TypeError):
            blob = None
        else:
            entries[key] = blob  # most recently used last
            return data
    data = parse()
    try:
        entries[key] = marshal.dumps(data)
    except ValueError:  # a value marshal cannot store: parse this file every time
        return data
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
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".yaml-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(keep))
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
