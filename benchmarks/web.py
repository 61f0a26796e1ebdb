"""Benchmark rows for the web server (``etikkverksted serve``), run from benchmarks/run.py.

(d) one pack through ``POST /api/packs`` (request sent to zip complete), the server warm;
(e) 8 clients building at once, 5 packs each: all must succeed; p50/p95 latency; the peak of
    the server's resident memory, its build workers included (summed over the processes,
    sampled every 20 ms from /proc);
(f) the page's first contentful paint and the live plan update (a changed field to the new
    run sheet in the page, the script's short pause included) in chromium, when installed;
    and the server's own time for the plan fragment.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SPEC = {"agency": "Direktoratet for målingar", "date": "2027-01-15", "audience": "leaders",
        "maturity": 2, "duration_minutes": 90}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(tool: str, workers: int) -> Iterator[tuple[str, int]]:
    port = _port()
    proc = subprocess.Popen([tool, "serve", "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(1200):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise SystemExit("etikkverksted serve did not start") from None
                time.sleep(0.05)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def _post_pack(port: int) -> float:
    body = json.dumps(SPEC).encode()
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request("POST", "/api/packs", body, {"Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    if response.status != 200 or not data.startswith(b"PK"):
        raise RuntimeError(f"POST /api/packs answered {response.status}")
    return elapsed


def _tree_rss_kib(pid: int) -> tuple[int, int]:
    """(RSS of *pid*, RSS of *pid* and all its descendants) in KiB, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))

    def rss(p: int) -> int:
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss(p)
        stack += children.get(p, [])
    return rss(pid), total


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _browser_rows(url: str, repeat: int) -> dict[str, dict[str, float]]:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {}
    if not Path(chromium).exists():
        return {}
    import tempfile

    paints, updates = [], []
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=chromium, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"])
        page = context.new_page()
        for i in range(repeat + 1):
            page.goto(f"{url}/?run={i}")
            page.wait_for_load_state("load")
            paint = page.evaluate("""() => new Promise(resolve => {
                new PerformanceObserver(list => {
                    const e = list.getEntriesByName('first-contentful-paint')[0];
                    if (e) { resolve(e.startTime); }
                }).observe({type: 'paint', buffered: true});
                setTimeout(() => resolve(null), 3000);
            })""")
            update = page.evaluate("""() => new Promise(resolve => {
                const plan = document.getElementById('plan');
                const field = document.getElementById('duration_minutes');
                const start = performance.now();
                new MutationObserver((m, o) => { o.disconnect();
                    resolve(performance.now() - start); }).observe(plan, {childList: true});
                field.value = String(Number(field.value) === 90 ? 120 : 90);
                field.dispatchEvent(new Event('input', {bubbles: true}));
            })""")
            if i:  # the first load warms the browser's cache
                if paint is not None:
                    paints.append(paint / 1000)
                updates.append(update / 1000)
        context.close()
    rows: dict[str, dict[str, float]] = {}
    if paints:
        rows["(f) page first contentful paint (chromium)"] = {
            "wall_s": statistics.median(paints), "peak_mib": 0.0, "runs": len(paints)}
    rows["(f) live plan update in the page (chromium)"] = {
        "wall_s": statistics.median(updates), "peak_mib": 0.0, "runs": len(updates)}
    return rows


def web_rows(tool: str, repeat: int, workers: int) -> dict[str, dict[str, float]]:
    """The web rows of benchmarks/run.py (same keys and units as its other rows)."""
    results: dict[str, dict[str, float]] = {}
    with server(tool, workers) as (url, pid):
        port = int(url.rsplit(":", 1)[1])
        for _ in range(2):
            _post_pack(port)  # warm: every worker has built once
        times = [_post_pack(port) for _ in range(max(repeat, 5))]
        results["(d) one pack, POST /api/packs (warm server)"] = {
            "wall_s": statistics.median(times), "peak_mib": 0.0, "runs": len(times)}

        peak = {"server": 0, "tree": 0}
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                own, tree = _tree_rss_kib(pid)
                peak["server"] = max(peak["server"], own)
                peak["tree"] = max(peak["tree"], tree)
                time.sleep(0.02)

        latencies: list[float] = []
        failures: list[str] = []
        lock = threading.Lock()

        def client() -> None:
            for _ in range(5):
                try:
                    elapsed = _post_pack(port)
                except Exception as exc:
                    with lock:
                        failures.append(str(exc))
                    continue
                with lock:
                    latencies.append(elapsed)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        start = time.perf_counter()
        clients = [threading.Thread(target=client) for _ in range(8)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        total = time.perf_counter() - start
        stop.set()
        sampler.join()
        results["(e) 8 clients x 5 packs: all 40"] = {
            "wall_s": total, "peak_mib": peak["tree"] / 1024, "runs": 1,
            "ok": len(latencies), "failed": len(failures),
            "p50_s": statistics.median(latencies) if latencies else 0.0,
            "p95_s": _percentile(latencies, 0.95) if latencies else 0.0,
            "server_process_peak_mib": peak["server"] / 1024}

        fragment = []
        with urllib.request.urlopen(f"{url}/") as response:
            cookie = response.headers["Set-Cookie"].split(";", 1)[0]
            html = response.read().decode()
        token = html.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        form = "&".join(f"{k}={urllib.request.quote(str(v))}" for k, v in
                        {**SPEC, "csrf": token, "ui": "nb", "format": "in_person",
                         "language": "nb", "start_time": "09:00"}.items())
        for _ in range(max(repeat, 5) + 1):
            request = urllib.request.Request(f"{url}/fragments/plan", data=form.encode(),
                                             headers={"Cookie": cookie, "Content-Type":
                                                      "application/x-www-form-urlencoded"})
            start = time.perf_counter()
            with urllib.request.urlopen(request) as response:
                response.read()
            fragment.append(time.perf_counter() - start)
        results["(f) server: POST /fragments/plan"] = {
            "wall_s": statistics.median(fragment[1:]), "peak_mib": 0.0,
            "runs": len(fragment) - 1}
        page_times = []
        for _ in range(max(repeat, 5)):
            start = time.perf_counter()
            with urllib.request.urlopen(f"{url}/") as response:
                response.read()
            page_times.append(time.perf_counter() - start)
        results["(f) server: GET / (form with its plan)"] = {
            "wall_s": statistics.median(page_times), "peak_mib": 0.0, "runs": len(page_times)}
        # A page load is cheap and chromium reports paint times in 4 ms steps: 15 loads at
        # least, so that one slow load on a shared machine does not decide the median.
        results.update(_browser_rows(url, max(repeat, 15)))
    return results


if __name__ == "__main__":  # pragma: no cover - run on its own: python benchmarks/web.py
    exe = shutil.which("etikkverksted", path=str(Path(sys.executable).parent))
    rows = web_rows(exe or "etikkverksted", 5, os.cpu_count() or 1)
    print(json.dumps(rows, indent=2))
