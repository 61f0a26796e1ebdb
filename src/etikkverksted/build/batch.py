"""Many packs at once: DFD's standard packs, a folder of specs, or a CSV of agencies.

Packs are built in worker processes (each loads the library once). A failing pack does not
stop the others; every failure is listed at the end. The run writes ``manifest.json``
(inputs, files, sizes, SHA-256, versions) and ``index.html`` for the people who download the
packs.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import html
import io
import json
import os
import platform
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from importlib import metadata
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from .. import __version__
from ..content.library import Library
from ..content.models import AUDIENCES, LANGS, WorkshopSpec
from ..content.validation import problems_from_validation
from ..errors import EtikkverkstedError, OutputError, Problem, SpecError
from ..ooxml.zipfiles import write_zip
from ..output import (
    ensure_dir,
    folder_lock,
    remove_stale_staging,
    write_bytes_atomic,
    write_text_atomic,
)
from ..safeio import UnreadableInput, read_bounded
from .parallel import single_threaded

CSV_COLUMNS = ("agency", "audience", "maturity", "language", "duration_minutes", "date",
               "format", "start_time", "facilitator", "dilemmas", "template", "docx_template")
MAX_CSV_BYTES = 16 * 1024 * 1024
"""A CSV of agencies larger than this is a mistake (5000 rows are about 1 MB)."""
CSV_ALIASES = {"duration": "duration_minutes", "lang": "language", "trinn": "maturity"}


@dataclass(frozen=True)
class Job:
    """One pack to build: its spec, where it came from, and its folder name."""

    spec: WorkshopSpec
    origin: str
    name: str


@dataclass
class JobResult:
    job: Job
    files: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None
    findings: int = 0
    title: str = ""
    subtitle: str = ""
    dilemmas: list[str] = field(default_factory=list)
    dilemma_ids: list[str] = field(default_factory=list)


def standard_jobs(date: dt.date, duration: int, library: Library) -> list[Job]:
    """DFD's standard packs: every audience x trinn 1-4 x written standard (24)."""
    from .pack import safe_name

    jobs = []
    for audience in AUDIENCES:
        for trinn in (1, 2, 3, 4):
            for lang in LANGS:
                try:
                    spec = WorkshopSpec(agency=library.label("batch_standard_agency", lang),
                                        date=date, audience=audience, maturity=trinn,
                                        language=lang, duration_minutes=duration)
                except ValidationError as exc:
                    raise SpecError([Problem(p.message, p.fix, field=f"--{p.field}")
                                     for p in problems_from_validation(exc, None)]) from None
                name = library.audiences[audience].name.get(lang)
                jobs.append(Job(spec, "standard", f"{safe_name(name)}-trinn{trinn}-{lang}"))
    return jobs


def jobs_from_path(path: Path, library: Library) -> list[Job]:
    """Jobs from a folder of spec files or from a CSV with one agency per row."""
    from ..content.spec import load_spec
    from .pack import pack_stem

    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
        if not files:
            raise SpecError(Problem("the folder has no .yaml spec files",
                                    "put one spec per meeting in it, or give a CSV", path))
        jobs, problems = [], []
        for f in files:
            try:
                spec = load_spec(f)
            except EtikkverkstedError as exc:
                problems += exc.problems
                continue
            jobs.append(Job(spec, str(f), pack_stem(spec, library)))
        if problems:
            raise SpecError(problems)
        return _unique_names(jobs)
    if path.suffix.lower() == ".csv":
        return _unique_names(jobs_from_csv(path, library))
    raise SpecError(Problem("give a folder of spec files or a .csv file",
                            "see `etikkverksted batch --help`", path))


