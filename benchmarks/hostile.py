"""How fast, and within how much memory, the hostile inputs of issue #18 §2 are refused.

Each input runs through the installed CLI in a fresh process; peak memory is that process's
(and its children's) largest resident set from ``getrusage``, wall time is measured around the
process, start-up and library load included. The goals (issue #18): under 300 MiB and under
2 s for each. The test suite asserts the memory goal and that each input is refused
(tests/test_hostile_reads.py, tests/test_hostile_cache.py); speed is measured only here.

Usage::

    python benchmarks/hostile.py [--repeat 3]

Record the figures in docs/quality.md.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "leiargruppe-trinn2-nb.yaml"

_RUNNER = """
import atexit, resource, sys
def _report():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    sys.stderr.write(f"\\nPEAK-KB {max(own, kids)}\\n")
atexit.register(_report)
from etikkverksted.cli import main
main(sys.argv[1:], prog_name="etikkverksted")
"""


def big_part_template(base: Path, target: Path, part: str, size: int) -> Path:
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


def run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _RUNNER, *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})},
                          check=False)
    seconds = time.perf_counter() - start
    peak = max((int(line.split()[1]) for line in proc.stderr.splitlines()
                if line.startswith("PEAK-KB ")), default=0)
    return seconds, peak * 1024, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    from etikkverksted.resources import layouts_dir

    with tempfile.TemporaryDirectory(prefix="etikkverksted-hostile-") as name:
        tmp = Path(name)
        zero = tmp / "zero"
        zero.mkdir()
        for n in ("spec.yaml", "mal.pptx", "deck.pptx", "v.csv"):
            (zero / n).symlink_to("/dev/zero")
        fifo = tmp / "fifo"
        fifo.mkdir()
        for n in ("spec.yaml", "mal.pptx", "deck.pptx", "v.csv"):
            os.mkfifo(fifo / n)
        csv_zero = tmp / "template-column.csv"
        csv_zero.write_text("agency,audience,maturity,date,template\n"
                            f"A,leaders,2,2026-12-03,{zero / 'mal.pptx'}\n", encoding="utf-8")
        big = big_part_template(layouts_dir() / "default.pptx", tmp / "stor.pptx",
                                "ppt/slideLayouts/slideLayout2.xml", 190 * 1024 * 1024)
        cache_zero = tmp / "cache-zero"
        cache_zero.mkdir(mode=0o700)
        cache_corrupt = tmp / "cache-corrupt"
        cache_corrupt.mkdir(mode=0o700)
        from etikkverksted.content import parsecache

        os.environ["ETIKKVERKSTED_CACHE_DIR"] = str(cache_zero)
        cache_name = parsecache.cache_file().name
        (cache_zero / cache_name).symlink_to("/dev/zero")
        (cache_corrupt / cache_name).write_bytes(b"(\xff\xff\xff\x7f")
        out = tmp / "out"
        cases: list[tuple[str, list[str], dict[str, str] | None]] = []
        for label, folder in (("/dev/zero", zero), ("FIFO", fifo)):
            cases += [
                (f"{label} as a spec (build)", ["build", str(folder / "spec.yaml"), "-o",
                                                str(out)], None),
                (f"{label} as a template (template-info)", ["template-info",
                                                            str(folder / "mal.pptx")], None),
                (f"{label} as a template (build)", ["build", str(EXAMPLE), "-o", str(out),
                                                    "--template", str(folder / "mal.pptx")],
                 None),
                (f"{label} for check", ["check", str(folder / "deck.pptx")], None),
                (f"{label} as a CSV (batch)", ["batch", str(folder / "v.csv"), "-o", str(out)],
                 None),
            ]
        cases += [
            ("/dev/zero in a CSV's template column", ["batch", str(csv_zero), "-o", str(out),
                                                      "-j", "1"], None),
            ("1.5 MB template with a 190 MB XML part (template-info)",
             ["template-info", str(big)], None),
            ("the same for check", ["check", str(big)], None),
            ("/dev/zero as the parse cache (validate)", ["validate"],
             {"ETIKKVERKSTED_CACHE_DIR": str(cache_zero)}),
            ("5 corrupt bytes as the parse cache (validate)", ["validate"],
             {"ETIKKVERKSTED_CACHE_DIR": str(cache_corrupt)}),
        ]
        print(f"{'input':<58} {'exit':>4} {'median s':>9} {'peak MiB':>9}")
        for label, args, env in cases:
            times, peaks, code = [], [], 0
            for _ in range(options.repeat):
                seconds, peak, code = run(args, env)
                times.append(seconds)
                peaks.append(peak)
                shutil.rmtree(out, ignore_errors=True)
            print(f"{label:<58} {code:>4} {statistics.median(times):>9.2f} "
                  f"{max(peaks) / 2**20:>9.0f}")


if __name__ == "__main__":
    main()
