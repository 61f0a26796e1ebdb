"""State a long-running process cannot live with: caches across builds, frozen objects in the
caller, and forks from a process that has threads."""

from __future__ import annotations

import datetime as dt
import gc
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pptx import Presentation

from etikkverksted.build.batch import Job, pool_context, run_batch
from etikkverksted.build.parallel import CAN_FORK, beside, single_threaded
from etikkverksted.content import Library, WorkshopSpec, load_library
from etikkverksted.resources import library_dir

EXTRA_ID = "frigjort-tid-kopi"
EXTRA_TITLE = "Ekstra dilemma berre i eit anna bibliotek"


@pytest.fixture(scope="module")
def extra_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library folder with one dilemma the packaged library does not have."""
    folder = tmp_path_factory.mktemp("extra")
    text = (library_dir() / "01-frigjort-tid.yaml").read_text(encoding="utf-8")
    text = text.replace("id: frigjort-tid", f"id: {EXTRA_ID}", 1)
    text = re.sub(r'(title:\n\s+nb: )"[^"]*"', rf'\1"{EXTRA_TITLE}"', text, count=1)
    assert EXTRA_TITLE in text
    (folder / "99-kopi.yaml").write_text(text, encoding="utf-8")
    return folder


def _job(name: str, **extra: object) -> Job:
    spec = WorkshopSpec(agency="Direktoratet for prøving", date=dt.date(2027, 2, 1),
                        audience="leaders", maturity=2, language="nb", duration_minutes=90,
                        **extra)
    return Job(spec, "test", name)


def _deck_text(folder: Path) -> str:
    deck = next(folder.glob("*.pptx"))
    return "\n".join(shape.text_frame.text for slide in Presentation(str(deck)).slides
                     for shape in slide.shapes if shape.has_text_frame)


@pytest.mark.parametrize("jobs_n", [1, 2])
def test_two_batches_in_one_process_use_each_its_own_library(
        tmp_path: Path, extra_library: Path, jobs_n: int) -> None:
    """The second call used to reuse the first call's library (``batch._LIBRARY``)."""
    first = run_batch([_job("a"), _job("b")], tmp_path / "first", jobs_n=jobs_n, check=False)
    assert all(r.error is None for r in first), [r.error for r in first]
    assert EXTRA_TITLE not in _deck_text(tmp_path / "first" / "a")
    wanted = [_job(n, dilemmas=[EXTRA_ID]) for n in ("a", "b")]
    second = run_batch(wanted, tmp_path / "second", libraries=(str(extra_library),),
                       jobs_n=jobs_n, check=False)
    assert all(r.error is None for r in second), [r.error for r in second]
    assert EXTRA_TITLE in _deck_text(tmp_path / "second" / "a")
    assert second[0].dilemma_ids == [EXTRA_ID]
    # And back: a third call without the folder does not see the extra dilemma.
    third = run_batch(wanted[:1], tmp_path / "third", jobs_n=1, check=False)
    assert third[0].error is not None and EXTRA_ID in third[0].error


def test_an_explicit_library_is_used_as_given(tmp_path: Path, library: Library,
                                              extra_library: Path) -> None:
    other = load_library([extra_library])
    results = run_batch([_job("x", dilemmas=[EXTRA_ID])], tmp_path, library=other,
                        jobs_n=1, check=False)
    assert results[0].error is None
    assert EXTRA_TITLE in _deck_text(tmp_path / "x")
    assert EXTRA_ID not in library.dilemmas  # the session's library is intact


def test_the_caller_freezes_nothing(tmp_path: Path, library: Library) -> None:
    before = gc.get_freeze_count()
    run_batch([_job("a"), _job("b")], tmp_path / "serial", library=library, jobs_n=1,
              check=False)
    run_batch([_job("a"), _job("b")], tmp_path / "pool", library=library, jobs_n=2,
              check=False)
    assert gc.get_freeze_count() == before


@pytest.fixture
def a_thread() -> Iterator[None]:
    """Another thread in this process for the duration of the test (as in a web server)."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.mark.skipif(not CAN_FORK, reason="fork is used on Linux only")
def test_beside_forks_only_in_a_single_threaded_process(a_thread: None) -> None:
    assert not single_threaded()
    with beside(os.getpid) as call:
        assert call.result() == os.getpid()  # ran here, in turn: no fork with threads


@pytest.mark.skipif(not CAN_FORK, reason="fork is used on Linux only")
def test_beside_forks_when_the_process_has_one_thread() -> None:
    if not single_threaded():
        pytest.skip("the test runner has threads of its own")
    with beside(os.getpid) as call:
        assert call.result() != os.getpid()


def test_a_batch_never_forks_a_threaded_process(a_thread: None) -> None:
    assert pool_context("fork").get_start_method() != "fork"
    assert pool_context(None).get_start_method() != "fork"


def test_the_default_pool_is_safe_in_a_threaded_host() -> None:
    assert pool_context(None).get_start_method() == "spawn"


def test_no_copy_of_the_library_is_left_in_the_batch_module() -> None:
    import etikkverksted.build.batch as batch

    assert not hasattr(batch, "_LIBRARY")
    assert batch._worker_library is None  # set in pool workers only


def test_a_library_folder_that_changes_between_batches_is_read_again(
        tmp_path: Path, extra_library: Path) -> None:
    folder = tmp_path / "lib"
    shutil.copytree(extra_library, folder)
    run_batch([_job("a", dilemmas=[EXTRA_ID])], tmp_path / "one",
              libraries=(str(folder),), jobs_n=1, check=False)
    path = folder / "99-kopi.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(EXTRA_TITLE, "Ny tittel"),
                    encoding="utf-8")
    run_batch([_job("a", dilemmas=[EXTRA_ID])], tmp_path / "two",
              libraries=(str(folder),), jobs_n=1, check=False)
    assert "Ny tittel" in _deck_text(tmp_path / "two" / "a")
