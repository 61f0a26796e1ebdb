"""Tracebacks and quiet acceptance (issue #18 §6): odd values get a clear answer.

Far-future dates, characters XML cannot hold, invisible bidi and zero-width characters,
duplicate YAML keys, library texts longer than any box, and names in 4-byte letters.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from etikkverksted.build.pack import build_pack, safe_name
from etikkverksted.cli import main
from etikkverksted.content.models import LText
from etikkverksted.content.spec import load_spec
from etikkverksted.errors import SpecError
from etikkverksted.quality import Finding

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "leiargruppe-trinn2-nb.yaml"
DILEMMA = ROOT / "dilemmas" / "01-frigjort-tid.yaml"

INVISIBLE = "\u202e\u200b\u200d\u2066\ufeff"
NOT_XML = "\ufffe\uffff"


def _spec_text(**changes: object) -> str:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data.update(changes)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_a_date_after_2107_is_refused_with_the_years_allowed(tmp_path: Path) -> None:
    spec = tmp_path / "workshop.yaml"
    spec.write_text(_spec_text(date="2108-01-15"), encoding="utf-8")
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    assert "2000-2099" in info.value.problems[0].message
    result = CliRunner().invoke(main, ["build", str(spec), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "2000-2099" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_batch_standard_with_a_date_after_2107_is_one_clear_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["batch", "--standard", "--date", "2150-01-01", "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "2000-2099" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_texts_lose_non_xml_and_invisible_characters() -> None:
    text = LText(nb=f"Frigjort{NOT_XML} tid{INVISIBLE}", nn=f"Fri{INVISIBLE}gjord tid")
    assert text.nb == "Frigjort tid"
    assert text.nn == "Frigjord tid"


def test_names_lose_bidi_and_zero_width_characters() -> None:
    assert safe_name(f"Direk\u200btoratet{INVISIBLE} for\u202e gnir\u200døts") == \
        "direktoratet-for-gnirøts"


def test_a_pack_for_an_agency_with_hostile_characters(library, make_spec,
                                                      tmp_path: Path) -> None:
    agency = f"Direktoratet{NOT_XML} for{INVISIBLE} eksempel\u202egpj.exe"
    spec = make_spec().model_copy(update={"agency": agency})
    spec = type(spec).model_validate(spec.model_dump())  # through the validators, as a file
    assert spec.agency == "Direktoratet for eksempelgpj.exe"
    result = build_pack(spec, library, tmp_path, check=False)
    for path in result.files:
        assert not re.search("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]",
                             path.name), path.name
    with zipfile.ZipFile(next(p for p in result.files if p.suffix == ".pptx")) as zf:
        xml = b"".join(zf.read(n) for n in zf.namelist() if n.endswith(".xml"))
    assert b"Direktoratet for eksempelgpj.exe" in xml
    assert "\u202e".encode() not in xml and "\u200b".encode() not in xml


def test_a_name_of_4_byte_letters_is_shortened_by_bytes(library, make_spec,
                                                        tmp_path: Path) -> None:
    spec = make_spec().model_copy(update={"agency": "\U0001d400" * 150})
    result = build_pack(spec, library, tmp_path, check=False)
    assert len(result.files) == 5
    for path in result.files:
        assert len(path.name.encode("utf-8")) <= 255
    assert len(safe_name("\U0001d400" * 150).encode("utf-8")) <= 60


def test_duplicate_keys_in_a_spec_name_both_lines(tmp_path: Path) -> None:
    spec = tmp_path / "workshop.yaml"
    text = EXAMPLE.read_text(encoding="utf-8").rstrip("\n") + "\nagency: Et annet direktorat\n"
    spec.write_text(text, encoding="utf-8")
    first = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("agency:"))
    last = len(text.splitlines())
    with pytest.raises(SpecError) as info:
        load_spec(spec)
    problem = info.value.problems[0]
    assert f"lines {first} and {last}" in problem.message
    assert "agency" in problem.message and problem.line == last
    result = CliRunner().invoke(main, ["plan", str(spec)])
    assert result.exit_code == 1 and f"lines {first} and {last}" in result.output


def test_duplicate_keys_in_a_library_file_are_reported(tmp_path: Path) -> None:
    folder = tmp_path / "vare"
    folder.mkdir()
    (folder / "ord.yaml").write_text(
        "glossary:\n  - term: {nb: Modell, nn: Modell}\n    definition: {nb: A, nn: A}\n"
        "    term: {nb: Annen, nn: Annan}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "`term` appears twice, on lines 2 and 4" in result.output


def _overlong_library(tmp_path: Path) -> Path:
    folder = tmp_path / "vare"
    folder.mkdir()
    data = yaml.safe_load(DILEMMA.read_text(encoding="utf-8"))
    dilemma = data["dilemmas"][0]
    dilemma["id"] = "veldig-lang-tittel"
    dilemma["title"] = {"nb": "Lang tittel " * 182, "nn": "Lang tittel " * 182}
    (folder / "lang.yaml").write_text(yaml.safe_dump({"dilemmas": [dilemma]},
                                                     allow_unicode=True), encoding="utf-8")
    return folder


def test_validate_refuses_an_overflowing_library_text_with_its_limit(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(_overlong_library(tmp_path))])
    assert result.exit_code == 1
    assert "title" in result.output and "at most 90" in result.output
    assert "Traceback" not in result.output


def test_a_build_with_overflow_errors_exits_non_zero(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import etikkverksted.quality as quality

    real = quality.check_file

    def with_overflow(path: Path, **kwargs: object) -> list[Finding]:
        found = real(path, **kwargs)
        if Path(path).suffix == ".pptx":
            found.append(Finding(Path(path), "slide 3", "text-overflow", "error",
                                 "the text does not fit its box"))
        return found

    monkeypatch.setattr(quality, "check_file", with_overflow)
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "text-overflow" in result.output and "1 error" in result.output



def test_a_source_date_epoch_after_2107_is_clamped_in_the_zip(library, make_spec,
                                                              tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "5000000000")  # the year 2128
    result = build_pack(make_spec(), library, tmp_path, check=False)
    with zipfile.ZipFile(result.files[0]) as zf:
        assert {i.date_time[0] for i in zf.infolist()} == {2107}
