"""One pack per meeting: safe file names, no silent overwrite, clear output errors, PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import needs
from etikkverksted.build.pack import build_pack, safe_name
from etikkverksted.cli import main
from etikkverksted.errors import OutputError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "leiargruppe-trinn2-nb.yaml"


@pytest.fixture(scope="module")
def pack(library, make_spec, tmp_path_factory):
    out = tmp_path_factory.mktemp("pack")
    spec = make_spec("parties", 3, "nn", 90).model_copy(
        update={"agency": "Direktoratet for Ærlig Øving og Åpenhet"})
    return build_pack(spec, library, out)


def test_a_pack_has_deck_and_four_handouts(pack) -> None:
    suffixes = sorted(p.suffix for p in pack.files)
    # A parties pack adds the agenda template for their meetings (#14).
    assert suffixes == [".docx", ".docx", ".docx", ".docx", ".docx", ".pptx"]
    assert all(p.parent == pack.folder and p.stat().st_size > 5000 for p in pack.files)


def test_file_names_keep_norwegian_letters_and_name_the_audience(pack) -> None:
    names = [p.name for p in pack.files]
    assert all("direktoratet-for-ærlig-øving-og-åpenhet" in n for n in names)
    assert all("-partane-trinn3-nn-" in n for n in names)
    assert any(n.endswith("-deltakarark.docx") for n in names)
    assert not list(pack.folder.glob("*.part"))


@pytest.mark.parametrize(("agency", "expected"), [
    ("../../etc/passwd", "etc-passwd"),
    ("Direktoratet for Ærlig/Øving", "direktoratet-for-ærlig-øving"),
    ("C:\\Windows\\system32", "c-windows-system32"),
    ("   ", "verksted"),
    ("Navn\x00med\x1fkontroll", "navn-med-kontroll"),
])
def test_safe_names_cannot_leave_the_folder(agency: str, expected: str) -> None:
    assert safe_name(agency) == expected


def test_an_existing_pack_is_not_overwritten_without_force(pack, library, make_spec) -> None:
    spec = make_spec("parties", 3, "nn", 90).model_copy(
        update={"agency": "Direktoratet for Ærlig Øving og Åpenhet"})
    before = {p: p.stat().st_mtime_ns for p in pack.files}
    with pytest.raises(OutputError) as info:
        build_pack(spec, library, pack.folder)
    assert "--force" in info.value.problems[0].fix
    assert {p: p.stat().st_mtime_ns for p in pack.files} == before
    again = build_pack(spec, library, pack.folder, force=True)
    assert [p.name for p in again.files] == [p.name for p in pack.files]


def test_an_unwritable_output_folder_is_one_clear_message(tmp_path: Path) -> None:
    blocker = tmp_path / "fil"
    blocker.write_text("ikke en mappe", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-o", str(blocker / "ut")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "output folder" in result.output
    assert blocker.read_text(encoding="utf-8") == "ikke en mappe"


def test_a_failing_writer_leaves_no_half_written_file(library, make_spec, tmp_path: Path,
                                                     monkeypatch) -> None:
    import etikkverksted.writers.docx as docx_writer

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(docx_writer, "render_docx", broken)
    with pytest.raises(OSError):
        build_pack(make_spec(), library, tmp_path)
    assert list(tmp_path.iterdir()) == [], "a failed build must leave nothing behind"


def test_pdf_without_libreoffice_says_how_to_install(library, make_spec, tmp_path: Path,
                                                    monkeypatch) -> None:
    import etikkverksted.build.pack as pack_module

    monkeypatch.setattr(pack_module, "find_soffice", lambda: None)
    with pytest.raises(OutputError) as info:
        build_pack(make_spec(), library, tmp_path, pdf=True)
    assert "apt-get install libreoffice" in info.value.problems[0].fix
    assert list(tmp_path.iterdir()) == []


@needs("soffice")
@pytest.mark.render
def test_pdf_adds_a_pdf_of_every_file(library, make_spec, tmp_path: Path) -> None:
    result = build_pack(make_spec("employees", 1, "nb", 45), library, tmp_path, pdf=True)
    pdfs = [p for p in result.files if p.suffix == ".pdf"]
    assert len(pdfs) == 5
    assert all(p.read_bytes().startswith(b"%PDF") for p in pdfs)


def test_build_command_reports_what_it_wrote_and_the_check(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.count("wrote ") == 5
    assert "check" in result.output


def test_the_same_spec_gives_byte_identical_packs(library, make_spec, tmp_path: Path,
                                                  monkeypatch) -> None:
    spec = make_spec("employees", 2, "nn", 90)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    first = build_pack(spec, library, tmp_path / "a", check=False)
    second = build_pack(spec, library, tmp_path / "b", check=False)
    for a, b in zip(first.files, second.files, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_source_date_epoch_sets_every_date_in_the_files(library, make_spec, tmp_path: Path,
                                                        monkeypatch) -> None:
    import zipfile

    from docx import Document
    from pptx import Presentation

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01 00:00:00 UTC
    spec = make_spec("leaders", 2, "nb", 45)
    first = build_pack(spec, library, tmp_path / "a", check=False)
    again = build_pack(spec, library, tmp_path / "b", check=False)
    for a, b in zip(first.files, again.files, strict=True):
        assert a.read_bytes() == b.read_bytes()
        with zipfile.ZipFile(a) as zf:
            assert {info.date_time[:3] for info in zf.infolist()} == {(2026, 1, 1)}
    deck = next(p for p in first.files if p.suffix == ".pptx")
    sheet = next(p for p in first.files if p.suffix == ".docx")
    assert Presentation(str(deck)).core_properties.created.date().isoformat() == "2026-01-01"
    assert Document(str(sheet)).core_properties.modified.date().isoformat() == "2026-01-01"
