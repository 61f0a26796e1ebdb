"""Builds for the web server: a bounded pool of spawned worker processes.

The server process runs an event loop and threads, so it never forks (a fork of a threaded
process can deadlock). Builds run in a :class:`~concurrent.futures.ProcessPoolExecutor` whose
workers are *spawned*: each starts a fresh interpreter, loads the library and imports the
writers once, and then builds one pack after another. A worker keeps nothing from a build:
every input arrives with the task, every output is written into the request's own temporary
folder, and the per-file template cache is emptied after each task that read an uploaded
template (the packaged default templates stay cached: their entries are keyed by path, size
and modification time, and they are read for every pack).

Memory: a worker imports only the writers (not the web app), freezes what it loaded
(``gc.freeze()``: the library is never garbage, so collections need not walk it), and after
each task a thread of the worker collects the task's reference cycles and hands freed heap
back to the system (:func:`~etikkverksted.build.batch.release_memory`) while the result
travels back. Without that a worker grew from ~60 to ~180 MiB under load.

Admission is bounded: at most ``workers + queue`` builds are accepted at once; the next one
gets :class:`PoolFull` (the API answers 503 with ``Retry-After``). Each build has a time limit,
enforced inside the worker with a timer signal so that a stuck build frees its worker.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EtikkverkstedError, OutputError, Problem
from .uploads import inspect_template


class PoolFull(Exception):
    """Every build slot is taken; try again in a moment."""


class BuildTimeout(EtikkverkstedError):
    """A build took longer than the server allows."""


@dataclass
class BuildOutput:
    """What a worker wrote: file names inside the request's folder, and warnings."""

    stem: str
    files: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# -- inside a worker process ------------------------------------------------------------------

_WORKER: dict[str, Any] = {}
_TIDY = threading.Event()


def _init_worker(libraries: tuple[str, ...], server: int) -> None:
    """Load the library once and import both writers, so that each build starts warm."""
    _watch_parent(server)
    from ..content.loader import load_library
    from ..writers import docx as _docx  # noqa: F401
    from ..writers import pptx as _pptx  # noqa: F401

    _WORKER["library"] = load_library([Path(p) for p in libraries])
    # Ctrl-C goes to the whole process group; the server shuts the pool down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # What is loaded now lives as long as the worker: keep it out of every collection.
    gc.collect()
    gc.freeze()
    threading.Thread(target=_tidy, name="tidy", daemon=True).start()


def _tidy() -> None:
    """After each task: free its documents and return the heap (off the task's own time)."""
    from ..build.batch import release_memory

    while True:
        _TIDY.wait()
        _TIDY.clear()
        release_memory()


def _watch_parent(parent: int) -> None:
    """Exit when the server is gone (killed without shutting the pool down).

    PR_SET_PDEATHSIG would fire when the *thread* that started this worker ends, and the
    executor starts workers from whichever thread submits: so the worker looks itself.
    """

    if os.getppid() != parent:
        os._exit(0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="watch-server", daemon=True).start()


def _warm() -> int:
    return os.getpid()


def _on_alarm(signum: int, frame: Any) -> None:
    raise BuildTimeout(Problem("the build took too long and was stopped",
                               "try again without PDF, or with a smaller template"))


def _forget_templates() -> None:
    """Empty the template caches, so that no uploaded template outlives its request: the
    checked bytes (keyed by this request's paths, never reused), the Word writer's prepared
    templates and the zip writer's deflated template parts (both keyed by content)."""
    from ..ooxml import templates as ooxml
    from ..ooxml.zipfiles import forget_deflated

    cached = getattr(ooxml, "_read_template_cached", None)
    if cached is not None:
        cached.cache_clear()
    forget_deflated()
    document = sys.modules.get("etikkverksted.writers.docx.document")
    if document is not None:
        document.forget_prepared_templates()


def _reads_uploads(fn: Any, args: tuple[Any, ...]) -> bool:
    """Whether the task *fn(*args)* may have read an uploaded template: all but a render
    with the packaged templates only."""
    if fn is render_jobs:
        return any(template is not None for _kind, _path, template in args[1])
    return True


