"""Tools for agencies that write their own dilemmas: nynorsk drafts and spell-checking."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from conftest import needs
from etikkverksted.authoring.drafting import DRAFT_COMMENT
from etikkverksted.cli import main

OWN = """\
# Vårt eget tillegg
labels:
  egen-sporsmal: {nb: Hvordan skal vi bruke KI i saksbehandlingen?}
  egen-tekst:
    nb: Virksomheten vet ikke hva de ansatte trenger.
  ferdig: {nb: Hei, nn: Hei}
"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@needs("apertium")
def test_draft_nn_fills_missing_nynorsk_and_keeps_the_file(tmp_path: Path) -> None:
    path = tmp_path / "egne.yaml"
    path.write_text(OWN, encoding="utf-8")
    result = run("draft-nn", str(path))
    assert result.exit_code == 0, result.output
    assert "2 nynorsk draft(s)" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Vårt eget tillegg")
    assert text.count(DRAFT_COMMENT) == 2
    labels = yaml.safe_load(text)["labels"]
    assert labels["egen-tekst"]["nn"] == "Verksemda veit ikkje kva dei tilsette treng."
    assert labels["egen-sporsmal"]["nn"].startswith("Korleis skal vi bruke KI")
    assert labels["ferdig"] == {"nb": "Hei", "nn": "Hei"}
    assert run("validate", str(tmp_path), "--lang", "nn").exit_code == 0


@needs("apertium")
def test_draft_nn_on_a_complete_file_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ferdig.yaml"
    path.write_text("labels:\n  x: {nb: Hei, nn: Hei}\n", encoding="utf-8")
    before = path.stat().st_mtime_ns
    result = run("draft-nn", str(path))
    assert "nothing written" in result.output
    assert path.stat().st_mtime_ns == before


def test_draft_nn_without_apertium_says_how_to_install(tmp_path: Path, monkeypatch) -> None:
    import etikkverksted.authoring.drafting as drafting

    monkeypatch.setattr(drafting.shutil, "which", lambda name: None)
    path = tmp_path / "egne.yaml"
    path.write_text(OWN, encoding="utf-8")
    result = run("draft-nn", str(path))
    assert result.exit_code == 1
    assert "apt-get install apertium apertium-nno-nob" in result.output
    assert path.read_text(encoding="utf-8") == OWN


@needs("hunspell")
def test_validate_spell_names_file_line_and_word(tmp_path: Path) -> None:
    (tmp_path / "egne.yaml").write_text(
        "labels:\n  egen-a: {nb: Dette er en setning, nn: Dette er ein setning}\n"
        "  egen-b:\n    nb: Vi skriver feiiil her\n    nn: Vi skriv feiiil her\n",
        encoding="utf-8")
    result = run("validate", str(tmp_path), "--spell")
    assert result.exit_code == 1
    assert f"{tmp_path / 'egne.yaml'}:4: labels.egen-b.nb: unknown to nb_NO: feiiil" \
        in result.output
    assert f"{tmp_path / 'egne.yaml'}:5: labels.egen-b.nn: unknown to nn_NO: feiiil" \
        in result.output
    (tmp_path / "spelling").mkdir()
    (tmp_path / "spelling" / "allow-common.txt").write_text("feiiil\n", encoding="utf-8")
    assert run("validate", str(tmp_path), "--spell").exit_code == 0


def test_validate_spell_without_hunspell_says_how_to_install(tmp_path: Path,
                                                            monkeypatch) -> None:
    import etikkverksted.authoring.spelling as spelling

    monkeypatch.setattr(spelling.shutil, "which", lambda name: None)
    result = run("validate", "--spell")
    assert result.exit_code == 1
    assert "apt-get install hunspell hunspell-no" in result.output


@pytest.mark.parametrize("command", ["draft-nn", "validate"])
def test_help_mentions_the_authoring_tools(command: str) -> None:
    assert "Example" in run(command, "--help").output
