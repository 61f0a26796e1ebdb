"""No YAML input crashes the loader or the spec reader: each is accepted or rejected clearly.

Property-based: hypothesis writes random text, random YAML documents, and real files with
random damage (values replaced, keys dropped or added). Every rejection must be the tool's
own error with one message per problem, and through the CLI exit code 1 without a traceback.
Hand-written cases cover YAML's own weapons: alias bombs, deep nesting, huge files, binary.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etikkverksted.cli import main
from etikkverksted.content.loader import load_library
from etikkverksted.content.spec import load_spec
from etikkverksted.errors import EtikkverkstedError, LibraryError, SpecError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_SPEC = ROOT / "examples" / "leiargruppe-trinn2-nb.yaml"
DILEMMA = sorted((ROOT / "dilemmas").glob("0*.yaml"))[0]
HOSTILE = settings(max_examples=60, deadline=None,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
                    st.text(max_size=40), st.dates().map(str),
                    st.sampled_from(["nb", "nn", "leaders", "", "~", "2026-02-30", "99:99",
                                     "../../etc/passwd", "-1", "1e400", "\x00", "ja", "no"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)


def _assert_clear(exc: EtikkverkstedError, kind: type[EtikkverkstedError]) -> None:
    assert isinstance(exc, kind)
    assert exc.problems, "a rejection must say what is wrong"
    for problem in exc.problems:
        assert problem.message.strip()
    assert "Traceback" not in exc.render()


def _spec(path: Path, text: str | bytes) -> None:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_spec(path)
    except SpecError as exc:
        _assert_clear(exc, SpecError)


def _library(folder: Path, text: str | bytes) -> None:
    target = folder / "x.yaml"
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_library([folder])
    except LibraryError as exc:
        _assert_clear(exc, LibraryError)


def _mutate(data: Any, path: list[int], junk: Any, mode: int) -> Any:
    """Replace, drop or add at the place *path* picks in *data* (indices taken modulo)."""
    if not path or not isinstance(data, dict | list) or not data:
        return junk if mode == 0 else data
    if isinstance(data, dict):
        keys = sorted(data, key=str)
        key = keys[path[0] % len(keys)]
        if len(path) == 1 and mode == 1:
            return {k: v for k, v in data.items() if k != key}
        if len(path) == 1 and mode == 2:
            return {**data, "unexpected_field": junk}
        return {**data, key: _mutate(data[key], path[1:], junk, mode)}
    index = path[0] % len(data)
    copy = list(data)
    copy[index] = _mutate(copy[index], path[1:], junk, mode)
    return copy


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path


@HOSTILE
@given(text=st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_random_text_as_spec(tmp_path_factory: pytest.TempPathFactory, text: str | bytes) -> None:
    _spec(tmp_path_factory.mktemp("s") / "spec.yaml", text)


@HOSTILE
@given(data=st.dictionaries(st.sampled_from(
    ["agency", "date", "audience", "maturity", "language", "duration_minutes", "format",
     "start_time", "facilitator", "dilemmas", "template", "docx_template", "other"]),
    values, max_size=10))
def test_random_yaml_as_spec(tmp_path_factory: pytest.TempPathFactory,
                             data: dict[str, Any]) -> None:
    _spec(tmp_path_factory.mktemp("s") / "spec.yaml", yaml.safe_dump(data, allow_unicode=True))


@HOSTILE
@given(path=st.lists(st.integers(0, 50), min_size=1, max_size=4), junk=values,
       mode=st.integers(0, 2))
def test_damaged_example_spec(tmp_path_factory: pytest.TempPathFactory, path: list[int],
                              junk: Any, mode: int) -> None:
    data = yaml.safe_load(EXAMPLE_SPEC.read_text(encoding="utf-8"))
    damaged = _mutate(data, path, junk, mode)
    _spec(tmp_path_factory.mktemp("s") / "spec.yaml", yaml.safe_dump(damaged,
                                                                     allow_unicode=True))


@HOSTILE
@given(text=st.one_of(st.text(max_size=300), st.binary(max_size=300)))
def test_random_text_as_library_file(tmp_path_factory: pytest.TempPathFactory,
                                     text: str | bytes) -> None:
    _library(tmp_path_factory.mktemp("lib"), text)


@HOSTILE
@given(path=st.lists(st.integers(0, 50), min_size=1, max_size=6), junk=values,
       mode=st.integers(0, 2))
def test_damaged_dilemma_file(tmp_path_factory: pytest.TempPathFactory, path: list[int],
                              junk: Any, mode: int) -> None:
    data = yaml.safe_load(DILEMMA.read_text(encoding="utf-8"))
    damaged = _mutate(data, path, junk, mode)
    _library(tmp_path_factory.mktemp("lib"), yaml.safe_dump(damaged, allow_unicode=True))


def _alias_bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + "\n"


HAND_WRITTEN = {
    "alias bomb at the top": _alias_bomb(),
    "alias bomb in a field": _alias_bomb().replace("a8:", "dilemmas:")
    .replace("a7:", "agency:"),
    "alias bomb as a title": "x: &x [" + ", ".join(["aaaaaaaaaa"] * 50) + "]\n"
    "y: &y [" + ", ".join(["*x"] * 50) + "]\n"
    "dilemmas:\n  - id: bomb\n    title: {nb: *y, nn: *y}\n",
    "deep nesting": "a: " + "[" * 3000 + "]" * 3000 + "\n",
    "deep mappings": "a:" + "".join(f"\n{' ' * (i + 1)}b{i}:" for i in range(400)) + " 1\n",
    "huge file": "agency: " + "x" * (3 * 1024 * 1024) + "\n",
    "python object tag": "!!python/object/apply:os.system ['echo hacked']\n",
    "binary": "\x00\x01\x02\xff\xfe",
    "utf-16": "\ufeffagency: x\n",
    "tabs": "agency:\tx\n\tdate: 2026-01-01\n",
    "duplicate keys": "agency: a\nagency: b\ndate: 2026-01-01\n",
    "merge keys": "base: &b {agency: a}\n<<: *b\n",
    "empty": "",
    "only a comment": "# nothing\n",
    "a list": "- a\n- b\n",
    "a scalar": "just text\n",
    "unicode junk": "agency: \ud800\n",
    "impossible date": "agency: A\ndate: 2026-02-30\naudience: leaders\nmaturity: 2\n",
    "huge number": "agency: A\ndate: 2026-01-01\naudience: leaders\nmaturity: 1e999\n",
    "path escape": "agency: A\ndate: 2026-01-01\naudience: leaders\nmaturity: 2\n"
    "template: ../../../../etc/passwd\n",
}


@pytest.mark.parametrize("name", sorted(HAND_WRITTEN))
def test_hand_written_hostile_yaml(folder: Path, name: str) -> None:
    text = HAND_WRITTEN[name]
    start = time.monotonic()
    _spec(folder / "spec.yaml", text)
    lib = folder / "lib"
    lib.mkdir()
    _library(lib, text)
    assert time.monotonic() - start < 20, f"{name} took too long"


def test_library_file_named_like_a_folder_and_symlink_loop(folder: Path) -> None:
    (folder / "dir.yaml").mkdir()
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    with pytest.raises(LibraryError) as info:
        load_library([folder])
    _assert_clear(info.value, LibraryError)
    # The folder is skipped; the link that leads nowhere is named (a FIFO or a device named
    # .yaml is reported the same way instead of being skipped without a word).
    assert "loop.yaml" in info.value.render()
    assert "dir.yaml" not in info.value.render()


@pytest.mark.parametrize("name", ["alias bomb in a field", "binary", "deep nesting",
                                  "python object tag", "path escape", "huge number"])
def test_cli_rejects_with_exit_1_and_no_traceback(folder: Path, name: str) -> None:
    spec = folder / "spec.yaml"
    spec.write_text(HAND_WRITTEN[name], encoding="utf-8", errors="surrogatepass")
    lib = folder / "lib"
    lib.mkdir()
    shutil.copy(spec, lib / "x.yaml")
    runner = CliRunner()
    for args in (["plan", str(spec)], ["validate", str(lib)],
                 ["build", str(spec), "-o", str(folder / "out")]):
        result = runner.invoke(main, args)
        output = result.output + (result.stderr if result.stderr_bytes is not None else "")
        assert result.exit_code == 1, (args, output, result.exception)
        assert "Traceback" not in output
        assert not isinstance(result.exception, Exception) or isinstance(
            result.exception, SystemExit), result.exception
        assert "Error:" in output
