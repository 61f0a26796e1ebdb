"""A full disk or an unusable folder leaves no half-written file and no temporary file behind.

Tests run as root, so permissions cannot make a folder unwritable; a path under a regular file
can, and a monkeypatched write that fails half-way with ENOSPC stands in for a full disk.
"""

from __future__ import annotations

import errno
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from etikkverksted.content import Library, WorkshopSpec
from etikkverksted.errors import OutputError
from etikkverksted.output import write_bytes_atomic, write_with

_real_write_bytes = Path.write_bytes


def _disk_full_after(limit: int) -> Callable[[Path, bytes], int]:
    def write_bytes(self: Path, data: bytes) -> int:
        with open(self, "wb") as fh:
            fh.write(bytes(data)[:limit])
            fh.flush()
        raise OSError(errno.ENOSPC, "No space left on device")
    return write_bytes


def _leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part") or p.name.startswith(".")]


def test_full_disk_mid_write_leaves_nothing(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "deck.pptx"
    monkeypatch.setattr(Path, "write_bytes", _disk_full_after(10))
    with pytest.raises(OutputError) as info:
        write_bytes_atomic(target, b"x" * 1000)
    assert "space" in info.value.problems[0].message.lower() or \
        "disk" in info.value.problems[0].fix.lower()
    assert not target.exists()
    assert _leftovers(tmp_path) == []


def test_full_disk_keeps_the_previous_file(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "deck.pptx"
    target.write_bytes(b"old complete file")
    monkeypatch.setattr(Path, "write_bytes", _disk_full_after(3))
    with pytest.raises(OutputError):
        write_bytes_atomic(target, b"new content")
    monkeypatch.setattr(Path, "write_bytes", _real_write_bytes)
    assert target.read_bytes() == b"old complete file"
    assert _leftovers(tmp_path) == []


def test_writer_exception_mid_stream_leaves_nothing(tmp_path: Path) -> None:
    def writer(fh) -> None:  # type: ignore[no-untyped-def]
        fh.write(b"PK\x03\x04 half a zip")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OutputError):
        write_with(tmp_path / "doc.docx", writer)
    assert list(tmp_path.iterdir()) == []


def test_folder_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError) as info:
        write_bytes_atomic(blocker / "sub" / "deck.pptx", b"data")
    assert info.value.problems[0].fix
    assert blocker.read_text() == "not a folder"


def test_build_pack_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                   library: Library,
                                   make_spec: Callable[..., WorkshopSpec]) -> None:
    from etikkverksted.build.pack import build_pack

    calls = {"n": 0}
    full = _disk_full_after(100)

    def third_write_fails(self: Path, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            return full(self, data)
        return _real_write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", third_write_fails)
    out = tmp_path / "pack"
    with pytest.raises(OutputError):
        build_pack(make_spec(), library, out)
    monkeypatch.setattr(Path, "write_bytes", _real_write_bytes)
    assert _leftovers(tmp_path) == []
    written = sorted(out.iterdir()) if out.exists() else []
    for path in written:  # whatever is there is complete (today: nothing, all or none)
        with zipfile.ZipFile(path) as zf:
            assert zf.testzip() is None
    assert calls["n"] >= 3


def test_build_pack_into_a_path_under_a_file(tmp_path: Path, library: Library,
                                             make_spec: Callable[..., WorkshopSpec]) -> None:
    from etikkverksted.build.pack import build_pack

    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(OutputError) as info:
        build_pack(make_spec(), library, blocker / "pack")
    assert len(info.value.problems) == 1
    assert list(tmp_path.iterdir()) == [blocker]
