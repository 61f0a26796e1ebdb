"""Wall time and peak memory of etikkverksted against its floor and against pandoc.

Measures, in one run on the same machine, each in a fresh process:

(a) one workshop pack through the CLI (``etikkverksted build``);
(b) DFD's 24 standard packs (``etikkverksted batch --standard``);
(c) 200 agency packs from a CSV (``etikkverksted batch agencies.csv``);
(i) the floor: python-pptx and python-docx opening and saving the default templates;
(i') the same split over two processes as ``build`` does, with and without importing the
     content model (pydantic): the least any pack build in Python can cost;
(ii) pandoc building a comparable deck and three documents from Markdown (when installed),
     with its built-in templates and with ours (``--reference-doc``);
(d)-(f) the web server (``etikkverksted serve``): one pack through ``POST /api/packs``, 8
     clients x 5 packs at once, first paint and the live plan update (benchmarks/web.py).

(a) is measured with the parse cache warm (as every run after the first) and with it off
(``ETIKKVERKSTED_CACHE=0``, as a first run); so is (d), a command that only reads the
library (``list``), where the cache's share is largest.

Peak memory is the largest resident set of any single process of the command (the CLI, or
one batch worker), and CPU time the user + system seconds of all its processes, both read
from ``getrusage(RUSAGE_CHILDREN)`` in a fresh wrapper process. On a shared machine compare
CPU seconds: wall seconds move with the load.

Usage::

    python benchmarks/run.py [--repeat 3] [--jobs 2] [--skip-200] [--skip-web]
                             [--against OTHER/.venv/bin/etikkverksted]

``--against`` compares with another installation (an older commit's wheel in its own venv):
(a) and (b) run with both, in turns, because this kind of machine drifts in speed from
minute to minute and only runs made in the same minutes compare.

Record the figures in docs/performance.md. Speed is never asserted in the test suite.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "leiargruppe-trinn2-nb.yaml"

_WRAPPER = r"""
import json, os, resource, subprocess, sys, time
cmd = json.loads(sys.argv[1])
env = dict(os.environ, **json.loads(sys.argv[2]))
start = time.perf_counter()
proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "peak_kib": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime, "rc": proc.returncode,
                  "stderr": proc.stderr.decode(errors="replace")[-2000:]}))
"""

_FLOOR = r"""
import io, sys
from pptx import Presentation
from docx import Document
pptx_path, docx_path = sys.argv[1], sys.argv[2]
Presentation(pptx_path).save(io.BytesIO())
for _ in range(4):
    Document(docx_path).save(io.BytesIO())
"""

_FLOOR_SPLIT = r"""
import io, os, sys
pptx_path, docx_path, with_model = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
if with_model:
    import etikkverksted.content.models, etikkverksted.planning.model
pid = os.fork()
if pid == 0:
    from pptx import Presentation
    Presentation(pptx_path).save(io.BytesIO())
    os._exit(0)
from docx import Document
for _ in range(4):
    Document(docx_path).save(io.BytesIO())
