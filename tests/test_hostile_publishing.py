"""Publishing a pack (issue #18 §4): all at once, one build per folder, nothing left behind.

A build renders into a staging folder, moves the files into place and writes
``<stem>.manifest.json`` last; a folder lock keeps two builds apart; a killed build's staging is
removed by the next one; workers end with their parent; files get the user's umask.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from etikkverksted.build.pack import MANIFEST_SUFFIX, build_pack
from etikkverksted.cli import main
from etikkverksted.errors import OutputError
from etikkverksted.output import folder_lock
from etikkverksted.quality import check_files

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "leiargruppe-trinn2-nb.yaml"

_KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
out = Path(sys.argv[1]).resolve()
real = os.replace
moved = []
def replace(source, target, *args, **kwargs):
    real(source, target, *args, **kwargs)
    if Path(target).parent.resolve() == out and Path(source).parent.name.startswith(".etikk"):
        moved.append(target)
        if len(moved) == 2:
            os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
from etikkverksted.cli import main
main(["build", sys.argv[2], "-o", str(out)], prog_name="etikkverksted")
"""


def _build(out: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "etikkverksted.cli", "build", str(EXAMPLE),
                           "-o", str(out), *extra], capture_output=True, text=True,
                          timeout=300, check=False)


def _staging(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(".etikkverksted-*")]


