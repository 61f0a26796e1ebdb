"""Writing output files safely: to a temporary name first, then renamed into place.

An error, a full disk or Ctrl-C halfway through leaves no half-written file under the final
name; the temporary file is removed. Files get the mode the user's umask allows (as any
program's new files do), not a fixed one.

A folder that a build writes into is locked for the build (:func:`folder_lock`): a second
build into the same folder fails at once with a clear message instead of both writing and
the last one winning. Whoever holds the lock knows that any staging folder left in it
belongs to a build that was killed, and removes it (:func:`remove_stale_staging`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from .errors import OutputError, Problem


def ensure_dir(folder: Path) -> None:
    """Create *folder* (and parents) or raise OutputError that says why and what to do."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(Problem("a file with this name exists where the output folder "
                                  "should be", "choose another output folder", folder)) from None
    except PermissionError:
        raise OutputError(Problem("you may not create the output folder here",
                                  "choose a folder you can write to, e.g. -o ~/etikkverksted",
                                  folder)) from None
    except OSError as exc:
        raise OutputError(Problem(f"cannot create the output folder ({exc.strerror})",
                                  "choose another output folder", folder)) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(Problem("you may not write to the output folder",
                                  "choose a folder you can write to, e.g. -o ~/etikkverksted",
                                  folder))


STAGING_PREFIX = ".etikkverksted-"
"""Name prefix of the staging folders a build renders into before it publishes."""


def file_mode() -> int:
    """The mode of a new output file: ``0o666`` less the process's umask."""
    return 0o666 & ~_umask()


def _umask() -> int:
    # Linux tells the umask without changing it; elsewhere it is set and put back at once.
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on *folder* while the block runs; raise OutputError if another
    process (another ``build`` or ``batch``) holds it.

    The lock is the operating system's (``flock`` on the folder itself), so it goes away with
    the process that held it, even after a kill: there is never a stale lock to remove. Where
    ``flock`` does not exist (Windows) the block runs unlocked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise OutputError(Problem(f"cannot open the output folder ({exc.strerror})",
                                  "choose another output folder", folder)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(Problem(
                "another etikkverksted build is writing into this folder right now",
                "wait until it has finished, or choose another output folder",
                folder)) from None
        except OSError:  # a file system without locks (some network shares): go on
            pass
        yield
    finally:
        os.close(fd)


def remove_stale_staging(folder: Path) -> None:
    """Remove staging folders left in *folder* by builds that were killed.

    Call it only while holding :func:`folder_lock` on *folder*: then no live build owns one.
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(STAGING_PREFIX) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside *path*; on success rename it to *path*, else delete it."""
    path = Path(path)
    ensure_dir(path.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise OutputError(Problem(f"cannot write here ({exc.strerror})",
                                  "choose a folder you can write to", path.parent)) from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(Problem(f"could not write the file ({exc.strerror})",
                                  "check free disk space and permissions", path)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_with(path: Path, writer: Callable[[IO[bytes]], None]) -> None:
    """Call *writer* with a binary file object and put the result at *path* atomically."""
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        writer(fh)