os.waitpid(pid, 0)
"""


def measure(cmd: list[str], repeat: int, env: dict[str, str] | None = None
            ) -> dict[str, float]:
    """Median wall and CPU seconds and max peak MiB of *cmd* over *repeat* fresh runs.

    CPU seconds (user + system of the command and every process it waited for) hardly move
    when other work shares the machine; wall seconds do.
    """
    walls, cpus, peaks = [], [], []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, "-c", _WRAPPER, json.dumps(cmd),
                              json.dumps(env or {})],
                             capture_output=True, text=True, check=True)
        result = json.loads(out.stdout)
        if result["rc"] != 0:
            raise SystemExit(f"command failed: {' '.join(cmd)}\n{result['stderr']}")
        walls.append(result["wall"])
        cpus.append(result["cpu"])
        peaks.append(result["peak_kib"] / 1024)
    return {"wall_s": statistics.median(walls), "cpu_s": statistics.median(cpus),
            "peak_mib": max(peaks), "runs": repeat}


def interleaved(commands: dict[str, list[str]], repeat: int, env: dict[str, str] | None = None
                ) -> dict[str, dict[str, float]]:
    """:func:`measure` for several commands run in turns (A, B, A, B, ...), not one after
    the other: on a machine whose speed drifts from minute to minute (a shared virtual
    machine), only runs made in the same minutes can be compared."""
    runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            runs[name].append(measure(cmd, 1, env))
    return {name: {"wall_s": statistics.median(r["wall_s"] for r in rs),
                   "cpu_s": statistics.median(r["cpu_s"] for r in rs),
                   "peak_mib": max(r["peak_mib"] for r in rs), "runs": repeat}
            for name, rs in runs.items()}


def etikkverksted() -> str:
    found = shutil.which("etikkverksted", path=str(Path(sys.executable).parent)) or \
        shutil.which("etikkverksted")
    if not found:
        raise SystemExit("install the package first: pip install .")
    return found


def agencies_csv(path: Path, rows: int) -> None:
    audiences = ("leaders", "parties", "employees")
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["agency", "audience", "maturity", "language", "duration_minutes",
                         "date"])
        for i in range(rows):
            writer.writerow([f"Direktoratet for prøvedrift nr. {i + 1}", audiences[i % 3],
                             1 + i % 4, "nn" if i % 2 else "nb", (45, 90, 120, 180)[i % 4],
                             "2027-01-15"])


def pandoc_sources(folder: Path) -> list[list[str]]:
    """Markdown for a deck and three documents of about our size, and the pandoc commands."""
    slides = ["% Etikkverksted om generativ KI\n% Ledergruppe\n% 3. desember 2026\n"]
    for i in range(30):
        slides.append(f"# Lysbilde {i + 1}\n\n- Første punkt om generativ KI og arbeid\n"
                      f"- Andre punkt med litt lengre tekst om dilemma og valg\n"
                      f"- Tredje punkt\n\n::: notes\nTalenotat for lysbilde {i + 1}: "
                      + "hva fasilitator sier og gjør. " * 8 + "\n:::\n")
    (folder / "deck.md").write_text("\n".join(slides), encoding="utf-8")
    doc = ["# Deltakerark\n"]
    for i in range(12):
        doc.append(f"## Avsnitt {i + 1}\n\n" + "Tekst om dilemmaet og spørsmålene. " * 20
                   + "\n\n1. Spørsmål en\n2. Spørsmål to\n3. Spørsmål tre\n\n"
                   "| Tid | Min | Del |\n|---|---|---|\n| 09:00 | 5 | Velkommen |\n")
    for name in ("participant", "facilitator", "minutes"):
        (folder / f"{name}.md").write_text("\n".join(doc), encoding="utf-8")
    return [["pandoc", str(folder / "deck.md"), "-o", str(folder / "deck.pptx")],
            *[["pandoc", str(folder / f"{n}.md"), "-o", str(folder / f"{n}.docx")]
              for n in ("participant", "facilitator", "minutes")]]


def with_reference_docs(commands: list[list[str]], layouts: Path) -> list[list[str]]:
    """The pandoc commands with our default templates as reference documents."""
    return [[*c, "--reference-doc",
             str(layouts / ("default.pptx" if c[-1].endswith(".pptx") else "default.docx"))]
            for c in commands]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-200", action="store_true", help="skip the 200-agency run")
    parser.add_argument("--skip-web", action="store_true",
                        help="skip the web server rows (benchmarks/web.py)")
    parser.add_argument("--against", metavar="ETIKKVERKSTED",
                        help="another installation's etikkverksted (e.g. an older commit's "
                        "wheel in its own venv): (a) and (b) are also run with it, in turns "
                        "with this one, and compared")
    args = parser.parse_args()
    tool = etikkverksted()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="etikkverksted-bench-") as tmp_name:
        tmp = Path(tmp_name)
        from etikkverksted.resources import layouts_dir

        results["floor: open+save templates"] = measure(
            [sys.executable, "-c", _FLOOR, str(layouts_dir() / "default.pptx"),
             str(layouts_dir() / "default.docx")], args.repeat)
        results["floor split over 2 processes"] = measure(
            [sys.executable, "-c", _FLOOR_SPLIT, str(layouts_dir() / "default.pptx"),
             str(layouts_dir() / "default.docx"), "0"], args.repeat)
        results["floor split + content model import"] = measure(
            [sys.executable, "-c", _FLOOR_SPLIT, str(layouts_dir() / "default.pptx"),
             str(layouts_dir() / "default.docx"), "1"], args.repeat)
        build_one = [tool, "build", str(EXAMPLE), "-o", str(tmp / "one"), "--force"]
        cache = {"ETIKKVERKSTED_CACHE_DIR": str(tmp / "cache")}
        measure(build_one, 1, cache)  # fills the parse cache
        results["(a) one pack, CLI"] = measure(build_one, args.repeat, cache)
        results["(a) one pack, CLI, no parse cache"] = measure(
            build_one, args.repeat, {"ETIKKVERKSTED_CACHE": "0"})
        list_all = [tool, "list", "--json"]
        results["(d) the library alone (list), parse cache warm"] = measure(
            list_all, args.repeat, cache)
        results["(d) the library alone (list), no parse cache"] = measure(
            list_all, args.repeat, {"ETIKKVERKSTED_CACHE": "0"})
        results["(b) 24 standard packs"] = measure(
            [tool, "batch", "--standard", "-o", str(tmp / "std"), "--force", "--date",
             "2027-01-15", "--jobs", str(args.jobs)], args.repeat, cache)
        if args.against:
            for row, make in (
                    ("(a) one pack, CLI", lambda t, n: [t, "build", str(EXAMPLE), "-o",
                                                        str(tmp / f"one-{n}"), "--force"]),
                    ("(b) 24 standard packs",
                     lambda t, n: [t, "batch", "--standard", "-o", str(tmp / f"std-{n}"),
                                   "--force", "--date", "2027-01-15", "--jobs",
                                   str(args.jobs)])):
                pair = interleaved({"against": make(args.against, "against"),
                                    "this": make(tool, "this")},
                                   max(args.repeat, 5) if row.startswith("(a)") else args.repeat,
                                   cache)
                results[f"{row}, --against, in turns"] = pair["against"]
                results[f"{row}, this, in turns"] = pair["this"]
        if not args.skip_200:
            agencies_csv(tmp / "agencies.csv", 200)
            results["(c) 200 agency packs"] = measure(
                [tool, "batch", str(tmp / "agencies.csv"), "-o", str(tmp / "many"), "--force",
                 "--jobs", str(args.jobs)], 1, cache)
        if shutil.which("pandoc"):
            commands = pandoc_sources(tmp)
            script = " && ".join(" ".join(c) for c in commands)
            results["pandoc: deck + 3 documents"] = measure(["sh", "-c", script], args.repeat)
            script = " && ".join(" ".join(c) for c in with_reference_docs(commands,
                                                                          layouts_dir()))
            results["pandoc with our templates as reference docs"] = measure(
                ["sh", "-c", script], args.repeat)

    if not args.skip_web:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from web import web_rows

        results.update(web_rows(tool, args.repeat, args.jobs))

    width = max(map(len, results))
    print(f"{'measurement':<{width}}  {'wall s':>8}  {'CPU s':>8}  {'peak MiB':>9}")
    for name, r in results.items():
        cpu = f"{r['cpu_s']:>8.2f}" if "cpu_s" in r else f"{'–':>8}"  # web rows: wall only
        print(f"{name:<{width}}  {r['wall_s']:>8.2f}  {cpu}  {r['peak_mib']:>9.1f}")
    one = results["(a) one pack, CLI"]["wall_s"]
    floor = results["floor: open+save templates"]["wall_s"]
    print(f"\none pack / floor: {one / floor:.2f}x")
    if "pandoc: deck + 3 documents" in results:
        pandoc = results["pandoc: deck + 3 documents"]["wall_s"]
        print(f"one pack / pandoc: {one / pandoc:.2f}x (goal <= 1.0)")
        model_floor = results["floor split + content model import"]["wall_s"]
        print(f"floor split + content model import / pandoc: {model_floor / pandoc:.2f}x")
    if "(d) one pack, POST /api/packs (warm server)" in results:
        web_one = results["(d) one pack, POST /api/packs (warm server)"]["wall_s"]
        if "pandoc: deck + 3 documents" in results:
            pandoc = results["pandoc: deck + 3 documents"]["wall_s"]
            print(f"one pack via the web API / pandoc: {web_one / pandoc:.2f}x (goal <= 0.7)")
        many = results["(e) 8 clients x 5 packs: all 40"]
        print(f"8 clients x 5 packs: {many['ok']}/40 ok, p50 {many['p50_s']:.2f} s, "
              f"p95 {many['p95_s']:.2f} s, server with workers peak {many['peak_mib']:.0f} MiB "
              "(goal < 400 MiB)")
    for row in ("(a) one pack, CLI", "(b) 24 standard packs"):
        if f"{row}, this, in turns" in results:
            before = results[f"{row}, --against, in turns"]
            after = results[f"{row}, this, in turns"]
            print(f"{row}, in turns: --against {before['wall_s']:.2f} s wall "
                  f"({before['cpu_s']:.2f} CPU s), this {after['wall_s']:.2f} s "
                  f"({after['cpu_s']:.2f} CPU s): {after['wall_s'] / before['wall_s']:.2f}x")
    std = results["(b) 24 standard packs"]["wall_s"]
    print(f"24 standard packs: {std:.2f} s (goal < 10 s), {std / 24:.2f} s per pack")
    if "(c) 200 agency packs" in results:
        many = results["(c) 200 agency packs"]["wall_s"]
        print(f"200 agency packs: {many:.1f} s, {many / 200:.2f} s per pack")
    peak = max(r["peak_mib"] for k, r in results.items()
               if not k.startswith(("pandoc", "(d)", "(e)", "(f)")))
    print(f"largest peak of any etikkverksted process: {peak:.1f} MiB (goal < 150 MiB)")
    print("\n" + json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
