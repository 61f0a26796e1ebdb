"""Run one function in a forked child while the caller goes on with other work.

``build`` renders the deck in a child and the handouts in the parent, so one meeting's pack
takes about half the time on two cores. A ``ProcessPoolExecutor`` would do it too, but it
imports ``multiprocessing`` and ``concurrent.futures``, starts a feeder thread and pickles the
arguments, about 40 ms that a one-pack build notices. A bare ``fork`` shares the arguments
for free (the child has the parent's memory) and only the result crosses a pipe.

:class:`Standby` forks earlier, before the caller knows the arguments: ``build`` starts the
deck's child before it reads the library, so the child imports python-pptx while the parent
reads and plans; the plan then crosses a pipe once.

A bare fork is safe only in a process with one thread: the child gets a copy of every lock
as it was, and a lock another thread held at that moment is never released in the child (a
deadlock; Python 3.12 warns about it). So :func:`beside` forks only when the process has a
single OS thread at that moment (:func:`single_threaded`), which is true of the CLI and of a
batch worker. In a threaded host (a web server, a caller's thread pool), and where ``fork``
is not available (Windows, macOS's default), it runs the function in the caller when its
result is asked for, which gives the same results in turn.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")

CAN_FORK = sys.platform == "linux" and hasattr(os, "fork")


def single_threaded() -> bool:
    """True when this process has exactly one thread now (so a bare ``fork`` is safe).

    On Linux the kernel's count (``/proc/self/task``) sees threads that C libraries started
    too; elsewhere only Python's own threads can be counted.
    """
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


class Beside(Generic[T]):
    """A call running in a forked child; :meth:`result` waits for it and returns its value.

    Use it as a context manager: leaving the block before asking for the result (an error or
    Ctrl-C in the parent's own work) stops the child and waits for it, so no process is left
    behind.
    """

    def __init__(self, fn: Callable[..., T], *args: Any,
                 child: tuple[int, int] | None = None) -> None:
        """Fork a child for ``fn(*args)`` now; with *child* (pid, result pipe), adopt a
        :class:`Standby` child that was handed the call instead."""
        self._fn, self._args = fn, args
        self._pid = 0
        self._fd = -1
        self._done = False
        self._value: T | None = None
        if child is not None:
            self._pid, self._fd = child
        elif CAN_FORK and single_threaded():
            self._start()

    def _start(self) -> None:
        read_fd, write_fd = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: run, send ("ok", value) or ("error", exception), leave
            os.close(read_fd)
            code = 0
            try:
                payload = _outcome(self._fn, self._args)
                with os.fdopen(write_fd, "wb") as pipe:
                    pipe.write(payload)
            except BaseException:  # nothing may escape a forked child
                code = 1
            finally:
                os._exit(code)  # skip the parent's atexit handlers and buffered output
        os.close(write_fd)
        self._pid, self._fd = pid, read_fd

    def result(self) -> T:
        """Wait for the child and return what the function returned, or raise what it raised."""
        if self._done:
            return self._value  # type: ignore[return-value]
        self._done = True
        if not self._pid:
            self._value = self._fn(*self._args)
            return self._value
        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        self._fd = -1
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not data:
            raise RuntimeError(f"the worker process ended without a result (status {status})")
        kind, value = pickle.loads(data)
        if kind == "error":
            raise value
        self._value = value
        return value

    def stop(self) -> None:
        """Stop the child if it still runs and wait for it."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGTERM)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self._pid = 0

    def __enter__(self) -> Beside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _outcome(fn: Callable[..., Any], args: tuple[Any, ...]) -> bytes:
    try:
        return pickle.dumps(("ok", fn(*args)))
    except Exception as exc:  # sent to the parent, which raises it
        try:
            return pickle.dumps(("error", exc))
        except Exception:  # an exception that cannot be pickled
            return pickle.dumps(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


def beside(fn: Callable[..., T], *args: Any) -> Beside[T]:
    """Start ``fn(*args)`` in a forked child; in a process with threads, or without fork,
    run it later in this process."""
    return Beside(fn, *args)


_CALL_PIPE_BYTES = 1 << 20
"""Linux's default largest pipe (/proc/sys/fs/pipe-max-size) that an unprivileged process
may ask for."""


class Standby:
    """A forked child that gets ready now and runs one call later, beside the caller.

    ``build`` knows it will render a deck before it has read the spec and the library: a
    child forked at that point imports the deck writer (*prepare*) while the parent reads and
    plans, then :meth:`run` hands it the call. Only the call's function and arguments cross
    a pipe (pickled); the result comes back as with :func:`beside`. Where a child cannot be
    forked (threads, no fork), or the child is gone, :meth:`run` falls back to
    :func:`beside`. Use it as a context manager: leaving the block stops a child that was
    never handed a call.
    """

    def __init__(self, prepare: Callable[[], object]) -> None:
        self._pid = 0
        self._call_fd = -1
        self._result_fd = -1
        if CAN_FORK and single_threaded():
            self._start(prepare)

    def _start(self, prepare: Callable[[], object]) -> None:
        import fcntl

        call_read, call_write = os.pipe()
        result_read, result_write = os.pipe()
        # Room for the whole call (a plan is about 100 KB, a pipe holds 64 KB), so that the
        # caller hands it over and goes on while the child may still be preparing.
        with contextlib.suppress(OSError, AttributeError):
            fcntl.fcntl(call_write, fcntl.F_SETPIPE_SZ, _CALL_PIPE_BYTES)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: prepare, wait for the call, run it, send its outcome
            os.close(call_write)
            os.close(result_read)
            code = 0
            try:
                # A failing preparation is the call's to meet and report.
                with contextlib.suppress(Exception):
                    prepare()
                with os.fdopen(call_read, "rb") as pipe:
                    data = pipe.read()
                if data:  # nothing: the parent stopped without a call
                    fn, args = pickle.loads(data)
                    payload = _outcome(fn, args)
                    with os.fdopen(result_write, "wb") as pipe:
                        pipe.write(payload)
            except BaseException:  # nothing may escape a forked child
                code = 1
            finally:
                os._exit(code)
        os.close(call_read)
        os.close(result_write)
        self._pid, self._call_fd, self._result_fd = pid, call_write, result_read

    def run(self, fn: Callable[..., T], *args: Any) -> Beside[T]:
        """Run ``fn(*args)`` in the waiting child (once); see :class:`Beside` for the result."""
        if self._pid:
            data = pickle.dumps((fn, args))  # what cannot be pickled raises; stop() ends the child
            pid, call_fd, result_fd = self._pid, self._call_fd, self._result_fd
            self._pid, self._call_fd, self._result_fd = 0, -1, -1
            try:
                with os.fdopen(call_fd, "wb") as pipe:
                    pipe.write(data)
            except OSError:  # the child is gone: stop what is left, fork anew below
                _reap(pid, result_fd)
            else:
                return Beside(fn, *args, child=(pid, result_fd))
        return beside(fn, *args)

    def stop(self) -> None:
        """Stop the child if it was never handed a call, and wait for it."""
        if self._call_fd >= 0:
            os.close(self._call_fd)
            self._call_fd = -1
        if self._pid:
            _reap(self._pid, self._result_fd)
            self._pid, self._result_fd = 0, -1

    def __enter__(self) -> Standby:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _reap(pid: int, fd: int) -> None:
    """Close *fd* (if open), end child *pid* and wait for it."""
    if fd >= 0:
        os.close(fd)
    try:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
