"""The YAML parse cache: same data as parsing, never stale, never in the way."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from etikkverksted.content import load_library, parsecache
from etikkverksted.content.yamlsource import read_yaml
from etikkverksted.errors import LibraryError
from etikkverksted.resources import library_dir


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("ETIKKVERKSTED_CACHE_DIR", str(folder))
    monkeypatch.delenv("ETIKKVERKSTED_CACHE", raising=False)
    parsecache.forget()
    yield folder
    parsecache.forget()


def _dump(library) -> dict:
    return {section: {k: v.model_dump() for k, v in getattr(library, section).items()}
            for section in (*library.SECTIONS, "labels")}


def test_cached_library_equals_parsed_library(cache_dir: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_library()  # parses and fills the cache
    assert parsecache.cache_file().is_file()
    parsecache.forget()
    calls: list[int] = []
    real = parsecache.parsed

    def counting(raw: bytes, parse):  # type: ignore[no-untyped-def]
        def spy():  # type: ignore[no-untyped-def]
            calls.append(1)
            return parse()
        return real(raw, spy)

    monkeypatch.setattr(parsecache, "parsed", counting)
    second = load_library()  # served from the cache file
    assert calls == []
    assert _dump(second) == _dump(first)
    monkeypatch.setenv("ETIKKVERKSTED_CACHE", "0")
    assert _dump(load_library()) == _dump(first)
    assert len(calls) == len(list(library_dir().rglob("*.yaml")))


def test_edited_file_is_parsed_again_even_with_same_size_and_time(cache_dir: Path,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("id: alpha\n", encoding="utf-8")
    stat = path.stat()
    source, _ = read_yaml(path, cache=True)
    assert source is not None and source.data == {"id": "alpha"}
    path.write_text("id: omega\n", encoding="utf-8")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    source, _ = read_yaml(path, cache=True)
    assert source is not None and source.data == {"id": "omega"}


def test_callers_get_their_own_objects(cache_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_text("items: [1, 2]\n", encoding="utf-8")
    a, _ = read_yaml(path, cache=True)
    assert a is not None
    a.data["items"].append(3)
    b, _ = read_yaml(path, cache=True)
    assert b is not None and b.data == {"items": [1, 2]}


def test_corrupt_cache_is_ignored_and_replaced(cache_dir: Path) -> None:
    cache_dir.mkdir(parents=True)
    parsecache.cache_file().write_bytes(b"\x00not marshal data")
    assert len(load_library().dilemmas) >= 13
    parsecache.forget()
    assert parsecache._load_entries()  # rewritten with good entries


def test_unwritable_cache_location_is_ignored(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("ETIKKVERKSTED_CACHE_DIR", str(blocker / "cache"))
    parsecache.forget()
    try:
        assert load_library().dilemmas
    finally:
        parsecache.forget()


def test_broken_yaml_is_reported_not_cached(cache_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "bad.yaml").write_text("dilemmas:\n  - id: x\n    title: 'open\n",
                                     encoding="utf-8")
    for _ in range(2):
        with pytest.raises(LibraryError) as info:
            load_library([folder])
        assert "bad.yaml" in str(info.value) and "not valid YAML" in str(info.value)
    shutil.rmtree(folder)
