"""Builds for the web server: a bounded pool of spawned worker processes.

The server process runs an event loop and threads, so it never forks (a fork of a threaded
process can deadlock). Builds run in a :class:`~concurrent.futures.ProcessPoolExecutor` whose
workers are *spawned*: each starts a fresh interpreter, loads the library and imports the
writers once, and then builds one pack after another. A worker keeps nothing from a build:
every input arrives with the task, every output is written into the request's own temporary
folder, and the per-file template cache is emptied after each build.

Admission is bounded: at most ``workers + queue`` builds are accepted at once; the next one
gets :class:`PoolFull` (the API answers 503 with ``Retry-After``). Each build has a time limit,
enforced inside the worker with a timer signal so that a stuck build frees its worker.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EtikkverkstedError, OutputError, Problem


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


def _init_worker(libraries: tuple[str, ...]) -> None:
    """Load the library once and import both writers, so that each build starts warm."""
    from ..content.loader import load_library
    from ..writers import docx as _docx  # noqa: F401
    from ..writers import pptx as _pptx  # noqa: F401

    _WORKER["library"] = load_library([Path(p) for p in libraries])
    # Ctrl-C goes to the whole process group; the server shuts the pool down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _warm() -> int:
    return os.getpid()


def _on_alarm(signum: int, frame: Any) -> None:
    raise BuildTimeout(Problem("the build took too long and was stopped",
                               "try again without PDF, or with a smaller template"))


def _forget_templates() -> None:
    """Empty the template cache: its keys are this request's paths, which are never reused."""
    from ..ooxml import templates as ooxml

    cached = getattr(ooxml, "_read_template_cached", None)
    if cached is not None:
        cached.cache_clear()


def _timed(fn: Any, timeout: float, *args: Any) -> Any:
    """Run *fn(*args)* with the build time limit."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return fn(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _forget_templates()


def _build(spec_data: dict[str, Any], folder: str, pdf: bool, timeout: float) -> BuildOutput:
    """Build one pack into *folder*/pack; runs in a worker process."""
    from ..content.models import WorkshopSpec
    from ..pack import build_pack, pack_stem

    library = _WORKER["library"]
    spec = WorkshopSpec.model_validate(spec_data)
    out = Path(folder) / "pack"
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        stem = pack_stem(spec, library)
        result = build_pack(spec, library, out, pdf=pdf, stem=stem, check=False, processes=1)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _forget_templates()
    return BuildOutput(stem, [p.name for p in result.files], list(result.warnings))


# -- in the server process --------------------------------------------------------------------

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

    @property
    def capacity(self) -> int:
        return self.workers + self.queue

    @property
    def busy(self) -> int:
        return self._busy

    def start(self) -> None:
        """Start every worker now, so that the first user does not wait for imports."""
        ctx = multiprocessing.get_context("spawn")
        self._executor = ProcessPoolExecutor(self.workers, mp_context=ctx,
                                             initializer=_init_worker,
                                             initargs=(self._libraries,))
        for f in [self._executor.submit(_warm) for _ in range(self.workers)]:
            f.result()

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def pids(self) -> list[int]:
        """Process ids of the workers (for the benchmark's memory figure)."""
        if self._executor is None:
            return []
        return [f.result() for f in [self._executor.submit(_warm)
                                     for _ in range(self.workers * 2)]]

    def submit(self, spec_data: dict[str, Any], folder: Path, pdf: bool) -> Future[BuildOutput]:
        """Queue a build, or raise PoolFull when every slot is taken."""
        return self.run(_build, spec_data, str(folder), pdf, self.timeout)

    def inspect(self, path: Path, kind: str) -> Future[dict[str, Any]]:
        """Queue a template check (see :func:`.uploads.inspect_template`)."""
        from .uploads import inspect_template

        return self.run(_timed, inspect_template, self.timeout, str(path), kind)

    def run(self, fn: Any, *args: Any) -> Future[Any]:
        """Queue *fn(*args)* in a worker, or raise PoolFull when every slot is taken."""
        if self._executor is None:
            raise OutputError(Problem("the build service is not running",
                                      "restart `etikkverksted serve`"))
        with self._lock:
            if self._busy >= self.capacity:
                raise PoolFull()
            self._busy += 1
        try:
            future = self._executor.submit(fn, *args)
        except Exception:
            self._release()
            raise
        future.add_done_callback(lambda _f: self._release())
        return future

    def _release(self) -> None:
        with self._lock:
            self._busy -= 1
