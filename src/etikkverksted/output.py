"""Writing output files safely: to a temporary name first, then renamed into place.

An error, a full disk or Ctrl-C halfway through leaves no half-written file under the final
name; the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import os
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
        os.chmod(tmp, 0o644)
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
