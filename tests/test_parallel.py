"""The forked worker that renders the deck beside the handouts."""

from __future__ import annotations

import os
import time

import pytest

from etikkverksted.build import parallel
from etikkverksted.errors import OutputError, Problem


def _pid_and(value: int) -> tuple[int, int]:
    return os.getpid(), value * 2


def _fail() -> None:
    raise OutputError(Problem("the disk is full", "free some space", None))


class _Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("cannot cross a pipe")
        self.handle = lambda: None  # lambdas do not pickle

    def __reduce__(self):  # type: ignore[no-untyped-def]
        raise TypeError("no")


def _fail_oddly() -> None:
    raise _Unpicklable()


def _sleep() -> None:
    time.sleep(30)


@pytest.mark.skipif(not parallel.CAN_FORK, reason="fork is only used on Linux")
def test_runs_in_another_process_and_returns_the_value() -> None:
    with parallel.beside(_pid_and, 21) as job:
        pid, value = job.result()
    assert value == 42 and pid != os.getpid()


def test_errors_reach_the_caller_with_their_message() -> None:
    with parallel.beside(_fail) as job, pytest.raises(OutputError, match="the disk is full"):
        job.result()
    with parallel.beside(_fail_oddly) as job, pytest.raises(Exception,
                                                            match="cannot cross a pipe"):
        job.result()


@pytest.mark.skipif(not parallel.CAN_FORK, reason="fork is only used on Linux")
def test_leaving_early_stops_the_child() -> None:
    start = time.monotonic()
    with parallel.beside(_sleep) as job:
        pid = job._pid
    assert time.monotonic() - start < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # already reaped: no process left behind


def test_without_fork_it_runs_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "CAN_FORK", False)
    with parallel.beside(_pid_and, 5) as job:
        assert job.result() == (os.getpid(), 10)


_PREPARED: list[int] = []


def _prepare() -> None:
    _PREPARED.append(os.getpid())


def _prepared_pid_and_length(text: str) -> tuple[int, list[int], int]:
    return os.getpid(), list(_PREPARED), len(text)


def _prepare_badly() -> None:
    raise ImportError("no such writer")


@pytest.mark.skipif(not parallel.CAN_FORK, reason="fork is only used on Linux")
def test_standby_prepares_in_its_child_and_runs_the_call_there() -> None:
    """The child forked early runs *prepare* (not the parent) and then the call it is handed,
    with arguments larger than a pipe holds (a plan is about 100 KB)."""
    with parallel.Standby(_prepare) as standby, \
            standby.run(_prepared_pid_and_length, "x" * 300_000) as job:
        pid, prepared, length = job.result()
    assert pid != os.getpid() and prepared == [pid] and length == 300_000
    assert _PREPARED == []


@pytest.mark.skipif(not parallel.CAN_FORK, reason="fork is only used on Linux")
def test_standby_errors_reach_the_caller_and_a_failed_preparation_is_not_fatal() -> None:
    with parallel.Standby(_prepare_badly) as standby, standby.run(_fail) as job, \
            pytest.raises(OutputError, match="the disk is full"):
        job.result()
    with parallel.Standby(_prepare_badly) as standby, standby.run(_pid_and, 4) as job:
        assert job.result()[1] == 8


@pytest.mark.skipif(not parallel.CAN_FORK, reason="fork is only used on Linux")
def test_standby_never_handed_a_call_leaves_no_process() -> None:
    with parallel.Standby(_prepare) as standby:
        pid = standby._pid
        assert pid
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # already reaped


@pytest.mark.skipif(not parallel.CAN_FORK, reason="fork is only used on Linux")
def test_standby_that_died_is_replaced_by_a_fresh_child() -> None:
    with parallel.Standby(_prepare) as standby:
        os.kill(standby._pid, 9)
        os.waitpid(standby._pid, 0)
        with standby.run(_pid_and, 3) as job:
            pid, value = job.result()
    assert value == 6 and pid != os.getpid()


@pytest.mark.skipif(not parallel.CAN_FORK, reason="fork is only used on Linux")
def test_standby_with_arguments_that_cannot_be_pickled_raises_and_is_stopped() -> None:
    with pytest.raises(Exception), parallel.Standby(_prepare) as standby:  # noqa: B017
        pid = standby._pid
        standby.run(_pid_and, lambda: None)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)


def test_standby_without_fork_runs_the_call_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "CAN_FORK", False)
    with parallel.Standby(_prepare) as standby, standby.run(_pid_and, 5) as job:
        assert job.result() == (os.getpid(), 10)
    assert _PREPARED == []
