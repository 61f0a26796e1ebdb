"""The hostile tests' memory figure is the command's own, not the test process's."""

from __future__ import annotations

import sys

import pytest

from hostile import MIB, run_cli


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="VmHWM is Linux's")
def test_peak_of_a_command_does_not_include_the_test_process() -> None:
    """Linux carries a process's high-water mark over fork and exec into what ``getrusage``
    reports for the child: a test process grown past the limit made every refusal fail."""
    ballast = bytearray(350 * MIB)
    for i in range(0, len(ballast), 4096):  # touched, so it is resident
        ballast[i] = 1
    try:
        run = run_cli("list")
    finally:
        del ballast
    assert run.returncode == 0, run.output
    assert 0 < run.peak < 200 * MIB, f"peak {run.peak / MIB:.0f} MiB"