def _timed(fn: Any, timeout: float, *args: Any) -> Any:
    """Run *fn(*args)* with the build time limit."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if _reads_uploads(fn, args):
            _forget_templates()
        _TIDY.set()


def build_whole(spec_data: dict[str, Any], folder: str, pdf: bool) -> BuildOutput:
    """Build one pack with :func:`etikkverksted.build.pack.build_pack` into *folder*/pack, in one
    worker (the follow-up pack of the "after the workshop" page uses this)."""
    from ..build.pack import build_pack, pack_stem
    from ..content.models import WorkshopSpec

    library = _WORKER["library"]
    spec = WorkshopSpec.model_validate(spec_data)
    stem = pack_stem(spec, library)
    result = build_pack(spec, library, Path(folder) / "pack", pdf=pdf, stem=stem, check=False,
                        processes=1)
    return BuildOutput(stem, [p.name for p in result.files
                              if p.parent == Path(folder) / "pack"], list(result.warnings))


def render_jobs(plan: Any, jobs: list[tuple[str, str, str | None]]
                ) -> list[tuple[str, float]]:
    """Render each (kind, path, template) of one pack; runs in a worker. Returns each file's
    name and the CPU seconds it took (:class:`RenderCosts` learns from them).

    A pack is split over two workers (see :meth:`RenderCosts.split`), as the CLI splits it
    over two processes: one meeting's pack is ready in about half the time.
    """
    done = []
    for kind, path, template in jobs:
        start = time.thread_time()  # this thread only: the tidy thread may run meanwhile
        if kind == "deck":
            from ..writers.pptx import render_pptx

            render_pptx(plan, path, template=template)
        else:
            from ..writers.docx import render_docx

            render_docx(plan, kind, path, template=template)
        done.append((Path(path).name, time.thread_time() - start))
    return done


def to_pdf(files: list[str], folder: str) -> list[str]:
    """PDFs of *files* into *folder* with LibreOffice; runs in a worker."""
    from ..build.pack import INSTALL_LIBREOFFICE, convert_to_pdf, find_soffice

    soffice = find_soffice()
    if soffice is None:
        raise OutputError(Problem("PDF needs LibreOffice, which is not installed",
                                  INSTALL_LIBREOFFICE))
    return [p.name for p in convert_to_pdf([Path(f) for f in files], Path(folder), soffice)]


# -- in the server process --------------------------------------------------------------------

_START_COSTS = {"deck": 0.33, "participant": 0.10, "facilitator": 0.11, "minutes": 0.09,
                "cards": 0.035}
"""CPU seconds per file on the example plan (2026-11-30), before any build has been seen."""


class RenderCosts:
    """What each file of a pack costs to render, learnt from the builds, to split a pack's
    files over two workers so that both finish at about the same time.

    The writers change (and an agency template changes them again), so a fixed split goes
    out of balance; this keeps a moving average of the CPU seconds per kind of file, starting
    from figures measured on the example plan. It only decides which worker renders which
    file: the files are the same either way.
    """

    WEIGHT = 0.2

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seconds = dict(_START_COSTS)

    def observe(self, kind: str, seconds: float) -> None:
        with self._lock:
            old = self._seconds.get(kind)
            self._seconds[kind] = seconds if old is None else (
                old + self.WEIGHT * (seconds - old))

    def split(self, kinds: list[str], parts: int = 2) -> list[list[str]]:
        """*kinds* in at most *parts* groups of about equal cost (longest first, each into
        the group that is done soonest), each group in the order of *kinds*."""
        with self._lock:
            cost = {k: self._seconds.get(k, max(self._seconds.values())) for k in kinds}
        groups: list[list[str]] = [[] for _ in range(max(1, min(parts, len(kinds))))]
        loads = [0.0] * len(groups)
        for kind in sorted(kinds, key=lambda k: -cost[k]):
            i = loads.index(min(loads))
            groups[i].append(kind)
            loads[i] += cost[kind]
        order = {k: n for n, k in enumerate(kinds)}
        return [sorted(g, key=order.__getitem__) for g in groups if g]


class BuildPool:
    """A bounded pool of spawned workers that build packs."""

    def __init__(self, libraries: tuple[Path, ...] = (), workers: int | None = None,
                 queue: int | None = None, timeout: float = 120.0) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.queue = self.workers * 3 if queue is None else queue
        self.timeout = timeout
        self._libraries = tuple(str(Path(p).resolve()) for p in libraries)
        self._lock = threading.Lock()
        self._busy = 0
        self._executor: ProcessPoolExecutor | None = None
        self.costs = RenderCosts()

    @property
    def capacity(self) -> int:
        return self.workers + self.queue

    @property
    def busy(self) -> int:
        return self._busy

    def start(self) -> None:
        """Start every worker now, so that the first user does not wait for imports."""
        self._executor = self._new_executor()
        for f in [self._executor.submit(_warm) for _ in range(self.workers)]:
            f.result()

    def _new_executor(self) -> ProcessPoolExecutor:
        ctx = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(self._libraries, os.getpid()))

    def _replace(self, broken: ProcessPoolExecutor) -> None:
        """A worker died (killed, out of memory): the executor is broken for good, so the
        requests that were running on it fail and a fresh one takes the next."""
        with self._lock:
            if self._executor is not broken:
                return
            self._executor = self._new_executor()
        broken.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def ticket(self) -> Ticket:
        """One slot for one request's tasks, or PoolFull when every slot is taken."""
        if self._executor is None:
            raise OutputError(Problem("the build service is not running",
                                      "restart `etikkverksted serve`"))
        with self._lock:
            if self._busy >= self.capacity:
                raise PoolFull()
            self._busy += 1
        return Ticket(self)

    def submit(self, spec_data: dict[str, Any], folder: Path, pdf: bool) -> Future[BuildOutput]:
        """Queue a whole build (:func:`build_whole`) in its own slot."""
        return self.run(build_whole, spec_data, str(folder), pdf)

    def inspect(self, path: Path, kind: str) -> Future[dict[str, Any]]:
        """Queue a template check (see :func:`.uploads.inspect_template`) in its own slot."""
        ticket = self.ticket()
        try:
            return ticket.run(inspect_template, str(path), kind)
        finally:
            ticket.close()

    def run(self, fn: Any, *args: Any) -> Future[Any]:
        """Queue *fn(*args)* with the time limit in its own slot (PoolFull when none is free)."""
        ticket = self.ticket()
        try:
            return ticket.run(fn, *args)
        finally:
            ticket.close()

    def _submit(self, fn: Any, *args: Any) -> Future[Any]:
        executor = self._executor
        assert executor is not None
        try:
            future = executor.submit(_timed, fn, self.timeout, *args)
        except BrokenProcessPool:
            self._replace(executor)
            executor = self._executor
            assert executor is not None
            future = executor.submit(_timed, fn, self.timeout, *args)

        def check(done: Future[Any]) -> None:
            if not done.cancelled() and isinstance(done.exception(), BrokenProcessPool):
                self._replace(executor)

        future.add_done_callback(check)
        return future

    def _release(self) -> None:
        with self._lock:
            self._busy -= 1


