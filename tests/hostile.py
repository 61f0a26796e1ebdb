"""Helpers for the hostile-input tests: run a command in a fresh process and measure it.

Peak memory is what the process itself reports when it ends (its own and its children's),
so no other test's memory counts. Its own peak is read from ``VmHWM`` in
``/proc/self/status`` where there is one: ``getrusage``'s ``ru_maxrss`` of a process that
pytest started would count pytest's own peak too, because Linux carries the starting
process's high-water mark over ``fork``/``vfork`` and ``exec`` (a suite that has grown to
300 MiB made every refusal look that large). A timeout only stops a hang from stalling the
suite; how fast a refusal is belongs in ``benchmarks/run.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
PEAK_LIMIT = 300 * MIB
"""Issue #18: every hostile input of its §2 is refused within this much memory."""

_RUNNER = """
import atexit, resource, sys

def _own_peak_kib():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

def _report():
    own = _own_peak_kib()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024
    sys.stderr.write(f"\\nPEAK-RSS {max(own, kids) * scale}\\n")

atexit.register(_report)
from etikkverksted.cli import main
main(sys.argv[1:], prog_name="etikkverksted")
"""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak: int
    """Peak resident memory in bytes."""

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_cli(*args: str | Path, cwd: Path | None = None, timeout: float = 60,
            env: dict[str, str] | None = None) -> Run:
    """Run ``etikkverksted ARGS`` in a new interpreter; return its output and peak memory."""
    proc = subprocess.run([sys.executable, "-c", _RUNNER, *map(str, args)],
                          capture_output=True, text=True, timeout=timeout, cwd=cwd,
                          env={**os.environ, **(env or {})}, check=False)
    peak = 0
    lines = []
    for line in proc.stderr.splitlines():
        if line.startswith("PEAK-RSS "):
            peak = int(line.split()[1])
        else:
            lines.append(line)
    return Run(proc.returncode, proc.stdout, "\n".join(lines), peak)


def refused_clearly(run: Run, *words: str) -> None:
    """Exit 1, no traceback, the given words in the message, memory under the limit."""
    assert run.returncode == 1, run.output
    assert "Traceback" not in run.output, run.output
    for word in words:
        assert word in run.output, run.output
    assert 0 < run.peak < PEAK_LIMIT, f"peak {run.peak / MIB:.0f} MiB"


def template_with_big_part(base: Path, target: Path, part: str, size: int) -> Path:
    """A copy of the template *base* whose *part* is replaced by about *size* bytes of
    well-formed XML that deflates about 130:1 (under any compression-ratio bomb limit).

    Written in chunks, so making it costs this process little memory.
    """
    import random
    import zipfile

    rng = random.Random(18)
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info.filename, src.read(info))
        with dst.open(part, "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0"?><a>')
            written = 0
            while written < size:
                chunk = b"".join(b"<b/>" * 300 + b'<c v="%d"/>' % rng.randrange(10**6)
                                 for _ in range(200))
                fh.write(chunk)
                written += len(chunk)
            fh.write(b"</a>")
    return target
