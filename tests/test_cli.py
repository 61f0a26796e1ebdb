"""Every command through click's runner, and the installed console script as a subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from etikkverksted import __version__
from etikkverksted.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "leiargruppe-trinn2-nb.yaml"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return invoke


def test_version(run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("command", ["list", "show", "validate", "schema", "init", "plan",
                                     "build", "assess", "template-info", "batch", "check",
                                     "draft-nn"])
def test_every_command_has_help_with_an_example(run, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_list_shows_every_dilemma_with_audiences_and_maturity(run, library) -> None:
    result = run("list")
    assert result.exit_code == 0
    for dilemma_id in library.dilemmas:
        assert dilemma_id in result.output
    assert "trinn" in result.output


def test_list_json(run, library) -> None:
    rows = json.loads(run("list", "--json", "--lang", "nn").output)
    assert len(rows) == len(library.dilemmas) >= 13
    row = rows[0]
    assert set(row) >= {"id", "title", "audiences", "maturity"}
    assert set(row["audiences"]) == {"leaders", "parties", "employees"}


def test_show_in_nynorsk_uses_nynorsk_headings(run, library) -> None:
    dilemma = library.sorted_dilemmas()[0]
    result = run("show", dilemma.id, "--lang", "nn")
    assert result.exit_code == 0
    assert dilemma.title.nn.upper() in result.output
    assert dilemma.scenario.nn.split()[0] in result.output
    assert library.labels["where_do_you_stand"].nn in result.output


def test_show_unknown_id_suggests_close_matches(run, library) -> None:
    known = sorted(library.dilemmas)[0]
    result = run("show", known[:-1] + "x")
    assert result.exit_code == 1
    assert "did you mean" in result.output
    assert "Traceback" not in result.output


def test_validate_packaged_library_in_nynorsk(run) -> None:
    result = run("validate", "--lang", "nn")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK:")


def test_validate_reports_errors_in_an_agency_folder(run, tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("facts:\n  - id: a\n    statment: {nb: x}\n",
                                     encoding="utf-8")
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1
    assert f"{tmp_path / 'x.yaml'}:3" in result.output
    assert "Traceback" not in result.output


def test_schema_writes_content_and_spec_schemas(run, tmp_path: Path) -> None:
    result = run("schema", "-o", str(tmp_path))
    assert result.exit_code == 0
    spec = json.loads((tmp_path / "etikkverksted-spec.schema.json").read_text())
    assert {"agency", "date", "audience", "maturity", "language", "duration_minutes",
            "dilemmas", "facilitator", "template", "docx_template"} <= set(spec["properties"])
    content = json.loads((tmp_path / "etikkverksted-content.schema.json").read_text())
    assert "dilemmas" in content["properties"]


def test_init_writes_a_spec_that_plans(run, tmp_path: Path) -> None:
    target = tmp_path / "verksted.yaml"
    assert run("init", "-o", str(target)).exit_code == 0
    assert "#" in target.read_text(encoding="utf-8")
    assert run("plan", str(target)).exit_code == 0
    again = run("init", "-o", str(target))
    assert again.exit_code == 1
    assert "--force" in again.output


def test_plan_prints_the_run_sheet(run) -> None:
    result = run("plan", str(EXAMPLE))
    assert result.exit_code == 0
    lines = [line for line in result.output.splitlines() if line[:2].isdigit()]
    assert lines[0].startswith("09:00")
    assert lines[-1].startswith("10:30")


def test_plan_json_is_the_plan(run) -> None:
    data = json.loads(run("plan", str(EXAMPLE), "--json").output)
    assert sum(s["minutes"] for s in data["segments"]) == 90


def test_a_bad_spec_is_one_message_without_traceback(run, tmp_path: Path) -> None:
    spec = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    spec["audience"] = "styret"
    spec["dilemmas"] = []
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    result = run("plan", str(path))
    assert result.exit_code == 1
    assert f"{path}:" in result.output
    assert "audience" in result.output
    assert "Traceback" not in result.output


def test_unknown_dilemma_in_spec_suggests_ids(run, tmp_path: Path, library) -> None:
    spec = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    spec["dilemmas"] = [sorted(library.dilemmas)[0] + "-x"]
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    result = run("plan", str(path))
    assert result.exit_code == 1
    assert "unknown dilemma id" in result.output


def test_assess_from_answers_file_writes_a_spec(run, tmp_path: Path, library) -> None:
    answers = {qid: 2 for qid in library.assessment}
    path = tmp_path / "svar.yaml"
    path.write_text(yaml.safe_dump({"agency": "Testetaten", "answers": answers}),
                    encoding="utf-8")
    out = tmp_path / "spec.yaml"
    result = run("assess", "--answers", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    spec = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert spec["maturity"] == 2
    assert spec["agency"] == "Testetaten"
    assert run("plan", str(out)).exit_code == 0


def test_assess_interactively(run, tmp_path: Path, library) -> None:
    answers = "\n".join("4" for _ in library.assessment) + "\n"
    out = tmp_path / "spec.yaml"
    result = run("assess", "-o", str(out), "--lang", "nn", input=answers)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["maturity"] == 4


def console_script() -> str:
    found = shutil.which("etikkverksted", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the console script is not installed in this environment")
    return found


def test_installed_console_script_works_from_another_folder(tmp_path: Path) -> None:
    script = console_script()
    result = subprocess.run([script, "list", "--json"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) >= 13


def test_installed_console_script_reports_errors_without_traceback(tmp_path: Path) -> None:
    script = console_script()
    (tmp_path / "bad.yaml").write_text("agency: [\n", encoding="utf-8")
    result = subprocess.run([script, "plan", "bad.yaml"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "bad.yaml" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_does_not_import_the_office_libraries() -> None:
    code = ("import sys; from etikkverksted.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "assert 'pptx' not in sys.modules and 'docx' not in sys.modules, 'heavy import'\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stderr


def test_list_in_nynorsk_names_texts_that_lack_it(run, tmp_path: Path, library) -> None:
    data = library.sorted_dilemmas()[0].model_dump(mode="json", exclude_none=True)
    data["id"] = "utan-nynorsk"
    data["title"] = {"nb": "Bare bokmål her"}
    (tmp_path / "eigen.yaml").write_text(yaml.safe_dump({"dilemmas": [data]},
                                                        allow_unicode=True), encoding="utf-8")
    result = run("list", "--lang", "nn", "--library", str(tmp_path))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{tmp_path / 'eigen.yaml'}:" in result.output
    assert "dilemmas[0].title" in result.output
    assert run("list", "--library", str(tmp_path)).exit_code == 0


def test_an_impossible_date_names_line_and_field(run, tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("agency: X\ndate: 2026-13-03\naudience: leaders\nmaturity: 2\n"
                    "duration_minutes: 90\n", encoding="utf-8")
    result = run("plan", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: date:" in result.output
    assert "YYYY-MM-DD" in result.output