def test_a_build_killed_between_renames_is_not_a_finished_pack(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    killed = subprocess.run([sys.executable, "-c", _KILLED_BUILD, str(out), str(EXAMPLE)],
                            capture_output=True, text=True, timeout=300, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    documents = [p for p in out.iterdir() if p.suffix in (".pptx", ".docx")]
    assert len(documents) == 2
    assert not list(out.glob(f"*{MANIFEST_SUFFIX}")), "an unfinished pack has no manifest"
    assert _staging(out), "the kill left its staging folder"
    # Readers are told: check does not pass the two files as a finished pack.
    codes = {f.code for f in check_files(documents)}
    assert "pack-unfinished" in codes
    # The re-run trusts the manifest: no manifest, so it finishes the pack without --force,
    # and removes the killed build's staging folder.
    again = _build(out)
    assert again.returncode == 0, again.stderr
    assert "unfinished pack" in again.stderr
    manifest = json.loads(next(out.glob(f"*{MANIFEST_SUFFIX}")).read_text(encoding="utf-8"))
    names = sorted(f["name"] for f in manifest["files"])
    assert names == sorted(p.name for p in out.iterdir() if p.suffix in (".pptx", ".docx"))
    assert len(names) == 5
    assert _staging(out) == []
    assert "pack-unfinished" not in {f.code for f in check_files(sorted(out.iterdir()))}
    # Now the pack is complete: without --force it is kept.
    assert _build(out).returncode == 1


def test_two_builds_into_one_folder_cannot_both_succeed(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    out.mkdir()
    command = [sys.executable, "-m", "etikkverksted.cli", "build", str(EXAMPLE), "-o", str(out)]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    outcomes = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in outcomes)
    assert codes == [0, 1], outcomes
    failed = next(err for code, err in outcomes if code == 1)
    assert "another etikkverksted build" in failed or "exists already" in failed
    assert "Traceback" not in failed


def test_a_held_folder_lock_refuses_a_second_build(library, make_spec, tmp_path: Path) -> None:
    with folder_lock(tmp_path), pytest.raises(OutputError) as info:
        build_pack(make_spec(), library, tmp_path, check=False)
    assert "another etikkverksted build" in info.value.problems[0].message
    assert list(tmp_path.iterdir()) == []


def test_a_folder_at_a_pack_file_name_is_refused_before_anything_is_written(
        library, make_spec, tmp_path: Path) -> None:
    first = build_pack(make_spec(), library, tmp_path, check=False)
    deck = next(p for p in first.files if p.suffix == ".pptx")
    deck.unlink()
    deck.mkdir()
    (deck / "inni.txt").write_text("x", encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in first.files if p.is_file()}
    result = CliRunner().invoke(main, ["build", "--force", str(EXAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "folder has the name" in result.output
    assert {p: p.stat().st_mtime_ns for p in before} == before
    assert (deck / "inni.txt").exists()
    assert _staging(tmp_path) == []


def test_batch_force_replaces_a_symlinked_pack_folder_and_never_writes_through_it(
        tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "a.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "ut"
    first = CliRunner().invoke(main, ["batch", str(specs), "-o", str(out), "-j", "1",
                                      "--no-check"])
    assert first.exit_code == 0, first.output
    pack = next(p for p in out.iterdir() if p.is_dir())
    elsewhere = tmp_path / "annet-sted"
    elsewhere.mkdir()
    (elsewhere / "viktig.txt").write_text("urørt", encoding="utf-8")
    for f in pack.iterdir():
        f.unlink()
    pack.rmdir()
    pack.symlink_to(elsewhere, target_is_directory=True)
    again = CliRunner().invoke(main, ["batch", str(specs), "-o", str(out), "-j", "1",
                                      "--no-check", "--force"])
    assert again.exit_code == 0, again.output
    assert sorted(p.name for p in elsewhere.iterdir()) == ["viktig.txt"]
    assert not pack.is_symlink() and len(list(pack.glob("*.pptx"))) == 1


def test_the_next_build_removes_stale_staging_and_pdf_work_is_inside_it(
        library, make_spec, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / ".etikkverksted-drept"
    (stale / "pdf-x").mkdir(parents=True)
    (stale / "halv.pptx").write_bytes(b"PK")
    import etikkverksted.build.pack as pack

    seen: list[list[str]] = []

    def fake_soffice(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        if "--outdir" not in cmd:  # the probe for a network-less sandbox
            return subprocess.CompletedProcess(cmd, 0, b"", b"")
        seen.append(cmd)
        outdir = Path(cmd[cmd.index("--outdir") + 1])
        for name in cmd[cmd.index("--outdir") + 2:]:
            (outdir / (Path(name).stem + ".pdf")).write_bytes(b"%PDF-1.4\n")
        return subprocess.CompletedProcess(cmd, 0, b"", b"")

    monkeypatch.setattr(pack, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setattr(pack.subprocess, "run", fake_soffice)
    result = build_pack(make_spec(), library, tmp_path, pdf=True, check=False)
    assert not stale.exists()
    outdir = Path(seen[0][seen[0].index("--outdir") + 1])
    profile = next(a for a in seen[0] if a.startswith("-env:UserInstallation="))
    assert outdir.parent.name.startswith(".etikkverksted-"), outdir
    assert str(outdir) in profile
    assert len([p for p in result.files if p.suffix == ".pdf"]) == 5
    assert _staging(tmp_path) == []


@pytest.mark.parametrize("umask", [0o077, 0o002])
def test_output_files_respect_the_umask(library, make_spec, tmp_path: Path,
                                        umask: int) -> None:
    old = os.umask(umask)
    try:
        result = build_pack(make_spec(), library, tmp_path, check=False)
    finally:
        os.umask(old)
    modes = {oct(p.stat().st_mode & 0o777) for p in [*result.files, result.manifest]}
    assert modes == {oct(0o666 & ~umask)}


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux's")
def test_batch_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "etikkverksted.cli", "batch", "--standard",
                             "-o", str(tmp_path / "ut"), "-j", "2", "--no-check"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        workers = _children(proc.pid)
    assert len(workers) >= 2, "the batch did not start its workers"
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 30
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = [w for w in workers if _alive(w)]
    for w in left:
        os.kill(w, signal.SIGKILL)
    assert left == [], "workers outlived the killed batch"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process is POSIX")
def test_ctrl_c_stops_the_batch_and_keeps_what_is_finished(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    proc = subprocess.Popen([sys.executable, "-m", "etikkverksted.cli", "batch", "--standard",
                             "-o", str(out), "-j", "2", "--no-check"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while len(list(out.glob(f"*/*{MANIFEST_SUFFIX}"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(out.glob(f"*/*{MANIFEST_SUFFIX}")), "no pack was finished"
    time.sleep(1)  # let the batch hear of the finished packs (a pack not reported is removed)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Interrupted" in err and "Traceback" not in err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["interrupted"] is True
    listed = [p["name"] for p in manifest["packs"]]
    assert 0 < len(listed) < 24
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == sorted(listed), "every pack left is a finished one in the manifest"
    for pack in manifest["packs"]:
        for f in pack["files"]:
            assert (out / f["path"]).stat().st_size == f["bytes"]
    assert (out / "index.html").exists()
    assert _staging(out) == []