def jobs_from_csv(path: Path, library: Library) -> list[Job]:
    """One job per CSV row; every problem in every row is reported at once."""
    from .pack import pack_stem

    try:
        raw = read_bounded(path, MAX_CSV_BYTES, what="CSV file")
    except UnreadableInput as exc:
        raise SpecError(Problem(exc.reason, exc.fix, path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError(Problem("the CSV file is not UTF-8",
                                "save it as 'CSV UTF-8' from Excel or LibreOffice", path)) \
            from None
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=csv.excel,
                            delimiter=_delimiter(text))
    header = [CSV_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in
              (reader.fieldnames or [])]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    required = {"agency", "audience", "maturity", "date"}
    problems: list[Problem] = []
    if unknown:
        problems.append(Problem(f"unknown column(s): {', '.join(unknown)}",
                                f"use the columns {', '.join(CSV_COLUMNS)}", path, 1))
    if not required <= set(header):
        problems.append(Problem(
            f"missing column(s): {', '.join(sorted(required - set(header)))}",
            "the first row names the columns: agency,audience,maturity,date,...", path, 1))
    if problems:
        raise SpecError(problems)
    jobs = []
    for row_number, row in enumerate(reader, start=2):
        values = {CSV_ALIASES.get(k.strip().lower(), k.strip().lower()): (v or "").strip()
                  for k, v in row.items() if k is not None}
        data: dict[str, Any] = {k: v for k, v in values.items() if v != ""}
        data.setdefault("language", "nb")
        data.setdefault("duration_minutes", 90)
        if "dilemmas" in data:
            data["dilemmas"] = [d.strip() for d in re.split(r"[\s|]+", data["dilemmas"])
                                if d.strip()]
        for key in ("template", "docx_template"):
            if key in data and not Path(data[key]).is_absolute():
                data[key] = str((path.parent / data[key]).resolve())
        try:
            spec = WorkshopSpec.model_validate(data)
        except ValidationError as exc:
            for p in problems_from_validation(exc, None):
                problems.append(Problem(p.message, p.fix, path, row_number,
                                        f"column {p.field}"))
            continue
        jobs.append(Job(spec, f"{path.name}:{row_number}", pack_stem(spec, library)))
    if problems:
        raise SpecError(problems)
    if not jobs:
        raise SpecError(Problem("the CSV file has no rows", "add one agency per row", path))
    return jobs


def _delimiter(text: str) -> str:
    """The separator Excel used: the one of ``,``, ``;`` and tab found most often in the
    header row outside quotes (Norwegian Excel writes ``;``, English Excel ``,``).

    Everything else is read as Excel writes it (:data:`csv.excel`): quotes around a field,
    a quote inside one doubled. Guessing quoting from the header alone, as ``csv.Sniffer``
    does, misread a doubled quote inside a quoted agency name and silently changed it.
    """
    counts = dict.fromkeys(",;\t", 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(counts, key=lambda c: counts[c])
    return best if counts[best] else ","


def _unique_names(jobs: list[Job]) -> list[Job]:
    seen: dict[str, int] = {}
    out = []
    for job in jobs:
        n = seen.get(job.name, 0) + 1
        seen[job.name] = n
        out.append(job if n == 1 else Job(job.spec, job.origin, f"{job.name}-{n}"))
    return out


# -- workers -----------------------------------------------------------------------------------

StartMethod = Literal["fork", "spawn"]

_worker_library: Library | None = None
"""The library of this pool worker, set by :func:`_init_worker` in the worker only (never in
the process that calls :func:`run_batch`)."""


def _init_worker(library: Library, parent: int) -> None:
    """A pool worker: keep the batch's library, import the writers once, end with the batch.

    A forked worker has the library and the imported modules from its parent for free; a
    spawned worker gets the library pickled once. Everything loaded here lives
    as long as the worker, so it is frozen out of the per-pack collections (and out of
    copy-on-write churn). Ctrl-C in a terminal reaches every process of the group; the batch
    decides what stops.
    """
    import gc
    import signal

    from .. import quality  # noqa: F401
    from ..writers import docx, pptx  # noqa: F401
    from .lifeline import die_with_parent

    global _worker_library
    _worker_library = library
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()


def pool_context(start_method: StartMethod | None) -> BaseContext:
    """The multiprocessing context for a batch's workers.

    ``fork`` is used only when asked for (the CLI asks: it is one thread) and the process
    really has a single thread; forking a process with threads (an ASGI server, a caller's
    thread pool) can deadlock the child on a lock some other thread held. Otherwise
    ``spawn``: each worker starts as a clean interpreter, safe in a threaded host, at the
    cost of importing the writers in each worker (about a second). Not ``forkserver``: its
    workers are children of the fork server, so :func:`.lifeline.die_with_parent`
    could not tie them to the batch.
    """
    import multiprocessing

    if start_method == "fork" and (
            "fork" not in multiprocessing.get_all_start_methods() or not single_threaded()):
        start_method = None
    return multiprocessing.get_context(start_method or "spawn")


def release_memory() -> None:
    """Free the last pack's documents and give the memory back to the system.

    python-docx and python-pptx build large lxml trees held in reference cycles, and glibc
    keeps freed heap for reuse instead of returning it: without this a worker's resident size
    climbed from ~70 to ~220 MiB over a long batch. A full collection plus ``malloc_trim``
    keeps it at about one pack's worth.
    """
    import gc

    # python-pptx/python-docx objects form reference cycles that keep whole documents alive
    # until the next full collection, which may be dozens of packs away.
    gc.collect()
    if sys.platform != "linux":
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (e.g. musl): nothing to do
        pass


def _build_job(job: Job, out: str, force: bool, pdf: bool, zip_it: bool, check: bool,
               library: Library | None = None) -> JobResult:
    """Build one pack with *library*, or in a pool worker with the worker's library."""
    library = library if library is not None else _worker_library
    if library is None:
        raise RuntimeError("_build_job needs a library: pass it, or run it in a batch worker")
    try:
        return _build_job_inner(job, out, force, pdf, zip_it, check, library)
    finally:
        release_memory()


def _build_job_inner(job: Job, out: str, force: bool, pdf: bool, zip_it: bool,
                     check: bool, library: Library) -> JobResult:
    from .pack import build_pack

    result = JobResult(job)
    folder = Path(out) / job.name
    try:
        if folder.is_symlink():
            # A pack folder that is a link to elsewhere is replaced, never written through.
            if not force:
                raise OutputError(Problem("the pack folder is a link to another place",
                                          "remove the link, or use --force to replace it",
                                          folder))
            folder.unlink()
        pack = build_pack(job.spec, library, folder, force=force, pdf=pdf, stem=job.name,
                          check=check)
        result.findings = sum(1 for f in pack.findings if f.severity == "error")
        files = list(pack.files)
        if zip_it:
            files.append(_zip_folder(folder, Path(out) / f"{job.name}.zip", pack.files))
        for f in files:
            data = f.read_bytes()
            result.files.append({"path": f.relative_to(out).as_posix(), "bytes": len(data),
                                 "sha256": hashlib.sha256(data).hexdigest()})
        assert pack.plan is not None
        result.title, result.subtitle = pack.plan.title, pack.plan.subtitle
        result.dilemmas = [d.title for d in pack.plan.dilemmas]
        result.dilemma_ids = [d.id for d in pack.plan.dilemmas]
    except EtikkverkstedError as exc:
        result.error = exc.render()
    except Exception as exc:  # a bug: report it with the pack, keep going with the others
        result.error = f"internal error ({type(exc).__name__}: {exc}); please report it"
    return result


def _zip_folder(folder: Path, target: Path, files: Iterable[Path]) -> Path:
    """One pack's files as ``<folder name>/<file>`` in a zip stamped 1980-01-01 (reproducible)."""
    members = ((f"{folder.name}/{f.name}", f.read_bytes()) for f in sorted(files))
    write_bytes_atomic(target, write_zip(members, dt.datetime(1980, 1, 1)))
    return target


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped a batch; :attr:`results` are the packs finished before it (kept, and
    listed in ``manifest.json`` and ``index.html``)."""

    def __init__(self, results: list[JobResult], total: int) -> None:
        super().__init__()
        self.results, self.total = results, total


def run_batch(jobs: list[Job], out: Path, *, libraries: tuple[str, ...] = (), jobs_n: int = 0,
              force: bool = False, pdf: bool = False, zip_it: bool = False,
              check: bool = True,
              progress: Callable[[JobResult], None] | None = None,
              library: Library | None = None,
              start_method: StartMethod | None = None) -> list[JobResult]:
    """Build every job into ``out/<job name>/``; return results in job order.

    The packs are built from *library*, or else from the library in the folders *libraries*
    (the packaged one when empty), loaded for this call: nothing of one call is kept for the
    next, so two calls with different libraries give packs of their own library.

    With more than one worker (*jobs_n*, default: one per core) the packs are built in a
    pool of processes; *start_method* says how they start (see :func:`pool_context`). The
    default, ``spawn``, is safe in any host, threaded ones included (a web server);
    ``fork`` starts faster and is what the CLI uses, but only in a single-threaded process.

    Ctrl-C stops the workers at once, keeps the packs already finished, writes the manifest
    and the index for them, and raises :class:`BatchInterrupted`. The output folder is locked
    for the run: a second batch or build into it fails with a clear message.
    """
    from ..content.loader import load_library

    if library is None:
        library = load_library(libraries)
    out = Path(out)
    ensure_dir(out)
    with folder_lock(out):
        remove_stale_staging(out)
        if not force:
            existing = [j.name for j in jobs if os.path.lexists(out / j.name)]
            if existing:
                raise OutputError(Problem(
                    f"{len(existing)} pack folder(s) exist already, e.g. {existing[0]}",
                    "use --force to overwrite them, or choose another output folder", out))
        workers = jobs_n or os.cpu_count() or 1
        results: dict[int, JobResult] = {}
        started = time.time()
        try:
            if workers == 1 or len(jobs) == 1:
                for i, job in enumerate(jobs):
                    results[i] = _build_job(job, str(out), force, pdf, zip_it, check, library)
                    if progress:
                        progress(results[i])
            else:
                _run_pool(jobs, out, library, min(workers, len(jobs)),
                          (force, pdf, zip_it, check), results, progress,
                          pool_context(start_method))
        except KeyboardInterrupt:
            done = [results[i] for i in sorted(results)]
            for i, job in enumerate(jobs):  # what the stopped workers were writing
                if i not in results:
                    _remove_unfinished(out, job.name, started)
            _write_manifest(done, out, interrupted=True)
            _write_index(done, out, library)
            raise BatchInterrupted(done, len(jobs)) from None
        ordered = [results[i] for i in range(len(jobs))]
        _write_manifest(ordered, out)
        _write_index(ordered, out, library)
        return ordered


def _run_pool(jobs: list[Job], out: Path, library: Library, workers: int,
              options: tuple[bool, bool, bool, bool], results: dict[int, JobResult],
              progress: Callable[[JobResult], None] | None, context: BaseContext) -> None:
    """Build *jobs* in a pool of worker processes, filling *results* as they finish.

    On Ctrl-C the queued jobs are cancelled and the running workers terminated (not waited
    for, as leaving a ``with ProcessPoolExecutor`` block would); then KeyboardInterrupt goes on.
    """
    if context.get_start_method() == "fork":
        # Forked workers inherit what this process has imported: import the writers and the
        # checker once here rather than in each worker (modules only, no data of the batch).
        from .. import quality  # noqa: F401
        from ..writers import docx, pptx  # noqa: F401
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_init_worker, initargs=(library, os.getpid()))
    futures: dict[Future[JobResult], int] = {}
    try:
        futures = {pool.submit(_build_job, job, str(out), *options): i
                   for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            i = futures[future]
            results[i] = future.result()
            if progress:
                progress(results[i])
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        _stop_workers()
        for future, i in futures.items():  # results that arrived while we were stopping
            if i not in results and future.done() and not future.cancelled() \
                    and future.exception() is None:
                results[i] = future.result()
        raise
    pool.shutdown()


def _stop_workers(grace: float = 0.5) -> None:
    """Terminate this process's worker processes; kill those still there after *grace* s."""
    import multiprocessing
    import time

    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    deadline = time.monotonic() + grace
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            child.kill()
            child.join(1)


def _remove_unfinished(out: Path, name: str, since: float) -> None:
    """Remove what a stopped worker wrote for pack *name* after *since*: the batch keeps only
    the packs it has a result for, so that the manifest lists everything this run left.
    A pack folder this run never touched (older than *since*) is left alone."""
    folder = out / name
    for path in (folder, out / f"{name}.zip"):
        try:
            info = path.lstat()
        except OSError:
            continue
        if info.st_mtime < since - 1 or path.is_symlink():
            continue
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                path.unlink()


def _versions() -> dict[str, str]:
    out = {"etikkverksted": __version__, "python": platform.python_version()}
    for dist in ("python-pptx", "python-docx", "pydantic", "click", "PyYAML", "Pillow", "lxml"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def _write_manifest(results: list[JobResult], out: Path, interrupted: bool = False) -> None:
    packs = [{
        "name": r.job.name,
        "origin": r.job.origin,
        "input": r.job.spec.model_dump(mode="json"),
        "ok": r.error is None,
        "error": r.error,
        "check_errors": r.findings,
        "dilemmas": r.dilemma_ids,
        "files": r.files,
    } for r in results]
    manifest = {"tool": "etikkverksted", "versions": _versions(), "interrupted": interrupted,
                "packs": packs}
    write_text_atomic(out / "manifest.json",
                      json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def _write_index(results: list[JobResult], out: Path, library: Library) -> None:
    """index.html in Norwegian (labels from the library) describing each pack."""
    rows = []
    for r in results:
        if r.error:
            continue
        lang = r.job.spec.language

        def label(key: str, _lang: str = lang) -> str:
            return html.escape(library.label(key, _lang))  # type: ignore[arg-type]

        spec = r.job.spec
        audience = html.escape(library.audiences[spec.audience].name.get(lang))
        links = " · ".join(
            f'<a href="{html.escape(f["path"])}">{html.escape(Path(f["path"]).suffix[1:])}'
            f' – {html.escape(Path(f["path"]).stem.rsplit("-", 1)[-1])}</a>'
            for f in r.files)
        dilemmas = "".join(_index_dilemma(library, lang, t, i)
                           for t, i in zip(r.dilemmas, r.dilemma_ids, strict=False))
        rows.append(
            f'<section lang="{lang}-NO"><h2>{audience} – {label("trinn")} {spec.maturity} '
            f"({label('batch_lang_' + lang)})</h2>"
            f"<p>{html.escape(r.subtitle)} · {spec.duration_minutes} {label('minutes_short')}</p>"
            f"<ul>{dilemmas}</ul><p>{links}</p></section>")
    langs = list(dict.fromkeys(r.job.spec.language for r in results)) or ["nb"]
    title = html.escape(library.label("batch_index_title", langs[0]))  # type: ignore[arg-type]
    # The introduction in every written standard the packs use: a nynorsk reader of the
    # standard packs is not greeted in bokmål only.
    intros = "".join(
        f'<p lang="{lang}-NO">{html.escape(library.label("batch_index_intro", lang))}</p>'
        for lang in langs)
    coverage = _strategic_coverage(library, [r for r in results if not r.error], langs[0])
    page = (f'<!DOCTYPE html>\n<html lang="{langs[0]}-NO"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{title}</title><style>body{{font-family:Carlito,Calibri,sans-serif;"
            f"max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b2a3a;"
            f"line-height:1.45}}section{{border-top:1px solid #c8d2dc;padding:.5rem 0}}"
            f"a{{color:#0b4f8a}}</style></head><body><h1>{title}</h1>{intros}{coverage}"
            + "\n".join(rows) + "</body></html>\n")
    write_text_atomic(out / "index.html", page)


def _index_dilemma(library: Library, lang: str, title: str, dilemma_id: str) -> str:
    """One dilemma of a pack in the index: its title, its id, and the §4.4 strategic
    dilemma it takes up, if any."""
    strategic = library.strategic_for(dilemma_id)
    extra = "".join(
        f" · {html.escape(library.label('batch_index_strategic', lang))} "  # type: ignore[arg-type]
        f"{html.escape(s.title.get(lang))}"  # type: ignore[arg-type]
        for s in strategic)
    return f"<li>{html.escape(title)} (<code>{html.escape(dilemma_id)}</code>){extra}</li>"


def _strategic_coverage(library: Library, results: list[JobResult], lang: str) -> str:
    """A table at the top of the index: each §4.4 strategic dilemma and the packs that
    hold a dilemma taking it up (empty when the library has no §4.4 mapping)."""
    if not library.strategic_dilemmas or not results:
        return ""
    L = lambda key: html.escape(library.label(key, lang))  # type: ignore[arg-type]  # noqa: E731
    rows = []
    for s in sorted(library.strategic_dilemmas.values(), key=lambda s: s.number):
        packs = [r.job.name for r in results if set(r.dilemma_ids) & set(s.dilemmas)]
        cell = ", ".join(html.escape(p) for p in packs) or L("batch_index_none")
        rows.append(f"<tr><td>{html.escape(s.title.get(lang))}</td>"  # type: ignore[arg-type]
                    f"<td>{len(packs)}</td><td>{cell}</td></tr>")
    return (f'<div lang="{lang}-NO"><h2>{L("batch_index_coverage")}</h2>'
            f"<table><thead><tr><th>{L('batch_index_col_strategic')}</th>"
            f"<th>{L('batch_index_col_count')}</th><th>{L('batch_index_col_packs')}</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