class Ticket:
    """The slot of one request: every task it runs counts against it until all have ended.

    ``close()`` gives the slot back once the last task has ended (at once if none is
    running), and then calls *cleanup*: a client that goes away mid-build does not free its
    slot, nor remove its folder, while a worker still writes into it.
    """

    def __init__(self, pool: BuildPool) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self._pending: list[Future[Any]] = []
        self._closed = False
        self._cleanup: list[Any] = []

    def run(self, fn: Any, *args: Any) -> Future[Any]:
        future = self._pool._submit(fn, *args)
        with self._lock:
            self._pending.append(future)
        future.add_done_callback(self._done)
        return future

    def close(self, cleanup: Any = None, cancel: bool = False) -> None:
        """No more tasks; with *cancel*, drop those that have not started yet."""
        with self._lock:
            self._closed = True
            if cleanup is not None:
                self._cleanup.append(cleanup)
            pending = list(self._pending)
        if cancel:
            for future in pending:
                future.cancel()  # runs _done at once for each one cancelled
        with self._lock:
            idle = all(f.done() for f in self._pending)
        if idle:
            self._finish()

    def _done(self, _future: Future[Any]) -> None:
        with self._lock:
            idle = self._closed and all(f.done() for f in self._pending)
        if idle:
            self._finish()

    def _finish(self) -> None:
        with self._lock:
            if self._pool is None:
                return
            pool, self._pool = self._pool, None  # type: ignore[assignment]
            cleanup, self._cleanup = self._cleanup, []
        pool._release()
        for action in cleanup:
            action()
