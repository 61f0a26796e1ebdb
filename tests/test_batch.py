"""Batch builds: DFD's standard packs, CSV of agencies, failures, manifest and index."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from click.testing import CliRunner

from etikkverksted.cli import main


def test_standard_packs_are_every_audience_step_and_standard(standard_packs: Path) -> None:
    folders = sorted(p.name for p in standard_packs.iterdir() if p.is_dir())
    assert len(folders) == 24
    assert "ledergruppe-trinn1-nb" in folders
    assert any(name.startswith("partane-trinn4-nn") for name in folders)
    for folder in (p for p in standard_packs.iterdir() if p.is_dir()):
        assert len(list(folder.glob("*.pptx"))) == 1
        # The parties' packs add the agenda template for their meetings (#14).
        parties = folder.name.startswith(("partene", "partane"))
        assert len(list(folder.glob("*.docx"))) == (5 if parties else 4)


def test_manifest_lists_inputs_files_sizes_checksums_and_versions(standard_packs: Path) -> None:
    manifest = json.loads((standard_packs / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["versions"]["python-pptx"]
    assert manifest["versions"]["etikkverksted"]
    assert len(manifest["packs"]) == 24
    for pack in manifest["packs"]:
        assert pack["ok"], pack["error"]
        assert pack["input"]["maturity"] in (1, 2, 3, 4)
        for entry in pack["files"]:
            data = (standard_packs / entry["path"]).read_bytes()
            assert entry["bytes"] == len(data)
            assert entry["sha256"] == hashlib.sha256(data).hexdigest()


def test_zip_per_pack(standard_packs: Path) -> None:
    zips = sorted(standard_packs.glob("*.zip"))
    assert len(zips) == 24
    with zipfile.ZipFile(zips[0]) as zf:
        assert len(zf.namelist()) == 5


def test_index_page_describes_each_pack_in_its_language(standard_packs: Path) -> None:
    page = (standard_packs / "index.html").read_text(encoding="utf-8")
    assert page.count("<section") == 24
    assert 'lang="nn-NO"' in page and 'lang="nb-NO"' in page
    assert ".pptx" in page


def test_csv_of_agencies_with_a_failing_row(tmp_path: Path, library) -> None:
    csv_path = tmp_path / "virksomheter.csv"
    csv_path.write_text(
        "agency;audience;maturity;language;duration;date;dilemmas\n"
        "Direktoratet for prøving;leaders;2;nb;45;2027-02-01;\n"
        "Tilsynet for testing;employees;1;nn;45;2027-02-02;\n"
        f"Etaten med feil;parties;3;nb;45;2027-02-03;{' '.join(sorted(library.dilemmas)[:4])}\n",
        encoding="utf-8")
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["batch", str(csv_path), "-o", str(out), "--jobs", "2"])
    assert result.exit_code == 1
    assert "1 pack(s) failed" in result.output
    assert "Etaten med feil" in result.output or "etaten-med-feil" in result.output
    assert "Traceback" not in result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [p["ok"] for p in manifest["packs"]] == [True, True, False]
    assert len([p for p in out.iterdir() if p.is_dir()]) == 2


def test_csv_errors_name_row_and_column(tmp_path: Path) -> None:
    csv_path = tmp_path / "feil.csv"
    csv_path.write_text("agency,audience,maturity,date\n"
                        "A,leaders,2,2027-01-01\n"
                        "B,styret,9,2027-13-01\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["batch", str(csv_path), "-o", str(tmp_path / "ut")])
    assert result.exit_code == 1
    assert f"{csv_path}:3: column audience" in result.output
    assert f"{csv_path}:3: column maturity" in result.output
    assert f"{csv_path}:3: column date" in result.output
    assert not (tmp_path / "ut").exists()


def test_existing_packs_need_force(standard_packs: Path) -> None:
    result = CliRunner().invoke(main, ["batch", "--standard", "-o", str(standard_packs),
                                       "--date", "2027-01-15"])
    assert result.exit_code == 1
    assert "--force" in result.output


def test_a_folder_of_specs(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[1] / "examples"
    out = tmp_path / "ut"
    result = CliRunner().invoke(main, ["batch", str(examples), "-o", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert len([p for p in out.iterdir() if p.is_dir()]) == len(list(examples.glob("*.yaml")))
