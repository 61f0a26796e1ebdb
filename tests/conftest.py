"""Shared fixtures: the packaged library (loaded once) and a plan factory."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from etikkverksted.content import Library, WorkshopSpec, load_library
from etikkverksted.planning import WorkshopPlan, plan_workshop

# The parse cache goes to a folder of the test run, not the user's cache; CLI subprocesses
# inherit it.
_CACHE_DIR = Path(__import__("tempfile").mkdtemp(prefix="etikkverksted-test-cache-"))
os.environ["ETIKKVERKSTED_CACHE_DIR"] = str(_CACHE_DIR)
__import__("atexit").register(shutil.rmtree, _CACHE_DIR, True)

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_929f27e946e18241.txt"


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="session")
def make_spec() -> Callable[..., WorkshopSpec]:
    def make(audience: str = "leaders", maturity: int = 2, language: str = "nb",
             duration: int = 90, format: str = "in_person", **extra: object) -> WorkshopSpec:
        return WorkshopSpec(agency="Direktoratet for eksempelforvaltning",
                            date=dt.date(2026, 12, 3), audience=audience, maturity=maturity,
                            language=language, duration_minutes=duration, format=format,
                            facilitator="Kari Nordmann", **extra)

    return make


@pytest.fixture(scope="session")
def make_plan(library: Library, make_spec: Callable[..., WorkshopSpec]
              ) -> Callable[..., WorkshopPlan]:
    cache: dict[tuple, WorkshopPlan] = {}

    def make(audience: str = "leaders", maturity: int = 2, language: str = "nb",
             duration: int = 90, format: str = "in_person", **extra: object) -> WorkshopPlan:
        key = (audience, maturity, language, duration, format, tuple(sorted(extra.items())))
        if key not in cache:
            cache[key] = plan_workshop(
                make_spec(audience, maturity, language, duration, format, **extra), library)
        return cache[key]

    return make


@pytest.fixture(scope="session")
def report_text() -> str:
    if not SEED.exists():
        message = (f"the source report is not at {SEED}; the copy and number checks need it "
                   "(clone the project beside shared/)")
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing report must not pass silently
        pytest.skip(message)
    return SEED.read_text(encoding="utf-8")


def needs(program: str) -> pytest.MarkDecorator:
    """Skip unless *program* is installed (CI installs it; see scripts/install-system-deps)."""
    return pytest.mark.skipif(shutil.which(program) is None, reason=f"{program} not installed")


@pytest.fixture(scope="session")
def standard_packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DFD's 24 standard packs, built once per test session (with zips and quality check)."""
    from etikkverksted.build.batch import run_batch, standard_jobs

    library = load_library()
    out = tmp_path_factory.mktemp("standard")
    results = run_batch(standard_jobs(dt.date(2027, 1, 15), 90, library), out, zip_it=True,
                        library=library)
    failures = [f"{r.job.name}: {r.error}" for r in results if r.error]
    assert not failures, "\n".join(failures)
    return out
