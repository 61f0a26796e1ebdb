"""Reading input files that may come from anyone, within fixed limits.

Every file the tool reads on a user's word (a spec, a library file, a CSV, a template, a file
for ``check``) goes through :func:`read_bounded`. It opens the path without blocking, accepts
only a regular file (``/dev/zero``, a FIFO, a socket or a terminal are refused at once instead
of being read until memory runs out or waiting forever), and reads at most *limit* bytes: a
file that is larger, or grows while it is read, is refused.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
          | getattr(os, "O_BINARY", 0))


class UnreadableInput(Exception):
    """*path* cannot be used as an input file; :attr:`reason` says why, :attr:`fix` what to do.

    Callers turn it into their own error (a spec problem, a template error, a finding), so the
    user sees the file named once, with the reason and the fix.
    """

    def __init__(self, path: Path, reason: str, fix: str) -> None:
        self.path, self.reason, self.fix = path, reason, fix
        super().__init__(f"{path}: {reason}")


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    return f"{max(n // 1024, 1)} KB"


def read_bounded(path: Path | str, limit: int, *, what: str = "file") -> bytes:
    """Return the bytes of the regular file at *path*, at most *limit* of them.

    Raises :class:`UnreadableInput` for a missing path, a folder, anything that is not a
    regular file, a file over *limit* bytes, or a read error. Never blocks on a FIFO.
    """
    path = Path(path)
    try:
        fd = os.open(path, _FLAGS)
    except FileNotFoundError:
        raise UnreadableInput(path, f"the {what} does not exist", "check the path") from None
    except IsADirectoryError:
        raise UnreadableInput(path, f"this is a folder, not a {what}",
                              f"give the path of the {what} itself") from None
    except OSError as exc:
        raise UnreadableInput(path, f"cannot read the {what} ({exc.strerror})",
                              "check that it exists and that you may read it") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise UnreadableInput(path, f"this is a folder, not a {what}",
                                  f"give the path of the {what} itself")
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableInput(path, f"this is not a regular file (a device, pipe or "
                                  f"socket) and is not read as a {what}",
                                  f"give the path of an ordinary {what}")
        if info.st_size > limit:
            raise UnreadableInput(path, f"the {what} is {_size(info.st_size)}; at most "
                                  f"{_size(limit)} is read",
                                  "check that this is the right file")
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                chunk = os.read(fd, min(1024 * 1024, limit + 1 - total))
            except BlockingIOError:  # pragma: no cover - regular files never block
                continue
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise UnreadableInput(path, f"the {what} is larger than {_size(limit)} "
                                      "(it grew while it was read)",
                                      "check that this is the right file")
        return b"".join(chunks)
    except OSError as exc:
        raise UnreadableInput(path, f"cannot read the {what} ({exc.strerror})",
                              "check that it exists and that you may read it") from None
    finally:
        os.close(fd)
