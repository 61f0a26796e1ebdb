"""The parse cache (issue #18 §3): only the user's own, whole cache is ever believed.

A marshal file in a shared or world-writable folder used to be loaded and its content printed
into every document; a changed entry survived the next rewrite; five corrupt bytes made marshal
allocate gigabytes; ``/dev/zero`` or a FIFO as the cache file was read forever.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from etikkverksted.content import load_library, parsecache
from hostile import run_cli

TITLE = "Frigjort tid"
POISON = "FORGIFTETtid"  # as long as the title's first words, so marshal's lengths still fit


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setenv("ETIKKVERKSTED_CACHE_DIR", str(folder))
    monkeypatch.delenv("ETIKKVERKSTED_CACHE", raising=False)
    parsecache.forget()
    yield folder
    parsecache.forget()


def _title() -> str:
    parsecache.forget()
    return load_library().dilemmas["frigjort-tid"].title.nb


def _poison_in_place(path: Path) -> None:
    data = path.read_bytes()
    assert TITLE.encode() in data
    path.write_bytes(data.replace(TITLE.encode(), POISON.encode()))


def test_a_changed_entry_drops_the_whole_cache_and_does_not_survive(cache_dir: Path) -> None:
    assert _title().startswith(TITLE)  # writes the cache
    cache = parsecache.cache_file()
    _poison_in_place(cache)
    assert _title().startswith(TITLE)
    assert POISON.encode() not in cache.read_bytes(), "the rewrite keeps no changed entry"


@pytest.mark.parametrize("mode", [0o777, 0o775], ids=["world-writable", "group-writable"])
def test_a_cache_in_a_folder_others_may_write_is_not_believed(cache_dir: Path,
                                                              mode: int) -> None:
    assert _title().startswith(TITLE)
    cache = parsecache.cache_file()
    _poison_in_place(cache)
    cache_dir.chmod(mode)
    assert _title().startswith(TITLE)


def test_a_cache_file_others_may_write_is_not_believed(cache_dir: Path) -> None:
    assert _title().startswith(TITLE)
    cache = parsecache.cache_file()
    _poison_in_place(cache)
    cache.chmod(0o666)
    assert _title().startswith(TITLE)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0,
                    reason="giving a file to another user needs root")
def test_a_cache_file_of_another_user_is_not_believed(cache_dir: Path) -> None:
    assert _title().startswith(TITLE)
    cache = parsecache.cache_file()
    _poison_in_place(cache)
    os.chown(cache, 65534, 65534)
    assert _title().startswith(TITLE)


def test_five_corrupt_bytes_cost_no_memory(cache_dir: Path) -> None:
    parsecache.cache_file().write_bytes(b"(\xff\xff\xff\x7f")  # a tuple of 2**31 items
    run = run_cli("validate", env={"ETIKKVERKSTED_CACHE_DIR": str(cache_dir)})
    assert run.returncode == 0, run.output
    assert run.peak < 300 * 1024 * 1024


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs /dev/zero and FIFOs")
@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_a_device_or_fifo_as_the_cache_file(cache_dir: Path, kind: str) -> None:
    cache = parsecache.cache_file()
    if kind == "fifo":
        os.mkfifo(cache)
    else:
        cache.symlink_to("/dev/zero")
    run = run_cli("validate", env={"ETIKKVERKSTED_CACHE_DIR": str(cache_dir)}, timeout=60)
    assert run.returncode == 0, run.output
    assert run.peak < 300 * 1024 * 1024
