"""`check` on damaged files: whatever is broken, the answer is findings, never a crash."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etikkverksted.cli import main
from etikkverksted.quality import check_files

HOSTILE = settings(max_examples=40, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


@pytest.fixture(scope="module")
def deck_parts(make_plan: Callable[..., object], tmp_path_factory: pytest.TempPathFactory
               ) -> dict[str, bytes]:
    from etikkverksted.writers.pptx import render_pptx

    path = render_pptx(make_plan(maturity=2), tmp_path_factory.mktemp("d") / "deck.pptx")
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write(parts: dict[str, bytes], folder: Path) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    path = folder / "damaged.pptx"
    path.write_bytes(buf.getvalue())
    return path


@HOSTILE
@given(data=st.data(), junk=st.sampled_from(
    [b"", b"-1", b"abc", b"99999999999999999999", b"0", b"rId999", b"#zz", b"\xff\xfe",
     b"../../x", b"1e9", b"-2147483649", b"true"]))
def test_junk_attribute_values(deck_parts: dict[str, bytes], data: st.DataObject, junk: bytes,
                               tmp_path_factory: pytest.TempPathFactory) -> None:
    names = sorted(n for n in deck_parts if n.endswith((".xml", ".rels")))
    name = data.draw(st.sampled_from(names))
    matches = list(_ATTR.finditer(deck_parts[name]))
    if not matches:
        return
    chosen = data.draw(st.lists(st.sampled_from(matches), min_size=1, max_size=5))
    text = deck_parts[name]
    for m in sorted(chosen, key=lambda m: m.start(), reverse=True):
        text = text[:m.start(2)] + junk + text[m.end(2):]
    path = _write({**deck_parts, name: text}, tmp_path_factory.mktemp("c"))
    findings = check_files([path])
    assert all(f.message for f in findings)


@HOSTILE
@given(data=st.data(), noise=st.binary(min_size=1, max_size=40))
def test_random_bytes_inside_parts(deck_parts: dict[str, bytes], data: st.DataObject,
                                   noise: bytes, tmp_path_factory: pytest.TempPathFactory
                                   ) -> None:
    name = data.draw(st.sampled_from(sorted(deck_parts)))
    text = deck_parts[name]
    at = data.draw(st.integers(0, max(len(text) - 1, 0)))
    damaged = text[:at] + noise + text[at + len(noise):]
    drop = data.draw(st.booleans())
    parts = {**deck_parts, name: damaged}
    if drop:
        victim = data.draw(st.sampled_from(sorted(deck_parts)))
        parts.pop(victim)
    path = _write(parts, tmp_path_factory.mktemp("c"))
    findings = check_files([path])
    assert all(f.message for f in findings)


def test_cli_check_exit_codes(tmp_path: Path, deck_parts: dict[str, bytes]) -> None:
    good = _write(deck_parts, tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(good)])
    assert result.exit_code == 0, result.output
    bad = tmp_path / "bad.pptx"
    bad.write_bytes(b"\0" * 100)
    result = runner.invoke(main, ["check", str(bad), "--json"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert '"code": "file-unreadable"' in result.output
