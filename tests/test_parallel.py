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
