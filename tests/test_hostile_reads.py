"""Reads that never end (issue #18 §2): devices, FIFOs and huge files are refused at once.

``/dev/zero`` used to be read until memory ran out and a FIFO made the tool wait forever. Each
case runs the installed command in a fresh interpreter, so its peak memory is its own; the
timeout only keeps a regression from hanging the suite.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from etikkverksted.safeio import UnreadableInput, read_bounded
from hostile import refused_clearly, run_cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "leiargruppe-trinn2-nb.yaml"

pytestmark = pytest.mark.skipif(not Path("/dev/zero").exists() or not hasattr(os, "mkfifo"),
                                reason="needs /dev/zero and FIFOs (POSIX)")


def _zero(folder: Path, name: str) -> Path:
    link = folder / name
    link.symlink_to("/dev/zero")
    return link


def _fifo(folder: Path, name: str) -> Path:
    path = folder / name
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("make", [_zero, _fifo], ids=["dev-zero", "fifo"])
def test_read_bounded_refuses_what_is_not_a_regular_file(tmp_path: Path, make) -> None:
    with pytest.raises(UnreadableInput) as info:
        read_bounded(make(tmp_path, "x.yaml"), 1024, what="spec")
    assert "not a regular file" in info.value.reason


def test_read_bounded_refuses_a_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a" * 2000)
    with pytest.raises(UnreadableInput) as info:
        read_bounded(path, 1000, what="spec")
    assert "at most" in info.value.reason
    assert read_bounded(path, 2000) == b"a" * 2000


@pytest.mark.parametrize("make", [_zero, _fifo], ids=["dev-zero", "fifo"])
def test_spec_that_is_a_device_or_fifo(tmp_path: Path, make) -> None:
    spec = make(tmp_path, "workshop.yaml")
    refused_clearly(run_cli("plan", spec), "not a regular file")
    refused_clearly(run_cli("build", spec, "-o", tmp_path / "out"), "not a regular file")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("make", [_zero, _fifo], ids=["dev-zero", "fifo"])
def test_file_for_check_that_is_a_device_or_fifo(tmp_path: Path, make) -> None:
    run = run_cli("check", make(tmp_path, "deck.pptx"))
    refused_clearly(run, "not a regular file")


@pytest.mark.parametrize("make", [_zero, _fifo], ids=["dev-zero", "fifo"])
def test_csv_that_is_a_device_or_fifo(tmp_path: Path, make) -> None:
    run = run_cli("batch", make(tmp_path, "agencies.csv"), "-o", tmp_path / "out", "-j", "1")
    refused_clearly(run, "not a regular file")


@pytest.mark.parametrize("make", [_zero, _fifo], ids=["dev-zero", "fifo"])
def test_library_file_that_is_a_device_or_fifo(tmp_path: Path, make) -> None:
    folder = tmp_path / "vare"
    folder.mkdir()
    make(folder, "dilemma.yaml")
    refused_clearly(run_cli("validate", folder), "not a regular file")


def test_spec_folder_with_a_fifo_in_batch(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(EXAMPLE, specs / "a.yaml")
    _fifo(specs, "b.yaml")
    run = run_cli("batch", specs, "-o", tmp_path / "out", "-j", "1")
    refused_clearly(run, "b.yaml", "not a regular file")


@pytest.mark.parametrize("make", [_zero, _fifo], ids=["dev-zero", "fifo"])
def test_template_that_is_a_device_or_fifo(tmp_path: Path, make) -> None:
    deck = make(tmp_path, "mal.pptx")
    refused_clearly(run_cli("template-info", deck), "not a regular file")
    run = run_cli("build", EXAMPLE, "-o", tmp_path / "out", "--template", deck)
    refused_clearly(run, "not a regular file")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("make", [_zero, _fifo], ids=["dev-zero", "fifo"])
def test_csv_template_column_that_is_a_device_or_fifo(tmp_path: Path, make) -> None:
    make(tmp_path, "mal.pptx")
    csv_path = tmp_path / "v.csv"
    csv_path.write_text("agency,audience,maturity,date,template\n"
                        "Direktoratet A,leaders,2,2026-12-03,mal.pptx\n", encoding="utf-8")
    run = run_cli("batch", csv_path, "-o", tmp_path / "out", "-j", "1")
    refused_clearly(run, "not a regular file")


@pytest.fixture(scope="module")
def big_part_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The issue's case: a template of about 1.5 MB with one 190 MB XML part (ratio ~130)."""
    from etikkverksted.resources import layouts_dir
    from hostile import template_with_big_part

    return template_with_big_part(layouts_dir() / "default.pptx",
                                  tmp_path_factory.mktemp("big") / "stor.pptx",
                                  "ppt/slideLayouts/slideLayout2.xml", 190 * 1024 * 1024)


def test_template_info_on_a_template_with_a_190_mb_xml_part(big_part_template: Path) -> None:
    assert big_part_template.stat().st_size < 4 * 1024 * 1024
    refused_clearly(run_cli("template-info", big_part_template), "unpacks to more than")


def test_check_on_a_file_with_a_190_mb_xml_part(big_part_template: Path) -> None:
    run = run_cli("check", big_part_template)
    refused_clearly(run, "file-unreadable")


def test_build_with_a_template_with_a_190_mb_xml_part(big_part_template: Path,
                                                      tmp_path: Path) -> None:
    run = run_cli("build", EXAMPLE, "-o", tmp_path / "out", "--template", big_part_template)
    refused_clearly(run, "unpacks to more than")
